"""Small factories with sensible defaults (as djangoproject.com's test factory):
each makes one saved record, and every argument can be overridden."""

import itertools

from cities.models import City, Initiative, MemberState, Partner
from framework.models import Challenge, Goal, Source

_counter = itertools.count(1)


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
    return MemberState.objects.create(**defaults)


def make_goal(**fields):
    n = next(_counter)
    defaults = {"slug": f"goal-{n}", "name": f"Goal {n}", "order": n}
    defaults.update(fields)
    return Goal.objects.create(**defaults)


def make_challenge(goals=(), **fields):
    n = next(_counter)
    defaults = {"slug": f"challenge-{n}", "name": f"Challenge {n}", "kind": "urban"}
    defaults.update(fields)
    challenge = Challenge.objects.create(**defaults)
    challenge.goals.set(goals)
    return challenge


def make_source(**fields):
    n = next(_counter)
    defaults = {"url": f"https://example.org/source-{n}"}
    defaults.update(fields)
    return Source.objects.create(**defaults)


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
    city = City.objects.create(**defaults)
    city.focus_goals.set(goals)
    city.challenges.set(challenges)
    city.sources.set(sources)
    return city


def make_partner(**fields):
    n = next(_counter)
    defaults = {
        "slug": f"partner-{n}",
        "programme": f"Programme {n}",
        "country_or_org": f"Country {n}",
    }
    defaults.update(fields)
    return Partner.objects.create(**defaults)


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
    initiative = Initiative.objects.create(**defaults)
    initiative.goals.set(goals)
    initiative.challenges.set(challenges)
    initiative.partners.set(partners)
    initiative.sources.set(sources)
    initiative.cities.add(*cities)
    return initiative
