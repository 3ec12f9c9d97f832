"""One save at a time across every process sharing a data folder (replicas behind a proxy): an exclusive
`fcntl.flock` on `<folder>/.save.lock`. The lock is released by the kernel if a process dies holding it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = ".save.lock"  # hidden: store.read_state leaves it out of the folder's fingerprint


class LockTimeout(RuntimeError):
    """Another save held the folder's lock for longer than the wait allowed."""


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike[str], wait: float = 30.0) -> Iterator[None]:
    """Hold the data folder's save lock for the block; raise LockTimeout after `wait` seconds of waiting."""
    path = Path(folder) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(f"another save held {path.name} for over {wait:.0f} s") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
