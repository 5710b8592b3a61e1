"""Instructions a request costs the Python process: a figure that does not move
with the machine's load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ascn_bench \\
        .venv/bin/python bench/instructions.py /cities/ /cities/jakarta/

On this shared machine the same page's median time moves by half from one minute
to the next (other work, and the hypervisor taking the CPU: `top` shows it as
"st"), so a change of a few milliseconds cannot be told from noise by timing.
Valgrind's callgrind counts the instructions the process runs instead: the same
code, data and requests give the same count within a few per cent, whatever else
runs. It does not count the database server's work (a separate process): read the
SQL time from `bench/profile_page.py`. Here a page's Python ran some 2 to 3 M
instructions a millisecond (so 30 M instructions is 10 to 15 ms).

The script runs itself under `valgrind --tool=callgrind` (Debian's `valgrind`
package, which gives `callgrind_control`) with counting off, requests each URL
twice in process (Django's test Client, page cache off, as profile_page.py), then
for each URL zeroes the counters, makes `--requests` requests and dumps the count.
It prints millions of instructions per request. Under valgrind Python runs some 50
times slower: a few URLs take a minute.

Compare two versions of the code in one run by running the script from each
checkout (a `git worktree`) against the same database.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

UNDER_VALGRIND = "ASCN_INSTRUCTIONS_CHILD"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+", help="paths such as /cities/")
    parser.add_argument("--requests", type=int, default=5, help="per URL (5)")
    return parser.parse_args()


def measure(args):
    """In the valgrind child: warm up, then count each URL's requests apart."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascn_portal.settings")
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("WHITENOISE_USE_FINDERS", "true")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.test import Client

    client = Client()
    pid = str(os.getpid())

    def control(*options):
        subprocess.run(
            ["callgrind_control", *options, pid], check=True, stdout=subprocess.DEVNULL
        )

    def fetch(url):
        response = client.get(url)
        if response.streaming:
            for _ in response.streaming_content:
                pass
        return response.status_code

    for url in args.urls:
        for _ in range(2):  # fills what is kept until the next edit
            status = fetch(url)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
    control("--instr=on")
    for index, url in enumerate(args.urls):
        control("--zero")
        for _ in range(args.requests):
            fetch(url)
        control(f"--dump=url{index}")


def dumped_counts(directory, count):
    """{url index: instructions} from the dumps named url<index>."""
    found = {}
    for path in Path(directory).iterdir():
        text = path.read_text(errors="replace")
        trigger = next(
            (line for line in text.splitlines() if line.startswith("desc: Trigger:")),
            "",
        )
        name = trigger.rsplit(" ", 1)[-1]
        if name.startswith("url") and name[3:].isdigit():
            summary = next(
                line for line in text.splitlines() if line.startswith("summary:")
            )
            found[int(name[3:])] = int(summary.split()[1])
    missing = set(range(count)) - set(found)
    if missing:
        raise SystemExit(f"no count for URL(s) {sorted(missing)}")
    return found


def main():
    args = parse_args()
    if os.environ.get(UNDER_VALGRIND):
        measure(args)
        return
    for tool in ("valgrind", "callgrind_control"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install -y valgrind")
    with tempfile.TemporaryDirectory(prefix="ascn-instructions-") as directory:
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={directory}/callgrind.%p",
            sys.executable,
            __file__,
            f"--requests={args.requests}",
            *args.urls,
        ]
        result = subprocess.run(
            command,
            env={**os.environ, UNDER_VALGRIND: "1"},
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            sys.stderr.write(result.stderr[-4000:])
            raise SystemExit(f"valgrind run failed (exit {result.returncode})")
        counts = dumped_counts(directory, len(args.urls))
    width = max(len(url) for url in args.urls)
    print(f"{'page':<{width}}  M instructions a request")
    for index, url in enumerate(args.urls):
        per_request = counts[index] / args.requests / 1e6
        print(f"{url:<{width}}  {per_request:.1f}")


if __name__ == "__main__":
    main()
