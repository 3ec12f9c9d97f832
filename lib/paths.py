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
