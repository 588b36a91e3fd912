#!/usr/bin/env bash
# Sets up, builds and runs every test. Tests that need a display run under
# xvfb-run (registered that way in tests/CMakeLists.txt).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$@"
ctest --test-dir "${BUILD_DIR:-$root/build}" --output-on-failure -j "${JOBS:-$(nproc)}"
