"""The layout of lib/ as `.importlinter` draws it: packages by concern, imports flowing one way, no cycles,
no module reaching into another's private names, and a short docstring on every package."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "lib"
PACKAGES = ("model", "reading", "views", "exports", "ui")


def _modules() -> dict[str, Path]:
    found = {}
    for path in LIB.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def test_the_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is not installed (requirements-dev.txt)"
    done = subprocess.run([lint, "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_no_module_imports_another_modules_private_names() -> None:
    modules = _modules()
    offences = []
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.module or not node.module.startswith("lib"):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and f"{node.module}.{alias.name}" not in modules:
                    offences.append(f"{name} imports {alias.name} from {node.module}")
    assert offences == []


def test_tests_benchmarks_and_pages_import_no_private_names() -> None:
    """The same rule outside lib/: a helper another test module needs is public where it is defined."""
    modules = _modules()
    files = [*ROOT.glob("tests/*.py"), *ROOT.glob("bench/*.py"), *ROOT.glob("app_pages/*.py"), ROOT / "dashboard.py"]
    offences = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if node.module.split(".")[0] not in ("lib", "tests", "bench", "app_pages"):
                continue
            offences += [f"{path.relative_to(ROOT)} imports {alias.name} from {node.module}" for alias in node.names
                         if alias.name.startswith("_") and f"{node.module}.{alias.name}" not in modules]  # fmt: skip
    assert offences == []


def test_only_a_handful_of_modules_stay_at_the_top_of_lib() -> None:
    top = sorted(p.stem for p in LIB.glob("*.py") if p.stem != "__init__")
    assert len(top) <= 12, top


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_says_what_it_holds(package: str) -> None:
    doc = ast.get_docstring(ast.parse((LIB / package / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc) > 80


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_is_named_in_the_contracts(package: str) -> None:
    assert f"lib.{package}" in (ROOT / ".importlinter").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["lib.validate", "lib.draft", "lib.briefing", "lib.gazetteer"])
def test_the_command_line_entry_points_keep_their_names(command: str) -> None:
    done = subprocess.run([sys.executable, "-m", command, "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"python -m {command}" in done.stdout or "usage" in done.stdout.lower()
