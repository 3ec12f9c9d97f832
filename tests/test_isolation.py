"""Sessions are isolated: no module-level state carries one user's choices to another, and two
sessions with different links keep their own filters, URL and chart subtitles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.model.filters import FilterOptions, Filters
from lib.model.load import load_dataset
from lib.model.tables import build_tables
from lib.ui.chart_element import drawn_charts
from lib.views.style import plot_text
from tests.conftest import REAL_DATA, page_script_files, page_scripts

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------
# (a) static check
#
# lib/ modules are imported once and shared by every session for the server's lifetime, so a
# module-level dict/list/set that a function fills in would carry one user's choices into another
# user's view. Page scripts (pages/, dashboard.py) are re-executed for every run, so their own
# top-level names are per-run; what they must not do is write into the shared modules they import.

MUTABLE_FACTORIES = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "bytearray",
                     "WeakValueDictionary", "WeakKeyDictionary", "ChainMap"}  # fmt: skip
MUTATORS = {"append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "setdefault", "add",
            "discard", "appendleft", "extendleft", "popleft", "sort", "reverse", "__setitem__", "__delitem__",
            "difference_update", "intersection_update", "symmetric_difference_update"}  # fmt: skip
# Writes into imported objects that are per-session by design, or process-wide constants set idempotently.
SHARED_WRITES_ALLOWED = {
    "st.session_state": "Streamlit's per-session state",
    "st.query_params": "the session's own URL",
    "pio.templates": "registers the project's constant Plotly template (idempotent)",
    "pio.defaults": "process-wide export defaults (constant topojson folder), never per user",
}


def _is_mutable_value(node: ast.AST | None) -> bool:
    if isinstance(node, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        return name in MUTABLE_FACTORIES
    return False


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _allowed_shared_write(node: ast.AST) -> bool:
    dotted = _dotted(node)
    return any(dotted == prefix or dotted.startswith(prefix + ".") for prefix in SHARED_WRITES_ALLOWED)


def _top_level_statements(tree: ast.Module) -> list[ast.stmt]:
    """Module-level statements, looking inside top-level if/try blocks (e.g. guarded imports)."""
    out: list[ast.stmt] = []
    stack = list(tree.body)
    while stack:
        stmt = stack.pop(0)
        out.append(stmt)
        if isinstance(stmt, (ast.If, ast.Try)):
            stack.extend(stmt.body + stmt.orelse + getattr(stmt, "finalbody", []))
            for handler in getattr(stmt, "handlers", []):
                stack.extend(handler.body)
    return out


def _targets(stmt: ast.stmt) -> list[ast.expr]:
    if isinstance(stmt, ast.Assign):
        return list(stmt.targets)
    if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
        return [stmt.target]
    if isinstance(stmt, ast.Delete):
        return list(stmt.targets)
    return []


def _local_names(func: ast.AST) -> set[str]:
    """Names a function binds itself (arguments and assignments), which shadow module names."""
    names: set[str] = set()
    args = getattr(func, "args", None)
    if args is not None:
        names |= {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
        names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def state_problems(source: str, rel: str, *, shared: bool) -> list[str]:
    """Every way `source` could keep a user's choices in process-wide state.

    shared=True for imported modules (lib/), False for page scripts (pages/, dashboard.py).
    """
    tree = ast.parse(source)
    problems: list[str] = []
    imported: set[str] = set()
    module_names: set[str] = set()
    for stmt in _top_level_statements(tree):
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            imported |= {(alias.asname or alias.name).split(".")[0] for alias in stmt.names}
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            module_names.add(stmt.name)
        for target in _targets(stmt):
            for node in ast.walk(target):
                if isinstance(node, ast.Name):
                    module_names.add(node.id)
        if shared and isinstance(stmt, (ast.Assign, ast.AnnAssign)) and _is_mutable_value(stmt.value):
            for target in _targets(stmt):
                if isinstance(target, ast.Name) and not target.id.isupper() and not target.id.startswith("__"):
                    problems.append(f"{rel}:{stmt.lineno} module-level mutable {target.id!r} (use an ALL_CAPS "
                                    "constant that is never modified, or st.session_state)")  # fmt: skip
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            problems.append(f"{rel}:{node.lineno} 'global {', '.join(node.names)}'")

    # Who may not be written to: in lib/, the module's own names (from inside functions) and the
    # modules it imports; in a page script, the modules it imports.
    def guarded(root: str | None, local: set[str]) -> bool:
        if root is None or root in local:
            return False
        return root in imported or (shared and root in module_names)

    scopes: list[tuple[ast.AST, set[str]]] = []
    if shared:
        scopes += [(f, _local_names(f)) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]
        scopes.append((ast.Module(body=[s for s in tree.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))], type_ignores=[]), set(module_names - imported)))  # fmt: skip
    else:
        scopes.append((tree, set()))
    seen: set[tuple[int, int]] = set()
    for scope, local in scopes:
        for node in ast.walk(scope):
            where = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
                for target in _targets(node):
                    if isinstance(target, (ast.Attribute, ast.Subscript)) and guarded(_root_name(target), local):
                        if not _allowed_shared_write(target) and where not in seen:
                            seen.add(where)
                            problems.append(f"{rel}:{node.lineno} writes to shared {ast.unparse(target)!r}")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
                owner = node.func.value
                if guarded(_root_name(owner), local) and not _allowed_shared_write(owner) and where not in seen:
                    if isinstance(owner, ast.Name) and owner.id in imported and not shared:
                        continue  # `module.update(...)` is a function call, not a container mutation
                    seen.add(where)
                    problems.append(f"{rel}:{node.lineno} mutates shared {ast.unparse(owner)!r} with .{node.func.attr}()")
    return sorted(problems, key=lambda p: int(p.split(":")[1].split(" ")[0]))


def _modules() -> list[tuple[Path, bool]]:
    lib = [(p, True) for p in sorted((ROOT / "lib").glob("*.py"))]
    scripts = [(ROOT / "dashboard.py", False)] + [(p, False) for p in page_script_files()]
    return lib + scripts


def test_no_module_level_state_can_carry_a_users_choices() -> None:
    problems = [
        problem
        for path, shared in _modules()
        for problem in state_problems(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), shared=shared)
    ]
    assert problems == [], "\n".join(problems)


LEAKY_LIB = '''
import streamlit as st
from lib.views import charts
_last_filters = {}
HISTORY = []
COUNTER = 0

def remember(user, filters):
    _last_filters[user] = filters
    HISTORY.append(filters)
    charts.MAX_POINTS = 10

def bump():
    global COUNTER
    COUNTER += 1

def fine(rows):
    seen = []
    seen.append(rows)
    HISTORY_COPY = list(HISTORY)
    st.session_state["x"] = 1
    return seen
'''

LEAKY_PAGE = '''
import streamlit as st
from lib import ui
from lib.views import charts
rows = []
rows.append(1)
st.session_state["filter_years"] = (2001, 2005)
ui.Keys.countries = "other"
charts.SHARED_CACHE["k"] = rows
'''


def test_the_state_check_flags_leaks_and_passes_per_session_code() -> None:
    lib_problems = state_problems(LEAKY_LIB, "lib/leaky.py", shared=True)
    assert [p.split(" ", 1)[1].split(" (")[0] for p in lib_problems] == [
        "module-level mutable '_last_filters'",
        "writes to shared '_last_filters[user]'",
        "mutates shared 'HISTORY' with .append()",
        "writes to shared 'charts.MAX_POINTS'",
        "'global COUNTER'",
    ]
    page_problems = state_problems(LEAKY_PAGE, "pages/leaky.py", shared=False)
    assert [p.split(" ", 1)[1] for p in page_problems] == [
        "writes to shared 'ui.Keys.countries'",
        "writes to shared \"charts.SHARED_CACHE['k']\"",
    ]


def test_cached_data_is_a_copy_so_one_session_cannot_change_anothers(monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    from lib import ui

    first = ui.load()
    assert ui.load() is first, "a session's copy is made once per version of the data, not per rerun"
    first.tables.events.loc[first.tables.events.index[0], "title"] = "changed by session one"
    first.options.countries.clear()
    st.session_state.pop(ui.Keys.run_data)  # another session: it has kept nothing yet
    second = ui.load()
    assert second is not first
    assert second.tables.events["title"].iloc[0] != "changed by session one"
    assert second.options.countries


# ---------------------------------------------------------------------------
# (b) two sessions, interleaved
#
# A folder named `pages/` beside dashboard.py switches on Streamlit's old (v1) multipage mode until
# the first run calls st.navigation. On a fresh server the first visitor who opened a deep link
# (`/timeline?country=KAZ`) got pages/timeline.py run on its own: no filter sidebar, the link's
# filters ignored, and st.navigation never called, so later visitors were affected too. AppTest
# resets that flag on every run, so there a second run skipped dashboard.py altogether. Hence
# app_pages/, and a test that keeps it so.

V1_PAGES_DIR = ROOT / "pages"


def test_no_pages_folder_beside_the_entry_script() -> None:
    assert not V1_PAGES_DIR.is_dir(), (
        "pages/ beside dashboard.py turns on Streamlit's v1 multipage mode: reruns and deep links skip "
        "dashboard.py (no sidebar, link filters ignored). Keep page scripts in app_pages/."
    )


@pytest.fixture(scope="module")
def options() -> FilterOptions:
    ds = load_dataset(REAL_DATA)
    return FilterOptions.from_dataset(ds, build_tables(ds))


def _session(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _assert_shows(at: AppTest, expected: Filters, options: FilterOptions) -> None:
    assert not at.exception
    subtitle = expected.describe(options)
    filter_keys = {"country", "from", "to", "actor", "type"}
    assert {k: v for k, v in at.query_params.items() if k in filter_keys} == expected.to_query()
    shown = [c.value for c in at.caption if c.value.startswith("Showing:")]
    assert all(subtitle.replace("·", "") in text.replace("\\", "").replace("·", "") for text in shown), shown
    for chart in drawn_charts(at):
        title = chart.spec["layout"].get("title", {})
        sub = title.get("subtitle", {}).get("text")
        if sub is not None and "Source" not in sub:
            assert plot_text(subtitle) in sub, sub


def test_two_interleaved_sessions_keep_their_own_filters_url_and_subtitles(options: FilterOptions) -> None:
    first_filters = Filters(countries=("KAZ",), year_from=2005, year_to=2012)
    second_filters = Filters(countries=("TJK", "UZB"), actors=("taliban",))
    first = _session(first_filters.to_query())
    second = _session(second_filters.to_query())
    _assert_shows(first, first_filters, options)
    _assert_shows(second, second_filters, options)

    first.slider(key="filter_years").set_value((2008, 2010)).run()
    first_filters = Filters(countries=("KAZ",), year_from=2008, year_to=2010)
    _assert_shows(first, first_filters, options)
    second.run()  # a rerun of the other session does not pick up the first one's change
    _assert_shows(second, second_filters, options)

    second.multiselect(key="filter_types").select("verbal_conflict").run()
    second_filters = Filters(countries=("TJK", "UZB"), actors=("taliban",), types=("verbal_conflict",))
    _assert_shows(second, second_filters, options)
    _assert_shows(first.run(), first_filters, options)

    for page in page_scripts():
        first.switch_page(page).run()
        _assert_shows(first, first_filters, options)
        second.switch_page(page).run()
        _assert_shows(second, second_filters, options)
        _assert_shows(first.run(), first_filters, options)


def test_a_new_session_without_a_link_starts_unfiltered_after_others_have_filtered(options: FilterOptions) -> None:
    busy = _session({"country": "KAZ", "from": "2010"})
    busy.multiselect(key="filter_actors").select("taliban").run()
    fresh = _session({})
    _assert_shows(fresh, Filters(), options)
