"""Load-test sessions that speak Streamlit's own websocket protocol instead of driving a browser.

A browser session costs a core's worth of JavaScript (plotly.js, React) per page drawn, so on a
2-core machine a few dozen browsers measure themselves, not the server. A protocol session sends
what the browser sends on `/_stcore/stream` (a `BackMsg` asking for a rerun, with the URL's query,
the page and the widget states that changed) and times the server's answer up to its
`script_finished`. It reads back what the browser would draw: the "Showing: …" caption, each chart's
subtitle in its figure JSON, the URL the app writes, exception boxes, and the download buttons,
whose files it fetches over HTTP as the browser would. Nothing is rendered, so the figures are the
server's: script time, serialisation and the websocket, under N concurrent sessions.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlparse

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from lib.model.filters import FilterOptions, Filters

if TYPE_CHECKING:
    from bench.load_test import PageLink, Session

STEP_TIMEOUT_S = 60.0
OPEN_TIMEOUT_S = 120.0


@dataclass
class Run:
    """What one script run sent: elements by delta path, the query the app wrote, time and bytes."""

    elements: dict[tuple[int, ...], Any] = field(default_factory=dict)
    query: str | None = None
    seconds: float = 0.0
    frames: int = 0
    bytes: int = 0
    finished: int | None = None

    def of_kind(self, kind: str) -> list[Any]:
        return [getattr(e, kind) for _, e in sorted(self.elements.items()) if e.WhichOneof("type") == kind]

    def captions(self) -> list[str]:
        return [m.body.strip() for m in self.of_kind("markdown")]

    def subtitles(self) -> list[str]:
        found = []
        specs = [chart.spec for chart in self.of_kind("plotly_chart")]
        for element in self.of_kind("bidi_component"):  # the app's chart element (lib/ui/chart_element.py)
            try:
                specs.append(json.loads(element.json)["spec"])
            except (ValueError, KeyError, TypeError):
                continue
        for spec in specs:
            try:
                title = json.loads(spec).get("layout", {}).get("title", {})
            except ValueError:
                continue
            subtitle = title.get("subtitle", {}).get("text") if isinstance(title, dict) else None
            if subtitle:
                found.append(str(subtitle))
        return found

    def widget(self, kind: str, label: str) -> Any | None:
        return next((w for w in self.of_kind(kind) if w.label == label), None)



def _state_of(element: Any) -> WidgetState | None:
    """The value a drawn widget holds in the browser, in the form the browser sends it."""
    kind = element.WhichOneof("type")
    widget = getattr(element, kind) if kind else None
    state = WidgetState()
    if kind == "slider":
        state.double_array_value.data.extend(widget.value if widget.set_value else widget.default)
    elif kind == "multiselect":
        values = widget.raw_values if widget.set_value else [widget.options[i] for i in widget.default]
        state.string_array_value.data.extend(values)
    elif kind == "button_group":
        values = widget.raw_values if widget.set_value else [widget.options[i].content for i in widget.default]
        state.string_array_value.data.extend(values)
    elif kind in ("selectbox", "radio"):
        if widget.set_value:
            state.string_value = widget.raw_value
        elif widget.HasField("default") and 0 <= widget.default < len(widget.options):
            state.string_value = widget.options[widget.default]
        else:
            return None
    elif kind in ("checkbox", "toggle"):
        state.bool_value = widget.value if widget.set_value else widget.default
    elif kind == "text_input":
        state.string_value = widget.value if widget.set_value else widget.default
    elif kind == "number_input":
        state.double_value = widget.value if widget.set_value else widget.default
    else:
        return None
    state.id = widget.id
    return state


class Client:
    """One browser tab's websocket session with the server."""

    def __init__(self, base: str, credentials: dict[str, str] | None = None) -> None:
        self.base = base
        self.headers: dict[str, str] = {}
        if credentials:
            token = base64.b64encode(f"{credentials['username']}:{credentials['password']}".encode()).decode()
            self.headers["Authorization"] = f"Basic {token}"
        self.ws: Any = None
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.query = ""
        self.sent_hashes: dict[str, ForwardMsg] = {}
        self.held: dict[str, WidgetState] = {}  # each widget's value as the browser holds it
        self.session_id = ""

    def widget_states(self, changed: WidgetState | None = None) -> list[WidgetState]:
        """The values the browser holds, with `changed` in its place: it sends them all with each rerun."""
        if changed is not None:
            self.held[changed.id] = changed
        return list(self.held.values())

    def _hold(self, element: Any) -> None:
        """A drawn widget: the browser takes its value when it first appears or when the app sets it."""
        kind = element.WhichOneof("type")
        widget = getattr(element, kind) if kind else None
        if widget is None or not hasattr(widget, "set_value"):
            return
        if widget.set_value or widget.id not in self.held:
            state = _state_of(element)
            if state is not None:
                self.held[state.id] = state

    async def connect(self) -> None:
        parsed = urlparse(self.base)
        cookie = await asyncio.to_thread(self._index_cookie)
        if cookie:  # sent with every later request, as a browser does (nginx routes by it)
            self.headers["Cookie"] = cookie
        headers = self.headers
        self.ws = await websockets.connect(
            f"ws://{parsed.netloc}/_stcore/stream", subprotocols=["streamlit"], origin=self.base,
            additional_headers=headers, max_size=None, open_timeout=OPEN_TIMEOUT_S)  # fmt: skip

    def _index_cookie(self) -> str:
        """Load the page as a browser does first (nginx's sticky cookie and Streamlit's XSRF cookie)."""
        request = urllib.request.Request(self.base + "/", headers=self.headers)
        with urllib.request.urlopen(request, timeout=OPEN_TIMEOUT_S) as response:
            response.read()
            cookies = response.headers.get_all("Set-Cookie") or []
        return "; ".join(c.split(";", 1)[0] for c in cookies)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def rerun(self, *, query: str | None = None, page_hash: str | None = None, page_name: str = "",
                    widgets: list[Any] = (), timeout: float = STEP_TIMEOUT_S) -> Run:  # fmt: skip
        """Ask for a rerun as the browser does and collect everything up to `script_finished`."""
        message = BackMsg()
        state = message.rerun_script
        if query is not None:
            self.query = query
        state.query_string = self.query
        state.page_script_hash = self.page_hash if page_hash is None else page_hash
        state.page_name = page_name
        state.widget_states.widgets.extend(widgets)
        state.context_info.url = f"{self.base}/?{state.query_string}"
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-GB"
        run = Run()
        start = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        await asyncio.wait_for(self._collect(run), timeout)
        run.seconds = time.perf_counter() - start
        if run.query is not None:
            self.query = run.query
        return run

    async def _collect(self, run: Run) -> None:
        while True:
            raw = await self.ws.recv()
            run.frames += 1
            run.bytes += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            if msg.hash:
                self.sent_hashes[msg.hash] = msg
            kind = msg.WhichOneof("type")
            if kind == "ref_hash":  # an element the server knows this client holds: the earlier copy
                cached = self.sent_hashes.get(msg.ref_hash)
                if cached is None:
                    continue
                metadata = msg.metadata
                msg = cached
                msg.metadata.CopyFrom(metadata)
                kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "page_info_changed":
                run.query = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                run.elements[tuple(msg.metadata.delta_path)] = msg.delta.new_element
                self._hold(msg.delta.new_element)
            elif kind == "script_finished":
                run.finished = msg.script_finished
                if msg.script_finished in (0, 3):  # FINISHED_SUCCESSFULLY, FINISHED_FRAGMENT_RUN_SUCCESSFULLY
                    return
                if msg.script_finished == 2:  # FINISHED_EARLY_FOR_RERUN: the app asked for another run
                    continue
                return

    async def deferred_url(self, file_id: str, timeout: float = STEP_TIMEOUT_S) -> str:
        """A download built on click (a deferred file): ask the server to build it, as the browser does."""
        message = BackMsg()
        request = message.backend_operation_request
        request.request_id = uuid.uuid4().hex
        request.session_id = self.session_id
        request.deferred_file.file_id = file_id
        await self.ws.send(message.SerializeToString())

        async def answer() -> str:
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await self.ws.recv())
                if msg.WhichOneof("type") != "backend_operation_response":
                    continue
                response = msg.backend_operation_response
                if response.request_id != request.request_id:
                    continue
                if response.error_msg:
                    raise RuntimeError(f"the server could not build the download: {response.error_msg}")
                return response.deferred_file.url

        return await asyncio.wait_for(answer(), timeout)

    def fetch(self, url: str) -> bytes:
        """A download button's file, fetched as the browser would (same cookies and credentials)."""
        request = urllib.request.Request(url if "://" in url else self.base + url, headers=self.headers)
        with urllib.request.urlopen(request, timeout=STEP_TIMEOUT_S) as response:
            return response.read()


def _query_of(session: Session, options: FilterOptions) -> str:
    return urlencode(session.filters(options).to_query())


def check_view(session: Session, run: Run, client: Client, expected: Filters, options: FilterOptions, what: str,
               filtered: bool) -> None:  # fmt: skip
    """The run finished, sent no exception box, and (as a browser session checks it) the URL, the caption
    and chart subtitles state the session's own filters only."""
    from bench import load_test

    if run.finished not in (0, 3):
        session.errors.append(f"{what}: the script did not finish (script_finished {run.finished})")
    exceptions = run.of_kind("exception")
    if exceptions:
        session.errors.append(f"{what}: exception box: {exceptions[0].message[:120]}")
    view = {"captions": run.captions(), "subtitles": run.subtitles(), "exceptions": 0}
    load_test.check_view(session, view, f"{client.base}/?{client.query}", expected, options, what, filtered)


async def run_session(session: Session, base: str, options: FilterOptions, pages: list[PageLink],
                      seconds: float, max_steps: int, delay: float = 0.0, think: float = 0.0,
                      credentials: dict[str, str] | None = None) -> None:  # fmt: skip
    """One session: open its permalink, then loop through filter changes, page switches and exports."""
    from bench.load_test import rotation

    visible = rotation(pages)
    client = Client(base, credentials)
    await asyncio.sleep(delay)
    try:
        expected = session.filters(options)
        start = time.perf_counter()
        await client.connect()
        run = await client.rerun(query=_query_of(session, options), page_name=session.page.url_path,
                                 page_hash="", timeout=OPEN_TIMEOUT_S)  # fmt: skip
        session.open_seconds = time.perf_counter() - start
        client.page_hash = client.pages.get(session.page.url_path, client.page_hash)
        check_view(session, run, client, expected, options, "open", session.page.filtered)
        deadline = time.monotonic() + seconds
        kinds = ["years", "page", "country", "export", "years", "page"]
        pause = random.Random(session.n)
        while session.steps < max_steps and time.monotonic() < deadline:
            if think > 0:
                await asyncio.sleep(pause.uniform(0.5 * think, 1.5 * think))
            kind = kinds[session.steps % len(kinds)]
            session.steps += 1
            try:
                if kind in ("years", "country"):
                    run = await _filter_step(client, run, session, options, kind, pause)
                elif kind == "page":
                    run = await _page_step(client, run, session, options, visible)
                else:
                    run = await _export_step(client, run, session, options, visible)
            except Exception as exc:  # noqa: BLE001 - every failure is counted, the session goes on
                session.errors.append(f"step {session.steps} ({kind}): {type(exc).__name__}: {str(exc)[:200]}")
                if isinstance(exc, websockets.ConnectionClosed):
                    break
    except Exception as exc:  # noqa: BLE001
        session.errors.append(f"open: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await client.close()


async def _filter_step(client: Client, run: Run, session: Session, options: FilterOptions, kind: str,
                       pause: random.Random) -> Run:  # fmt: skip
    """Change the years (the slider's two values) or the countries (the multiselect's labels)."""
    state = WidgetState()
    low, high = options.years
    if kind == "years":
        slider = run.widget("slider", "Years")
        if slider is None:
            raise RuntimeError("no 'Years' slider on the page")
        year_from, year_to = session.years
        if session.steps % 2:
            year_from = min(year_to - 1, year_from + 1) if year_from < year_to - 1 else max(low, year_from - 1)
        else:
            year_to = max(year_from + 1, year_to - 1) if year_to > year_from + 1 else min(high, year_to + 1)
        state.id = slider.id
        state.double_array_value.data.extend([float(year_from), float(year_to)])
        session.years = (year_from, year_to)
    else:
        select = run.widget("multiselect", "Countries")
        if select is None:
            raise RuntimeError("no 'Countries' multiselect on the page")
        codes = list(options.countries)
        code = pause.choice([c for c in codes if c not in session.countries] or codes)
        session.countries = (session.countries + [code])[-2:]
        labels = [options.countries.get(c, c) for c in session.countries]
        state.id = select.id
        state.string_array_value.data.extend(labels)
    expected = session.filters(options)
    new = await client.rerun(widgets=client.widget_states(state))
    session.filter_changes.append(new.seconds)
    check_view(session, new, client, expected, options, f"step {session.steps} filter", session.page.filtered)
    return _merged(run, new)


def _merged(old: Run, new: Run) -> Run:
    """Elements not resent in a rerun stay on the page (the browser keeps them): the page as it stands."""
    merged = Run(dict(old.elements), new.query, new.seconds, new.frames, new.bytes, new.finished)
    merged.elements.update(new.elements)
    return merged


async def _page_step(client: Client, run: Run, session: Session, options: FilterOptions,
                     visible: list[PageLink]) -> Run:  # fmt: skip
    from bench.load_test import next_page

    target = next_page(session, visible)
    expected = session.filters(options)
    page_hash = client.pages.get("" if target.default else target.url_path)
    if page_hash is None:
        raise RuntimeError(f"the navigation lists no page {target.url_path!r}")
    run = await client.rerun(page_hash=page_hash, page_name=target.url_path, widgets=client.widget_states())
    client.page_hash = page_hash
    session.page_switches.append(run.seconds)
    session.page = target
    check_view(session, run, client, expected, options, f"step {session.steps} page", target.filtered)
    return run


async def _export_step(client: Client, run: Run, session: Session, options: FilterOptions,
                       visible: list[PageLink], hops: int = 0) -> Run:  # fmt: skip
    """Fetch a download offered on the page (a CSV first, else a chart's SVG/PNG/HTML), as a click would."""
    buttons = [b for b in run.of_kind("download_button") if (b.url or b.deferred_file_id) and not b.disabled]
    rank = {label: n for n, label in enumerate(("CSV", "SVG", "PNG", "HTML"))}
    buttons.sort(key=lambda b: min((n for label, n in rank.items() if label in b.label), default=4))
    if not buttons:
        session.exports_skipped += 1
        if hops < len(visible) - 1:
            run = await _page_step(client, run, session, options, visible)
            return await _export_step(client, run, session, options, visible, hops + 1)
        return run
    button = buttons[0]
    start = time.perf_counter()
    url = button.url or await client.deferred_url(button.deferred_file_id)
    body = await asyncio.to_thread(client.fetch, url)
    session.exports.append(time.perf_counter() - start)
    if not body:
        session.errors.append(f"step {session.steps} export: {button.label!r} gave an empty file")
    return run
