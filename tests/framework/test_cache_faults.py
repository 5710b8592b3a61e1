"""A cache that fails (Redis down, a cache directory that cannot be written) makes
the portal slower, never broken: pages are rendered without it, and an edit made
meanwhile is not hidden by pages kept before it once the cache answers again."""

import socket
import uuid

import pytest
import redis
from django.core.cache import cache, caches
from django.core.cache.backends import filebased

from cities.models import City
from framework import cache as page_cache
from framework import cache_backends

PAGES = (
    "/",
    "/cities/",
    "/cities/jakarta/",
    "/cities/?member_state=thailand",
    "/search/?q=water",
    "/initiatives/",
    "/cities/export.csv",
    "/api/v1/cities/",
)


def closed_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        return listener.getsockname()[1]


def redis_caches(url, prefix="ascn-test"):
    return {
        alias: {
            "BACKEND": "framework.cache_backends.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"{prefix}-{alias}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
        for alias in ("default", "versions")
    }


def file_caches(location):
    return {
        alias: {
            "BACKEND": "framework.cache_backends.FileBasedCache",
            "LOCATION": f"{location}/{alias}",
        }
        for alias in ("default", "versions")
    }


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    return settings


def rendered_without_cache(client, settings):
    """Every page as rendered with the page cache off (the expected answers)."""
    seconds, settings.PAGE_CACHE_SECONDS = settings.PAGE_CACHE_SECONDS, 0
    pages = {path: body(client.get(path)) for path in PAGES}
    settings.PAGE_CACHE_SECONDS = seconds
    return pages


def test_redis_down_every_page_is_rendered(client, real_data, page_cache_on, caplog):
    expected = rendered_without_cache(client, page_cache_on)
    page_cache_on.CACHES = redis_caches(f"redis://127.0.0.1:{closed_port()}/0")
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.get("X-Cache") != "hit"
        assert body(response) == expected[path], path
    assert "The cache failed (ConnectionError" in caplog.text


def test_a_cache_directory_that_cannot_be_made_is_no_cache(
    client, real_data, page_cache_on, tmp_path, caplog
):
    expected = rendered_without_cache(client, page_cache_on)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    page_cache_on.CACHES = file_caches(blocker)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert body(response) == expected[path], path
    assert "The cache failed (NotADirectoryError" in caplog.text


def test_after_a_failure_the_cache_is_left_alone_for_a_while(
    settings, monkeypatch, caplog
):
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{closed_port()}/0")
    calls = []

    def failing_get(self, key, default=None, version=None):
        calls.append(key)
        raise redis.ConnectionError("refused")

    monkeypatch.setattr(cache_backends.django_redis.RedisCache, "get", failing_get)
    now = [1000.0]
    monkeypatch.setattr(cache_backends.time, "monotonic", lambda: now[0])

    assert cache.get("a", "miss") == "miss"
    assert cache.get("b", "miss") == "miss"
    assert cache.set("c", 1) is None  # dropped, not tried
    assert calls == ["a"]
    assert cache_backends.unavailable(cache)
    now[0] += cache_backends.RETRY_SECONDS + 0.1
    assert not cache_backends.unavailable(cache)
    assert cache.get("d", "miss") == "miss"
    assert calls == ["a", "d"]
    assert caplog.text.count("The cache failed") == 2


def test_an_edit_made_while_the_cache_failed_is_seen_once_it_answers(
    settings, tmp_path, monkeypatch
):
    settings.CACHES = file_caches(tmp_path)
    before = page_cache.content_version()
    real_set = filebased.FileBasedCache.set

    def full_disk(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(filebased.FileBasedCache, "set", full_disk)
    page_cache.bump_version()  # an edit's bump, dropped
    monkeypatch.setattr(filebased.FileBasedCache, "set", real_set)
    versions = caches["versions"]
    assert cache_backends.unavailable(versions)
    # Still the old token in the store:
    stored = filebased.FileBasedCache.get(versions, page_cache.VERSION_KEY)
    assert stored == before

    versions._unavailable_until = 0.0  # the retry delay has passed
    after = page_cache.content_version()
    assert after != before
    assert versions.get(page_cache.VERSION_KEY) == after
    assert page_cache.content_version() == after  # written once, then kept


def redis_answers():
    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_pages_and_kept_exports_through_redis(
    client, real_data, page_cache_on, monkeypatch
):
    prefix = f"ascn-test-{uuid.uuid4().hex}"
    page_cache_on.CACHES = redis_caches("redis://127.0.0.1:6379/15", prefix)
    monkeypatch.setattr(page_cache, "KEPT_PART_BYTES", 4096)
    server = redis.Redis(host="127.0.0.1", port=6379, db=15)
    try:
        for path in ("/cities/jakarta/", "/initiatives/export.csv"):
            first = client.get(path)
            sent = body(first)  # a stream is kept once sent whole
            second = client.get(path)
            assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
            assert body(second) == sent
        parts = list(server.scan_iter(f"{prefix}-default:*:part:*"))
        assert len(parts) >= 2  # the export, in parts

        City.objects.filter(slug="jakarta").update(name="Jakarta Renamed")
        page_cache.content_changed()
        assert b"Jakarta Renamed" in body(client.get("/cities/jakarta/"))
    finally:
        for key in server.scan_iter(f"{prefix}-*"):
            server.delete(key)
