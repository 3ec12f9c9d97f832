"""A drafted event: the proposal a curator accepts, edits or rejects."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Draft:
    """One proposed event, shown as one card.

    `event` has exactly the keys of an events.yaml entry; `quote_span` is where its quote lies in
    `article.text`; `notes` say why each guess was made; `guessed` names the fields that are guesses;
    `new_place` is the places.yaml entry to add with the event when its proposed place is not there yet.
    `confidence` (0-1) orders the cards; `reason` names the rule that drafted it; `alternatives` are the
    other readings of the same quote (reversed roles, another event type, another date), each a Draft
    with no alternatives of its own.
    """

    event: dict
    quote_span: tuple[int, int]
    notes: list[str]
    guessed: frozenset[str]
    new_place: dict | None = None
    confidence: float = 0.5
    reason: str = ""
    alternatives: tuple[Draft, ...] = ()

    def proposals(self) -> list[Draft]:
        """This card's proposal and its alternatives, best first."""
        return [self, *self.alternatives]
