"""The grammatical roles of a sentence's words, read by a real syntactic parser: CMU's Link Grammar
(Debian's `python3-link-grammar` and `link-grammar-dictionaries-en`, linked into the virtualenv by
scripts/setup.sh; its English dictionary is the parser's own, nothing is downloaded).

`roles(sentence)` gives, for each verb (or noun) of the sentence, its subject, object, passive agent
("by X") and prepositional objects ("with X", "against X") as character spans of their noun phrases,
conjuncts expanded ("Russia and China signed": both are subjects). None when the parser is not installed,
the sentence is longer than `MAX_WORDS`, or no complete parse is found in `MAX_SECONDS`: the drafter then
reads the sentence by its rules alone. Results are cached per sentence text.
"""

from __future__ import annotations

import atexit
import functools
import re
import threading
from dataclasses import dataclass
from typing import Any

MAX_WORDS = 50  # longer sentences are not parsed (measured: the slowest, up to 1.5 s each at load 13)
MAX_SECONDS = 1  # link-grammar's own parse time limit per sentence (whole seconds)
LINKAGES = 20  # linkages link-grammar samples; the first valid one (lowest cost) is read

# Link labels (link-grammar's English dictionary, 4.0.dict): subject S (subject-verb), SI (inverted: "said
# the minister"), object O, passive Pv, auxiliary chains PP (have + participle), Pg (be + -ing), I (modal +
# infinitive), TO (verb + "to"), IV; verb and noun to preposition MV / M, preposition to its object J;
# conjunctions SJ / VJ / MJ / RJ (l: left conjunct, r: right conjunct).
_AUXILIARY = re.compile(r"^(?:PP|Pg|Pv|I|TO|IV)")
_NP_LEFT = re.compile(r"^(?:D|A|AN|G|GN|YS|YP|NM|DG|E)")  # a noun's left modifiers, part of its phrase
_CONJ = re.compile(r"^(?:SJ|VJ|MJ|RJ|AJ|CJ)([lr])")

_lock = threading.Lock()


@dataclass(frozen=True)
class Role:
    """One grammatical role: `head` (the verb or noun, a character span) has `role` filled by the phrase
    `filler` (a character span). Roles: subject, patient (subject of a passive), object, agent (passive
    "by X"), prep:<preposition> ("with X"). A speech verb's speaker is its subject ("said the minister")."""

    head: tuple[int, int]
    role: str
    filler: tuple[int, int]


@dataclass(frozen=True)
class Reading:
    """A parsed sentence: its roles, and the pairs of phrases coordinated by a conjunction."""

    roles: tuple[Role, ...]
    coordinated: tuple[tuple[tuple[int, int], tuple[int, int]], ...]

    def of(self, start: int, end: int) -> list[Role]:
        """The roles of the head word(s) overlapping [start, end) (an act word's span)."""
        return [r for r in self.roles if r.head[0] < end and start < r.head[1]]

    def governing(self, start: int, end: int) -> list[Role]:
        """The roles of the words whose object or prepositional object the span is (the verb of an act
        noun: "maintains contact", "hinted at recognition")."""
        heads = {
            r.head
            for r in self.roles
            if (r.role == "object" or r.role.startswith("prep:")) and r.filler[0] < end and start < r.filler[1]
        }
        return [r for r in self.roles if r.head in heads]


@functools.cache
def _parser() -> tuple[Any, Any] | None:
    """link-grammar's module and its English dictionary, or None when it is not installed."""
    try:
        import linkgrammar
    except ImportError:
        return None
    linkgrammar.LG_Error.set_handler(lambda _error, _data: None)  # its notices ("no locale") are not ours
    try:
        dictionary = linkgrammar.Dictionary("en")
    except linkgrammar.LG_Error:
        return None
    atexit.register(_release)  # free the C dictionary while the binding is still loaded (else a noise at exit)
    return linkgrammar, dictionary


def _release() -> None:
    roles.cache_clear()
    _parser.cache_clear()


def available() -> bool:
    """Whether the parser is installed (scripts/setup.sh)."""
    return _parser() is not None


@functools.lru_cache(maxsize=4096)
def roles(sentence: str) -> Reading | None:
    """The sentence's grammatical roles, or None (no parser, too long, no complete parse in time)."""
    parser = _parser()
    if parser is None or not sentence.strip() or len(sentence.split()) > MAX_WORDS:
        return None
    lg, dictionary = parser
    options = lg.ParseOptions(
        verbosity=0, linkage_limit=LINKAGES, min_null_count=0, max_null_count=0, max_parse_time=MAX_SECONDS,
        spell_guess=0, repeatable_rand=True,
    )  # fmt: skip
    with _lock:  # one parse at a time: the C library's dictionary is shared
        parsed = lg.Sentence(sentence, dictionary, options)
        try:
            linkages = parsed.parse()
            linkage = next(iter(linkages), None)
        except lg.LG_TimerExhausted:
            return None
        if linkage is None:
            return None
        return _read(lg.Clinkgrammar, linkage._obj)


def _read(clg: Any, obj: Any) -> Reading:
    """The roles from one linkage's links (words as character spans; the walls dropped)."""
    n = clg.linkage_get_num_words(obj)
    spans = [(clg.linkage_get_word_char_start(obj, i), clg.linkage_get_word_char_end(obj, i)) for i in range(n)]
    words = [clg.linkage_get_word(obj, i) for i in range(n)]
    links = [
        (clg.linkage_get_link_lword(obj, k), clg.linkage_get_link_label(obj, k), clg.linkage_get_link_rword(obj, k))
        for k in range(clg.linkage_get_num_links(obj))
    ]
    return links_to_roles(words, spans, links)


def links_to_roles(words: list[str], spans: list[tuple[int, int]], links: list[tuple[int, str, int]]) -> Reading:
    """Roles from link-grammar's words (with their character spans) and links (left word, label, right word)."""
    right: dict[int, list[tuple[str, int]]] = {}
    left: dict[int, list[tuple[str, int]]] = {}
    for lw, label, rw in links:
        right.setdefault(lw, []).append((label, rw))
        left.setdefault(rw, []).append((label, lw))

    def conjuncts(i: int, seen: frozenset[int] = frozenset()) -> list[int]:
        """A conjunction's conjuncts (recursively), else the word itself."""
        found = [w for label, w in left.get(i, []) if (m := _CONJ.match(label)) and m.group(1) == "l"]
        found += [w for label, w in right.get(i, []) if (m := _CONJ.match(label)) and m.group(1) == "r"]
        if not found or i in seen:
            return [i]
        return [c for w in found for c in conjuncts(w, seen | {i})]

    def phrase(i: int) -> tuple[int, int]:
        """A noun's phrase: the noun with its left modifiers (determiners, adjectives, possessors, name
        parts) and an "of X" after it."""
        lo, hi = spans[i]
        stack, seen = [i], {i}
        while stack:
            w = stack.pop()
            for label, other in left.get(w, []):
                if _NP_LEFT.match(label) and other not in seen:
                    seen.add(other)
                    stack.append(other)
                    lo = min(lo, spans[other][0])
            for label, other in right.get(w, []):
                if label.startswith("G") and other not in seen:  # "Russia and China" read as one name
                    seen.add(other)
                    stack.append(other)
                    hi = max(hi, spans[other][1])
                if label.startswith("MX") and other not in seen:  # an apposition: "its president, X,"
                    seen.add(other)
                    stack.append(other)
                    hi = max(hi, spans[other][1])
                if label.startswith(("Mp", "Mf")) and words[other] == "of":
                    for jl, j in right.get(other, []):
                        if jl.startswith("J") and j not in seen:
                            seen.add(j)
                            hi = max(hi, spans[j][1])
        return lo, hi

    def chain(verb: int, passive: bool = False, seen: frozenset[int] = frozenset()) -> list[tuple[int, bool]]:
        """The verb and the verbs its auxiliaries lead to ("has voted to close"), with passive voice."""
        out = [(verb, passive)]
        for label, w in right.get(verb, []):
            if _AUXILIARY.match(label) and w not in seen and w != verb:
                out += chain(w, passive or label.startswith("Pv"), seen | {verb})
        return out

    roles: list[Role] = []

    def add(head: int, role: str, filler: int) -> None:
        for h in conjuncts(head):
            for f in conjuncts(filler):
                roles.append(Role(spans[h], role, phrase(f)))

    for lw, label, rw in links:
        if label.startswith("S") and not label.startswith(("SJ", "SI", "SF")):
            subject, verb = lw, rw
        elif label.startswith("SI") and not label.startswith("SJ"):
            subject, verb = rw, lw
        else:
            subject = verb = -1
        if verb >= 0:
            for v in conjuncts(verb):
                for head, passive in chain(v):
                    add(head, "patient" if passive else "subject", subject)
        if label.startswith("O") and not label.startswith("OF"):
            add(lw, "object", rw)
        if label.startswith(("MV", "Mp", "Mg")) and not label.startswith("MVa"):
            prep = words[rw].split(".")[0].lower()
            for jl, obj in right.get(rw, []):
                if jl.startswith("J"):
                    if prep == "by" and any(lab.startswith("Pv") for lab, _ in left.get(lw, [])):
                        add(lw, "agent", obj)
                    else:
                        add(lw, f"prep:{prep}", obj)
    coordinated = []
    for i, word in enumerate(words):
        if word.split(".")[0].lower() in ("and", "or", "nor", "but"):
            parts = conjuncts(i)
            if len(parts) > 1:
                coordinated += [(phrase(a), phrase(b)) for a in parts for b in parts if a < b]
    return Reading(tuple(dict.fromkeys(roles)), tuple(dict.fromkeys(coordinated)))


_DOER = ("subject", "agent")
_DONE_TO = ("object", "patient")

# The features the drafter's ranker weighs (lib/reading/draft.py `_features`, `known_feature`). Measured on
# the development set (5-fold cross-validated, folds by article; README "Drafting events"): three more
# (the actor is the passive agent, the target a prepositional object, actor and target coordinated) gained
# nothing there and were removed.
FEATURES = frozenset({
    "syntax-parsed", "syntax-actor-subject", "syntax-target-object", "syntax-reversed", "syntax-linked",
    "syntax-linked-reversed",
})  # fmt: skip


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def features(
    sentence: str, act: tuple[int, int] | None, actor: tuple[int, int], target: tuple[int, int] | None
) -> dict[str, float]:
    """A reading's syntactic features (1 for a flag; none when the sentence was not parsed). Of the act word
    (or the verb whose object it is: "maintains contact"): the actor is its subject; the target its object
    or passive subject; or the reverse (the target its subject or passive agent, the actor its object).
    Of any word: the actor is its doer (subject, passive agent) and the target its done-to (object, passive
    subject, prepositional object), or the reverse."""
    reading = roles(sentence)
    if reading is None:
        return {}
    f = {"syntax-parsed": 1.0}
    if act is not None:
        of_act = reading.of(*act) + reading.governing(*act)
        if any(r.role == "subject" and _overlaps(r.filler, actor) for r in of_act):
            f["syntax-actor-subject"] = 1.0
        if target is not None:
            if any(r.role in _DONE_TO and _overlaps(r.filler, target) for r in of_act):
                f["syntax-target-object"] = 1.0
            if any(
                (r.role in _DOER and _overlaps(r.filler, target)) or (r.role in _DONE_TO and _overlaps(r.filler, actor))
                for r in of_act
            ):
                f["syntax-reversed"] = 1.0
    if target is not None:
        heads: dict[tuple[int, int], set[str]] = {}
        for r in reading.roles:
            if r.role in _DOER or r.role in _DONE_TO or r.role.startswith("prep:"):
                side = "doer" if r.role in _DOER else "done-to"
                if _overlaps(r.filler, actor):
                    heads.setdefault(r.head, set()).add(f"actor-{side}")
                if _overlaps(r.filler, target):
                    heads.setdefault(r.head, set()).add(f"target-{side}")
        if any({"actor-doer", "target-done-to"} <= s for s in heads.values()):
            f["syntax-linked"] = 1.0
        if any({"target-doer", "actor-done-to"} <= s for s in heads.values()):
            f["syntax-linked-reversed"] = 1.0
    return f
