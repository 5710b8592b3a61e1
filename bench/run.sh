#!/usr/bin/env bash
# Benchmark the portal on loopback: bench/bench.py does the work (see its docstring
# and bench/README.md). This wrapper installs wrk if it is missing and runs the
# benchmark with the project's virtualenv. bench.py stops gunicorn and drops the
# databases it made on exit, Ctrl-C and SIGTERM alike.
#
#   bench/run.sh --smoke --sqlite-only   # seconds; no PostgreSQL needed
#   bench/run.sh --duration 5            # the full run
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        echo "[bench] installing wrk (Debian package)" >&2
        apt-get install -y wrk >/dev/null 2>&1 ||
            { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    else
        echo "[bench] wrk is missing: sudo apt-get install -y wrk" >&2
        exit 1
    fi
fi

PYTHON="${PYTHON:-.venv/bin/python}"
exec "$PYTHON" bench/bench.py "$@"
