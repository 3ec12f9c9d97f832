#!/usr/bin/env bash
# Serve the dashboard to a team: Debian's nginx (installed with apt-get if missing) authenticates each user
# (auth_basic, an htpasswd file) and spreads sessions over N Streamlit replicas sharing one data folder,
# sticky per browser, websockets proxied. The app trusts the user nginx passes (X-Remote-User) and the roles
# in <data folder>/team.yaml. Nothing outside the run folder is written (no system nginx config is touched).
#
#   scripts/serve.sh [--replicas N] [--port P] [--htpasswd FILE] [--run-dir DIR]
#   scripts/serve.sh adduser NAME [--htpasswd FILE]     add or change a user's password (asks for it)
#
# Defaults: 2 replicas, nginx on 127.0.0.1:8080 (set SERVE_LISTEN=0.0.0.0:8080 to open it to the network,
# behind TLS: README "Running it for a team"), replicas on the ports after it (127.0.0.1 only),
# htpasswd at .streamlit/htpasswd, the data folder $DASHBOARD_DATA_DIR or data/. Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
replicas=2; port=8080; htpasswd=.streamlit/htpasswd; run_dir=""; adduser=""
while [ $# -gt 0 ]; do
  case "$1" in
    adduser) adduser="$2"; shift 2 ;;
    --replicas) replicas="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --htpasswd) htpasswd="$2"; shift 2 ;;
    --run-dir) run_dir="$2"; shift 2 ;;
    *) echo "serve.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ -n "$adduser" ]; then
  read -r -s -p "Password for $adduser: " password; echo
  mkdir -p "$(dirname "$htpasswd")"; touch "$htpasswd"; chmod 600 "$htpasswd"
  grep -v "^$adduser:" "$htpasswd" > "$htpasswd.new" || true
  printf '%s:%s\n' "$adduser" "$(printf '%s' "$password" | openssl passwd -apr1 -stdin)" >> "$htpasswd.new"
  mv "$htpasswd.new" "$htpasswd"
  echo "serve.sh: $adduser is in $htpasswd; give them roles in the data folder's team.yaml" >&2
  exit 0
fi

bash scripts/setup.sh --browser
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "serve.sh: installing Debian's nginx" >&2
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nginx-light >/dev/null 2>&1 \
    || DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nginx >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

data="$(.venv/bin/python -c 'from lib.paths import data_dir; print(data_dir())')"
if [ ! -f "$data/team.yaml" ]; then
  echo "serve.sh: $data/team.yaml is missing: list who may view, curate and review (README 'Running it for a team')" >&2
  exit 1
fi
if [ ! -s "$htpasswd" ]; then
  echo "serve.sh: no users in $htpasswd: add one with scripts/serve.sh adduser NAME" >&2
  exit 1
fi
.venv/bin/python -m lib.validate "$data" >/dev/null || echo "serve.sh: the data folder has problems (python -m lib.validate)" >&2

# The cookie secret (XSRF and session cookies) from a file, the same for every replica, not Streamlit's default.
secret_file=${DASHBOARD_SECRET_FILE:-.streamlit/cookie_secret}
if [ ! -s "$secret_file" ]; then
  mkdir -p "$(dirname "$secret_file")"; (umask 077; openssl rand -hex 32 > "$secret_file")
fi
export STREAMLIT_SERVER_COOKIE_SECRET="$(cat "$secret_file")"
export DASHBOARD_AUTH=proxy DASHBOARD_CURATE=1

run_dir=${run_dir:-$(mktemp -d -t dashboard-serve.XXXXXX)}
mkdir -p "$run_dir"
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

servers=""
for i in $(seq 1 "$replicas"); do
  p=$((port + i))
  .venv/bin/streamlit run dashboard.py --server.address 127.0.0.1 --server.port "$p" --server.headless true \
    >"$run_dir/replica-$i.log" 2>&1 &
  pids+=($!)
  servers+="        server 127.0.0.1:$p max_fails=0;"$'\n'
done
listen=${SERVE_LISTEN:-127.0.0.1:$port}
htpasswd_abs="$(cd "$(dirname "$htpasswd")" && pwd)/$(basename "$htpasswd")"
SERVERS="$servers" .venv/bin/python - "$run_dir" "$listen" "$htpasswd_abs" <<'PY'
import os, sys
from pathlib import Path
run, listen, htpasswd = sys.argv[1:4]
text = Path("scripts/nginx.conf.template").read_text()
for key, value in {"RUN": run, "LISTEN": listen, "HTPASSWD": htpasswd, "SERVERS": os.environ["SERVERS"].rstrip()}.items():
    text = text.replace(f"@{key}@", value)
Path(run, "nginx.conf").write_text(text)
PY
user_line=""; [ "$(id -u)" -eq 0 ] && user_line="user root;"
"$NGINX" -p "$run_dir" -c "$run_dir/nginx.conf" -g "daemon off; $user_line" &
pids+=($!)
for i in $(seq 1 "$replicas"); do
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$((port + i))/_stcore/health" >/dev/null 2>&1 && break; sleep 0.5
  done
done
echo "serve.sh: http://$listen/ → $replicas replicas (logs and nginx.conf in $run_dir); data folder $data" >&2
wait -n "${pids[@]}"
