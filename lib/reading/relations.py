"""Dates of acts the text places relative to other acts (CODEBOOK.md 3.2).

"Take the other event's date and keep only the precision the relation allows." Three relations:

- across "after"/"before" in one sentence: "a convoy was attacked last September, *shortly after*
  car bombers attacked a police station" puts the bombing up to a month before September;
- temporal anaphora: "the same day", "the next day", "later that month", "that year" take the date
  of an earlier dated act in the article: the one whose sentence shares a word with this one ("The
  lower house vote came the same day ..." → the vote's day), else the nearest before it;
- a reaction to an earlier act ("The statement ... elicited a sharply negative reaction") came after
  that act at a time the text does not give, so it is dated to that act's year.

Each function returns a `FoundDate` whose note says which words and which other date it rests on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from lib.model.schema import parse_partial_date
from lib.reading.dates import NUMBERS, FoundDate, add_months, express, publication_window
from lib.text import clip

_RANK = {"day": 0, "month": 1, "year": 2}
_N = r"(?P<n>\d{1,2}|" + "|".join(k for k in NUMBERS if k not in ("a", "an")) + r")"


@dataclass(frozen=True)
class Dated:
    """A date expression met earlier in the article: where, what it resolved to, and its sentence."""

    offset: int  # article offset of the expression
    found: FoundDate
    sentence: str
    paragraph: int


# ---------------------------------------------------------------------------
# across "after" / "before" in one sentence

_ACROSS = re.compile(
    r"(?i)\b(?:(?P<qual>shortly|soon|just|immediately|right|only|hours|days|weeks|months|years"
    r"|a\s+few\s+(?:days|weeks|months|years)|(?:a|an|one|the)\s+(?:day|week|month|year)"
    rf"|{_N}\s+(?P<unit>day|week|month|year)s?)\s+)?(?P<dir>after|before)\b"
)
_NOT_TEMPORAL = re.compile(r"(?i)(?:named|look|looks|looked|looking|called|modelled|modeled|taken)\s+$")
_FAR = 10**5  # days: "before" with no word of how long
_BOUNDS = {  # days one act may lie from the other
    "shortly": (0, 31), "soon": (0, 31), "just": (0, 31), "immediately": (0, 7), "right": (0, 7),
    "only": (0, 31), "hours": (0, 2), "days": (1, 14), "weeks": (7, 62), "months": (28, 366),
    "years": (365, 3660), "a few days": (1, 14), "a few weeks": (7, 62), "a few months": (28, 366),
    "a few years": (365, 3660),
}  # fmt: skip


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word.lower()]


def _bounds(m: re.Match[str]) -> tuple[int, int] | tuple[str, int] | None:
    """(least, most) days between the acts, ("month"/"year", n) for whole calendar units, or None."""
    qual = " ".join((m.group("qual") or "").lower().split())
    if not qual:
        return None
    if qual in _BOUNDS:
        return _BOUNDS[qual]
    unit = m.group("unit") or qual.split()[-1]
    n = _number(m.group("n")) if m.group("n") else 1
    if unit == "day":
        return n, n
    if unit == "week":
        return 7 * n - 3, 7 * n + 3
    return unit, n


# The commas of a date ("the September 11, 2001, attacks") end no clause.
_DATE_COMMAS = re.compile(r"\b[A-Z][a-z]{2,8}\.?\s+[0-3]?\d,\s*(?:19|20)\d{2}\b,?")
_CLAUSE_END = re.compile(r"[,;:]|\s[-–—]\s")


def _scope(sentence: str, m: re.Match[str]) -> tuple[int, int]:
    """From the marker to the end of its clause (the next comma, semicolon, colon or dash that is not a date's)."""
    in_dates = [d.span() for d in _DATE_COMMAS.finditer(sentence)]
    for stop in _CLAUSE_END.finditer(sentence, m.end()):
        if not any(s <= stop.start() < e for s, e in in_dates):
            return m.start(), stop.start()
    return m.start(), len(sentence)


def _markers(sentence: str) -> list[re.Match[str]]:
    return [
        m
        for m in _ACROSS.finditer(sentence)
        if not _NOT_TEMPORAL.search(sentence, 0, m.start()) and not re.match(r"\s+(?:all|yesterday)\b", sentence[m.end() :])
    ]


def relation_clause(sentence: str, pos: int) -> tuple[int, int] | None:
    """The "after ..."/"before ..." clause holding offset `pos`, if any: an act there is another act
    than one outside it, even between the same parties."""
    for m in _markers(sentence):
        start, end = _scope(sentence, m)
        if start <= pos < end:
            return start, end
    return None


def _moved(first: dt.date, last: dt.date, bounds, sign: int, ceiling: dt.date) -> tuple[dt.date, dt.date] | None:
    if isinstance(bounds[0], str):
        unit, n = bounds
        months = n * (12 if unit == "year" else 1) * sign
        return add_months(first, months), add_months(last, months)
    least, most = bounds
    if sign > 0:
        return first + dt.timedelta(days=least), min(last + dt.timedelta(days=most), max(ceiling, first))
    if most >= _FAR:
        return None
    return first - dt.timedelta(days=most), last - dt.timedelta(days=least)


def across(
    sentence: str, trigger: tuple[int, int], found: FoundDate, published: str, approximate: bool = False
) -> FoundDate | None:
    """The trigger's date when "after"/"before" stands between it and `found` (offsets in `sentence`);
    None when no such relation links them."""
    for m in _markers(sentence):
        start, end = _scope(sentence, m)
        trigger_in = start <= trigger[0] < end
        date_in = start <= found.start < end
        if trigger_in == date_in or found.value is None:
            continue
        after = m.group("dir").lower() == "after"
        # "A (dated), after B": B came before A. "A after B (dated)": A came after B.
        sign = (-1 if after else 1) if trigger_in else (1 if after else -1)
        bounds = _bounds(m) or (0, _FAR)
        first, last, precision = parse_partial_date(found.value)
        ceiling = publication_window(published, approximate)[1]
        span = _moved(first, last, bounds, sign, ceiling)
        words = " ".join(m.group().split())
        other = f"“{found.text}” ({found.value})"
        if span is None:
            value, new_precision = f"{first.year:04d}", "year"
            how = (
                f"“{words}” places this act before another dated by {other}, without saying how long "
                f"before: coded to that year at most, check it."
            )
        else:
            loose = bounds[0] if isinstance(bounds[0], str) else "day"  # "a year after": no finer than the year
            value, new_precision = express(span[0], span[1], max(precision, loose, key=_RANK.get))
            if value is None:
                value, new_precision = f"{first.year:04d}", "year"
                how = (
                    f"“{words}” places this act relative to another dated by {other}; the possible dates "
                    f"cross a year boundary, so it is coded to that year: check it."
                )
            else:
                when = "before" if sign < 0 else "after"
                how = f"“{words}” places this act {when} another dated by {other}, so {value}."
        return replace(found, value=value, precision=new_precision, relative=True, note=f"{how} {found.note}")
    return None


# ---------------------------------------------------------------------------
# "the same day", "later that month", "the following year"

_ANAPHORA: list[tuple[re.Pattern[str], str, int]] = [
    (re.compile(r"(?i)\b(?:(?:on\s+)?the\s+(?:very\s+)?same\s+day|(?:later|earlier)\s+(?:that|the\s+same)\s+day|on\s+that\s+(?:same\s+)?day|that\s+same\s+day)\b"), "day", 0),
    (re.compile(r"(?i)\b(?:the\s+(?:next|following)\s+day|a\s+day\s+later|the\s+day\s+after(?=[\s,.;]*(?:$|[,.;])))"), "day", 1),
    (re.compile(r"(?i)\b(?:the\s+(?:previous|preceding)\s+day|a\s+day\s+earlier)\b"), "day", -1),
    (re.compile(rf"(?i)\b{_N}\s+days\s+(?:later|afterwards?)\b"), "day", 1),
    (re.compile(rf"(?i)\b{_N}\s+days\s+earlier\b"), "day", -1),
    (re.compile(r"(?i)\b(?:(?:later|earlier)\s+(?:that|the\s+same)\s+week|(?:in\s+)?the\s+same\s+week|that\s+same\s+week)\b"), "week", 0),
    (re.compile(r"(?i)\b(?:(?:later|earlier)\s+(?:that|the\s+same)\s+month|(?:in\s+)?the\s+same\s+month|that\s+same\s+month)\b"), "month", 0),
    (re.compile(r"(?i)\b(?:the\s+(?:next|following)\s+month|a\s+month\s+later)\b"), "month", 1),
    (re.compile(r"(?i)\b(?:(?:later|earlier)\s+(?:that|the\s+same)\s+year|(?:in\s+)?the\s+same\s+year|that\s+same\s+year)\b"), "year", 0),
    (re.compile(r"(?i)\b(?:the\s+(?:next|following)\s+year|a\s+year\s+later)\b"), "year", 1),
    (re.compile(r"(?i)\b(?:the\s+(?:previous|preceding)\s+year|a\s+year\s+earlier)\b"), "year", -1),
]  # fmt: skip
_STOP = {
    "that", "this", "these", "those", "with", "from", "have", "been", "were", "which", "their", "there",
    "after", "before", "same", "came", "also", "about", "into", "when", "while", "they", "said", "says",
}  # fmt: skip


def _content_words(text: str) -> set[str]:
    return {w[:6] for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _STOP}


def _anchor(earlier: list[Dated], words: set[str]) -> Dated | None:
    """The earlier date whose sentence shares most words with `words`, the latest of those (with no
    shared word, simply the latest: the time the text last spoke of)."""
    dated = [d for d in earlier if d.found.value]
    return max(dated, key=lambda d: (len(words & _content_words(d.sentence)), d.offset)) if dated else None


def anaphoric(sentence: str, earlier: list[Dated]) -> FoundDate | None:
    """The date of a sentence that says "the same day", "the next day", "later that year" and the like,
    from the earlier dated act it points to."""
    for pattern, unit, step in _ANAPHORA:
        m = pattern.search(sentence)
        if not m:
            continue
        anchor = _anchor(earlier, _content_words(sentence[: m.start()]))
        if anchor is None:
            return None
        n = _number(m.group("n")) if "n" in m.groupdict() and m.group("n") else 1
        first, last, precision = parse_partial_date(anchor.found.value)
        if unit == "day":
            first, last = first + dt.timedelta(days=step * n), last + dt.timedelta(days=step * n)
        elif unit == "week":
            first = first - dt.timedelta(days=first.weekday())
            last = last - dt.timedelta(days=last.weekday()) + dt.timedelta(days=6)
        elif unit == "month":
            first = add_months(first.replace(day=1), step)
            last = add_months(last.replace(day=1), step + 1) - dt.timedelta(days=1)
        else:
            first, last = dt.date(first.year + step, 1, 1), dt.date(last.year + step, 12, 31)
        value, new_precision = express(first, last, "day" if unit in ("day", "week") else unit)
        if value is None:
            return None  # "the next day" after a date known only to the year may be in the next year
        words = " ".join(m.group().split())
        note = (
            f"“{words}”: placed by the earlier “{anchor.found.text}” ({anchor.found.value}), in “"
            f"{clip(' '.join(anchor.sentence.split()), 90)}”, so {value}. {anchor.found.note}"
        )
        return FoundDate(m.start(), m.end(), m.group(), "anaphora", value, new_precision, True, note)
    return None


# ---------------------------------------------------------------------------
# a reaction to an earlier act

_REACTION = re.compile(
    r"(?i)\b(?:reaction|reacted|reacting|response|responded|responding|replied|retorted|retaliat\w*"
    r"|backlash|outcry|rebuff\w*|in\s+reply)\b|\b(?:drew|prompted|provoked|sparked|triggered|elicited|met\s+with)\b"
)
_BACK_REFERENCE = re.compile(
    r"(?i)\b(?:the|this|that|these|those|such)\s+(?:[\w’'-]+\s+){0,2}?"
    r"(?:statement|remark|comment|move|decision|announcement|attack|proposal|warning|visit|vote|claim"
    r"|accusation|threat|offer|deal|agreement|step|report|interview|speech|words|declaration|policy|law"
    r"|ban|strike|raid|bombing|killing|arrest|meeting|appeal|demand|message|video)s?\b"
)


def reaction(sentence: str, earlier: list[Dated], paragraph: int) -> FoundDate | None:
    """The date of an undated reaction to an act reported just before ("The statement by Putin's envoy
    elicited a sharply negative reaction"): the year of the nearest earlier date in this or the
    previous paragraph, since the reaction came after that act but the text does not say when."""
    cue = _REACTION.search(sentence)
    ref = _BACK_REFERENCE.search(sentence)
    if not cue or not ref:
        return None
    near = [d for d in earlier if d.found.value and d.paragraph >= paragraph - 1]
    if not near:
        return None
    anchor = max(near, key=lambda d: d.offset)
    year = anchor.found.value[:4]
    note = (
        f"A reaction (“{' '.join(cue.group().split())}”) to “{' '.join(ref.group().split())}”, an act dated "
        f"just before by “{anchor.found.text}” ({anchor.found.value}). The reaction came after it, at a "
        f"time the text does not give, so it is coded to {year} (CODEBOOK.md 3.2). {anchor.found.note}"
    )
    return FoundDate(ref.start(), ref.end(), ref.group(), "reaction", year, "year", True, note)


