"""Dates in article text, resolved against the article's publication date to the precision the text allows.

Our own patterns decide *what* is a date expression and how precise it can be (dateparser's
`search_dates` finds dates in ordinary words, and "last <month>" or "earlier this year" return nothing:
see FIELD-NOTES.md); dateparser, with the publication date as its relative base and a preference for
the past, computes the days it handles well (weekdays, "yesterday", "N days ago", "May 18").

Every result is an interval of possible days. A publication date that is only a month or a year, or
marked approximate, is itself an interval (approximate: widened by one unit each side, CODEBOOK.md 3.3),
and the expression is resolved at both ends of it; the date written is the finest of day, month or year
that holds over the whole interval, never finer than the words themselves.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from lib.model.schema import display_date, parse_partial_date

MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS.update({"sept": 9})
MONTHS.update({name.lower(): n for n, name in enumerate(calendar.month_abbr) if name})  # AP style: "Dec. 29"
WEEKDAYS = {name.lower(): n for n, name in enumerate(calendar.day_name)}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

_M = r"(?P<month>January|February|March|April|May|June|July|August|September|Sept|October|November|December)"
# With a day or a year after it, a month may be abbreviated ("Dec. 29", "Aug 15, 2021", "Jan. 2024").
_MA = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?![a-z]))"
)
_Y = r"(?P<year>(?:19|20)\d{2})(?!\d|,\d|-\d)"
_D = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_NUM = r"(?P<n>\d{1,2}|" + "|".join(NUMBERS) + r")"
_WD = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_QUAL = r"(?P<qual>(?:early|mid|late|the\s+(?:beginning|end|middle|start)\s+of|the\s+first\s+(?:half|months|weeks|days)\s+of|the\s+second\s+half\s+of)[\s-]+)?"

# (kind, pattern); tried in this order, the earliest-listed kind wins where two overlap.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso_day", re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("day_month_year", re.compile(rf"\b{_D}\s+(?:of\s+)?{_MA}\.?,?\s+{_Y}")),
    ("month_day_year", re.compile(rf"\b{_MA}\.?\s+{_D},?\s+{_Y}")),
    ("month_year", re.compile(rf"(?i:\b{_QUAL}){_MA}\.?,?\s+(?:of\s+)?{_Y}")),
    ("day_month", re.compile(rf"\b{_D}\s+(?:of\s+)?{_MA}\b(?!\.?,?\s+(?:of\s+)?(?:19|20)\d{{2}})")),
    ("month_day", re.compile(rf"\b{_MA}\.?\s+{_D}\b(?!,?\s*\d)")),
    ("season_year", re.compile(rf"(?i:\b(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?){_Y}")),
    ("rel_month", re.compile(rf"(?i:\b(?P<rel>last|this|next|this\s+past|early\s+last|late\s+last)\s+){_M}\b")),
    ("in_month", re.compile(rf"(?i:\b(?P<prep>in|since|during|until|by|from|of|early|late|mid)[\s-]+){_M}\b")),
    # a month naming an act ("during a March visit", "the December attack"): that month, as "in March"
    ("month_noun", re.compile(rf"(?i:\b(?P<prep>a|an|the|his|her|its|their)\s+){_M}(?=\s+[a-z])")),
    ("year", re.compile(rf"(?i:\b{_QUAL}(?:(?:in|since|during|of|by|from|until|to)\s+)?)?(?<![$£€\d.,]){_Y}\b(?!\s*(?:percent|per cent|%|km|kilomet|miles|people|troops|soldiers|servicemen|dollars|tons|tonnes))")),
    ("weekend", re.compile(r"(?i)\b(?P<rel>over\s+the|at\s+the|on\s+the|this\s+past|this|last|past)\s+weekend\b")),
    ("yesterday", re.compile(r"(?i)\b(?P<word>the\s+day\s+before\s+yesterday|yesterday|today|tonight|this\s+(?:morning|afternoon|evening))\b")),
    ("weekday", re.compile(rf"(?i:\b(?P<rel>last|on|this\s+past|past)?\s*){_WD}\b")),
    ("rel_unit", re.compile(r"(?i)\b(?P<rel>last|past|previous|this|earlier\s+this|later\s+this|next|the\s+previous)\s+(?P<unit>week|month|year)\b")),
    ("ago", re.compile(rf"(?i)\b{_NUM}\s+(?P<unit>day|week|month|year)s?\s+ago\b")),
]
_RANK = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True)
class FoundDate:
    """A date expression found in a text and what it resolves to.

    `value` is `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (None when the possible days cross a year boundary);
    `note` says how it was worked out, in words an analyst can check.
    """

    start: int
    end: int
    text: str
    kind: str
    value: str | None
    precision: str | None
    relative: bool
    note: str
    deadline: bool = False  # a bound or a plan ("by 2006", "until December", "in 2014" in a 2013 report): not an act's date


def publication_window(published: str, approximate: bool) -> tuple[dt.date, dt.date]:
    """The days the article may have been published on (approximate: one unit wider each side)."""
    first, last, precision = parse_partial_date(published)
    if approximate and precision == "day":
        first, last = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    elif approximate and precision == "month":
        first, last = add_months(first, -1), _month_end(add_months(first, 1))
    return first, last


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months (the day clipped to the month's last)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_end(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), _month_end(dt.date(year, month, 1))


def _year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@lru_cache(maxsize=4096)
def _dateparser(text: str, base: dt.date) -> dt.date | None:
    """dateparser on one expression we already recognised, counted back from `base`."""
    import dateparser

    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day, 12),
            "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None


def _coming(month: int | None, day: int, base: dt.date, within: int = 31) -> dt.date | None:
    """The next `month`/`day` after `base` if it is at most `within` days ahead: a day month without a year
    that is nearer ahead than behind is the coming one (a scheduled meeting), not last year's."""
    if month is None:
        return None
    for year in (base.year, base.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate > base:
            return candidate if (candidate - base).days <= within else None
    return None


def _most_recent_month(month: int, base: dt.date, strictly_before: bool) -> tuple[dt.date, dt.date]:
    year = base.year if (month < base.month or (month == base.month and not strictly_before)) else base.year - 1
    return _month_span(year, month)


def _interval(kind: str, g: dict[str, str | None], base: dt.date) -> tuple[dt.date, dt.date] | None:
    """The days an expression can mean if the article was published on `base`."""
    month = MONTHS.get((g.get("month") or "").lower())
    if kind == "iso_day":
        day = dt.date(int(g["year"]), int(g["mon"]), int(g["day"]))
        return day, day
    if kind in ("day_month_year", "month_day_year"):
        day = dt.date(int(g["year"]), month, int(g["day"]))
        return day, day
    if kind == "month_year":
        return _month_span(int(g["year"]), month)
    if kind in ("day_month", "month_day"):
        day = _dateparser(f"{g['month']} {int(g['day'])}", base)
        coming = _coming(month, int(g["day"]), base)
        if day and coming and (coming - base) < (base - day):
            day = coming  # "will meet again on October 25" in an article of October 19: the coming day
        return (day, day) if day else None
    if kind == "season_year" or kind == "year":
        return _year_span(int(g["year"]))
    if kind == "rel_month":
        rel = " ".join((g["rel"] or "").lower().split())
        if rel == "next":
            year = base.year if month > base.month else base.year + 1
            return _month_span(year, month)
        if rel == "this":
            return _month_span(base.year, month)
        return _most_recent_month(month, base, strictly_before=True)
    if kind in ("in_month", "month_noun"):
        return _most_recent_month(month, base, strictly_before=False)
    if kind == "yesterday":
        word = " ".join(g["word"].lower().split())
        back = {"the day before yesterday": 2, "yesterday": 1}.get(word, 0)
        day = _dateparser("yesterday", base) if back == 1 else base - dt.timedelta(days=back)
        return (day, day) if day else None
    if kind == "weekend":
        rel = " ".join(g["rel"].lower().split())
        back = (base.weekday() - 5) % 7  # days since the last Saturday (0 on a Saturday)
        if rel in ("last", "past", "this past") and base.weekday() >= 5:
            back += 7  # on a weekend, "last weekend" is the one before
        saturday = base - dt.timedelta(days=back)
        return saturday, min(saturday + dt.timedelta(days=1), base)
    if kind == "weekday":
        rel = (g.get("rel") or "").lower()
        target = WEEKDAYS[g["weekday"].lower()]
        back = (base.weekday() - target) % 7
        if rel in ("last", "past", "this past") and back == 0:
            back = 7
        day = base - dt.timedelta(days=back)
        parsed = _dateparser(g["weekday"], base)
        # dateparser's own answer when it agrees on the rule (it never picks a later day than base)
        day = parsed if parsed and parsed == day else day
        return day, day
    if kind == "rel_unit":
        rel = " ".join(g["rel"].lower().split())
        unit = g["unit"].lower()
        if rel == "past":  # "over the past year": the span up to the article's date (CODEBOOK.md 3.4), not last year
            back = {"week": dt.timedelta(days=7), "month": base - add_months(base, -1), "year": base - add_months(base, -12)}[unit]
            return base - back, base
        step = -1 if rel in ("last", "past", "previous", "the previous") else 1 if rel == "next" else 0
        if unit == "year":
            year = base.year + step
            return (dt.date(year, 1, 1), base) if rel == "earlier this" else _year_span(year)
        if unit == "month":
            first = add_months(base.replace(day=1), step)
            return (first, base) if rel == "earlier this" else (first, _month_end(first))
        monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(weeks=step)
        return (monday, base) if rel == "earlier this" else (monday, monday + dt.timedelta(days=6))
    if kind == "ago":
        n = int(g["n"]) if g["n"].isdigit() else NUMBERS[g["n"].lower()]
        unit = g["unit"].lower()
        if unit == "day":
            day = _dateparser(f"{n} days ago", base) or base - dt.timedelta(days=n)
            return day, day
        if unit == "week":
            day = base - dt.timedelta(weeks=n)
            return day - dt.timedelta(days=3), day + dt.timedelta(days=3)
        if unit == "month":
            first = add_months(base.replace(day=1), -n)
            return first, _month_end(first)
        return _year_span(base.year - n)
    return None


_OWN_PRECISION = {
    "iso_day": "day", "day_month_year": "day", "month_day_year": "day", "day_month": "day", "month_day": "day",
    "yesterday": "day", "weekday": "day", "weekend": "day", "month_year": "month", "rel_month": "month", "in_month": "month",
    "month_noun": "month",
    "season_year": "year", "year": "year", "rel_unit": "day", "ago": "day",
}  # fmt: skip
_ABSOLUTE = {"iso_day", "day_month_year", "month_day_year", "month_year", "season_year", "year"}


def express(first: dt.date, last: dt.date, finest: str) -> tuple[str | None, str | None]:
    """The finest of day, month or year that holds for every day from `first` to `last`."""
    if first == last and _RANK[finest] <= _RANK["day"]:
        return first.isoformat(), "day"
    if (first.year, first.month) == (last.year, last.month) and _RANK[finest] <= _RANK["month"]:
        return f"{first.year:04d}-{first.month:02d}", "month"
    if first.year == last.year:
        return f"{first.year:04d}", "year"
    return None, None


def _finest(kind: str, g: dict[str, str | None]) -> str:
    if kind == "month_year" and (g.get("qual") or "").strip().lower().startswith(("the first", "the second", "the beginning", "the end", "the start")):
        return "year"
    if kind == "year" and g.get("qual"):
        return "year"
    return _OWN_PRECISION[kind]


def _article_date_words(published: str, approximate: bool) -> str:
    return ("about " if approximate else "") + display_date(published)


def _why(kind: str, text: str, value: str | None, published: str, approximate: bool, widened: bool) -> str:
    said = f"“{' '.join(text.split())}”"
    when = _article_date_words(published, approximate)
    if kind in _ABSOLUTE:
        note = f"Stated in the text: {said}."
    elif kind in ("day_month", "month_day", "in_month", "month_noun"):
        note = f"{said} in an article of {when}: the year is the article's (the most recent such date)."
    else:
        note = f"{said} counted back from the article's date ({when})."
    if value is None:
        note += " The possible dates cross a year boundary, so no date is given."
    elif widened:
        note += (
            f" The article's own date is approximate, so the date holds for every possible publication "
            f"date ({value})."
        )
    elif approximate and kind not in _ABSOLUTE:
        note += " The article's own date is approximate."
    return note


# Words that make a date a bound rather than the time of an act: "complete the work by 2006", "extended up to
# December 1998", "more equipment through 2020", "by the end of 2012".
_BOUND_BEFORE = re.compile(r"(?i)\b(?:by|until|till|up\s+to|through|no\s+later\s+than)\s+$")
_BOUND_START = re.compile(r"(?i)(?:by|until|till|through)\s")


def _deadline(text: str, start: int, phrase: str, precision: str | None, first: dt.date, window_end: dt.date) -> bool:
    """Whether a date is a deadline or a plan, not the date of an act the article reports: a bound ("by 2006",
    "up to December 1998", "until the end of 2012"), or a month or a year that begins after the article's latest
    possible date ("would be shut in 2014" in a report of 2013, "by next August"). A day ahead stays a date: a
    scheduled meeting ("will meet again on October 25") is drafted at its day."""
    if _BOUND_START.match(phrase) or _BOUND_BEFORE.search(text[max(0, start - 20) : start]):
        return True
    return precision != "day" and first > window_end


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def find_dates(text: str, published: str, approximate: bool = False) -> list[FoundDate]:
    """Every date expression in `text`, left to right, each resolved against the publication date."""
    window = publication_window(published, approximate)
    nominal = publication_window(published, False)
    _, _, pub_precision = parse_partial_date(published)
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if _overlaps(span, taken):
                continue
            g = match.groupdict()
            if kind == "weekday" and not g.get("rel") and not re.search(r"(?i)\bon\s+$", text[: span[0]]):
                g["rel"] = None  # a bare weekday still counts ("distributed to media Saturday")
            if kind == "month_day" and g["month"] == "May" and not re.fullmatch(r"May\s+\d+", match.group()):
                continue
            # A date named without its year is the most recent one up to the end of the article's stated
            # date (an article names dates before it); deictic words ("last week") depend on the exact day.
            named = kind in ("day_month", "month_day", "in_month", "month_noun", "rel_month")
            bases = (nominal[1], nominal[1]) if named else window
            try:
                ends = [_interval(kind, g, base) for base in bases]
            except (ValueError, KeyError):
                continue  # not a real calendar date ("February 30"): not a date expression
            if any(e is None for e in ends):
                continue
            first = min(e[0] for e in ends if e)
            last = max(e[1] for e in ends if e)
            value, precision = express(first, last, _finest(kind, g))
            start, end = span
            while end > start and text[end - 1] in " ,.":
                end -= 1
            phrase = text[start:end]
            relative = kind not in _ABSOLUTE
            widened = relative and ends[0] != ends[1]
            note = _why(kind, phrase, value, published, approximate, widened and approximate)
            if relative and not approximate and ends[0] != ends[1] and value is not None:
                note += f" The article is dated only to the {pub_precision}, so the date holds for all of it."
            bound = _deadline(text, start, phrase, precision, first, window[1])
            if bound:
                note += " A deadline or a plan, not the date of an act the article reports."
            found.append(FoundDate(start, end, phrase, kind, value, precision, relative, note, bound))
            taken.append(span)
    return sorted(found, key=lambda f: f.start)


def anchored(text: str, found: list[FoundDate], published: str, approximate: bool, passage_day: str | None = None) -> list[FoundDate]:
    """The dates of `text` with each relative one ("three days ago", "this morning", a weekday) counted from
    the day the sentence itself names (its first stated day), else, for "today"/"this morning"/"tonight",
    from `passage_day` (a day the passage named before), and from the publication date only otherwise."""
    day = next((f.value for f in found if not f.relative and f.precision == "day" and f.value), None)
    deictic = {"today", "this morning", "this afternoon", "this evening", "tonight"}
    if not any(f.relative for f in found) or (day is None and passage_day is None):
        return found
    out = []
    for f in found:
        base = day or (passage_day if f.text.lower() in deictic else None)
        if not f.relative or base is None:
            out.append(f)
            continue
        again = [g for g in find_dates(text, base, False) if g.start == f.start]
        if not again or again[0].value is None:
            out.append(f)
            continue
        g = again[0]
        where = "the sentence" if day else "the passage"
        out.append(FoundDate(f.start, f.end, f.text, f.kind, g.value, g.precision, True,
                             f"“{f.text}” counted from {base}, the day {where} names (not the publication date).", f.deadline))  # fmt: skip
    return out


def undated(published: str, approximate: bool) -> tuple[str, str, str]:
    """The date of an act the text does not date (ongoing or recent at publication, CODEBOOK.md section 2):
    the article's month, or its year when its own date is approximate. Returns (value, precision, note)."""
    first, _, precision = parse_partial_date(published)
    if approximate or precision == "year":
        value, precision = f"{first.year:04d}", "year"
    else:
        value, precision = f"{first.year:04d}-{first.month:02d}", "month"
    note = (
        f"Not dated in the text: taken as current at publication and dated to the article's "
        f"{precision} ({_article_date_words(published, approximate)})."
    )
    if approximate:
        note += " The article's own date is approximate, so only its year is given."
    return value, precision, note
