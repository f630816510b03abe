#!/usr/bin/env bash
# One command: install what is missing, start the real services the tests need (Elasticsearch,
# Redis, PostgreSQL), run the linters and the whole test suite, stop what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "==> lint"
.venv/bin/ruff check .
.venv/bin/mypy

echo "==> services"
.venv/bin/python -m stack.testservices up
trap '.venv/bin/python -m stack.testservices down' EXIT

echo "==> tests"
export OMP_THREAD_LIMIT=1
.venv/bin/pytest "$@"
