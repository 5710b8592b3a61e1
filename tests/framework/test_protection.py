"""Records still in use cannot be deleted (framework/protection.py), in code and
in the admin."""

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from cities.models import MemberState
from framework.models import Goal
from tests.conftest import make_city, make_goal, make_member_state


def test_deleting_a_member_state_with_cities_is_refused(db):
    state = make_member_state()
    make_city(member_state=state)
    with pytest.raises(ProtectedError), transaction.atomic():
        state.delete()


def test_deleting_a_goal_in_use_is_refused(db):
    goal = make_goal()
    make_city(goals=[goal])
    with pytest.raises(ProtectedError, match="still used by"), transaction.atomic():
        goal.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Goal.objects.filter(pk=goal.pk).delete()
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_an_unused_goal_can_be_deleted(db):
    goal = make_goal()
    goal.delete()
    assert not Goal.objects.filter(pk=goal.pk).exists()


@pytest.fixture
def admin_client_logged_in(client, db):
    client.force_login(User.objects.create_superuser("root", "r@example.org", "pw"))
    return client


def test_admin_refuses_to_delete_a_goal_in_use(admin_client_logged_in, real_data):
    goal = Goal.objects.get(slug="quality-environment")
    url = reverse("admin:framework_goal_delete", args=[goal.pk])
    page = admin_client_logged_in.get(url)
    content = page.content.decode()
    assert "protected" in content.lower()
    assert "Bangkok" in content
    admin_client_logged_in.post(url, {"post": "yes"})
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_admin_refuses_to_delete_a_member_state_with_cities(
    admin_client_logged_in, real_data
):
    state = MemberState.objects.get(slug="thailand")
    url = reverse("admin:cities_memberstate_delete", args=[state.pk])
    admin_client_logged_in.post(url, {"post": "yes"})
    assert MemberState.objects.filter(pk=state.pk).exists()
