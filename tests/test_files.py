"""Nothing is lost: files are written atomically, and the dashboard never writes to its data folder."""

from __future__ import annotations

import ast
import hashlib
import os
import re
import stat
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.model.files import atomic_path, write_atomic
from lib.model.load import load_dataset
from tests.conftest import page_script_files, page_scripts, write_data_dir

ROOT = Path(__file__).resolve().parent.parent


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_write_atomic_writes_text_as_utf8_and_bytes_as_given(tmp_path: Path) -> None:
    text_file = write_atomic(tmp_path / "a.txt", "Қазақстан — Taliban\n")
    bytes_file = write_atomic(tmp_path / "b.bin", b"\x00\xff\x10")
    assert text_file.read_text(encoding="utf-8") == "Қазақстан — Taliban\n"
    assert bytes_file.read_bytes() == b"\x00\xff\x10"
    assert _leftovers(tmp_path) == []


def test_write_atomic_replaces_an_existing_file_and_creates_missing_folders(tmp_path: Path) -> None:
    target = tmp_path / "exports" / "nested" / "events.csv"
    write_atomic(target, "old")
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["events.csv"]


def test_new_files_get_ordinary_permissions_not_mkstemps_owner_only(tmp_path: Path) -> None:
    target = write_atomic(tmp_path / "shared.csv", "x")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_replacing_a_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_failure_mid_write_leaves_the_old_file_intact_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "results.md"
    target.write_text("the old figures")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "the new figures, half written")
    assert target.read_text() == "the old figures"
    assert _leftovers(tmp_path) == []


def test_an_exception_inside_atomic_path_leaves_the_old_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "events.parquet"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"partial")
        raise RuntimeError("writer crashed")
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_atomic_path_accepts_a_writer_that_replaces_the_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    with atomic_path(target) as tmp:
        tmp.unlink()
        tmp.write_text("<svg/>")
    assert target.read_text() == "<svg/>"
    assert _leftovers(tmp_path) == []


def test_write_atomic_rejects_other_types_without_touching_the_file(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("kept")
    with pytest.raises(TypeError):
        write_atomic(target, {"not": "bytes"})  # type: ignore[arg-type]
    assert target.read_text() == "kept" and _leftovers(tmp_path) == []


# ---------------------------------------------------------------------------
# every write in the project goes through lib.model.files

# Calls that always write to a path, and calls that write when given one (else they return the data).
WRITE_CALLS = {"write_text", "write_bytes", "to_parquet", "savefig", "write_image", "write_html", "write_json",
               "write_table", "write_feather"}  # fmt: skip
SHUTIL_WRITES = {"copyfile", "copy", "copy2", "copytree", "move"}
WRITE_IF_GIVEN_A_PATH = {"to_csv": "path_or_buf", "to_excel": "excel_writer", "to_json": "path_or_buf",
                         "to_html": "buf", "to_markdown": "buf", "output": "name"}  # fmt: skip
# (module, call) pairs allowed to write directly, each with its reason.
ALLOWED = {
    ("lib/model/files.py", "open"): "the helper itself, writing its temporary file",
    ("bench/synthetic.py", "copytree"): "builds a scratch folder whose stamp file is written last, atomically: "
    "an interrupted copy has no stamp and is rebuilt",
    ("bench/load_test.py", "copytree"): "copies the data folder into a fresh temporary folder of its own for one "
    "load-test run; nothing reads it until the copy has returned",
    ("bench/server.py", "copytree"): "copies the data folder into a fresh temporary folder to time its version "
    "check; nothing reads it until the copy has returned",
}


def _project_modules() -> list[Path]:
    files = [ROOT / "dashboard.py", *sorted((ROOT / "lib").glob("*.py")), *page_script_files()]
    files += sorted((ROOT / "bench").glob("*.py")) + sorted((ROOT / "scripts").glob("*.py"))
    return [f for f in files if f.is_file()]


def _direct_writes(path: Path, root: Path = ROOT) -> list[str]:
    """Calls in `path` that write a file without lib.model.files: open(..., "w"/"a"/"x"), write_text, to_csv(path)..."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = str(path.relative_to(root))
    inside_atomic: set[int] = set()
    for node in ast.walk(tree):  # calls inside `with atomic_path(...)` blocks write to the temp file: fine
        if isinstance(node, ast.With) and any(
            isinstance(item.context_expr, ast.Call) and getattr(item.context_expr.func, "id",
                                                                getattr(item.context_expr.func, "attr", None)) == "atomic_path"
            for item in node.items
        ):  # fmt: skip
            inside_atomic.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    buffers = {  # names bound to in-memory buffers: `frame.to_csv(buffer)` writes no file
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "attr", getattr(node.value.func, "id", None)) in {"StringIO", "BytesIO"}
        for target in node.targets if isinstance(target, ast.Name)
    }  # fmt: skip
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in inside_atomic:
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if (rel, name) in ALLOWED:
            continue
        if name == "open":
            modes = [a for a in node.args[1:2]] + [k.value for k in node.keywords if k.arg == "mode"]
            streaming_log = bool(node.args) and bool(  # a server's stdout stream, not a result file
                re.search(r"\.log\b|\blog_(?:path|file)\b", ast.unparse(node.args[0])))
            if not streaming_log and any(isinstance(m, ast.Constant) and isinstance(m.value, str)
                                         and set(m.value) & set("wax+") for m in modes):  # fmt: skip
                found.append(f"{rel}:{node.lineno} open(..., {ast.unparse(modes[0])})")
        elif name in WRITE_IF_GIVEN_A_PATH:
            given = node.args[:1] + [k.value for k in node.keywords if k.arg == WRITE_IF_GIVEN_A_PATH[name]]
            if any(not (isinstance(g, ast.Constant) and g.value is None) and not (isinstance(g, ast.Name) and g.id in buffers)
                   for g in given):  # fmt: skip
                found.append(f"{rel}:{node.lineno} {name}(<path>)")
        elif name in WRITE_CALLS or (name in SHUTIL_WRITES and getattr(node.func, "value", None) is not None
                                     and getattr(node.func.value, "id", None) == "shutil"):  # fmt: skip
            found.append(f"{rel}:{node.lineno} {name}(...)")
    return sorted(found, key=lambda hit: int(hit.split(":")[1].split(" ")[0]))


def test_project_code_writes_files_only_through_lib_files() -> None:
    offenders = [hit for path in _project_modules() for hit in _direct_writes(path)]
    assert offenders == [], "write through lib.model.files.write_atomic / atomic_path instead:\n" + "\n".join(offenders)


def test_the_write_scanner_catches_direct_writes(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from lib.model.files import atomic_path\n"
        "def save(frame, path, fig):\n"
        "    open(path, 'w').write('x')\n"
        "    path.write_text('x')\n"
        "    frame.to_csv(path)\n"
        "    frame.to_csv(None)\n"  # returns a string: not a write
        "    buffer = io.StringIO()\n"
        "    frame.to_csv(buffer)\n"  # in memory: not a write
        "    log = open(out / 'server.log', 'w')\n"  # a subprocess's output stream: allowed
        "    shutil.copy(path, 'b')\n"
        "    array.copy()\n"  # numpy: not a write
        "    open(path).read()\n"  # a read: fine
        "    with atomic_path(path) as tmp:\n"
        "        fig.write_image(tmp)\n"  # through the helper: fine
    )
    hits = _direct_writes(sample, root=tmp_path)
    assert [h.split(" ", 1)[1] for h in hits] == ["open(..., 'w')", "write_text(...)", "to_csv(<path>)", "copy(...)"]


# ---------------------------------------------------------------------------
# the dashboard never writes to its data folder


def _hashes(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_loading_and_every_page_leave_the_data_folder_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    folder = write_data_dir(tmp_path / "data") if which == "fixture" else ROOT / "data"
    before = _hashes(folder)
    load_dataset(folder)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    for page in page_scripts():
        at.switch_page(page).run()
        assert not at.exception, page
    assert _hashes(folder) == before
    assert not any(p.name.endswith(".part") for p in folder.rglob("*"))
