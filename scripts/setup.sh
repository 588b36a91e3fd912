#!/usr/bin/env bash
# Installs the Debian 12 packages Manifold Lens builds and tests with: only the
# missing ones, so a second run installs nothing.
set -euo pipefail

packages=(
  cmake ninja-build g++
  qt6-base-dev libqt6opengl6-dev qt6-svg-dev
  libvtk9-dev libeigen3-dev nlohmann-json3-dev
  libhwy-dev libtbb-dev libbenchmark-dev
  xvfb xauth libgl1-mesa-dri
  python3 python3-mpmath imagemagick
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages are installed"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: not root and no sudo; install as root: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "setup: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
