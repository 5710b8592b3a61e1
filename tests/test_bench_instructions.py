"""bench/instructions.py reads callgrind's dumps: one count per URL, by the name
each dump was given, whatever other dumps the run wrote."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location(
    "bench_instructions", ROOT / "bench" / "instructions.py"
)
instructions = importlib.util.module_from_spec(spec)
spec.loader.exec_module(instructions)


def write_dump(directory, name, trigger, total):
    (directory / name).write_text(
        "version: 1\ncreator: callgrind-3.19.0\n"
        f"desc: Trigger: {trigger}\n"
        "events: Ir\n"
        f"summary: {total}\n"
        f"totals: {total}\n"
    )


def test_counts_are_read_per_url_from_the_named_dumps(tmp_path):
    write_dump(tmp_path, "callgrind.7", "Program termination", 999)
    write_dump(tmp_path, "callgrind.7.1", "dump url0", 150_000_000)
    write_dump(tmp_path, "callgrind.7.2", "dump url1", 42)
    write_dump(tmp_path, "callgrind.7.3", "dump url10", 7)
    assert instructions.dumped_counts(tmp_path, 2) == {
        0: 150_000_000,
        1: 42,
        10: 7,
    }


def test_a_missing_dump_is_an_error_not_a_zero(tmp_path):
    write_dump(tmp_path, "callgrind.7.1", "dump url0", 5)
    with pytest.raises(SystemExit, match=r"\[1\]"):
        instructions.dumped_counts(tmp_path, 2)
