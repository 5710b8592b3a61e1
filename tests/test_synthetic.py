"""The synthetic data generator (for benchmarks only), and query counts that do not
grow with the data: the same pages cost the same queries on the real data and on
ten times as many cities."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from cities.management.commands.generate_synthetic import (
    PREFIX,
    SOURCE_URL,
    database_is_disposable,
)
from cities.models import City, Initiative, MemberState
from cities.sizes import SIZE_CLASSES
from framework.models import Source

CITIES, INITIATIVES = 60, 300
REAL_CITIES, REAL_INITIATIVES = 35, 168


def generate(**options):
    out = StringIO()
    options = {"cities": CITIES, "initiatives": INITIATIVES, "seed": 7, **options}
    call_command("generate_synthetic", stdout=out, **options)
    return out.getvalue()


def synthetic_cities():
    return City.objects.filter(slug__startswith=PREFIX)


def synthetic_initiatives():
    return Initiative.objects.filter(slug__startswith=PREFIX)


def snapshot():
    """What a run produced, independent of primary keys."""
    cities = synthetic_cities().order_by("slug")
    return [
        (
            city.slug,
            city.member_state.slug,
            city.population,
            city.latitude,
            sorted(goal.slug for goal in city.focus_goals.all()),
            sorted(source.url for source in city.sources.all()),
        )
        for city in cities.select_related("member_state").prefetch_related(
            "focus_goals", "sources"
        )
    ] + [
        (
            initiative.slug,
            initiative.city.slug,
            initiative.status,
            sorted(goal.slug for goal in initiative.goals.all()),
        )
        for initiative in synthetic_initiatives()
        .order_by("slug")
        .select_related("city")
        .prefetch_related("goals")
    ]


@pytest.fixture
def generated(real_data):
    return generate()


def test_counts_are_as_asked_and_real_records_untouched(generated):
    assert synthetic_cities().count() == CITIES
    assert synthetic_initiatives().count() == INITIATIVES
    assert City.objects.exclude(slug__startswith=PREFIX).count() == REAL_CITIES
    assert (
        Initiative.objects.exclude(slug__startswith=PREFIX).count() == REAL_INITIATIVES
    )
    assert f"{CITIES} synthetic cities" in generated


def test_progress_is_reported(generated):
    assert "cities" in generated and f"{CITIES:>9,}/{CITIES:,}" in generated
    assert f"{INITIATIVES:>9,}/{INITIATIVES:,}" in generated


def test_a_sample_passes_full_clean(generated):
    for city in synthetic_cities().order_by("slug")[::7]:
        city.full_clean()
    for initiative in synthetic_initiatives().order_by("slug")[::29]:
        initiative.full_clean()
    for source in Source.objects.filter(url__startswith=SOURCE_URL)[::5]:
        source.full_clean()


def test_every_city_is_inside_asean_and_within_the_constraints(generated):
    for city in synthetic_cities():
        assert -11 <= city.latitude <= 29 and 92 <= city.longitude <= 141
        assert 2018 < city.cohort_year <= 2025  # never one of the 2018 pilot cities
        assert city.population >= 0
        assert city.area_km2 >= 0


def test_every_city_has_goals_challenges_and_sources_in_range(generated):
    cities = synthetic_cities().annotate(
        goals=Count("focus_goals", distinct=True),
        challenge_count=Count("challenges", distinct=True),
        source_count=Count("sources", distinct=True),
        membership=Count("membership_sources", distinct=True),
    )
    for city in cities:
        assert 1 <= city.goals <= 4
        assert 0 <= city.challenge_count <= 3
        assert 1 <= city.source_count <= 3
        assert city.membership == 1
        assert city.member_state_id is not None


def test_every_initiative_has_a_city_goals_status_and_sources(generated):
    initiatives = synthetic_initiatives().annotate(
        goal_count=Count("goals", distinct=True),
        source_count=Count("sources", distinct=True),
        partner_count=Count("partners", distinct=True),
    )
    statuses = set(Initiative.Status.values)
    with_partner = 0
    for initiative in initiatives.select_related("city"):
        assert initiative.city.slug.startswith(PREFIX)
        assert 1 <= initiative.goal_count <= 2
        assert 1 <= initiative.source_count <= 2
        assert initiative.status in statuses
        assert initiative.year >= 2015
        assert bool(initiative.partner_text) == bool(initiative.partner_count)
        with_partner += bool(initiative.partner_count)
    assert 0 < with_partner < INITIATIVES


def test_all_four_size_classes_are_present(generated):
    sizes = {city.size_class.slug for city in synthetic_cities()}
    assert sizes == {size.slug for size in SIZE_CLASSES}


def test_records_are_marked_synthetic_and_slugs_unique(generated):
    cities = list(synthetic_cities().prefetch_related("sources"))
    slugs = [city.slug for city in cities]
    assert len(set(slugs)) == len(slugs)
    for city in cities:
        assert city.name.startswith("Synthetic City ")
        assert "Synthetic" in city.notes
        assert all(s.url.startswith(SOURCE_URL) for s in city.sources.all())
    for initiative in synthetic_initiatives().prefetch_related("sources"):
        assert initiative.name.startswith("Synthetic Initiative ")
        assert initiative.primary_source.url.startswith(SOURCE_URL)
        assert all(s.url.startswith(SOURCE_URL) for s in initiative.sources.all())
    assert City.objects.get(slug=f"{PREFIX}city-00042").name == "Synthetic City 00042"


def test_pages_cached_before_a_run_are_not_served_after_it(client, real_data):
    before = client.get("/cities/")
    generate(cities=4, initiatives=4)
    after = client.get("/cities/")
    assert after.content != before.content
    assert after.context["result_count"] == REAL_CITIES + 4


def test_a_second_run_is_refused(generated):
    before = snapshot()
    with pytest.raises(CommandError, match="already holds 60 synthetic cities"):
        generate()
    assert snapshot() == before


def test_replace_with_the_same_seed_gives_the_same_data(generated):
    before = snapshot()
    generate(replace=True)
    assert snapshot() == before
    assert Source.objects.filter(url__startswith=SOURCE_URL).count() == 20


def test_another_seed_gives_other_data(generated):
    before = snapshot()
    generate(replace=True, seed=8)
    after = snapshot()
    assert len(after) == len(before) and after != before


def test_refuses_a_database_not_named_for_benchmarks(real_data, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "ascn")
    with pytest.raises(CommandError, match="Refusing"):
        generate()
    assert not synthetic_cities().exists()


def test_the_flag_allows_any_database(real_data, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "ascn")
    generate(cities=4, initiatives=4, benchmark_database=True)
    assert synthetic_cities().count() == 4


@pytest.mark.parametrize(
    "engine, name, disposable",
    [
        ("django.db.backends.postgresql", "ascn", False),
        ("django.db.backends.postgresql", "ascn_bench_large", True),
        ("django.db.backends.postgresql", "Synthetic_ASCN", True),
        ("django.db.backends.postgresql", "test_ascn", True),
        ("django.db.backends.postgresql", "ascn_test", False),
        ("django.db.backends.sqlite3", "/srv/bench/db.sqlite3", False),
        ("django.db.backends.sqlite3", "/srv/ascn/bench.sqlite3", True),
        ("django.db.backends.sqlite3", "/srv/ascn/db.sqlite3", False),
        ("django.db.backends.sqlite3", "file:memorydb_default?mode=memory", True),
        ("django.db.backends.sqlite3", ":memory:", True),
    ],
)
def test_which_databases_count_as_disposable(engine, name, disposable):
    assert database_is_disposable({"ENGINE": engine, "NAME": name}) is disposable


def test_loads_the_reference_records_when_missing(db):
    output = generate(cities=5, initiatives=10)
    assert "running load_portal_data" in output
    assert MemberState.objects.filter(slug="thailand").exists()
    assert synthetic_cities().count() == 5


def test_refuses_nonsense_counts(real_data):
    with pytest.raises(CommandError, match="at least one city"):
        generate(cities=0)


# Query counts at two sizes.

# One query budget per page, the same at both data sizes. Every page but the
# profile makes exactly the same queries at any size; the profile's "learn from
# peers" asks two or three queries per goal or challenge of the city that has
# peers, so it is bounded by the number of topics, not by the number of rows.
QUERY_BUDGETS = {
    "/": 14,
    "/cities/": 13,
    "/cities/?member_state=thailand&goal=quality-environment&size=small": 23,
    "/cities/jakarta/": 36,
    "/initiatives/": 18,
    "/search/?q=water": 15,
    "/api/v1/cities/": 7,
    "/api/v1/initiatives/": 8,
    # A topic page reads its initiatives one status at a time until it has 50
    # (at most one query per status), then their cities at once.
    "/goals/quality-environment/": 15,
    "/challenges/flooding-climate-risk/": 15,
}
PAGES = list(QUERY_BUDGETS)
BOUNDED_ONLY = {
    "/cities/jakarta/",
    "/goals/quality-environment/",
    "/challenges/flooding-climate-risk/",
}
EXACT = [url for url in PAGES if url not in BOUNDED_ONLY]


def query_counts(client):
    counts = {}
    for url in PAGES:
        client.get(url)  # the first request may fill per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(captured)
    return counts


def test_queries_per_page_do_not_grow_with_ten_times_the_cities(
    client, real_data, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # count what a render costs, not a cache hit
    real = query_counts(client)
    generate(cities=350, initiatives=1700, seed=3)
    assert City.objects.count() == REAL_CITIES + 350
    large = query_counts(client)
    over = {
        url: (real[url], large[url], budget)
        for url, budget in QUERY_BUDGETS.items()
        if max(real[url], large[url]) > budget
    }
    assert not over, f"over budget (real, 10x, budget): {over}"
    changed = {url: (real[url], large[url]) for url in EXACT if real[url] != large[url]}
    assert not changed, f"queries (real data, 10x cities) differ: {changed}"
