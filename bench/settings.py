"""Settings for benchmark runs: the portal's own, with static files collected into
the directory named by BENCH_STATIC_ROOT (a temporary one), so a benchmark never
touches the project's staticfiles/."""

import os

from ascn_portal.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
