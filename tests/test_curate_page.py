"""The Curate page (AppTest): it exists only in curation mode; an article, its accepted events and a new actor
are saved through lib.model.store into the data folder, and the dashboard then shows them; a concurrent change is
refused with a way to reload; a broken event is fixed from its problem; hostile article text stays text."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from lib.model import store
from tests.conftest import key_numbers, make_events, page_scripts, write_data_dir
from tests.test_hostile_pages import UNESCAPED_MARKDOWN, rendered_markdown

ROOT = Path(__file__).resolve().parent.parent
BODY = ("ASTANA — Kazakhstan’s foreign ministry said on Monday that the Taliban had been removed from the "
        "country’s list of banned organisations.\n\nTrade between the two countries has grown, officials said.\n\n"
        "Kazakhstan lifted its sanctions on the Taliban, the ministry added.")  # fmt: skip
HOSTILE = "<script>alert(1)</script> [click](javascript:alert(2)) **bold** $x^2$ <img src=x onerror=alert(3)>"


def stored_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_data_dir(tmp_path / "data")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    return root


@pytest.fixture
def curating(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    return folder


def open_curate() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/curate.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def enter_article(at: AppTest, body: str = BODY, title: str = "Kazakhstan Removes Taliban From Banned List") -> None:
    at.text_area(key="curate_article_body").input(body)
    at.text_input(key="curate_article_title").input(title)
    at.text_input(key="curate_article_outlet").input("Test Wire")
    at.text_input(key="curate_article_outlet_short").input("tw")
    at.text_input(key="curate_article_published").input("2011-06-08")
    next(b for b in at.button if b.label == "Draft events").click().run()
    assert not at.exception, [e.value for e in at.exception]


def fill_event(at: AppTest, form: str, quote: str, **fields: object) -> None:
    values = {"title": "Kazakhstan removes the Taliban from its list of banned organisations",
              "summary": "Kazakhstan's foreign ministry said the Taliban were removed from the list.",
              "date": "2011-06-06", "date_note": "\"On Monday\" before the article of Wednesday 8 June 2011.",
              "actor": "KAZ", "target": "taliban", "countries": ["KAZ", "AFG"], "event_type": "verbal_cooperation",
              "stance": 1, **fields}  # fmt: skip
    for name in ("title", "date", "date_note", "id"):
        if name in values:
            at.text_input(key=f"{form}_{name}").input(str(values[name]))
    at.text_area(key=f"{form}_summary").input(str(values["summary"]))
    at.selectbox(key=f"{form}_actor").set_value(values["actor"])
    at.selectbox(key=f"{form}_target").set_value(values["target"])
    at.multiselect(key=f"{form}_countries").set_value(values["countries"])
    at.selectbox(key=f"{form}_event_type").set_value(values["event_type"])
    at.select_slider(key=f"{form}_stance").set_value(values["stance"])
    at.text_area(key=f"{form}_quote_0").input(quote)


def statuses(at: AppTest) -> list[str]:
    return [c.value.removeprefix("Status: ") for c in at.caption if c.value.startswith("Status: ")]


def add_by_hand(at: AppTest) -> str:
    """Add an event by hand (after the drafts); returns its form's key prefix."""
    index = len(statuses(at))
    submit(at, "Add an event by hand")
    return f"curate_form_{index}"


def submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- curation mode off: no page, no write path -----------------------------------------------------


def test_without_curation_mode_there_is_no_curate_page_and_nothing_can_write(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DASHBOARD_CURATE", raising=False)
    calls: list[str] = []
    monkeypatch.setattr(store, "save", lambda *a, **k: calls.append("save") or [])
    monkeypatch.setattr(store, "read_state", lambda *a, **k: calls.append("read_state") or {})
    before = stored_hashes(folder)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert "app_pages/curate.py" not in page_scripts()
    for page in page_scripts():
        at.switch_page(page).run()
        assert not at.exception, page
    with pytest.raises(ValueError, match="Could not find a navigation page") as refused:
        at.switch_page("app_pages/curate.py")  # the page is not registered with st.navigation
    assert "curate.py" not in str(refused.value).split("Known pages:")[1]
    direct = AppTest.from_file(str(ROOT / "app_pages" / "curate.py"), default_timeout=60).run()
    assert [e.value for e in direct.error] == ["The Curate page exists only in curation mode (scripts/start.sh --curate)."]
    assert not direct.text_area and not direct.button
    assert calls == [] and stored_hashes(folder) == before


def test_in_curation_mode_the_curate_page_is_in_the_navigation(curating: Path) -> None:
    from lib.ui.curate import curate_pages

    assert len(curate_pages()) == 1
    at = open_curate()
    assert [t.value for t in at.title] == ["Curate"]
    assert any(b.label == "Draft events" for b in at.button)


# --- adding an article --------------------------------------------------------------------------------


def test_an_article_with_an_accepted_event_and_a_new_actor_is_saved_and_the_dashboard_shows_it(curating: Path) -> None:
    at = open_curate()
    enter_article(at)
    article_id = "tw-2011-06-08-kazakhstan-removes-taliban-from-banned-list"
    assert any(article_id.replace("-", "\\-") in s.value for s in at.header)
    labels = {w.label: w for w in at.text_input}
    labels["Id (states: ISO-3 code; others: lower_case_slug)"].input("kaz_foreign_ministry")
    labels["Name"].input("Kazakh foreign ministry")
    next(s for s in at.selectbox if s.label == "Kind").set_value("government")
    next(s for s in at.selectbox if s.label == "Home country").set_value("KAZ")
    submit(at, "Add actor")
    assert any("Kazakh foreign ministry" in s.value for s in at.success)
    form = add_by_hand(at)
    assert statuses(at)[-1] == "**Proposed: not saved unless accepted**"
    fill_event(at, form, "Kazakhstan’s foreign ministry said on Monday that the Taliban had been removed",
                id="kazakhstan-delists-taliban", actor="kaz_foreign_ministry")  # fmt: skip
    submit(at, "Accept with these changes")
    assert statuses(at)[-1] == "**Accepted**"
    assert set(statuses(at)[:-1]) <= {"**Proposed: not saved unless accepted**"}, "drafts wait for a decision"
    submit(at, "Save to the data folder")
    assert not at.error, [e.value for e in at.error]
    assert any("Saved" in s.value for s in at.success)

    saved = yaml.safe_load((curating / "events.yaml").read_text(encoding="utf-8"))["events"]
    assert [e["id"] for e in saved] == ["kaz-votes-isaf", "taliban-warns-kaz", "kazakhstan-delists-taliban"]
    assert saved[-1]["sources"] == [{"article": article_id, "quote": "Kazakhstan’s foreign ministry said on Monday "
                                     "that the Taliban had been removed"}]  # fmt: skip
    assert (curating / "articles" / f"{article_id}.md").read_text(encoding="utf-8").endswith(BODY + "\n")
    actors = yaml.safe_load((curating / "actors.yaml").read_text(encoding="utf-8"))["actors"]
    assert actors[-1]["id"] == "kaz_foreign_ministry" and actors[-1]["colour"].startswith("#")

    dashboard = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert key_numbers(dashboard)["Events"] == "3"
    dashboard.switch_page("app_pages/events.py").run()
    assert "kazakhstan-delists-taliban" not in str(dashboard.dataframe[0].value.columns)
    assert "Kazakhstan removes the Taliban from its list of banned organisations" in set(dashboard.dataframe[0].value["title"])


def test_the_drafts_are_shown_beside_the_article_with_their_quotes_and_an_accepted_draft_is_saved(curating: Path) -> None:
    at = open_curate()
    enter_article(at)
    assert statuses(at), "the drafter proposes at least one event from this article"
    assert set(statuses(at)) == {"**Proposed: not saved unless accepted**"}
    article = next(m.value for m in at.markdown if "ASTANA" in m.value and "Trade between" in m.value)
    assert ":orange-background[**" in article, "each draft's quote is highlighted in the article text"
    accept = next(b for b in at.button if b.label == "Accept")
    accept.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert statuses(at)[0] == "**Accepted**"
    submit(at, "Save to the data folder")
    assert not at.error, [e.value for e in at.error]
    saved = yaml.safe_load((curating / "events.yaml").read_text(encoding="utf-8"))["events"]
    assert len(saved) == 3 and saved[-1]["sources"][0]["article"] == "tw-2011-06-08-kazakhstan-removes-taliban-from-banned-list"
    assert saved[-1]["sources"][0]["quote"] in BODY
    assert key_numbers(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run())["Events"] == "3"


def test_a_proposal_that_is_not_accepted_is_never_saved(curating: Path) -> None:
    at = open_curate()
    enter_article(at)
    form = add_by_hand(at)
    save = next(b for b in at.button if b.label == "Save to the data folder")
    assert save.disabled, "nothing accepted: nothing to save"
    before = stored_hashes(curating)
    fill_event(at, form, "Kazakhstan’s foreign ministry said on Monday", id="not-yet")
    # not submitted: the event is still a proposal
    assert stored_hashes(curating) == before


def test_an_edited_quote_that_is_not_verbatim_is_not_accepted_and_says_where_it_departs(curating: Path) -> None:
    at = open_curate()
    enter_article(at)
    form = add_by_hand(at)
    fill_event(at, form, "Kazakhstan's foreign ministry said on Monday", id="straight-apostrophe")
    submit(at, "Accept with these changes")
    (error,) = at.error
    assert "at character 11 of the quote" in error.value and "curly apostrophe" in error.value
    assert statuses(at)[-1] == "**Proposed: not saved unless accepted**"


def test_a_change_on_disk_since_the_page_read_the_folder_is_refused_then_reloaded_and_saved(curating: Path) -> None:
    at = open_curate()
    enter_article(at)
    form = add_by_hand(at)
    fill_event(at, form, "Trade between the two countries has grown", id="trade-grows")
    submit(at, "Accept with these changes")
    edited = (curating / "events.yaml").read_text(encoding="utf-8").replace("Kazakh parliament votes", "Parliament votes")
    (curating / "events.yaml").write_text(edited, encoding="utf-8")  # another curator's save
    submit(at, "Save to the data folder")
    assert any("changed on disk after this page read it" in e.value for e in at.error)
    assert (curating / "events.yaml").read_text(encoding="utf-8") == edited
    assert not (curating / "articles").joinpath("tw-2011-06-08-kazakhstan-removes-taliban-from-banned-list.md").exists()
    submit(at, "Reload the data folder (keeps your accepted events; then save again)")
    submit(at, "Save to the data folder")
    assert not at.error, [e.value for e in at.error]
    events = yaml.safe_load((curating / "events.yaml").read_text(encoding="utf-8"))["events"]
    assert events[0]["title"] == "Parliament votes to send troops to ISAF" and events[-1]["id"] == "trade-grows"


def test_a_broken_event_is_listed_with_its_problem_and_fixed_from_the_page(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = make_events()
    events[1]["sources"][0]["quote"] = "The Taliban has warned Kazakhstan that its decision to send troops would have severe consequences!"
    write_data_dir(folder.parent / folder.name, events)
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    at = open_curate()
    assert any(t.label == "Problems (1)" for t in at.tabs)
    assert any("does not appear verbatim" in m.value and "the article ends after" not in m.value for m in at.markdown)
    submit(at, "Fix this event")
    at.text_area(key="curate_fix_form_quote_0").input("The Taliban has warned Kazakhstan that its decision to send troops")
    submit(at, "Save the fixed event")
    assert any("Saved the fixed event taliban\\-warns\\-kaz" in s.value for s in at.success)
    assert any(t.label == "Problems (0)" for t in at.tabs)


def test_hostile_article_text_is_shown_as_text_and_saved_verbatim(curating: Path) -> None:
    at = open_curate()
    body = f"{HOSTILE}\n\nKazakhstan’s foreign ministry said on Monday that the Taliban had been removed."
    enter_article(at, body=body, title="Hostile <b>title</b>")
    assert any("\\<script\\>" in m.value for m in at.markdown), "the article text is shown, escaped"
    for kind, text in rendered_markdown(at):
        for what, pattern in UNESCAPED_MARKDOWN.items():
            assert not pattern.search(text), f"unescaped {what} in {kind}: {text!r}"
    form = add_by_hand(at)
    fill_event(at, form, "Kazakhstan’s foreign ministry said on Monday", id="hostile-article-event")
    submit(at, "Accept with these changes")
    submit(at, "Save to the data folder")
    assert not at.error, [e.value for e in at.error]
    (saved,) = [p for p in (curating / "articles").glob("tw-*.md")]
    assert HOSTILE in saved.read_text(encoding="utf-8")


def test_a_drafts_date_note_is_shown_once(curating: Path) -> None:
    at = open_curate()
    enter_article(at)
    dates = [c.value.replace("\\", "") for c in at.caption if c.value.replace("\\", "").startswith("Date: ")]
    # one "Date:" caption per card (a note repeated inside a card would give more captions than cards); two
    # cards may share a note ("Trade between the two countries has grown" and "Kazakhstan lifted ...", both undated)
    assert dates and len(dates) == len(statuses(at))


# --- issue 19: a country, a place in any country and a period added on the page; colours; file name ----------


def test_a_new_country_and_a_capital_outside_the_table_are_added_and_saved_with_the_event(curating: Path) -> None:
    at = open_curate()
    enter_article(at)
    labels = {w.label: w for w in at.text_input}
    labels["ISO-3 code (e.g. CHN)"].input("CHN")
    labels["Capital (optional)"].input("Beijing")
    next(s for s in at.selectbox if s.label == "Region").set_value("East Asia")
    submit(at, "Add country")
    assert any("China" in s.value and "outline on the map" in s.value for s in at.success), [s.value for s in at.success]
    next(w for w in at.text_input if w.label == "Town name").input("Beijing")
    submit(at, "Find")
    found = [m.value for m in at.markdown if "GeoNames" in m.value and "Beijing" in m.value]
    assert found and "(CHN)" in found[0].replace("\\", ""), "a capital outside the table is found in its own country"
    next(b for b in at.button if b.label == "Add" and b.key == "curate_add_place_0").click().run()
    assert not at.exception, [e.value for e in at.exception]
    form = add_by_hand(at)
    at.multiselect(key=f"{form}_countries").set_value(["KAZ", "CHN"])  # the new country is offered
    fill_event(at, form, "Kazakhstan’s foreign ministry said on Monday that the Taliban had been removed",
                id="kazakhstan-delists-taliban", countries=["KAZ", "CHN"])  # fmt: skip
    at.selectbox(key=f"{form}_place").set_value("beijing")
    at.selectbox(key=f"{form}_place_precision").set_value(1)
    at.text_input(key=f"{form}_place_note").input("Test: placed in Beijing.")
    submit(at, "Accept with these changes")
    assert statuses(at)[-1] == "**Accepted**", [e.value for e in at.error]
    panel = next(m.value for m in at.markdown if m.value.startswith("Will write"))
    assert "\\" not in panel and "articles/tw-2011-06-08-kazakhstan-removes-taliban-from-banned-list.md" in panel
    submit(at, "Save to the data folder")
    assert not at.error, [e.value for e in at.error]
    countries = yaml.safe_load((curating / "countries.yaml").read_text(encoding="utf-8"))["countries"]
    assert countries[-1] == {"iso3": "CHN", "name": "China", "region": "East Asia", "central_asia": False,
                             "capital": "Beijing"}  # fmt: skip
    places = yaml.safe_load((curating / "places.yaml").read_text(encoding="utf-8"))["places"]
    assert places[-1]["id"] == "beijing" and places[-1]["country"] == "CHN"
    saved = yaml.safe_load((curating / "events.yaml").read_text(encoding="utf-8"))["events"][-1]
    assert saved["place"] == "beijing" and saved["countries"] == ["KAZ", "CHN"]


def test_a_bad_country_code_is_refused(curating: Path) -> None:
    at = open_curate()
    enter_article(at)
    next(w for w in at.text_input if w.label == "ISO-3 code (e.g. CHN)").input("XQZ")
    submit(at, "Add country")
    assert any("not an ISO 3166-1 alpha-3" in e.value.replace("\\", "") for e in at.error), [e.value for e in at.error]


def test_a_period_is_saved_from_the_problems_tab_and_an_overlap_is_refused(curating: Path) -> None:
    at = open_curate()
    labels = {w.label: w for w in at.text_input}
    labels["Id (lower-case slug, e.g. taliban-government-2021)"].input("overlap")
    labels["Label"].input("Overlapping")
    labels["Start (YYYY-MM-DD)"].input("2011-06-01")
    labels["End (YYYY-MM-DD)"].input("2012-12-31")
    submit(at, "Save the period")
    assert any("overlaps period 'isaf-2011'" in e.value.replace("\\", "") for e in at.error), [e.value for e in at.error]
    labels = {w.label: w for w in at.text_input}
    labels["Id (lower-case slug, e.g. taliban-government-2021)"].input("taliban-government-2021")
    labels["Label"].input("2021– the Taliban government")
    labels["Start (YYYY-MM-DD)"].input("2021-08-15")
    labels["End (YYYY-MM-DD)"].input("2026-12-31")
    submit(at, "Save the period")
    periods = yaml.safe_load((curating / "periods.yaml").read_text(encoding="utf-8"))["periods"]
    assert periods[-1] == {"id": "taliban-government-2021", "label": "2021– the Taliban government",
                           "start": "2021-08-15", "end": "2026-12-31"}  # fmt: skip


def test_the_new_actor_form_proposes_a_colour_no_actor_uses(curating: Path) -> None:
    at = open_curate()
    enter_article(at)
    colour = next(s for s in at.selectbox if s.label.startswith("Colour")).value
    used = {a["colour"].upper() for a in yaml.safe_load((curating / "actors.yaml").read_text(encoding="utf-8"))["actors"]}
    assert colour.upper() not in used and colour.upper() != "#DDDDDD"
def test_each_card_shows_its_confidence_its_reason_and_its_other_readings_a_click_away(curating: Path) -> None:
    at = open_curate()
    enter_article(at, "Kazakhstan and the Taliban signed a transit agreement on 3 May 2011.\n\n"
                   "Kazakhstan asked NATO and the Taliban for talks on 4 May 2011.")  # fmt: skip

    def confidences() -> list[str]:
        return [c.value.replace("\\", "") for c in at.caption if c.value.startswith("Confidence ")]

    assert confidences() and len(confidences()) == len(statuses(at)), "every card says how sure the drafter is"
    assert all("drafted because: " in c and len(c.split("drafted because: ")[1]) > 10 for c in confidences())
    shown = [float(c.split()[1]) for c in confidences()]
    assert shown == sorted(shown, reverse=True), "cards ordered by confidence"
    readings = [s for s in at.selectbox if (s.key or "").startswith("curate_reading_")]
    assert readings, "a card with alternatives offers them"
    box = readings[0]
    index = int(box.key.split("_")[2])
    assert len(box.options) >= 2 and box.value == 0
    lines = [m.value for m in at.markdown if " · stance " in m.value]
    box.set_value(1).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value for m in at.markdown if " · stance " in m.value] != lines, "the card now shows the other reading"
    assert statuses(at)[index] == "**Proposed: not saved unless accepted**"
    assert float(confidences()[index].split()[1]) <= shown[index], "an alternative is no surer than the first reading"
    next(b for i, b in enumerate(b for b in at.button if b.label == "Accept") if i == index).click().run()
    assert not at.exception and statuses(at)[index] == "**Accepted**"


def test_a_card_drafted_through_a_reference_says_whom_the_words_were_read_as(curating: Path) -> None:
    at = open_curate()
    enter_article(at, "The Taliban seized two villages near the border on 3 May 2011.\n\n"
                   "Kazakhstan condemned the militants on 4 May 2011.")  # fmt: skip
    reasons = [c.value.replace("\\", "") for c in at.caption if c.value.startswith("Confidence ")]
    resolved = [r for r in reasons if "“the militants” read as Taliban" in r]
    assert resolved, reasons
    assert "the armed group the article has named most up to here" in resolved[0], "the reason says why that group"
