#!/usr/bin/env bash
# Sets everything up and starts intake_app. Arguments go to the app, e.g. --demo.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/intake-app "$@"
