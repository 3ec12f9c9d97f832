#!/usr/bin/env bash
# Set up (packages and Chromium) and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev --browser
.venv/bin/python -m lib.validate
exec .venv/bin/python -m pytest "$@"
