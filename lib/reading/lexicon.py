"""The drafter's word lists (`data/lexicon.yaml`): CAMEO-style trigger words with event type and stance,
institution nouns, back-references and place words; validated, and matched against text by word."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from lib.errors import DataProblem
from lib.model.names import normalise
from lib.model.read import load_yaml, read_text, yaml_error_text
from lib.model.schema import ACTOR_KINDS, EVENT_TYPES, Slug, Stance, Text
from lib.paths import DEFAULT_DATA_DIR

LEXICON_FILE = "lexicon.yaml"
# CAMEO root codes of each QuadClass (CODEBOOK.md section 5).
CAMEO_ROOTS = {
    "verbal_cooperation": range(1, 6),
    "material_cooperation": range(6, 9),
    "verbal_conflict": range(9, 14),
    "material_conflict": range(14, 21),
}
Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^*]+\*?$|^(?:\S+ )+\S+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VerbEntry(_Strict):
    """One group of trigger words: CAMEO root, event type, usual stance and a title phrase."""

    id: Slug
    cameo: Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-9]|20)$")]
    event_type: Literal[EVENT_TYPES]  # type: ignore[valid-type]
    stance: Stance
    title: Text
    weak: bool = False
    words: Annotated[list[Word], Field(min_length=1)]


class Reference(_Strict):
    """Definite descriptions ("the movement") and the actor kinds they may point back to."""

    words: Annotated[list[Word], Field(min_length=1)]
    kinds: Annotated[list[Literal[ACTOR_KINDS]], Field(min_length=1)]  # type: ignore[valid-type]


Reach = Annotated[int, Field(ge=0, le=12)]


class Governor(_Strict):
    """Words whose reading depends on the trigger they govern ("lifted" + a sanction = easing): the verb
    entry to read when it is a conflict trigger, and when it is a cooperation trigger."""

    id: Slug
    words: Annotated[list[Word], Field(min_length=1)]
    reach: Reach
    conflict: Slug
    cooperation: Slug


class Governing(_Strict):
    """When one trigger governs the next (`reach` words apart at most, no clause word between)."""

    reach: Reach
    clause_words: Annotated[list[Word], Field(min_length=1)]
    determiners: list[Word] = []
    noun_links: list[Word] = []
    governors: list[Governor] = []


class Readings(_Strict):
    """The verb entry to read a qualified act as, by the kind of act."""

    cooperation: Slug
    conflict: Slug


class Modality(_Strict):
    """Cues that make an act negated, planned, hypothetical or conditional (lib/reading/modality.py)."""

    reach: Reach
    negations: Annotated[list[Word], Field(min_length=1)]
    not_negations: list[Word] = []
    negated_futures: list[Word] = []
    futures: Annotated[list[Word], Field(min_length=1)]
    hypotheticals: Annotated[list[Word], Field(min_length=1)]
    conditionals: Annotated[list[Word], Field(min_length=1)]
    reported_by: Annotated[list[Slug], Field(min_length=1)]
    intent: Readings
    refusal: Readings


class Lexicon(_Strict):
    """The whole file."""

    verbs: Annotated[list[VerbEntry], Field(min_length=1)]
    governing: Governing | None = None
    modality: Modality | None = None
    institutions: list[Word] = []
    references: list[Reference] = []
    titles: list[Word] = []
    place_words: list[Word] = []
    not_names: list[Word] = []


@dataclass(frozen=True)
class Phrase:
    """A word-list item compiled for matching: (stem, wildcard) per word; a trailing * matches any ending."""

    text: str
    parts: tuple[tuple[str, bool], ...]

    def __len__(self) -> int:
        return len(self.parts)

    def matches(self, words: list[tuple[int, int, str]], i: int) -> bool:
        """Whether the phrase occurs at word `i`."""
        if i + len(self.parts) > len(words):
            return False
        for k, (stem, wild) in enumerate(self.parts):
            word = words[i + k][2]
            if not (word == stem or (wild and word.startswith(stem))):
                return False
        return True


_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_THE = re.compile(r"\b[Tt]he\s+(?:[\w’'-]+\s+){0,2}$")


def words_of(text: str) -> list[tuple[int, int, str]]:
    """The words of `text` with their offsets, normalised (lower case, plain apostrophes; a possessive
    's is left out)."""
    plain = text.translate(dict.fromkeys(map(ord, "’‘ʼ`"), "'"))
    out = []
    for m in _TOKEN.finditer(plain):
        word, end = m.group(), m.end()
        if len(word) > 2 and word.endswith("'s"):  # "the movement's representatives"
            word, end = word[:-2], end - 2
        out.append((m.start(), end, normalise(word)))
    return out


def compile_phrase(text: str) -> Phrase:
    """A word-list item as per-word (stem, wildcard) pairs."""
    parts = []
    for raw in normalise(text).split():
        tokens = _TOKEN.findall(raw)
        for k, token in enumerate(tokens):
            parts.append((token, raw.endswith("*") and k == len(tokens) - 1))
    return Phrase(text, tuple(parts))


class PhraseMatcher:
    """Phrases indexed by their first word, so a text is scanned once whatever the size of the lists."""

    def __init__(self, phrases: list[Phrase] | tuple[Phrase, ...]) -> None:
        self.exact: dict[str, list[Phrase]] = {}
        self.wild: dict[str, list[Phrase]] = {}
        for phrase in phrases:
            if not phrase.parts:
                continue
            stem, wild = phrase.parts[0]
            (self.wild if wild else self.exact).setdefault(stem, []).append(phrase)
        for table in (self.exact, self.wild):
            for listed in table.values():
                listed.sort(key=len, reverse=True)
        self.stem_lengths = sorted({len(s) for s in self.wild})

    def find(self, words: list[tuple[int, int, str]]) -> list[tuple[int, int, int, Phrase]]:
        """Where phrases occur among `words`: (first word index, start offset, end offset, phrase), left to
        right, no overlaps: of two overlapping matches the one of more words wins."""
        found = []
        i = 0
        while i < len(words):
            word = words[i][2]
            options = list(self.exact.get(word, ()))
            for n in self.stem_lengths:
                if n > len(word):
                    break
                options += self.wild.get(word[:n], ())
            best = max((p for p in options if p.matches(words, i)), key=len, default=None)
            if best is not None:
                found.append((i, best))
            i += 1
        # where matches overlap, the longer wins ("peace talks" over "talks"), then the earlier
        taken: set[int] = set()
        kept = []
        for i, phrase in sorted(found, key=lambda f: (-len(f[1]), f[0])):
            span = range(i, i + len(phrase))
            if not taken.intersection(span):
                taken.update(span)
                kept.append((i, phrase))
        return [(i, words[i][0], words[i + len(p) - 1][1], p) for i, p in sorted(kept, key=lambda k: k[0])]


def find_phrases(words: list[tuple[int, int, str]], phrases: list[Phrase]) -> list[tuple[int, int, int, Phrase]]:
    """`PhraseMatcher(phrases).find(words)`, for a list used once."""
    return PhraseMatcher(phrases).find(words)


@dataclass(frozen=True)
class Reading:
    """A trigger as read in its sentence: where it is, the verb entry it is read as, and why, when that
    is not simply the entry of its own words."""

    start: int
    end: int
    entry: VerbEntry
    note: str | None = None

    @property
    def trigger(self) -> tuple[int, int, VerbEntry]:
        return self.start, self.end, self.entry


_BREAK = re.compile(r"[,;:()\[\]\"“”—–]|\s-\s")


def clause_gap(text: str, words: list[tuple[int, int, str]], i: int, j: int, clause_words: frozenset[str]) -> int | None:
    """How many words lie between word `i` (excluded) and word `j` (excluded) if they are in one clause
    (no punctuation and no clause word between), else None."""
    if j <= i:
        return None
    between = words[i + 1 : j]
    if any(w[2] in clause_words for w in between) or _BREAK.search(text, words[i][1], words[j][0]):
        return None
    return len(between)


class CompiledLexicon:
    """The lexicon ready for matching: each word list as a `PhraseMatcher`."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._entry: dict[int, VerbEntry] = {}
        triggers = []
        for entry in lexicon.verbs:
            for word in entry.words:
                phrase = compile_phrase(word)
                self._entry[id(phrase)] = entry
                triggers.append(phrase)
        self._triggers = triggers  # kept alive: `_entry` is keyed by their ids
        self.triggers = PhraseMatcher(triggers)
        self.institutions = PhraseMatcher([compile_phrase(w) for w in lexicon.institutions])
        self._kinds: dict[int, tuple[str, ...]] = {}
        references = []
        for reference in lexicon.references:
            for word in reference.words:
                phrase = compile_phrase(word)
                self._kinds[id(phrase)] = tuple(reference.kinds)
                references.append(phrase)
        self._references = references
        self.references = PhraseMatcher(references)
        self.titles = PhraseMatcher([compile_phrase(w) for w in lexicon.titles])
        self.place_words = frozenset(normalise(w) for w in lexicon.place_words)
        self.not_names = frozenset(normalise(w) for w in lexicon.not_names)
        self.entries = {e.id: e for e in lexicon.verbs}
        governing = lexicon.governing
        self.reach = governing.reach if governing else 0
        self.clause_words = frozenset(normalise(w) for w in governing.clause_words) if governing else frozenset()
        self.determiners = frozenset(normalise(w) for w in governing.determiners) if governing else frozenset()
        self.noun_links = frozenset(normalise(w) for w in governing.noun_links) if governing else frozenset()
        self._governor: dict[int, Governor] = {}
        governor_phrases = []
        for governor in governing.governors if governing else ():
            for word in governor.words:
                phrase = compile_phrase(word)
                self._governor[id(phrase)] = governor
                governor_phrases.append(phrase)
        self._governor_phrases = governor_phrases
        self.governors = PhraseMatcher(governor_phrases)
        self.modality = lexicon.modality
        self.cue_kind: dict[int, str] = {}
        cue_phrases = []
        kinds = ("negations", "not_negations", "negated_futures", "futures", "hypotheticals", "conditionals")
        for kind in kinds if lexicon.modality else ():
            for word in getattr(lexicon.modality, kind):
                phrase = compile_phrase(word)
                self.cue_kind[id(phrase)] = kind
                cue_phrases.append(phrase)
        self._cue_phrases = cue_phrases
        self.cues = PhraseMatcher(cue_phrases)

    def find_triggers(self, text: str) -> list[tuple[int, int, VerbEntry]]:
        """The acts `text` names: (start, end, entry), left to right (`read_triggers` without the notes)."""
        return [r.trigger for r in self.read_triggers(text)]

    def read_triggers(self, text: str) -> list[Reading]:
        """The acts `text` names, left to right. A trigger that governs the next one in its clause makes one
        act with it, read by the governing word ("proposed direct talks", "refused to send troops"); a
        governor ("lifted", "ended", "plans to") is read by what it governs ("lifted its sanctions": easing,
        not a sanction). Weak words govern nothing, and a past form in -ed is a new act ("bombers attacked")
        unless a governor governs it. A chain ("lifted the ban on trade") is one act."""
        words = words_of(text)
        items: dict[int, list] = {}  # first word index -> [last word index, entry or None, governor or None]
        for i, _, _, p in self.triggers.find(words):
            items[i] = [i + len(p) - 1, self._entry[id(p)], None]
        for i, _, _, p in self.governors.find(words):
            last = i + len(p) - 1
            overlap = next((k for k, v in items.items() if k <= last and i <= v[0]), None)
            if overlap is None:
                items[i] = [last, None, self._governor[id(p)]]
            elif i <= overlap and items[overlap][0] <= last:  # "intends to" around the trigger "intends"
                items[i] = [last, items.pop(overlap)[1], self._governor[id(p)]]
            # else a longer trigger holds its own object ("eased sanctions"): its reading stands
        readings: list[Reading] = []
        chain: list[tuple[int, int, VerbEntry | None, Governor | None]] = []

        def close() -> None:
            if not chain:
                return
            first, last, entry, governor = chain[0]
            absorbed = [c for c in chain[1:] if c[2] is not None]
            note = None
            if governor is not None and absorbed:
                kind = absorbed[0][2]
                reading = self.entries[governor.conflict if kind.event_type.endswith("conflict") else governor.cooperation]
                note = (
                    f"“{text[words[first][0] : words[absorbed[0][1]][1]]}”: one act, read by “{text[words[first][0] : words[last][1]]}”"
                    f" (lexicon '{reading.id}'), not as '{kind.id}'"
                )
                entry = reading
            elif absorbed and entry is not None:
                others = ", ".join(dict.fromkeys(f"'{c[2].id}'" for c in absorbed if c[2].id != entry.id))
                if others:
                    note = (
                        f"“{text[words[first][0] : words[absorbed[-1][1]][1]]}”: one act, read by "
                        f"“{text[words[first][0] : words[last][1]]}” (lexicon '{entry.id}'), not as {others}"
                    )
            if entry is not None:
                readings.append(Reading(words[first][0], words[last][1], entry, note))
            chain.clear()

        for i in sorted(items):
            last, entry, governor = items[i]
            if chain:
                head = chain[0]
                reach = head[3].reach if head[3] is not None and len(chain) == 1 else self.reach
                gap = clause_gap(text, words, chain[-1][1], i, self.clause_words)
                governs = head[3] is not None or (head[2] is not None and not head[2].weak)
                if head[3] is None and self._nominal(text, words, chain[-1][0]):
                    governs = governs and i > chain[-1][1] + 1 and words[chain[-1][1] + 1][2] in self.noun_links
                finite = words[i][2].endswith("ed") and not (head[3] is not None and len(chain) == 1)
                if governs and entry is not None and not entry.weak and not finite and gap is not None and gap <= reach:
                    chain.append((i, last, entry, governor))
                    continue
                close()
            chain.append((i, last, entry, governor))
        close()
        return readings

    def _nominal(self, text: str, words: list[tuple[int, int, str]], i: int) -> bool:
        """Whether the trigger at word `i` is used as a noun: after a determiner or a possessive."""
        if i == 0:
            return False
        return words[i - 1][2] in self.determiners or bool(re.match(r"['’]s\b", text[words[i - 1][1] : words[i][0]]))

    def find_references(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """Back-references in `text`: "the" + up to two words + a listed noun, as (start, end, actor kinds
        they may point to)."""
        out = []
        for _, s, e, p in self.references.find(words_of(text)):
            lead = _THE.search(text, 0, s)
            if lead:
                out.append((lead.start(), e, self._kinds[id(p)]))
        return out


def compile_lexicon(lexicon: Lexicon) -> CompiledLexicon:
    """Compile every word list of a validated lexicon."""
    return CompiledLexicon(lexicon)


def lexicon_path(data_dir: Path | None = None) -> Path:
    """The data folder's lexicon, or the project's own when the folder has none."""
    if data_dir is not None and (Path(data_dir) / LEXICON_FILE).is_file():
        return Path(data_dir) / LEXICON_FILE
    return DEFAULT_DATA_DIR / LEXICON_FILE


def check_lexicon(document: object, label: str) -> tuple[Lexicon | None, list[DataProblem]]:
    """Validate a parsed lexicon: the schema, then that each CAMEO root fits its event type, that the
    stance has the type's sign, and that no word is listed twice."""
    try:
        lexicon = Lexicon.model_validate(document)
    except ValidationError as exc:
        from lib.model.read import validation_problems

        return None, validation_problems(label, "lexicon", exc)
    problems: list[DataProblem] = []
    seen: dict[str, str] = {}
    ids: set[str] = set()
    for entry in lexicon.verbs:
        record = f"verb '{entry.id}'"
        if entry.id in ids:
            problems.append(DataProblem(label, record, "id", f"duplicate id {entry.id!r}"))
        ids.add(entry.id)
        if int(entry.cameo) not in CAMEO_ROOTS[entry.event_type]:
            problems.append(
                DataProblem(label, record, "cameo", f"root {entry.cameo} is not a {entry.event_type} code")
            )
        conflict = entry.event_type.endswith("conflict")
        if (conflict and entry.stance > 0) or (not conflict and entry.stance < 0):
            problems.append(
                DataProblem(label, record, "stance", f"{entry.stance:+d} has the wrong sign for {entry.event_type}")
            )
        for j, word in enumerate(entry.words):
            key = normalise(word)
            if key in seen:
                problems.append(
                    DataProblem(label, record, f"words[{j}]", f"{word!r} is already listed under verb '{seen[key]}'")
                )
            seen.setdefault(key, entry.id)
    problems += _check_references(lexicon, ids, label)
    return (lexicon if not problems else None), problems


def _check_references(lexicon: Lexicon, ids: set[str], label: str) -> list[DataProblem]:
    """Every reading named by `governing` and `modality` is a verb entry of the file."""
    named: list[tuple[str, str, str]] = []
    for governor in lexicon.governing.governors if lexicon.governing else ():
        named += [(f"governor '{governor.id}'", f, getattr(governor, f)) for f in ("conflict", "cooperation")]
    if lexicon.modality:
        m = lexicon.modality
        named += [("modality", f"reported_by[{j}]", v) for j, v in enumerate(m.reported_by)]
        named += [("modality", f"{k}.{f}", getattr(getattr(m, k), f)) for k in ("intent", "refusal") for f in ("cooperation", "conflict")]
    return [DataProblem(label, record, field, f"no verb entry has id {value!r}") for record, field, value in named if value not in ids]


def load_lexicon(data_dir: Path | None = None) -> tuple[CompiledLexicon | None, list[DataProblem]]:
    """Read, validate and compile the lexicon (once per file version); on any problem return None and
    every problem."""
    path = lexicon_path(data_dir)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = -1
    lexicon, problems = _cached(str(path), mtime)
    return lexicon, list(problems)


def _read_lexicon(path: Path) -> tuple[CompiledLexicon | None, list[DataProblem]]:
    label = str(path.relative_to(path.parent.parent)) if path.parent.parent != path.parent else str(path)
    read: list[DataProblem] = []
    text = read_text(path, label, read)  # a file over the size limit is not read at all
    if text is None:
        return None, read
    try:
        document = load_yaml(text)
    except yaml.YAMLError as exc:
        return None, [*read, DataProblem(label, None, None, yaml_error_text(exc))]
    lexicon, problems = check_lexicon(document, label)
    return (compile_lexicon(lexicon) if lexicon else None), [*read, *problems]


@lru_cache(maxsize=8)
def _cached(path: str, mtime: int) -> tuple[CompiledLexicon | None, tuple[DataProblem, ...]]:
    lexicon, problems = _read_lexicon(Path(path))
    return lexicon, tuple(problems)
