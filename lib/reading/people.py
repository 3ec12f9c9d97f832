"""Named officials in news text: a title with a person's name ("Uzbek Foreign Minister Abdulaziz Kamilov",
"the acting foreign minister of Afghanistan Amir Khan Muttaqi", "Abdulaziz Kamilov, Minister of Foreign
Affairs of Uzbekistan") is an official of the state its title names (CODEBOOK.md 7: officials act for their
state); later in the article the surname alone ("Kamilov said") is the same person. Always a guess.

The drafter (lib/reading/draft.py) gives this module the sentence, the parties it found and the titles the
lexicon matched; this module only reads names, it never decides who is a party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A name: one to four capitalised words ("Donald H. Rumsfeld", "Mawlavi Amir Khan Muttaqi"), hyphens and
# apostrophes inside a word allowed; a particle ("al-", "bin", "ibn", "de") may join two of them.
_WORD = r"[A-Z][a-z][\w’'-]*|[A-Z]\."
_NAME = re.compile(rf"(?:{_WORD})(?:\s+(?:(?:al|bin|ibn|de|van|von|ul|ud)[\s-]+)?(?:{_WORD})){{0,3}}")
_GAP_BEFORE_TITLE = re.compile(r"(?:['’]s)?,?\s+(?:(?:acting|former|then|new|deputy|first|senior|current|interim)\s+)*$", re.IGNORECASE)
_AFTER_TITLE = re.compile(r",?\s+")  # "Uzbekistan’s President, Shavkat X,"
_OF = re.compile(r"\s+of\s+(?:the\s+)?", re.IGNORECASE)
_AFTER_PARTY = re.compile(r"(?:\s*\([^()]{1,30}\))?,?\s+")  # "Islamic Emirate of Afghanistan (IEA) Amir Khan Muttaqi"
_NAME_BEFORE_COMMA = re.compile(rf"((?:{_WORD})(?:\s+(?:{_WORD})){{0,3}}),\s+(?:(?:the|a|an)\s+)?(?:\w+\s+){{0,2}}$")  # "Name, Title"


@dataclass(frozen=True)
class Official:
    """A person named with a title, and the state or group the title names."""

    start: int  # the name, in the sentence
    end: int
    name: str
    surname: str
    actor: str
    head: int  # where the phrase naming the person starts (the title, or the name when it comes first)
    title: str  # the title as written


def name_at(text: str, pos: int, not_names: frozenset[str]) -> tuple[int, int] | None:
    """The span of the name starting at `pos`, if one does (trailing sentence words left out)."""
    match = _NAME.match(text, pos)
    if match is None:
        return None
    tokens = list(re.finditer(r"\S+", match.group()))
    def common(word: str) -> bool:
        return word.rstrip(".").lower() in not_names

    while tokens and (common(tokens[-1].group()) or len(tokens[-1].group().rstrip(".")) < 3):
        tokens.pop()  # "Rumsfeld Monday", "Kamilov In": a sentence word, not the surname
    if not tokens or all(common(t.group()) for t in tokens):
        return None
    return match.start(), match.start() + tokens[-1].end()


def surname_of(name: str) -> str:
    """The last word of a name, without a possessive ("Rumsfeld’s" → "Rumsfeld")."""
    return re.sub(r"['’]s$", "", name.split()[-1])


def officials(
    text: str, parties: list[tuple[int, int, str]], titles: list[tuple[int, int]], not_names: frozenset[str]
) -> list[Official]:
    """The officials a sentence names with a title: the title's party is the one right before it ("Uzbek
    Foreign Minister X", "Uzbekistan's President X") or after "of" in it ("Minister of Foreign Affairs of
    Uzbekistan X", "X, Minister of Foreign Affairs of Uzbekistan"). `parties`: (start, end, actor) of the
    parties found; `titles`: the spans of titles the lexicon matched; `not_names`: capitalised words that are no name, in
    lower case."""
    out: list[Official] = []
    taken = [(s, e) for s, e, _ in parties]

    def free(s: int, e: int) -> bool:
        return not any(s < b and a < e for a, b in taken)

    for t_start, t_end in titles:
        title = text[t_start:t_end]
        before = [p for p in parties if p[1] <= t_start and _GAP_BEFORE_TITLE.fullmatch(text[p[1] : t_start])]
        of = _OF.match(text, t_end)
        after = [p for p in parties if of and p[0] >= of.end() and p[0] - t_end < 70 and "," not in text[t_end : p[0]]]
        # "Title [of X] Name": the name right after the title, or after the party named in it
        for actor_party, name_pos in (
            *((p, _AFTER_PARTY.match(text, p[1])) for p in after[:1]),
            *((p, _AFTER_TITLE.match(text, t_end)) for p in before[-1:]),
        ):
            if name_pos is None:
                continue
            name = name_at(text, name_pos.end(), not_names)
            if name and free(*name):
                head = before[-1][0] if before and actor_party is before[-1] else t_start
                written = text[name[0] : name[1]]
                out.append(Official(name[0], name[1], written, surname_of(written), actor_party[2], head, title))
                break
        else:
            # "Name, Title of X": the name right before the comma
            comma = _NAME_BEFORE_COMMA.search(text[:t_start])
            if comma and after:
                name = name_at(text, comma.start(1), not_names)
                if name and free(*name):
                    written = text[name[0] : name[1]]
                    out.append(Official(name[0], name[1], written, surname_of(written), after[0][2], name[0], title))
    return out


def surname_mentions(text: str, known: dict[str, str], taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Where a surname read before stands alone in `text` ("Rumsfeld said"): (start, end, surname), outside
    the `taken` spans (the parties already found). `known`: surname → actor."""
    out = []
    for surname in known:
        for match in re.finditer(rf"\b{re.escape(surname)}\b(?:['’]s)?", text):
            if not any(match.start() < b and a < match.end() for a, b in taken):
                out.append((match.start(), match.end(), surname))
    return out
