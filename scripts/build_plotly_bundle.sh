#!/usr/bin/env bash
# Rebuild static/plotly/plotly-charts.min.js, the partial plotly.js the dashboard's chart element loads
# (lib/ui/chart_element.py): plotly.js's core (scatter) with bar, heatmap, choropleth and scattergeo registered
# (scripts/plotly_bundle/entry.js), bundled and minified by esbuild. Both are pinned in
# scripts/plotly_bundle/package.json and package-lock.json; the output is committed (vendored), so neither setup nor
# the app needs node: run this only to change the trace types or the versions, then commit what it writes.
# The same lock gives the same bytes (tests/test_plotly_bundle.py checks the vendored file's header and trace list).
# Usage: scripts/build_plotly_bundle.sh
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix scripts/plotly_bundle --no-audit --no-fund --silent
out=static/plotly
mkdir -p "$out"
version=$(node -p 'require("./scripts/plotly_bundle/node_modules/plotly.js/package.json").version')
scripts/plotly_bundle/node_modules/.bin/esbuild scripts/plotly_bundle/entry.js --bundle --format=esm --minify \
  --banner:js="/*! plotly.js $version (MIT), partial: core (scatter), bar, heatmap, choropleth, scattergeo. Built by scripts/build_plotly_bundle.sh */" \
  --target=es2020 --define:global=window --define:define.amd=false --loader:.css=empty --legal-comments=eof \
  --log-level=warning --outfile="$out/plotly-charts.min.js.tmp"
mv "$out/plotly-charts.min.js.tmp" "$out/plotly-charts.min.js"
cp scripts/plotly_bundle/node_modules/plotly.js/LICENSE "$out/LICENSE-plotly.js.txt"
echo "wrote $out/plotly-charts.min.js ($(wc -c < "$out/plotly-charts.min.js") bytes)"
