"""A data folder's version: a digest of its files' names, sizes and mtimes, walked again only when the folder changed.

Every rerun of every page asks for the version (the caches are keyed by it), so a hand edit of `data/` shows on the
next click. Walking the folder costs one stat per file, which grows with every article added (bench/RESULTS.md,
issue 24 round 16). On Linux, `watched_fingerprint` keeps an inotify watch on each folder of the tree and walks it
again only when the kernel has queued an event for it since the last walk. The check reads the queue in the
caller's own thread, without waiting: a write that returned before the check is always seen, whoever made it (this
process, another replica, an editor, git). A tree the watches cannot cover is walked every time, as on other
systems: a linked file (its target may change elsewhere), a file with several hard links, a folder the kernel
would not watch (the watch limits), a folder replaced by another at the same path (checked by its inode), and a
folder on a file system that is not known to be local (`LOCAL_FILE_SYSTEMS`): on NFS, CephFS or SMB, inotify does not
see another machine's writes, and replicas on several machines share the folder that way (README, "Running it for a
team").
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections import OrderedDict
from pathlib import Path

try:
    from inotify_simple import INotify
    from inotify_simple import flags as inotify_flags
except ImportError:  # pragma: no cover - not Linux: every check walks the folder
    INotify = None  # type: ignore[assignment,misc]
    inotify_flags = None  # type: ignore[assignment]

# File systems whose every write passes through this machine's kernel, so inotify sees it (Linux's names, as
# /proc/self/mountinfo gives them). Anything else (nfs, nfs4, ceph, cifs, smb3, fuse.*, 9p, virtiofs, ...) is walked.
LOCAL_FILE_SYSTEMS = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "ramfs", "overlay", "f2fs", "zfs",
                                "jfs", "bcachefs", "reiserfs"})  # fmt: skip
WATCHED_FOLDERS = 8  # folders watched at once per process (the kernel allows 128 inotify instances per user)


if inotify_flags is not None:
    _MASK = (inotify_flags.MODIFY | inotify_flags.ATTRIB | inotify_flags.CLOSE_WRITE | inotify_flags.CREATE
             | inotify_flags.DELETE | inotify_flags.MOVED_FROM | inotify_flags.MOVED_TO | inotify_flags.DELETE_SELF
             | inotify_flags.MOVE_SELF)  # fmt: skip
else:  # pragma: no cover
    _MASK = 0


def folder_fingerprint(folder: Path) -> str:
    """A digest of the regular files under `folder` (relative names, sizes, mtimes), "" for no folder. A linked
    folder is not walked; a linked file counts as its target. A short string, so cache look-ups hash it cheaply."""
    return _walk(folder, None)[0]


def _walk(folder: Path, watch: INotify | None) -> tuple[str, bool]:
    """The digest, and whether watches on every folder walked (added to `watch`, each before it is read) would
    cover every change to it: no linked or hard-linked file, no folder left unwatched."""
    if not folder.is_dir():
        return "", False
    stats = []
    covered = True
    try:
        device = os.stat(folder).st_dev
    except OSError:
        return "", False
    pending = [(os.fspath(folder), "")]
    while pending:
        directory, prefix = pending.pop()
        try:
            if watch is not None:
                watch.add_watch(directory, _MASK)  # before reading it: a change after this is queued
            with os.scandir(directory) as entries:
                found = list(entries)
        except OSError:  # unreadable, gone meanwhile, or no watch left in the kernel
            covered = False
            continue
        for entry in found:
            name = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):  # as rglob: a linked folder is not walked
                    pending.append((entry.path, name + "/"))
                    if watch is not None and entry.stat(follow_symlinks=False).st_dev != device:
                        covered = False  # another file system mounted inside: its kind is not known
                    continue
                linked = entry.is_symlink()
                info = entry.stat()  # one stat per entry, following a link to its file
            except OSError:  # e.g. a broken symlink: not a data file
                continue
            if stat.S_ISREG(info.st_mode):
                stats.append((name, info.st_size, info.st_mtime_ns))
                if linked or info.st_nlink > 1:  # written through a path the watches do not see
                    covered = False
    return hashlib.sha256(repr(sorted(stats)).encode("utf-8")).hexdigest(), covered


class _Watched:
    """One folder's last digest and the watches that say whether it still holds."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.lock = threading.Lock()
        self.watch: INotify | None = None
        # False once watching was tried and could not cover the tree (not a local file system, no inotify instance
        # left, a linked file, a mount inside): walked every time without trying again, until the tree changes
        self.watchable = INotify is not None
        self.digest: str | None = None
        self.identity: tuple[int, int] | None = None

    def fingerprint(self) -> str:
        with self.lock:
            identity = _identity(self.folder)
            if self.watch is not None and identity is not None and identity == self.identity and self._quiet():
                return self.digest or ""
            self.close()
            tried = self.watchable
            if tried and file_system_type(self.folder) in LOCAL_FILE_SYSTEMS:
                try:
                    self.watch = INotify()  # type: ignore[misc]
                except OSError:  # no inotify instance left in the kernel: this walk goes unwatched
                    self.watch = None
            digest, covered = _walk(self.folder, self.watch)
            if tried and (self.watch is None or not covered):
                self.close()
                self.watchable = False
            elif not tried and digest != self.digest:  # the tree changed: it may be coverable now
                self.watchable = INotify is not None
            self.digest, self.identity = digest, identity
            return digest

    def _quiet(self) -> bool:
        """True when no event was queued since the last walk (reading them empties the queue)."""
        try:
            return not self.watch.read(timeout=0)  # type: ignore[union-attr]
        except OSError:
            return False

    def close(self) -> None:
        if self.watch is not None:
            self.watch.close()
            self.watch = None


def file_system_type(folder: Path, mountinfo: str | None = None) -> str | None:
    """The type of the file system `folder` is on (`ext4`, `nfs4`, ...), from `mountinfo` (the text of
    /proc/self/mountinfo, read when not given); None when it cannot be told (not Linux)."""
    target = os.path.realpath(folder)
    if mountinfo is None:
        try:
            with open("/proc/self/mountinfo", encoding="utf-8") as handle:
                mountinfo = handle.read()
        except OSError:
            return None
    best, kind = "", None
    for line in mountinfo.splitlines():
        fields = line.split()
        if "-" not in fields[6:]:
            continue
        point = fields[4].replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):  # the deepest mount holding it; a later one hides an earlier
            best, kind = point, fields[fields.index("-", 6) + 1]
    return kind


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(folder)
    except OSError:
        return None
    return info.st_dev, info.st_ino


_watched: OrderedDict[str, _Watched] = OrderedDict()
_watched_lock = threading.Lock()


def watched_fingerprint(folder: Path) -> str:
    """`folder_fingerprint(folder)`, walked again only when the folder may have changed since the last call (see
    the module's docstring); safe to call from several threads."""
    key = os.fspath(folder)
    with _watched_lock:
        watched = _watched.get(key)
        if watched is None:
            watched = _watched[key] = _Watched(folder)
            while len(_watched) > WATCHED_FOLDERS:
                evicted = _watched.popitem(last=False)[1]
                with evicted.lock:
                    evicted.close()
        else:
            _watched.move_to_end(key)
    return watched.fingerprint()


def open_watches() -> int:
    """How many folders this process holds inotify watches on (at most `WATCHED_FOLDERS`)."""
    with _watched_lock:
        return sum(1 for watched in _watched.values() if watched.watch is not None)


def forget_watches() -> None:
    """Close every watch: the next call for each folder walks it again."""
    with _watched_lock:
        while _watched:
            evicted = _watched.popitem()[1]
            with evicted.lock:
                evicted.close()
