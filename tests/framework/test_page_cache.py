"""The page cache as visitors and editors meet it (framework/cache.py): pages kept
until an edit, never for signed-in editors, one cache for every worker process,
and clear_portal_cache for changes made without signals."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

from cities.models import City
from framework.models import Goal

ROOT = settings.BASE_DIR


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
