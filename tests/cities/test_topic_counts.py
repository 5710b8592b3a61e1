"""A topic's number of cities is one count (selectors.topic_counts): the home
page, the goal and challenge lists and pages and the API all give the same figure,
and it is the number of linked cities in the database, also right after an edit."""

import re

from cities.models import City
from framework.models import Challenge, Goal
from tests.conftest import make_city


def page_text(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def api_counts(client, resource):
    body = client.get(f"/api/v1/{resource}/", {"page_size": 500}).json()
    return {row["slug"]: row["city_count"] for row in body["results"]}


def assert_goal_counts_agree(client):
    home = page_text(client, "/")
    goal_list = page_text(client, "/goals/")
    api = api_counts(client, "goals")
    for goal in Goal.objects.all():
        expected = City.objects.filter(focus_goals=goal).count()
        assert api[goal.slug] == expected, goal.slug
        unit = "city prioritises" if expected == 1 else "cities prioritise"
        assert f"{expected} {unit} it" in goal_list, goal.slug
        assert f"<strong>{goal.name}</strong><span>{expected} {unit} it" in home
        detail = page_text(client, goal.get_absolute_url())
        assert f"Cities that prioritise it ({expected})" in detail, goal.slug


def assert_challenge_counts_agree(client):
    challenge_list = page_text(client, "/challenges/")
    api = api_counts(client, "challenges")
    for challenge in Challenge.objects.all():
        expected = City.objects.filter(challenges=challenge).count()
        assert api[challenge.slug] == expected, challenge.slug
        unit = "city documents" if expected == 1 else "cities document"
        assert f"{expected} {unit} it" in challenge_list, challenge.slug
        detail = page_text(client, challenge.get_absolute_url())
        assert f"Cities facing it ({expected})" in detail, challenge.slug


def test_goal_city_counts_agree_on_every_page_and_the_api(client, real_data):
    assert_goal_counts_agree(client)


def test_challenge_city_counts_agree_on_every_page_and_the_api(client, real_data):
    assert_challenge_counts_agree(client)


def test_counts_follow_an_edit(client, real_data):
    goal = Goal.objects.order_by("pk").first()
    challenge = Challenge.objects.order_by("pk").first()
    assert_goal_counts_agree(client)  # the counts are now kept in the cache

    city = make_city(name="Countville")
    city.focus_goals.add(goal)
    city.challenges.add(challenge)

    assert_goal_counts_agree(client)
    assert_challenge_counts_agree(client)
