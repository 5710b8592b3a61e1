import pytest

from cities.models import Initiative
from tests.conftest import (
    make_city,
    make_goal,
    make_initiative,
    make_member_state,
    make_partner,
)
from tests.pages import result_slugs


def test_member_state_page_has_cities_goals_and_matrix(client, real_data):
    response = client.get("/member-states/thailand/")
    content = response.content.decode()
    assert response.context["cities"]
    assert {c.slug for c in response.context["cities"]} >= {
        "bangkok",
        "phuket",
        "chiang-mai",
    }
    assert 'class="matrix"' in content
    assert len(response.context["matrix_rows"]) == 6


def test_member_state_without_cities_says_so(client, real_data):
    content = client.get("/member-states/timor-leste/").content.decode()
    assert "No city of Timor-Leste" in content


def test_member_state_list_has_eleven_states(client, real_data):
    assert len(client.get("/member-states/").context["member_states"]) == 11


def test_compare_two_cities_side_by_side(client, real_data):
    response = client.get("/compare/?city=jakarta&city=bangkok")
    assert response.status_code == 200
    assert [c.slug for c in response.context["cities"]] == ["jakarta", "bangkok"]
    content = response.content.decode()
    assert "Traffic congestion" in content and "Documented" in content


def test_compare_one_city_asks_for_another(client, real_data):
    response = client.get("/compare/?city=jakarta")
    assert response.status_code == 200
    assert "Choose at least one more city" in response.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ("?city=jakarta&city=atlantis", "atlantis"),
        (
            "?city=jakarta&city=bangkok&city=hanoi&city=manila&city=cebu-city",
            "you chose 5",
        ),
    ],
)
def test_compare_bad_input_is_400(client, real_data, query, message):
    response = client.get("/compare/" + query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_compare_four_is_fine_and_duplicates_collapse(client, real_data):
    response = client.get(
        "/compare/?city=jakarta&city=bangkok&city=hanoi&city=manila&city=hanoi",
        follow=True,
    )
    assert response.redirect_chain == [
        ("/compare/?city=jakarta&city=bangkok&city=hanoi&city=manila", 302)
    ]
    assert response.status_code == 200
    assert len(response.context["cities"]) == 4


def initiative_slugs(client, query=""):
    response = client.get("/initiatives/" + query)
    assert response.status_code == 200
    return set(result_slugs(response, prefix="/initiatives/"))


def test_initiative_facets_or_within_and_across(client, db):
    goal_a, goal_b = make_goal(), make_goal()
    state = make_member_state()
    city = make_city(member_state=state)
    a = make_initiative(city=city, goals=[goal_a], status="completed")
    b = make_initiative(city=city, goals=[goal_b], status="ongoing")
    c = make_initiative(goals=[goal_a], status="ongoing")
    assert initiative_slugs(client, f"?goal={goal_a.slug}&goal={goal_b.slug}") == {
        a.slug,
        b.slug,
        c.slug,
    }
    assert initiative_slugs(
        client, f"?goal={goal_a.slug}&member_state={state.slug}"
    ) == {a.slug}
    assert initiative_slugs(client, "?status=completed") == {a.slug}
    assert initiative_slugs(client, f"?city={city.slug}&status=ongoing") == {b.slug}


def test_no_partner_yet_facet(client, db):
    partner = make_partner()
    none = make_initiative()
    named = make_initiative(partner_text="Some bank")
    linked = make_initiative(partner_text="Programme", partners=[partner])
    assert initiative_slugs(client, "?partner=none") == {none.slug}
    assert initiative_slugs(client, f"?partner={partner.slug}") == {linked.slug}
    assert initiative_slugs(client, f"?partner=none&partner={partner.slug}") == {
        none.slug,
        linked.slug,
    }
    assert named.slug not in initiative_slugs(client, "?partner=none")


def test_real_no_partner_count(client, real_data):
    response = client.get("/initiatives/?partner=none")
    assert (
        response.context["result_count"]
        == Initiative.objects.filter(partner_text="").count()
    )


@pytest.mark.parametrize(
    "query",
    ["?status=sideways", "?partner=acme", "?year=1066", "?city=atlantis", "?page=0"],
)
def test_initiative_unknown_values_are_400(client, real_data, query):
    response = client.get("/initiatives/" + query)
    assert response.status_code == 400
    assert result_slugs(response, prefix="/initiatives/") == []


def test_initiative_page_shows_status_sources_and_verification(client, real_data):
    initiative = Initiative.objects.filter(city__slug="bangkok").first()
    response = client.get(initiative.get_absolute_url())
    content = response.content.decode()
    assert initiative.status_text in content
    assert "What is known, and how sure" in content
    assert initiative.sources.first().url.replace("&", "&amp;") in content
    assert "Cite this page" in content


def test_partner_pages(client, real_data):
    response = client.get("/partners/usa-usascp/")
    assert response.status_code == 200
    assert response.context["initiatives"]
    assert "/cities/phnom-penh/" in response.content.decode()
    assert len(client.get("/partners/").context["partners"]) == 13


def test_initiative_list_bounded_queries(client, db, django_assert_max_num_queries):
    goal = make_goal()
    partner = make_partner()
    for n in range(3):
        make_initiative(goals=[goal], partners=[partner])
    with django_assert_max_num_queries(40) as small:
        client.get("/initiatives/")
    for n in range(40):
        make_initiative(goals=[goal], partners=[partner], year=2000 + n % 3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/initiatives/")
    for initiative in response.context["initiatives"]:
        initiative.city.member_state.name
        list(initiative.goals.all())


@pytest.mark.parametrize(
    "path",
    [
        "/member-states/{state}/",
        "/partners/{partner}/",
        "/initiatives/{initiative}/",
        "/partners/",
        "/compare/?city={c1}&city={c2}",
    ],
)
def test_other_pages_bounded_queries(client, db, django_assert_max_num_queries, path):
    goal = make_goal()
    state = make_member_state()
    partner = make_partner()
    cities = [make_city(member_state=state, goals=[goal]) for _ in range(2)]
    initiative = make_initiative(city=cities[0], goals=[goal], partners=[partner])
    url = path.format(
        state=state.slug,
        partner=partner.slug,
        initiative=initiative.slug,
        c1=cities[0].slug,
        c2=cities[1].slug,
    )
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    for n in range(30):
        city = make_city(member_state=state, goals=[goal])
        make_initiative(city=city, goals=[goal], partners=[partner])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_choices_stay_current_after_the_api_schema_is_built(client, real_data):
    # Building the OpenAPI schema makes form fields on the FilterSet classes; the
    # dynamic choices (partners, years, cohorts) must still apply afterwards.
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/initiatives/?partner=usa-usascp").status_code == 200
    assert client.get("/initiatives/?year=2022").status_code == 200
    assert client.get("/cities/?cohort=2023").status_code == 200
    assert client.get("/initiatives/export.csv?partner=usa-usascp").status_code == 200
