"""Bad data never takes the dashboard down: it starts, shows the valid events and lists the problems."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from lib.model.load import load_dataset
from lib.validate import main as validate_main
from tests.conftest import key_numbers, make_events, write_data_dir

ROOT = Path(__file__).resolve().parent.parent


def many_events(n: int) -> list[dict]:
    template = make_events()[0]
    return [{**template, "id": f"bulk-{i:06d}", "summary": f"Synthetic entry number {i} " + "x" * 400}
            for i in range(n)]  # fmt: skip


def break_folder(folder: Path, kind: str) -> None:
    events_path = folder / "events.yaml"
    events = make_events()
    if kind == "malformed_yaml":
        text = events_path.read_text(encoding="utf-8")
        events_path.write_text(text.replace("title: Taliban warn Kazakhstan", "title: [oops"), encoding="utf-8")
        return
    if kind == "wrong_type":
        events[1]["stance"] = "very hostile"
    elif kind == "unknown_actor":
        events[1]["actor"] = "martians"
    elif kind == "quote_not_in_article":
        events[1]["sources"][0]["quote"] = "words nobody wrote"
    elif kind == "missing_article":
        events[1]["sources"][0]["article"] = "no-such-article"
    elif kind == "non_utf8":
        events_path.write_bytes(events_path.read_bytes().replace(b"Taliban warn Kazakhstan", b"Taliban \xff warn"))
        return
    elif kind == "big_file":
        events = events[:1] + many_events(9000) + [{**events[1], "stance": 9}]
    events_path.write_text(yaml.safe_dump({"events": events}, allow_unicode=True, sort_keys=False), encoding="utf-8")


CASES = ["malformed_yaml", "wrong_type", "unknown_actor", "quote_not_in_article", "missing_article", "non_utf8",
         "big_file"]  # fmt: skip


def run_dashboard(folder: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    return at.run()


@pytest.mark.parametrize("kind", CASES)
def test_dashboard_starts_shows_valid_events_and_lists_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    folder = write_data_dir(tmp_path / "data")
    break_folder(folder, kind)
    ds = load_dataset(folder)
    assert ds.problems and ds.events, "the broken folder should still hold valid events"
    at = run_dashboard(folder, monkeypatch)
    assert not at.exception
    panel = [e for e in at.expander if "Data problems" in e.label]
    assert panel, "a visible data-problems panel"
    shown = panel[0].dataframe[0].value
    assert len(shown) == len(ds.problems)
    assert set(shown["file"]) <= {p.file for p in ds.problems}
    assert key_numbers(at)["Events"] == str(len(ds.events))


def test_validator_reports_the_same_problems_the_panel_shows(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = write_data_dir(tmp_path / "data")
    break_folder(folder, "unknown_actor")
    assert validate_main([str(folder)]) == 1
    printed = [line for line in capsys.readouterr().out.splitlines() if line]
    assert printed == [str(p) for p in load_dataset(folder).problems]


def test_empty_events_file_starts_with_a_problem_and_the_empty_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_data_dir(tmp_path / "data")
    (folder / "events.yaml").write_text("", encoding="utf-8")
    at = run_dashboard(folder, monkeypatch)
    assert not at.exception
    assert any("Data problems" in e.label for e in at.expander)
    assert any("No events match" in i.value for i in at.info)


def test_missing_data_folder_starts_with_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_dashboard(tmp_path / "nowhere", monkeypatch)
    assert not at.exception
    assert any("Data problems" in e.label for e in at.expander)


def test_a_title_with_a_bracketed_remark_on_its_origin_is_a_problem_naming_the_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder = write_data_dir(tmp_path / "data")
    article = folder / "articles" / "mt-2011.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("title: Taliban Warns Kazakhstan",
                                    "title: Taliban warn Kazakhstan (descriptive title; no headline in retrieved text)"),
                       encoding="utf-8")  # fmt: skip
    assert validate_main([str(folder)]) == 1
    printed = capsys.readouterr().out
    line = next(x for x in printed.splitlines() if "mt-2011.md" in x and "title" in x)
    assert "published_note" in line and "18.3" in line


def test_a_plain_descriptive_title_is_valid(tmp_path: Path) -> None:
    folder = write_data_dir(tmp_path / "data")
    article = folder / "articles" / "mt-2011.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("title: Taliban Warns Kazakhstan", "title: Taliban warn Kazakhstan (Reuters)"),
                       encoding="utf-8")  # fmt: skip
    assert not load_dataset(folder).problems
