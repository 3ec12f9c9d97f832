"""Writing files so that nothing is lost: every file the project writes goes through here.

A write goes to a temporary file in the target's own folder, is flushed and fsynced, and is then
renamed over the target with `os.replace` (atomic on POSIX and Windows within one file system).
A reader sees either the old file or the new one, never a half-written file; a failure part-way
leaves the old file untouched and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

TEMP_PREFIX = "."
TEMP_SUFFIX = ".part"


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
