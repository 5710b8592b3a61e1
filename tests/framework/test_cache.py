"""The page cache's content version: an edit is seen once committed, however
readers and cache culling interleave with it."""

import threading

import pytest
from django.core.cache import cache, caches
from django.db import transaction
from django.test import Client

from cities.models import City
from framework.cache import VERSION_KEY, content_version, version_cache
from tests.conftest import make_city, make_goal

pytestmark = pytest.mark.cache_bumps_on_commit


def test_an_edit_changes_the_version_once_after_commit(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the setup's own bump
        city = make_city()
        goals = [make_goal(), make_goal()]
    before = content_version()
    with django_capture_on_commit_callbacks() as callbacks:
        city.population = 5
        city.save()
        city.focus_goals.add(*goals)
        city.focus_goals.remove(goals[0])
        assert content_version() == before  # not before the commit
    # One bump for the transaction, after the derived tables' one refresh
    # (cities/signals.py), which then needs no bump of its own.
    bumps = [c for c in callbacks if getattr(c, "bump_pending", False)]
    assert len(bumps) == 1
    assert callbacks[-1] is bumps[0]
    callbacks[0]()
    assert content_version() == before
    bumps[0]()
    assert content_version() != before


def test_a_link_change_bumps_once_not_for_its_pre_signals(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        city, goal = make_city(), make_goal()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            city.focus_goals.add(goal)
    assert len(callbacks) == 1


def test_a_page_read_during_an_uncommitted_edit_is_not_served_after_it(
    client, db, django_capture_on_commit_callbacks
):
    """The reader ran while the edit was uncommitted: it saw the old rows, and
    kept them under the version of that moment, which the commit retires."""
    with django_capture_on_commit_callbacks(execute=True):
        city = make_city(slug="edited", name="Old Name")
    with django_capture_on_commit_callbacks(execute=True):
        city.name = "New Name"
        city.save()
        stale_key_version = content_version()
        cache.set(f"data:{stale_key_version}:probe", "Old Name")
    assert cache.get(f"data:{content_version()}:probe") is None


@pytest.mark.django_db(transaction=True)
def test_edit_and_read_in_two_threads_the_edit_is_seen():
    """Thread A saves an edit in a transaction and waits before committing;
    thread B reads the page meanwhile (old data, cached); after A commits, the
    page shows the edit."""
    from django.db import connection

    city = make_city(slug="threaded", name="Before Edit")
    url = city.get_absolute_url()
    assert "Before Edit" in Client().get(url).content.decode()
    saved, read = threading.Event(), threading.Event()
    errors = []

    def edit():
        try:
            with transaction.atomic():
                City.objects.filter(pk=city.pk).update(name="After Edit")
                edited = City.objects.get(pk=city.pk)
                edited.save()  # the signal that marks the content changed
                saved.set()
                read.wait(10)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
            saved.set()
        finally:
            from django.db import connection as thread_connection

            thread_connection.close()

    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite's shared in-memory test database locks readers out while a "
            "write is uncommitted; the single-thread test above covers SQLite"
        )
    writer = threading.Thread(target=edit)
    writer.start()
    saved.wait(10)
    during = Client().get(url).content.decode()
    read.set()
    writer.join(10)

    assert not errors
    assert "Before Edit" in during  # the reader saw the uncommitted edit's old rows
    after = Client().get(url)
    assert "After Edit" in after.content.decode()
    assert after["X-Cache"] == "miss"


@pytest.fixture
def culling_caches(settings, tmp_path):
    """The production layout: a file cache that culls, and the versions cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
            "OPTIONS": {"MAX_ENTRIES": 5, "CULL_FREQUENCY": 1},  # cull everything
        },
        "versions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "versions"),
        },
    }
    yield
    caches["default"].clear()


def test_culling_the_cache_never_brings_back_a_page_from_before_an_edit(
    client, db, culling_caches, django_capture_on_commit_callbacks
):
    city = make_city(slug="culled", name="Before Edit")
    url = city.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        city.name = "After Edit"
        city.save()
    version = content_version()
    for n in range(20):  # past MAX_ENTRIES: the page cache culls
        cache.set(f"filler-{n}", n)

    assert content_version() == version  # the version is not culled
    response = client.get(url)
    assert "After Edit" in response.content.decode()


def test_a_lost_version_never_matches_pages_kept_before(client, db):
    """Should the version ever be lost (a cache restart), the next one is new:
    a counter would restart and meet the pages kept under its old values."""
    city = make_city(slug="lost", name="Before Edit")
    url = city.get_absolute_url()
    client.get(url)
    City.objects.filter(pk=city.pk).update(name="After Edit")  # no signal
    version_cache().delete(VERSION_KEY)

    response = client.get(url)

    assert response["X-Cache"] == "miss"
    assert "After Edit" in response.content.decode()
