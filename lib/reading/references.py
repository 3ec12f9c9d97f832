"""Reference resolution for the drafter's candidate generator (issue 20, round 10).

A party is often not named in the sentence that states the act: "he said" points back to the official of
an earlier sentence. This module keeps what the article has named so far (`History`) and resolves a
subject pronoun to a known actor of a fitting kind, each resolution a proposal with its reason; the
drafter turns them into parties (`lib/reading/draft.py`) and the ranker weighs them like any other.
Round 11 removed round 10's descriptions read as the last-named actor ("the militants"), unnamed armed
men read as the armed group named last, and a country after "in" read as its government: measured on
cross-validated ranked recall (bench/RESULTS.md, bench:draft-rules-r11) they gained nothing.

Kinds come from data/actors.yaml (`kind`). Who governed a country when (a country or capital read as its
government) is `governments:` in data/countries.yaml, read by lib/model/governments.py, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# what each subject pronoun may stand for (actor kinds of data/actors.yaml); "he"/"she": a person only
_PRONOUN_KINDS: dict[str, tuple[str, ...]] = {
    "it": ("state", "government", "organisation", "armed_group", "alliance"),
    "they": ("state", "government", "organisation", "armed_group", "alliance"),
}
_PERSON_PRONOUNS = {"he", "she"}
_SUBJECT = re.compile(r"\b(?:It|it|They|they|He|he|She|she)\b")
_EXPLETIVE = re.compile(r"\s+(?:is|was|seems|seemed|appears|appeared|remains|remained|has\s+been|had\s+been|will\s+be|would\s+be)\b")
_OBJECT_OF = re.compile(r"\b(?:to|with|of|for|against|on|by|from|that|than)\s+$", re.IGNORECASE)
_SPEAKS = re.compile(
    r"\s+(?:also\s+|further\s+|later\s+|then\s+)?(?:said|says|told|added|stated|noted|warned|stressed|insisted|claimed|"
    r"announced|assured|urged|called|was\s+quoted|is\s+quoted|wrote|argued|believes|believed|suggested|declared)\b"
)
# words that mark an organisation, not a person's name ("Army", "Ministry"): a name holding one is not read as a
# person (`looks_like_a_person`); lib/reading/draft.py takes no surname from them either
ORGANISATION_WORDS = frozenset({
    "front", "alliance", "emirate", "organisation", "organization", "movement", "council", "union", "party", "group",
    "state", "states", "republic", "nations", "forces", "army", "ministry", "government", "committee", "federation",
    "kremlin", "taliban", "network", "office", "agency", "bank", "company", "corporation", "authority",
})  # fmt: skip
LOOKBACK = 3  # sentences a pronoun may reach back to find a fitting antecedent


@dataclass(frozen=True)
class Antecedent:
    """An actor named in a sentence read before: where, in which sentence, and how."""

    offset: int  # in the article
    actor: str
    kind: str  # the actor's kind (actors.yaml)
    sentence: int  # the sentence's number in the article
    doer: bool  # named as a doer (not a place, not after a preposition)
    person: bool  # a person (a titled official, a surname, a person actor)
    text: str  # the words that named it


@dataclass(frozen=True)
class Resolution:
    """A word of a sentence read as a known actor: its span in the sentence, the actor and why."""

    start: int
    end: int
    text: str
    actor: str
    reason: str


@dataclass
class History:
    """What an article has named so far, sentence by sentence."""

    antecedents: list[Antecedent] = field(default_factory=list)
    sentence: int = -1  # the number of the sentence being read

    def next_sentence(self) -> int:
        """Start reading the next sentence; its number."""
        self.sentence += 1
        return self.sentence

    def add(self, antecedent: Antecedent) -> None:
        """Record an actor named in the current sentence."""
        self.antecedents.append(antecedent)


def _ago(history: History, a: Antecedent) -> str:
    n = history.sentence - a.sentence
    return "in this sentence" if n == 0 else "in the sentence before" if n == 1 else f"{n} sentences before"


def looks_like_a_person(text: str, actor_name: str, country_names: set[str]) -> bool:
    """Whether the words that named an actor look like a person's name ("Baradar", "Suhail Shaheen"), not
    the actor's own name, a country, an abbreviation or an organisation ("US", "the Kremlin")."""
    words = text.split()
    return (
        0 < len(words) <= 4 and text != actor_name and text not in country_names
        and all(w[:1].isupper() and w[1:].islower() for w in words)
        and not any(w.lower().strip("’'s") in ORGANISATION_WORDS for w in words)
    )  # fmt: skip


def _pronoun_fits(word: str, a: Antecedent) -> bool:
    if word in _PERSON_PRONOUNS:
        return a.person
    return not a.person and a.kind in _PRONOUN_KINDS[word]


def pronoun_subjects(history: History, sentence: str, named_starts: list[int], names: dict[str, str]) -> list[Resolution]:
    """Subject pronouns of a sentence read as the doer of an earlier sentence whose kind fits ("he": a
    person; "it", "they": a state, government, organisation or armed group): a pronoun before any party
    the sentence names ("It said ..."), or one that speaks ("..., he said"). The doer of the nearest
    sentence before (up to `LOOKBACK`) that has a fitting one, its first."""
    out = []
    for match in _SUBJECT.finditer(sentence):
        word = match.group().lower()
        first_here = not any(s < match.start() for s in named_starts)
        speaks = bool(_SPEAKS.match(sentence, match.end()))
        expletive = word == "it" and _EXPLETIVE.match(sentence, match.end())  # "it is said", "it was decided"
        if not (first_here or speaks) or expletive or _OBJECT_OF.search(sentence[: match.start()]):
            continue
        fitting = [
            a for a in history.antecedents
            if a.sentence < history.sentence and history.sentence - a.sentence <= LOOKBACK and a.doer and _pronoun_fits(word, a)
        ]  # fmt: skip
        if not fitting:
            continue
        nearest = max(a.sentence for a in fitting)
        chosen = next(a for a in fitting if a.sentence == nearest)
        out.append(Resolution(
            match.start(), match.end(), match.group(), chosen.actor,
            f"“{match.group()}” read as {names.get(chosen.actor, chosen.actor)}, the doer "
            f"(“{chosen.text}”) {_ago(history, chosen)}",
        ))  # fmt: skip
        break  # one subject pronoun per sentence: later ones are mostly that doer again
    return out
