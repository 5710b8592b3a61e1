"""Goal and challenge pages stay bounded however many cities and initiatives
link to them: capped lists, exact totals, and links to the full filtered lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cities.models import City, Initiative
from cities.selectors import (
    TOPIC_CITIES_MAX,
    TOPIC_INITIATIVES_MAX,
    topic_initiatives,
)
from tests.conftest import (
    make_challenge,
    make_city,
    make_goal,
    make_initiative,
    make_member_state,
)

Status = Initiative.Status


def add_cities(n, **links):
    state = make_member_state()
    return [make_city(member_state=state, **links) for _ in range(n)]


@pytest.fixture
def make_initiative_named():
    counter = iter(range(10_000))

    def make(city, name, status, **links):
        return make_initiative(
            city=city,
            name=name,
            slug=f"named-{next(counter)}",
            status=status,
            **links,
        )

    return make


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response, response.content.decode()


def test_goal_list_counts_cities_and_initiatives_separately(client, db):
    goal, other = make_goal(), make_goal()
    cities = add_cities(3, goals=[goal, other])
    for city in cities:  # 3 cities x 4 initiatives: a cross join would give 36
        for n in range(4):
            make_initiative(city=city, goals=[goal])
    make_initiative(city=cities[0], goals=[other])

    response, content = get(client, "/goals/")
    counts = {
        g.slug: (g.city_count, g.initiative_count) for g in response.context["goals"]
    }
    assert counts[goal.slug] == (3, 12)
    assert counts[other.slug] == (3, 1)
    assert "3 cities prioritise it · 12 initiatives" in content


def test_goal_list_counts_are_fresh_after_an_edit(client, db):
    goal = make_goal()
    city = make_city(goals=[goal])
    make_initiative(city=city, goals=[goal])
    assert "1 city prioritises it · 1 initiative<" in get(client, "/goals/")[1]
    make_initiative(city=city, goals=[goal])
    assert "1 city prioritises it · 2 initiatives<" in get(client, "/goals/")[1]


def test_challenge_list_counts_cities(client, db):
    challenge = make_challenge()
    add_cities(4, challenges=[challenge])
    response, content = get(client, "/challenges/")
    counts = {c.slug: c.city_count for c in response.context["challenges"]}
    assert counts[challenge.slug] == 4
    assert "4 cities document it" in content


@pytest.mark.parametrize("path", ["/goals/", "/challenges/"])
def test_list_pages_queries_do_not_grow_with_rows(client, db, path):
    goal = make_goal()
    challenge = make_challenge(goals=[goal])
    city = make_city(goals=[goal], challenges=[challenge])
    make_initiative(city=city, goals=[goal], challenges=[challenge])
    with CaptureQueriesContext(connection) as small:
        get(client, path)
    for city in add_cities(20, goals=[goal], challenges=[challenge]):
        make_initiative(city=city, goals=[goal], challenges=[challenge])
    make_goal()
    make_challenge()
    with CaptureQueriesContext(connection) as large:
        get(client, path)
    assert len(large) <= len(small)


def test_goal_page_caps_lists_and_links_to_the_full_lists(
    client, db, make_initiative_named
):
    goal = make_goal()
    n_cities = TOPIC_CITIES_MAX + 5
    cities = add_cities(n_cities, goals=[goal])
    city = cities[0]
    # Strongest status first, then by name: the completed ones lead even though
    # their names sort last, and a proposed "Aaa" one falls past the cap.
    completed = [
        make_initiative_named(city, f"Zulu {i}", Status.COMPLETED, goals=[goal])
        for i in range(3)
    ]
    established = make_initiative_named(city, "Yankee", Status.ONGOING, goals=[goal])
    ongoing = [
        make_initiative_named(city, f"Mike {i:03d}", Status.ONGOING, goals=[goal])
        for i in range(TOPIC_INITIATIVES_MAX)
    ]
    hidden = make_initiative_named(city, "Aaa unknown", Status.UNKNOWN, goals=[goal])
    make_initiative_named(city, "Not this goal", Status.COMPLETED)
    total = 3 + 1 + TOPIC_INITIATIVES_MAX + 1

    response, content = get(client, goal.get_absolute_url())
    context = response.context

    assert context["city_count"] == n_cities
    shown_cities = context["cities"]
    assert len(shown_cities) == TOPIC_CITIES_MAX
    expected = sorted(cities, key=lambda c: (c.name, c.slug))[:TOPIC_CITIES_MAX]
    assert [c.pk for c in shown_cities] == [c.pk for c in expected]
    assert f'href="/cities/?goal={goal.slug}"' in content
    assert f"See all {n_cities} cities that prioritise this goal" in content
    assert f"Cities that prioritise it ({n_cities})" in content

    assert context["initiative_count"] == total
    shown = context["initiatives"]
    assert len(shown) == TOPIC_INITIATIVES_MAX
    expected = completed + ongoing + [established]
    assert [i.pk for i in shown] == [i.pk for i in expected[:TOPIC_INITIATIVES_MAX]]
    assert hidden.get_absolute_url() not in content
    assert f'href="/initiatives/?goal={goal.slug}"' in content
    assert f"See all {total} initiatives for this goal" in content
    assert f"Initiatives ({total})" in content
    assert content.count('class="status status-') <= TOPIC_INITIATIVES_MAX + 10
    # the peers section is still there
    assert "Who to learn from" in content


@pytest.mark.parametrize("over_cap", [False, True])
def test_both_plans_for_a_topics_initiatives_give_the_same_rows(
    db, make_initiative_named, over_cap
):
    """topic_initiatives reads a topic with few initiatives in one query sorted by
    status rank, and one with many status by status: the count it is given only
    picks the plan, so a wrong count still gives the right rows."""
    goal = make_goal()
    joint = make_city(name="Second runner")
    city = make_city(name="Lead runner")
    statuses = [Status.UNKNOWN, Status.COMPLETED, Status.ONGOING, Status.BEFORE_ASCN]
    made = [
        make_initiative_named(
            city,
            f"Initiative {(i * 7) % 13:02d}",
            statuses[i % len(statuses)],
            goals=[goal],
        )
        for i in range(TOPIC_INITIATIVES_MAX + 3 if over_cap else 9)
    ]
    made[1].cities.add(joint)
    rank = {status: n for n, status in enumerate(Status)}
    expected = sorted(made, key=lambda i: (rank[i.status], i.name, i.slug))
    expected = expected[:TOPIC_INITIATIVES_MAX]

    one_query = topic_initiatives(topic=goal, count=0)
    by_status = topic_initiatives(topic=goal, count=10**6)

    assert [i.pk for i in one_query] == [i.pk for i in expected]
    assert [i.pk for i in by_status] == [i.pk for i in expected]
    for shown in (one_query, by_status):
        runners = {i.pk: [r.name for r in i.runners] for i in shown}
        assert runners[made[1].pk] == ["Lead runner", "Second runner"]
        assert all(
            names == ["Lead runner"]
            for pk, names in runners.items()
            if pk != made[1].pk
        )


def test_challenge_page_caps_lists_and_links_to_the_full_lists(client, db):
    challenge = make_challenge()
    n_cities = TOPIC_CITIES_MAX + 2
    cities = add_cities(n_cities, challenges=[challenge])
    n_initiatives = TOPIC_INITIATIVES_MAX + 3
    for i in range(n_initiatives):
        make_initiative(city=cities[i % n_cities], challenges=[challenge])

    response, content = get(client, challenge.get_absolute_url())
    context = response.context
    assert context["city_count"] == n_cities
    assert len(context["cities"]) == TOPIC_CITIES_MAX
    assert f'href="/cities/?challenge={challenge.slug}"' in content
    assert f"See all {n_cities} cities facing this challenge" in content
    assert f"Cities facing it ({n_cities})" in content
    assert context["initiative_count"] == n_initiatives
    assert len(context["initiatives"]) == TOPIC_INITIATIVES_MAX
    assert f'href="/initiatives/?challenge={challenge.slug}"' in content
    assert f"See all {n_initiatives} initiatives on this challenge" in content


def test_full_list_links_lead_to_the_same_totals(client, db):
    goal = make_goal()
    cities = add_cities(TOPIC_CITIES_MAX + 1, goals=[goal])
    for city in cities[:3]:
        make_initiative(city=city, goals=[goal])
    make_city()  # not prioritising the goal

    response, _ = get(client, f"/cities/?goal={goal.slug}")
    assert response.context["page_obj"].paginator.count == TOPIC_CITIES_MAX + 1
    response, _ = get(client, f"/initiatives/?goal={goal.slug}")
    assert response.context["page_obj"].paginator.count == 3


@pytest.mark.parametrize("kind", ["goal", "challenge"])
def test_topic_pages_queries_and_size_do_not_grow_with_rows(client, db, kind):
    goal = make_goal()
    challenge = make_challenge(goals=[goal])
    topic = goal if kind == "goal" else challenge
    links = {"goals": [goal], "challenges": [challenge]}

    def grow(n):
        for city in add_cities(n, **links):
            make_initiative(city=city, status=Status.COMPLETED, **links)
            make_initiative(city=city, status=Status.UNKNOWN, **links)

    grow(TOPIC_INITIATIVES_MAX)  # above both caps already
    with CaptureQueriesContext(connection) as small:
        small_content = get(client, topic.get_absolute_url())[1]
    grow(2 * TOPIC_INITIATIVES_MAX)
    with CaptureQueriesContext(connection) as large:
        large_content = get(client, topic.get_absolute_url())[1]
    assert len(large) <= len(small) <= 20
    assert len(large_content) < 100_000
    # Only the totals change, not how much is listed.
    assert abs(len(large_content) - len(small_content)) < 2_000


@pytest.mark.parametrize(
    "slug", ["civic-and-social", "built-infrastructure", "quality-environment"]
)
def test_real_goal_pages_show_everything(client, real_data, slug):
    response, content = get(client, f"/goals/{slug}/")
    context = response.context
    assert len(context["cities"]) == context["city_count"] > 0
    assert len(context["initiatives"]) == context["initiative_count"] > 0
    assert "See all" not in content
    assert "Filter these cities" in content  # the browser journey follows it
    assert f'href="/cities/?goal={slug}"' in content
    assert f'href="/initiatives/?goal={slug}"' in content


def test_real_challenge_page_shows_every_city(client, real_data):
    response, content = get(client, "/challenges/congestion/")
    context = response.context
    assert (
        len(context["cities"])
        == context["city_count"]
        == (City.objects.filter(challenges__slug="congestion").count())
    )
    assert "See all" not in content
    assert 'href="/cities/?challenge=congestion"' in content
