"""Small factories with sensible defaults (as djangoproject.com's test factory):
each makes one saved record, and every argument can be overridden.

Each factory call is one edit, as one admin save with its links would be: the
record gets one history entry holding its links (not one per link field), and
what the edit queues for after commit (the derived tables' refresh, the page
cache's new version) runs once, when the call returns.
"""

import itertools
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

from cities.models import City, Initiative, MemberState, Partner
from framework.history import history_baseline
from framework.models import Challenge, Goal, Source

_counter = itertools.count(1)


class Commits:
    """Set by tests/conftest.py: whether after-commit work runs at once (the
    default in tests, whose transaction never commits), and whether a factory
    call is collecting it to run at its end."""

    at_once = False
    collecting = False


@contextmanager
def one_commit(using=DEFAULT_DB_ALIAS):
    """Run the after-commit work queued inside the block once, at its end (the
    work merges as in one transaction: one refresh for every link set)."""
    if not Commits.at_once or Commits.collecting:
        yield
        return
    queue = connections[using].run_on_commit
    start = len(queue)
    Commits.collecting = True
    try:
        yield
    finally:
        Commits.collecting = False
        queued = queue[start:]
        del queue[start:]
    for _, callback, _ in queued:
        callback()


def create(model, links=None, **fields):
    """A saved `model` record with its links (`{field name: records}`), and one
    history entry holding them."""
    with one_commit():
        record = model(**fields)
        record.skip_history_when_saving = True  # the entry is made below, whole
        record.save()
        del record.skip_history_when_saving
        for name, values in (links or {}).items():
            getattr(record, name).set(values)
        history_baseline(record, reason=None)
    return record


def make_member_state(**fields):
    n = next(_counter)
    defaults = {
        "slug": f"state-{n}",
        "name": f"State {n}",
        # Lower case: never one of the real (upper-case) codes in the fixtures.
        "iso2": f"{chr(97 + n % 26)}{chr(97 + n // 26 % 26)}",
        "iso3": f"{chr(97 + n % 26)}{chr(97 + n // 26 % 26)}x",
        "asean_member_since": "1967",
    }
    defaults.update(fields)
    return create(MemberState, **defaults)


def make_goal(**fields):
    n = next(_counter)
    defaults = {"slug": f"goal-{n}", "name": f"Goal {n}", "order": n}
    defaults.update(fields)
    return create(Goal, **defaults)


def make_challenge(goals=(), **fields):
    n = next(_counter)
    defaults = {"slug": f"challenge-{n}", "name": f"Challenge {n}", "kind": "urban"}
    defaults.update(fields)
    return create(Challenge, {"goals": goals}, **defaults)


def make_source(**fields):
    n = next(_counter)
    defaults = {"url": f"https://example.org/source-{n}"}
    defaults.update(fields)
    return create(Source, **defaults)


def make_city(member_state=None, goals=(), challenges=(), sources=(), **fields):
    n = next(_counter)
    defaults = {
        "slug": f"city-{n}",
        "name": f"City {n}",
        "member_state": member_state or make_member_state(),
        "cohort_year": 2018,
        "latitude": 1.0,
        "longitude": 103.0,
        "population": 100_000,
        "population_year": 2020,
        "population_scope": "city",
    }
    defaults.update(fields)
    links = {"focus_goals": goals, "challenges": challenges, "sources": sources}
    return create(City, links, **defaults)


def make_partner(**fields):
    n = next(_counter)
    defaults = {
        "slug": f"partner-{n}",
        "programme": f"Programme {n}",
        "country_or_org": f"Country {n}",
    }
    defaults.update(fields)
    return create(Partner, **defaults)


def make_initiative(
    city=None, goals=(), challenges=(), partners=(), sources=(), cities=(), **fields
):
    """An initiative of `city` (its lead city), also run by `cities`."""
    n = next(_counter)
    defaults = {
        "slug": f"initiative-{n}",
        "name": f"Initiative {n}",
        "city": city or make_city(),
        "status": Initiative.Status.ONGOING,
        "status_text": "ongoing/planning",
        "year": 2022,
    }
    defaults.update(fields)
    links = {
        "goals": goals,
        "challenges": challenges,
        "partners": partners,
        "sources": sources,
        # Saving adds the lead city; setting them all keeps it.
        "cities": [defaults["city"], *cities],
    }
    return create(Initiative, links, **defaults)
