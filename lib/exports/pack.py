"""The briefing pack: one document (PDF or offline HTML) of the current view.

A title page with the filters and the generation time, a short key-numbers summary, the timeline,
the stance toward the Taliban and the map (full width, each with its own title, filters, source
and date), then the events with their verbatim quotes and numbered source citations.

Built by the dashboard's button (`lib/ui/downloads.py`) and from the command line, without a browser:

    python -m lib.briefing --out pack.pdf --country KAZ,TJK --from 2010 --to 2012
    python -m lib.briefing --out pack.html --actor taliban
    python -m lib.briefing --briefing kazakhstan-isaf-2010-2011 --out deck.pptx   # a prepared briefing (lib/exports/deck.py)

The filter options are the URL's (`country`, `from`, `to`, `actor`, `type`) and are parsed by
`Filters.from_query`, so the same rules apply; unknown values are dropped with a note on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

from lib.exports import export, pdf_fonts
from lib.exports.pdf import pdf_chart, pdf_class, pdf_text, pdf_use_fonts
from lib.model.data_folder import load_folder
from lib.model.dataset import Dataset
from lib.model.filters import FilterOptions, Filters, filter_lines
from lib.model.schema import display_date
from lib.model.tables import Tables
from lib.text import terminal_safe
from lib.views import aggregate, charts
from lib.views.map_points import place_points
from lib.views.sources import dated_line, source_dates
from lib.views.style import ChartMeta
from lib.wording import count

PackFormat = Literal["pdf", "html"]
Progress = Callable[[float, str], None]

PACK_TITLE = "Central Asia, Afghanistan and the Taliban"
STANCE_TARGET = "taliban"
MAX_PACK_EVENTS = 400  # larger views list the first events and point to the CSV
PDF_CHART_WIDTH = 1000  # layout pixels across the A4 text width: chart text stays readable in print
PDF_CHART_SCALE = 2
FONT = pdf_fonts.FAMILY


@dataclass(frozen=True)
class PackData:
    """The loaded data, shaped like `lib.ui.Loaded` (which works here too)."""

    dataset: Dataset
    tables: Tables
    meta: ChartMeta
    options: FilterOptions


@dataclass(frozen=True)
class PackView:
    """A view of the data, shaped like `lib.ui.View` (which works here too)."""

    loaded: PackData
    filters: Filters
    events: pd.DataFrame
    subtitle: str


def view_for(filters_query: dict[str, Any], data_folder: str | Path | None = None) -> tuple[PackView, list[str]]:
    """Load the data and build the view a URL query describes; also return the parse notes."""
    dataset, tables = load_folder(data_folder)  # events.yaml and events.parquet, as the app loads them
    options = FilterOptions.from_dataset(dataset, tables)
    filters = Filters.from_query(filters_query, options)
    notes = list(filters.notes)
    filters = filters.without_notes().with_both_years(options)
    loaded = PackData(dataset, tables, ChartMeta.from_dataset(dataset), options)
    view = PackView(loaded, filters, filters.apply(tables), filters.describe(options))
    return view, notes


# ---------------------------------------------------------------------------
# content shared by both formats


def key_number_lines(events: pd.DataFrame, tables: Tables, meta: ChartMeta) -> list[str]:
    """The key numbers as short sentences."""
    numbers = aggregate.key_numbers(events, tables)
    if not numbers["events"]:
        return ["No events match these filters."]
    lines = [
        f"{count(numbers['events'], 'event')} concerning {count(numbers['countries'], 'country')}, "
        f"involving {count(numbers['actors'], 'actor')}, coded from {count(numbers['articles'], 'article')}.",
        f"First event: {display_date(str(numbers['first']))}; last: {display_date(str(numbers['last']))}.",
    ]
    by_type = numbers.get("by_type") or {}
    if by_type:
        lines.append("By type: " + "; ".join(f"{meta.type_labels.get(t, t)} {n}" for t, n in by_type.items()) + ".")
    stance = aggregate.stance_events(events, STANCE_TARGET, "toward")
    if len(stance):
        lines.append(f"{count(len(stance), 'event')} with a stance toward {meta.actor_ref(STANCE_TARGET)}, "
                     f"mean {stance['stance'].mean():+.1f} on the −2 (hostile) to +2 (aligned) scale.")  # fmt: skip
    return lines


def pack_figures(view: Any) -> list[tuple[str, go.Figure]]:
    """The pack's charts, in order: (file-name chart id, titled figure)."""
    loaded = view.loaded
    events, meta, subtitle = view.events, loaded.meta, view.subtitle
    target = STANCE_TARGET
    summary = aggregate.country_summary(events, loaded.tables, target=target)
    return [
        ("timeline", charts.timeline(events, meta, rows="actor", subtitle=subtitle)),
        (f"stance-toward-{target}", charts.stance_over_time(events, meta, target=target, subtitle=subtitle)),
        ("map", charts.region_map(summary, meta, metric="events", target=target, subtitle=subtitle,
                                  points=place_points(events, meta))),
    ]


@dataclass(frozen=True)
class PackEvent:
    """One event as the pack prints it, with its quotes keyed to the pack's reference numbers."""

    date: str
    title: str
    line: str
    summary: str
    quotes: list[tuple[str, int]]
    id: str = ""
    dated: tuple[str | None, ...] = ()  # by quote: the date its source gives where it disagrees (CODEBOOK 18.4)


def pack_events(view: Any) -> tuple[list[PackEvent], list[str], int]:
    """The events (at most MAX_PACK_EVENTS), the numbered references ([1] is the first cited) and the total."""
    loaded = view.loaded
    meta, tables, dataset = loaded.meta, loaded.tables, loaded.dataset
    events = view.events
    shown = events.iloc[:MAX_PACK_EVENTS]
    sources = aggregate.sources_of(shown, tables).sort_values(["event_id", "n"])
    own_dates = source_dates(dataset)
    quotes_of: dict[str, list[tuple[str, str, int]]] = {}
    for event_id, article, quote, n in zip(sources["event_id"], sources["article"], sources["quote"], sources["n"],
                                           strict=True):  # fmt: skip
        quotes_of.setdefault(str(event_id), []).append((str(article), str(quote), int(n)))
    numbers: dict[str, int] = {}
    out = []
    for event in shown.itertuples(index=False):
        quotes, dated = [], []
        for article, quote, n in quotes_of.get(str(event.id), []):
            number = numbers.setdefault(article, len(numbers) + 1)
            quotes.append((quote, number))
            own = own_dates.get((str(event.id), n))
            dated.append(dated_line(*own) if own else None)
        parties = meta.actor(event.actor) + ("" if pd.isna(event.target) else f" → {meta.actor(event.target)}")
        countries = ", ".join(meta.country(c.strip()) for c in str(event.countries).split(",") if c.strip())
        stance = int(event.stance)
        line = (f"{parties} · {meta.type_labels.get(str(event.event_type), str(event.event_type))} · "
                f"stance {stance:+d} {meta.stance_labels.get(stance, '')} · {countries}")  # fmt: skip
        out.append(PackEvent(display_date(str(event.date)), str(event.title), line, str(event.summary), quotes,
                              str(event.id), tuple(dated)))  # fmt: skip
    references = [export.article_reference(a, dataset) for a, _ in sorted(numbers.items(), key=lambda kv: kv[1])]
    return out, references, len(events)


def _query_text(filters: Filters) -> str:
    return "&".join(f"{k}={v}" for k, v in filters.to_query().items()) or "(none: all events)"


# ---------------------------------------------------------------------------
# PDF


def build_pdf(view: Any, *, progress: Progress | None = None, generated: dt.datetime | None = None,
              warn: Callable[[str], None] | None = None) -> bytes:  # fmt: skip
    """The briefing pack as PDF bytes (charts drawn by kaleido; without a browser, a note instead).

    Every script the data holds is drawn (fallback fonts, HarfBuzz shaping and bidi: `lib/exports/pdf_fonts.py`);
    a character no font can draw is marked `⟨U+…⟩` in the text, and `warn` is told where (event, field)."""
    report = progress or (lambda _f, _m: None)
    generated = generated or dt.datetime.now(dt.UTC)
    stamp = generated.strftime("%Y-%m-%d %H:%M UTC")
    loaded = view.loaded
    events, references, total = pack_events(view)
    filters_shown = filter_lines(view.filters, loaded.options)
    numbers = key_number_lines(view.events, loaded.tables, loaded.meta)
    texts = [view.subtitle, *(f"{k}: {v}" for k, v in filters_shown), *numbers, *references,
             *(t for e in events for t in (e.title, e.line, e.summary, *(q for q, _ in e.quotes)))]  # fmt: skip
    pdf = pdf_class()(orientation="P", unit="mm", format="A4")
    pdf_use_fonts(pdf, texts)
    pdf.footer_text = pdf.undrawable.mark(f"{PACK_TITLE} · {view.subtitle} · generated {stamp}")
    pdf.set_title(f"Briefing: {PACK_TITLE} · {view.subtitle}")
    pdf.set_author(export.APP_NAME)
    pdf.set_creator(export.APP_NAME)
    pdf.set_auto_page_break(auto=True, margin=16)
    report(0.05, "Writing the title page")
    pdf.add_page()
    pdf.ln(30)
    pdf_text(pdf, "Briefing pack", size=12, colour=90)
    pdf_text(pdf, PACK_TITLE, size=22, style="B", h=10)
    pdf.ln(2)
    pdf_text(pdf, view.subtitle, size=14, colour=60, h=7, where="the view's description")
    pdf.ln(6)
    pdf_text(pdf, "Filters", size=12, style="B", h=7)
    for label, value in filters_shown:
        pdf_text(pdf, f"{label}: {value}", size=10.5, h=5.5, where=f"filter '{label}'")
    pdf_text(pdf, f"Link parameters: {_query_text(view.filters)}", size=9, colour=90, h=5)
    pdf.ln(2)
    pdf_text(pdf, f"Generated {stamp} from the {export.APP_NAME}.", size=9, colour=90, h=5)
    pdf.ln(6)
    pdf_text(pdf, "Key numbers", size=12, style="B", h=7)
    for line in numbers:
        pdf_text(pdf, line, size=10.5, h=5.5, where="key numbers")
    pdf.ln(4)
    pdf_text(pdf, "Dates are as precise as the sources allow: “May 2011” means the day is not known. Stance runs "
                   "from −2 (hostile) to +2 (aligned) and is coded from the quoted sentences.", size=9, colour=90, h=4.5)  # fmt: skip

    available, why = export.static_export_available()
    source_line = loaded.meta.source_line(export.source_articles(view.events, loaded.tables))
    figures = pack_figures(view)
    pdf.add_page()
    pdf_text(pdf, "Charts", size=14, style="B", h=8)
    pdf.ln(2)
    for n, (name, fig) in enumerate(figures):
        report(0.1 + 0.6 * n / len(figures), f"Drawing chart {n + 1} of {len(figures)}: {name}")
        if not available:
            title = html.unescape(fig.layout.title.text or name)
            pdf_text(pdf, f"{title}: chart not drawn. {why}", size=10, colour=60, h=5, where=f"chart {name} title")
            pdf.ln(3)
            continue
        framed = export.with_context(fig, source_line=source_line, exported_on=stamp)
        png = export.static_image(framed, "png", width=PDF_CHART_WIDTH, height=int(framed.layout.height or 700),
                                  scale=PDF_CHART_SCALE)  # fmt: skip
        pdf_chart(pdf, png)

    report(0.75, "Listing the events and their sources")
    pdf.add_page()
    heading = f"Events ({total})" if len(events) == total else f"Events (first {len(events)} of {total})"
    pdf_text(pdf, heading, size=14, style="B", h=8)
    if len(events) < total:
        pdf_text(pdf, "Narrow the filters, or download the events as CSV or Excel for the full list.", size=9,
                  colour=90, h=4.5)  # fmt: skip
    if not events:
        pdf_text(pdf, "No events match these filters.", size=10.5, h=5.5)
    for event in events:
        pdf.ln(2.5)
        record = f"event '{event.id}'"
        pdf_text(pdf, f"{event.date} — {event.title}", size=10.5, style="B", h=5.2, where=f"{record} title")
        pdf_text(pdf, event.line, size=8.5, colour=90, h=4.2, where=f"{record} actors, type or countries")
        pdf_text(pdf, event.summary, size=9.5, h=4.6, where=f"{record} summary")
        for (quote, number), dated in zip(event.quotes, event.dated or [None] * len(event.quotes), strict=True):
            pdf_text(pdf, f"“{quote}” [{number}]", size=9, style="I", colour=40, h=4.4, indent=5,
                      where=f"{record} quote [{number}]")  # fmt: skip
            if dated:
                pdf_text(pdf, dated, size=8.5, colour=90, h=4.2, indent=5, where=f"{record} quote [{number}] date")
    if references:
        pdf.ln(4)
        pdf_text(pdf, "Sources", size=14, style="B", h=8)
        for number, reference in enumerate(references, start=1):
            pdf_text(pdf, f"[{number}] {reference}", size=9, h=4.6, where=f"source [{number}]")
            pdf.ln(1)
    report(0.95, "Saving the PDF")
    for line in dict.fromkeys(pdf.undrawable.warnings()):
        (warn or (lambda _line: None))(line)
    return bytes(pdf.output())


# ---------------------------------------------------------------------------
# HTML

_CSS = """
body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; color: #222; max-width: 1100px;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.9rem; margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
.subtitle { color: #555; font-size: 1.15rem; } .muted { color: #666; font-size: .9rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } dt { font-weight: bold; }
.chart { margin: 1.5rem 0 2.5rem; } .event { margin: 1rem 0; padding-bottom: .6rem; border-bottom: 1px solid #eee; }
.event h3 { font-size: 1rem; margin: 0; } blockquote { font-style: italic; margin: .3rem 0 .3rem 1.2rem; color: #333; }
.refs li { margin: .3rem 0; } code { word-break: break-all; }
"""


def build_html(view: Any, *, progress: Progress | None = None, generated: dt.datetime | None = None) -> bytes:
    """The briefing pack as one self-contained HTML file: plotly.js and the base map embedded once."""
    report = progress or (lambda _f, _m: None)
    generated = generated or dt.datetime.now(dt.UTC)
    stamp = generated.strftime("%Y-%m-%d %H:%M UTC")
    loaded = view.loaded
    esc = html.escape
    parts = [f"<header><p class='muted'>Briefing pack</p><h1>{esc(PACK_TITLE)}</h1>",
             f"<p class='subtitle'>{esc(view.subtitle)}</p></header>", "<h2>Filters</h2><dl>"]  # fmt: skip
    for label, value in filter_lines(view.filters, loaded.options):
        parts.append(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>")
    parts.append(f"<dt>Link parameters</dt><dd><code>{esc(_query_text(view.filters))}</code></dd></dl>")
    parts.append(f"<p class='muted'>Generated {esc(stamp)} from the {esc(export.APP_NAME)}.</p>")
    parts.append("<h2>Key numbers</h2><ul>")
    parts += [f"<li>{esc(line)}</li>" for line in key_number_lines(view.events, loaded.tables, loaded.meta)]
    parts.append("</ul>")
    source_line = loaded.meta.source_line(export.source_articles(view.events, loaded.tables))
    figures = pack_figures(view)
    parts.append("<h2>Charts</h2>")
    geo_names: set[str] = set()
    for n, (name, fig) in enumerate(figures):
        report(0.1 + 0.6 * n / len(figures), f"Drawing chart {n + 1} of {len(figures)}: {name}")
        framed = export.with_context(fig, source_line=source_line, exported_on=stamp)
        geo_names.update(export.topojson_names(framed))
        stem = export.file_stem(name, view.filters)
        parts.append(f"<div class='chart'>{export.figure_div(framed, include_plotlyjs=n == 0, stem=stem)}</div>")
    report(0.75, "Listing the events and their sources")
    events, references, total = pack_events(view)
    heading = f"Events ({total})" if len(events) == total else f"Events (first {len(events)} of {total})"
    parts.append(f"<h2>{esc(heading)}</h2>")
    if not events:
        parts.append("<p>No events match these filters.</p>")
    for event in events:
        quotes = "".join(f"<blockquote>“{esc(q)}” [{n}]</blockquote>" + (f"<p class='muted'>{esc(d)}</p>" if d else "")
                         for (q, n), d in zip(event.quotes, event.dated or [None] * len(event.quotes), strict=True))  # fmt: skip
        parts.append(f"<section class='event'><h3>{esc(event.date)} — {esc(event.title)}</h3>"
                     f"<p class='muted'>{esc(event.line)}</p><p>{esc(event.summary)}</p>{quotes}</section>")  # fmt: skip
    if references:
        parts.append("<h2>Sources</h2><ol class='refs'>")
        parts += [f"<li>{esc(reference)}</li>" for reference in references]
        parts.append("</ol>")
    body = export.geo_assets_script(sorted(geo_names)) + "\n" + "\n".join(parts)
    report(0.95, "Saving the HTML")
    document = export.html_document(f"Briefing: {PACK_TITLE} · {view.subtitle}", body, f"<style>{_CSS}</style>\n")
    return document.encode("utf-8")


def build_pack(view: Any, fmt: PackFormat = "pdf", progress: Progress | None = None, *,
               generated: dt.datetime | None = None, warn: Callable[[str], None] | None = None) -> bytes:  # fmt: skip
    """The briefing pack of `view` (a `lib.ui.View` or `PackView`) as PDF or HTML bytes.

    `progress(fraction, message)` is called as it builds; `warn(line)` for each place the PDF could
    not draw a character (marked in the document).
    """
    if fmt == "pdf":
        result = build_pdf(view, progress=progress, generated=generated, warn=warn)
    elif fmt == "html":
        result = build_html(view, progress=progress, generated=generated)
    else:
        raise ValueError(f"unknown briefing format {fmt!r}: use 'pdf' or 'html'")
    if progress:
        progress(1.0, "Done")
    return result


def pack_file_name(filters: Filters, fmt: str) -> str:
    """`briefing_KAZ-TJK_2010-2012.pdf`."""
    return export.file_name("briefing", filters, fmt)


# ---------------------------------------------------------------------------
# command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib.briefing",
        description="Build the briefing pack (PDF or offline HTML) for a filtered view, without a browser. "
        "Filters take the same values as the dashboard's URL; repeat an option or separate values by commas.",
    )
    parser.add_argument("--out", required=True, help="output file, .pdf or .html (with --briefing: .pptx or .pdf)")
    parser.add_argument("--format", choices=("pdf", "html", "pptx"), help="default: from the --out extension")
    parser.add_argument("--briefing", help="a prepared briefing's id (data/briefings/<id>.yaml): its slides as "
                                           "a PowerPoint deck or a PDF handout, instead of the pack of a view")
    parser.add_argument("--base-url", help="with --briefing: the dashboard's address, e.g. https://briefing.example.org, "
                                           "for the slides' links back to their views (default: relative links)")
    parser.add_argument("--country", action="append", help="ISO3 codes, e.g. KAZ,TJK")
    parser.add_argument("--from", dest="year_from", action="append", help="first year, e.g. 2010")
    parser.add_argument("--to", dest="year_to", action="append", help="last year, e.g. 2012")
    parser.add_argument("--actor", action="append", help="actor ids, e.g. taliban")
    parser.add_argument("--type", action="append", help="event types, e.g. verbal_conflict")
    parser.add_argument("--data", help="data folder (default: $DASHBOARD_DATA_DIR or data/)")
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Build the pack from command-line filters and write it atomically; 0 on success."""
    from lib.model.files import write_atomic

    parser = _parser()
    args = parser.parse_args(argv)
    out = Path(args.out)
    fmt = args.format or out.suffix.lower().lstrip(".")
    if args.briefing:
        return _deck_main(parser, args, out, fmt)
    if fmt not in ("pdf", "html"):
        parser.error(f"cannot tell the format from {out.name!r}: name it .pdf or .html, or pass --format")
    query = {key: value for key, value in (("country", args.country), ("from", args.year_from),
             ("to", args.year_to), ("actor", args.actor), ("type", args.type)) if value}  # fmt: skip
    view, notes = view_for(query, args.data)
    for note in notes:
        print(f"note: {terminal_safe(note)}", file=sys.stderr)
    problems = view.loaded.dataset.problems
    if problems:
        print(f"note: {count(len(problems), 'data problem')}; run `python -m lib.validate` for the list.", file=sys.stderr)
    if fmt == "pdf":
        available, why = export.static_export_available()
        if not available:
            print(f"note: charts left out of the PDF. {why}", file=sys.stderr)

    progress = _cli_progress(args.quiet)

    try:
        data = build_pack(view, fmt, progress,  # type: ignore[arg-type]
                          warn=lambda line: print(f"warning: {terminal_safe(line)}", file=sys.stderr))
    except export.ExportError as error:
        print(terminal_safe(f"error: {error.title}: {error.message}"), file=sys.stderr)
        return 1
    write_atomic(out, data)
    print(terminal_safe(f"Wrote {out} ({len(data) / 1024:.0f} KB, {count(len(view.events), 'event')}: {view.subtitle})"))
    return 0


def _cli_progress(quiet: bool) -> Progress:
    """Progress lines on stderr for the command line (none with --quiet), data text escaped."""

    def progress(fraction: float, message: str) -> None:
        if not quiet:
            print(f"[{fraction:4.0%}] {terminal_safe(message)}", file=sys.stderr)

    return progress


def _deck_main(parser: argparse.ArgumentParser, args: argparse.Namespace, out: Path, fmt: str) -> int:
    """`--briefing ID`: the prepared briefing as a PPTX deck or a PDF handout (lib/exports/deck.py)."""
    from lib.exports import deck
    from lib.model.files import write_atomic

    if fmt not in ("pptx", "pdf"):
        parser.error(f"a briefing is written as .pptx or .pdf, not {out.name!r}")
    if any((args.country, args.year_from, args.year_to, args.actor, args.type)):
        parser.error("--briefing takes no filters: each slide carries its own")
    view, _ = view_for({}, args.data)
    loaded = view.loaded
    briefings = loaded.dataset.briefings
    if args.briefing not in briefings:
        problems = [str(p) for p in loaded.dataset.problems if args.briefing in p.file]
        for problem in problems:
            print(terminal_safe(problem), file=sys.stderr)
        known = ", ".join(briefings) or "none"
        print(terminal_safe(f"error: no valid briefing {args.briefing!r} in {loaded.dataset.data_dir} (briefings: {known})"),
              file=sys.stderr)  # fmt: skip
        return 1
    available, why = export.static_export_available()
    if not available:
        print(f"note: charts left out. {why}", file=sys.stderr)

    progress = _cli_progress(args.quiet)

    briefing = briefings[args.briefing]
    try:
        parts = deck.deck_parts(briefing, loaded, progress=progress, native=fmt == "pptx", base_url=args.base_url or "")
        data = deck.build(briefing, loaded, fmt, progress=progress, parts=parts)
    except export.ExportError as error:
        print(terminal_safe(f"error: {error.title}: {error.message}"), file=sys.stderr)
        return 1
    if parts.replaced:
        print(f"note: {terminal_safe(parts.replaced.summary())}", file=sys.stderr)
    write_atomic(out, data)
    print(terminal_safe(f"Wrote {out} ({len(data) / 1024:.0f} KB, {len(briefing.slides)} slides: {briefing.title})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
