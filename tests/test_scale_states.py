"""Partner, member-state and compare pages stay bounded however many rows there are:
totals, a capped number of rows, and links to the full filtered lists."""

import pytest

from cities import selectors, views
from cities.models import City
from tests.conftest import (
    make_city,
    make_goal,
    make_initiative,
    make_member_state,
    make_partner,
)


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(views, "PARTNER_INITIATIVES_SHOWN", 3)
    monkeypatch.setattr(selectors, "PARTNER_CITIES_SHOWN", 2)
    monkeypatch.setattr(selectors, "STATE_CITIES_SHOWN", 3)
    monkeypatch.setattr(views, "COMPARE_OPTIONS_SHOWN", 3)


# Partners


def test_partner_page_shows_the_first_initiatives_and_links_to_all(
    client, db, small_caps
):
    partner = make_partner()
    state = make_member_state()
    a, b, c = (make_city(member_state=state, name=n) for n in ("Ayu", "Bima", "Cepu"))
    for index, city in enumerate([a, a, a, b, b, c, c]):
        make_initiative(city=city, name=f"Initiative {index}", partners=[partner])
    make_initiative(city=c, name="Initiative 0 unlinked")

    response = client.get(partner.get_absolute_url())
    content = response.content.decode()
    assert [i.name for i in response.context["initiatives"]] == [
        "Initiative 0",
        "Initiative 1",
        "Initiative 2",
    ]
    assert "Initiative 3" not in content
    assert response.context["initiative_total"] == 7
    assert response.context["city_total"] == 3
    # The cities with the most linked initiatives, then by name.
    assert response.context["cities"] == [(a.slug, "Ayu", 3), (b.slug, "Bima", 2)]
    assert f"/initiatives/?partner={partner.slug}" in content
    assert "See all 7 initiatives of this programme" in content
    assert "The 2 cities, of 3," in content
    # The link leads to exactly the total shown.
    library = client.get(f"/initiatives/?partner={partner.slug}")
    assert library.context["result_count"] == 7


def test_partner_list_counts_initiatives_and_cities(client, db):
    busy, idle = make_partner(), make_partner()
    state = make_member_state()
    one, two = make_city(member_state=state), make_city(member_state=state)
    make_initiative(city=one, partners=[busy, idle])
    make_initiative(city=one, partners=[busy])
    make_initiative(city=two, partners=[busy])
    make_partner()

    partners = {p.pk: p for p in client.get("/partners/").context["partners"]}
    assert (partners[busy.pk].initiative_count, partners[busy.pk].city_count) == (3, 2)
    assert (partners[idle.pk].initiative_count, partners[idle.pk].city_count) == (1, 1)
    assert len(partners) == 3


def test_partner_totals_follow_edits(client, db):
    partner = make_partner()
    make_initiative(partners=[partner])
    assert client.get(partner.get_absolute_url()).context["initiative_total"] == 1
    make_initiative(partners=[partner])
    response = client.get(partner.get_absolute_url())
    assert response.context["initiative_total"] == 2
    assert response.context["city_total"] == 2
    listed = client.get("/partners/").context["partners"]
    assert [p.initiative_count for p in listed] == [2]


def test_real_partner_page_shows_everything(client, real_data):
    response = client.get("/partners/usa-usascp/")
    assert response.context["initiative_total"] == len(response.context["initiatives"])
    assert not response.context["initiatives_truncated"]
    assert response.context["city_total"] == len(response.context["cities"])
    assert "See all" not in response.content.decode()


# Member states


def test_member_state_page_shows_totals_first_cities_and_links(client, db, small_caps):
    goal, other_goal = make_goal(), make_goal()
    state = make_member_state()
    late = make_city(member_state=state, name="Aaa", cohort_year=2024, goals=[goal])
    pilots = [
        make_city(member_state=state, name=name, cohort_year=2018, goals=[goal])
        for name in ("Zed", "Mid")
    ]
    joined = make_city(member_state=state, name="Bbb", cohort_year=2020)
    make_city(member_state=state, name="Ccc", cohort_year=2024, goals=[other_goal])
    for city in [late, late, pilots[0], joined]:
        make_initiative(city=city)
    make_initiative()  # another state's

    response = client.get(state.get_absolute_url())
    content = response.content.decode()
    # Pilot cities first, then by the year joined and name.
    assert [c.name for c in response.context["cities"]] == ["Mid", "Zed", "Bbb"]
    assert [c.initiative_count for c in response.context["cities"]] == [0, 1, 1]
    assert len(response.context["matrix_rows"]) == 3
    assert len(response.context["map_points"]) == 3
    assert "Aaa" not in content
    assert response.context["city_total"] == 5
    assert response.context["initiative_total"] == 4
    # Goal counts cover every city of the state, not only those shown.
    assert response.context["goal_counts"] == [(goal, 3), (other_goal, 1)]
    assert f"/cities/?member_state={state.slug}&amp;goal={goal.slug}" in content
    assert "See all 5 cities of" in content
    assert f'href="/cities/?member_state={state.slug}"' in content
    assert f'href="/initiatives/?member_state={state.slug}"' in content
    assert "Their 4 initiatives" in content


def test_member_state_list_counts_each_relation_separately(client, db):
    state, empty = make_member_state(name="Aland"), make_member_state(name="Bland")
    one, two = make_city(member_state=state), make_city(member_state=state)
    for city in [one, one, one, two, two]:
        make_initiative(city=city)

    states = client.get("/member-states/").context["member_states"]
    counts = {s.pk: (s.city_count, s.initiative_count) for s in states}
    assert counts[state.pk] == (2, 5)
    assert counts[empty.pk] == (0, 0)


def test_real_member_state_pages_show_every_city(client, real_data):
    for state in client.get("/member-states/").context["member_states"]:
        response = client.get(state.get_absolute_url())
        assert len(response.context["cities"]) == state.city_count
        assert response.context["initiative_total"] == state.initiative_count
        assert "See all" not in response.content.decode()


# Compare


def test_compare_picker_offers_the_chosen_and_a_few_more(client, db, small_caps):
    state, elsewhere = make_member_state(), make_member_state()
    chosen = make_city(member_state=state, name="Chosen", cohort_year=2023)
    other = make_city(member_state=elsewhere, name="Other", cohort_year=2023)
    pilot = make_city(member_state=elsewhere, name="Pilot", cohort_year=2018)
    neighbour = make_city(member_state=state, name="Neighbour", cohort_year=2024)
    for n in range(4):
        make_city(member_state=elsewhere, name=f"Late {n}", cohort_year=2025)

    response = client.get(f"/compare/?city={chosen.slug}&city={other.slug}")
    assert response.status_code == 200
    options = response.context["city_options"]
    # The chosen two, the pilot city, the chosen cities' neighbour, then the
    # earliest other member; sorted by name.
    assert [name for _, name in options] == [
        "Chosen",
        "Late 0",
        "Neighbour",
        "Other",
        "Pilot",
    ]
    assert response.context["more_cities"]
    content = response.content.decode()
    assert content.count("<option") == 4 * (len(options) + 1)
    assert "The lists above offer only some" in content
    assert neighbour.slug in content and pilot.slug in content
    assert 'name="city" value=""' in content  # the empty text field


def test_real_compare_picker_offers_every_city(client, real_data):
    response = client.get("/compare/?city=hanoi")
    assert len(response.context["city_options"]) == City.objects.count()
    assert not response.context["more_cities"]
    assert "The lists above offer only some" not in response.content.decode()


@pytest.mark.parametrize(
    "typed, slug",
    [
        ("Bangkok", "bangkok"),
        ("ho chi minh city", "ho-chi-minh-city"),
        ("HANOI", "hanoi"),
    ],
)
def test_compare_accepts_a_typed_name(client, real_data, typed, slug):
    response = client.get("/compare/", {"city": ["jakarta", "", typed]})
    assert response.status_code == 302
    assert response["Location"] == f"/compare/?city=jakarta&city={slug}"
    assert client.get(response["Location"]).status_code == 200


def test_compare_unknown_typed_name_is_400_and_kept(client, real_data):
    response = client.get("/compare/", {"city": ["jakarta", "Gotham City"]})
    assert response.status_code == 400
    content = response.content.decode()
    assert "No city has the name or slug “Gotham City”" in content
    assert 'value="Gotham City"' in content
    assert response.context["slots"][0] == "jakarta"


def test_compare_ambiguous_name_is_400(client, db):
    make_city(name="Twin", slug="twin-north")
    make_city(name="Twin", slug="twin-south")
    response = client.get("/compare/", {"city": ["twin"]})
    assert response.status_code == 400
    assert "choose one by its slug: twin-north, twin-south" in (
        response.content.decode()
    )


def test_compare_too_many_values_are_not_all_looked_up(
    client, db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/compare/", {"city": [f"c{n}" for n in range(500)]})
    assert response.status_code == 400
    assert "you chose 500" in response.content.decode()


# Bounded queries and size


@pytest.mark.parametrize(
    "path",
    [
        "/partners/",
        "/partners/{partner}/",
        "/member-states/",
        "/member-states/{state}/",
        "/compare/?city={c1}&city={c2}",
        "/compare/",
    ],
)
def test_pages_do_not_grow_with_rows(
    client, db, small_caps, django_assert_max_num_queries, path
):
    goal = make_goal()
    state = make_member_state()
    partner = make_partner()

    def grow(n):
        for _ in range(n):
            city = make_city(member_state=state, goals=[goal])
            make_initiative(city=city, goals=[goal], partners=[partner])

    grow(6)  # already more than every cap (set small above)
    c1, c2 = City.objects.all()[:2]
    url = path.format(partner=partner.slug, state=state.slug, c1=c1.slug, c2=c2.slug)
    with django_assert_max_num_queries(20) as small:
        response = client.get(url)
    assert response.status_code == 200
    small_size = len(response.content)
    grow(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    # Only the figures' digits may change, never the number of rows.
    assert len(response.content) < small_size + 200
