#!/usr/bin/env bash
# Set up and start the dashboard at http://localhost:8501 (Ctrl+C stops it).
# Extra arguments go to `streamlit run`, e.g. scripts/start.sh --server.port 8600
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
exec .venv/bin/streamlit run dashboard.py "$@"
