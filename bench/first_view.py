"""First view after an edit: how long a page takes when every value kept "until the
next edit" (peer rankings, facet counts, similar cities) has just gone stale.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ascn_bench
    export DEBUG=false SECRET_KEY=bench-only-... ALLOWED_HOSTS=127.0.0.1
    python manage.py clear_portal_cache
    python bench/first_view.py --runs 7

For each run and each page: save one initiative (as an editor would: its signals
and history run, the content version changes on commit), then time one GET of the
page in process with Django's test Client, page cache off. Each page is timed
right after its own edit, so no page profits from what another page computed.
Prints the median and the worst run per page, and the cost of the edit itself
(the save and its on-commit work). The machine's load average is printed too:
other work on it slows every figure, so compare ratios within one run.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascn_portal.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"  # time the render, not the page cache

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from cities.models import City, Initiative  # noqa: E402
from framework.models import Challenge, Goal  # noqa: E402


def pages():
    """A profile, a challenge page, a goal page and the two facet lists, by the
    records with the most links (the costliest of their kind)."""
    city = City.objects.get(slug="jakarta")
    challenge = Challenge.objects.get(slug="flooding-climate-risk")
    goal = Goal.objects.get(slug="quality-environment")
    return [
        city.get_absolute_url(),
        challenge.get_absolute_url(),
        goal.get_absolute_url(),
        "/initiatives/",
        "/cities/",
    ]


def edit(initiative):
    """Save one initiative as the admin does (in a transaction, on-commit work
    included); returns the milliseconds it took."""
    started = time.perf_counter()
    with transaction.atomic():
        initiative.save()
    return (time.perf_counter() - started) * 1000


# Plain static storage: no collectstatic needed (the manifest's lookups are
# not what this measures).
PLAIN_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@override_settings(STORAGES=PLAIN_STATIC)
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    client = Client(HTTP_HOST="127.0.0.1")
    urls = pages()
    initiative = Initiative.objects.filter(cities__slug="jakarta").first()
    for url in urls:  # warm the process: imports, templates, connections
        client.get(url)
    timings = {url: [] for url in urls}
    edits = []
    for _ in range(args.runs):
        for url in urls:
            edits.append(edit(initiative))
            started = time.perf_counter()
            response = client.get(url)
            timings[url].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"cities: {City.objects.count()}, initiatives: {Initiative.objects.count()}")
    print(f"{'page':40} | first view after edit p50 ms | max ms")
    for url in urls:
        values = timings[url]
        print(f"{url:40} | {statistics.median(values):28.1f} | {max(values):6.1f}")
    edit_p50, edit_max = statistics.median(edits), max(edits)
    print(f"{'(the edit itself)':40} | {edit_p50:28.1f} | {edit_max:6.1f}")


if __name__ == "__main__":
    main()
