"""Facet counts stay exact and light as the data grows: no duplicates through
many-to-many filters, the per-city facet offers only its leading cities, and counts
kept between requests are dropped by the next edit."""

import pytest

from cities.models import City
from cities.selectors import CAPPED_FACETS
from tests.conftest import (
    make_city,
    make_goal,
    make_initiative,
    make_member_state,
    make_partner,
)

# A small cap, so that a few dozen cities go past it (the shipped cap is 100).
CITY_CAP = 25


@pytest.fixture
def small_city_cap(monkeypatch):
    monkeypatch.setitem(CAPPED_FACETS, "city", (CITY_CAP, CAPPED_FACETS["city"][1]))


def facet(response, name):
    return next(f for f in response.context["facets"] if f.name == name)


def counts(response, name):
    return {option.value: option.count for option in facet(response, name).options}


def test_two_chosen_goals_count_each_city_once(client, db):
    a, b = make_goal(slug="goal-a"), make_goal(slug="goal-b")
    state = make_member_state(slug="state-x")
    make_city(slug="both", member_state=state, goals=[a, b])
    make_city(slug="only-a", member_state=state, goals=[a])
    make_city(slug="neither", member_state=state, goals=[])

    response = client.get("/cities/?goal=goal-a&goal=goal-b")

    assert response.status_code == 200
    assert response.context["result_count"] == 2
    assert [city.slug for city in response.context["cities"]] == ["both", "only-a"]
    assert counts(response, "member_state")["state-x"] == 2
    # The goal facet ignores its own choice: every city, each goal counted once.
    assert counts(response, "goal") == {"goal-a": 2, "goal-b": 1}


def test_initiatives_with_two_chosen_goals_count_once(client, db):
    a, b = make_goal(slug="goal-a"), make_goal(slug="goal-b")
    city = make_city(slug="city-one")
    make_initiative(city=city, goals=[a, b])
    make_initiative(city=city, goals=[b])

    response = client.get("/initiatives/?goal=goal-a&goal=goal-b")

    assert response.context["result_count"] == 2
    assert counts(response, "city")["city-one"] == 2
    assert counts(response, "status") == {"ongoing": 2} | {
        value: 0 for value in counts(response, "status") if value != "ongoing"
    }


def test_no_partner_filter_and_count_agree(client, db):
    partner = make_partner(slug="p-one")
    city = make_city(slug="city-one")
    none = make_initiative(city=city, slug="none-named", partner_text="")
    make_initiative(city=city, slug="linked", partner_text="", partners=[partner])
    make_initiative(city=city, slug="in-words", partner_text="A university")

    response = client.get("/initiatives/?partner=none")

    assert [i.slug for i in response.context["initiatives"]] == [none.slug]
    assert counts(response, "partner")["none"] == 1
    assert counts(response, "partner")["p-one"] == 1
    both = client.get("/initiatives/?partner=none&partner=p-one")
    assert both.context["result_count"] == 2


def test_city_facet_lists_only_the_leading_cities(client, db, small_city_cap):
    cities = [make_city(slug=f"city-{n:02}", name=f"City {n:02}") for n in range(30)]
    for n, city in enumerate(cities):
        for _ in range(1 + n % 4):
            make_initiative(city=city)

    response = client.get("/initiatives/")

    city_facet = facet(response, "city")
    assert len(city_facet.options) == CITY_CAP
    listed = [option.count for option in city_facet.options]
    assert listed == sorted(listed, reverse=True)
    assert min(listed) >= max(
        1 + n % 4
        for n, city in enumerate(cities)
        if city.slug not in {o.value for o in city_facet.options}
    )
    assert city_facet.more_count == 30 - CITY_CAP
    html = response.content.decode()
    assert f"{30 - CITY_CAP} more not listed" in html
    assert "search for its name" in html


def test_a_chosen_city_outside_the_leaders_stays_listed_and_checked(
    client, db, small_city_cap
):
    for n in range(CITY_CAP + 3):
        city = make_city(slug=f"busy-{n:02}")
        make_initiative(city=city)
        make_initiative(city=city)
    quiet = make_city(slug="quiet", name="Quiet Town")
    make_initiative(city=quiet)

    response = client.get("/initiatives/?city=quiet")

    assert response.status_code == 200
    chosen = [o for o in facet(response, "city").options if o.value == "quiet"]
    assert chosen and chosen[0].selected and chosen[0].count == 1
    assert 'value="quiet" checked' in response.content.decode()
    assert response.context["result_count"] == 1


def test_counts_kept_between_requests_follow_the_next_edit(client, db):
    goal = make_goal(slug="goal-a")
    make_city(slug="first", goals=[goal])
    assert counts(client.get("/cities/"), "goal")["goal-a"] == 1

    second = make_city(slug="second")
    second.focus_goals.add(goal)

    assert counts(client.get("/cities/"), "goal")["goal-a"] == 2
    City.objects.get(slug="first").delete()
    assert counts(client.get("/cities/"), "goal")["goal-a"] == 1


def test_unfiltered_facets_are_not_recounted(
    client, db, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0  # render each time; keep only the counts
    goal = make_goal(slug="goal-a")
    for n in range(5):
        make_initiative(city=make_city(slug=f"c-{n}", goals=[goal]), goals=[goal])
    client.get("/initiatives/")  # counts the facets once
    with django_assert_max_num_queries(8):  # the page, its count, the choices
        response = client.get("/initiatives/")
    assert response.status_code == 200
    assert counts(response, "goal")["goal-a"] == 5


def test_filtered_counts_are_kept_for_other_pages_of_the_same_filter(
    client, db, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0  # render each time; keep only the counts
    goal = make_goal(slug="goal-a")
    for n in range(35):  # two pages of 30
        make_initiative(city=make_city(slug=f"c-{n}"), goals=[goal])
    make_initiative(city=make_city(slug="other"))
    first = client.get("/initiatives/?goal=goal-a")
    assert first.context["result_count"] == 35

    # Page 2 lists other rows but needs no facet count or total again.
    # (one more than the rows themselves: the cities running each initiative)
    with django_assert_max_num_queries(9):
        second = client.get("/initiatives/?goal=goal-a&page=2")
    assert second.status_code == 200
    assert second.context["result_count"] == 35
    assert counts(second, "goal") == counts(first, "goal")

    # An edit drops what was kept: the next request counts afresh.
    make_initiative(city=City.objects.get(slug="other"), goals=[goal])
    third = client.get("/initiatives/?goal=goal-a&page=2")
    assert third.context["result_count"] == 36
    assert counts(third, "goal")["goal-a"] == 36


def test_under_the_cap_the_city_facet_lists_every_city_even_with_no_result(client, db):
    busy = make_city(slug="busy", name="Busy Town")
    make_initiative(city=busy)
    quiet = [make_city(slug=f"quiet-{n}", name=f"Quiet {n}") for n in range(3)]

    response = client.get("/initiatives/")

    city_facet = facet(response, "city")
    assert {o.value for o in city_facet.options} == {"busy"} | {
        city.slug for city in quiet
    }
    assert city_facet.more_count == 0
    # The cities with no initiative are folded behind "show all", not left out.
    html = response.content.decode().split('id="facet-city"', 1)[1]
    folded = html.split('class="facet-zero"', 1)[1].split("</details>", 1)[0]
    assert all(f'value="{city.slug}"' in folded for city in quiet)
    assert 'value="busy"' not in folded
