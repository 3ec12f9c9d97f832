"""Country outlines decoded from the shipped base map: points inside countries, and boxes around them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from lib.model import shapes


def test_a_city_lies_in_its_own_country_and_no_other() -> None:
    assert shapes.contains("AFG", 34.53, 69.17)  # Kabul
    assert not shapes.contains("TJK", 34.53, 69.17)
    assert shapes.countries_at(34.53, 69.17) == ["AFG"]


def test_a_point_at_sea_lies_in_no_country() -> None:
    assert shapes.countries_at(43.0, 34.0) == []  # the Black Sea
    assert not shapes.contains("KAZ", 43.0, 34.0)


def test_a_border_town_just_outside_the_generalised_outline_still_counts() -> None:
    # Termez sits on the Amu Darya, the Uzbek-Afghan border the 1:50m outline simplifies
    assert shapes.contains("UZB", 37.22, 67.28)
    assert not shapes.contains("KAZ", 37.22, 67.28)


def test_bounds_span_the_countries_asked_for() -> None:
    lon0, lat0, lon1, lat1 = shapes.bounds(["TJK"])
    assert 67 < lon0 < 68.5 and 75 < lon1 < 75.5 and 36.5 < lat0 < 37 and 40.5 < lat1 < 41.5
    assert shapes.bounds(["XYZ"]) is None
    assert shapes.known("KAZ") and not shapes.known("XYZ")



def test_the_decoded_outlines_are_cached_by_the_map_files_digest_and_rebuilt_when_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    topo = json.loads(shapes.OUTLINES.read_text(encoding="utf-8"))
    source = tmp_path / "map.json"
    source.write_text(json.dumps(topo), encoding="utf-8")
    fresh = shapes.decode(source.read_text(encoding="utf-8"))
    first = shapes.load_outlines.__wrapped__(source)
    (cached,) = (tmp_path / "cache").glob("outlines-map-*.npz")
    assert cached == shapes.cache_file(source, hashlib.sha256(source.read_bytes()).hexdigest())
    again = shapes.load_outlines.__wrapped__(source)  # read from the cache file this time
    for code in ("AFG", "TJK", "KAZ"):
        for ring, expected in zip(again.rings(code), fresh.rings(code), strict=True):
            np.testing.assert_array_equal(ring, expected)
        assert [len(r) for r in first.rings(code)] == [len(r) for r in fresh.rings(code)]
    # the source changes: moved one degree east, a new cache file, the new outlines
    topo["transform"]["translate"][0] += 1.0
    source.write_text(json.dumps(topo), encoding="utf-8")
    moved = shapes.load_outlines.__wrapped__(source)
    assert len(list((tmp_path / "cache").glob("outlines-map-*.npz"))) == 2
    np.testing.assert_allclose(moved.rings("TJK")[0][:, 0], fresh.rings("TJK")[0][:, 0] + 1.0)


def test_a_damaged_or_unwritable_cache_falls_back_to_decoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "map.json"
    source.write_bytes(shapes.OUTLINES.read_bytes())
    damaged = shapes.cache_file(source, hashlib.sha256(source.read_bytes()).hexdigest())
    damaged.parent.mkdir()
    damaged.write_bytes(b"not an npz")
    assert [len(r) for r in shapes.load_outlines.__wrapped__(source).rings("AFG")]
    assert shapes.load_outlines.__wrapped__(source).rings("AFG"), "rewritten, then read back"
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(source))  # a file, not a folder: nothing can be written there
    assert shapes.load_outlines.__wrapped__(source).rings("AFG")
