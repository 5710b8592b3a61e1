"""The public URL contract of DESIGN.md: these paths must keep working."""

import pytest
from django.urls import reverse

CONTRACT = [
    ("portal:home", [], "/"),
    ("cities:city-list", [], "/cities/"),
    ("cities:city-detail", ["kuala-lumpur"], "/cities/kuala-lumpur/"),
    ("cities:member-state-list", [], "/member-states/"),
    ("cities:member-state-detail", ["viet-nam"], "/member-states/viet-nam/"),
    ("framework:goal-list", [], "/goals/"),
    ("framework:goal-detail", ["civic-and-social"], "/goals/civic-and-social/"),
    ("framework:challenge-list", [], "/challenges/"),
    ("framework:challenge-detail", ["congestion"], "/challenges/congestion/"),
    ("cities:initiative-list", [], "/initiatives/"),
    ("cities:compare", [], "/compare/"),
    ("portal:search", [], "/search/"),
    ("portal:healthz", [], "/healthz"),
    ("portal:about", [], "/about/"),
    ("portal:source-list", [], "/sources/"),
    ("cities:partner-list", [], "/partners/"),
]


@pytest.mark.parametrize("name, args, path", CONTRACT)
def test_public_paths_are_pinned(name, args, path):
    assert reverse(name, args=args) == path


CITY_SLUGS = ["kuala-lumpur", "ho-chi-minh-city", "jakarta", "nay-pyi-taw", "cebu-city"]
STATE_SLUGS = (
    "brunei-darussalam cambodia indonesia lao-pdr malaysia myanmar philippines "
    "singapore thailand viet-nam"
).split()
GOAL_SLUGS = (
    "civic-and-social health-and-well-being safety-and-security quality-environment "
    "built-infrastructure industry-and-innovation"
).split()


@pytest.mark.parametrize(
    "path",
    [f"/cities/{s}/" for s in CITY_SLUGS]
    + [f"/member-states/{s}/" for s in STATE_SLUGS]
    + [f"/goals/{s}/" for s in GOAL_SLUGS]
    + [
        "/",
        "/cities/",
        "/member-states/",
        "/goals/",
        "/challenges/",
        "/initiatives/",
        "/compare/?city=jakarta&city=bangkok",
        "/search/?q=water",
        "/about/",
        "/sources/",
        "/partners/",
        "/admin/login/",
    ],
)
def test_documented_pages_answer(client, real_data, path):
    assert client.get(path).status_code == 200
