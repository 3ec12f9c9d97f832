"""Colours that every reader can tell apart, and marks that stand out from the page (WCAG 1.4.1, 1.4.11).

- `edge(colour)`: the colour itself when it has 3:1 contrast against the white chart background, else the
  same hue darkened until it has; used for outlines, hollow markers and lines, so a light fill (the
  Okabe-Ito orange, 2.3:1) keeps its look and still stands out.
- `view_colours(...)`: one colour per category shown together in a view (the actors on a stance chart).
  Each keeps its colour from data/ when that stays distinguishable from those already given; an actor in
  the shared neutral grey, or one too close to another, gets a generated colour, chosen from a pool of
  3:1 colours to be as far as possible from the others, for normal vision and for simulated
  deuteranopia and protanopia.
- `SYMBOLS`: marker shapes, so colour is never the only carrier (timeline event types from
  data/vocab.yaml, stance-chart actors in order).

"Distinguishable" is a CIEDE2000 difference of at least `MIN_DELTA_E` between every pair, under normal
vision and under the Machado, Oliveira and Fernandes (2009) simulations of deuteranopia and protanopia
at full severity (coloraide's `machado` filter). ΔE2000 ≈ 2.3 is a just-noticeable difference between
large patches; 10 is our threshold for marks told apart at a glance. Beyond about eight categories no
colour set keeps that under both simulations; shapes and dashes then carry the identity too.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence

from coloraide import Color

from lib.model.schema import MARKER_SYMBOLS

BACKGROUND = "#FFFFFF"
MIN_CONTRAST = 3.0  # WCAG 1.4.11: graphical objects against adjacent colours
MIN_DELTA_E = 10.0
VISIONS = ("normal", "deutan", "protan")
SYMBOLS = MARKER_SYMBOLS
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


@functools.cache
def _color(hex_colour: str) -> Color:
    return Color(hex_colour)


def contrast(colour: str, background: str = BACKGROUND) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    return float(_color(colour).contrast(_color(background), method="wcag21"))


@functools.cache
def simulate(colour: str, vision: str) -> Color:
    """How `colour` looks with `vision` ("normal", "deutan", "protan"; Machado 2009, full severity)."""
    if vision == "normal":
        return _color(colour)
    return _color(colour).clone().filter(vision, method="machado")


@functools.cache
def delta_e(a: str, b: str) -> float:
    """The smallest CIEDE2000 difference between two colours under normal vision, deuteranopia and protanopia."""
    return min(float(simulate(a, v).delta_e(simulate(b, v), method="2000")) for v in VISIONS)


def to_hex(color: Color) -> str:
    return color.convert("srgb").fit("srgb").to_string(hex=True, upper=True)


@functools.cache
def edge(colour: str, minimum: float = MIN_CONTRAST) -> str:
    """`colour` if it has `minimum` contrast against the background, else the same hue darkened (OKLCh
    lightness) just enough to reach it."""
    if contrast(colour) >= minimum:
        return colour.upper()
    lch = _color(colour).convert("oklch")
    for step in range(1, 100):
        darker = lch.clone().set("lightness", lch["lightness"] * (1 - step / 100))
        candidate = to_hex(darker)
        if contrast(candidate) >= minimum:
            return candidate
    return "#000000"


@functools.cache
def _pool() -> tuple[str, ...]:
    """Generated candidates: OKLCh hues every 15 degrees at three lightnesses, each with 3:1 contrast."""
    found = []
    for lightness, chroma in ((0.42, 0.13), (0.52, 0.15), (0.62, 0.16)):
        for hue in range(0, 360, 15):
            candidate = to_hex(Color("oklch", [lightness, chroma, hue]))
            if contrast(candidate) >= MIN_CONTRAST:
                found.append(candidate)
    return tuple(dict.fromkeys(found))


def view_colours(wanted: Sequence[str | None], *, neutral: Sequence[str] = ()) -> list[str]:
    """One line/marker colour per category, in order: each category's own colour (as `edge` of it) when
    it is not `neutral` and stays `MIN_DELTA_E` from those before it, else the generated colour furthest
    from all others. Every colour returned has 3:1 contrast against the background."""
    return list(_view_colours(tuple(wanted), tuple(c.upper() for c in neutral)))


@functools.cache
def _view_colours(wanted: tuple[str | None, ...], neutral: tuple[str, ...]) -> tuple[str, ...]:
    chosen: list[str] = []
    for own in wanted:
        if own and own.upper() not in neutral:
            candidate = edge(own)
            if all(delta_e(candidate, other) >= MIN_DELTA_E for other in chosen):
                chosen.append(candidate)
                continue
        pool = [c for c in _pool() if c not in chosen]
        chosen.append(max(pool, key=lambda c: min((delta_e(c, o) for o in chosen), default=100.0)))
    return tuple(chosen)


def min_pairwise_delta_e(colours: Sequence[str]) -> float:
    """The smallest difference between any two of `colours` (under all three visions)."""
    return min((delta_e(a, b) for a, b in itertools.combinations(colours, 2)), default=100.0)


__all__ = ["DASHES", "MIN_CONTRAST", "MIN_DELTA_E", "SYMBOLS", "VISIONS", "contrast", "delta_e", "edge",
           "min_pairwise_delta_e", "simulate", "view_colours"]  # fmt: skip
