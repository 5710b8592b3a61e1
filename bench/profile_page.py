"""Where one page's time goes: total, SQL, template rendering, and the top functions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ascn_bench \\
        .venv/bin/python bench/profile_page.py /cities/ /api/v1/cities/?page_size=100
    .venv/bin/python bench/profile_page.py --repeat 20 --top 30 /cities/jakarta/

Each URL is requested in process with Django's test Client: page cache off
(PAGE_CACHE_SECONDS=0), DEBUG off, static files unhashed, the cache of the settings
(files, as gunicorn uses it, unless CACHE_URL says otherwise). The first request
fills what is kept until the next edit (facet counts, peers) and is left out; then
`--repeat` requests are timed:

- total: wall time of the request, median;
- SQL: time inside the database cursor (a connection execute wrapper), median;
- templates: time inside the outermost `Template.render` less the SQL run from
  there (lazy querysets), median; and per template (the page and each
  `{% include %}`, once per loop pass) its renders and time in the last request;
- the functions with the most own time and the most cumulative time, over as many
  further requests, from cProfile (which slows Python roughly twofold: read the
  shares, not the milliseconds).
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascn_portal.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"
os.environ.setdefault("DEBUG", "false")
# No collectstatic needed: static/ as is, unhashed (the manifest lookup is a dict get).
os.environ.setdefault("WHITENOISE_USE_FINDERS", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.template import base as template_base  # noqa: E402
from django.test import Client  # noqa: E402


class Timers:
    """SQL and template time of the current request, and each template's renders."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.sql = 0.0
        self.sql_in_templates = 0.0
        self.queries = 0
        self.templates = 0.0
        self.depth = 0
        # {template name: [renders, seconds including what it includes]}
        self.by_template = {}

    def sql_wrapper(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.sql += elapsed
            if self.depth:
                self.sql_in_templates += elapsed
            self.queries += 1

    def wrap_template_render(self):
        """Time every Template.render: the page and each `{% include %}` (the
        templates a page extends render inside the page's own call)."""
        original = template_base.Template.render
        timers = self

        def render(template, context):
            timers.depth += 1
            started = time.perf_counter()
            try:
                return original(template, context)
            finally:
                elapsed = time.perf_counter() - started
                timers.depth -= 1
                if not timers.depth:
                    timers.templates += elapsed
                entry = timers.by_template.setdefault(template.name, [0, 0.0])
                entry[0] += 1
                entry[1] += elapsed

        template_base.Template.render = render


def fetch(client, url):
    """One request, read to the end (a streamed export writes as it is read)."""
    response = client.get(url)
    if response.streaming:
        for _ in response.streaming_content:
            pass
    return response


def profile_url(client, timers, url, repeat, top):
    response = fetch(client, url)  # fills the caches kept until the next edit
    status = response.status_code
    totals, sqls, templates, others = [], [], [], []
    for _ in range(repeat):
        timers.reset()
        started = time.perf_counter()
        fetch(client, url)
        totals.append(time.perf_counter() - started)
        sqls.append(timers.sql)
        # Queries a template runs (a lazy queryset) count as SQL, not template.
        templates.append(timers.templates - timers.sql_in_templates)
        others.append(totals[-1] - timers.sql - templates[-1])
    queries = timers.queries
    by_template = {name: tuple(entry) for name, entry in timers.by_template.items()}
    profiler = cProfile.Profile()
    for _ in range(repeat):
        profiler.runcall(fetch, client, url)

    total = statistics.median(totals) * 1000
    sql = statistics.median(sqls) * 1000
    template = statistics.median(templates) * 1000
    other = statistics.median(others) * 1000
    renders = sum(count for count, _ in by_template.values())
    print(f"== {url} (HTTP {status}, {repeat} requests)")
    print(
        f"total {total:.1f} ms (min {min(totals) * 1000:.1f}) | "
        f"SQL {sql:.1f} ms ({sql / total:.0%}, {queries} queries) | "
        f"templates {template:.1f} ms ({template / total:.0%}, {renders} renders) | "
        f"other Python {other:.1f} ms"
    )
    print("-- templates of the last request: renders, ms including their includes")
    for name, (count, seconds) in sorted(
        by_template.items(), key=lambda item: -item[1][1]
    ):
        print(f"   {count:5d} {seconds * 1000:7.2f}  {name}")
    for sort in ("tottime", "cumulative") if top else ():
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(sort).print_stats(top)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"-- top {top} by {sort} (cProfile, {repeat} requests)")
        print("\n".join(line for line in lines[start:] if line.strip()))
    print()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)
    timers = Timers()
    timers.wrap_template_render()
    client = Client(HTTP_HOST="127.0.0.1")
    with connection.execute_wrapper(timers.sql_wrapper):
        for url in args.urls:
            profile_url(client, timers, url, args.repeat, args.top)


if __name__ == "__main__":
    main()
