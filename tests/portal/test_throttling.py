"""Admin sign-in throttling (django-axes, ascn_portal/throttling.py): repeated
failures lock a sign-in, and hostile input is refused, not a server error."""

from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse


def test_admin_login_is_throttled_after_repeated_failures(client, db):
    User.objects.create_superuser("chief", "c@example.org", "right-password")
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "chief", "password": "wrong"})
        assert response.status_code == 200
        assert (
            "Please enter the correct username and password"
            in response.content.decode()
        )
    last = client.post(url, {"username": "chief", "password": "wrong"})
    assert last.status_code == 429
    locked = client.post(url, {"username": "chief", "password": "right-password"})
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()


def test_a_good_login_is_not_throttled(client, db):
    User.objects.create_superuser("chief", "c@example.org", "right-password")
    response = client.post(
        reverse("admin:login"), {"username": "chief", "password": "right-password"}
    )
    assert response.status_code == 302


def test_admin_sign_in_with_an_overlong_username_is_refused_not_a_500(client, db):
    response = client.post(
        "/admin/login/", {"username": "u" * 1000, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "Please enter the correct username" in response.content.decode() or (
        "Ensure this value has at most" in response.content.decode()
    )
