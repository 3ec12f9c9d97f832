"""The data folder's version (`lib.model.fingerprint`): the watched digest is always the walked one, at once after any
change from anywhere, and an unchanged folder is not walked again."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from lib.model import fingerprint
from lib.model.fingerprint import folder_fingerprint, watched_fingerprint

pytestmark = pytest.mark.skipif(fingerprint.INotify is None, reason="inotify is Linux's")

MOUNTINFO = """\
22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
40 22 0:35 / /srv/data rw,relatime shared:20 - nfs4 server:/export/data rw,vers=4.2
41 40 0:36 / /srv/data/local rw,relatime shared:21 - tmpfs tmpfs rw
42 22 0:37 / /srv/with\\040space rw,relatime shared:22 master:3 - xfs /dev/vdb rw
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    if fingerprint.file_system_type(tmp_path) not in fingerprint.LOCAL_FILE_SYSTEMS:
        pytest.skip(f"the temporary folder is on {fingerprint.file_system_type(tmp_path)}: walked every time")
    folder = tmp_path / "data"
    (folder / "articles").mkdir(parents=True)
    (folder / "events.yaml").write_text("events: []\n", encoding="utf-8")
    for n in range(5):
        (folder / "articles" / f"a{n}.md").write_text(f"article {n}\n", encoding="utf-8")
    return folder


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every walk of a folder made from now on."""
    made: list[Path] = []
    real = fingerprint._walk  # the module's own walks, counted

    def counted(folder: Path, watch: object) -> tuple[str, bool]:
        made.append(folder)
        return real(folder, watch)  # type: ignore[arg-type]

    monkeypatch.setattr(fingerprint, "_walk", counted)
    return made


def _same(folder: Path) -> str:
    watched = watched_fingerprint(folder)
    assert watched == folder_fingerprint(folder)
    return watched


def test_an_unchanged_folder_is_walked_once(tree: Path, walks: list[Path]) -> None:
    first = _same(tree)
    walks.clear()
    for _ in range(50):
        assert watched_fingerprint(tree) == first
    assert walks == []


def test_every_kind_of_change_shows_at_once(tree: Path) -> None:
    article = tree / "articles" / "a0.md"
    seen = {_same(tree)}

    def changed() -> None:
        now = _same(tree)
        assert now not in seen
        seen.add(now)

    article.write_text("article 0, edited\n", encoding="utf-8")  # in place, as an editor that truncates
    changed()
    info = article.stat()
    os.utime(article, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))  # same size, later mtime
    changed()
    (tree / ".events.yaml.part").write_text("events: [1]\n", encoding="utf-8")
    changed()
    os.replace(tree / ".events.yaml.part", tree / "events.yaml")  # an atomic save
    changed()
    (tree / "articles" / "a1.md").unlink()
    changed()
    (tree / "briefings").mkdir()
    assert _same(tree) in seen  # a folder alone is no data
    (tree / "briefings" / "b.yaml").write_text("slides: []\n", encoding="utf-8")  # in a folder made since the walk
    changed()
    (tree / "briefings" / "b.yaml").rename(tree / "b.yaml")
    changed()
    (tree / "articles").rename(tree.parent / "elsewhere")
    changed()


def test_a_write_by_another_process_shows_at_once(tree: Path) -> None:
    before = _same(tree)
    script = "import sys, pathlib; pathlib.Path(sys.argv[1]).write_text('article 2, edited\\n')"
    subprocess.run([sys.executable, "-c", script, str(tree / "articles" / "a2.md")], check=True)
    assert _same(tree) != before


def test_a_folder_replaced_at_its_path_is_walked_again(tree: Path) -> None:
    before = _same(tree)
    tree.rename(tree.parent / "old")
    tree.mkdir()
    (tree / "events.yaml").write_text("events: []\n", encoding="utf-8")
    assert _same(tree) != before
    (tree.parent / "old").rename(tree.parent / "older")  # the old folder's own events are not this one's
    (tree.parent / "older" / "events.yaml").write_text("no\n", encoding="utf-8")
    assert _same(tree) == folder_fingerprint(tree)
    assert not tree.parent.joinpath("missing").exists()
    assert watched_fingerprint(tree.parent / "missing") == ""


def test_linked_and_hard_linked_files_are_walked_every_time(tree: Path, tmp_path: Path, walks: list[Path]) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("linked\n", encoding="utf-8")
    (tree / "articles" / "linked.md").symlink_to(outside)
    before = _same(tree)
    outside.write_text("linked, edited\n", encoding="utf-8")  # no event in the watched folders
    assert _same(tree) != before

    (tree / "articles" / "linked.md").unlink()
    other = tmp_path / "other.md"
    os.link(tree / "articles" / "a3.md", other)
    before = _same(tree)
    other.write_text("written through the other name\n", encoding="utf-8")
    walks.clear()
    assert _same(tree) != before
    assert len(walks) == 2  # the watched one and the test's own: no trust in the watches


def test_many_folders_keep_few_watches_and_stay_right(tmp_path: Path) -> None:
    folders = []
    for n in range(fingerprint.WATCHED_FOLDERS * 2):
        folder = tmp_path / f"d{n}"
        folder.mkdir()
        (folder / "events.yaml").write_text(f"{n}\n", encoding="utf-8")
        folders.append(folder)
    for _ in range(2):
        for folder in folders:
            before = _same(folder)
            (folder / "events.yaml").write_text("changed\n" + before, encoding="utf-8")
            assert _same(folder) != before
    assert 0 < fingerprint.open_watches() <= fingerprint.WATCHED_FOLDERS


def test_without_inotify_every_call_walks(tree: Path, walks: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> None:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(fingerprint, "INotify", refused)
    fingerprint.forget_watches()
    before = _same(tree)
    (tree / "articles" / "a4.md").write_text("edited\n", encoding="utf-8")
    walks.clear()
    assert _same(tree) != before
    assert len(walks) == 2


def test_threads_see_one_version(tree: Path) -> None:
    _same(tree)
    (tree / "events.yaml").write_text("events: [2]\n", encoding="utf-8")
    expected = folder_fingerprint(tree)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.extend(watched_fingerprint(tree) for _ in range(20)))
               for _ in range(4)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results) == {expected}


def test_the_file_system_is_the_deepest_mount_holding_the_folder() -> None:
    kind = fingerprint.file_system_type
    assert kind(Path("/srv/data/events.yaml"), MOUNTINFO) == "nfs4"
    assert kind(Path("/srv/data"), MOUNTINFO) == "nfs4"
    assert kind(Path("/srv/data/local/x"), MOUNTINFO) == "tmpfs"
    assert kind(Path("/srv/database"), MOUNTINFO) == "ext4"  # a name that only starts like a mount point
    assert kind(Path("/srv/with space/data"), MOUNTINFO) == "xfs"
    assert kind(Path("/home/analyst/data"), MOUNTINFO) == "ext4"


def test_a_folder_on_a_shared_file_system_is_walked_every_time(
    tree: Path, walks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On NFS another machine's writes raise no inotify event here: the version must come from the files."""
    asked: list[Path] = []
    monkeypatch.setattr(fingerprint, "file_system_type", lambda folder, mountinfo=None: asked.append(folder) or "nfs4")
    fingerprint.forget_watches()
    before = _same(tree)
    walks.clear()
    assert _same(tree) == before
    assert len(walks) == 2
    assert fingerprint.open_watches() == 0
    assert len(asked) == 1  # the mount table is read once, not on every rerun, while the tree does not change
    (tree / "events.yaml").write_text("events: [3]\n", encoding="utf-8")
    assert _same(tree) != before
    assert _same(tree) == folder_fingerprint(tree)  # a change: watching is tried again, and refused again
    assert fingerprint.open_watches() == 0
