"""A streamed answer (an export) kept by the page cache: stored compressed in
parts as it is sent, sent again whole or not at all, and never held whole in
memory while it is kept."""

import random
import tracemalloc
import zlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import StreamingHttpResponse
from django.test import RequestFactory

from framework import cache as page_cache

CHUNK = 64 * 1024


def hex_chunks(count, seed):
    """`count` chunks of random hex digits (half as large compressed): made as
    they are sent, so that the test itself holds one chunk at a time."""
    generator = random.Random(seed)
    for _ in range(count):
        yield generator.randbytes(CHUNK // 2).hex().encode()


def export_view(calls, count=40, seed=1):
    @page_cache.cache_public_page
    def view(request):
        calls.append(request.path)
        return StreamingHttpResponse(
            hex_chunks(count, seed), headers={"Content-Type": "text/csv"}
        )

    return view


def get(view):
    request = RequestFactory().get("/export.csv")
    request.user = AnonymousUser()
    return view(request)


def body(response):
    return b"".join(response.streaming_content)


def part_keys_in_cache():
    """The parts' keys as the portal names them (without locmem's prefix)."""
    return [key.split(":", 2)[2] for key in list(cache._cache) if ":part:" in key]


@pytest.fixture
def small_parts(monkeypatch, settings):
    settings.PAGE_CACHE_SECONDS = 600
    monkeypatch.setattr(page_cache, "KEPT_PART_BYTES", 100_000)


def kept_entry():
    entries = [
        cache.get(key.split(":", 2)[2])
        for key in list(cache._cache)
        if ":part:" not in key and key.split(":", 2)[2].startswith("page:")
    ]
    return [entry for entry in entries if isinstance(entry, page_cache.KeptStream)]


def test_a_kept_stream_is_stored_in_parts_and_sent_again_whole(db, small_parts):
    calls = []
    view = export_view(calls)
    first = get(view)
    sent = body(first)
    second = get(view)

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.streaming and second["Content-Type"] == "text/csv"
    assert body(second) == sent
    assert len(sent) == 40 * CHUNK
    assert calls == ["/export.csv"]  # the hit did not run the view
    [kept] = kept_entry()
    # About 1.3 MB compressed, in parts of at least 100,000 bytes.
    assert 5 <= len(kept.part_keys) == len(part_keys_in_cache()) <= 20


def test_a_part_gone_from_the_cache_makes_the_stream_again(db, small_parts):
    calls = []
    view = export_view(calls)
    sent = body(get(view))
    [kept] = kept_entry()
    cache.delete(kept.part_keys[2])  # culled, as a full cache does

    again = get(view)
    assert again["X-Cache"] == "miss"
    assert body(again) == sent
    assert len(calls) == 2
    # The incomplete copy's other parts are gone; only the new copy's remain.
    [new] = kept_entry()
    assert sorted(part_keys_in_cache()) == sorted(new.part_keys)
    assert not set(kept.part_keys) & set(new.part_keys)


def test_a_part_culled_during_a_download_does_not_cut_it_short(db, small_parts):
    view = export_view([])
    sent = body(get(view))
    [kept] = kept_entry()
    hit = get(view)
    assert hit["X-Cache"] == "hit"
    cache.delete_many(kept.part_keys)  # culled or expired while it is sent

    assert body(hit) == sent


def test_two_misses_side_by_side_leave_one_copy(db, small_parts):
    calls = []
    view = export_view(calls)
    first, second = get(view), get(view)  # both started before either ended
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "miss")
    assert body(first) == body(second)

    [kept] = kept_entry()
    assert sorted(part_keys_in_cache()) == sorted(kept.part_keys)
    assert get(view)["X-Cache"] == "hit"


def test_a_client_that_leaves_early_keeps_nothing(db, small_parts):
    calls = []
    view = export_view(calls)
    response = get(view)
    stream = iter(response.streaming_content)
    for _ in range(20):  # past several parts
        next(stream)
    assert part_keys_in_cache()  # parts are stored as the stream goes
    response.close()  # the client left: Django closes the response

    assert part_keys_in_cache() == []
    assert kept_entry() == []
    assert get(view)["X-Cache"] == "miss"


def test_a_stream_over_the_size_limit_is_sent_whole_and_not_kept(
    db, small_parts, monkeypatch
):
    monkeypatch.setattr(page_cache, "STREAM_CACHE_MAX_BYTES", 30 * CHUNK)
    calls = []
    view = export_view(calls)
    assert len(body(get(view))) == 40 * CHUNK
    assert part_keys_in_cache() == []
    assert kept_entry() == []
    assert get(view)["X-Cache"] == "miss"


def test_a_copy_kept_by_an_earlier_release_is_made_again(db, small_parts):
    calls = []
    view = export_view(calls)
    sent = body(get(view))
    [key] = [k for k in list(cache._cache) if ":part:" not in k and ":page:" in k]
    old = page_cache.KeptStream.__new__(page_cache.KeptStream)
    old.headers, old.packed = {"Content-Type": "text/csv"}, b"old"  # its fields
    cache.set(key.split(":", 2)[2], old)

    again = get(view)
    assert again["X-Cache"] == "miss"
    assert body(again) == sent


def test_keeping_a_stream_never_holds_its_copy_whole(db, settings):
    """The memory a kept export costs while it is sent is about one part, not the
    whole compressed copy (16 MB sent here, some 8 MB compressed)."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    view = export_view([], count=256, seed=2)
    tracemalloc.start()
    try:
        response = get(view)
        sent = 0
        for chunk in response.streaming_content:
            sent += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sent == 256 * CHUNK
    assert peak < 4 * page_cache.KEPT_PART_BYTES, f"{peak / 1e6:.1f} MB"


def test_hex_chunks_are_not_all_alike():
    # The memory test needs data that compresses to about half, not to nothing.
    chunks = list(hex_chunks(2, seed=3))
    assert chunks[0] != chunks[1]
    assert len(zlib.compress(chunks[0], 1)) > CHUNK // 3
