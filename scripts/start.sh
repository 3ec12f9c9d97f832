#!/usr/bin/env bash
# Set up and start the dashboard at http://localhost:8501 (Ctrl+C stops it).
#   scripts/start.sh --curate   curation mode: adds the Curate page, the only way the app writes to the
#                               data folder (see SECURITY.md); still on 127.0.0.1 only.
# Other arguments go to `streamlit run`, e.g. scripts/start.sh --server.port 8600
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
for arg in "$@"; do
  if [[ "$arg" == "--curate" ]]; then
    export DASHBOARD_CURATE=1
  else
    args+=("$arg")
  fi
done
bash scripts/setup.sh --browser
if [[ "${DASHBOARD_CURATE:-}" == "1" ]]; then
  echo "Curation mode: the Curate page can write to ${DASHBOARD_DATA_DIR:-data/}." >&2
fi
exec .venv/bin/streamlit run dashboard.py "${args[@]}"
