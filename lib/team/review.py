"""Review before briefing (CODEBOOK 4.2): with sign-in configured, an event a curator saves is `proposed` until a
reviewer who is not its author accepts it (the review fields go: it is reviewed) or returns it with a note.
An event without `review` is reviewed: the events already in the table start as reviewed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from lib.reading.curate import Plan

REVIEW_FIELDS = ("review", "review_note", "proposed_by")


def as_proposal(event: Mapping[str, Any], user: str | None) -> dict[str, Any]:
    """`event` saved by curator `user`: proposed, waiting for a reviewer (an earlier return note dropped)."""
    out = {k: v for k, v in event.items() if k not in REVIEW_FIELDS}
    out["review"] = "proposed"
    if user:
        out["proposed_by"] = user
    return out


def proposed_plan(plan: Plan, user: str | None) -> Plan:
    """The plan with every event it adds or edits marked as proposed by `user`."""
    return replace(plan, events=[as_proposal(e, user) for e in plan.events],
                   edits={k: as_proposal(e, user) for k, e in plan.edits.items()})  # fmt: skip


def why_not_review(event: Mapping[str, Any], reviewer: str | None) -> str | None:
    """Why `reviewer` may not accept or return `event`, or None when they may."""
    if event.get("review") not in ("proposed", "returned"):
        return "it is already reviewed"
    if reviewer and event.get("proposed_by") == reviewer:
        return "you proposed it: another reviewer must review it"
    return None


def accepted(event: Mapping[str, Any]) -> dict[str, Any]:
    """`event` accepted by a reviewer: reviewed, its review fields gone."""
    return {k: v for k, v in event.items() if k not in REVIEW_FIELDS}


def returned(event: Mapping[str, Any], note: str) -> dict[str, Any]:
    """`event` sent back to its curator with `note` (what to change)."""
    if not note.strip():
        raise ValueError("a returned event needs a note saying what to change")
    return {**event, "review": "returned", "review_note": note.strip()}


def pending(raw: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The events (as written, by id) waiting for review: proposed or returned."""
    return {k: dict(e) for k, e in raw.items() if e.get("review") in ("proposed", "returned")}
