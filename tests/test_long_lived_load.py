"""`lib.ui.server.long_lived_load`: the data is loaded with the garbage collector paused, and kept out of its later
passes (issue 24 round 17: a full pass over the loaded data took about 100 ms of whatever rerun it fell on)."""

from __future__ import annotations

import gc
import threading

import pytest

from lib.ui.server import long_lived_load


@pytest.fixture(autouse=True)
def _collector_restored():
    yield
    gc.unfreeze()
    gc.enable()


def test_the_load_runs_without_the_collector_and_what_it_made_is_frozen_after() -> None:
    with long_lived_load():
        assert not gc.isenabled()
        kept = [[n] for n in range(20_000)]  # containers the collector tracks
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)
    before = gc.get_freeze_count()
    with long_lived_load():  # the next load hands back the last one's, frees its garbage, freezes what lives
        del kept
    assert gc.isenabled() and gc.get_freeze_count() < before - 10_000


def test_a_failed_load_turns_the_collector_back_on() -> None:
    with pytest.raises(ValueError), long_lived_load():
        raise ValueError("bad data")
    assert gc.isenabled()


def test_the_collector_stays_paused_until_the_last_of_two_loads_ends() -> None:
    inside, release, done = threading.Event(), threading.Event(), threading.Event()

    def other_load() -> None:
        with long_lived_load():
            inside.set()
            release.wait(10)
        done.set()

    worker = threading.Thread(target=other_load)
    worker.start()
    assert inside.wait(10)
    with long_lived_load():
        pass
    assert not gc.isenabled()  # the other load is still under way
    release.set()
    worker.join(10)
    assert done.is_set() and gc.isenabled()
