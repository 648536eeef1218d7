#!/usr/bin/env bash
# Sets everything up and runs the whole check: lint, types, layer contracts, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
echo "== ruff";          .venv/bin/ruff check .
echo "== mypy";          .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
echo "== pytest"
# Tests run in random order (pytest-randomly); `./scripts/test.sh --randomly-seed=N` repeats one.
.venv/bin/python -m pytest "$@"
