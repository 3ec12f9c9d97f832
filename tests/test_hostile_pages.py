"""Hostile text stays text on every page: HTML, scripts, markdown links and LaTeX in event titles,
summaries, quotes, actor names and the URL render literally; the URL cannot name a file; YAML is
only ever read with the safe loader."""

from __future__ import annotations

import ast
import builtins
import io
import re
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.ui.chart_element import drawn_charts
from tests.conftest import ACTORS, ARTICLE_BODY, make_events, page_scripts, write_data_dir

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[link](javascript:alert(1))"
MATH = "$x^2$"
HOSTILE = f"{SCRIPT} {IMG} {LINK} {MATH}"
QUOTE = f"A reader wrote: {HOSTILE}"

# Unescaped forms, as Markdown would act on them (an escaped one is preceded by a backslash).
UNESCAPED_MARKDOWN = {
    "script tag": re.compile(r"(?<!\\)<script", re.I),
    "img tag": re.compile(r"(?<!\\)<img", re.I),
    "markdown link": re.compile(r"(?<!\\)\]\(javascript:", re.I),
    "math": re.compile(r"(?<!\\)\$x\^2(?<!\\)\$"),
}
# In an `st.html` element (no Markdown: its body is HTML as written) the same text must be HTML-escaped: no tag of the
# data's may open there. A markdown link or `$` in it is inert text.
RAW_IN_HTML = {"script tag": re.compile(r"<script", re.I), "img tag": re.compile(r"<img", re.I)}
# In Plotly labels the same text must be HTML-escaped (and `$` must not start LaTeX).
RAW_IN_CHART = {"script tag": "<script", "img tag": "<img", "math": "$x^2$"}

# Where Streamlit renders a string as Markdown: element bodies, labels and help texts.
MARKDOWN_FIELDS = {"body", "label", "help", "placeholder"}
PLAIN_TEXT_PROTOS = {"Text", "Code", "Exception", "Json", "PlotlyChart", "Arrow", "ArrowTable"}


def hostile_folder(root: Path) -> Path:
    events = make_events()
    for event in events:
        event["title"] = f"{event['title']} {HOSTILE}"
        event["summary"] = HOSTILE
        event["location"] = HOSTILE
    events[0]["sources"].append({"article": "mt-2011", "quote": QUOTE})
    actors = [dict(a) for a in ACTORS]
    actors[2]["name"] = f"NATO {HOSTILE}"
    return write_data_dir(root, events, article_body=ARTICLE_BODY + "\n\n" + QUOTE, actors=actors)


def _strings(message: object, fields: set[str]) -> Iterator[str]:
    """Every string field named in `fields`, recursively through a protobuf message."""
    for descriptor, value in message.ListFields():  # type: ignore[attr-defined]
        values = value if descriptor.is_repeated else [value]
        for item in values:
            if descriptor.type == descriptor.TYPE_MESSAGE:
                yield from _strings(item, fields)
            elif isinstance(item, str) and descriptor.name in fields:
                yield item


def rendered_markdown(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) for every string the page hands to Streamlit's Markdown renderer."""
    found = []
    for node in at._tree:  # noqa: SLF001 - the only way to reach every element, blocks included
        proto = getattr(node, "proto", None)
        if proto is None or proto.DESCRIPTOR.name in PLAIN_TEXT_PROTOS:
            continue
        found += [(proto.DESCRIPTOR.name, text) for text in _strings(proto, MARKDOWN_FIELDS)]
    return found


def chart_strings(at: AppTest) -> list[str]:
    def walk(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    return [s for chart in drawn_charts(at) for s in walk(chart.spec)]


@pytest.fixture
def hostile_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    folder = hostile_folder(tmp_path / "data")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["actor"] = "nato_isaf"  # puts the hostile actor name into the "Showing: …" subtitle
    return at


def test_the_fixture_events_are_valid_so_the_pages_show_them(tmp_path: Path) -> None:
    from lib.model.load import load_dataset

    ds = load_dataset(hostile_folder(tmp_path / "data"))
    assert len(ds.events) == 2, [str(p) for p in ds.problems]
    assert any(s.quote == QUOTE for s in ds.events[0].sources)


def test_every_page_renders_hostile_text_literally(hostile_app: AppTest) -> None:
    at = hostile_app
    seen_escaped = False
    seen_in_chart = False
    for page in [None, *page_scripts()]:  # the link's own page first, then every page
        (at.run() if page is None else at.switch_page(page).run())
        assert not at.exception, f"{page}: {[e.value for e in at.exception]}"
        for kind, text in rendered_markdown(at):
            if kind == "Html":
                for what, pattern in RAW_IN_HTML.items():
                    assert not pattern.search(text), f"{page}: raw {what} in an Html element: {text[:200]!r}"
                seen_escaped |= "&lt;script&gt;" in text
                continue
            for what, pattern in UNESCAPED_MARKDOWN.items():
                assert not pattern.search(text), f"{page}: unescaped {what} in a {kind}: {text[:200]!r}"
            seen_escaped |= "\\<script\\>" in text
        for text in chart_strings(at):
            for what, raw in RAW_IN_CHART.items():
                assert raw not in text, f"{page}: raw {what} in chart JSON: {text[:200]!r}"
            seen_in_chart |= "&lt;script&gt;" in text
    assert seen_escaped, "the hostile text should be shown (escaped) somewhere, e.g. the 'Showing:' subtitle"
    assert seen_in_chart, "the hostile title should reach a chart's hover text or subtitle, HTML-escaped"


def test_hostile_query_values_are_notes_not_markup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(write_data_dir(tmp_path / "data")))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["country"] = SCRIPT
    at.query_params["type"] = LINK
    at.query_params[IMG] = MATH
    at.run()
    assert not at.exception
    notes = [n for c in at.sidebar.caption for n in c.value.split("  \n") if "Ignored" in n]  # one caption, a line each
    assert len(notes) == 3, notes
    for _, text in rendered_markdown(at):
        for what, pattern in UNESCAPED_MARKDOWN.items():
            assert not pattern.search(text), f"unescaped {what}: {text!r}"


# ---------------------------------------------------------------------------
# the URL cannot select files


def _allowed_roots(data: Path) -> list[Path]:
    roots = {data, ROOT, Path(sys.prefix), Path(sys.base_prefix), Path(sysconfig.get_paths()["purelib"]),
             Path(sysconfig.get_paths()["stdlib"]), Path.home() / ".streamlit", Path("/etc/ssl"), Path("/usr/share/zoneinfo")}  # fmt: skip
    roots.add(Path("/proc/self/mountinfo"))  # which file system the data folder is on (lib/model/fingerprint.py)
    return [r.resolve() for r in roots]


@pytest.mark.parametrize(
    "query",
    [
        {"country": "../../etc/passwd"},
        {"country": "/etc/passwd", "type": "..%2F..%2Fetc%2Fpasswd"},
        {"../../etc/passwd": "1", "file": "/etc/hostname", "page": "../../../etc/passwd"},
        {"actor": "file:///etc/passwd", "from": "../data"},
    ],
)
def test_path_like_query_parameters_give_a_note_and_open_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, query: dict[str, str]
) -> None:
    folder = write_data_dir(tmp_path / "data").resolve()
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    opened: list[str] = []
    real_open, real_io_open = builtins.open, io.open
    real_read_bytes, real_read_text = Path.read_bytes, Path.read_text

    def recording_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(file, (str, bytes, Path)):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def recording_read_bytes(self: Path) -> bytes:
        opened.append(str(self))
        return real_read_bytes(self)

    def recording_read_text(self: Path, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
        opened.append(str(self))
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording_open)
    monkeypatch.setattr(io, "open", recording_open)
    monkeypatch.setattr(Path, "read_bytes", recording_read_bytes)
    monkeypatch.setattr(Path, "read_text", recording_read_text)
    try:
        at.run()
        for page in page_scripts():
            at.switch_page(page).run()
    finally:
        monkeypatch.setattr(builtins, "open", real_open)
        monkeypatch.setattr(io, "open", real_io_open)
    assert not at.exception
    assert opened, "the recorder should have seen the data files being read"
    roots = _allowed_roots(folder)
    outside = sorted({p for p in opened if not any(Path(p).resolve().is_relative_to(r) for r in roots)})
    assert outside == [], f"files read outside the data folder, the project and the installed packages: {outside}"
    assert not any("passwd" in p or "hostname" in p for p in opened)


def test_path_like_query_parameters_are_explained_in_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(write_data_dir(tmp_path / "data")))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["country"] = "../../etc/passwd"
    at.run()
    notes = [c.value for c in at.sidebar.caption if "Ignored" in c.value]
    assert any("etc/passwd" in note.replace("\\", "") for note in notes), notes
    assert "country" not in at.query_params, "the bad value is dropped from the URL"


# ---------------------------------------------------------------------------
# YAML is only ever loaded safely

SAFE_LOADERS = {"SafeLoader", "CSafeLoader", "yaml.SafeLoader", "yaml.CSafeLoader", "BaseLoader", "yaml.BaseLoader"}
UNSAFE_NAMES = {"unsafe_load", "unsafe_load_all", "full_load", "full_load_all", "Loader", "FullLoader",
                "UnsafeLoader", "CLoader", "CFullLoader", "CUnsafeLoader"}  # fmt: skip


def unsafe_yaml_uses(source: str, rel: str) -> list[str]:
    """yaml.load/load_all without a safe Loader, yaml.unsafe_load/full_load, or unsafe loaders imported."""
    tree = ast.parse(source)
    found = []
    yaml_names = {"yaml"}
    safe_aliases = set(SAFE_LOADERS)
    direct_loads: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yaml_names |= {a.asname or a.name for a in node.names if a.name == "yaml"}
        elif isinstance(node, ast.ImportFrom) and node.module == "yaml":
            for alias in node.names:
                if alias.name in UNSAFE_NAMES:
                    found.append(f"{rel}:{node.lineno} imports yaml.{alias.name}")
                elif alias.name in SAFE_LOADERS:
                    safe_aliases.add(alias.asname or alias.name)
                elif alias.name in {"load", "load_all"}:
                    direct_loads.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in yaml_names:
            name = func.attr
        elif isinstance(func, ast.Name) and func.id in direct_loads:
            name = "load"
        else:
            continue
        if name in UNSAFE_NAMES:
            found.append(f"{rel}:{node.lineno} yaml.{name}()")
        elif name in {"load", "load_all"}:
            loader = next((k.value for k in node.keywords if k.arg == "Loader"), node.args[1] if len(node.args) > 1 else None)
            if loader is None or ast.unparse(loader) not in safe_aliases:
                found.append(f"{rel}:{node.lineno} yaml.{name}() without a safe Loader")
    return found


def _repo_python_files() -> list[Path]:
    skip = {".venv", ".git", "node_modules", "__pycache__", ".hypothesis", ".pytest_cache"}
    return [p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts)]


def test_no_code_in_the_repo_loads_yaml_unsafely() -> None:
    found = [hit for path in _repo_python_files()
             for hit in unsafe_yaml_uses(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]  # fmt: skip
    assert found == [], "\n".join(found)


def test_the_yaml_check_catches_unsafe_loading() -> None:
    sample = (
        "import yaml\n"
        "from yaml import CSafeLoader as Safe, FullLoader\n"
        "yaml.load(text)\n"
        "yaml.load(text, Loader=yaml.Loader)\n"
        "yaml.unsafe_load(text)\n"
        "yaml.full_load(text)\n"
        "yaml.load(text, Loader=Safe)\n"  # safe
        "yaml.safe_load(text)\n"  # safe
    )
    hits = [h.split(" ", 1)[1] for h in unsafe_yaml_uses(sample, "sample.py")]
    assert sorted(hits) == sorted([
        "imports yaml.FullLoader",
        "yaml.load() without a safe Loader",
        "yaml.load() without a safe Loader",
        "yaml.unsafe_load()",
        "yaml.full_load()",
    ])  # fmt: skip


def test_a_python_tag_in_the_data_is_a_problem_not_code(tmp_path: Path) -> None:
    from lib.model.load import load_dataset

    folder = write_data_dir(tmp_path / "data")
    marker = tmp_path / "pwned"
    (folder / "events.yaml").write_text(
        f"events:\n  - !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    ds = load_dataset(folder)
    assert not marker.exists()
    assert any("events.yaml" in p.file for p in ds.problems)


# ---------------------------------------------------------------------------
# exports


def _hostile_figures(tmp_path: Path):  # noqa: ANN202
    from lib.model.load import load_dataset
    from lib.model.tables import build_tables
    from lib.views import aggregate, charts
    from lib.views.style import ChartMeta

    ds = load_dataset(hostile_folder(tmp_path / "data"))
    tables = build_tables(ds)
    meta = ChartMeta.from_dataset(ds)
    subtitle = f"involving NATO {HOSTILE}"
    figures = [
        charts.timeline(tables.events, meta, subtitle=subtitle),
        charts.region_map(aggregate.country_summary(tables.events, tables), meta, subtitle=subtitle),
    ]
    return ds, tables, figures


def test_html_export_of_hostile_charts_carries_no_live_markup(tmp_path: Path) -> None:
    export = pytest.importorskip("lib.exports.export")
    _, _, figures = _hostile_figures(tmp_path)
    for fig in figures:
        page = export.export_figure(fig, "html", source_line=f"Source: {HOSTILE}", exported_on="2026-01-01").decode()
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert "alert(1)" in page, "the hostile text is still there, as text"


def test_svg_export_of_a_hostile_chart_has_no_script_or_img_element(tmp_path: Path) -> None:
    export = pytest.importorskip("lib.exports.export")
    available, why = export.static_export_available()
    if not available:
        pytest.skip(why)
    _, _, figures = _hostile_figures(tmp_path)
    svg = export.export_figure(figures[0], "svg", source_line=f"Source: {HOSTILE}", exported_on="2026-01-01").decode()
    assert "<script" not in svg.lower() and "<img" not in svg.lower()
    assert "&lt;script&gt;" in svg or "&#60;script&#62;" in svg, "the subtitle shows the hostile text literally"


def test_csv_export_keeps_hostile_text_as_plain_cells(tmp_path: Path) -> None:
    import csv

    export = pytest.importorskip("lib.exports.export")
    ds, tables, _ = _hostile_figures(tmp_path)
    data = export.events_csv(export.events_export_frame(tables.events, tables, ds))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert all(row["summary"] == HOSTILE for row in rows)
    assert any(QUOTE in row["quotes"] for row in rows)
