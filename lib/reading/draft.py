"""Draft events from an article: `python -m lib.draft ARTICLE.md [--data DIR] [--out FILE]`.

The machine proposes, the analyst decides. Each draft is one sentence of the article (its quote, a
verbatim slice of the body), the known actors it names (`lib/model/names.py`), a trigger word from the lexicon
(`data/lexicon.yaml`, `lib/reading/lexicon.py`) that gives the event type and stance, and a date resolved against
the publication date (`lib/reading/dates.py`). Everything inferred is listed in `guessed` and explained in
`notes`; names it does not know are reported, never matched to a known actor.

Recall first, ranked not filtered (issue 20): every reading a sentence can support is a candidate: the
clause rules' and reported speech's readings, every ordered pair of its parties and known names (both
orders, a superset of the naive baseline's pairs) through the act word between them, and a no-target
reading of each party with an act word; negated, hypothetical and unlikely readings are flagged, never
dropped. Each gets a confidence from its features (`_features`; the weights are data/draft_ranker.yaml,
lib/reading/ranker.py); the budget keeps per quote the most confident readings at or above a threshold.
All kept readings of one quote make one card: the most confident first, the others its `alternatives`;
each says its `confidence` (0-1) and the `reason` (the rule and the features that weighed most).

The rules (CODEBOOK.md section 17): the actor is the nearest named party before the trigger in the same
clause (a party inside a "which"/"who" clause or after a preposition is not the doer); the target is the
first other party after it; "by X" makes X the doer; in a meeting or visit placed in a capital, the host
is the target; "X and Y" as doers give one draft each; "the movement" and the like point back to the
last actor of a fitting kind named in the same or the previous paragraph.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from lib.errors import DashboardError, DataProblem
from lib.model.dataset import Dataset
from lib.model.governments import Speaker, speaker
from lib.model.load import load_dataset, split_front_matter
from lib.model.names import Mention, NameIndex, normalise, unknown_names
from lib.model.read import load_yaml, validation_problems, yaml_error_text
from lib.model.schema import Article, ArticleMeta, Event, parse_partial_date
from lib.reading import people, references, relations, syntax
from lib.reading.dates import FoundDate, anchored, find_dates, publication_window, undated
from lib.reading.lexicon import CompiledLexicon, VerbEntry, load_lexicon, words_of
from lib.reading.modality import qualify, with_reading_note
from lib.reading.place_guess import guess_place
from lib.reading.proposal import Draft
from lib.reading.ranker import Ranker, load_ranker

# The reading rules that can be switched off one at a time, to measure each one's gain on the development
# set (`python -m bench draft`, per-rule table): a rule that gains nothing there is removed.
RULES: dict[str, str] = {
    "compounds": "a name inside a hyphenated route, project or modifier (“Russia-led”) is not a party",
    "agent-compounds": "a name before “-led”, “-backed”, “-appointed”, “-brokered” (“a UN-mediated deal”) is the agent: a party of the recall pairs",
    "institution-names": "a country after an institution's name (“the Ministry of Foreign Affairs of X”, “the Security Council of X”) is its state",
    "alias-surnames": "a person listed by full name (“Anders Fogh Rasmussen”) is later named by the surname alone (“Rasmussen said”)",
    "opposition": "“the opposition”, “anti-Taliban militias”: the armed group of that country out of power then that the article has named most",
    "participants": "“the parties”, “all sides”, “the participants”: the three parties the passage names most, a recall pair each way",
    "demonym-acts": "a demonym before an act noun (“Pakistani airstrikes”, “a joint Kyrgyz-Uzbek agreement”) is the state acting",
    "bare-country": "a bare country name acting is read as its government at the time",
    "references": "“the movement”, “the government” point back to an actor named before",
    "people": "a person named with a title (“Uzbek Foreign Minister A. Kamilov”) acts for the title's state; later, the surname alone (“Kamilov said”) is the same person",
    "preposition-country": "a bare country name after a preposition (“a threat to Uzbekistan”) is a party of the recall pairs only",
    "titles": "a title with no name of its own (“the foreign minister”) is an official of the state named most",
    "groups": "a group name (“Central Asian states”) is the group, and its members named together are too",
    "modality": "negated, hypothetical and conditional acts dropped; threats, intentions and refusals re-read",
    "pronouns": "“it”, “they” (subject) and “it”, “them” (object) are parties of the sentence before",
    "reported-speech": "a quoted act is the speaker's accusation or statement, dated by the saying",
    "occasion-date": "a sentence with no date that refers back to an occasion (“during their meeting”) takes the last day the article named",
    "date-from-others": "a date through another act (“after”, “the same day”, a reaction)",
    "two-sides": "“both sides”, “the two countries” are the two parties the passage names most: a recall pair both ways",
    "pronoun-kinds": "a subject pronoun (“he”, “it”, “they”, or one that speaks: “..., he said”) read as the doer of the nearest sentence before whose kind fits",
    "passage-day": "an undated sentence takes the last day its paragraph or the one before named (“On Tuesday X met Y. They agreed ...”)",
}

DRAFT_KEY = "draft"  # the machine-only mapping in the YAML output; remove it when accepting an event


# ---------------------------------------------------------------------------
# reading an article file


def read_article_file(path: str | Path) -> Article:
    """Read an article file (front matter as in data/articles/) from anywhere on disk.

    Raises DashboardError naming the file and every problem with its front matter.
    """
    path = Path(path)
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DashboardError("Cannot read the article", f"{label}: {exc}") from exc
    parts = split_front_matter(text)
    if parts is None:
        raise DashboardError("No front matter", f"{label}: has no YAML front matter between '---' lines")
    try:
        meta = load_yaml(parts[0])
    except yaml.YAMLError as exc:
        raise DashboardError("Bad front matter", f"{label}: {yaml_error_text(exc)}") from exc
    if not isinstance(meta, dict):
        raise DashboardError("Bad front matter", f"{label}: expected a mapping of fields")
    from pydantic import ValidationError

    try:
        ArticleMeta.model_validate(meta)
        article = Article.model_validate({**meta, "text": parts[1].strip(), "path": label})
    except ValidationError as exc:
        problems = validation_problems(label, "front matter", exc)
        raise DashboardError("Bad front matter", "; ".join(str(p) for p in problems)) from exc
    if not article.text:
        raise DashboardError("Empty article", f"{label}: has no body text to quote from")
    return article


# ---------------------------------------------------------------------------
# sentences

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "maj", "st", "no", "vs", "etc", "e.g", "i.e",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "prof", "rev",
    "sen", "rep", "gov", "pres", "approx", "fig", "inc", "ltd", "co", "corp", "jr", "sr",
}  # fmt: skip
_END = re.compile(r"[.!?]+[\"”’')\]]*(?:\[\d{1,3}\])*(?=\s)")  # a footnote mark ("[1]") ends with it
_OPENING = re.compile(r"\s+[\"“‘'(\[]*[A-Z0-9]")
_TERMINAL = re.compile(r"[.!?][\"”’')\]]*(?:\[\d{1,3}\])*\s*$|[\"”’]\s*$")


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the paragraphs (separated by blank lines), trimmed."""
    start = 0
    for match in re.finditer(r"\n\s*\n", text):
        yield from _trimmed(text, start, match.start())
        start = match.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans within `text[start:end]`: a split after . ! ? (and closing quotes) followed by a
    capital, a digit or an opening quote, except after abbreviations and initials ("U.S.", "Gen.")."""
    end = len(text) if end is None else end
    spans = []
    begin = start
    for match in _END.finditer(text, start, end):
        stop = match.end()
        if not _OPENING.match(text, stop, end):
            continue
        word = re.search(r"([\w.]+)[.!?]*[\"”’')\]]*$", re.sub(r"(?:\[\d{1,3}\])+$", "", text[begin:stop]))
        token = (word.group(1) if word else "").rstrip(".").lower()
        if match.group().startswith(".") and (token in _ABBREVIATIONS or re.fullmatch(r"(?:\w\.)*\w", token)):
            continue
        spans.extend(_trimmed(text, begin, stop))
        begin = stop
    spans.extend(_trimmed(text, begin, end))
    return spans


# ---------------------------------------------------------------------------
# parties in a sentence


@dataclass
class Party:
    """An actor named in a sentence, with what the drafter made of it."""

    start: int
    end: int
    text: str
    actor: str
    how: str  # why this words name this actor (for the notes)
    guessed: bool = False
    location: bool = False  # a place after "in", "at"...: it places the event, it does not act
    prepositional: bool = False  # after "of", "with", "for"...: not the doer
    possessive: bool = False
    head: int = -1  # where the phrase naming it starts, when before the name ("the government of Afghanistan")
    bare: bool = False  # a bare country name read as its government: not counted for "the country" and the like
    member: bool = False  # a member read from a group name (or the group from its members): recall only
    side: bool = False  # one of "both sides" (with `member`): paired with the other side in the recall pairs
    person: str = ""  # the name of the person a title rule read ("Foreign Minister Erlan Idrisov"), if any
    resolved: str = ""  # read through another sentence: "pronoun" (lib/reading/references.py), "description" ("the militants")


@dataclass
class Analysis:
    """What one sentence holds."""

    parties: list[Party] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    locations: list[tuple[str, str]] = field(default_factory=list)  # (place as written, country)
    notes: list[str] = field(default_factory=list)


_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "of", "this", "these", "those", "our"}
_PREPOSITIONS = {"of", "for", "to", "with", "against", "towards", "toward", "about", "on", "by", "between", "among", "over"}
_SKIP_BEFORE = {"the", "a", "an"}


def _word_before(text: str, pos: int, skip: set[str] = _SKIP_BEFORE) -> tuple[str, int]:
    """The word before `pos` (skipping articles), lower case, and where it starts."""
    words = list(re.finditer(r"[\w’'-]+", text[:pos]))
    for match in reversed(words):
        word = normalise(match.group())
        if word not in skip:
            return word, match.start()
    return "", 0


def _institution_after(lexicon: CompiledLexicon, text: str, pos: int) -> str | None:
    """An institution noun right after `pos` ("Kazakh parliament", "Russian President"), skipping
    adjectives such as "senior" or "lower"."""
    words = words_of(text[pos : pos + 80])
    for skip in range(0, 3):
        found = lexicon.institutions.find(words[skip:])
        if found and found[0][0] == 0:
            return found[0][3].text
    return None


def _institution_before(lexicon: CompiledLexicon, text: str, pos: int) -> tuple[str, int] | None:
    """An institution noun before "of (the) <name>" ("government of Afghanistan", "governor of the
    Afghan province"), and where it starts."""
    lo = max(0, pos - 80)
    match = re.search(r"([\w’' -]+?)\s+of\s+(?:the\s+)?$", text[lo:pos])
    if not match:
        return None
    words = words_of(match.group(1))
    for n in range(1, 6):
        tail = words[-n:]
        found = lexicon.institutions.find(tail)
        if found and found[0][0] == 0 and found[0][2] == tail[-1][1]:
            return found[0][3].text, lo + match.start(1) + found[0][1]
    return None


def _government_actor(index: NameIndex, country: str, when: tuple[dt.date, dt.date] | None = None) -> Speaker:
    """Who speaks for a country's state over `when` (`lib/model/governments.py`)."""
    return speaker(index.countries[country], index.actors, when) if country in index.countries else Speaker(None, "")


def _out_of_office(index: NameIndex, actor: str, when: tuple[dt.date, dt.date] | None) -> bool:
    """Whether `actor`, a government actor (named for its office, not for itself like the Taliban), is
    one of its country's listed governments but not the one over `when`."""
    country = index.countries.get(index.actors[actor].country or "")
    if index.actors[actor].kind != "government" or country is None or not any(g.actor == actor for g in country.governments):
        return False
    return speaker(country, index.actors, when).actor != actor


def _when(dates: list[FoundDate], article: Article) -> tuple[dt.date, dt.date]:
    """The days a sentence speaks of: its first resolved date, else the article's possible dates."""
    usable = [d for d in dates if d.value]
    if usable:
        first, last, _ = parse_partial_date(usable[0].value)
        return first, last
    return publication_window(article.published, article.approximate)


def _analyse(
    text: str,
    mentions: list[Mention],
    index: NameIndex,
    lexicon: CompiledLexicon,
    when: tuple[dt.date, dt.date] | None = None,
    bare: bool = True,
    about: bool = True,
    institutions: bool = True,
    acts: list[tuple[int, int]] | None = None,
) -> Analysis:
    """The parties, countries and places a sentence names; a capital or "the Afghan government" is read
    as whoever governed the country over `when` (the sentence's date, else the article's). `acts`: where
    the sentence's trigger words are, for a demonym before an act ("Pakistani airstrikes")."""
    out = Analysis()
    for m in mentions:
        named = _named_by_institution(text, m.start, lexicon) if institutions and m.country else None
        if m.country and m.country not in out.countries:
            out.countries.append(m.country)
        before, _ = _word_before(text, m.start)
        dateline = m.start == 0 and m.text.isupper() and bool(re.match(r",|\s+[—–-]", text[m.end :]))
        place = (before in lexicon.place_words and m.country is not None) or dateline
        if place and m.kind == "capital" and not dateline:  # a dateline says where it was filed
            out.locations.append((m.text, m.country or ""))
        actor = m.actor
        how = f"“{m.text}” is a name of {index.actors[actor].name}" if actor else ""
        if m.kind == "capital" and actor:
            how = f"“{m.text}”, the capital, read as the government of {index.actors[actor].name}"
        if actor and m.kind == "name" and _out_of_office(index, actor, when):
            # "the Afghan government" in 2000 or 2023 is whoever held Kabul then
            m = Mention(m.start, m.end, m.text, None, index.actors[actor].country, "capital", m.name)
            actor = None
        if m.kind == "capital" and m.country in index.countries and (actor is None or index.countries[m.country].governments):
            who = _government_actor(index, m.country, when)
            if who.actor is None:
                out.notes.append(f"“{m.text}”, the capital: {who.why}; the speaker is left for the analyst")
                continue
            actor, how = who.actor, f"“{m.text}”, the capital, read as the government then: {who.why}"
        head = m.start  # where the phrase naming the party starts ("the governor of the Afghan province")
        if (
            bare and actor is None and m.kind in ("name", "alias") and not place and m.country in index.countries
            and index.countries[m.country].governments and not _institution_after(lexicon, text, m.end)
        ):
            # a bare "Afghanistan" acting: whoever governed it then (a guess, CODEBOOK.md 17.1)
            who = _government_actor(index, m.country, when)
            if who.actor is None and when is not None:
                touching = [g.actor for g in index.countries[m.country].governments
                            if (g.since is None or parse_partial_date(g.since)[0] <= when[1])
                            and (g.until is None or when[0] <= parse_partial_date(g.until)[1]) and g.actor in index.actors]  # fmt: skip
                if touching:
                    who = Speaker(touching[-1], f"{index.actors[touching[-1]].name}, the last of the governments over these dates (a guess)")
            if who.actor is not None:
                party = Party(m.start, m.end, m.text, who.actor, f"“{m.text}”, the country, read as its government then: {who.why}", guessed=True, bare=True)
                if named:
                    head, party.bare = named[1], False
                    party.how += f" (“{named[0]}” of the country)"
                party.prepositional = _after_preposition(text, head)
                party.possessive = bool(re.match(r"\s?['’]s\b", text[m.end : m.end + 3]))
                party.head = head
                if not party.prepositional or party.possessive:
                    out.parties.append(party)
                elif about:
                    # measured on the development set: after a preposition ("flour to Afghanistan",
                    # "talks on Afghanistan") the country is mostly what the act is about, not a party:
                    # it is a party of the recall pairs only ("a threat to Uzbekistan")
                    party.member = True
                    party.how += " (after a preposition: a recall pair only)"
                    out.parties.append(party)
                continue
        if m.kind == "demonym" or (actor is None and m.country):
            noun = _institution_after(lexicon, text, m.end)
            if noun is None and (found := _institution_before(lexicon, text, m.start)):
                noun, head = found
            if noun is None and named:
                noun, head = named
            if noun is None and acts and m.kind == "demonym":
                tail = _HYPHENATED.match(text, m.end).end()  # "a Kazakh-Turkmen agreement": both act
                noun = next((text[s:e] for s, e in acts if s >= tail and _ACT_GAP.fullmatch(text, tail, s)), None)
            who = _government_actor(index, m.country, when) if (noun and m.country) else Speaker(None, "")
            if who.actor is None:
                if noun and who.why:
                    out.notes.append(f"“{m.text}” with “{noun}”: {who.why}; the speaker is left for the analyst")
                continue  # "Uzbek language", "in Afghanistan": a country, not a party
            actor = who.actor
            how = f"“{m.text}” with “{noun}” read as {who.why}"
            place = False
        if actor is None:
            continue
        if named and head == m.start and not place:
            head = named[1]  # "the Ministry of Foreign Affairs of Uzbekistan": the ministry is the party's phrase
        party = Party(m.start, m.end, m.text, actor, how, guessed=m.kind == "capital")
        party.location = place
        party.prepositional = _after_preposition(text, head)
        party.possessive = bool(re.match(r"\s?['’]s\b", text[m.end : m.end + 3]))
        party.head = head
        out.parties.append(party)
    return out


_APPOINTED = re.compile(r"-(?:appointed|nominated|named|designated|installed)\s+(?:[a-z]+\s+)?")
_HYPHENATED = re.compile(r"(?:-[A-Z][\w.’']*)*")
_ACT_GAP = re.compile(r"[\s-]*(?:[a-z][\w-]*\s+)?")  # "Pakistani airstrikes", "Uzbek military strikes"
_AGENT_COMPOUND = re.compile(
    r"\.?-(?:led|backed|appointed|brokered|mediated|sponsored|installed|controlled|run|funded|financed|trained|"
    r"supported|armed|organi[sz]ed|hosted|imposed|administered|drafted|proposed)\b"
)


def _named_by_institution(text: str, pos: int, lexicon: CompiledLexicon) -> tuple[str, int] | None:
    """“The Ministry of Foreign Affairs of X”, “the Security Council of X”: the institution's noun and
    where its name starts, when the words before `pos` are such a name and “of”."""
    match = re.search(r"\s+of\s+(?:the\s+)?$", text[max(0, pos - 12) : pos])
    if not match:
        return None
    return _institution_name(text, pos, lexicon)


def agent_compound(text: str, m: Mention) -> bool:
    """A name before “-led”, “-backed”, “-appointed” and the like (“a UN-mediated deal”): the agent of
    what the compound describes."""
    return bool(_AGENT_COMPOUND.match(text, m.end))


_NAME_OF = re.compile(r"\b([A-Z][\w’'-]+)\s+of\s+(?:the\s+)?$")


def _inside_a_name(text: str, m: Mention, lexicon: CompiledLexicon, institutions: bool = True) -> bool:
    """A country named inside a longer proper name ("the Islamic Movement of Uzbekistan", "Bank of
    Russia") is not a mention of the country: the whole name is left for the analyst."""
    match = _NAME_OF.search(text, 0, m.start)
    if not match or m.country is None:
        return False
    word = normalise(match.group(1))
    if word in _STATE_FORMS:
        return False  # "the Republic of Uzbekistan", "the Islamic Emirate of Afghanistan" name the state
    if institutions and _institution_name(text, m.start, lexicon):
        return False  # "the Ministry of Foreign Affairs of Uzbekistan", "the Security Council of Tajikistan"
    return word not in lexicon.not_names and not lexicon.institutions.find(words_of(match.group(1)))


_CAPITALISED_CHAIN = re.compile(r"((?:[A-Z][\w’'-]*\s+(?:(?:of|for|and)\s+(?:the\s+)?)?){1,6})$")


def _institution_name(text: str, end: int, lexicon: CompiledLexicon) -> tuple[str, int] | None:
    """An institution's name followed by "of" that ends at `end` ("the Ministry of Foreign Affairs of ",
    "the State Security Council of "): its institution noun, and where the name starts."""
    match = _CAPITALISED_CHAIN.search(text, max(0, end - 120), end)
    if not match:
        return None
    words = words_of(match.group(1))
    for i in range(len(words)):
        found = lexicon.institutions.find(words[i:])
        if found and found[0][0] == 0:
            return found[0][3].text, match.start(1) + words[i][0]
    return None


_CHAIN = re.compile(r"[\w’'.]+(?:-[\w’'.]+)+")


def _in_compound(text: str, m: Mention, mentions: list[Mention]) -> bool:
    """A name inside a hyphenated compound that names a thing, not a party: a route or project of three or
    more places ("the Turkmenistan-Afghanistan-Pakistan-India pipeline", "the Termez-Kabul railway") or
    a modifier ("Russia-led", "US-backed"). Two known names alone ("Uzbek-Afghan talks") are the two
    parties of a relation and stay."""
    chain = next((c for c in _CHAIN.finditer(text) if c.start() <= m.start and m.end <= c.end()), None)
    if chain is None or (chain.start(), chain.end()) == (m.start, m.end):
        return False  # the name itself is hyphenated ("al-Qaeda", "Mazar-i-Sharif")
    named = [n for n in mentions if chain.start() <= n.start and n.end <= chain.end()]
    rest = [
        p for p in re.finditer(r"[^-]+", chain.group())
        if not any(n.start <= chain.start() + p.start() < n.end for n in named)
    ]  # fmt: skip
    if any(p.group()[:1].islower() for p in rest):
        return True  # "Russia-led", "Afghan-owned"
    return bool(rest) or len(named) >= 3


_STATE_FORMS = {"republic", "kingdom", "emirate", "federation", "sultanate", "state", "people's", "government"}


_COORDINATED = re.compile(r"(?:(?:the\s+)?[A-Z][\w.'’-]*\s+){1,4}(?:and|or)\s+(?:the\s+)?$|(?:[A-Z][\w.'’-]*,\s+)+$")


def _after_preposition(text: str, pos: int) -> bool:
    """Whether the words at `pos` are the object of a preposition ("talks with X", "for Afghanistan and
    Pakistan"): such a party is not the doer."""
    word, start = _word_before(text, pos)
    if word in _PREPOSITIONS:
        return True
    match = _COORDINATED.search(text[:pos])
    if match:
        word, _ = _word_before(text, match.start())
        return word in _PREPOSITIONS
    return False


_REGION_GROUP = re.compile(
    r"\bCentral\s+Asia(?:n(?:\s+(?:former\s+Soviet\s+)?(?:states|countries|republics|neighbou?rs|nations|governments|leaders|capitals"
    r"|(?i:partners|presidents|heads\s+of\s+state))))?\b"
)


def _group_actor(index: NameIndex) -> str | None:
    """The actor standing for the Central Asian states together (a government with no country whose name
    says Central Asia), if the data has one."""
    return next(
        (a.id for a in index.actors.values() if a.country is None and a.kind == "government" and "central asia" in a.name.lower()),
        None,
    )


def _members(index: NameIndex) -> list[str]:
    """The state actors of the countries the data marks as Central Asian."""
    return [c for c, country in index.countries.items() if country.central_asia and c in index.actors]


def _groups(text: str, analysis: Analysis, index: NameIndex, lexicon: CompiledLexicon) -> list[Party]:
    """A group name read as its members, and the members named together read as the group (CODEBOOK.md 7):
    "Central Asian neighbours" is each Central Asian state of countries.yaml (and the group actor, if the data
    has one); a list naming all of them is also the group. Always guesses."""
    group, members = _group_actor(index), _members(index)
    if not members:
        return []
    out: list[Party] = []
    taken = [(p.start, p.end) for p in analysis.parties]
    for match in _REGION_GROUP.finditer(text):
        before, _ = _word_before(text, match.start())
        if before in lexicon.place_words and match.group() in ("Central Asia",):
            continue  # "in Central Asia": a place
        if group and not any(a <= match.start() < b for a, b in taken):
            party = Party(match.start(), match.end(), match.group(), group, f"“{match.group()}” read as {index.actors[group].name}", guessed=True)
            party.prepositional = _after_preposition(text, match.start())
            out.append(party)
    named = {p.actor for p in analysis.parties}
    if group and group not in named and set(members) <= named and len(members) > 1:
        first = min((p for p in analysis.parties if p.actor in members), key=lambda p: p.start)
        out.append(Party(first.start, first.end, first.text, group, f"all {len(members)} Central Asian states named together: read as {index.actors[group].name}", guessed=True, member=True))
    return out


def _references(
    text: str, offset: int, lexicon: CompiledLexicon, index: NameIndex, earlier: list[tuple[int, str]], counts: Counter
) -> list[Party]:
    """Definite descriptions ("the movement") pointing back to an actor of a fitting kind named in this or
    the previous paragraph (`earlier`: (article offset, actor id)): the one the article has named most
    so far, the latest of those on a tie."""
    parties = []
    for start, end, kinds in lexicon.find_references(text):
        if re.match(r"\s+of\b", text[end:]):
            continue  # "the government of Kazakhstan" names its country
        candidates = [(pos, a) for pos, a in earlier if pos < offset + start and index.actors[a].kind in kinds]
        if not candidates:
            continue
        latest = {a: pos for pos, a in candidates}
        actor = max(latest, key=lambda a: (counts[a], latest[a]))
        party = Party(
            start,
            end,
            text[start:end],
            actor,
            f"“{text[start:end]}” read as {index.actors[actor].name}, the "
            f"{'/'.join(kinds).replace('_', ' ')} the article has named most up to here",
            guessed=True,
            resolved="description",  # the card's reason says whom the words were read as
        )
        party.prepositional = _after_preposition(text, start)
        party.possessive = text[end : end + 2] in ("'s", "’s")
        parties.append(party)
    return parties


_TWO_SIDES = re.compile(
    r"\b(?:[Tt]he\s+two|[Bb]oth)\s+(?:sides|countries|governments|parties|neighbou?rs|states|nations|delegations)\b"
)
_SIDE_KINDS = ("state", "government", "armed_group")


def _most_named(recent: list[tuple[int, str]], counts: Counter, position: int) -> list[str]:
    """The actors named before `position` (article offset), most named first, then the most recently named."""
    before = {a: pos for pos, a in recent if pos < position}
    return sorted(before, key=lambda a: (counts[a], before[a]), reverse=True)


def _two_sides(
    text: str, offset: int, index: NameIndex, recent: list[tuple[int, str]], counts: Counter, named: list[Party]
) -> list[Party]:
    """“Both sides”, “the two countries”: the two parties of the passage, read as the state, government or
    armed-group actors this sentence names first, then those named most in this paragraph and the one
    before (the latest on a tie). Recall pairs only, both ways (a guess)."""
    out: list[Party] = []
    for match in _TWO_SIDES.finditer(text):
        here = [p.actor for p in sorted(named, key=lambda p: p.start) if not p.location and not p.member]
        ranked = _most_named(recent, counts, offset + match.start())
        sides = [a for a in dict.fromkeys(here + ranked) if index.actors[a].kind in _SIDE_KINDS][:2]
        if len(sides) < 2:
            continue
        names = " and ".join(index.actors[a].name for a in sides)
        for actor in sides:
            party = Party(
                match.start(), match.end(), match.group(), actor,
                f"“{match.group()}” read as {names}, the two parties the passage names most", guessed=True, member=True,
            )
            party.side = True
            out.append(party)
    return out


def _titles(
    text: str, offset: int, lexicon: CompiledLexicon, index: NameIndex, earlier: list[tuple[int, str]], counts: Counter,
    parties: list[Party], agent_titles: bool = True,
) -> list[Party]:
    """A title with no country or known name of its own ("Foreign Minister Erlan Idrisov"): an official
    of the state or government the article has named most in this paragraph and the one before; with
    `agent_titles`, "the X-appointed ambassador" is X's."""
    out = []
    for _, start, end, _ in lexicon.titles.find(words_of(text)):
        near = [p for p in parties if p.end <= start and not text[p.end : start].strip(" .-") or p.start >= end and not text[end : p.start].strip()]
        name = re.match(r"\s+((?:[A-Z][\w’'-]+\s*){1,3})", text[end:])
        if near or re.match(r"\s+of\b", text[end:]) or any(p.start >= end and name and p.start < end + name.end() for p in parties):
            continue
        who = text[start : end + (name.end() if name else 0)].strip()
        # "the X-appointed ambassador": X's official (CODEBOOK.md 7), not the state named most
        agent = next((p for p in parties if p.end <= start and _APPOINTED.fullmatch(text, p.end, start)), None)
        if agent is not None and agent_titles:
            actor, why = agent.actor, f"appointed by {index.actors[agent.actor].name}"
        else:
            candidates = [(pos, a) for pos, a in earlier if pos < offset + start and index.actors[a].kind in ("state", "government")]
            if not candidates:
                continue
            latest = {a: pos for pos, a in candidates}
            actor = max(latest, key=lambda a: (counts[a], latest[a]))
            why = "the state the article has named most up to here"
        party = Party(
            start,
            end + (name.end() if name else 0),
            who,
            actor,
            f"“{who}” read as an official of {index.actors[actor].name}, {why}",
            guessed=True,
        )
        party.prepositional = _after_preposition(text, start)
        if name and (span := people.name_at(text, end + name.start(1), lexicon.not_names)):
            party.person = text[span[0] : span[1]]
        out.append(party)
    return out


def _officials(text: str, analysis: Analysis, lexicon: CompiledLexicon, index: NameIndex, known: dict[str, tuple[str, str]]) -> list[Party]:
    """People named with a title (lib/reading/people.py), and surnames of people named so far in the article
    (`known`: surname → (actor, how the person was introduced); updated here)."""
    out = []
    spans = [(p.start, p.end, p.actor) for p in analysis.parties if not p.location and not p.member]
    titles = [(s, e) for _, s, e, _ in lexicon.titles.find(words_of(text))]
    for o in people.officials(text, spans, titles, lexicon.not_names):
        how = f"“{o.name}”, named with the title “{o.title}”, read as an official of {index.actors[o.actor].name}"
        party = Party(o.start, o.end, o.name, o.actor, how, guessed=True, head=o.head)
        party.prepositional = _after_preposition(text, o.head)
        out.append(party)
        known[o.surname] = (o.actor, f"{o.title} {o.name}")
    taken = [(p.start, p.end) for p in analysis.parties + out]
    for start, end, surname in people.surname_mentions(text, {s: a for s, (a, _) in known.items()}, taken):
        actor, intro = known[surname]
        party = Party(start, end, text[start:end], actor, f"“{surname}”, named before as {intro}: an official of {index.actors[actor].name}", guessed=True)
        party.prepositional = _after_preposition(text, start)
        party.possessive = bool(re.search(r"['’]s$", text[start:end]))
        out.append(party)
    return out


def name_index(dataset: Dataset) -> NameIndex:
    """The name index of a dataset's actors and countries, built once per version of them: records are
    frozen, so the same record objects under the same ids are the same names (a reloaded or edited
    dataset gets a new index)."""
    records = (tuple(dataset.actors.items()), tuple(dataset.countries.items()))
    for seen, index in _INDEXES:
        if _same_records(seen, records):
            return index
    index = NameIndex(dataset.actors, dataset.countries)
    _INDEXES.insert(0, (records, index))
    del _INDEXES[8:]
    return index


_INDEXES: list[tuple[tuple, NameIndex]] = []  # the last few (records, index), newest first


def _same_records(a: tuple, b: tuple) -> bool:
    return all(len(x) == len(y) and all(k1 == k2 and r1 is r2 for (k1, r1), (k2, r2) in zip(x, y)) for x, y in zip(a, b))


class PartyReader:
    """The parties of an article's sentences, read in order (what came before points the way for
    "the movement", titles, surnames and pronouns). `off`: names of `RULES` to leave out."""

    def __init__(self, index: NameIndex, lexicon: CompiledLexicon, off: frozenset[str] = frozenset()) -> None:
        self.index, self.lexicon, self.off = index, lexicon, off
        self.earlier: list[tuple[int, str, int]] = []  # (article offset, actor, paragraph) of every party so far
        self.counts: Counter = Counter()
        self.known_people: dict[str, tuple[str, str]] = {}  # surname → (actor, how the person was introduced)
        self.previous: list[Party] = []  # the parties of the sentence before the last one read
        self.history = references.History()  # every actor named so far, by sentence (reference resolution)
        self.names = {a.id: a.name for a in index.actors.values()}
        self.countries = {name for c in index.countries.values() for name in (c.name, *c.aliases, *c.demonyms, c.capital or "")}
        self.current: list[Party] = []  # the parties of the last sentence read

    def read(self, offset: int, paragraph: int, sentence: str, when: tuple[dt.date, dt.date] | None) -> tuple[Analysis, list[Mention]]:
        """The parties of the next sentence (at `offset` in the article, in paragraph `paragraph`, speaking
        of the days `when`), and the name mentions they were read from."""
        index, lexicon, off, known_people = self.index, self.lexicon, self.off, self.known_people
        self.history.next_sentence()
        mentions = [m for m in index.find(sentence) if not _inside_a_name(sentence, m, lexicon, "institution-names" not in off)]
        agents: set[tuple[int, int]] = set()
        if "compounds" not in off:
            compounds = [m for m in mentions if _in_compound(sentence, m, mentions)]
            if "agent-compounds" not in off:
                agents = {(m.start, m.end) for m in compounds if agent_compound(sentence, m)}
            mentions = [m for m in mentions if m not in compounds or (m.start, m.end) in agents]
        acts = [(s, e) for _, s, e, _ in lexicon.triggers.find(words_of(sentence))] if "demonym-acts" not in off else None
        analysis = _analyse(
            sentence, mentions, index, lexicon, when, bare="bare-country" not in off, about="preposition-country" not in off,
            institutions="institution-names" not in off, acts=acts,
        )  # fmt: skip
        for party in analysis.parties:
            if (party.start, party.end) in agents:  # "a UN-mediated deal": the agent, a recall pair only
                party.member = True
                party.how += f" (“{sentence[party.start : party.end]}-…”: the agent of a compound, a recall pair only)"
        self.counts.update(p.actor for p in analysis.parties if not p.bare)
        if "people" not in off:
            analysis.parties += _officials(sentence, analysis, lexicon, index, known_people)
        recent = [(pos, a) for pos, a, para in self.earlier if para >= paragraph - 1]
        extra = _references(sentence, offset, lexicon, index, recent, self.counts) if "references" not in off else []
        if "titles" not in off:
            extra += _titles(sentence, offset, lexicon, index, recent, self.counts, analysis.parties, "agent-compounds" not in off)
        for party in extra:
            if not any(party.start < p.end and p.start < party.end for p in analysis.parties):
                analysis.parties.append(party)
                if party.person and "people" not in off:  # "Defense Secretary Donald Rumsfeld": "Rumsfeld" later
                    known_people.setdefault(people.surname_of(party.person), (party.actor, party.text))
        if "groups" not in off:
            analysis.parties += _groups(sentence, analysis, index, lexicon)
        if "two-sides" not in off:
            analysis.parties += _two_sides(sentence, offset, index, recent, self.counts, analysis.parties)
        if "pronouns" not in off and "pronoun-kinds" in off:
            analysis.parties += _pronoun_subject(sentence, analysis, self.current, index)
        elif "pronouns" not in off:
            analysis.parties += self._pronouns(sentence, analysis.parties)
        if "opposition" not in off:
            analysis.parties += _opposition(sentence, analysis, mentions, index, when, [(pos, a) for pos, a, _ in self.earlier], self.counts)
        if "participants" not in off:
            analysis.parties += _participants(sentence, offset, index, recent, self.counts)
        if "alias-surnames" not in off and "people" not in off:
            for m in mentions:
                if m.actor and m.kind == "alias" and (surname := person_surname(m.name, index)):
                    known_people.setdefault(surname, (m.actor, m.text))
        self.earlier += [(offset + p.start, p.actor, paragraph) for p in sorted(analysis.parties, key=lambda p: p.start) if not p.bare]
        self.previous, self.current = self.current, sorted(analysis.parties, key=lambda p: p.start)
        for p in self.current:
            if not p.bare:
                self.history.add(references.Antecedent(
                    offset + p.start, p.actor, index.actors[p.actor].kind, self.history.sentence,
                    doer=not (p.location or p.prepositional or p.member),
                    person=bool(p.person) or "official" in p.how or index.actors[p.actor].kind == "person"
                    or (p.how.startswith("“") and " is a name of " in p.how and references.looks_like_a_person(p.text, self.names[p.actor], self.countries)),
                    text=p.text,
                ))  # fmt: skip
        return analysis, mentions

    def _pronouns(self, sentence: str, parties: list[Party]) -> list[Party]:
        """A subject pronoun read as an earlier sentence's doer of a fitting kind."""
        starts = [p.start for p in parties]
        out = []
        for r in references.pronoun_subjects(self.history, sentence, starts, self.names):
            if not any(p.start < r.end and r.start < p.end for p in parties):
                out.append(Party(r.start, r.end, r.text, r.actor, r.reason, guessed=True, resolved="pronoun"))
        return out


# no surname is one of these: an organisation's words, and words that end no person's name though a person may
# bear one first ("Islam Karimov")
_NOT_SURNAMES = references.ORGANISATION_WORDS | {
    "league", "command", "process", "format", "conference", "mission", "service", "brigade", "battalion", "jamaat",
    "islam",
}  # fmt: skip


def person_surname(name: str, index: NameIndex) -> str | None:
    """The surname of a listed alias that looks like a person's full name (two to four capitalised words,
    the last no organisation word and no known name itself), else None."""
    words = name.split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return None
    surname = words[-1]
    if len(surname) < 4 or not surname[1:].islower() or normalise(surname) in _NOT_SURNAMES or index.find(surname):
        return None
    return surname


_OPPOSITION = re.compile(
    r"\banti-(?P<against>[A-Z][\w’'-]*)\s+(?:[a-z]+\s+)?(?:militias?|forces|fighters|groups?|coalition|resistance|alliance|"
    r"front|opposition|commanders?)\b|\b(?:the|its|their)\s+(?:[a-z]+\s+){0,2}opposition\b|\b(?P<of>[A-Z][\w’']*)\s+opposition\b"
)


def _opposition(
    text: str, analysis: Analysis, mentions: list[Mention], index: NameIndex, when: tuple[dt.date, dt.date] | None,
    earlier: list[tuple[int, str]], counts: Counter,
) -> list[Party]:
    """“The opposition”, “the Afghan opposition”, “anti-Taliban militias”: the armed group the article has
    named most so far that is not its country's government over `when` (nor the group it is against).
    A recall pair only (a guess)."""
    out = []
    for match in _OPPOSITION.finditer(text):
        named = {m.start: m for m in mentions}
        against = named.get(match.start("against")) if match.group("against") else None
        of = named.get(match.start("of")) if match.group("of") else None
        if match.group("of") and of is None:
            continue  # "Syrian opposition" of a country the data does not know, or a proper name
        country = (of.country if of else None) or (index.actors[against.actor].country if against and against.actor else None)
        seen = dict.fromkeys(a for _, a in earlier)
        candidates = [
            a for a in seen
            if index.actors[a].kind == "armed_group" and a != (against.actor if against else None)
            and (country is None or index.actors[a].country == country)
            and _government_actor(index, index.actors[a].country, when).actor != a
        ]  # fmt: skip
        if not candidates:
            continue
        actor = max(candidates, key=lambda a: counts[a])
        party = Party(
            match.start(), match.end(), match.group(), actor,
            f"“{match.group()}” read as {index.actors[actor].name}, the armed group out of power the article has named most",
            guessed=True, member=True,
        )  # fmt: skip
        party.prepositional = _after_preposition(text, match.start())
        out.append(party)
    return out


_PARTICIPANTS = re.compile(r"\b(?:[Aa]ll|[Tt]he)\s+(?:parties|sides|participants)\b")


def _participants(text: str, offset: int, index: NameIndex, recent: list[tuple[int, str]], counts: Counter) -> list[Party]:
    """“The parties”, “all sides”, “the participants”: the three parties this paragraph and the one before
    name most (the latest on a tie), each a recall pair with the others (a guess)."""
    out: list[Party] = []
    for match in _PARTICIPANTS.finditer(text):
        ranked = _most_named(recent, counts, offset + match.start())[:3]
        if len(ranked) < 2:
            continue
        names = ", ".join(index.actors[a].name for a in ranked)
        for actor in ranked:
            party = Party(
                match.start(), match.end(), match.group(), actor,
                f"“{match.group()}” read as {names}, the parties the passage names most", guessed=True, member=True,
            )  # fmt: skip
            party.side = True
            out.append(party)
    return out


def article_parties(article: Article, dataset: Dataset, off: frozenset[str] = frozenset()) -> list[tuple[tuple[int, int], Analysis]]:
    """Each sentence of an article (its span) with the parties the drafter reads in it."""
    lexicon, problems = load_lexicon(dataset.data_dir)
    if lexicon is None:
        raise DashboardError("The lexicon has problems", "; ".join(str(p) for p in problems))
    reader = PartyReader(name_index(dataset), lexicon, off)
    out = []
    for s in _sentences_of(article.text):
        sentence = article.text[s.start : s.end]
        dates = find_dates(sentence, article.published, article.approximate)
        analysis, _ = reader.read(s.start, s.paragraph, sentence, _when(dates, article))
        out.append(((s.start, s.end), analysis))
    return out


# ---------------------------------------------------------------------------
# clauses and pairs

# Clauses whose parties are not the doers of the main verb: relative clauses, dashes and brackets, and
# a leading adverbial clause ("After X approved ..., Y warned").
_RELATIVE = re.compile(
    r",\s*(?:which|who|whose|where)\b[^,;]*(?:,|$)|\s[-–—]\s[^-–—]*\s[-–—]\s|\([^)]*\)"
    r"|^(?i:(?:and\s+|but\s+)?(?:after|before|since|when|while|although|though|despite|if|once|until|unlike))\b[^,;]*,"
    r"|,\s*(?:in|at)\s+(?:\w+\s+){1,2}since\s+[^,;]*,"  # a tenure aside: ", in power since 1992," dates no act
)
_POSSESSIVE_PRONOUN = re.compile(r"\b(?:its|their|his|her)\s+(?:\w+\s+)?$", re.I)
_AGENT = re.compile(r"\s+(?:by|from)\s+(?:the\s+)?")


def _regions(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _RELATIVE.finditer(text)]


def _inside(pos: int, regions: list[tuple[int, int]]) -> tuple[int, int] | None:
    return next(((s, e) for s, e in regions if s <= pos < e), None)


@dataclass
class Candidate:
    """One actor → target reading of one trigger, with its rank (lower is better)."""

    actor: Party
    target: Party | None
    trigger: tuple[int, int, VerbEntry]
    rank: tuple
    notes: list[str]
    host: tuple[str, str] | None = None


_EXPLETIVE = re.compile(r"\s+(?:is|was|seems|seemed|appears|appeared|remains|remained|has\s+been|had\s+been|will\s+be|would\s+be)\b")


def _pronoun_subject(text: str, analysis: Analysis, previous: list[Party], index: NameIndex) -> list[Party]:
    """A subject pronoun before any party of the sentence ("On August 20 it said it had ..."): the first
    doer of the sentence before (not an expletive "it is said")."""
    doers = [p for p in previous if not p.location and not p.prepositional]
    match = _SUBJECT_PRONOUN.search(text)
    if not doers or match is None or _EXPLETIVE.match(text, match.end()) or any(p.start < match.start() for p in analysis.parties):
        return []
    if re.search(r"\b(?:to|with|of|for|against|on|by|from)\s+$", text[: match.start()]):
        return []  # an object ("talks with it")
    first = doers[0]
    how = f"“{match.group()}” read as {first.text!r} of the sentence before ({index.actors[first.actor].name})"
    return [Party(match.start(), match.end(), match.group(), first.actor, how, guessed=True)]


_SUBJECT_PRONOUN = re.compile(r"\b(?:It|it|They|they|He|he|She|she)\b")
_OBJECT_PRONOUN = re.compile(r"\s+(?:\w+\s+){0,2}?(?:it|them|him|her)\b")


def _pairs(
    text: str,
    analysis: Analysis,
    triggers: list[tuple[int, int, VerbEntry]],
    index: NameIndex,
    previous: list[Party] = (),  # type: ignore[assignment]
    pronouns: bool = True,
) -> list[Candidate]:
    """Actor → target readings of the sentence, one or more per trigger word. `previous`: the parties of
    the sentence before, for "It ..." and "... about it"."""
    doers_before = [p for p in previous if not p.location and not p.prepositional]
    regions = _regions(text)
    parties = sorted((p for p in analysis.parties if not p.member), key=lambda p: p.start)
    strong = [t for t in triggers if not t[2].weak]
    out: list[Candidate] = []
    for trigger in strong or triggers:
        t_start, t_end, entry = trigger
        before_word, _ = _word_before(text, t_start, set())
        word = text[t_start:t_end].lower()
        if before_word == "of" and word.endswith("ing"):
            continue  # "accused Tajikistan of cooperating": the content of another act
        if word.endswith("ed") and before_word in _DETERMINERS:
            continue  # "its list of banned organisations": a participle describing a noun, not an act
        region = _inside(t_start, regions)
        notes: list[str] = []
        after = [p for p in parties if p.start >= t_end and not p.location and _inside(p.start, regions) == region]
        # the doer
        subject: Party | None = None
        agent = _AGENT.match(text, t_end)
        if agent:
            subject = next((p for p in after if agent.end() in (p.start, p.head)), None)
            if subject is None and entry.event_type.startswith("verbal") and "from" in agent.group():
                # "criticism from Tajikistan": words come from a party, not from a place
                subject = next((p for p in parties if agent.end() in (p.start, p.head) and _inside(p.start, regions) == region), None)
            if subject:
                notes.append(f"“{text[t_start:t_end]}{text[t_end:agent.end()]}{subject.text}”: the doer")
        if subject is None and _POSSESSIVE_PRONOUN.search(text[:t_start]):
            subject = next((p for p in reversed(parties) if p.end <= t_start and not p.location), None)
        if subject is None:
            eligible = [
                p
                for p in parties
                if p.end <= t_start
                and not p.location
                and (not p.prepositional or p.possessive)
                and _inside(p.start, regions) == region
            ]
            subject = eligible[-1] if eligible else None
            # "X held the Y chairmanship": a party right before a noun trigger is its object
            if (
                subject is not None
                and not entry.weak
                and not word.endswith(("ed", "ing"))
                and re.fullmatch(r"[\s-]*", text[subject.end : t_start])
                and len(eligible) > 1
                and not [p for p in after if p.actor != subject.actor]
            ):
                modifier = subject
                subject = next((p for p in reversed(eligible[:-1]) if p.actor != modifier.actor), None)
                if subject is not None:
                    after = [modifier]
        if subject is None and region is not None:
            antecedent = [p for p in parties if p.end <= region[0] and not p.location and not p.prepositional]
            subject = antecedent[-1] if antecedent else None
        pronoun_subject = _SUBJECT_PRONOUN.search(text, 0, t_start) if pronouns else None
        if subject is None and doers_before and pronoun_subject and not [p for p in parties if p.end <= t_start]:
            # "It said ...", "On August 20 it said ...": the doer of the sentence before
            first = doers_before[0]
            subject = Party(first.start, first.end, first.text, first.actor, f"“{pronoun_subject.group()}” read as {first.text!r} of the sentence before ({index.actors[first.actor].name})", guessed=True)
        # the target
        target = next((p for p in after if subject is None or p.actor != subject.actor), None)
        if agent and subject is not None:
            earlier = [p for p in parties if p.end <= t_start and p.actor != subject.actor and not p.location]
            target = earlier[-1] if earlier else target
        if subject is None and re.match(r"\s+(?:between|with|among)\b", text[t_end:]) and target is not None:
            others = [p for p in after if p.actor != target.actor]
            subject, target = target, (others[0] if others else None)
        # meetings and visits: the host is the target (CODEBOOK.md 7)
        host = None
        if entry.id in ("consult", "visit"):
            places = [p for p in parties if p.location and p.start >= t_start and p.start > 0]
            if places:
                place = places[0]
                host = (place.text, place.actor)
                visitor = None
                if subject is not None and subject.actor == place.actor and target is not None:
                    visitor = target
                elif subject is not None and (target is None or entry.id == "visit"):
                    visitor = subject
                elif subject is None and target is not None and target.actor != place.actor:
                    visitor = target
                if visitor is not None:
                    subject, target = visitor, place
                    notes.append(f"in {place.text}: the host, {index.actors[place.actor].name}, is the target")
        if subject is None:
            continue
        if entry.id == "host" and target is not None and not agent:
            subject, target = target, subject
            notes.append(f"“{text[t_start:t_end]}”: the guest is the actor, the host the target")
        if target is not None and target.actor == subject.actor:
            target = None
        pronoun = _OBJECT_PRONOUN.match(text, t_end) if pronouns else None
        if target is None and pronoun and not agent:
            other = next((p for p in previous if p.actor != subject.actor and not p.location), None)
            if other is not None:
                target = Party(other.start, other.end, other.text, other.actor, f"“{pronoun.group().strip()}” read as {other.text!r} of the sentence before ({index.actors[other.actor].name})", guessed=True)
        subjects = [subject]
        # "X and Y <verb>": one draft each
        for p in reversed([q for q in parties if q.end <= subject.start and not q.location]):
            if re.fullmatch(r"(?:['’]s)?\s*(?:,|and|, and)\s*", text[p.end : subjects[-1].start]) and p.actor not in {s.actor for s in subjects}:
                subjects.append(p)
            else:
                break
        distance = abs((target.start if target else t_end) - t_end)
        for s in subjects:
            rank = (
                region is not None,
                entry.weak,
                target is None,
                s.guessed or (target is not None and target.guessed),
                distance,
            )
            out.append(Candidate(s, target if (target is None or target.actor != s.actor) else None, trigger, rank, list(notes), host))
    return out


# ---------------------------------------------------------------------------
# drafting


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(text)).strip("-")


def _title(actor: str, entry: VerbEntry, target: str | None) -> str:
    if target is None:
        verb = re.sub(r"\s+(?:to|with|of|on|for)$", "", entry.title)
        return f"{actor} {verb}"[:90]
    return f"{actor} {entry.title} {target}"[:90]


def _choose_date(
    dates: list[FoundDate], trigger: tuple[int, int, VerbEntry], regions: list[tuple[int, int]], text: str = ""
) -> FoundDate | None:
    """The date expression nearest the trigger, preferring one in the trigger's own clause; a leading
    "Since <date>, X has ..." dates the activity at its start (CODEBOOK.md 3). A deadline or plan ("by 2006")
    dates no act."""
    usable = [d for d in dates if d.value and not d.deadline]
    if not usable:
        return None
    region = _inside(trigger[0], regions)
    own = [d for d in usable if _inside(d.start, regions) == region]
    if not own and region is None:
        since = [d for d in usable if (r := _inside(d.start, regions)) and re.match(r"(?i)(?:and\s+|but\s+)?since\b", text[r[0] :])]
        if since and text:
            return dataclasses.replace(since[0], note=since[0].note + " The act runs since then: coded at its start (CODEBOOK.md 3).")
        return None  # the only dates belong to a subordinate clause ("After X approved it on May 18, ...")
    return min(own or usable, key=lambda d: (min(abs(d.start - trigger[1]), abs(trigger[0] - d.end)), d.start))


def _countries(index: NameIndex, actor: str, target: str | None, analysis: Analysis, location_country: str | None) -> list[str]:
    codes: list[str] = []
    if location_country:
        codes.append(location_country)
    for who in (actor, target):
        home = index.actors[who].country if who else None
        if home:
            codes.append(home)
    codes += analysis.countries
    return [c for c in dict.fromkeys(codes) if c in index.countries]


def _date_from_others(
    sentence: str,
    trigger: tuple[int, int, VerbEntry],
    dates: list[FoundDate],
    earlier: list[relations.Dated],
    paragraph: int,
    article: Article,
) -> FoundDate | None:
    """A date the sentence gives through another act (CODEBOOK.md 3.2, `lib/reading/relations.py`): across
    "after"/"before" from the nearest date, else "the same day" and the like, else an undated reaction to
    the act before it."""
    usable = [d for d in dates if d.value and not d.deadline]
    side = relations.relation_clause(sentence, trigger[0])
    same = [d for d in usable if relations.relation_clause(sentence, d.start) == side]
    if same and len(same) < len(usable) and (own := _choose_date(same, trigger, _regions(sentence), sentence)):
        return own  # the act's own side of "after"/"before" is dated: the other side's date is the other act's
    if usable:
        nearest = min(usable, key=lambda d: (min(abs(d.start - trigger[1]), abs(trigger[0] - d.end)), d.start))
        chosen = _choose_date(dates, trigger, _regions(sentence)) or nearest
        return relations.across(sentence, trigger[:2], chosen, article.published, article.approximate)
    found = relations.anaphoric(sentence, earlier)
    regions = _regions(sentence)
    if found is not None and _inside(found.start, regions) != _inside(trigger[0], regions):
        found = None  # "the same day" of another clause ("X, which has refused ..., condemned it the next day")
    if found is None:
        found = relations.reaction(sentence, earlier, paragraph)
    return found


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    heading: bool
    paragraph: int


_DATELINE = re.compile(r"[A-Z][A-Z.'’ -]+[A-Z.](?:,\s*[A-Z][\w.'’ -]*?)?\s+(?:[—–]|--?)\s+(?=[A-Z“\"])")


def _sentences_of(text: str) -> list[_Sentence]:
    """The article's sentences; a dateline ("KABUL, Afghanistan — ") is left out of the first one's
    quote (it says where the story was filed)."""
    out = []
    for n, (p_start, p_end) in enumerate(paragraphs(text)):
        heading = not _TERMINAL.search(text[p_start:p_end])
        dateline = _DATELINE.match(text, p_start, p_end) if n == 0 else None
        start = dateline.end() if dateline else p_start
        out += [_Sentence(s, e, heading, n) for s, e in sentences(text, start, p_end)]
    return out


def sentences_of(text: str) -> list[tuple[int, int]]:
    """The spans of an article's sentences as the drafter reads them (a dateline left out)."""
    return [(s.start, s.end) for s in _sentences_of(text)]


def same_occurrence(event: dict, dataset: Dataset, article_id: str | None = None) -> list[Event]:
    """Curated events that may be the occurrence a draft reports (CODEBOOK.md 8): the same actor, target
    and event type, a date that contains or is contained in the draft's, and not yet citing the article."""
    first, last, _ = parse_partial_date(event["date"])
    found = []
    for other in dataset.events:
        if (other.actor, other.target, other.event_type) != (event["actor"], event["target"], event["event_type"]):
            continue
        if article_id and any(s.article == article_id for s in other.sources):
            continue
        o_first, o_last, _ = parse_partial_date(other.date)
        if (first <= o_first and o_last <= last) or (o_first <= first and last <= o_last):
            found.append(other)
    return found


def draft_events(
    article: Article, dataset: Dataset, off: frozenset[str] = frozenset(), ranker: Ranker | None = None,
    every: list[tuple[tuple[int, int], str, str | None, dict[str, float]]] | None = None,
) -> list[Draft]:
    """Draft events from one article, using the actors, countries, lexicon and ranker of `dataset`'s folder.
    `off`: names of `RULES` to leave out (to measure what each one gains); `ranker`: another ranker than the
    folder's (the benchmark's cross-validation); `every`: if given, each reading before the budget is appended
    to it as (quote span, actor, target, features), for training the ranker."""
    unknown_rules = off - set(RULES)
    if unknown_rules:
        raise ValueError(f"no such drafting rule: {', '.join(sorted(unknown_rules))} (known: {', '.join(RULES)})")
    lexicon, problems = load_lexicon(dataset.data_dir)
    if lexicon is None:
        raise DashboardError("The lexicon has problems", "; ".join(str(p) for p in problems))
    index = name_index(dataset)
    ranker = ranker or load_ranker(dataset.data_dir)
    text = article.text
    drafts: list[Draft] = []
    used_ids: set[str] = {e.id for e in dataset.events}
    together: Counter = Counter()  # how many sentences so far named each pair of actors (either order)
    all_sentences = _sentences_of(text)
    previous: list[Party] = []
    reader = PartyReader(index, lexicon, off)
    dated: list[relations.Dated] = []  # every date expression met so far, for "the same day" and the like
    for s in all_sentences:
        sentence = text[s.start : s.end]
        dates = find_dates(sentence, article.published, article.approximate)
        passage_day = next(
            (d.found.value for d in reversed(dated)
             if d.paragraph == s.paragraph and not d.found.relative and d.found.precision == "day" and not d.found.deadline),
            None,
        )
        dates = anchored(sentence, dates, article.published, article.approximate, passage_day)
        # the occasion an undated sentence refers back to ("during their meeting", "the talks"): the last
        # day the article named (measured: the last day of the paragraph for any undated sentence gained nothing)
        occasion, passage = None, False
        if _OCCASION.search(sentence):
            occasion = next((d.found for d in reversed(dated) if d.found.value and d.found.precision == "day" and not d.found.deadline), None)
        if occasion is None and "passage-day" not in off:
            # round 10, development gold: of 107 coded events in an undated sentence after a day named in its
            # paragraph or the one before, that day is right at the coded precision for 95, the month for 60
            occasion = next((d.found for d in reversed(dated)
                             if d.paragraph >= s.paragraph - 1 and d.found.value and d.found.precision == "day" and not d.found.deadline), None)
            passage = occasion is not None
        dated_before = list(dated)
        dated += [relations.Dated(s.start + d.start, d, sentence, s.paragraph) for d in dates]
        seen_before = {a for _, a, _ in reader.earlier}
        analysis, mentions = reader.read(s.start, s.paragraph, sentence, _when(dates, article))
        previous = reader.previous
        counts = reader.counts
        named_here = _named(sentence, index.find(sentence), mentions, index)
        here = sorted({p.actor for p in analysis.parties + named_here})
        together.update(frozenset((a, b)) for i, a in enumerate(here) for b in here[i + 1 :])
        if not (analysis.parties or named_here) or (s.heading and not named_here):
            continue
        # the acts the sentence names; negated, hypothetical and conditional ones are re-read or flagged
        # (lib/reading/modality.py), never dropped: the ranker weighs the flag
        all_readings = lexicon.read_triggers(sentence)
        readings = qualify(sentence, all_readings, lexicon) if "modality" not in off else all_readings
        triggers = [r.trigger for r in readings]
        kept_at = {t[0] for t in triggers}
        modal = [r.trigger for r in all_readings if r.trigger[0] not in kept_at]
        ruled: list[tuple[Candidate, float, str, str]] = []
        if triggers:
            best: dict[tuple[str, str | None], Candidate] = {}
            for c in _pairs(sentence, analysis, triggers, index, previous, "pronouns" not in off):
                key = (c.actor.actor, c.target.actor if c.target else None, relations.relation_clause(sentence, c.trigger[0]))
                if key not in best or c.rank < best[key].rank:
                    best[key] = c
            ruled = [(c, _confidence(c), _reason(sentence, c), "clause") for c in sorted(best.values(), key=lambda c: c.rank)]
        speech = _reported_speech(sentence, analysis, lexicon) if "reported-speech" not in off else None
        if speech is not None:
            ruled = [(*_across_quote(sentence, (c, p, w), speech), rule) for c, p, w, rule in ruled]
            ruled += [(c, p, w, "speech") for c, p, w in _accusations(sentence, analysis, speech, triggers, lexicon)]
        context = _Context(sentence, s.paragraph, s.heading, dates, triggers, modal, speech, seen_before, counts, together, analysis, named_here, off)
        options = _options(context, ruled, lexicon, index)
        if not options:
            continue
        for o in options:
            o.confidence = ranker.score(o.features)
        if every is not None:
            every += [((s.start, s.end), o.candidate.actor.actor, o.candidate.target.actor if o.candidate.target else None, o.features) for o in options]
        kept = ranker.budget(options)
        if not kept:
            continue
        unknown = [
            u[2]
            for u in unknown_names(sentence, mentions, lexicon.not_names)
            if not any(p.start <= u[0] < p.end for p in analysis.parties)
        ]
        card: list[Draft] = []
        for o in kept:
            c = o.candidate
            related = (
                _date_from_others(sentence, c.trigger, dates, dated_before, s.paragraph, article)
                if "date-from-others" not in off and o.trigger_word else None
            )  # fmt: skip
            d = _draft(
                article, dataset, index, sentence, (s.start, s.end), analysis, c, dates, related,
                unknown, used_ids, occasion if "occasion-date" not in off or passage else None, passage,
            )
            if o.trigger_word:
                with_reading_note(d, readings, c.trigger)
            card.append(dataclasses.replace(d, confidence=round(o.confidence, 2), reason=ranker.reason(o)))
        drafts.append(dataclasses.replace(card[0], alternatives=tuple(card[1:])))
    drafts.sort(key=lambda d: -d.confidence)  # stable: equal confidence keeps the article's order
    return drafts


_OCCASION = re.compile(r"\b(?:the|this|that|their|its)\s+(?:\w+\s+)?(?:meeting|talks|visit|ceremony|conference|summit|negotiations|session)\b", re.IGNORECASE)


_SPEECH_VERB = re.compile(r"\b(?:said|says|say|told|stated|added|claimed|claims|alleged|insisted|declared|wrote|tweeted|reported)\b")


@dataclass(frozen=True)
class _Speech:
    quote: tuple[int, int]  # the quoted words, marks included
    speaker: Party
    verb: tuple[int, int]


def _reported_speech(sentence: str, analysis: Analysis, lexicon: CompiledLexicon) -> _Speech | None:
    """`"…they killed…," said X` or `"…," X said`: the quoted words are X's, and X's saying them is the act."""
    match = re.match(r"\s*[“\"]([^”\"]+)[”\"]", sentence)
    if not match:
        return None
    rest = sentence[match.end() :]
    verb = _SPEECH_VERB.search(rest)
    if verb is None or verb.start() > 80:
        return None
    speakers = [p for p in analysis.parties if p.start >= match.end() and not p.location and not p.member]
    if not speakers:
        return None
    speaker = min(speakers, key=lambda p: abs(p.start - (match.end() + verb.start())))
    return _Speech(match.span(), speaker, (match.end() + verb.start(), match.end() + verb.end()))


def _inside_quote(pos: int, speech: _Speech) -> bool:
    return speech.quote[0] <= pos < speech.quote[1]


def _across_quote(sentence: str, proposal: tuple[Candidate, float, str], speech: _Speech) -> tuple[Candidate, float, str]:
    """A reading whose act is quoted but whose party stands outside the quotation marks is a misreading."""
    c, confidence, reason = proposal
    parties = [c.actor] + ([c.target] if c.target else [])
    if _inside_quote(c.trigger[0], speech) and any(not _inside_quote(p.start, speech) for p in parties):
        return c, min(confidence, 0.3), reason + "; but it crosses the quotation marks (the quoted act is the speaker's claim)"
    return proposal


def _accusations(
    sentence: str, analysis: Analysis, speech: _Speech, triggers: list[tuple[int, int, VerbEntry]], lexicon: CompiledLexicon
) -> list[tuple[Candidate, float, str]]:
    """Reported speech: the speaker accuses the doer of a quoted conflict act (CAMEO 11), dated by the
    saying; a quoted act of cooperation is the speaker's statement about the other party."""
    out = []
    for t in triggers:
        if not _inside_quote(t[0], speech):
            continue
        inside = [p for p in analysis.parties if _inside_quote(p.start, speech) and p.actor != speech.speaker.actor and not p.member]
        if not inside:
            continue
        before = [p for p in inside if p.end <= t[0]]
        other = before[-1] if before else inside[0]
        conflict = t[2].event_type.endswith("conflict")
        entry = lexicon.entries.get("accuse" if conflict else "statement")
        if entry is None:
            continue
        c = Candidate(speech.speaker, other, (speech.verb[0], speech.verb[1], entry), (False, False, False, False, 0), [])
        word = sentence[t[0] : t[1]]
        what = "accuses" if conflict else "speaks of"
        out.append((c, 0.85, f"reported speech: {speech.speaker.text} {what} {other.text} (“{word}” is inside the quotation marks; the saying is the act, dated by it)"))
        break
    return out


_UNDATED_PAST = re.compile(r"\b(?:in the past|previously|at one time|in earlier years|over the years|on several occasions|had once|has once|have once|long since)\b", re.IGNORECASE)


def _confidence(c: Candidate) -> float:
    """How likely a clause-rule reading is the coded event: lower inside a subordinate clause, for a weak
    trigger ("said"), with no target, or with a party read from a pronoun or title."""
    in_clause, weak, no_target, guessed = c.rank[:4]
    return round(max(0.3, 0.9 - 0.45 * in_clause - 0.15 * weak - 0.2 * no_target - 0.1 * guessed), 2)


def _reason(sentence: str, c: Candidate) -> str:
    word = sentence[c.trigger[0] : c.trigger[1]]
    where = "in a subordinate or relative clause (background, not the main event)" if c.rank[0] else "in the main clause"
    target = "the first other party after it the target" if c.target is not None else "no target named"
    return f"clause rules: “{word}” ({c.trigger[2].id}) {where}; the nearest party before it the doer, {target}"


# ---------------------------------------------------------------------------
# every reading, its features (the ranker weighs them: lib/reading/ranker.py)


@dataclass
class _Context:
    """What the features of a sentence's readings are read from."""

    sentence: str
    paragraph: int
    heading: bool
    dates: list[FoundDate]
    triggers: list[tuple[int, int, VerbEntry]]  # the acts as read (modality re-read)
    modal: list[tuple[int, int, VerbEntry]]  # the acts modality marks negated, hypothetical or conditional
    speech: _Speech | None
    seen_before: set[str]  # actors named earlier in the article
    counts: Counter  # how often the article has named each actor up to here
    together: Counter  # how many sentences up to here named each pair of actors
    analysis: Analysis
    named: list[Party]  # every known name of the sentence, as the baseline reads it
    off: frozenset[str]

    @cached_property
    def regions(self) -> list[tuple[int, int]]:
        """The sentence's relative clauses and other regions (`_regions`), computed once per sentence."""
        return _regions(self.sentence)


@dataclass
class _Option:
    """One reading (actor → target) of a sentence, before the budget: the rules that proposed it, its features."""

    candidate: Candidate
    why: str
    rules: set[str]
    prior: float  # the clause rules' own confidence (0 for a reading they did not make)
    trigger_word: bool = True  # False: no act word in the sentence, a neutral statement as a placeholder
    features: dict[str, float] = field(default_factory=dict)
    confidence: float = 0.0


def _named(sentence: str, found: list[Mention], mentions: list[Mention], index: NameIndex) -> list[Party]:
    """Every known name of the sentence (`found`) as the naive baseline reads it (an actor's name, or a
    country by any name read as its state or government actor): so every pair the baseline proposes is a
    candidate. A name the drafter's `mentions` leave out (inside a longer proper name or a hyphenated route:
    "the Islamic Movement of Uzbekistan", "the Termez-Kabul railway") is marked `member` with its how saying so:
    its readings carry the flag (the ranker weighs it)."""
    states: dict[str, str] = {}
    for a in index.actors.values():
        if a.country and a.kind in ("state", "government"):
            states.setdefault(a.country, a.id)
    out = []
    kept = {(m.start, m.end) for m in mentions}
    for m in found:
        actor = m.actor or (m.country if m.country in index.actors else None) or states.get(m.country or "")
        if actor:
            inside = (m.start, m.end) not in kept
            how = f"“{m.text}” names {index.actors[actor].name}" + (" (inside a longer name or compound)" if inside else "")
            out.append(Party(m.start, m.end, m.text, actor, how, guessed=True, member=inside))
    return out


def _nearest(triggers: list[tuple[int, int, VerbEntry]], lo: int, hi: int) -> tuple[int, int, VerbEntry] | None:
    between = [t for t in triggers if lo <= t[0] and t[1] <= hi]
    if between:
        return between[0]
    return min(triggers, key=lambda t: min(abs(t[0] - lo), abs(t[0] - hi))) if triggers else None


def _options(ctx: _Context, ruled: list[tuple[Candidate, float, str, str]], lexicon: CompiledLexicon, index: NameIndex) -> list[_Option]:
    """Every reading of the sentence (recall first: nothing filtered here): the clause rules' and reported
    speech's readings, every ordered pair of its parties and known names (both orders) through the act word
    between them (else the nearest; with none in the sentence, a neutral statement), and a no-target reading
    of each party when the sentence has an act word. One reading per actor → target, with its features."""
    sentence = ctx.sentence
    parties: dict[str, Party] = {}
    for p in sorted(ctx.analysis.parties, key=lambda p: (p.member, p.location, p.start)):
        parties.setdefault(p.actor, p)
    mention_only = set()
    for p in ctx.named:
        if p.actor not in parties:
            parties[p.actor] = p
            mention_only.add(p.actor)
    options: dict[tuple[str, str | None], _Option] = {}

    def add(c: Candidate, prior: float, why: str, rule: str, word: bool = True) -> None:
        key = (c.actor.actor, c.target.actor if c.target else None)
        if key not in options:
            options[key] = _Option(c, why, {rule}, prior, word)
        else:
            options[key].rules.add(rule)
            options[key].prior = max(options[key].prior, prior)

    for c, prior, why, rule in ruled:
        add(c, prior, why, rule)
    fallback = lexicon.entries.get("statement") or next(iter(lexicon.entries.values()))
    for a, pa in parties.items():
        for b, pb in parties.items():
            if a == b:
                continue
            lo, hi = (pa.end, pb.start) if pa.start < pb.start else (pb.end, pa.start)
            trigger = _nearest(ctx.triggers, lo, hi) or _nearest(ctx.modal, lo, hi)
            if trigger is not None:
                word = sentence[trigger[0] : trigger[1]]
                add(Candidate(pa, pb, trigger, (), []), 0.0, f"pair: {pa.text} → {pb.text} through “{word}”", "pair")
            else:
                verb = _VERB.search(sentence, lo, max(lo, hi))
                span = verb.span() if verb else (lo, lo)
                add(Candidate(pa, pb, (span[0], span[1], fallback), (), []), 0.0,
                    f"pair: {pa.text} → {pb.text}, named in one sentence with no act word (a statement, a guess)", "pair-no-trigger", False)  # fmt: skip
        if not pa.location and (trigger := _nearest(ctx.triggers, pa.end, len(sentence)) or _nearest(ctx.modal, pa.end, len(sentence))):
            add(Candidate(pa, None, trigger, (), []), 0.0, f"no target: {pa.text} with “{sentence[trigger[0] : trigger[1]]}”", "no-target")
    out = list(options.values())
    for o in out:
        o.features = _features(ctx, o, mention_only, len(parties), index)
        for p in (o.candidate.actor, o.candidate.target):
            if p is not None and p.resolved and p.how not in o.why:
                o.why += f"; {p.how}"  # the card says who “the militants” are and why
    return out


# Pairs of flags weighed together (measured: cross-validated recall at the same drafts rose with them).
_INTERACTIONS = [
    (a, b)
    for a in ("rule:clause", "actor-act-target", "target-act-actor", "no-target", "actor-first", "trigger-in-clause", "modal", "quoted", "passive")
    for b in ("rule:clause", "rule:speech", "actor-act-target", "target-act-actor", "no-target", "actor-first", "trigger-in-clause",
              "modal", "quoted", "passive", "weak-trigger", "nothing-between", "settled", "actor-nearest-before-act",
              "target-nearest-after-act", "actor-first-named", "coordinated", "has-date", "lead", "no-trigger")
    if a < b
]  # fmt: skip


_PARTY_KINDS = ("compound", "mention", "side", "member", "place", "pronoun", "person", "reference", "bare", "name")
_FLAGS = {
    "prior", "no-trigger", "weak-trigger", "modal", "trigger-in-clause", "passive", "actor-before-trigger", "trigger-distance",
    "actor-in-clause", "actor-prepositional", "actor-possessive", "actor-new", "no-target", "actor-first", "actor-act-target",
    "target-act-actor", "distance", "target-in-clause", "target-prepositional", "target-new", "settled", "parties",
    "actor-named-often", "target-named-often", "act-words", "actor-first-named", "actor-nearest-before-act", "nothing-between",
    "target-nearest-after-act", "coordinated", "has-date", "lead", "heading", "quoted", "speaker-is-actor", "crosses-quote",
    "undated-past", "actor-most-named", "target-most-named", "pair-named-together",
}  # fmt: skip
_RULE_NAMES = ("clause", "speech", "pair", "pair-no-trigger", "no-target")


def known_feature(name: str) -> bool:
    """Whether the drafter can produce a feature of this name (the ranker file must name no other)."""
    from lib.model.schema import ACTOR_KINDS, EVENT_TYPES

    if name.startswith("lex:"):
        return bool(_LEXICAL_NAME.fullmatch(name))
    if "&" in name:
        first, second = name.split("&", 1)
        return (first, second) in set(_INTERACTIONS)
    if name.startswith("act:"):
        return bool(re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)*", name[4:]))  # a lexicon entry's id
    if name in _FLAGS or name in syntax.FEATURES:
        return True
    prefix, _, value = name.partition(":")
    allowed = {
        "rule": _RULE_NAMES, "type": EVENT_TYPES, "actor": _PARTY_KINDS, "target": _PARTY_KINDS,
        "actor-kind": ACTOR_KINDS, "target-kind": ACTOR_KINDS,
    }  # fmt: skip
    return value in allowed.get(prefix, ())


def _party_kind(p: Party, mention_only: set[str]) -> str:
    """How a party was read: a name, a bare country, a person, a pronoun, a reference, a group member..."""
    if p.actor in mention_only:
        return "compound" if "inside a longer name or compound" in p.how else "mention"
    if p.side:
        return "side"
    if p.member:
        return "member"
    if p.location:
        return "place"
    if "of the sentence before" in p.how or p.resolved == "pronoun":
        return "pronoun"
    if p.person or "official" in p.how:
        return "person"
    if "named most up to here" in p.how:
        return "reference"
    return "bare" if p.bare else "name"


def _features(ctx: _Context, o: _Option, mention_only: set[str], parties: int, index: NameIndex) -> dict[str, float]:
    """The reading's features, each a number (1 for a flag): the rules that proposed it, the act word and
    its class, the order, distance and clause of the parties, voice, reported speech, kinds of party, first
    mention, a date in the sentence, modality."""
    sentence, c = ctx.sentence, o.candidate
    f: dict[str, float] = {f"rule:{r}": 1.0 for r in o.rules}
    f["prior"] = o.prior
    t0, t1, entry = c.trigger
    regions = ctx.regions
    if not o.trigger_word:
        f["no-trigger"] = 1.0
    else:
        f[f"type:{entry.event_type}"] = 1.0
        if entry.weak:
            f["weak-trigger"] = 1.0
        if any(t[0] == t0 for t in ctx.modal) and not any(t[0] == t0 for t in ctx.triggers):
            f["modal"] = 1.0
        if _inside(t0, regions) is not None:
            f["trigger-in-clause"] = 1.0
        if _PASSIVE.search(sentence, 0, t0):
            f["passive"] = 1.0
        if c.actor.end <= t0:
            f["actor-before-trigger"] = 1.0
        f["trigger-distance"] = min(min(abs(t0 - c.actor.end), abs(c.actor.start - t1)), 200) / 100
    if _inside(c.actor.start, regions) is not None:
        f["actor-in-clause"] = 1.0
    f[f"actor:{_party_kind(c.actor, mention_only)}"] = 1.0
    f[f"actor-kind:{index.actors[c.actor.actor].kind}"] = 1.0
    if c.actor.prepositional and not c.actor.possessive:
        f["actor-prepositional"] = 1.0
    if c.actor.possessive:
        f["actor-possessive"] = 1.0
    if c.actor.actor not in ctx.seen_before:
        f["actor-new"] = 1.0
    if c.target is None:
        f["no-target"] = 1.0
    else:
        a, b = c.actor, c.target
        f[f"target:{_party_kind(b, mention_only)}"] = 1.0
        f[f"target-kind:{index.actors[b.actor].kind}"] = 1.0
        if a.start < b.start:
            f["actor-first"] = 1.0
        if o.trigger_word and a.end <= t0 and t1 <= b.start:
            f["actor-act-target"] = 1.0
        if o.trigger_word and b.end <= t0 and t1 <= a.start:
            f["target-act-actor"] = 1.0
        f["distance"] = min(max(b.start - a.end, a.start - b.end, 0), 300) / 100
        if _inside(b.start, regions) is not None:
            f["target-in-clause"] = 1.0
        if b.prepositional:
            f["target-prepositional"] = 1.0
        if b.actor not in ctx.seen_before:
            f["target-new"] = 1.0
        if o.trigger_word and _settled(sentence, c):
            f["settled"] = 1.0
    f["parties"] = min(parties, 8) / 4
    # the article's main parties are the ones it names most (measured: coded events are mostly between them)
    f["actor-named-often"] = min(ctx.counts[c.actor.actor], 10) / 10
    if c.target is not None:
        f["target-named-often"] = min(ctx.counts[c.target.actor], 10) / 10
    f["act-words"] = min(len(ctx.triggers) + len(ctx.modal), 6) / 3
    top = {a for a, _ in ctx.counts.most_common(2)}
    if c.actor.actor in top:
        f["actor-most-named"] = 1.0
    if c.target is not None:
        if c.target.actor in top:
            f["target-most-named"] = 1.0
        f["pair-named-together"] = min(ctx.together[frozenset((c.actor.actor, c.target.actor))], 5) / 5
    others = [p for p in ctx.analysis.parties + ctx.named if p.actor not in (c.actor.actor, c.target.actor if c.target else None)]
    if not any(p.end <= c.actor.start for p in ctx.analysis.parties + ctx.named if p.actor != c.actor.actor):
        f["actor-first-named"] = 1.0
    if o.trigger_word and c.actor.end <= t0 and not any(c.actor.end <= p.start and p.end <= t0 for p in others):
        f["actor-nearest-before-act"] = 1.0
    if c.target is not None:
        lo, hi = sorted((c.actor.end, c.target.start)) if c.actor.start < c.target.start else (c.target.end, c.actor.start)
        if not any(lo <= p.start and p.end <= hi for p in others):
            f["nothing-between"] = 1.0
        if o.trigger_word and t1 <= c.target.start and not any(t1 <= p.start and p.end <= c.target.start for p in others):
            f["target-nearest-after-act"] = 1.0
        if re.fullmatch(r"(?:['’]s)?\s*(?:,|and|, and|or)\s*(?:the\s+)?", sentence[lo:hi]):
            f["coordinated"] = 1.0  # "X and Y": rarely actor and target of each other
    for a, b in _INTERACTIONS:
        if f.get(a) == 1.0 and f.get(b) == 1.0:
            f[f"{a}&{b}"] = 1.0
    if any(d.value for d in ctx.dates):
        f["has-date"] = 1.0
    if ctx.paragraph == 0:
        f["lead"] = 1.0
    if ctx.heading:
        f["heading"] = 1.0
    if ctx.speech is not None:
        f["quoted"] = 1.0
        if ctx.speech.speaker.actor == c.actor.actor:
            f["speaker-is-actor"] = 1.0
    if "crosses the quotation marks" in o.why:
        f["crosses-quote"] = 1.0
    if not any(d.value for d in ctx.dates) and _UNDATED_PAST.search(sentence):
        f["undated-past"] = 1.0
    # --- syntax (issue 20, "read the sentence"): the roles link-grammar's parse gives the actor and target
    # (lib/reading/syntax.py; no features where the parser is not installed or finds no complete parse) ---
    act, target = (t0, t1) if o.trigger_word else None, (c.target.start, c.target.end) if c.target else None
    f.update(syntax.features(sentence, act, (c.actor.start, c.actor.end), target))
    # --- end of syntax ---
    f.update(lexical_features(sentence, c, o.trigger_word))
    return f


# --- learned lexical evidence (round 9): the words themselves, crossed with the reading's direction; the
# ranker learns their weights (bench/draft_train.py keeps those seen in enough development articles) ---
_WORD = re.compile(r"[’']s\b|[A-Za-z][a-z’'-]*")  # a possessive "’s" is a word of its own
LEXICAL_GAP = 8  # words between the parties read one by one (a longer gap: its first and last words only)


def _word(w: str) -> str:
    """A word as the lexical features name it: lower case, a plural or possessive -s and -’s stripped."""
    w = w.lower().replace("’", "'")
    w = w[:-2] if w.endswith("'s") and len(w) > 2 else w
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


def lexical_features(sentence: str, c: Candidate, trigger_word: bool) -> dict[str, float]:
    """The reading's words as features: the act word, the words between actor and target, the word before
    the first party, each crossed with the direction (`a>t`: the actor named first, `t>a`: the target
    first, `a`: no target); and the words whose subject/object the parser reads each party as."""
    a, b = c.actor, c.target
    way = "a" if b is None else ("a>t" if a.start < b.start else "t>a")
    f: dict[str, float] = {}
    if trigger_word:
        act = _WORD.findall(sentence[c.trigger[0] : c.trigger[1]])
        if act:
            f[f"lex:act={_word(act[0])}|{way}"] = 1.0
    if b is not None:
        lo, hi = (a.end, b.start) if a.start < b.start else (b.end, a.start)
        gap = [_word(w) for w in _WORD.findall(sentence[lo:hi])]
        for w in gap if len(gap) <= LEXICAL_GAP else gap[:2] + gap[-2:]:
            f[f"lex:between={w}|{way}"] = 1.0
        if len(gap) > LEXICAL_GAP:
            f[f"lex:far|{way}"] = 1.0
        first = min(a.start, b.start)
        before = _WORD.findall(sentence[max(0, first - 30) : first])
        f[f"lex:before={_word(before[-1]) if before else '^'}|{way}"] = 1.0
    reading = syntax.roles(sentence)
    if reading is not None:
        for name, party in (("actor", a), ("target", b)):
            if party is None:
                continue
            for r in reading.roles:
                if r.filler[0] < party.end and party.start < r.filler[1]:
                    head = _WORD.findall(sentence[r.head[0] : r.head[1]])
                    if head:
                        f[f"lex:{name}-{r.role}-of={_word(head[0])}"] = 1.0
    return {k: v for k, v in f.items() if _LEXICAL_NAME.fullmatch(k)}


_LEXICAL_NAME = re.compile(r"lex:(?:(?:act|between|before)=[a-z'^-]*\|(?:a|a>t|t>a)|far\|(?:a>t|t>a)|(?:actor|target)-(?:subject|patient|object|agent|prep:[a-z]+)-of=[a-z'-]+)")


_FINITE = re.compile(r"(?:\w+ed|met|sent|gave|took|made|held|told|struck|fought|sought|won|lost|signed)\b", re.IGNORECASE)


def _settled(sentence: str, c: Candidate) -> bool:
    """Whether the clause rules' reading has its roles settled by the sentence: an active past-tense verb
    (not a noun such as "talks" or "railway", not a passive) with the doer before it and the target after."""
    start, _, _ = c.trigger
    if c.target is None or not (c.actor.end <= start < c.target.start) or _PASSIVE.search(sentence, 0, start):
        return False
    return bool(_FINITE.match(sentence, start)) and _inside(start, _regions(sentence)) is None


_PASSIVE = re.compile(r"\b(?:been|was|were|is|are|be|being)\s+(?:\w+ly\s+)?$")
# A verb where the lexicon has no trigger: a past form, or one after an auxiliary ("have relied").
_VERB = re.compile(r"\b(?:has|have|had|was|were|is|are|will|would)\s+(?:\w+ly\s+)?[a-z]+\b|\b[a-z]{3,}ed\b|\b(?:held|took|made|gave|sent|led|began|became|kept|left|brought|sought|won|lost|saw|told|paid|put|set|struck|fought|spoke)\b")


def _draft(
    article: Article,
    dataset: Dataset,
    index: NameIndex,
    sentence: str,
    span: tuple[int, int],
    analysis: Analysis,
    c: Candidate,
    dates: list[FoundDate],
    related: FoundDate | None,
    unknown: list[str],
    used_ids: set[str],
    occasion: FoundDate | None = None,
    passage: bool = False,
) -> Draft:
    t_start, t_end, entry = c.trigger
    actor = index.actors[c.actor.actor]
    target = index.actors[c.target.actor] if c.target else None
    guessed = {"event_type", "stance", "title", "summary"}
    notes: list[str] = []
    found = related or _choose_date(dates, c.trigger, _regions(sentence), sentence)
    if found is not None:
        date, date_note = found.value, found.note
        if found.relative:
            guessed.add("date")
    elif occasion is not None and all(d.value for d in dates):  # the sentence's dates are deadlines or other clauses' ("which had been shut since 2021")
        date = occasion.value
        date_note = (f"Not dated in the sentence: the day of the occasion its passage dated before "
                     f"(“{occasion.text}”, {occasion.value}); news tells one occasion per passage.")
        if passage:
            date_note = (f"Not dated in the sentence: the last day its passage (this paragraph or the one before) named "
                         f"(“{occasion.text}”, {occasion.value}); news tells one occasion per passage (a guess).")
        guessed.add("date")
    else:
        date, _, date_note = undated(article.published, article.approximate)
        unresolved = [d for d in dates if not d.value]
        if unresolved:
            date_note += " " + unresolved[0].note
        elif dates and all(d.deadline for d in dates):
            date_note += f" (“{dates[0].text}” is a deadline or a plan, not the act's date.)"
        elif dates:
            date_note += f" (“{dates[0].text}” dates another clause of the sentence.)"
        guessed.add("date")
    notes.append(f"Date: {date_note}")
    stance = entry.stance if target is not None else 0
    notes.append(
        f"Event type and stance: a guess from “{sentence[t_start:t_end]}” "
        f"(lexicon '{entry.id}', CAMEO {entry.cameo}: {entry.event_type}, {stance:+d})."
    )
    notes.append(f"Actor: {c.actor.how}." if c.actor.how else f"Actor: {actor.name}.")
    if c.actor.guessed:
        guessed.add("actor")
    if target is not None:
        notes.append(f"Target: {c.target.how}.")
        if c.target.guessed:
            guessed.add("target")
    else:
        notes.append("Target: none named in the sentence (stance 0).")
    notes += [n[:1].upper() + n[1:] + "." for n in c.notes + analysis.notes]
    if c.notes:
        guessed |= {"actor", "target"}
    location = None
    location_country = None
    if c.host:
        location, location_country = c.host
    elif analysis.locations:
        location, location_country = analysis.locations[0]
    if location:
        guessed.add("location")
    countries = _countries(index, actor.id, target.id if target else None, analysis, location_country)
    guessed.add("countries")
    place = guess_place(sentence, countries, dataset.places, list(dataset.countries), location=location,
                        trigger=(t_start, t_end), names=index)  # a proposal: lib/reading/place_guess.py, CODEBOOK 4.1
    notes += place.notes
    unknown = [u for u in unknown if u not in place.names]  # a place, not an unknown actor
    if place.place:
        guessed |= {"place", "place_precision", "place_note"} | ({"location"} if not location else set())
        location = location or place.written
    if not countries:
        notes.append("Countries: none named and neither party has a home country; add at least one.")
    voiceless = [
        index.countries[code].name
        for code in analysis.countries
        if code in index.countries and _government_actor(index, code, _when(dates, article)).actor is None
    ]
    if voiceless:
        notes.append(
            "Named countries with no actor to act for them (add one to actors.yaml to code their acts): "
            + ", ".join(voiceless)
            + "."
        )
    if unknown:
        notes.append(
            "Names not in actors.yaml, left for the analyst (unknown actor?): "
            + ", ".join(f"“{u}”" for u in dict.fromkeys(unknown))
            + "."
        )
    event_type = entry.event_type
    existing = same_occurrence(
        {"actor": actor.id, "target": target.id if target else None, "event_type": event_type, "date": date},
        dataset,
        article.id,
    )
    if len(existing) == 1:
        other = existing[0]
        notes.append(
            f"Same occurrence? Existing event '{other.id}' ({other.date}) has this actor, target, type and a "
            "compatible date: if it is the same, add this article to its sources instead (CODEBOOK.md 8; in a "
            "curation log, a `sources_added` entry)."
        )
        if len(other.date) > len(date):
            date = other.date
            date_note = f"As the existing event '{other.id}', if it is the same occurrence: {other.date_note or other.date}. " + date_note
            notes[0] = f"Date: {date_note}"
            guessed.add("date")
    elif existing:
        notes.append(
            "Same occurrence? Existing events with this actor, target, type and a compatible date: "
            + ", ".join(f"'{o.id}' ({o.date})" for o in existing)
            + "."
        )
    base = _slug(f"{actor.id}-{entry.id}-{target.id if target else ''}-{date}")
    event_id = base
    n = 2
    while event_id in used_ids:
        event_id = f"{base}-{n}"
        n += 1
    used_ids.add(event_id)
    event = {
        "id": event_id,
        "date": date,
        "date_note": date_note,
        "title": _title(actor.name, entry, target.name if target else None),
        "summary": " ".join(sentence.split()),
        "actor": actor.id,
        "target": target.id if target else None,
        "countries": countries,
        "location": location,
        "place": place.place,
        "place_precision": place.precision,
        "place_note": place.note,
        "event_type": entry.event_type,
        "stance": stance,
        "sources": [{"article": article.id, "quote": sentence}],
    }
    return Draft(event, span, notes, frozenset(guessed), place.new_place)


# ---------------------------------------------------------------------------
# command line


def drafts_yaml(drafts: list[Draft], article: Article) -> str:
    """The drafts as an events.yaml document; each event carries a `draft:` mapping (notes, guessed
    fields, quote offsets) that marks it as a machine proposal and must be removed on acceptance."""
    events = []
    for d in drafts:
        entry = dict(d.event)
        entry[DRAFT_KEY] = {
            "confidence": d.confidence,
            "reason": d.reason,
            "guessed": sorted(d.guessed),
            "notes": d.notes,
            "quote_span": list(d.quote_span),
        }
        if d.alternatives:  # other readings of the same quote: copy one over the event to use it instead
            entry[DRAFT_KEY]["alternatives"] = [
                {k: a.event[k] for k in ("id", "actor", "target", "event_type", "stance", "date", "date_note", "title")}
                | {"confidence": a.confidence, "reason": a.reason}
                for a in d.alternatives
            ]
        if d.new_place:
            entry[DRAFT_KEY]["new_place"] = d.new_place  # for places.yaml, if the place is accepted
        events.append(entry)
    header = (
        f"# Machine draft of events from {article.path} ({article.id}), made by python -m lib.draft.\n"
        "# Every field is a proposal: check each against the article and CODEBOOK.md, fix or delete it,\n"
        f"# and remove the '{DRAFT_KEY}:' mapping of each event you accept before adding it to events.yaml.\n"
    )
    body = yaml.safe_dump({"events": events}, allow_unicode=True, sort_keys=False, width=100)
    return header + body


def strip_draft(event: dict) -> dict:
    """An accepted draft as an events.yaml entry: the machine-only mapping removed."""
    return {k: v for k, v in event.items() if k != DRAFT_KEY}


def main(argv: list[str] | None = None) -> int:
    """Draft events from an article file; print YAML or write it to --out. Exit 1 with a message on error."""
    parser = argparse.ArgumentParser(prog="python -m lib.draft", description=__doc__.splitlines()[0])
    parser.add_argument("article", help="the article file: YAML front matter, then the body text")
    parser.add_argument("--data", help="data folder with actors.yaml, countries.yaml, lexicon.yaml (default: data/)")
    parser.add_argument("--out", help="write the drafts to this file instead of printing them")
    args = parser.parse_args(argv)
    try:
        article = read_article_file(args.article)
        dataset = load_dataset(args.data)
        blocking = [p for p in dataset.problems if _blocks(p)]
        if blocking:
            raise DashboardError("The data folder has problems", "\n".join(str(p) for p in blocking))
        drafts = draft_events(article, dataset)
    except DashboardError as exc:
        print(f"{exc.title}: {exc.message}", file=sys.stderr)
        return 1
    text = drafts_yaml(drafts, article)
    if args.out:
        from lib.model.files import write_atomic

        write_atomic(Path(args.out), text)
        print(f"{len(drafts)} draft event(s) written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _blocks(problem: DataProblem) -> bool:
    """Problems with actors or countries stop drafting (names would be wrong); others do not."""
    return problem.file.endswith(("actors.yaml", "countries.yaml"))


if __name__ == "__main__":
    sys.exit(main())
