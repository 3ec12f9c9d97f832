#!/usr/bin/env bash
# Set up the project on a fresh Debian/Ubuntu machine: a virtualenv with the pinned packages and,
# with --browser, Debian's Chromium (for chart export and the browser tests). Always: the Noto fonts
# the PDF pack falls back to for scripts outside DejaVu (CJK and others; lib/exports/pdf_fonts.py). With --dev and
# npm: axe-core for the accessibility browser test (tests/axe/, pinned in its package-lock.json).
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

# The drafter's syntactic parser (lib/reading/syntax.py): CMU's Link Grammar and its English dictionary, from
# Debian (PyPI has no official build). Only its `linkgrammar` package is linked into the virtualenv (no
# --system-site-packages). Where it cannot be installed the drafter reads sentences by its rules alone.
if [ ! -d /usr/lib/python3/dist-packages/linkgrammar ] || [ ! -f /usr/share/link-grammar/en/4.0.dict ]; then
  echo "setup.sh: installing Debian's link-grammar parser and its English dictionary (the drafter reads sentences with it)" >&2
  apt_install python3-link-grammar link-grammar-dictionaries-en \
    || echo "setup.sh: link-grammar could not be installed: the drafter will read sentences by its rules alone" >&2
fi
if [ -d /usr/lib/python3/dist-packages/linkgrammar ]; then
  site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  [ -e "$site/linkgrammar" ] || ln -s /usr/lib/python3/dist-packages/linkgrammar "$site/linkgrammar"
  if ! .venv/bin/python -c 'import linkgrammar' 2>/dev/null; then
    echo "setup.sh: Debian's link-grammar binding does not load in .venv's Python (built for Debian's python3):" \
      "the drafter will read sentences by its rules alone" >&2
  fi
fi

if [ "$browser" -eq 1 ] && ! command -v chromium >/dev/null 2>&1; then
  echo "setup.sh: installing Debian's chromium (chart export and browser tests)" >&2
  apt_install chromium fonts-dejavu-core
fi

if [ "$dev" -eq 1 ] && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "setup.sh: installing Debian's nginx (the team tests run scripts/serve.sh: nginx in front of two replicas)" >&2
  apt_install nginx-light || apt_install nginx
fi

if [ "$dev" -eq 1 ] && ! command -v soffice >/dev/null 2>&1; then
  echo "setup.sh: installing LibreOffice Impress (the tests open the PowerPoint export with a real client)" >&2
  apt_install libreoffice-impress
fi

if [ "$dev" -eq 1 ] && ! command -v pdftoppm >/dev/null 2>&1; then
  echo "setup.sh: installing poppler-utils (pdftoppm: to look at the converted deck and the PDF handout as pages)" >&2
  apt_install poppler-utils
fi

if [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || [ ! -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ]; then
  echo "setup.sh: installing Debian's Noto fonts (PDF pack: CJK and other scripts)" >&2
  apt_install fonts-noto-cjk fonts-noto-core
fi

if [ "$dev" -eq 1 ] && [ ! -f tests/axe/node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "setup.sh: installing axe-core for the accessibility browser test" >&2
    npm ci --prefix tests/axe --no-audit --no-fund --silent
  else
    echo "setup.sh: npm not found: installing it for axe-core" >&2
    apt_install npm
    npm ci --prefix tests/axe --no-audit --no-fund --silent
  fi
fi
