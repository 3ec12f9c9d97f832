"""`bench browser`'s verdict: per target and page, met, the app's gap (the bare-Streamlit floor meets the target) or
out of Streamlit's reach (the bare floor alone misses it), and "on the line" when one run cannot tell."""

from __future__ import annotations

from bench.browser import judge, ratio_spread, spread, verdict_text, verdicts


def test_a_met_target_is_met() -> None:
    assert judge(2.0, 1.5, 2.5, (1.4, 1.6), "x").startswith("met")


def test_a_miss_the_bare_floor_meets_is_the_apps_gap() -> None:
    said = judge(3.4, 1.6, 2.5, (1.5, 1.7), "x")
    assert said.startswith("NOT met") and "the app's gap" in said and "on the line" not in said


def test_a_miss_the_bare_floor_also_misses_is_out_of_streamlits_reach() -> None:
    said = judge(6.9, 5.1, 1.5, (4.7, 5.5), "s")
    assert said.startswith("NOT met") and "out of Streamlit's reach" in said and "5100 ms" in said


def test_bare_rounds_on_both_sides_of_the_target_are_on_the_line() -> None:
    assert "on the line" in judge(3.0, 2.4, 2.5, (2.1, 2.8), "x")
    assert "on the line" in judge(3.0, 2.6, 2.5, (2.6, 2.7), "x")  # within 10% of the target
    assert "on the line" not in judge(3.0, 1.2, 2.5, (1.1, 1.3), "x")


def test_no_figure_is_not_judged() -> None:
    assert judge(None, 1.0, 2.5, None, "x").startswith("—")
    assert "no bare-Streamlit figure" in judge(3.0, None, 2.5, None, "x")


def _nav(seconds: float) -> dict:
    return {"nav": seconds}


def test_verdicts_per_page_and_target_from_a_runs_figures() -> None:
    pages = [{"script": "a.py", "title": "Charts", "url_path": "home"},
             {"script": "m.py", "title": "Map", "url_path": "map"},
             {"script": "e.py", "title": "Events", "url_path": "events"}]  # fmt: skip
    raw = {"floors": {"a.py": [0.1, 0.1, 0.1], "m.py": [0.2, 0.2, 0.2]},
           "navs": {"a.py": [_nav(0.4)] * 3, "m.py": [_nav(0.6)] * 3, "e.py": [_nav(0.2)] * 3},
           "colds": {s: [{"total": 2.0}] * 3 for s in ("a.py", "m.py", "e.py")},
           "bare": {"navs": {"a.py": [_nav(0.15)] * 3, "m.py": [_nav(0.5)] * 3, "e.py": [_nav(0.1)] * 3},
                    "colds": {s: [{"total": 1.0, "app_js": 0.3, "first_message": 0.5, "plotly_js": None}] * 3
                              for s in ("a.py", "m.py", "e.py")}}}  # fmt: skip
    rows = verdicts(raw, pages)
    navigation = {r[1]: r[5] for r in rows if r[0].startswith("navigation")}
    cold = {r[1]: r[5] for r in rows if r[0].startswith("cold")}
    assert set(navigation) == {"Charts", "Map"}  # a page without charts has no plotly.js floor to be judged against
    assert "the app's gap" in navigation["Charts"] and "4.0x" in navigation["Charts"]
    assert "out of Streamlit's reach" in navigation["Map"] and "2.5x > 2.0x" in navigation["Map"]  # the map's 2x
    assert all("the app's gap" in said for said in cold.values()) and set(cold) == {"Charts", "Map", "Events"}
    assert "Verdict, per target and page" in verdict_text(raw, pages)


def test_the_spread_columns_read_min_median_and_nearest_rank_p95() -> None:
    assert spread([0.3, None, 0.1, 0.2]) == "100 / 200 / 300"  # fewer than 20: p95 is the largest
    assert spread([i / 1000 for i in range(1, 41)]) == "1 / 20 / 38"  # nearest rank: the 38th of 40
    assert ratio_spread([3.0, 1.5, 2.25]) == "1.50 / 2.25 / 3.00x"
    assert spread([]) == "—" and ratio_spread([None]) == "—"
