"""Compare takes cities by the names people type: without accents, in any case,
with or without a last "City" ("Cebu", "Ho Chi Minh", "Hà Nội", "Đà Nẵng")."""

import pytest

from cities.selectors import cities_named, loose_name
from tests.conftest import make_city


@pytest.mark.parametrize(
    ("typed", "slugs"),
    [
        ("Cebu, Ho Chi Minh, Hà Nội", ["cebu-city", "ho-chi-minh-city", "hanoi"]),
        ("cebu city;DAVAO", ["cebu-city", "davao-city"]),
        ("Đà Nẵng, Kuala-Lumpur", ["da-nang", "kuala-lumpur"]),
        ("  SIEM reap , phnom-penh", ["siem-reap", "phnom-penh"]),
    ],
)
def test_typed_names_find_the_cities(client, real_data, typed, slugs):
    response = client.get("/compare/", {"city": typed})
    assert response.status_code == 302
    assert response["Location"] == "/compare/?" + "&".join(
        f"city={slug}" for slug in slugs
    )


@pytest.mark.parametrize("typed", ["Nowhere, Hanoi", "city, Manila", "ci ty"])
def test_a_name_no_city_has_is_still_a_400_naming_it(client, real_data, typed):
    response = client.get("/compare/", {"city": typed})
    assert response.status_code == 400
    assert "No city has the name or slug" in response.content.decode()


def test_two_cities_alike_but_for_accents_are_named_both(client, db):
    make_city(name="San José", slug="san-jose-a")
    make_city(name="San Jose", slug="san-jose-b")
    make_city(name="Other", slug="other")
    found, ambiguous = cities_named(["SAN JOSÉ CITY", "san-jose-b"])
    assert ambiguous == {"SAN JOSÉ CITY": ["san-jose-a", "san-jose-b"]}
    assert found["san-jose-b"].slug == "san-jose-b"  # a slug is exact
    response = client.get("/compare/", {"city": ["San Jose City", "other"]})
    assert response.status_code == 400
    assert "choose one by its slug: san-jose-a, san-jose-b" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Hà Nội", "hanoi"),
        ("Đà Nẵng", "danang"),
        ("Cebu City", "cebu"),
        ("City", "city"),  # a name that is only the word keeps it
        ("Ho-Chi-Minh  city", "hochiminh"),
        ("!!!", ""),
    ],
)
def test_loose_name(text, key):
    assert loose_name(text) == key
