#!/usr/bin/env bash
# One command: install what is missing, start the local stack, ingest the sample documents,
# print the URL and login.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/cmms up "$@"
