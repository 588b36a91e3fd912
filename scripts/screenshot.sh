#!/usr/bin/env bash
# Regenerates docs/screenshot.png, the README's picture, with the app itself:
# the default preset at its default settings, Gaussian curvature on a
# symmetric log scale, drawn under Xvfb.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exe=${BUILD_DIR:-$root/build}/app/manifold-lens
[ -x "$exe" ] || { echo "screenshot: build first (scripts/build.sh)" >&2; exit 1; }
xvfb-run -a -s '-screen 0 1600x1000x24' "$exe" --window-size 1400x880 --log-scale --screenshot "$root/docs/screenshot.png" "$@"
echo "screenshot: wrote docs/screenshot.png"
