"""lib/ui/'s Streamlit glue that can be tested without running a page."""

from __future__ import annotations

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MediaFileStorageError, MemoryMediaFileStorage

from lib import ui
from lib.ui.chart_element import drawn_charts


def _made_then_swept(monkeypatch: pytest.MonkeyPatch, grace: float) -> MemoryMediaFileStorage:
    """A deferred download made, then two other sessions' reruns sweeping orphaned files."""
    monkeypatch.setattr(ui.server, "DOWNLOAD_GRACE_SECONDS", grace)
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    placeholder = manager.add_deferred(lambda: b"a,b\n1,2\n", "text/csv", "coords", "events.csv")
    url = manager.execute_deferred(placeholder)
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    return storage, url.rsplit("/", 1)[-1].split(".")[0]


def test_a_deferred_download_outlives_other_sessions_reruns(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ui.keep_downloads() is True
    storage, file_id = _made_then_swept(monkeypatch, grace=120)
    assert storage.get_file(file_id).content == b"a,b\n1,2\n"


def test_after_the_grace_period_the_download_is_swept_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ui.keep_downloads() is True
    storage, file_id = _made_then_swept(monkeypatch, grace=0)
    with pytest.raises(MediaFileStorageError):
        storage.get_file(file_id)


def _added_then_left(monkeypatch: pytest.MonkeyPatch, grace: float, *, download: bool) -> tuple:
    """A file a session's rerun added (a download button's bytes, or media), then the session moved
    on (its references cleared) and two reruns swept orphaned files."""
    monkeypatch.setattr(ui.server, "DOWNLOAD_GRACE_SECONDS", grace)
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    url = manager.add(b"%PDF-1.7 pack", "application/pdf", "coords", "pack.pdf", is_for_static_download=download)
    manager.clear_session_refs()
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    return storage, url.rsplit("/", 1)[-1].split(".")[0]


def test_a_download_buttons_bytes_also_outlive_the_sweeps_but_media_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ui.keep_downloads() is True
    storage, file_id = _added_then_left(monkeypatch, 120, download=True)
    assert storage.get_file(file_id).content == b"%PDF-1.7 pack"
    storage, file_id = _added_then_left(monkeypatch, 120, download=False)  # images, audio: swept as before
    with pytest.raises(MediaFileStorageError):
        storage.get_file(file_id)
    storage, file_id = _added_then_left(monkeypatch, 0, download=True)
    with pytest.raises(MediaFileStorageError):
        storage.get_file(file_id)


def test_figures_are_built_once_shared_and_left_unchanged_by_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    from pathlib import Path

    import plotly.io as pio
    from streamlit.testing.v1 import AppTest

    from lib.model.filters import Filters
    from lib.ui.render import sent_figure, sent_json

    root = Path(__file__).resolve().parent.parent
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root / "data"))
    folder = ui.cached.resolve_data_dir()
    args = ("by_year", str(folder), ui.cached.data_fingerprint(folder), Filters(), ())
    fig = ui.cached.cached_figure(*args)
    before = fig.to_json()
    at = AppTest.from_file(str(root / "dashboard.py"), default_timeout=60).run()  # the overview draws it
    assert not at.exception
    assert ui.cached.cached_figure(*args) is fig and fig.to_json() == before
    drawn = [chart.spec for chart in drawn_charts(at)]
    assert json.loads(pio.to_json(sent_figure(fig), validate=False)) in drawn  # the browser's copy, made once
    assert sent_figure(fig) is sent_figure(fig)
    assert sent_json(fig) is sent_json(fig) and json.loads(sent_json(fig)) in drawn  # serialised once, as sent


def test_each_session_loads_a_private_copy_of_one_shared_load(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    import streamlit as st

    def new_session() -> None:  # bare mode has one session state: a new session starts with nothing kept
        st.session_state.pop(ui.Keys.run_data, None)

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(Path(__file__).resolve().parent.parent / "data"))
    new_session()
    first = ui.load()
    assert ui.load() is first, "a rerun of the same session reuses its copy"
    new_session()
    second = ui.load()
    assert first is not second and first.dataset is not second.dataset
    first.dataset.problems.append("a session's own note")
    first.tables.sources.loc[first.tables.sources.index[0], "quote"] = "changed"
    assert second.dataset.problems == [] and second.tables.sources["quote"].iloc[0] != "changed"
    new_session()
    assert ui.load().tables.sources["quote"].iloc[0] != "changed"


def test_overview_parts_are_computed_once_per_view_and_handed_out_as_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from lib.model.filters import Filters
    from lib.views import aggregate, sources

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(Path(__file__).resolve().parent.parent / "data"))
    loaded = ui.load()
    filters = Filters(countries=("KAZ",))
    events = filters.apply(loaded.tables)
    view = ui.View(loaded, filters, events, filters.describe(loaded.options))
    first, second = ui.overview_parts(view), ui.overview_parts(view)
    assert first.numbers == aggregate.key_numbers(events, loaded.tables)
    assert first.span == aggregate.date_span(events)
    assert first.periods.equals(aggregate.period_counts(events, loaded.meta.periods))
    assert first.articles.equals(sources.articles_table(loaded.dataset, loaded.tables, events))
    first.periods.loc[first.periods.index[0], "events"] = -1
    first.numbers["events"] = -1
    assert second.periods["events"].iloc[0] != -1 and ui.overview_parts(view).numbers["events"] != -1
    assert ui.stance_targets() == aggregate.stance_targets(loaded.tables.events)


def test_a_rerun_filters_the_events_once_for_the_sidebar_and_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parent.parent
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root / "data"))
    at = AppTest.from_file(str(root / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/timeline.py").run()  # figures for this view now cached
    calls = []
    original = ui.cached.filtered_events
    monkeypatch.setattr(ui.cached, "filtered_events", lambda *args: calls.append(args) or original(*args))
    at.run()
    assert not at.exception and not calls  # the same view: this session's copy of its rows is kept (session_rows)
    at.session_state[ui.Keys.countries] = ["KAZ"]
    at.run()
    assert not at.exception and len(calls) == 2  # the sidebar's new view, and its figure
    assert ui.Keys.run_view not in at.session_state  # handed over and dropped: no session keeps its events
    assert at.caption[0].value.startswith("Showing: Kazakhstan")
    at.session_state[ui.Keys.countries] = []
    at.run()
    assert not at.exception and len(calls) == 2  # back to a view this session showed: nothing filtered again
    assert at.caption[0].value == "Showing: All events"


def test_one_fit_style_element_sizes_several_charts() -> None:
    """The overview's two fitted charts share one style element (issue 24 round 10): each keyed box gets its own
    height rule, capped at its figure's height, and the page's CSS comes once."""
    import plotly.graph_objects as go

    from lib.ui.render import FIT_MIN, PAGE_CSS

    first = go.Figure(layout={"height": 400})
    css = ui.fit_css("a_chart", first, ("b_chart", go.Figure(layout={"height": 840})))
    assert css.count("<style>") == 1 and css.count("</style>") == 1 and css.endswith("</style>")
    assert css.count(PAGE_CSS.removeprefix("<style>").removesuffix("</style>").strip()) == 1
    assert f".st-key-a_chart {{flex: none !important; height: clamp({FIT_MIN}px, " in css and "400px) !important" in css
    assert ".st-key-b_chart {flex: none !important;" in css and "840px) !important" in css
    assert ui.fit_css("a_chart", first) == css[:css.index("\n.st-key-b_chart")] + "</style>", "one chart: as before"


def test_the_reviewed_only_box_shows_once_an_event_carries_a_review_mark(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sidebar asks the data whether any event is under review once per version of the data (issue 24
    round 14), so the box must still follow the data: absent while no event has a mark, there after one gets one."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from tests.conftest import make_events, write_data_dir, write_yaml

    folder = write_data_dir(tmp_path / "data")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    entry = str(Path(__file__).resolve().parent.parent / "dashboard.py")
    at = AppTest.from_file(entry, default_timeout=60).run()
    assert not at.exception and [box.label for box in at.checkbox] == []
    events = make_events()
    events[1] |= {"review": "proposed", "proposed_by": "curator"}
    write_yaml(folder / "events.yaml", {"events": events})
    at = AppTest.from_file(entry, default_timeout=60).run()
    assert not at.exception and [box.label for box in at.checkbox] == ["Reviewed events only"]


def test_key_numbers_are_one_description_list_with_their_caption_all_text_escaped() -> None:
    from lib.ui.key_numbers import key_numbers_html

    body = key_numbers_html([("Events", "12"), ("Years", "2010–2011"), ("<b>", "a&b")], "12 events from 2010 <to> 2011.")
    assert "<dl><div><dt>Events</dt><dd>12</dd></div><div><dt>Years</dt><dd>2010–2011</dd></div>" in body
    assert "<dt>&lt;b&gt;</dt><dd>a&amp;b</dd>" in body and "<b>" not in body
    assert body.endswith("<p>12 events from 2010 &lt;to&gt; 2011.</p></div>")


def test_a_section_is_one_heading_caption_and_body_with_its_text_escaped() -> None:
    from lib.ui.sections import section_html

    body = section_html("Events concerning <Kazakhstan>", "a & b", "<ul><li>x</li></ul>")
    assert '<section class="page-section"><h2>Events concerning &lt;Kazakhstan&gt;</h2>' in body
    assert body.endswith('<p class="caption">a &amp; b</p><ul><li>x</li></ul></section>')


def test_once_per_process_runs_the_first_call_only_even_at_once() -> None:
    import threading
    import time

    from lib.ui.server import once_per_process

    started: list[tuple] = []

    @once_per_process
    def start(*args: object) -> bool:
        started.append(args)
        time.sleep(0.05)  # the other threads arrive while the first one runs
        return True

    threads = [threading.Thread(target=start, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(started) == 1
    assert start("later") is True and len(started) == 1  # later calls get the first answer, whatever they pass
