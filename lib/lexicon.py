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
from lib.names import normalise
from lib.paths import DEFAULT_DATA_DIR
from lib.schema import ACTOR_KINDS, EVENT_TYPES, Slug, Stance, Text

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


class Lexicon(_Strict):
    """The whole file."""

    verbs: Annotated[list[VerbEntry], Field(min_length=1)]
    institutions: list[Word] = []
    references: list[Reference] = []
    place_words: list[Word] = []
    not_names: list[Word] = []


@dataclass(frozen=True)
class Phrase:
    """A word list item compiled for matching: one pattern per word (a trailing * matches any ending)."""

    text: str
    parts: tuple[re.Pattern[str], ...]

    def __len__(self) -> int:
        return len(self.parts)


_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def words_of(text: str) -> list[tuple[int, int, str]]:
    """The words of `text` with their offsets, normalised (lower case, plain apostrophes)."""
    plain = text.translate(dict.fromkeys(map(ord, "’‘ʼ`"), "'"))
    return [(m.start(), m.end(), normalise(m.group())) for m in _TOKEN.finditer(plain)]


def compile_phrase(text: str) -> Phrase:
    """A word-list item as per-word patterns."""
    parts = []
    for raw in normalise(text).split():
        tokens = _TOKEN.findall(raw)
        for k, token in enumerate(tokens):
            wild = raw.endswith("*") and k == len(tokens) - 1
            parts.append(re.compile(re.escape(token) + (r"[\w']*$" if wild else "$")))
    return Phrase(text, tuple(parts))


def find_phrases(words: list[tuple[int, int, str]], phrases: list[Phrase]) -> list[tuple[int, int, int, Phrase]]:
    """Where phrases occur among `words`: (first word index, start offset, end offset, phrase), longest
    first at each position, no overlaps."""
    ordered = sorted(phrases, key=len, reverse=True)
    found = []
    i = 0
    while i < len(words):
        for phrase in ordered:
            n = len(phrase)
            if i + n <= len(words) and all(p.match(words[i + k][2]) for k, p in enumerate(phrase.parts)):
                found.append((i, words[i][0], words[i + n - 1][1], phrase))
                i += n
                break
        else:
            i += 1
    return found


@dataclass(frozen=True)
class CompiledLexicon:
    """The lexicon ready for matching."""

    lexicon: Lexicon
    triggers: tuple[tuple[Phrase, VerbEntry], ...]
    institutions: tuple[Phrase, ...]
    references: tuple[tuple[Phrase, tuple[str, ...]], ...]
    place_words: frozenset[str]
    not_names: frozenset[str]

    def find_triggers(self, text: str) -> list[tuple[int, int, VerbEntry]]:
        """Trigger words in `text`: (start, end, entry), left to right."""
        by_phrase = {id(p): e for p, e in self.triggers}
        return [(s, e, by_phrase[id(p)]) for _, s, e, p in find_phrases(words_of(text), [p for p, _ in self.triggers])]


def compile_lexicon(lexicon: Lexicon) -> CompiledLexicon:
    """Compile every word list of a validated lexicon."""
    return CompiledLexicon(
        lexicon,
        tuple((compile_phrase(w), entry) for entry in lexicon.verbs for w in entry.words),
        tuple(compile_phrase(w) for w in lexicon.institutions),
        tuple((compile_phrase(w), tuple(r.kinds)) for r in lexicon.references for w in r.words),
        frozenset(normalise(w) for w in lexicon.place_words),
        frozenset(normalise(w) for w in lexicon.not_names),
    )


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
        from lib.load import validation_problems

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
    return (lexicon if not problems else None), problems


def load_lexicon(data_dir: Path | None = None) -> tuple[CompiledLexicon | None, list[DataProblem]]:
    """Read, validate and compile the lexicon; on any problem return None and every problem."""
    path = lexicon_path(data_dir)
    label = str(path.relative_to(path.parent.parent)) if path.parent.parent != path.parent else str(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [DataProblem(label, None, None, f"cannot be read: {exc.strerror or exc}")]
    except yaml.YAMLError as exc:
        from lib.load import _yaml_error_text

        return None, [DataProblem(label, None, None, _yaml_error_text(exc))]
    lexicon, problems = check_lexicon(document, label)
    return (compile_lexicon(lexicon) if lexicon else None), problems


@lru_cache(maxsize=8)
def cached_lexicon(path: str, mtime: float) -> tuple[CompiledLexicon | None, tuple[DataProblem, ...]]:
    """`load_lexicon` for one file version (keyed by path and modification time)."""
    lexicon, problems = load_lexicon(Path(path).parent)
    return lexicon, tuple(problems)
