"""Events and their sources: the searchable events table, one event's detail with its quotes and
citations, the article text with the quote highlighted, and the list of articles."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from lib.aggregate import sources_of
from lib.filters import escape_markdown
from lib.load import Dataset
from lib.schema import display_date
from lib.style import ChartMeta
from lib.tables import Tables, in_view

TABLE_COLUMNS = ["id", "date", "title", "actors", "countries", "type", "stance"]
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


def _country_names(codes: str, meta: ChartMeta) -> str:
    return ", ".join(meta.country(c.strip()) for c in codes.split(",") if c.strip())


def events_table(events: pd.DataFrame, meta: ChartMeta) -> pd.DataFrame:
    """The events as a reader's table: id, date (as precise as known), title, actors, countries, type, stance."""
    if events.empty:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    actors = [
        meta.actor(a) if t != t or t is None else f"{meta.actor(a)} → {meta.actor(t)}"
        for a, t in zip(events["actor"], events["target"], strict=True)
    ]
    stance = [f"{int(s):+d} {meta.stance_labels.get(int(s), '')}".strip() for s in events["stance"]]
    return pd.DataFrame(
        {
            "id": events["id"].astype(str).to_numpy(),
            "date": [display_date(d) for d in events["date"]],
            "title": events["title"].astype(str).to_numpy(),
            "actors": actors,
            "countries": [_country_names(c, meta) for c in events["countries"]],
            "type": [meta.type_labels.get(t, t) for t in events["event_type"]],
            "stance": stance,
        },
        index=events.index,
    )


def search_events(events: pd.DataFrame, tables: Tables, meta: ChartMeta, query: str) -> pd.DataFrame:
    """The events whose title, summary, actors, countries, location or quotes contain `query` (any case).

    Several words must all occur (in any field); an empty query keeps every event.
    """
    words = [w for w in query.lower().split() if w]
    if not words or events.empty:
        return events
    quotes = tables.sources.groupby("event_id")["quote"].agg(" ".join)
    haystack = (
        events["title"].astype(str) + " " + events["summary"].astype(str) + " "
        + events["actor_name"].astype(str) + " " + events["target_name"].astype(str).replace("nan", "") + " "
        + events["countries"].astype(str) + " " + [_country_names(c, meta) for c in events["countries"]] + " "
        + events["location"].fillna("").astype(str) + " " + events["id"].map(quotes).fillna("").astype(str)
    ).str.lower()  # fmt: skip
    keep = pd.Series(True, index=events.index)
    for word in words:
        keep &= haystack.str.contains(word, regex=False)
    return events[keep]


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


def event_detail(event_id: str, tables: Tables, ds: Dataset, meta: ChartMeta) -> EventDetail | None:
    """One event with its sources (quote, article citation and text), or None if the id is unknown."""
    rows = tables.events[tables.events["id"] == event_id]
    if rows.empty:
        return None
    row = rows.iloc[0]
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
    )


def articles_table(ds: Dataset, tables: Tables, events: pd.DataFrame) -> pd.DataFrame:
    """Every article with outlet, author, date and how many of the given events cite it, newest last."""
    chosen = sources_of(events, tables)
    by = "row" if "row" in chosen.columns else "event_id"  # one int per event: cheaper to count than ids
    cited = chosen.groupby("article", observed=True)[by].nunique()
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
