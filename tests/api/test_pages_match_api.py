"""The API and the HTML list pages bind the same FilterSet: for the same query
string they list the same records in the same order, and reject the same input."""

import re
from urllib.parse import urlencode, urlsplit

from tests.pages import links


def linked_slugs(response, prefix):
    """Slugs linked as `<prefix><slug>/` inside the element with id="results"."""
    pattern = re.compile(re.escape(prefix) + r"([^/]+)/")
    slugs = []
    for href in links(response, within="results"):
        match = pattern.fullmatch(urlsplit(href).path)
        if match and match[1] not in slugs:
            slugs.append(match[1])
    return slugs


def page_slugs(client, path, query):
    """Every slug the HTML list shows for the query, following its rel="next"."""
    slugs = []
    for number in range(1, 50):
        response = client.get(f"/{path}/?{urlencode([*query, ('page', number)])}")
        assert response.status_code == 200, (query, number)
        found = linked_slugs(response, f"/{path}/")
        if not found:
            break
        slugs.extend(found)
        if 'rel="next"' not in response.content.decode():
            break
    return slugs


def api_slugs(client, path, query):
    response = client.get(f"/api/v1/{path}/?{urlencode([*query, ('page_size', 500)])}")
    assert response.status_code == 200, (query, response.json())
    body = response.json()
    assert body["next"] is None
    return [record["slug"] for record in body["results"]]


CITY_QUERIES = [
    [],
    [("member_state", "thailand")],
    [("member_state", "thailand"), ("member_state", "malaysia")],
    [("size", "small")],
    [("size", "large"), ("size", "very-large")],
    [("goal", "health-and-well-being")],
    [("goal", "health-and-well-being"), ("goal", "safety-and-security")],
    [("challenge", "congestion")],
    [("challenge", "congestion"), ("challenge", "air-pollution")],
    [("cohort", "2018")],
    [("cohort", "2023"), ("cohort", "2024")],
    [("q", "kuala")],
    [("q", "thai")],
    [("q", "")],
    [("sort", "-population")],
    [("sort", "member_state")],
    [("sort", "-name"), ("size", "medium")],
    [("member_state", "malaysia"), ("goal", "built-infrastructure")],
    [("size", "small"), ("cohort", "2018"), ("sort", "population")],
    [("goal", "civic-and-social"), ("challenge", "flooding-climate-risk")],
    [("member_state", "viet-nam"), ("member_state", "indonesia"), ("size", "large")],
    [("member_state", "singapore"), ("cohort", "2025")],
]

INITIATIVE_QUERIES = [
    [],
    [("member_state", "cambodia")],
    [("member_state", "cambodia"), ("member_state", "lao-pdr")],
    [("city", "siem-reap")],
    [("city", "siem-reap"), ("city", "phuket")],
    [("goal", "health-and-well-being")],
    [("goal", "health-and-well-being"), ("goal", "safety-and-security")],
    [("status", "completed")],
    [("status", "completed"), ("status", "agreed")],
    [("partner", "usa-usascp")],
    [("partner", "none")],
    [("partner", "none"), ("partner", "japan-smart-jamp")],
    [("year", "2022")],
    [("year", "2012"), ("year", "2016")],
    [("q", "water")],
    [("member_state", "malaysia"), ("status", "ongoing")],
    [("goal", "quality-environment"), ("year", "2024"), ("status", "ongoing")],
    [("city", "phnom-penh"), ("partner", "none")],
]


def test_city_page_and_api_list_the_same_cities(client, real_data):
    for query in CITY_QUERIES:
        api = api_slugs(client, "cities", query)
        page = page_slugs(client, "cities", query)

        assert page == api, query

    # the unfiltered list spans more than one HTML page
    assert len(api_slugs(client, "cities", [])) == 35
    assert len(page_slugs(client, "cities", [])) == 35


def test_initiative_page_and_api_list_the_same_initiatives(client, real_data):
    for query in INITIATIVE_QUERIES:
        api = api_slugs(client, "initiatives", query)
        page = page_slugs(client, "initiatives", query)

        assert page == api, query

    assert len(page_slugs(client, "initiatives", [])) == 168


def test_thai_cities_are_the_thai_cities(client, real_data):
    assert sorted(api_slugs(client, "cities", [("member_state", "thailand")])) == [
        "bangkok",
        "chiang-mai",
        "chonburi",
        "khon-kaen",
        "phuket",
        "rayong",
    ]


def test_page_and_api_reject_the_same_input(client, real_data):
    for path, query in [
        ("cities", [("member_state", "atlantis")]),
        ("cities", [("size", "huge")]),
        ("cities", [("cohort", "1999")]),
        ("initiatives", [("partner", "acme")]),
        ("initiatives", [("status", "abandoned")]),
    ]:
        qs = urlencode(query)
        page = client.get(f"/{path}/?{qs}")
        api = client.get(f"/api/v1/{path}/?{qs}")

        assert page.status_code == api.status_code == 400, query
        assert list(api.json()) == [query[0][0]]
