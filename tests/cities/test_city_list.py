import pytest
from django.urls import reverse

from cities.models import City
from tests.conftest import (
    make_challenge,
    make_city,
    make_goal,
    make_initiative,
    make_member_state,
)
from tests.pages import result_slugs

URL = "/cities/"


def slugs(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200, response.content[:500]
    return set(result_slugs(response))


def test_unfiltered_list_shows_every_city(client, real_data):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["result_count"] == 35
    assert "35 cities found" in response.content.decode()


def test_member_state_facet(client, real_data):
    thai = set(
        City.objects.filter(member_state__slug="thailand").values_list(
            "slug", flat=True
        )
    )
    assert slugs(client, "?member_state=thailand") == thai
    assert "bangkok" in thai


def test_repeated_member_state_means_or(client, real_data):
    expected = set(
        City.objects.filter(
            member_state__slug__in=["thailand", "viet-nam"]
        ).values_list("slug", flat=True)
    )
    assert slugs(client, "?member_state=thailand&member_state=viet-nam") == expected


def test_different_facets_combine_with_and(client, real_data):
    expected = set(
        City.objects.filter(
            member_state__slug="thailand", challenges__slug="air-pollution"
        ).values_list("slug", flat=True)
    )
    assert expected and expected != set(
        City.objects.filter(member_state__slug="thailand").values_list(
            "slug", flat=True
        )
    )
    assert slugs(client, "?member_state=thailand&challenge=air-pollution") == {
        *expected
    }
    assert slugs(client, "?challenge=air-pollution") == set(
        City.objects.filter(challenges__slug="air-pollution").values_list(
            "slug", flat=True
        )
    )


@pytest.mark.parametrize(
    "size, inside, outside",
    [
        ("small", "phuket", "bangkok"),
        ("medium", "johor-bahru", "kuala-lumpur"),
        ("large", "kuala-lumpur", "singapore"),
        ("very-large", "jakarta", "phnom-penh"),
    ],
)
def test_size_facet(client, real_data, size, inside, outside):
    found = slugs(client, f"?size={size}")
    assert inside in found and outside not in found


def test_goal_facet(client, real_data):
    expected = set(
        City.objects.filter(focus_goals__slug="health-and-well-being").values_list(
            "slug", flat=True
        )
    )
    assert expected
    assert slugs(client, "?goal=health-and-well-being") == expected


def test_cohort_facet(client, real_data):
    assert slugs(client, "?cohort=2023") == {"chiang-mai", "khon-kaen", "rayong"}


def test_text_search(client, real_data):
    assert slugs(client, "?q=kuala") == {"kuala-lumpur"}
    assert "bangkok" in slugs(client, "?q=thailand")


def test_sort_by_population_descending(client, real_data):
    response = client.get(URL + "?sort=-population")
    order = result_slugs(response)
    assert order[0] == "jakarta"
    populations = [City.objects.get(slug=s).population for s in order]
    assert populations == sorted(populations, reverse=True)


def test_default_order_is_by_name(client, real_data):
    order = result_slugs(client.get(URL))
    names = [City.objects.get(slug=s).name for s in order]
    assert names == sorted(names)


def test_pagination_keeps_filters(client, db):
    state = make_member_state(slug="bigstate", name="Big State")
    for n in range(30):
        make_city(member_state=state, name=f"Town {n:02d}", slug=f"town-{n:02d}")
    make_city(name="Elsewhere")
    first = client.get(URL + "?member_state=bigstate")
    assert len(result_slugs(first)) == 24
    content = first.content.decode()
    assert "member_state=bigstate&amp;page=2" in content
    second = client.get(URL + "?member_state=bigstate&page=2")
    assert len(result_slugs(second)) == 6
    assert not set(result_slugs(first)) & set(result_slugs(second))


@pytest.mark.parametrize(
    "page", ["0", "99", "-1", "abc", "1e9", "\uff12", "+2", " 2", "1_0", "\x00"]
)
def test_bad_page_is_a_clear_400(client, real_data, page):
    response = client.get(URL, {"page": page})
    assert response.status_code == 400
    assert "page" in response.content.decode().lower()


@pytest.mark.parametrize(
    "query, named",
    [
        ({"member_state": "atlantis"}, "atlantis"),
        ({"goal": "world-peace"}, "world-peace"),
        ({"challenge": "dragons"}, "dragons"),
        ({"size": "gigantic"}, "gigantic"),
        ({"cohort": "1999"}, "1999"),
        ({"sort": "shoe-size"}, "shoe-size"),
    ],
)
def test_unknown_value_is_named_in_a_400(client, real_data, query, named):
    response = client.get(URL, query)
    assert response.status_code == 400
    content = response.content.decode()
    assert named in content
    assert 'role="alert"' in content


def test_unknown_value_does_not_list_every_city(client, real_data):
    response = client.get(URL + "?member_state=atlantis")
    assert result_slugs(response) == []


def test_empty_result_says_so_and_offers_to_widen(client, real_data):
    response = client.get(URL + "?member_state=singapore&size=small")
    assert response.status_code == 200
    content = response.content.decode()
    assert "No city matches" in content
    assert "Widen the search" in content


def test_facet_counts_and_chips(client, real_data):
    response = client.get(URL + "?member_state=thailand")
    facets = {facet.name: facet for facet in response.context["facets"]}
    states = {option.value: option for option in facets["member_state"].options}
    # Counts on a facet ignore that facet's own selection (choosing more adds).
    assert states["viet-nam"].count == 3
    assert states["thailand"].selected
    sizes = {option.value: option.count for option in facets["size"].options}
    assert sum(sizes.values()) == 6  # the six Thai cities by size
    chips = response.context["chips"]
    assert len(chips) == 1 and chips[0]["label"] == "Thailand"
    assert "member_state" not in chips[0]["query"]


def test_results_link_to_profiles(client, real_data):
    response = client.get(URL + "?member_state=viet-nam")
    for slug in result_slugs(response):
        assert client.get(reverse("cities:city-detail", args=[slug])).status_code == 200


def _read_everything(response):
    for city in response.context["cities"]:
        city.member_state.name
        list(city.goal_names)  # read as values with the page (selectors.city_cards)
        city.size_class


def test_query_count_does_not_grow_with_rows(client, db, django_assert_max_num_queries):
    goal = make_goal()
    challenge = make_challenge(goals=[goal])
    state = make_member_state()
    for n in range(5):
        make_city(member_state=state, goals=[goal], challenges=[challenge])
    with django_assert_max_num_queries(25) as small:
        _read_everything(client.get(URL + f"?goal={goal.slug}"))
    for n in range(60):
        city = make_city(
            member_state=make_member_state(), goals=[goal], challenges=[challenge]
        )
        make_initiative(city=city, goals=[goal])
    with django_assert_max_num_queries(len(small.captured_queries)):
        _read_everything(client.get(URL + f"?goal={goal.slug}"))


def test_a_400_page_keeps_the_valid_filters_to_correct_in_place(client, real_data):
    response = client.get(URL + "?member_state=atlantis&goal=civic-and-social")
    assert response.status_code == 400
    content = response.content.decode()
    assert "atlantis" in content
    assert 'name="goal" value="civic-and-social" checked' in content
    assert 'name="member_state" value="thailand"' in content


def test_a_bad_value_is_named_without_the_characters_a_page_cannot_show(
    client, real_data
):
    response = client.get(URL, {"member_state": "a\x00b"})
    assert response.status_code == 400
    assert b"\x00" not in response.content
    assert "a\ufffdb" in response.content.decode()
