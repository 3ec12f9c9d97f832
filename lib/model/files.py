"""Writing files so that nothing is lost: every file the project writes goes through here.

A write goes to a temporary file in the target's own folder, is flushed and fsynced, and is then
renamed over the target with `os.replace` (atomic on POSIX and Windows within one file system).
A reader sees either the old file or the new one, never a half-written file; a failure part-way
leaves the old file untouched and no temporary file behind.

Several files at once (`write_files`, a curator's save) are all or nothing even across a crash: each new
file is staged as a temporary file beside its target and fsynced; then a journal (`.save-journal.json` in
the folder) listing the renames is written atomically, which is the moment the save counts as made; then
the renames; then the journal is removed. `recover` (run when the folder is next opened) finishes the
renames of a journal it finds, or, with no journal, removes the staged files of a save that never reached
its journal, so the folder holds either every old file or every new one, and no temporary file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: saves in one process are still serialised by the caller
    fcntl = None  # type: ignore[assignment]

TEMP_PREFIX = "."
TEMP_SUFFIX = ".part"
JOURNAL_NAME = ".save-journal.json"


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on a clean exit it is fsynced and renamed onto `path`.

    For libraries that insist on writing to a path themselves (pyarrow, kaleido, openpyxl):

        with atomic_path("out/events.parquet") as tmp:
            pq.write_table(table, tmp)

    If the block raises, the temporary file is removed and `path` is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:  # the writer may have replaced the file: fsync what is there now
            os.fsync(handle.fileno())
        _keep_mode(target, tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(target.parent)


def _keep_mode(target: Path, tmp: Path) -> None:
    """mkstemp creates files readable by the owner only: give the new file the old file's mode, or the
    mode a plain `open(path, "w")` would have given it."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    os.chmod(tmp, mode)


def _umask() -> int:
    """The process umask, read without changing it (os.umask would race other server threads)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write `data` (str is encoded as UTF-8) to `path` atomically and return the path.

    The parent folder is created if needed. On any error the previous content of `path`, if any,
    is intact and no temporary file is left behind.
    """
    if not isinstance(data, (bytes, bytearray, memoryview, str)):
        raise TypeError(f"write_atomic expects bytes or str, got {type(data).__name__}")
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    target = Path(path)
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(payload)
            handle.flush()
    return target


# ---------------------------------------------------------------------------
# several files at once, all or nothing across a crash


@contextlib.contextmanager
def folder_lock(root: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the folder's save lock (flock on the folder itself, so no lock file is left in it): one save or
    recovery at a time across processes; the kernel releases it when a process dies, however it dies."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(Path(root), os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _leftovers(root: Path) -> list[Path]:
    """Temporary files an interrupted write left in the folder (`.<name>.<random>.part`)."""
    return sorted(p for p in root.rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}") if p.is_file())


def needs_recovery(root: str | os.PathLike[str]) -> bool:
    """True if the folder holds a save's journal or a leftover temporary file."""
    root = Path(root)
    return (root / JOURNAL_NAME).exists() or bool(_leftovers(root))


def _journal_pairs(root: Path, journal: object) -> list[tuple[Path, Path]]:
    """The (staged file, target) renames of a journal, each checked to be a staged file beside a target
    inside the folder; ValueError for anything else (a journal is data too)."""
    if not isinstance(journal, dict) or not isinstance(journal.get("renames"), list):
        raise ValueError("not a save journal")
    pairs = []
    base = root.resolve()
    for entry in journal["renames"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("from"), str) or not isinstance(entry.get("to"), str):
            raise ValueError("a rename is not a pair of paths")
        source, target = (base / entry["from"]).resolve(), (base / entry["to"]).resolve()
        if (base not in target.parents or source.parent != target.parent or ".." in Path(entry["to"]).parts
                or not source.name.startswith(f"{TEMP_PREFIX}{target.name}.") or not source.name.endswith(TEMP_SUFFIX)):  # fmt: skip
            raise ValueError(f"a rename leaves the folder or is not a staged file: {entry['from']!r} -> {entry['to']!r}")
        pairs.append((source, target))
    return pairs


def _finish(root: Path, pairs: Sequence[tuple[Path, Path]]) -> None:
    for source, target in pairs:
        if source.exists():
            os.replace(source, target)
    for folder in dict.fromkeys(target.parent for _, target in pairs):
        _fsync_dir(folder)
    (root / JOURNAL_NAME).unlink(missing_ok=True)
    _fsync_dir(root)


def _recover_locked(root: Path) -> list[str]:
    notes = []
    journal = root / JOURNAL_NAME
    if journal.exists():
        try:
            pairs = _journal_pairs(root, json.loads(journal.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            return [(f"{JOURNAL_NAME} (an interrupted save's list of renames) cannot be used ({exc}); it and the "
                     "staged files were left as they are: check the folder by hand")]  # fmt: skip
        _finish(root, pairs)
        names = ", ".join(target.relative_to(root.resolve()).as_posix() for _, target in pairs)
        notes.append(f"a save interrupted after it was made was completed when the folder was opened ({names})")
    left = _leftovers(root)
    for path in left:
        path.unlink(missing_ok=True)
    if left:
        _fsync_dir(root)
        notes.append(f"removed {len(left)} temporary file(s) an interrupted write left behind "
                     f"({', '.join(p.relative_to(root).as_posix() for p in left[:5])}); no data file was changed")  # fmt: skip
    return notes


def recover(root: str | os.PathLike[str]) -> list[str]:
    """Finish or undo an interrupted save in the folder (see the module's docstring) and remove leftover
    temporary files; returns what it did, in words ([] for a clean folder, which it does not touch)."""
    root = Path(root)
    if not root.is_dir() or not needs_recovery(root):
        return []
    with folder_lock(root):
        return _recover_locked(root)


def write_files(root: str | os.PathLike[str], changes: Mapping[str, bytes | str], order: Sequence[str] | None = None) -> None:
    """Write several files of the folder (relative path -> new content) all or nothing, even across a crash
    (see the module's docstring), in `order` (default: as given). An error before the journal is written
    leaves every old file and no temporary file; raises OSError then."""
    root = Path(root)
    rels = list(order or changes)
    with folder_lock(root):
        _recover_locked(root)
        staged: list[tuple[str, Path]] = []
        try:
            for rel in rels:
                data = changes[rel]
                payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
                target = root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
                staged.append((rel, Path(name)))
                with os.fdopen(fd, "wb") as handle:
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
                _keep_mode(target, Path(name))
        except OSError as exc:
            for _, tmp in staged:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            raise OSError(exc.errno, exc.strerror or str(exc), rels[len(staged) - 1] if staged else None) from exc
        try:
            for folder in dict.fromkeys(tmp.parent for _, tmp in staged):
                _fsync_dir(folder)
            journal = {"renames": [{"from": tmp.relative_to(root).as_posix(), "to": rel} for rel, tmp in staged]}
            write_atomic(root / JOURNAL_NAME, json.dumps(journal, indent=1))  # the save is made here
        except BaseException:
            for _, tmp in staged:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            raise
        _finish(root, [(tmp, root / rel) for rel, tmp in staged])
