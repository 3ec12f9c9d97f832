"""Every path the project uses, anchored to this file and overridable by environment variables."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "data"
STATIC_DIR = ROOT / "static"
TOPOJSON_DIR = STATIC_DIR / "topojson"
FONTS_DIR = STATIC_DIR / "fonts"
PLOTLY_DIR = STATIC_DIR / "plotly"  # the partial plotly.js and the chart element's code (lib/ui/chart_element.py)
DATA_DIR_ENV = "DASHBOARD_DATA_DIR"
CACHE_DIR_ENV = "DASHBOARD_CACHE_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: `override`, else `$DASHBOARD_DATA_DIR`, else `data/` beside `lib/`."""
    chosen = override or os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR
    return Path(chosen).expanduser().resolve()


def cache_dir() -> Path:
    """Where derived files are kept between runs (`$DASHBOARD_CACHE_DIR`, else `.cache/` beside `lib/`). Each is
    named by a digest of the file it is derived from, so it is never a second source of truth: a changed source
    gets a new cache file, and a missing or unreadable one is rebuilt."""
    return Path(os.environ.get(CACHE_DIR_ENV) or ROOT / ".cache").expanduser().resolve()


CURATE_ENV = "DASHBOARD_CURATE"
AUTH_ENV = "DASHBOARD_AUTH"
AUTH_VALUES = ("oidc", "proxy")


def curation_mode() -> bool:
    """True when the app was started to curate (`$DASHBOARD_CURATE=1`, set by `scripts/start.sh --curate`):
    only then does it show the Curate page and may it write to the data folder."""
    return os.environ.get(CURATE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def sign_in_configured() -> bool:
    """True when sign-in is set up for the server (`$DASHBOARD_AUTH` is "oidc" or "proxy")."""
    return os.environ.get(AUTH_ENV, "").strip().lower() in AUTH_VALUES


def is_local_address(address: str | None) -> bool:
    """True for an address only this machine can reach: localhost, 127.0.0.0/8 or ::1. An empty address is
    not local: Streamlit then listens on every interface."""
    import ipaddress

    text = (address or "").strip().strip("[]").lower()
    if text == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def curation_exposure(address: str | None) -> str | None:
    """Why curation mode must not run on a server listening on `address`, or None when it may: anyone who
    reaches the Curate page can change the data, so beyond this machine it needs sign-in (`$DASHBOARD_AUTH`)."""
    if not curation_mode() or is_local_address(address) or sign_in_configured():
        return None
    shown = (address or "").strip() or "every interface"
    return (f"Curation mode refused: the server listens on {shown[:60]}, beyond this machine, and sign-in is not "
            f"configured. Anyone who can reach the Curate page could change the data. Serve curation on "
            f"127.0.0.1 (the default), or set {AUTH_ENV}=oidc or {AUTH_ENV}=proxy once sign-in is in place "
            f"(see SECURITY.md).")
