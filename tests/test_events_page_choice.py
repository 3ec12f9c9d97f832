"""The events page's chosen event across the switch between its two ways of choosing (issue 24 round 14): a box of the
listed events while the table lists ui.PICKER_LIMIT or fewer, a click in the table (no box) above that. Under AppTest
on the small fixture, with the limit lowered so its two events are "more" than a box holds."""

from __future__ import annotations

import pytest

from tests.test_pages import fixture_data, open_page  # noqa: F401 - fixture_data: the fixture, by name


def _headers(at) -> list[str]:
    return [h.value for h in at.header]


@pytest.mark.usefixtures("fixture_data")
def test_an_event_chosen_in_the_box_stays_open_when_the_search_widens_past_the_box(monkeypatch: pytest.MonkeyPatch) -> None:
    from lib import ui

    monkeypatch.setattr(ui, "PICKER_LIMIT", 1)
    at = open_page("events")
    at.text_input(key="events_search").input("warn").run()  # one event listed: the box is drawn
    (box,) = [s for s in at.selectbox if s.key == "events_pick"]
    box.set_value("taliban-warns-kaz").run()
    assert "Taliban warn Kazakhstan" in _headers(at)
    at.text_input(key="events_search").input("").run()  # both events listed: no box, the event still open
    assert not [s for s in at.selectbox if s.key == "events_pick"]
    assert "Taliban warn Kazakhstan" in _headers(at)
    at.run()  # any later run (a button under the event, a panel opened): the reader changed nothing
    assert "Taliban warn Kazakhstan" in _headers(at), "the chosen event closed by itself"
