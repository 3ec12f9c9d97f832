"""Every path the project uses, anchored to this file and overridable by environment variables."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "data"
STATIC_DIR = ROOT / "static"
TOPOJSON_DIR = STATIC_DIR / "topojson"
FONTS_DIR = STATIC_DIR / "fonts"
DATA_DIR_ENV = "DASHBOARD_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: `override`, else `$DASHBOARD_DATA_DIR`, else `data/` beside `lib/`."""
    chosen = override or os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR
    return Path(chosen).expanduser().resolve()

CURATE_ENV = "DASHBOARD_CURATE"


def curation_mode() -> bool:
    """True when the app was started to curate (`$DASHBOARD_CURATE=1`, set by `scripts/start.sh --curate`):
    only then does it show the Curate page and may it write to the data folder."""
    return os.environ.get(CURATE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}
