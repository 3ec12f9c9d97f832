"""Review before briefing (issue 22, CODEBOOK 4.2): the review fields are validated; `reviewed=1` keeps reviewed
events only, through lib.model.filters (pages, exports, briefings); a briefing's first slide says whether it
includes unreviewed events; with sign-in a curator's save is a proposal, a reviewer who did not propose it
accepts it or returns it with a comment, and each decision is a commit by the reviewer."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from lib.exports import slides
from lib.model.briefings import Briefing
from lib.model.filters import FilterOptions, Filters
from lib.model.load import load_dataset
from lib.model.tables import build_tables
from lib.reading.curate import Plan
from lib.team import review
from lib.ui import team as ui_team
from tests.conftest import make_events, write_data_dir

ROOT = Path(__file__).resolve().parent.parent
TEAM = "users:\n  alice: [curator]\n  bob: [reviewer]\n  carol: [viewer]\n  dora: [curator, reviewer]\n"


def _events() -> list[dict]:
    events = make_events()
    events[1] = {**events[1], "review": "proposed", "proposed_by": "alice",  # quote spaced as the file writer writes it
                 "sources": [{"article": "mt-2011", "quote": "The Taliban has warned Kazakhstan"}]}
    return events


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


def test_review_helpers() -> None:
    event = make_events()[0]
    proposed = review.as_proposal({**event, "review": "returned", "review_note": "fix"}, "alice")
    assert proposed["review"] == "proposed" and proposed["proposed_by"] == "alice" and "review_note" not in proposed
    assert review.why_not_review(proposed, "alice") == "you proposed it: another reviewer must review it"
    assert review.why_not_review(proposed, "bob") is None and review.why_not_review(event, "bob") == "it is already reviewed"
    assert review.accepted(proposed) == event
    assert review.returned(proposed, " too strong ")["review_note"] == "too strong"
    with pytest.raises(ValueError):
        review.returned(proposed, "  ")
    plan = review.proposed_plan(Plan(events=[event], edits={"x": event}), "dora")
    assert plan.events[0]["proposed_by"] == "dora" and plan.edits["x"]["review"] == "proposed"


def test_reviewed_only_filter(tmp_path: Path) -> None:
    ds = load_dataset(write_data_dir(tmp_path / "data", _events()))
    assert not ds.problems, ds.problems
    tables = build_tables(ds)
    options = FilterOptions.from_dataset(ds, tables)
    assert list(tables.events["review"].astype(object).fillna("reviewed")) == ["proposed", "reviewed"]  # by date
    everything = Filters.from_query({}, options)
    reviewed = Filters.from_query({"reviewed": "1"}, options)
    assert len(everything.apply(tables)) == 2 and list(reviewed.apply(tables)["id"]) == ["kaz-votes-isaf"]
    assert reviewed.to_query() == {"reviewed": "1"} and reviewed.slug() == "reviewed"
    assert reviewed.describe(options) == "Reviewed events only"
    bad = Filters.from_query({"reviewed": "yes"}, options)
    assert not bad.reviewed and "use reviewed=1" in bad.notes[0]


def test_a_briefing_says_whether_it_includes_unreviewed_events(tmp_path: Path) -> None:
    ds = load_dataset(write_data_dir(tmp_path / "data", _events()))
    tables = build_tables(ds)
    options = FilterOptions.from_dataset(ds, tables)

    def words(*slide: dict) -> str:
        briefing = Briefing.model_validate({"title": "B", "slides": list(slide)})
        return slides.review_words(briefing, tables, options)

    assert words({"page": "timeline", "heading": "All"}) == "Includes 1 unreviewed event (not yet accepted by a reviewer)"
    assert words({"page": "timeline", "heading": "Reviewed", "query": "reviewed=1"}) == "Reviewed events only"
    assert words({"event": "kaz-votes-isaf", "heading": "One"}) == "Reviewed events only"
    assert words({"event": "taliban-warns-kaz", "heading": "One"}).startswith("Includes 1 unreviewed")


@pytest.fixture
def team_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_data_dir(tmp_path / "data", _events())
    (root / "team.yaml").write_text(TEAM, encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=setup", "-c", "user.email=s@x", "commit", "-qm", "Start")
    for name, value in {"DASHBOARD_DATA_DIR": str(root), "DASHBOARD_CURATE": "1", "DASHBOARD_AUTH": "proxy",
                        "DASHBOARD_SAVE_LIMIT": "0"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    return root


def _review_tab(monkeypatch: pytest.MonkeyPatch, user: str) -> AppTest:
    monkeypatch.setattr(ui_team, "_proxy_user", lambda: user)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/curate.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _raw(folder: Path) -> dict[str, dict]:
    return {e["id"]: e for e in yaml.safe_load((folder / "events.yaml").read_text(encoding="utf-8"))["events"]}


def test_the_author_cannot_review_their_own_event(team_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui_team, "_proxy_user", lambda: "alice")
    at = _review_tab(monkeypatch, "alice")  # alice is a curator only: she sees the queue, no Accept
    assert "Review (1)" in [t.label for t in at.tabs]
    assert not [b for b in at.button if b.label == "Accept"]
    (team_repo / "team.yaml").write_text(TEAM.replace("alice: [curator]", "alice: [curator, reviewer]"), encoding="utf-8")
    at = _review_tab(monkeypatch, "alice")
    assert "You cannot review it: you proposed it" in " ".join(str(c.value) for c in at.caption)
    assert not [b for b in at.button if b.label == "Accept"]


def test_a_reviewer_accepts(team_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _review_tab(monkeypatch, "bob")
    assert not [t for t in at.text_area if t.key == "curate_article_body"]  # a reviewer only reviews
    next(b for b in at.button if b.label == "Accept").click().run()
    assert not at.exception and "Accepted event taliban-warns-kaz." in [str(s.value).replace("\\", "") for s in at.success]
    assert "review" not in _raw(team_repo)["taliban-warns-kaz"]
    assert _git(team_repo, "log", "-1", "--format=%an|%s").strip() == "bob|Accept event taliban-warns-kaz"


def test_a_reviewer_returns_with_a_comment(team_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _review_tab(monkeypatch, "bob")
    at.text_input(key="curate_review_note_taliban-warns-kaz").input("The quote does not say 'severe'").run()
    next(b for b in at.button if b.label == "Return with this comment").click().run()
    assert not at.exception
    event = _raw(team_repo)["taliban-warns-kaz"]
    assert (event["review"], event["review_note"], event["proposed_by"]) == ("returned", "The quote does not say 'severe'", "alice")
    at = _review_tab(monkeypatch, "alice")  # the curator sees the note and proposes a fix
    assert "Reviewer's note: The quote does not say 'severe'" in " ".join(str(w.value) for w in at.warning)
    next(b for b in at.button if b.label == "Fix and propose again").click().run()
    next(b for b in at.button if b.label == "Save and propose again").click().run()
    assert not at.exception, [e.value for e in at.exception]
    event = _raw(team_repo)["taliban-warns-kaz"]
    assert event["review"] == "proposed" and "review_note" not in event and event["proposed_by"] == "alice"
    assert _git(team_repo, "log", "-2", "--format=%an").split() == ["alice", "bob"]


def test_a_viewer_has_no_review(team_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui_team, "_proxy_user", lambda: "carol")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/curate.py")
