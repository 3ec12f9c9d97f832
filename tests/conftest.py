"""Shared fixtures: a small valid data folder built in the test, which tests then break on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lib.paths import data_dir as _configured_data_dir

# The real data folder: data/, or $DASHBOARD_DATA_DIR when the suite is run against another copy (say, one
# with an article added). Tests of it check properties, never its counts or span: the table grows.
REAL_DATA = _configured_data_dir()

ARTICLE_BODY = (
    "KABUL — The Taliban has warned Kazakhstan that its decision to send troops would have severe "
    "consequences.\n\nThe Kazakh parliament decided May 18 to send troops to join the NATO-led force."
)

ACTORS = [
    {"id": "taliban", "name": "Taliban", "kind": "armed_group", "country": "AFG", "colour": "#CC6677"},
    {"id": "KAZ", "name": "Kazakhstan", "kind": "state", "country": "KAZ", "colour": "#332288"},
    {"id": "nato_isaf", "name": "NATO / ISAF", "kind": "alliance", "country": None, "colour": "#117733"},
]
COUNTRIES = [
    {"iso3": "KAZ", "name": "Kazakhstan", "region": "Central Asia", "central_asia": True},
    {"iso3": "AFG", "name": "Afghanistan", "region": "South Asia", "central_asia": False},
    {"iso3": "TJK", "name": "Tajikistan", "region": "Central Asia", "central_asia": True},
]
PERIODS = [{"id": "isaf-2011", "label": "Kazakhstan and ISAF", "start": "2010-01-01", "end": "2011-12-31"}]
VOCAB = {
    "event_types": [
        {"id": "verbal_cooperation", "label": "Verbal cooperation", "colour": "#0072B2"},
        {"id": "material_cooperation", "label": "Material cooperation", "colour": "#009E73"},
        {"id": "verbal_conflict", "label": "Verbal conflict", "colour": "#E69F00"},
        {"id": "material_conflict", "label": "Material conflict", "colour": "#D55E00"},
    ],
    "stance_levels": [
        {"value": v, "label": label}
        for v, label in [(-2, "Hostile"), (-1, "Opposed"), (0, "Neutral"), (1, "Engaging"), (2, "Aligned")]
    ],
}


def make_events() -> list[dict]:
    """Two valid events citing the fixture article."""
    return [
        {
            "id": "kaz-votes-isaf",
            "date": "2011-05-18",
            "title": "Kazakh parliament votes to send troops to ISAF",
            "summary": "The lower house approves a deployment.",
            "actor": "KAZ",
            "target": "nato_isaf",
            "countries": ["KAZ", "AFG"],
            "event_type": "material_cooperation",
            "stance": 2,
            "sources": [{"article": "mt-2011", "quote": "The Kazakh parliament decided May 18 to send troops"}],
        },
        {
            "id": "taliban-warns-kaz",
            "date": "2011-05",
            "title": "Taliban warn Kazakhstan",
            "summary": "The Taliban warn of severe consequences.",
            "actor": "taliban",
            "target": "KAZ",
            "countries": ["KAZ"],
            "event_type": "verbal_conflict",
            "stance": -1,
            "sources": [{"article": "mt-2011", "quote": "The Taliban has warned   Kazakhstan"}],
        },
    ]


def write_yaml(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_keep_all_ranker(folder: Path) -> Path:
    """Give a data folder the project's ranker weights with a budget that keeps every reading: for tests of what
    a draft carries (its place, its date), which must not depend on where the ranker's threshold lies."""
    from lib.reading.ranker import RANKER_FILE, ranker_path

    data = yaml.safe_load(ranker_path(None).read_text(encoding="utf-8"))
    data["budget"] = {"threshold": 0.0, "per_card": 50}
    path = folder / RANKER_FILE
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def write_data_dir(
    root: Path, events: list | None = None, *, article_body: str = ARTICLE_BODY, actors: list | None = None
) -> Path:
    """Write a complete small data folder under `root` and return it (optionally with another article
    body or other actors)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "articles").mkdir(exist_ok=True)
    front = {
        "id": "mt-2011",
        "title": "Taliban Warns Kazakhstan",
        "outlet": "The Moscow Times",
        "author": None,
        "published": "2011-05-22",
        "url": "https://example.org/a",
    }
    (root / "articles" / "mt-2011.md").write_text(
        "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n" + article_body + "\n", encoding="utf-8"
    )
    write_yaml(root / "actors.yaml", {"actors": ACTORS if actors is None else actors})
    write_yaml(root / "countries.yaml", {"countries": COUNTRIES})
    write_yaml(root / "periods.yaml", {"periods": PERIODS})
    write_yaml(root / "vocab.yaml", VOCAB)
    write_yaml(root / "events.yaml", {"events": make_events() if events is None else events})
    return root


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A valid small data folder."""
    return write_data_dir(tmp_path / "data")


def yaml_records(folder: Path, filename: str, key: str) -> list[dict]:
    """The raw records of one YAML list file, as the files hold them (to count what a page should show)."""
    return yaml.safe_load((folder / filename).read_text(encoding="utf-8"))[key]


def page_scripts() -> list[str]:
    """The page scripts dashboard.py registers with st.navigation, each once, in order."""
    import ast

    tree = ast.parse((Path(__file__).resolve().parent.parent / "dashboard.py").read_text(encoding="utf-8"))
    scripts = [node.args[0].value for node in ast.walk(tree)
               if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page"
               and node.args and isinstance(node.args[0], ast.Constant)]  # fmt: skip
    return list(dict.fromkeys(scripts))


def page_script_files() -> list[Path]:
    """Every .py file in the folders holding the page scripts (helpers beside the pages included)."""
    root = Path(__file__).resolve().parent.parent
    folders = dict.fromkeys((root / script).parent for script in page_scripts())
    return sorted({path for folder in folders for path in folder.glob("*.py")} - {root / "dashboard.py"})


@pytest.fixture(scope="module")
def lexicon():
    """The project's own lexicon (data/lexicon.yaml), compiled; it must load without problems."""
    from lib.reading.lexicon import load_lexicon

    compiled, problems = load_lexicon(Path(__file__).resolve().parent.parent / "data")
    assert problems == []
    return compiled


def key_numbers(at) -> dict[str, str]:
    """The overview's key numbers as a reader sees them, {label: number}, read from the description list of the page's
    `st.html` elements (lib.ui.key_numbers); {} when the page drew none."""
    import html
    import re

    found: dict[str, str] = {}
    for element in at.html:
        for label, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", element.value):
            found[html.unescape(label)] = html.unescape(value)
    return found
