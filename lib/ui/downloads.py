"""Download buttons for charts, data and the briefing pack. The work happens in lib/exports/export.py and
lib/exports/pack.py; files are built only when a button is clicked (Streamlit runs the callable in a
worker thread) and cached by figure JSON and format."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from lib.errors import DashboardError
from lib.model.filters import Filters, escape_markdown
from lib.ui.cached import FILTERS_HASH, View, data_version, filtered_events, load_copy
from lib.ui.keys import ExportKeys
from lib.wording import count


@st.cache_data(max_entries=256, show_spinner=False)
def _chart_file(fig_json: str, fmt: str, source_line: str, exported_on: str, stem: str) -> bytes:
    import plotly.io as pio

    from lib.exports import export

    return export.export_figure(pio.from_json(fig_json), fmt, source_line=source_line, exported_on=exported_on,
                                stem=stem)  # fmt: skip


def _chart_file_later(fig: go.Figure, fmt: str, source_line: str, exported_on: str, stem: str) -> bytes:
    """Called on click (in Streamlit's worker thread): the figure is serialised only then."""
    return _chart_file(fig.to_json(), fmt, source_line, exported_on, stem)


def _export_date() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


def chart_downloads(fig: go.Figure, stem: str, view: View, *, key: str | None = None) -> None:
    """A compact row of download buttons under a chart: PNG (2x, slide-sized), SVG, PDF and an
    offline interactive HTML, each carrying the chart's title, filters, source line and export date.

    Without Chrome/Chromium on the server the static buttons are disabled and say how to install one.
    """
    import functools

    from lib.exports import export

    stem = export.clean_stem(stem)
    source_line = view.loaded.meta.source_line(export.source_articles(view.events, view.loaded.tables))
    available, why = export.static_export_available()
    labels = {"png": "PNG", "svg": "SVG", "pdf": "PDF", "html": "Interactive HTML"}
    with st.container(horizontal=True, gap="small"):
        for fmt in export.FORMATS:
            usable = available or fmt not in export.STATIC_FORMATS
            st.download_button(
                labels[fmt], data=functools.partial(_chart_file_later, fig, fmt, source_line, _export_date(), stem),
                file_name=f"{stem}.{fmt}", mime=export.MIME_TYPES[fmt], key=f"export_{key or stem}_{fmt}",
                on_click="ignore", icon=":material/download:", disabled=not usable,
                help=f"Download {stem}.{fmt}" if usable else why,
            )  # fmt: skip
    if not available:
        st.caption(escape_markdown(why))


@st.cache_data(max_entries=32, show_spinner=False, hash_funcs=FILTERS_HASH)
def _events_file(folder: str, fingerprint: str, filters: Filters, fmt: str,
                 exported_on: str) -> bytes:  # fmt: skip
    from lib.exports import export

    loaded = load_copy(folder, fingerprint)
    events = filtered_events(folder, fingerprint, filters)
    frame = export.events_export_frame(events, loaded.tables, loaded.dataset, loaded.meta)
    if fmt == "csv":
        return export.events_csv(frame)
    source_line = loaded.meta.source_line(export.source_articles(events, loaded.tables))
    about = export.export_about(filters, filters.describe(loaded.options), source_line, exported_on)
    return export.events_xlsx(frame, about=about)


def data_downloads(view: View, *, key: str = "events") -> None:
    """CSV (UTF-8 with BOM) and Excel downloads of the filtered events with quotes and citations."""
    import functools

    from lib.exports import export

    folder, fingerprint = data_version()
    filters = view.filters.without_notes()
    with st.container(horizontal=True, gap="small"):
        for fmt, label in (("csv", "Events as CSV"), ("xlsx", "Events as Excel")):
            name = export.file_name("events", filters, fmt)
            st.download_button(
                label, data=functools.partial(_events_file, folder, fingerprint, filters, fmt, _export_date()),
                file_name=name, mime=export.MIME_TYPES[fmt], key=f"export_{key}_{fmt}", on_click="ignore",
                icon=":material/table_view:", disabled=view.events.empty,
                help=f"Download {name}: {count(len(view.events), 'event')} with their quotes and article citations",
            )  # fmt: skip


def briefing_button(view: View, *, key: str = "briefing") -> None:
    """One button that builds the briefing pack of the current view (PDF and offline HTML), with
    progress, then offers both for download. A pack built for other filters is not offered."""
    from lib.exports import export
    from lib.exports import pack as briefing

    filters = view.filters.without_notes()
    stored = st.session_state.get(ExportKeys.briefing)
    if st.button("Build briefing pack", key=f"{key}_build", icon=":material/picture_as_pdf:",
                 help="A PDF and an offline HTML of this view: filters, key numbers, the timeline, the stance "
                      "toward the Taliban, the map, and every event with its quotes and sources."):  # fmt: skip
        with st.status("Building the briefing pack…", expanded=True) as status:
            bar = st.progress(0.0, text="Starting")
            available, why = export.static_export_available()
            if not available:
                st.caption(escape_markdown(f"The PDF will have no chart images. {why}"))

            def report(share: float, offset: float) -> briefing.Progress:
                return lambda fraction, message: bar.progress(min(1.0, offset + share * fraction), text=message)

            undrawn: list[str] = []
            try:
                pdf = briefing.build_pack(view, "pdf", report(0.8, 0.0), warn=undrawn.append)
                page = briefing.build_pack(view, "html", report(0.2, 0.8))
            except DashboardError as error:
                status.update(label="The briefing pack could not be built", state="error")
                from lib.ui.messages import show_error

                show_error(error)
                return
            status.update(label="Briefing pack ready", state="complete", expanded=False)
        stored = {"filters": filters, "pdf": pdf, "html": page, "undrawn": undrawn}
        st.session_state[ExportKeys.briefing] = stored
    if stored and stored["filters"] == filters:
        if stored.get("undrawn"):
            st.warning("The PDF marks characters no font here can draw as ⟨U+…⟩: "
                       + escape_markdown("; ".join(stored["undrawn"][:5]))
                       + (f" (and {len(stored['undrawn']) - 5} more)" if len(stored["undrawn"]) > 5 else ""))  # fmt: skip
        with st.container(horizontal=True, gap="small"):
            for fmt, label in (("pdf", "Briefing pack (PDF)"), ("html", "Briefing pack (HTML, works offline)")):
                name = briefing.pack_file_name(filters, fmt)
                st.download_button(label, data=stored[fmt], file_name=name, mime=export.MIME_TYPES[fmt],
                                   key=f"{key}_{fmt}", on_click="ignore", icon=":material/download:",
                                   help=f"Download {name}")  # fmt: skip
