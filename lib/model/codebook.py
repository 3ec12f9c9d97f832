"""Codebook rules (data/CODEBOOK.md) checked across records once a data folder is loaded.

Each record on its own already passed the schema; these rules relate records to one another: article ids
and outlets (sections 1 and 1.3), republished and excerpted articles (1.3, 1.4), quotes that would join text
across a cut, a source's own date (18.4), a weekday counted from a month-only date (18.6), a total to date
dated to a year (3.4, 18.7), and events that no period contains (section 12). Breaking a rule the data can
live with is a warning (the record stays and is shown; `python -m lib.validate` lists it); a quote across a cut is an error.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from lib.errors import DataProblem
from lib.model.dataset import Dataset, normalise_whitespace
from lib.model.schema import Article, Event, Period, parse_partial_date

CUT_MARKS = ("[…]", "[...]")  # where an excerpt leaves text out (section 1.4)


def codebook_problems(ds: Dataset) -> list[DataProblem]:
    """Every codebook rule the loaded dataset breaks, articles first, then events."""
    return [*_article_rules(ds), *_quotes_across_cuts(ds), *_source_dates(ds), *_weekdays_under_month_addresses(ds),
            *_totals_to_date(ds), *_periods_overlap(ds), *_events_outside_periods(ds)]


def outlet_short_form(article_id: str) -> str:
    """The outlet short form an article id starts with (`mt` in `mt-2011-05-22-taliban-warns-kazakhstan`)."""
    return article_id.split("-", 1)[0].lower()


def article_id(outlet_short: str, published: str, title: str) -> str:
    """An id in the codebook's form `<outlet>-<published>-<headline-slug>`: lower case, `[a-z0-9-]`, the
    headline shortened to at most eight words and 80 characters."""
    plain = unicodedata.normalize("NFKD", re.sub(r"['’‘]", "", title)).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", plain)
    slug = "-".join(words[:8])[:80].strip("-")
    short = re.sub(r"[^a-z0-9]+", "", outlet_short.lower())
    return "-".join(part for part in (short, published, slug) if part)


def _article_rules(ds: Dataset) -> list[DataProblem]:
    found: list[DataProblem] = []
    names_of: dict[str, set[str]] = defaultdict(set)
    forms_of: dict[str, set[str]] = defaultdict(set)
    for article in ds.articles.values():
        record = f"article '{article.id}'"
        short = outlet_short_form(article.id)
        names_of[short].add(article.outlet)
        forms_of[article.outlet].add(short)
        if article.republished_in and article.republished_in.strip().casefold() == article.outlet.strip().casefold():
            found.append(DataProblem(article.path, record, "republished_in", (
                "names the outlet itself: `outlet` is the outlet that first published the text, `republished_in` "
                "the one you found it in; leave it out when they are the same (CODEBOOK.md 1.3)"), "warning"))  # fmt: skip
        if not article.excerpt and any(mark in article.text for mark in CUT_MARKS):
            found.append(DataProblem(article.path, record, "excerpt", (
                "the body marks a cut with […] but the front matter does not say `excerpt: true` (CODEBOOK.md 1.4)"),
                "warning"))  # fmt: skip
    for short, names in sorted(names_of.items()):
        if len(names) > 1:
            paths = sorted(a.path for a in ds.articles.values() if outlet_short_form(a.id) == short)
            found.append(DataProblem(paths[-1], None, "outlet", (
                f"articles whose ids start {short!r} name different outlets ({', '.join(sorted(names))}): one short "
                "form per outlet, one outlet name per short form (CODEBOOK.md 1.3)"), "warning"))  # fmt: skip
    for outlet, forms in sorted(forms_of.items()):
        if len(forms) > 1:
            paths = sorted(a.path for a in ds.articles.values() if a.outlet == outlet)
            found.append(DataProblem(paths[-1], None, "id", (
                f"articles from {outlet!r} use different short forms ({', '.join(sorted(forms))}): use one "
                "(CODEBOOK.md 1.3)"), "warning"))  # fmt: skip
    return found


def _events_label(ds: Dataset) -> str:
    return str(Path(ds.data_dir.name) / "events.yaml")


def _quotes_across_cuts(ds: Dataset) -> list[DataProblem]:
    found = []
    for event in ds.events:
        for i, source in enumerate(event.sources):
            if any(mark in normalise_whitespace(source.quote) for mark in CUT_MARKS):
                found.append(DataProblem(_events_label(ds), f"event '{event.id}'", f"sources[{i}].quote", (
                    "spans a cut marked […] in the article: the text either side was not adjacent; quote one side "
                    "(CODEBOOK.md 1.4)")))  # fmt: skip
    return found


def dates_meet(date: str, other: str) -> bool:
    """Whether two partial dates' spans share a day (one agrees with the other or refines it)."""
    (low, high, _), (start, end, _) = parse_partial_date(date), parse_partial_date(other)
    return low <= end and start <= high


def after_publication(start: dt.date, article: Article) -> bool:
    """Whether a date starting on `start` lies after the article's publication (nothing is reported before it
    happens, 18.2); an article dated approximately bounds nothing."""
    return not article.approximate and start > parse_partial_date(article.published)[1]


def _source_dates(ds: Dataset) -> list[DataProblem]:
    """A source's `date` is recorded only where it disagrees with the event's (its span and the event's do not
    meet; one that meets is a refinement, section 8, or agrees), and it is no later than its article's
    publication unless that date is approximate (nothing is reported before it happens, 18.2)."""
    found = []
    for event in ds.events:
        for i, source in enumerate(event.sources):
            if source.date is None:
                continue
            low, _, _ = parse_partial_date(source.date)
            where = (_events_label(ds), f"event '{event.id}'", f"sources[{i}].date")
            if dates_meet(source.date, event.date):
                found.append(DataProblem(*where, (
                    f"{source.date!r} agrees with the event's date {event.date!r}: a source's date is recorded only "
                    "where it disagrees (CODEBOOK.md 18.4); a finer date refines the event's instead (section 8)")))  # fmt: skip
            article = ds.articles.get(source.article)
            if article is not None and after_publication(low, article):
                found.append(DataProblem(*where, (
                    f"{source.date!r} is after the article's publication ({article.published}): a text cannot report "
                    "as past an act after it (CODEBOOK.md 18.2)")))  # fmt: skip
    return found


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# A weekday the text names without a date after it ("on Wednesday", not "Wednesday, August 21").
_MONTH_NAMES = ("January|February|March|April|May|June|July|August|September|October|November|December"
                "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_BARE_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b(?![,\s]*(?:\d|(?:" + _MONTH_NAMES + r")\b))")


def month_weekday_window(published: str, weekday: str) -> tuple[dt.date, dt.date]:
    """The days a weekday counted back from any day of the month `published` ('YYYY-MM') can fall on: from
    the weekday on or before the month's first day to the last such weekday in the month (CODEBOOK 18.6)."""
    first, last, _ = parse_partial_date(published)
    day = WEEKDAYS.index(weekday)
    start = first - dt.timedelta(days=(first.weekday() - day) % 7)
    return start, last - dt.timedelta(days=(last.weekday() - day) % 7)


def _weekdays_under_month_addresses(ds: Dataset) -> list[DataProblem]:
    """An event dated to the month of an article that is dated only to that month (its address, 18.2), on a
    quote naming a bare weekday: the month holds only when the month began on that weekday (18.6)."""
    found = []
    for event in ds.events:
        for i, source in enumerate(event.sources):
            article = ds.articles.get(source.article)
            if article is None or article.approximate or len(article.published) != 7 or event.date != article.published:
                continue
            for match in _BARE_WEEKDAY.finditer(normalise_whitespace(source.quote)):
                start, end = month_weekday_window(article.published, match.group(1))
                if start.month != end.month:
                    found.append(DataProblem(_events_label(ds), f"event '{event.id}'", "date", (
                        f"{event.date!r} reads {match.group(1)!r} in sources[{i}] against an article dated only to "
                        f"{article.published}, but that month began on a {WEEKDAYS[parse_partial_date(article.published)[0].weekday()]}: "
                        f"counted back from any of its days the {match.group(1)} falls between {start:%d %B} and "
                        f"{end:%d %B %Y}, across a month boundary: write the year, or a finer date the text itself gives "
                        "(CODEBOOK.md 18.6, a weekday under a month-only address)"), "warning"))  # fmt: skip
                    break
    return found


# A sum given as spent, contributed or invested so far ("has spent US$3.3 million"): a total to date.
_TOTAL_TO_DATE = re.compile(
    r"\b(?:has|have)\s+(?:already\s+)?(?:spent|contributed|invested|allocated|provided|disbursed)\b"
    r"[^.;]{0,40}?(?:US\$|\$|€|£|\b\d[\d,.]*\s*(?:million|billion)\b)")
# Words that give the total a start or a date of its own ("since 2002", "in 2005", "last year").
_TOTAL_BOUNDED = re.compile(
    r"\b(?:since|from|between|in|during|by|last|this)\s+(?:\d{4}|year|month|the\s+first)\b", re.IGNORECASE)


def _totals_to_date(ds: Dataset) -> list[DataProblem]:
    """An event dated to a year on a quote giving a total to date ("has spent $3.3 million") with no start, in an
    article dated at least to the month that year: a span ending when it is stated, coded at that month (3.4;
    CODEBOOK 18.7), not at the year, which would claim the whole sum fell within it."""
    found = []
    for event in ds.events:
        if len(event.date) != 4:
            continue
        for i, source in enumerate(event.sources):
            article = ds.articles.get(source.article)
            if article is None or article.approximate or len(article.published) < 7 or article.published[:4] != event.date:
                continue
            quote = normalise_whitespace(source.quote)
            total = _TOTAL_TO_DATE.search(quote)
            if total and not _TOTAL_BOUNDED.search(quote):
                found.append(DataProblem(_events_label(ds), f"event '{event.id}'", "date", (
                    f"{event.date!r} on sources[{i}], whose quote gives a total to date with no start "
                    f"({total.group(0)!r}) in an article of {article.published}: a span ending when it is stated, "
                    "coded once at the month it is stated (the article's, or that of the dated words giving it) "
                    "with a note that its start is not given (CODEBOOK.md 3.4, 18.7, a total to date)"), "warning"))  # fmt: skip
                break
    return found


def covered_spans(periods: list[Period]) -> list[tuple[dt.date, dt.date]]:
    """The stretches of time the periods cover, adjacent or overlapping periods joined."""
    spans: list[tuple[dt.date, dt.date]] = []
    for period in sorted(periods, key=lambda p: p.start):
        if spans and period.start <= spans[-1][1] + dt.timedelta(days=1):
            spans[-1] = (spans[-1][0], max(spans[-1][1], period.end))
        else:
            spans.append((period.start, period.end))
    return spans


def outside_every_period(event: Event, spans: list[tuple[dt.date, dt.date]]) -> bool:
    """True when no stretch of the periods contains the event's whole date span."""
    start, end, _ = parse_partial_date(event.date)
    return not any(low <= start and end <= high for low, high in spans)


def _events_outside_periods(ds: Dataset) -> list[DataProblem]:
    if not ds.events:
        return []
    if not ds.periods:
        return [DataProblem(str(Path(ds.data_dir.name) / "periods.yaml"), None, None,
                            "no periods: every event should fall in one (CODEBOOK.md 12)", "warning")]  # fmt: skip
    spans = covered_spans(ds.periods)
    return [
        DataProblem(_events_label(ds), f"event '{event.id}'", "date", (
            f"{event.date!r} is outside every period in periods.yaml: add a period or widen one so that it "
            "contains the whole date (CODEBOOK.md 12); until then charts show it under \"Other years\""), "warning")
        for event in ds.events
        if outside_every_period(event, spans)
    ]  # fmt: skip


def _periods_overlap(ds: Dataset) -> list[DataProblem]:
    found = []
    ordered = sorted(ds.periods, key=lambda p: p.start)
    for before, after in zip(ordered, ordered[1:]):
        if after.start <= before.end:
            found.append(DataProblem(str(Path(ds.data_dir.name) / "periods.yaml"), f"period '{after.id}'", "start", (
                f"overlaps period {before.id!r} (to {before.end}): periods do not overlap (CODEBOOK.md 12)"),
                "warning"))  # fmt: skip
    return found
