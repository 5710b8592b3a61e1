"""The benchmark (bench/run.sh) runs end to end in smoke mode: SQLite, real data,
1 s per URL, and prints its table with the /healthz floor."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def missing_tools():
    missing = [] if shutil.which("wrk") else ["wrk (apt-get install -y wrk)"]
    gunicorn = subprocess.run(
        [sys.executable, "-c", "import gunicorn"], capture_output=True
    )
    if gunicorn.returncode != 0:
        missing.append("gunicorn (pip install -r requirements.txt)")
    return missing


@pytest.mark.runs_first
def test_smoke_run_prints_the_table_with_a_healthz_row():
    missing = missing_tools()
    if missing and not os.environ.get("CI"):
        pytest.skip("benchmark tools missing: " + ", ".join(missing))
    # In CI nothing is skipped: bench/run.sh installs wrk if it is missing.
    result = subprocess.run(
        ["bash", "bench/run.sh", "--smoke", "--sqlite-only"],
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    lines = result.stdout.splitlines()
    header = [cell.strip() for cell in lines[0].split("|")]
    assert header[:3] == ["database", "dataset", "page"]
    rows = [
        dict(zip(header, (cell.strip() for cell in line.split("|")), strict=True))
        for line in lines[2:]
        if line.count("|") == len(header) - 1
    ]
    pages = {row["page"]: row for row in rows}
    assert {row["database"] for row in rows} == {"sqlite"}
    assert {row["dataset"] for row in rows} == {"real data"}
    healthz = pages["/healthz"]
    assert float(healthz["req/s"]) > 0
    assert healthz["vs /healthz"] == "100%"
    for page in ("/", "/cities/", "/cities/jakarta/", "/api/v1/cities/"):
        assert float(pages[page]["req/s"]) > 0, page
        assert float(pages[page]["first ms"]) > 0, page
        assert int(pages[page]["queries"]) > 0, page
        assert float(pages[page]["HTML KB"]) > 0, page
    assert float(pages["/"]["CSS+JS KB"]) > 0
    assert any(line.startswith("Targets") for line in lines)
    assert any(line.startswith("Whole-page cache: off") for line in lines)
