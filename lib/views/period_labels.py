"""The named periods' labels over a time chart, fitted so neighbours never overlap: one logic for the pages'
charts (fitted to the smallest plot the pages draw) and the slides' (fitted to the design screen)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from lib.views.style import plot_text

PERIOD_CHAR_SHARE = 0.56  # a period label's average character width against its font size
LINE_SHARE = 1.55  # a label line's height against its font size, with the box Chromium draws round it (16 px at 11 px)
PERIOD_MIN_SHARE = 0.07  # a period band showing less of the axis than this keeps its shade but not its label
PAGE_PERIOD_FONT = 11  # a page chart's period labels (px)
# A page label's character against its font size, as Chromium draws the pages' labels with their box: "2012–14" is
# 55 px wide at 11 px, "201…" 35 px (measured at 1024x768; PERIOD_CHAR_SHARE let neighbours overlap by 7 px).
PAGE_CHAR_SHARE = 0.75
# The narrowest plot a page's time chart has on the screens the pages are fitted for, measured in Chromium at
# 1024x768: the timeline by actor, whose row names ("Commonwealth of Independent States") take 270 px of a 668 px
# column. Labels fitted to it do not touch on a larger screen: the plot grows.
PAGE_PLOT_PX = 345
STANCE_PLOT_PX = 520  # the stance chart's narrowest plot (its row names are the short stance levels)


def period_label(label: str, chars: int, lines: int = 2) -> str:
    """A period's label in at most `lines` lines of about `chars` characters, cut at a word with "…" when it does
    not fit ("the" after its dates left out first: "2012–14 the drawdown" → "2012–14 drawdown")."""
    words = label.split()
    if len(" ".join(words)) > chars:
        words = [w for n, w in enumerate(words) if not (w == "the" and n and any(c.isdigit() for c in words[n - 1]))]
    rows: list[str] = []
    for word in words:
        if rows and len(rows[-1]) + 1 + len(word) <= chars:
            rows[-1] += f" {word}"
            continue
        if len(rows) == lines:  # no room for the rest: end the last row in "…", whole words only
            last = rows[-1].split()
            while len(last) > 1 and len(" ".join(last)) + 1 > chars:
                last.pop()
            rows[-1] = " ".join(last)[: max(1, chars - 1)] + "…"
            break
        rows.append(word if len(word) <= chars else word[: max(1, chars - 1)] + "…")
    return "<br>".join(plot_text(r) for r in rows)


def period_annotations(fig: go.Figure) -> list:
    """The figure's period labels (`charts.add_period_bands` puts them at the top of the plot, over their bands)."""
    return [a for a in fig.layout.annotations if a.yref == "paper" and a.y == 1.0 and a.yanchor == "bottom"]


def fit_period_labels(fig: go.Figure, periods: list, low: pd.Timestamp, high: pd.Timestamp, font_px: float,
                      plot_px: float, char_share: float = PERIOD_CHAR_SHARE, staggered: bool = False) -> int:  # fmt: skip
    """Label each period (`periods`, the annotations over the figure's period bands, in order) over the part of its
    band between `low` and `high` (the axis shown), for a plot `plot_px` wide with text of `font_px` whose characters
    are `char_share` of it wide.

    A band showing less than PERIOD_MIN_SHARE of the axis keeps its shade, not its label. A label may use the room
    up to halfway to its neighbours' (a narrow band beside a wide one keeps its whole label, shifted within that
    room), on one line where every label fits one, else on two; a label still too long is cut at a word with "…"
    (the whole label on hover). `staggered` (the pages' narrow plots): where the labels do not all fit on one line,
    every other label goes a line higher, one line each, and may use the room up to halfway to the next label on its
    own line instead. Returns the lines the labels take (0: no labels)."""
    bands = [s for s in fig.layout.shapes if s.type == "rect" and s.xref == "x"]
    if len(bands) != len(periods) or not high > low:
        return max((str(a.text).count("<br>") + 1 for a in periods), default=0)
    day = pd.Timedelta(days=1)
    total = (high - low) / day
    char = font_px * char_share / plot_px  # a character's share of the axis
    shown = []
    for band, annotation in zip(bands, periods, strict=True):
        start, end = max(pd.Timestamp(band.x0), low), min(pd.Timestamp(band.x1), high)
        share = (end - start) / day / total
        if share < PERIOD_MIN_SHARE:
            annotation.visible = False
            continue
        annotation.visible = True  # a page's figure hides a label its narrow plot had no room for; a slide may have
        centre = ((start - low) / day / total + (end - low) / day / total) / 2
        shown.append((centre, annotation, str(annotation.hovertext or annotation.text).split("<br>")[0]))
    shown.sort(key=lambda item: item[0])
    centres = [c for c, _, _ in shown]
    rooms = [((centres[n - 1] + c) / 2 if n else 0.0, (c + centres[n + 1]) / 2 if n + 1 < len(centres) else 1.0)
             for n, c in enumerate(centres)]  # fmt: skip
    texts = [html.unescape(label) for _, _, label in shown]
    one_line = all(len(t) * char <= hi - lo - 2 * char for t, (lo, hi) in zip(texts, rooms, strict=True))
    lines = 1 if one_line else 2
    tiers = staggered and not one_line and len(shown) > 1
    if tiers:
        rooms = [((centres[n - 2] + c) / 2 if n > 1 else 0.0, (c + centres[n + 2]) / 2 if n + 2 < len(centres) else 1.0)
                 for n, c in enumerate(centres)]  # fmt: skip
    for n, ((centre, annotation, _), text, (lo, hi)) in enumerate(zip(shown, texts, rooms, strict=True)):
        chars = max(4, int((hi - lo) / char) - 2)
        annotation.text = period_label(text, chars, 1 if tiers else lines)
        annotation.yshift = round(font_px * LINE_SHARE) if tiers and n % 2 else 0
        width = max(len(row) for row in html.unescape(annotation.text).split("<br>")) * char
        x = min(max(centre, lo + width / 2), hi - width / 2) if width < hi - lo else (lo + hi) / 2
        annotation.x = low + (high - low) * x
    if tiers:
        return 2
    return max((a.text.count("<br>") + 1 for _, a, _ in shown), default=0)
