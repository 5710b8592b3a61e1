"""/healthz answers 503 within 2 s whatever the database does."""

import socket
import threading
import time

import pytest
from django.db import connection

from ascn_portal import views


def postgres_at(port):
    return {
        **connection.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "NAME": "ascn",
        "USER": "postgres",
        "PASSWORD": "",
        "OPTIONS": {"connect_timeout": 10},  # longer than /healthz waits
    }


@pytest.fixture
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server
    server.close()


def closed_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def accept_and_close(server):
    def run():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.close()

    threading.Thread(target=run, daemon=True).start()


@pytest.mark.parametrize("database", ["silent", "refusing", "hanging-up"])
def test_healthz_answers_503_within_two_seconds(
    client, db, monkeypatch, listener, database
):
    if database == "silent":
        port = listener.getsockname()[1]  # accepts, then never says a word
    elif database == "refusing":
        port = closed_port()
    else:
        accept_and_close(listener)
        port = listener.getsockname()[1]
    monkeypatch.setattr(views, "health_database_settings", lambda: postgres_at(port))

    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert elapsed < 2
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_up_answers_200(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.parametrize("method", ["post", "put", "delete", "options", "trace"])
def test_healthz_is_read_only(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405


def test_postgres_connections_have_time_limits(db, settings):
    from ascn_portal import settings as portal

    # The settings module applies them whenever DATABASE_URL names PostgreSQL.
    assert portal.DB_CONNECT_TIMEOUT == 3
    assert portal.DB_STATEMENT_TIMEOUT == 10_000
    if connection.vendor == "postgresql":
        options = settings.DATABASES["default"]["OPTIONS"]
        assert options["connect_timeout"] == 3
        assert "-c statement_timeout=10000" in options["options"]
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "10s"
