"""The project's look: one Plotly template, and names, colours and labels drawn from data/."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import plotly.graph_objects as go
import plotly.io as pio

from lib.model.dataset import Dataset
from lib.model.schema import EVENT_TYPES, PLACE_PRECISIONS, Period

TEMPLATE_NAME = "briefing"
FONT_FAMILY = "Inter, 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"
FALLBACK_COLOUR = "#BBBBBB"
DEFAULT_TYPE_COLOURS = {
    "verbal_cooperation": "#0072B2",
    "material_cooperation": "#009E73",
    "verbal_conflict": "#E69F00",
    "material_conflict": "#D55E00",
}
DEFAULT_TYPE_SYMBOLS = {
    "verbal_cooperation": "circle",
    "material_cooperation": "square",
    "verbal_conflict": "diamond",
    "material_conflict": "triangle-up",
}
DEFAULT_STANCE_LABELS = {-2: "Hostile", -1: "Opposed", 0: "Neutral", 1: "Engaging", 2: "Aligned"}
TEMPLATE_TRACE_TYPES = ("bar", "choropleth", "heatmap", "scatter", "scattergeo")  # the trace types lib/charts draws
PRECISION_LABELS = {"day": "Exact day", "month": "Month known", "year": "Year known"}


@dataclass(frozen=True)
class PlaceInfo:
    """What the map needs of a place in data/places.yaml."""

    name: str
    country: str
    kind: str
    lat: float
    lon: float


def plot_text(text: object) -> str:
    """Make data text safe for Plotly labels: HTML-escaped, and no leading `$` that would start LaTeX."""
    escaped = html.escape("" if text is None else str(text), quote=False)
    return escaped.replace("$", "&#36;")


def register_template() -> str:
    """Register the project's Plotly template (idempotent) and return its name."""
    if TEMPLATE_NAME not in pio.templates:
        base = pio.templates["plotly_white"].to_plotly_json()
        # plotly_white styles two dozen trace types; each figure copies, validates and ships its template,
        # so keep only the types the charts draw (a quarter of the size and of the cost per figure)
        base["data"] = {kind: styles for kind, styles in base.get("data", {}).items() if kind in TEMPLATE_TRACE_TYPES}
        template = go.layout.Template(base)
        template.layout.update(
            font={"family": FONT_FAMILY, "size": 14, "color": "#222222"},
            title={"font": {"size": 20}, "x": 0.0, "xanchor": "left", "xref": "container", "pad": {"l": 12, "b": 8}},
            legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "title": {"text": ""}},
            margin={"l": 10, "r": 10, "t": 90, "b": 70},
            hoverlabel={"font": {"family": FONT_FAMILY, "size": 13}, "align": "left"},
            colorway=["#332288", "#117733", "#44AA99", "#88CCEE", "#DDCC77", "#CC6677", "#AA4499", "#882255"],
            xaxis={"showgrid": True, "gridcolor": "#EEEEEE", "zeroline": False, "automargin": True},
            yaxis={"showgrid": True, "gridcolor": "#EEEEEE", "zeroline": False, "automargin": True},
            paper_bgcolor="white",
            plot_bgcolor="white",
        )
        pio.templates[TEMPLATE_NAME] = template
    return TEMPLATE_NAME


@dataclass(frozen=True)
class ChartMeta:
    """What charts need from data/: display names, colours, labels, periods and citations."""

    actor_names: dict[str, str]
    actor_colours: dict[str, str]
    actor_kinds: dict[str, str]
    country_names: dict[str, str]
    central_asia: tuple[str, ...]
    type_labels: dict[str, str]
    type_colours: dict[str, str]
    stance_labels: dict[int, str]
    periods: tuple[Period, ...]
    article_citations: dict[str, str]
    country_regions: dict[str, str] = field(default_factory=dict)
    type_symbols: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TYPE_SYMBOLS))
    places: dict[str, PlaceInfo] = field(default_factory=dict)
    place_precision_labels: dict[int, str] = field(default_factory=lambda: {k: v.capitalize() for k, v in PLACE_PRECISIONS.items()})

    @classmethod
    def from_dataset(cls, ds: Dataset) -> ChartMeta:
        """Collect chart metadata from a loaded dataset (falls back to defaults where data/ lacks them)."""
        vocab = ds.vocab
        type_labels = {t: t.replace("_", " ").capitalize() for t in EVENT_TYPES}
        type_colours = dict(DEFAULT_TYPE_COLOURS)
        type_symbols = dict(DEFAULT_TYPE_SYMBOLS)
        stance_labels = dict(DEFAULT_STANCE_LABELS)
        place_labels = {k: v.capitalize() for k, v in PLACE_PRECISIONS.items()}
        if vocab is not None:
            place_labels.update({p.value: p.label for p in vocab.place_precisions})
            type_labels.update({t.id: t.label for t in vocab.event_types})
            type_colours.update({t.id: t.colour for t in vocab.event_types})
            type_symbols.update({t.id: t.symbol for t in vocab.event_types if t.symbol})
            stance_labels.update({s.value: s.label for s in vocab.stance_levels})
        return cls(
            actor_names={a.id: a.name for a in ds.actors.values()},
            actor_colours={a.id: a.colour for a in ds.actors.values()},
            actor_kinds={a.id: a.kind for a in ds.actors.values()},
            country_names={c.iso3: c.name for c in ds.countries.values()},
            central_asia=tuple(c.iso3 for c in ds.countries.values() if c.central_asia),
            type_labels=type_labels,
            type_colours=type_colours,
            stance_labels=stance_labels,
            periods=tuple(sorted(ds.periods, key=lambda p: p.start)),
            article_citations={a.id: a.short_citation() for a in ds.articles.values()},
            country_regions={c.iso3: c.region for c in ds.countries.values()},
            type_symbols=type_symbols,
            places={p.id: PlaceInfo(p.name, p.country, p.kind, p.lat, p.lon) for p in ds.places.values()},
            place_precision_labels=place_labels,
        )

    def actor(self, actor_id: str | None) -> str:
        """Display name of an actor id ("—" for none)."""
        if actor_id is None or actor_id != actor_id:  # None or NaN
            return "—"
        return self.actor_names.get(actor_id, actor_id)

    def actor_ref(self, actor_id: str) -> str:
        """The actor as it reads inside a sentence: "the Taliban", "the Afghan government", "Kazakhstan"."""
        name = self.actor(actor_id)
        if self.actor_kinds.get(actor_id, "state") == "state" or name.lower().startswith("the "):
            return name
        return f"the {name}"

    def colour(self, actor_id: str) -> str:
        """The actor's colour from data/actors.yaml."""
        return self.actor_colours.get(actor_id, FALLBACK_COLOUR)

    def neutral_colours(self) -> tuple[str, ...]:
        """Actor colours that mark no one in particular: the fallback, and any colour several actors share."""
        colours = [c.upper() for c in self.actor_colours.values()]
        return tuple({FALLBACK_COLOUR, *(c for c in colours if colours.count(c) > 1)})

    def country(self, iso3: str) -> str:
        """Display name of a country code."""
        return self.country_names.get(iso3, iso3)

    def source_line(self, article_ids: list[str] | None = None) -> str:
        """"Source: …" naming the articles a chart draws on (all articles when none are given)."""
        ids = article_ids if article_ids is not None else list(self.article_citations)
        cited = sorted({self.article_citations[a] for a in ids if a in self.article_citations})
        if not cited:
            return "Source: curated events dataset."
        return "Source: events coded from " + "; ".join(cited)
