"""Events and their sources: the searchable events table, one event's detail with its quotes and
citations, the article text with the quote highlighted, and the list of articles."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from lib.model.dataset import Dataset
from lib.model.filters import escape_markdown
from lib.model.names import NameIndex
from lib.model.schema import display_date
from lib.model.tables import Tables, codes_of, in_view
from lib.views.aggregate import sources_of
from lib.views.search import SearchIndex, search
from lib.views.style import ChartMeta
from lib.wording import count

TABLE_COLUMNS = ["id", "date", "title", "actors", "countries", "type", "stance"]
# A browser table of a million rows takes seconds to send and is unreadable; the downloads carry every row.
TABLE_ROW_LIMIT = 1000
_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class SourceDetail:
    """One verbatim quote and where it comes from."""

    n: int
    quote: str
    article_id: str
    title: str
    outlet: str
    author: str | None
    published: str
    url: str | None
    citation: str
    article_text: str
    dated: str | None = None  # the date this source gives where it disagrees with the event's (CODEBOOK 18.4)


@dataclass(frozen=True)
class EventDetail:
    """Everything a reader needs about one event, as display text."""

    id: str
    title: str
    date: str
    date_note: str | None
    actor: str
    target: str
    countries: str
    location: str | None
    event_type: str
    stance: int
    stance_label: str
    summary: str
    sources: tuple[SourceDetail, ...]
    place: str | None = None  # "Khujand (exact place)": the coded place and its precision
    place_note: str | None = None
    has_target: bool = True  # False for an event coded without a target (its `target` reads "—")

    @property
    def parties(self) -> str:
        """Who acted toward whom: "Kazakhstan → NATO / ISAF", or "Uzbekistan (no target)" (not "Uzbekistan → —")."""
        return f"{self.actor} → {self.target}" if self.has_target else f"{self.actor} (no target)"


def _country_names(codes: str, meta: ChartMeta) -> str:
    return ", ".join(meta.country(c.strip()) for c in codes.split(",") if c.strip())


def _text_of(codes: np.ndarray, labels: list[str]) -> pd.arrays.ArrowStringArray:
    """`labels[code]` per code (-1: missing) as a string column, taken in Arrow: no Python string per row."""
    taken = pa.array(labels, type=pa.string()).take(pa.array(codes, mask=codes < 0))
    return taken.to_pandas().array


def _per_value(values: pd.Series, label: Callable[[Any], str]) -> pd.arrays.ArrowStringArray:
    """`label(value)` for every value, worked out once per distinct value (missing values stay missing)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return _text_of(codes, [label(u) for u in uniques])


def events_table(events: pd.DataFrame, meta: ChartMeta) -> pd.DataFrame:
    """The events as a reader's table: id, date (as precise as known), title, actors, countries, type, stance.

    Each label is made once per distinct value (an actor pair, a date, a country list), so a table of
    a million events costs array look-ups, not a million string formats.
    """
    if events.empty:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    actor_codes, actors = pd.factorize(events["actor"], use_na_sentinel=True)
    target_codes, targets = pd.factorize(events["target"], use_na_sentinel=True)
    pair_codes, pairs = pd.factorize(actor_codes.astype(np.int64) * (len(targets) + 1) + target_codes + 1)

    def pair_label(key: int) -> str:
        actor, target = divmod(int(key), len(targets) + 1)
        name = meta.actor(actors[actor])
        return name if target == 0 else f"{name} → {meta.actor(targets[target - 1])}"

    return pd.DataFrame(
        {
            "id": events["id"].astype(str).array,
            "date": _per_value(events["date"], display_date),
            "title": events["title"].astype(str).array,
            "actors": _text_of(pair_codes, [pair_label(k) for k in pairs]),
            "countries": _per_value(events["countries"], lambda c: _country_names(c, meta)),
            "type": _per_value(events["event_type"], lambda t: meta.type_labels.get(t, t)),
            "stance": _per_value(events["stance"], lambda v: f"{int(v):+d} {meta.stance_labels.get(int(v), '')}".strip()),
        },
        index=events.index,
    )


def first_rows(events: pd.DataFrame, limit: int = TABLE_ROW_LIMIT, total: int | None = None) -> tuple[pd.DataFrame, str]:
    """The first `limit` events (in date order) to list on a page, and a note saying so when some are left out.
    `total`: how many events there are when `events` holds only the first of them (`lib.views.search.found`)."""
    total = len(events) if total is None else total
    if total <= limit:
        return events, ""
    return events.head(limit), (
        f"The table lists the first {limit:,} of {total:,} events (earliest first): "
        "narrow the filters or search to see the others; the CSV and Excel downloads of the Events and sources "
        "page hold all of them."
    )


def search_events(
    events: pd.DataFrame, tables: Tables, meta: ChartMeta, query: str, names: NameIndex | None = None
) -> pd.DataFrame:
    """The events of a view of `tables.events` that `query` finds (`lib.views.search.search`, which says how),
    with the search index built for this call: for small tables; the app keeps one index per data version."""
    if not query.split() or events.empty:
        return events
    return search(events, SearchIndex.build(tables, meta, names), query)


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` occurs in `text`, ignoring differences in whitespace (how the loader matches quotes)."""
    words = quote.split()
    if not words:
        return None
    match = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (match.start(), match.end()) if match else None


def _highlight(text: str) -> str:
    """A quote segment, escaped and marked, per paragraph (a Markdown directive cannot span paragraphs)."""
    parts = [p.strip() for p in _PARAGRAPH.split(text)]
    return "\n\n".join(f":orange-background[**{escape_markdown(' '.join(p.split()))}**]" for p in parts if p)


def highlighted_markdown(text: str, quotes: list[str] | tuple[str, ...]) -> str:
    """The article text as safe Markdown, every quote found in it marked with an orange background.

    All article text is escaped, so nothing in it can become a link, HTML or maths; quotes that do
    not occur in the text are left out silently (the validator reports them).
    """
    spans = sorted(s for s in (quote_span(text, q) for q in quotes) if s is not None)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces: list[str] = []
    position = 0
    for start, end in merged:
        pieces.append(_plain(text[position:start]))
        pieces.append(_glue(text, start, end))
        position = end
    pieces.append(_plain(text[position:]))
    return "".join(pieces).strip()


def _plain(text: str) -> str:
    # keep paragraph breaks, collapse other line breaks (Markdown would join them anyway)
    paragraphs = _PARAGRAPH.split(text)
    return "\n\n".join(escape_markdown(re.sub(r"[ \t]*\n[ \t]*", " ", p)) for p in paragraphs)


def _glue(text: str, start: int, end: int) -> str:
    # a highlight must start and end next to a space so the directive is parsed
    before = " " if start and not text[start - 1].isspace() else ""
    after = " " if end < len(text) and not text[end].isspace() else ""
    return before + _highlight(text[start:end]) + after


def own_dates(event: Any) -> dict[int, tuple[str, str]]:
    """Source number -> (date, note) for each source of `event` (a data record) that dates it otherwise
    (CODEBOOK 18.4); numbered as `Tables.sources["n"]` numbers them."""
    return {n: (source.date, source.date_note) for n, source in enumerate(event.sources, start=1)
            if source.date and source.date_note}  # fmt: skip


def source_dates(ds: Dataset) -> dict[tuple[str, int], tuple[str, str]]:
    """(event id, source number) -> (date, note) for each source of the data that dates its event otherwise."""
    return {(event.id, n): dated for event in ds.events for n, dated in own_dates(event).items()}


def dated_line(date: str, note: str) -> str:
    """How an export words a source's own date: `This source dates it 16 August 2021: <note>`."""
    return f"This source dates it {display_date(date)}: {note}"


def event_detail(event_id: str, tables: Tables, ds: Dataset, meta: ChartMeta) -> EventDetail | None:
    """One event with its sources (quote, article citation and text), or None if the id is unknown."""
    rows = tables.events[tables.events["id"] == event_id]
    if rows.empty:
        return None
    row = rows.iloc[0]
    record = next((e for e in ds.events if e.id == event_id), None)
    dated = {n: dated_line(*own) for n, own in (own_dates(record) if record else {}).items()}
    sources = []
    for _, source in tables.sources[tables.sources["event_id"] == event_id].sort_values("n").iterrows():
        article = ds.articles.get(source["article"])
        sources.append(
            SourceDetail(
                n=int(source["n"]),
                quote=str(source["quote"]),
                article_id=str(source["article"]),
                title=article.title if article else str(source["article"]),
                outlet=article.outlet if article else "",
                author=article.author if article else None,
                published=(("c. " if article.approximate else "") + display_date(article.published)) if article else "",
                url=article.url if article else None,
                citation=article.citation() if article else f"Article '{source['article']}' (not in the data folder)",
                article_text=article.text if article else "",
                dated=dated.get(int(source["n"])),
            )
        )
    target = row["target"]
    stance = int(row["stance"])
    return EventDetail(
        id=str(row["id"]),
        title=str(row["title"]),
        date=display_date(str(row["date"])),
        date_note=row["date_note"] if isinstance(row["date_note"], str) else None,
        actor=meta.actor(row["actor"]),
        target=meta.actor(target),
        countries=_country_names(str(row["countries"]), meta),
        location=row["location"] if isinstance(row["location"], str) else None,
        event_type=meta.type_labels.get(row["event_type"], str(row["event_type"])),
        stance=stance,
        stance_label=meta.stance_labels.get(stance, ""),
        summary=str(row["summary"]),
        sources=tuple(sources),
        place=_place_text(row, meta),
        place_note=row["place_note"] if isinstance(row.get("place_note"), str) else None,
        has_target=bool(pd.notna(target)),
    )


def _place_text(row: pd.Series, meta: ChartMeta) -> str | None:
    """The event's coded place as a reader reads it: "Khujand (exact place)", "Kunduz province (province)"."""
    place, precision = row.get("place"), row.get("place_precision")
    if not isinstance(place, str) or place not in meta.places or pd.isna(precision):
        return None
    label = meta.place_precision_labels.get(int(precision), str(precision))
    return f"{meta.places[place].name} ({label.lower()})"


def events_citing(events: pd.DataFrame, tables: Tables) -> pd.Series:
    """How many of the given events cite each article (an event citing one article twice counts once),
    counted on integer codes; articles no event cites are left out."""
    sources = tables.sources
    if "row" not in sources.columns:
        return sources_of(events, tables).groupby("article", observed=True)["event_id"].nunique()
    codes, articles = codes_of(sources["article"])
    rows = sources["row"].to_numpy()
    keep = in_view(events, rows) & (codes >= 0)
    rows, codes = rows[keep], codes[keep].astype(np.int64)
    several = np.bincount(rows)[rows] > 1  # sources of events with more than one source
    counts = np.bincount(codes[~several], minlength=len(articles))
    if several.any():
        pairs = np.unique(rows[several] * len(articles) + codes[several])
        counts += np.bincount(pairs % len(articles), minlength=len(articles))
    present = np.flatnonzero(counts)
    return pd.Series(counts[present], index=pd.Index(np.asarray(articles, dtype=object)[present].astype(str),
                                                     name="article"), name="event_id")  # fmt: skip


def articles_table(ds: Dataset, tables: Tables, events: pd.DataFrame) -> pd.DataFrame:
    """Every article with outlet, author, date and how many of the given events cite it, newest last."""
    cited = events_citing(events, tables)
    rows = [
        {
            "title": a.title,
            "outlet": a.outlet,
            "author": a.author or "—",
            "date": ("c. " if a.approximate else "") + display_date(a.published),
            "events": int(cited.get(a.id, 0)),
            "link": a.url,
            "_sort": a.published,
        }
        for a in ds.articles.values()
    ]
    frame = pd.DataFrame(rows, columns=["title", "outlet", "author", "date", "events", "link", "_sort"])
    return frame.sort_values(["_sort", "title"]).drop(columns="_sort").reset_index(drop=True)


LIST_LIMIT = 8  # articles or events a page lists in plain text; the full, sortable table is a click away


def most_cited_articles(articles: pd.DataFrame, limit: int = LIST_LIMIT) -> pd.DataFrame:
    """The `limit` articles of `articles_table` that the view's events cite most, the newest first among equals;
    articles no event of the view cites are left out."""
    cited = articles[articles["events"] > 0].iloc[::-1]  # articles_table is oldest first; the sort below is stable
    return cited.sort_values("events", ascending=False, kind="stable").head(limit)


def safe_link(url: object) -> str:
    """`url` for a link target: only http(s) addresses, with the characters that would end the target
    percent-encoded; "" for anything else (no link is drawn)."""
    if not isinstance(url, str) or not re.match(r"https?://[^\s]+$", url.strip()):
        return ""
    return url.strip().translate({ord(c): f"%{ord(c):02X}" for c in "()<>[]\\ "})


def articles_html(articles: pd.DataFrame) -> str:
    """A numbered HTML list of articles (rows of `articles_table`): the title, linked to the original (in a new tab)
    when it has an http(s) address, the outlet, the date and the events of the view it is cited by. Data text is
    escaped."""
    items = []
    for row in articles.itertuples(index=False):
        title, link = html.escape(str(row.title)), safe_link(row.link)
        byline = ", ".join(html.escape(str(p)) for p in (row.outlet, row.date) if p)
        linked = f'<a href="{html.escape(link)}" target="_blank" rel="noopener noreferrer">{title}</a>' if link else title
        items.append(f"<li>{linked} — {byline} · {count(int(row.events), 'event')}</li>")
    return f"<ol>{''.join(items)}</ol>"


def latest_events_html(events: pd.DataFrame, meta: ChartMeta, limit: int = LIST_LIMIT) -> str:
    """The `limit` latest of `events` (which are in date order) as an HTML list, newest first: the date in bold, title,
    actor → target, countries. Only those rows are labelled, whatever the number of events. Data text is escaped."""
    table = events_table(events.tail(limit).iloc[::-1], meta)
    items = "".join(
        f"<li><strong>{html.escape(row.date)}</strong> · {html.escape(row.title)} — {html.escape(row.actors)}"
        + (f" · {html.escape(row.countries)}" if row.countries else "") + "</li>"
        for row in table.itertuples(index=False)
    )
    return f"<ul>{items}</ul>"


def selected_event_ids(points: list[dict]) -> list[str]:
    """Event ids of the points selected in a chart (the first customdata field), in order, without repeats."""
    ids: list[str] = []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, (list, tuple)) and data and isinstance(data[0], str) and data[0] not in ids:
            ids.append(data[0])
    return ids


def selected_countries(points: list[dict]) -> list[str]:
    """Country codes clicked on a choropleth (the point's `location`), in order, without repeats."""
    codes: list[str] = []
    for point in points:
        code = point.get("location")
        if isinstance(code, str) and code not in codes:
            codes.append(code)
    return codes


def events_in_countries(events: pd.DataFrame, tables: Tables, countries: list[str]) -> pd.DataFrame:
    """The events that concern any of `countries` (all events when the list is empty)."""
    if not countries:
        return events
    links = tables.event_countries
    rows = links.loc[links["country"].isin(countries).to_numpy() & in_view(events, links["row"]), "row"].unique()
    return events.loc[events.index.isin(rows)]
