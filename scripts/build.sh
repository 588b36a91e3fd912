#!/usr/bin/env bash
# Configures and builds Manifold Lens (Release) in build/ (or $BUILD_DIR).
# Extra arguments are passed to CMake's configure step.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$build" -j "${JOBS:-$(nproc)}"
