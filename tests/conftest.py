"""Shared test setup: fast hashing, plain static storage, the shipped data loaded
once per test process (`make test` runs one per core). The factories live in
tests/factories.py."""

import io
import sqlite3
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from framework.models import Goal
from tests.factories import (  # noqa: F401 (tests import the factories from here too)
    Commits,
    make_challenge,
    make_city,
    make_goal,
    make_initiative,
    make_member_state,
    make_partner,
    make_source,
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests marked `runs_first` first (after pytest-django's ordering, which puts
    tests without a database last): the bench smoke run mostly waits on gunicorn
    and wrk for half a minute, so with one test process per core it starts while
    the other runs database tests, rather than alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("runs_first") is None)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # One process: memory, so that test runs side by side never share a cache.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    cache.clear()  # cached pages of one test must not leak into the next


@pytest.fixture(autouse=True)
def _cache_bumps_at_once(request, monkeypatch):
    """Each test runs inside a transaction that never commits, so the page-cache
    version (changed after commit, framework/cache.py) would never change: a
    test that edits and then reads a page would get the page from before. Here
    it changes at each edit instead (at the end of a factory call, for all the
    call's edits: tests/factories.py); tests of the commit timing itself are
    marked `cache_bumps_on_commit`."""
    if request.node.get_closest_marker("cache_bumps_on_commit"):
        return
    from framework import cache as page_cache

    def after_commit(func, *, using):
        if Commits.collecting:  # inside a factory call: queued, run at its end
            transaction.on_commit(func, using=using)
        else:
            func()

    monkeypatch.setattr(page_cache, "after_commit", after_commit)
    monkeypatch.setattr(Commits, "at_once", True)


FIXTURE_FILES = sorted(
    str(path) for path in (Path(settings.BASE_DIR) / "fixtures").glob("*.json")
)
# The apps whose tables hold the portal's content (and its history).
CONTENT_APPS = ("cities", "framework")
# Fixtures that open a database for the test, in the order pytest-django prefers.
DB_FIXTURES = ("transactional_db", "live_server", "django_db_reset_sequences", "db")


class Snapshot:
    """The test database as it was once the shipped data was loaded: reloading it
    after a transactional test (whose flush empties every table) is a copy, not
    another load. SQLite's in-memory database is copied whole with its backup
    API; PostgreSQL's tables are copied with COPY."""

    sqlite = None  # an in-memory SQLite connection holding the copy
    tables = None  # PostgreSQL: {table: its rows as COPY wrote them}

    @classmethod
    def take(cls):
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            cls.sqlite = sqlite3.connect(":memory:")
            connection.connection.backup(cls.sqlite)
        elif connection.vendor == "postgresql":
            cls.tables = {}
            with connection.cursor() as cursor:
                for table in postgresql_tables():
                    rows = io.BytesIO()
                    cursor.cursor.copy_expert(f"COPY {table} TO STDOUT", rows)
                    cls.tables[table] = rows.getvalue()

    @classmethod
    def restore(cls):
        """True if there was a copy to restore."""
        if cls.sqlite is not None:
            cls.sqlite.backup(connection.connection)
        elif cls.tables is not None:
            # Django's foreign keys are checked at commit: any order will do.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {', '.join(cls.tables)}")
                for table, rows in cls.tables.items():
                    cursor.cursor.copy_expert(
                        f"COPY {table} FROM STDIN", io.BytesIO(rows)
                    )
                models = apps.get_models(include_auto_created=True)
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
        else:
            return False
        # The flush recreated the content types; cached ids are stale.
        ContentType.objects.clear_cache()
        return True


def postgresql_tables():
    """Every model's table (quoted): the tables a flush empties."""
    names = connection.introspection.django_table_names(only_existing=True)
    return [connection.ops.quote_name(name) for name in sorted(names)]


def load_shipped_data():
    """The shipped data as `make run` loads it (manage.py load_portal_data, into
    the empty test database), outside any test transaction: the loader's tests
    read what it loaded here. Loaded once; later calls restore the snapshot."""
    connection.ensure_connection()
    if Snapshot.restore():
        return
    call_command("load_portal_data", stdout=io.StringIO())
    Snapshot.take()


def content_tables():
    tables = []
    for app_label in CONTENT_APPS:
        app_config = apps.get_app_config(app_label)
        for model in app_config.get_models(include_auto_created=True):
            tables.append(model._meta.db_table)
    return tables


def empty_content_tables():
    """Delete every content row (foreign keys are checked at commit, so the order
    does not matter; inside a test's transaction the rollback brings them back)."""
    # In a transaction of its own too, for transactional tests (autocommit would
    # check each foreign key at once).
    with transaction.atomic(), connection.cursor() as cursor:
        for table in content_tables():
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def shipped_data_present():
    return Goal.objects.exists()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shipped data, loaded once per test process and committed.

    Every test runs in a transaction that is rolled back, so it starts from this
    data whatever the test before it changed. Tests that do not ask for
    `real_data` start from empty content tables (see `_content_as_requested`).
    """
    with django_db_blocker.unblock():
        load_shipped_data()


def _uses_database(request):
    if request.node.get_closest_marker("django_db"):
        return True
    return any(name in request.fixturenames for name in DB_FIXTURES)


@pytest.fixture(autouse=True)
def _content_as_requested(request):
    """`real_data` tests see the shipped data; other database tests see none, as
    if the data had never been loaded."""
    if not _uses_database(request):
        return
    # Open the test's database now (for `db`, its transaction), before the
    # test's other fixtures create anything.
    request.getfixturevalue("_django_db_helper")
    wants_data = "real_data" in request.fixturenames or (
        "browser_data" in request.fixturenames
    )
    if wants_data:
        if not shipped_data_present():
            # A transactional test before this one flushed the tables.
            load_shipped_data()
    else:
        empty_content_tables()


@pytest.fixture
def real_data(db):
    """The shipped fixtures: loaded once per test process (see `django_db_setup`)."""


@pytest.fixture
def superuser_client(client, db):
    user = User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(client, db):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client
