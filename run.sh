#!/usr/bin/env bash
# Installs what is missing, builds, creates the demo project if absent and opens the workbench on it.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh
annotune_install
annotune_build
demo="demo/demo.annotune"
if [ ! -f "$demo" ]; then
  mkdir -p demo
  build/app/annotune-cli demo "$demo"
fi
exec build/app/annotune "$demo" "$@"
