"""lib/ui.py's Streamlit glue that can be tested without running a page."""

from __future__ import annotations

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage, MediaFileStorageError

from lib import ui


def _made_then_swept(monkeypatch: pytest.MonkeyPatch, grace: float) -> MemoryMediaFileStorage:
    """A deferred download made, then two other sessions' reruns sweeping orphaned files."""
    monkeypatch.setattr(ui, "DOWNLOAD_GRACE_SECONDS", grace)
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    placeholder = manager.add_deferred(lambda: b"a,b\n1,2\n", "text/csv", "coords", "events.csv")
    url = manager.execute_deferred(placeholder)
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    return storage, url.rsplit("/", 1)[-1].split(".")[0]


def test_a_deferred_download_outlives_other_sessions_reruns(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ui.keep_deferred_downloads() is True
    storage, file_id = _made_then_swept(monkeypatch, grace=120)
    assert storage.get_file(file_id).content == b"a,b\n1,2\n"


def test_after_the_grace_period_the_download_is_swept_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ui.keep_deferred_downloads() is True
    storage, file_id = _made_then_swept(monkeypatch, grace=0)
    with pytest.raises(MediaFileStorageError):
        storage.get_file(file_id)
