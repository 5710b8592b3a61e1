"""Editors' history: links are versioned and restored, no-change saves add no
row, and the admin keeps line endings."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from cities.models import City
from tests.conftest import make_city, make_goal, make_source


@pytest.fixture
def editor(client, db):
    client.force_login(User.objects.create_superuser("root", "r@example.org", "pw"))
    return client


def form_data(form):
    """What a browser would post for the form as shown."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = str(value)
    return data


def test_removing_a_focus_goal_is_recorded_with_the_links(db):
    goals = [make_goal(slug="g-a"), make_goal(slug="g-b")]
    city = make_city(goals=goals)
    before = city.history.count()

    city.focus_goals.remove(goals[1])

    assert city.history.count() == before + 1
    latest, earlier = city.history.all()[:2]
    assert [g.goal_id for g in latest.focus_goals.all()] == [goals[0].pk]
    assert {g.goal_id for g in earlier.focus_goals.all()} == {g.pk for g in goals}


def test_a_save_with_no_change_adds_no_history_row(db):
    city = make_city(goals=[make_goal()])
    before = city.history.count()

    City.objects.get(pk=city.pk).save()
    city.focus_goals.set(list(city.focus_goals.all()))

    assert city.history.count() == before
    city.population = 123
    city.save()
    assert city.history.count() == before + 1


def test_reverting_in_the_admin_restores_removed_links(editor):
    goals = [make_goal(slug="g-a"), make_goal(slug="g-b")]
    sources = [make_source(), make_source()]
    city = make_city(goals=goals)
    city.membership_sources.set(sources)
    version = city.history.first()
    city.focus_goals.remove(goals[1])  # an inline in the admin
    city.membership_sources.remove(sources[0])  # a field of the admin form

    url = reverse("admin:cities_city_simple_history", args=[city.pk, version.pk])
    page = editor.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert set(form.initial["membership_sources"]) == {s.pk for s in sources}
    response = editor.post(url, form_data(form))

    assert response.status_code == 302, response.context["adminform"].form.errors
    city.refresh_from_db()
    assert set(city.focus_goals.all()) == set(goals)
    assert set(city.membership_sources.all()) == set(sources)


def test_admin_keeps_line_endings_and_an_unchanged_form_adds_no_row(editor):
    city = make_city(notes="first line\nsecond line")
    url = reverse("admin:cities_city_change", args=[city.pk])
    page = editor.get(url)
    data = form_data(page.context["adminform"].form)
    data["notes"] = "first line\r\nsecond line"  # as a browser sends a textarea
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    before = city.history.count()

    response = editor.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    city.refresh_from_db()
    assert city.notes == "first line\nsecond line"
    assert city.history.count() == before


def test_admin_changes_are_recorded_and_can_be_restored(editor, real_data):
    city = City.objects.get(slug="jakarta")
    before = city.history.count()
    city.population = 1
    city._history_user = User.objects.get(username="root")
    city.save()
    history = city.history.all()
    assert history.count() == before + 1
    latest = history.first()
    assert latest.history_user.username == "root"
    assert latest.population == 1
    city.population = 2
    city.save()
    # The admin shows the history, and reverting restores the earlier version.
    page = editor.get(reverse("admin:cities_city_history", args=[city.pk]))
    assert page.status_code == 200
    assert "root" in page.content.decode()
    revert_url = reverse(
        "admin:cities_city_simple_history", args=[city.pk, latest.history_id]
    )
    assert editor.get(revert_url).status_code == 200
    city.history.get(history_id=latest.history_id).instance.save()
    city.refresh_from_db()
    assert city.population == 1
