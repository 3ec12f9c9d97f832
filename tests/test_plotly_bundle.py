"""The shipped partial plotly.js (static/plotly/) draws every trace type the app builds, at the pinned version."""

import json
import re

from lib.paths import PLOTLY_DIR, ROOT

ENTRY = ROOT / "scripts" / "plotly_bundle" / "entry.js"
BUNDLE = PLOTLY_DIR / "plotly-charts.min.js"


def registered() -> set[str]:
    """Trace types entry.js registers, plus scatter, which plotly.js's core carries."""
    return {"scatter", *re.findall(r"from 'plotly\.js/lib/(\w+)'", ENTRY.read_text(encoding="utf-8"))} - {"core"}


def built_in_lib() -> set[str]:
    """Trace types the app's code builds: every `go.<Trace>(` in lib/."""
    names = set()
    for path in (ROOT / "lib").rglob("*.py"):
        names |= {name.lower() for name in re.findall(r"\bgo\.([A-Z][a-z]+)\(", path.read_text(encoding="utf-8"))}
    return names - {"figure", "layout"}


def test_every_trace_type_the_app_builds_is_in_the_bundle():
    assert built_in_lib(), "no trace types found in lib/: the scan is broken"
    assert built_in_lib() <= registered(), f"not in the partial plotly.js: {built_in_lib() - registered()}"


def test_the_bundle_names_its_version_and_trace_types():
    header = BUNDLE.read_text(encoding="utf-8")[:300]
    pinned = json.loads((ENTRY.parent / "package.json").read_text(encoding="utf-8"))["dependencies"]["plotly.js"]
    assert f"plotly.js {pinned} (MIT)" in header
    for name in registered() - {"scatter"}:
        assert name in header


def test_the_bundle_is_an_es_module_exporting_plotly():
    tail = BUNDLE.read_text(encoding="utf-8")[-3000:]
    assert re.search(r"export\{\w+ as default\}", tail)
