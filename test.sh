#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole CTest suite headless (benchmarks included).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh
annotune_install
annotune_build
export QT_QPA_PLATFORM=offscreen
cd build
ctest --output-on-failure --timeout 900 "$@"
