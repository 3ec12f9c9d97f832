"""Set-up done once per server process: the warm export browser, the warm gazetteer in curation mode
and the download grace patch."""

from __future__ import annotations

import functools
import gc
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st


def once_per_process(start: Callable[..., bool]) -> Callable[..., bool]:
    """`start` run by the first call in the process, whatever its arguments; every call returns that first answer.
    As st.cache_resource (one run, the others wait), without its look-up on every rerun of every page."""
    lock = threading.Lock()
    answer: list[bool] = []

    @functools.wraps(start)
    def once(*args: Any) -> bool:
        if not answer:
            with lock:
                if not answer:
                    answer.append(start(*args))
        return answer[0]

    return once


_LOADS = threading.Lock()
_loading = [0]  # loads under way: the collector is paused while any is


@contextmanager
def long_lived_load() -> Iterator[None]:
    """Load data that lives as long as its version is shown with Python's cyclic garbage collector paused, then keep
    it out of the collector's later passes (`gc.freeze`).

    A served app holds about 190,000 objects the collector tracks (the libraries' modules, classes and functions,
    about 140,000; the data's records, 13,000 for data/; the caches). In the collector's oldest generation every
    full pass walked them all: about 100 ms, in whatever rerun it fell on (bench/RESULTS.md, issue 24 round 17).
    Paused, the load is about a fifth faster (the passes it set off walked the whole heap). At the end, `gc.unfreeze`
    hands back what the last load froze, one full pass frees whatever of it is garbage now (a replaced version's
    cycles), and `gc.freeze` moves every survivor to the permanent generation: nothing frozen outlives the next
    load."""
    with _LOADS:
        _loading[0] += 1
        gc.disable()
    try:
        yield
    finally:
        with _LOADS:
            _loading[0] -= 1
            if not _loading[0]:
                gc.unfreeze()
                gc.collect()
                gc.freeze()
                gc.enable()


@once_per_process
def warm_exports() -> bool:
    """Start the export browser (kaleido) in the background once per server process, so the first
    chart download does not wait for a browser to start. Returns whether one could be started."""
    from lib.exports import export

    available, _ = export.static_export_available()
    if available:
        threading.Thread(target=export.warm_up, name="kaleido-warm-up", daemon=True).start()
    return available


@once_per_process
def warm_drafter(countries: tuple[str, ...]) -> bool:
    """In curation mode: index the gazetteer for the data's countries in the background once per server
    process, so the curator's first "Draft events" does not wait for it (about 4 s cold). Returns whether
    it started (not outside curation mode: nothing drafts there)."""
    from lib.paths import curation_mode
    from lib.reading import place_guess

    if not curation_mode():
        return False
    threading.Thread(target=place_guess.warm, args=(countries,), name="gazetteer-warm-up", daemon=True).start()
    return True


def refuse_exposed_curation() -> None:
    """In curation mode on a server listening beyond localhost without sign-in (`lib.paths.curation_exposure`,
    reading Streamlit's `server.address`): say why on every page and stop, so no page (and no write path)
    is served. scripts/start.sh refuses to start such a server in the first place."""
    from lib.paths import curation_exposure

    why = curation_exposure(st.get_option("server.address"))
    if why:
        _log_refusal(why)
        st.error(why)
        st.stop()


@st.cache_resource(show_spinner=False)
def _log_refusal(why: str) -> bool:
    import sys

    print(why, file=sys.stderr, flush=True)
    return True


DOWNLOAD_GRACE_SECONDS = 120.0


@once_per_process
def keep_downloads() -> bool:
    """Let a downloadable file outlive other sessions' reruns for `DOWNLOAD_GRACE_SECONDS`.

    Streamlit 1.67 keeps a download button's file (made on click for a callable, or at the rerun
    for bytes) only while some session's current run references it, and every finished script run
    of any session sweeps the rest: marked on the first sweep, deleted on the second. With several
    analysts on one server, two sweeps can land between the file being made and the browser
    fetching it, and the browser reports the download as cancelled (seen in bench/load_test.py).
    Here a downloadable file's metadata is stamped when it is made (under the manager's lock) and
    is not marked for deletion before it is that old. Returns whether the patch applies; on a
    Streamlit whose internals differ it does nothing.
    """
    from streamlit.runtime.media_file_manager import MediaFileKind, MediaFileMetadata

    if getattr(MediaFileMetadata, "_keeps_downloads", False):
        return True
    original_init, original_mark = MediaFileMetadata.__init__, getattr(MediaFileMetadata, "mark_for_delete", None)
    if original_mark is None or not hasattr(MediaFileMetadata, "kind"):
        return False

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self._made_at = time.monotonic()

    def mark_for_delete(self: Any) -> None:
        young = time.monotonic() - getattr(self, "_made_at", float("-inf")) < DOWNLOAD_GRACE_SECONDS
        if self.kind == MediaFileKind.DOWNLOADABLE and young:
            return
        original_mark(self)

    MediaFileMetadata.__init__ = __init__  # type: ignore[method-assign]
    MediaFileMetadata.mark_for_delete = mark_for_delete  # type: ignore[method-assign]
    MediaFileMetadata._keeps_downloads = True  # type: ignore[attr-defined]
    return True
