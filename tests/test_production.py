"""Production settings, security headers, throttling, caching, protection,
history and backups."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from cities.models import City, MemberState
from framework.models import Goal
from tests.conftest import FIXTURE_FILES, make_city, make_goal, make_member_state

ROOT = settings.BASE_DIR


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "PRODUCTION": "true",
    "SECRET_KEY": "a-long-random-production-secret-for-the-check-0123456789abcdef",
    "ALLOWED_HOSTS": "ascn.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://ascn.example.org",
}


def test_check_deploy_passes_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_with_local_defaults():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env={})
    assert result.returncode != 0


def test_production_without_secret_key_refuses_to_start():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_boolean_setting_refuses_to_start():
    result = run_manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize("path", ["/", "/cities/", "/cities/nope/", "/api/v1/cities/"])
def test_security_headers_on_every_response(client, real_data, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "geolocation=()" in response["Permissions-Policy"]


def test_pages_have_no_inline_scripts(client, real_data):
    for path in [
        "/",
        "/cities/",
        "/cities/jakarta/",
        "/compare/?city=jakarta&city=bangkok",
        "/api/v1/docs/",
    ]:
        content = client.get(path).content.decode()
        for chunk in content.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag, f"inline script on {path}"


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


def test_anonymous_pages_are_cached_and_an_edit_invalidates_them(
    client, real_data, django_capture_on_commit_callbacks
):
    first = client.get("/cities/jakarta/")
    assert first["X-Cache"] == "miss"
    second = client.get("/cities/jakarta/")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    city = City.objects.get(slug="jakarta")
    city.population = 10_600_001
    with django_capture_on_commit_callbacks(execute=True):
        city.save()
    third = client.get("/cities/jakarta/")
    assert third["X-Cache"] == "miss"
    assert "10,600,001" in third.content.decode()


@pytest.mark.cache_bumps_on_commit
def test_a_link_change_invalidates_cached_pages(
    client, real_data, django_capture_on_commit_callbacks
):
    client.get("/cities/?goal=health-and-well-being")
    city = City.objects.get(slug="jakarta")
    goal = Goal.objects.get(slug="health-and-well-being")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        city.focus_goals.add(goal)
    assert len(callbacks) == 1  # one bump per link change
    response = client.get("/cities/?goal=health-and-well-being")
    assert response["X-Cache"] == "miss"
    assert "/cities/jakarta/" in response.content.decode()


def test_signed_in_editors_never_get_cached_pages(client, real_data):
    client.get("/cities/jakarta/")
    client.force_login(User.objects.create_superuser("ed", "e@example.org", "pw"))
    response = client.get("/cities/jakarta/")
    assert "X-Cache" not in response
    assert "Edit in admin" in response.content.decode()


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


def test_admin_changes_are_recorded_and_can_be_restored(
    admin_client_logged_in, real_data
):
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
    page = admin_client_logged_in.get(
        reverse("admin:cities_city_history", args=[city.pk])
    )
    assert page.status_code == 200
    assert "root" in page.content.decode()
    revert_url = reverse(
        "admin:cities_city_simple_history", args=[city.pk, latest.history_id]
    )
    assert admin_client_logged_in.get(revert_url).status_code == 200
    city.history.get(history_id=latest.history_id).instance.save()
    city.refresh_from_db()
    assert city.population == 1


def test_backup_restores_identically_into_an_empty_database(real_data, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup_content", output=str(backup), stdout=open(os.devnull, "w"))
    before = json.loads(backup.read_text())
    assert len(before) == sum(
        len(json.loads(open(path).read())) for path in FIXTURE_FILES
    )
    from cities.models import Initiative, Partner
    from framework.models import (
        Challenge,
        FrameworkPart,
        Milestone,
        NetworkFigure,
        Outcome,
        Publication,
        Source,
    )

    for model in (
        Initiative,
        City,
        Partner,
        MemberState,
        NetworkFigure,
        Milestone,
        Challenge,
        FrameworkPart,
        Outcome,
    ):
        model.objects.all().delete()
    Goal.objects.all().delete()
    Source.objects.all().delete()
    Publication.objects.all().delete()
    assert City.objects.count() == 0
    call_command("loaddata", str(backup), verbosity=0)
    again = tmp_path / "again.json"
    call_command("backup_content", output=str(again), stdout=open(os.devnull, "w"))
    assert json.loads(again.read_text()) == before


BUMP_VERSION = (
    "import django; django.setup();"
    "from framework.cache import content_changed, content_version;"
    "import sys; {action}"
)


def test_default_cache_is_shared_by_the_worker_processes(tmp_path):
    """gunicorn runs several processes: an edit saved by one must make the others
    drop what they cached before it, so the default cache cannot be per process."""
    env = {"CACHE_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "ascn_portal.settings"}

    def python(action):
        result = subprocess.run(
            [sys.executable, "-c", BUMP_VERSION.format(action=action)],
            cwd=ROOT,
            env={"PATH": os.environ["PATH"], **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    before = python("print(content_version())")
    assert python("print(content_version())") == before  # kept between processes
    python("content_changed()")  # another process saves an edit
    after = python("print(content_version())")
    assert after != before

    # A setup on another database sharing the directory keeps its own entries.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    python("content_changed(); content_changed()")
    del env["DATABASE_URL"]
    assert python("print(content_version())") == after


def test_clear_portal_cache_drops_pages_after_a_change_without_signals(
    client, real_data
):
    client.get("/cities/bangkok/")
    City.objects.filter(slug="bangkok").update(population=5_600_002)
    assert client.get("/cities/bangkok/")["X-Cache"] == "hit"  # stale, as documented

    out = io.StringIO()
    call_command("clear_portal_cache", stdout=out)

    response = client.get("/cities/bangkok/")
    assert "dropped" in out.getvalue()
    assert response["X-Cache"] == "miss"
    assert "5,600,002" in response.content.decode()
