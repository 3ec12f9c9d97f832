#!/usr/bin/env bash
# Set up the project on a fresh Debian/Ubuntu machine: a virtualenv with the pinned packages and,
# with --browser, Debian's Chromium (for chart export and the browser tests).
# Usage: scripts/setup.sh [--dev] [--browser]
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0; browser=0
for arg in "$@"; do
  case "$arg" in
    --dev) dev=1 ;;
    --browser) browser=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup.sh: Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "setup.sh: installing python3-venv" >&2
  apt_install python3-venv
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
requirements=requirements.txt
[ "$dev" -eq 1 ] && requirements=requirements-dev.txt
stamp=".venv/.installed-$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)-$dev"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  touch "$stamp"
fi

if [ "$browser" -eq 1 ] && ! command -v chromium >/dev/null 2>&1; then
  echo "setup.sh: installing Debian's chromium (chart export and browser tests)" >&2
  apt_install chromium fonts-dejavu-core
fi

if [ "$dev" -eq 1 ] && ! command -v soffice >/dev/null 2>&1; then
  echo "setup.sh: installing LibreOffice Impress (the tests open the PowerPoint export with a real client)" >&2
  apt_install libreoffice-impress
fi
