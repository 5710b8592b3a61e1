"""Queries per request, for bench.py: requests each URL with Django's test Client
against the database in DATABASE_URL and counts the queries with
CaptureQueriesContext. Prints JSON: {url: {"queries": n, "status": code}}.

    python bench/queries.py /cities/ /healthz
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascn_portal.settings")
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")  # count the queries of a render

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def count_queries(urls):
    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for url in urls:
        client.get(url)  # the first request fills per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts[url] = {"queries": len(captured), "status": response.status_code}
    return counts


if __name__ == "__main__":
    print(json.dumps(count_queries(sys.argv[1:])))
