"""Work done once per view (issue 24): a rerun that changes nothing builds no figure, description or data
copy again, and a view seen before is served from the caches."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.ui.chart_element import drawn_charts

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def test_figures_and_descriptions_are_built_once_per_view(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lib.ui import Keys, cached
    from lib.ui import coverage as ui_coverage
    from lib.views import charts, describe

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    calls: Counter[str] = Counter()

    def counted(name: str, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(charts, "figure_for", counted("figure", charts.figure_for))
    monkeypatch.setattr(describe, "describe", counted("describe", describe.describe))
    cached.cached_figure.cache_clear()
    ui_coverage.coverage_figure.clear()
    at = AppTest.from_file(ENTRY, default_timeout=60).run()
    assert not at.exception
    first = dict(calls)
    # one description per chart drawn by show_chart (its caption and text alternative); the coverage chart has its
    # own sentence, and its numbers (made with a description) only once its closed panel is opened
    described = [c for c in drawn_charts(at) if c.key != "overview_coverage"]
    assert first["figure"] >= 1 and first["describe"] == len(described) >= 1
    copy = at.session_state[Keys.run_data].loaded
    at.run()  # nothing changed: nothing built, not even the session's copy of the data
    assert calls == first and at.session_state[Keys.run_data].loaded is copy
    country = next(iter(cached.load_shared(*cached.data_version()).options.countries))
    at.session_state[Keys.countries] = [country]
    at.run()  # a new view: its figures and descriptions, once
    second = dict(calls)
    assert second["figure"] == 2 * first["figure"] and at.session_state[Keys.run_data].loaded is copy
    assert first["describe"] < second["describe"] <= 2 * first["describe"]  # a chart of all the data is not redone
    at.session_state[Keys.countries] = []
    at.run()  # back to a view seen before: all from the caches
    assert calls == second


def test_the_data_fingerprint_changes_with_any_data_file_and_only_then(data_dir: Path) -> None:
    import os

    from lib.ui.cached import data_fingerprint

    first = data_fingerprint(data_dir)
    assert data_fingerprint(data_dir) == first  # nothing changed: the same version, the caches hit
    article = data_dir / "articles" / "mt-2011.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    edited = data_fingerprint(data_dir)
    assert edited != first
    os.utime(article, ns=(article.stat().st_atime_ns, article.stat().st_mtime_ns + 1_000_000_000))
    touched = data_fingerprint(data_dir)  # same size, a later mtime (an edit that kept the length)
    assert touched not in (first, edited)
    (data_dir / "articles" / "new.md").write_text("x", encoding="utf-8")
    added = data_fingerprint(data_dir)
    assert added not in (first, edited, touched)
    (data_dir / "articles" / "new.md").unlink()
    assert data_fingerprint(data_dir) == touched
    (data_dir / "empty-folder").mkdir()
    assert data_fingerprint(data_dir) == touched  # a folder alone is no data
    assert data_fingerprint(data_dir / "missing") == ""


def test_a_session_keeps_its_own_rows_of_the_views_it_showed_last(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`session_rows`: a view this session showed lately is not copied again, at most `VIEWS_KEPT` are kept, another
    session has its own copies, and a new version of the data drops the old version's at once."""
    from lib.ui import Keys, cached

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    first, second = (AppTest.from_file(ENTRY, default_timeout=60).run() for _ in range(2))
    assert not first.exception and not second.exception
    countries = list(cached.load_shared(*cached.data_version()).options.countries)
    assert len(countries) >= 2
    views = [[], [countries[0]], [countries[1]], countries[:2]]
    for chosen in views + views[:1]:
        first.session_state[Keys.countries] = chosen
        first.run()
    kept = first.session_state[Keys.view_rows]
    assert len(kept) == cached.VIEWS_KEPT and [k[2].countries for k in kept][-1] == ()
    unfiltered = kept[next(k for k in kept if not k[2].countries)]
    assert second.session_state[Keys.view_rows][next(iter(second.session_state[Keys.view_rows]))] is not unfiltered
    first.session_state[Keys.countries] = countries[4:5] or countries[-1:]
    first.run()
    assert len(first.session_state[Keys.view_rows]) <= cached.VIEWS_KEPT
    article = next((data_dir / "articles").iterdir())
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    first.run()
    assert not first.exception
    kept = first.session_state[Keys.view_rows]
    assert len(kept) == 1 and {k[:2] for k in kept} == {cached.data_version()}
