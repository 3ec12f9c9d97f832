"""Negation and modality: whether a trigger names an act that happened (CODEBOOK.md section 2).

The cue words are data (`modality:` in `data/lexicon.yaml`). A cue counts when it stands at most `reach`
words before the trigger in the same clause, written in lower case (or first in the sentence); a
conditional cue ("if", "whether") covers the words up to the next punctuation; a future or hypothetical
cue right after a noun trigger ("the contingent would be going") makes the act a prediction. Then:

- negated ("has not recognised"), hypothetical ("could send") or conditional ("if Kazakhstan starts
  sending", "in the event of attacks"): not an act, no draft; but a possible attack ("may hit", "could
  strike") is read as a threat (CAMEO 13): the warning is the act;
- future ("will send"): the actor's stated intention when the sentence reports speech ("said it will
  send troops"), re-read as the lexicon's `intent` entry (CAMEO 03, or a threat, 13, for conflict);
  otherwise a prediction of the article ("Moscow will demand"): no draft;
- negated future ("will not recognise"): a refusal, re-read as the lexicon's `refusal` entry (CAMEO 12
  reject; for conflict, an assurance).

Every re-read act says why in its note, for the curator to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from lib.reading.lexicon import CompiledLexicon, Reading, clause_gap, words_of

if TYPE_CHECKING:
    from lib.reading.proposal import Draft

_BREAKS = ",;:()[]\"“”—–"


@dataclass(frozen=True)
class Qualifier:
    """How a cue qualifies one act: `kind` is negated, hypothetical, conditional, future or refusal."""

    kind: str
    cue: str


def qualifiers(text: str, readings: list[Reading], lexicon: CompiledLexicon) -> list[Qualifier | None]:
    """For each reading of `text`, the cue that qualifies it (None: the act is stated as done)."""
    modality = lexicon.modality
    if modality is None:
        return [None] * len(readings)
    words = words_of(text)
    cues = []
    for i, s, e, phrase in lexicon.cues.find(words):
        kind = lexicon.cue_kind[id(phrase)]
        if kind != "not_negations" and (i == 0 or text[s].islower()):
            cues.append((i, i + len(phrase) - 1, kind, text[s:e]))
    first_word = {w[0]: k for k, w in enumerate(words)}
    out: list[Qualifier | None] = []
    for reading in readings:
        t = first_word.get(reading.start)
        if t is None:
            out.append(None)
            continue
        found: dict[str, str] = {}
        end = max(k for k, w in enumerate(words) if w[0] < reading.end)
        for first, last, kind, cue in cues:
            if first == end + 1 and kind in ("futures", "negated_futures", "hypotheticals"):
                # "the first contingent would be going": the act is the subject of a prediction
                found["futures" if kind != "hypotheticals" else kind] = cue
                continue
            if last >= t:
                continue
            if kind == "conditionals":
                if not any(ch in _BREAKS for ch in text[words[last][1] : reading.start]):
                    found.setdefault(kind, cue)
                continue
            gap = clause_gap(text, words, last, t, lexicon.clause_words)
            if gap is not None and gap <= modality.reach:
                found[kind] = cue  # the nearest cue of each kind
        out.append(_decide(found))
    return out


def _decide(found: dict[str, str]) -> Qualifier | None:
    if "conditionals" in found:
        return Qualifier("conditional", found["conditionals"])
    if "hypotheticals" in found:
        return Qualifier("hypothetical", found["hypotheticals"])
    if "negated_futures" in found:
        return Qualifier("refusal", found["negated_futures"])
    if "negations" in found and "futures" in found:
        return Qualifier("refusal", f"{found['futures']} … {found['negations']}")
    if "negations" in found:
        return Qualifier("negated", found["negations"])
    if "futures" in found:
        return Qualifier("future", found["futures"])
    return None


def qualify(text: str, readings: list[Reading], lexicon: CompiledLexicon) -> list[Reading]:
    """The readings of `text` that name acts a draft may claim: negated, hypothetical and conditional acts
    and bare predictions left out; stated intentions and refusals re-read, with a note saying so."""
    modality = lexicon.modality
    marks = qualifiers(text, readings, lexicon)
    reported = any(
        r.entry.id in (modality.reported_by if modality else ()) and m is None for r, m in zip(readings, marks, strict=True)
    )
    kept = []
    for reading, mark in zip(readings, marks, strict=True):
        after = re.match(r"[^,;:.]*?\b(?:not|never)\s+(?:to\s+)?(?:be\s+)?rul(?:e|ed|ing)\s+out\b", text[reading.end :])
        if after and reading.entry.cameo in ("18", "19", "20") and "threaten" in lexicon.entries:
            # "a strike on X is not to be ruled out": the possible attack, announced, is a threat (CAMEO 13)
            words = text[reading.start : reading.end + after.end()]
            note = f"“{words}”: a possible attack, not a deed (CODEBOOK.md 2); read as a threat ('threaten', CAMEO 13)"
            kept.append(replace(reading, entry=lexicon.entries["threaten"], note=note))
            continue
        if mark is None:
            kept.append(reading)
            continue
        conflict = reading.entry.event_type.endswith("conflict")
        if mark.kind == "hypothetical" and reading.entry.cameo in ("18", "19", "20") and "threaten" in lexicon.entries:
            # "the militants may hit Tajikistan": a possible attack announced is a threat (CAMEO 13), not an attack
            entry = lexicon.entries["threaten"]
            act = text[reading.start : reading.end]
            note = (
                f"“{mark.cue} … {act}”: a possible attack, not a deed (CODEBOOK.md 2); read as a threat "
                f"('{entry.id}', CAMEO {entry.cameo}) instead of '{reading.entry.id}': keep it only if someone made the threat"
            )
            kept.append(replace(reading, entry=entry, note=note))
            continue
        if mark.kind == "future" and not reported or mark.kind in ("negated", "hypothetical", "conditional"):
            continue
        readings_of = modality.intent if mark.kind == "future" else modality.refusal
        entry = lexicon.entries[readings_of.conflict if conflict else readings_of.cooperation]
        act = text[reading.start : reading.end]
        what = "a plan reported as said" if mark.kind == "future" else "a refusal or an assurance"
        note = (
            f"“{mark.cue} … {act}”: {what}, not a deed (CODEBOOK.md 2). Read as the actor's statement "
            f"('{entry.id}', CAMEO {entry.cameo}) instead of '{reading.entry.id}': keep it only if the "
            "statement itself is the event, else delete"
        )
        if reading.note:
            note = f"{reading.note}. {note[0].upper()}{note[1:]}"
        kept.append(replace(reading, entry=entry, note=note))
    return kept


def with_reading_note(draft: Draft, readings: list[Reading], trigger: tuple) -> None:
    """Add to a draft's notes, after its event-type note, why its trigger was read as it was (if it was
    re-read: one act of several words, an intention, a refusal)."""
    note = next((r.note for r in readings if (r.start, r.end) == tuple(trigger[:2]) and r.note), None)
    if note is None:
        return
    at = next((k + 1 for k, n in enumerate(draft.notes) if n.startswith("Event type")), len(draft.notes))
    draft.notes.insert(at, note + ".")
