import pytest
from django.db import connection

from ascn_portal import views
from cities.models import City
from tests.conftest import make_challenge, make_city, make_goal, make_initiative


def test_home_shows_goals_counts_map_and_matrix(client, real_data):
    response = client.get("/")
    content = response.content.decode()
    for text in [
        "Civic and Social",
        "Industry and Innovation",
        "<strong>35</strong> cities",
        "<strong>26</strong> pilot cities",
        'class="map"',
        'class="matrix"',
    ]:
        assert text in content, text
    # every city is a linked marker on the map
    assert content.count('class="map-marker"') == 35
    assert response.context["counts"]["member_states_with_cities"] == 10


def test_goal_page_lists_cities_challenges_initiatives_and_peers(client, real_data):
    response = client.get("/goals/quality-environment/")
    content = response.content.decode()
    assert "Air pollution" in content
    assert "/cities/hanoi/" in content or "/cities/bangkok/" in content
    assert response.context["peers"]
    assert "Who to learn from" in content


def test_challenge_page_lists_cities_and_who_to_learn_from(client, real_data):
    response = client.get("/challenges/air-pollution/")
    names = {city.slug for city in response.context["cities"]}
    assert names == set(
        City.objects.filter(challenges__slug="air-pollution").values_list(
            "slug", flat=True
        )
    )
    assert response.context["peers"]


@pytest.mark.parametrize(
    "path",
    [
        "/goals/nope/",
        "/challenges/nope/",
        "/member-states/atlantis/",
        "/initiatives/nope/",
        "/partners/nope/",
    ],
)
def test_unknown_slugs_are_404(client, real_data, path):
    assert client.get(path).status_code == 404


def test_about_explains_ranking_and_milestones(client, real_data):
    content = client.get("/about/").content.decode()
    assert 'id="peer-ranking"' in content
    assert "2018-04-27" in content
    assert "Competitive Economy" in content


def test_sources_page_lists_records_citing_each_source(client, real_data):
    response = client.get("/sources/")
    content = response.content.decode()
    assert "/cities/jakarta/" in content
    assert "ASEAN Smart Cities Framework" in content


def test_search_finds_across_record_types(client, real_data):
    response = client.get("/search/", {"q": "water"})
    labels = {group["label"] for group in response.context["groups"]}
    assert {"Challenges", "Initiatives"} <= labels
    city_search = client.get("/search/", {"q": "Hanoi"})
    assert "/cities/hanoi/" in city_search.content.decode()


def test_search_with_nothing_found_says_so(client, real_data):
    content = client.get("/search/", {"q": "zzzqqq"}).content.decode()
    assert "Nothing matches" in content


def test_search_too_long_is_400(client, real_data):
    response = client.get("/search/", {"q": "x" * 500})
    assert response.status_code == 400


def test_search_escapes_html(client, real_data):
    content = client.get(
        "/search/", {"q": "<script>alert(1)</script>"}
    ).content.decode()
    assert "<script>alert(1)</script>" not in content


def test_healthz_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_down_when_the_database_fails(client, db, monkeypatch):
    broken = {**connection.settings_dict, "NAME": "/no/such/dir/db.sqlite3"}
    broken["ENGINE"] = "django.db.backends.sqlite3"
    monkeypatch.setattr(views, "health_database_settings", lambda: broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert b"database" in response.content


@pytest.mark.parametrize(
    "path_for",
    [
        lambda goal, challenge: f"/goals/{goal.slug}/",
        lambda goal, challenge: f"/challenges/{challenge.slug}/",
        lambda goal, challenge: "/",
        lambda goal, challenge: "/goals/",
        lambda goal, challenge: "/challenges/",
        lambda goal, challenge: "/member-states/",
        lambda goal, challenge: "/sources/",
        lambda goal, challenge: "/about/",
        lambda goal, challenge: "/search/?q=city",
    ],
)
def test_framework_pages_have_bounded_queries(
    client, db, django_assert_max_num_queries, path_for
):
    goal = make_goal()
    challenge = make_challenge(goals=[goal])
    for n in range(3):
        city = make_city(goals=[goal], challenges=[challenge])
        make_initiative(city=city, goals=[goal])
    path = path_for(goal, challenge)
    with django_assert_max_num_queries(40) as small:
        assert client.get(path).status_code == 200
    for n in range(30):
        city = make_city(goals=[goal], challenges=[challenge])
        make_initiative(city=city, goals=[goal])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(path).status_code == 200


def test_sources_are_paginated_and_a_source_permalink_shows_it(client, real_data):
    from framework.models import Source

    first = client.get("/sources/")
    assert first.context["page_obj"].paginator.num_pages > 1
    assert len(first.content) < 100_000
    source = Source.objects.filter(cities__slug="jakarta").first()
    page = client.get(source.get_absolute_url())
    content = page.content.decode()
    assert page.status_code == 200
    assert f'id="source-{source.pk}"' in content
    assert "/cities/jakarta/" in content
    assert client.get("/sources/?page=999").status_code == 400


def test_home_map_and_table_follow_the_next_edit(
    client, db, settings, django_capture_on_commit_callbacks
):
    """The map and table HTML is kept between visits, and dropped by an edit."""
    settings.PAGE_CACHE_SECONDS = 0  # render every time; keep only that HTML
    goal = make_goal(slug="goal-a", name="Goal A")
    make_city(slug="first-city", name="First City", goals=[goal])
    content = client.get("/").content.decode()
    assert content.count('class="map-marker"') == 1
    assert "/cities/first-city/" in content

    with django_capture_on_commit_callbacks(execute=True):
        make_city(slug="second-city", name="Second City", goals=[goal])

    content = client.get("/").content.decode()
    assert content.count('class="map-marker"') == 2
    assert "Second City" in content
    assert content.count('<span class="visually-hidden">yes</span>') == 2


def test_home_reuses_its_map_and_table_between_visits(
    client, db, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    goal = make_goal(slug="goal-a")
    for n in range(30):
        make_city(slug=f"city-{n}", goals=[goal])
    client.get("/")
    with django_assert_max_num_queries(4):  # member states, goals, challenges, text
        response = client.get("/")
    assert response.content.decode().count('class="map-marker"') == 30


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("vietnam", "/member-states/viet-nam/"),
        ("Laos", "/member-states/lao-pdr/"),
        ("danang", "/cities/da-nang/"),
        ("Naypyidaw", "/cities/nay-pyi-taw/"),
    ],
)
def test_search_knows_common_spellings_of_names(client, real_data, typed, found):
    response = client.get("/search/", {"q": typed})
    content = response.content.decode()
    assert found in content
    assert "the spelling used in these records" in content


def test_search_in_the_records_spelling_says_nothing_of_spellings(client, real_data):
    content = client.get("/search/", {"q": "Viet Nam"}).content.decode()
    assert "/member-states/viet-nam/" in content
    assert "the spelling used in these records" not in content


def test_search_finds_publications_by_title_and_author(client, real_data):
    by_title = client.get("/search/", {"q": "Monitoring and Evaluation Report"})
    by_author = client.get("/search/", {"q": "Taeihagh"})

    labels = {group["label"] for group in by_title.context["groups"]}
    assert "Publications" in labels
    assert "/sources/#pub-ascn-me-2023" in by_title.content.decode()
    assert "/sources/#pub-tan-taeihagh-sha-2021" in by_author.content.decode()


def test_a_topic_without_peers_does_not_speak_of_other_cities(client, real_data):
    content = client.get("/challenges/financing/").content.decode()
    assert "No city has documented initiatives on this yet." in content
    assert "No other city" not in content


def test_the_records_citing_a_source_are_named_and_linked_as_their_pages_are(
    real_data,
):
    """citing_records reads names as values: each citing record must appear
    with its own str() and address, once per source, for every relation that
    ties a record to a source (link tables, a fact's source field, the records
    shown on /about/)."""
    from ascn_portal.search import (
        CITING,
        CITING_FIELDS,
        CITING_ON_ABOUT,
        citing_records,
    )
    from framework.models import Source

    found = citing_records(sources=list(Source.objects.all()))
    expected = {"links": set(), "fields": set(), "about": set()}
    for group, relations in (("links", CITING), ("about", CITING_ON_ABOUT)):
        for through, field, *_ in relations:
            for link in through.objects.select_related(field):
                record = getattr(link, field)
                expected[group].add(
                    (link.source_id, str(record), record.get_absolute_url())
                )
    for model, field, *_ in CITING_FIELDS:
        for record in model.objects.exclude(**{field: None}):
            source_id = getattr(record, f"{field}_id")
            expected["fields"].add((source_id, str(record), record.get_absolute_url()))
    assert all(expected.values())  # the shipped data cites through each kind
    shown = [
        (source_id, record.name, record.get_absolute_url())
        for source_id, records in found.items()
        for record in records
    ]
    assert len(shown) == len(set(shown))  # each record once per source
    assert set(shown) == set().union(*expected.values())


# An item of the list of sources as portal/source_list.html wrote it before
# ascn_portal.views.source_item_html.
TEMPLATE_SOURCE_ITEM = (
    '<li id="source-{{ source.pk }}"><a href="{{ source.url }}" rel="noopener '
    'external">{{ source.url }}</a>\n    {% if records %}<br><span class="muted">'
    'Cited by:</span> {% for record in records %}<a href="{{ record.get_absolute_url }}'
    '">{{ record.name }}</a>{% if not forloop.last %}; {% endif %}{% endfor %}'
    "{% endif %}\n  </li>"
)


def test_a_source_item_is_what_the_template_wrote():
    from types import SimpleNamespace

    from django.template import Context, Template

    from ascn_portal.search import CitingRecord
    from ascn_portal.views import source_item_html

    hostile = '<b>"A & B\'s"</b>'
    for source, records in (
        (SimpleNamespace(pk=7, url="https://example.org/a?b=1&c=<2>"), []),
        (
            SimpleNamespace(pk=8, url="https://example.org/"),
            [
                CitingRecord(hostile, "/cities/a/"),
                CitingRecord("P (Japan)", "/partners/p/?x=1&y=2"),
            ],
        ),
    ):
        expected = Template(TEMPLATE_SOURCE_ITEM).render(
            Context({"source": source, "records": records})
        )
        assert source_item_html(source, records) == expected


@pytest.mark.parametrize("value", ["99999999999999999999", "abc", "\uff12", "0"])
def test_a_permalink_to_no_recorded_source_is_a_404_that_says_so(
    client, real_data, value
):
    response = client.get("/sources/", {"source": value})
    assert response.status_code == 404
    assert "There is no source" in response.content.decode()


@pytest.mark.parametrize("page", ["\uff12", "+2", "abc", "0", "999"])
def test_a_bad_page_of_sources_is_a_400(client, real_data, page):
    response = client.get("/sources/", {"page": page})
    assert response.status_code == 400
    assert "no such page of sources" in response.content.decode()
