"""Regenerate static/topojson/central-asia/world_50m.json, the base map static exports of the region use.

`python scripts/crop_topojson.py`: crops static/topojson/world_50m.json to `lib.exports.export.CROP_BOX`
with `lib.exports.export.crop_topojson` (see there for why and what is kept). Run it again after replacing
the full base maps.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib.exports.export import CROP_BOX, CROPPED_TOPOJSON_DIR, crop_topojson  # noqa: E402
from lib.model.files import write_atomic  # noqa: E402
from lib.paths import TOPOJSON_DIR  # noqa: E402


def main() -> int:
    """Write the cropped world_50m.json and say how much smaller it is."""
    source = TOPOJSON_DIR / "world_50m.json"
    cropped = crop_topojson(json.loads(source.read_text(encoding="utf-8")), CROP_BOX)
    target = write_atomic(CROPPED_TOPOJSON_DIR / "world_50m.json", json.dumps(cropped, separators=(",", ":")))
    print(f"{target}: {target.stat().st_size / 1000:.0f} kB (from {source.stat().st_size / 1000:.0f} kB), "
          f"{len(cropped['arcs'])} arcs")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
