"""Load test: the production stack under concurrent clients, on loopback only.

    .venv/bin/python bench/load.py [--clients 64] [--duration 60] [--workers 2]

Creates a fresh PostgreSQL database, loads the real fixtures, collects static
files and serves the portal with gunicorn in production-like settings (DEBUG off,
page cache in the local Redis), then drives the main pages with `wrk` for a fixed
time, rotating through the URLs below. Prints requests served, errors (socket
errors, timeouts and any non-2xx/3xx answer) and latency percentiles. Stops by
itself; gunicorn is stopped and the database dropped on exit.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PATHS = [
    "/",
    "/cities/",
    "/cities/?member_state=thailand&size=small&goal=quality-environment",
    "/cities/jakarta/",
    "/cities/hanoi/",
    "/goals/quality-environment/",
    "/challenges/air-pollution/",
    "/initiatives/?partner=none",
    "/search/?q=water",
    "/api/v1/cities/",
    "/initiatives/export.csv",
    "/cities/export.csv",
    "/learn/?city=da-nang&challenge=flooding-climate-risk&challenge=congestion",
    "/healthz",
]
LUA = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%%d errors=%%d status_errors=%%d "
    .. "connect=%%d read=%%d write=%%d timeout=%%d seconds=%%.1f "
    .. "p50_ms=%%.1f p90_ms=%%.1f p99_ms=%%.1f max_ms=%%.1f\\n",
    summary.requests, e.connect + e.read + e.write + e.timeout + e.status, e.status,
    e.connect, e.read, e.write, e.timeout, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args, env):
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
        stdout=subprocess.DEVNULL,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    database = f"ascn_load_{os.getpid()}"
    admin_url = f"{args.pg}/postgres"
    port = free_port()
    static_root = tempfile.mkdtemp(prefix="ascn-load-static-")
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.pg}/{database}",
        "DEBUG": "false",
        "SECRET_KEY": "load-test-only-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/15"),
        "STATIC_ROOT": static_root,
    }
    subprocess.run(
        ["psql", admin_url, "-qc", f"CREATE DATABASE {database}"], check=True
    )
    server = None
    try:
        print(f"[load] database {database}: migrate, load fixtures, collectstatic")
        manage("migrate", "--noinput", env=env)
        manage("load_portal_data", env=env)
        manage("collectstatic", "--noinput", env=env)
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "ascn_portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "60",
                "--backlog",
                "2048",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        for path in PATHS:  # every URL answers before the load starts
            urllib.request.urlopen(base + path, timeout=30)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA % ", ".join(f'"{p}"' for p in PATHS))
        print(
            f"[load] wrk: {args.clients} clients, {args.duration} s, "
            f"gunicorn {args.workers} sync workers, {len(PATHS)} URLs in rotation"
        )
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{args.clients}",
                f"-d{args.duration}s",
                "--timeout",
                "30s",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=args.duration + 120,
        )
        line = next(
            (row for row in result.stdout.splitlines() if row.startswith("RESULT")), ""
        )
        if not line:
            print(result.stdout, result.stderr)
            return 1
        figures = dict(item.split("=") for item in line.split()[1:])
        rate = int(figures["requests"]) / float(figures["seconds"])
        print(
            f"requests served: {figures['requests']} in {figures['seconds']} s "
            f"({rate:.0f}/s)\n"
            f"errors: {figures['errors']} (status {figures['status_errors']}, "
            f"connect {figures['connect']}, read {figures['read']}, "
            f"write {figures['write']}, timeout {figures['timeout']})\n"
            f"latency: p50 {figures['p50_ms']} ms, p90 {figures['p90_ms']} ms, "
            f"p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms"
        )
        return 0 if figures["errors"] == "0" else 1
    finally:
        if server:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        subprocess.run(
            ["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {database}"],
            check=False,
        )


if __name__ == "__main__":
    sys.exit(main())
