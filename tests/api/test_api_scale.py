"""The API stays bounded as the data grows.

A goal, challenge or member state gives the number of its cities and a link to
the filtered city list, never the list itself; a partner gives its counts and a
link to its initiatives. Counts and list totals follow every edit.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cities.models import City, Initiative, MemberState
from framework.models import Challenge, Goal
from tests.conftest import (
    make_challenge,
    make_city,
    make_goal,
    make_initiative,
    make_member_state,
    make_partner,
)

pytestmark = pytest.mark.django_db

SERVER = "http://testserver"


def get(client, url):
    response = client.get(url.removeprefix(SERVER))
    assert response.status_code == 200, response.content
    return response.json()


def every_slug(client, url):
    slugs = []
    while url:
        body = get(client, url)
        slugs.extend(record["slug"] for record in body["results"])
        url = body["next"]
    return slugs


# (endpoint, city list parameter, make a record, add a city linked to it)
CASES = [
    ("goals", "goal", make_goal, lambda goal: make_city(goals=[goal])),
    (
        "challenges",
        "challenge",
        make_challenge,
        lambda challenge: make_city(challenges=[challenge]),
    ),
    (
        "member-states",
        "member_state",
        make_member_state,
        lambda state: make_city(member_state=state),
    ),
]
CASE_IDS = [path for path, *_ in CASES]


@pytest.mark.parametrize("path, parameter, make_record, add_city", CASES, ids=CASE_IDS)
def test_record_counts_its_cities_and_links_to_their_list(
    client, path, parameter, make_record, add_city
):
    record, other = make_record(), make_record()
    cities = sorted(add_city(record).slug for _ in range(3))
    add_city(other)

    detail = get(client, f"/api/v1/{path}/{record.slug}/")

    assert "cities" not in detail
    assert detail["city_count"] == 3
    assert detail["cities_url"] == (
        f"{SERVER}/api/v1/cities/?{parameter}={record.slug}"
    )
    assert get(client, detail["cities_url"])["count"] == 3
    assert sorted(every_slug(client, detail["cities_url"])) == cities

    listed = get(client, f"/api/v1/{path}/?page_size=500")["results"]
    by_slug = {item["slug"]: item for item in listed}
    assert by_slug[record.slug] == detail
    assert by_slug[other.slug]["city_count"] == 1


@pytest.mark.parametrize("path, parameter, make_record, add_city", CASES, ids=CASE_IDS)
def test_size_and_queries_do_not_grow_with_the_cities(
    client, path, parameter, make_record, add_city
):
    record = make_record()
    add_city(record)
    urls = [f"/api/v1/{path}/", f"/api/v1/{path}/{record.slug}/"]

    def measure():
        sizes, queries = [], []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200
            sizes.append(len(response.content))
            queries.append(len(captured))
        return sizes, queries

    small_sizes, small_queries = measure()
    for _ in range(60):
        add_city(record)
    large_sizes, large_queries = measure()

    assert get(client, urls[1])["city_count"] == 61
    assert large_queries == small_queries
    for small, large in zip(small_sizes, large_sizes, strict=True):
        # Only the count's digits grow ("1" to "61"), not 60 city slugs.
        assert large - small <= 1


def test_partner_counts_initiatives_and_distinct_cities(client):
    partner, idle, other = make_partner(), make_partner(), make_partner()
    city, second_city = make_city(), make_city()
    initiatives = [
        make_initiative(city=city, partners=[partner]),
        make_initiative(city=city, partners=[partner, other]),
        make_initiative(city=second_city, partners=[partner]),
    ]
    make_initiative(city=second_city, partners=[other])
    make_initiative(city=second_city)

    record = get(client, f"/api/v1/partners/{partner.slug}/")

    assert record["initiative_count"] == 3
    assert record["city_count"] == 2
    assert record["initiatives_url"] == (
        f"{SERVER}/api/v1/initiatives/?partner={partner.slug}"
    )
    assert sorted(every_slug(client, record["initiatives_url"])) == sorted(
        initiative.slug for initiative in initiatives
    )

    listed = get(client, "/api/v1/partners/")["results"]
    by_slug = {item["slug"]: item for item in listed}
    assert by_slug[partner.slug] == record
    counts = {
        slug: (item["initiative_count"], item["city_count"])
        for slug, item in by_slug.items()
    }
    assert counts[other.slug] == (2, 2)
    assert counts[idle.slug] == (0, 0)


def test_counts_and_list_totals_follow_edits(client):
    partner, goal = make_partner(), make_goal()
    make_initiative(partners=[partner], goals=[goal])
    initiatives_url = f"/api/v1/initiatives/?goal={goal.slug}"
    partner_url = f"/api/v1/partners/{partner.slug}/"
    assert get(client, initiatives_url)["count"] == 1
    assert get(client, partner_url)["initiative_count"] == 1
    assert get(client, f"/api/v1/goals/{goal.slug}/")["city_count"] == 0

    added = make_initiative(partners=[partner], goals=[goal])
    added.city.focus_goals.add(goal)

    assert get(client, initiatives_url)["count"] == 2
    assert get(client, partner_url)["initiative_count"] == 2
    assert get(client, partner_url)["city_count"] == 2
    assert get(client, f"/api/v1/goals/{goal.slug}/")["city_count"] == 1

    added.delete()

    assert get(client, initiatives_url)["count"] == 1
    assert get(client, partner_url)["initiative_count"] == 1


def test_each_list_query_is_counted_once_until_an_edit(client):
    one, two = make_goal(), make_goal()
    make_initiative(goals=[one])
    make_initiative(goals=[two])
    make_initiative(goals=[two])

    def count_queries(url):
        with CaptureQueriesContext(connection) as captured:
            total = get(client, url)["count"]
        counts = [q for q in captured.captured_queries if "COUNT(" in q["sql"]]
        return total, len(counts)

    assert count_queries(f"/api/v1/initiatives/?goal={one.slug}") == (1, 1)
    assert count_queries(f"/api/v1/initiatives/?goal={one.slug}") == (1, 0)
    # Another query has its own total.
    assert count_queries(f"/api/v1/initiatives/?goal={two.slug}") == (2, 1)
    assert count_queries(f"/api/v1/initiatives/?goal={two.slug}&page=1") == (2, 0)

    make_initiative(goals=[one])

    assert count_queries(f"/api/v1/initiatives/?goal={one.slug}") == (2, 1)


def test_counts_match_the_filtered_lists_on_the_real_data(client, real_data):
    for path, parameter, model, cities in [
        ("goals", "goal", Goal, "focus_goals"),
        ("challenges", "challenge", Challenge, "challenges"),
        ("member-states", "member_state", MemberState, "member_state"),
    ]:
        listed = get(client, f"/api/v1/{path}/?page_size=500")["results"]
        assert len(listed) == model.objects.count()
        for record in listed:
            expected = City.objects.filter(**{f"{cities}__slug": record["slug"]})
            assert record["city_count"] == expected.count(), (path, record["slug"])
            total = get(client, record["cities_url"])["count"]
            assert total == record["city_count"], (path, record["slug"])
        assert any(record["city_count"] for record in listed), path

    for record in get(client, "/api/v1/partners/?page_size=500")["results"]:
        initiatives = Initiative.objects.filter(partners__slug=record["slug"])
        assert record["initiative_count"] == initiatives.count()
        assert record["city_count"] == initiatives.values("cities").distinct().count()
        assert (
            get(client, record["initiatives_url"])["count"]
            == (record["initiative_count"])
        )


def test_schema_documents_counts_and_list_links(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    for name in ("Goal", "Challenge", "MemberState"):
        properties = components[name]["properties"]
        assert "cities" not in properties
        assert properties["city_count"]["type"] == "integer"
        assert properties["cities_url"]["format"] == "uri"
    partner = components["Partner"]["properties"]
    assert partner["initiative_count"]["type"] == "integer"
    assert partner["city_count"]["type"] == "integer"
    assert partner["initiatives_url"]["format"] == "uri"
