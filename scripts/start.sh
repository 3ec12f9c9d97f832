#!/usr/bin/env bash
# Set up and start the dashboard at http://localhost:8501 (Ctrl+C stops it).
#   scripts/start.sh --curate   curation mode: adds the Curate page, the only way the app writes to the
#                               data folder (see SECURITY.md); on 127.0.0.1 only: it refuses an address
#                               beyond this machine unless sign-in is configured (DASHBOARD_AUTH=oidc|proxy).
# Other arguments go to `streamlit run`, e.g. scripts/start.sh --server.port 8600
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
address="${STREAMLIT_SERVER_ADDRESS:-127.0.0.1}"  # .streamlit/config.toml binds to 127.0.0.1
next_is_address=0
for arg in "$@"; do
  if [[ "$arg" == "--curate" ]]; then
    export DASHBOARD_CURATE=1
    continue
  fi
  if (( next_is_address )); then address="$arg"; next_is_address=0; fi
  case "$arg" in
    --server.address) next_is_address=1 ;;
    --server.address=*) address="${arg#--server.address=}" ;;
  esac
  args+=("$arg")
done
if [[ "${DASHBOARD_CURATE:-}" =~ ^(1|true|yes|on)$ ]]; then
  auth="$(printf '%s' "${DASHBOARD_AUTH:-}" | tr '[:upper:]' '[:lower:]')"
  case "$address" in
    localhost|127.*|::1|"[::1]") ;;
    *)
      if [[ "$auth" != "oidc" && "$auth" != "proxy" ]]; then
        echo "Curation mode refused: --server.address '${address:-every interface}' is beyond this machine and sign-in" \
             "is not configured. Anyone who could reach the Curate page could change the data. Serve curation on" \
             "127.0.0.1 (the default), or set DASHBOARD_AUTH=oidc or DASHBOARD_AUTH=proxy once sign-in is in place" \
             "(see SECURITY.md)." >&2
        exit 2
      fi ;;
  esac
fi
bash scripts/setup.sh --browser
if [[ "${DASHBOARD_CURATE:-}" == "1" ]]; then
  echo "Curation mode: the Curate page can write to ${DASHBOARD_DATA_DIR:-data/}." >&2
fi
exec .venv/bin/streamlit run dashboard.py "${args[@]}"
