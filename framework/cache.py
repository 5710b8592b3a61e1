"""Whole-page caching for anonymous visitors, invalidated by any content edit.

Each cached page's key includes the content version: a random token. Saving or
deleting any content record (or changing its links) replaces the token once the
edit's transaction commits, so no page rendered before an edit is served after it.

Why a random token, written after commit, in its own cache:
- After commit: a reader that runs while an edit is still uncommitted reads the
  old rows; if the version changed before commit, it would keep them under the
  new version, to be served after the edit. Replaced after commit, the token that
  reader used is already the old one.
- Random: if the token is ever lost (a cache restart, an eviction), the next
  request makes a new one that no cached entry carries. A counter that restarts
  would meet the pages kept under its earlier values again.
- Its own cache (the `versions` alias, see settings): culling the page cache when
  it passes MAX_ENTRIES never removes the token.

With several app servers, point CACHE_URL at a shared Redis so they share the
version and the pages.
"""

import functools
import hashlib
import secrets
import zlib

from django.conf import settings
from django.core.cache import cache, caches
from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.functional import cached_property

from .cache_backends import unavailable
from .params import canonical_query

VERSION_KEY = "content-version"
VERSION_CACHE = "versions"
# Values computed from the content are stale after an edit anyway (their key holds
# the version); the timeout only bounds how long unused ones occupy the cache.
DATA_CACHE_SECONDS = 24 * 60 * 60
# m2m_changed actions after which the links differ: one bump per link change.
LINK_CHANGES = {"post_add", "post_remove", "post_clear"}


def version_cache():
    """The cache holding the version token: its own alias when configured."""
    return caches[VERSION_CACHE] if VERSION_CACHE in settings.CACHES else cache


def new_token():
    return secrets.token_hex(8)


# A bump this process could not write (the cache was failing): written as soon as
# the cache answers again, or pages kept before the edit would be served after.
_bump_owed = False


def content_version():
    versions = version_cache()
    if _bump_owed and not unavailable(versions):
        bump_version()
    version = versions.get(VERSION_KEY)
    if version is None:
        versions.add(VERSION_KEY, new_token(), timeout=None)
        # None only if the cache keeps nothing: then nothing is ever a hit.
        version = versions.get(VERSION_KEY) or new_token()
    return version


def bump_version():
    """Make every cached page and value stale, now (or, if the cache is failing,
    as soon as it answers again)."""
    global _bump_owed
    versions = version_cache()
    versions.set(VERSION_KEY, new_token(), timeout=None)
    _bump_owed = unavailable(versions)


def content_changed(*, using=DEFAULT_DB_ALIAS, action=None, **kwargs):
    """Signal receiver (and a function to call after raw SQL): a new version once
    the current transaction commits, or at once outside one. One bump per
    transaction however many records it changes."""
    if action is not None and action not in LINK_CHANGES:
        return  # pre_add, pre_remove, pre_clear: nothing changed yet
    using = using or DEFAULT_DB_ALIAS
    if connections[using].in_atomic_block:
        pending = connections[using].run_on_commit
        if any(getattr(callback, "bump_pending", False) for _, callback, _ in pending):
            return

    def bump():
        bump.bump_pending = False
        bump_version()

    bump.bump_pending = True
    after_commit(bump, using=using)


def after_commit(func, *, using):
    # Robust: the edit is saved whatever the cache does; a failure is logged.
    transaction.on_commit(func, using=using, robust=True)


def connect_invalidation(app_config):
    for model in app_config.get_models():
        # History rows, and tables derived from the content and kept by their own
        # signals (`is_derived_data`), change only when the content does.
        if model.__name__.startswith("Historical") or getattr(
            model, "is_derived_data", False
        ):
            continue
        uid = f"cache-{model._meta.label}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid + "-del")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                content_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
            )


def _key(request, headers):
    # The whole address, host included: pages quote their own absolute URL (the
    # citation box, the API's links), so a page served under another host name
    # must not be answered from this one's copy.
    # Tracking parameters (utm_*) change nothing on the page: they are not part of
    # the key, so they cannot be used to skip the cache.
    query = canonical_query(request.META.get("QUERY_STRING", ""))
    parts = [request.build_absolute_uri(request.path) + ("?" + query if query else "")]
    parts += [request.headers.get(header, "") for header in headers]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{content_version()}:{digest}"


def content_etag(request, *args, **kwargs):
    """An ETag for an answer that depends only on its address and the content:
    known before the view runs, so Django's `condition()` answers a matching
    If-None-Match with 304 without building the answer (used by the streamed
    exports, whose body is never held whole to hash)."""
    digest = _key(request, ()).rsplit(":", 1)[1][:16]
    return f'"{content_version()}-{digest}"'


def cache_public_page(view=None, *, vary_on_headers=()):
    """Cache successful GET responses for anonymous visitors.

    `vary_on_headers` names request headers the response depends on besides the
    address (the API's `Accept`, which can make the answer a 406).
    """
    if view is None:
        return functools.partial(cache_public_page, vary_on_headers=vary_on_headers)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        cacheable = request.method == "GET" and not request.user.is_authenticated
        if not cacheable or not settings.PAGE_CACHE_SECONDS:
            return view(request, *args, **kwargs)
        key = _key(request, vary_on_headers)
        cached = cache.get(key)
        if isinstance(cached, KeptStream):
            cached = cached.response()  # None if a part has left the cache
        if cached is not None:
            cached["X-Cache"] = "hit"
            return cached
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and response.streaming:
            return _stream_and_keep(response, key)
        if response.status_code == 200:
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.cookies:
                return response  # a cookie is one visitor's, never everyone's
            # Kept and returned as a plain response, hit or miss: a decorator
            # outside this one (conditional_page's 304) acts on it at once, where
            # a rendered template response would defer it and drop its answer.
            response = HttpResponse(
                response.content, status=response.status_code, headers=response.headers
            )
            response["X-Cache"] = "miss"
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper


# A streamed answer (an export) is kept once sent whole, up to this size.
STREAM_CACHE_MAX_BYTES = 50 * 1024 * 1024
# A kept stream is stored compressed in parts of about this size, each under its
# own key, as it is sent: no step holds more than one part. Kept as one value, the
# 100,000-initiative CSV's compressed copy (some 10 MB) was held whole, joined,
# pickled and compressed again by the file cache: the worker grew by 46 MB.
KEPT_PART_BYTES = 1024 * 1024
# Compressed bytes unpacked at a time when a kept stream is sent again.
UNPACK_CHUNK_BYTES = 64 * 1024


class KeptStream:
    """A streamed answer as the cache keeps it: its headers, and the keys of its
    body's compressed parts (zlib)."""

    def __init__(self, headers, part_keys):
        self.headers = headers
        self.part_keys = part_keys

    def response(self):
        """The answer sent again as a stream, or None if a part has left the
        cache (a full cache culls entries one at a time): then it is made again.

        Every part is read before the answer starts, so a part culled or expired
        during a slow download cannot cut it short (a client on HTTP/1.0 could
        not tell a short body from a whole one). That holds the compressed copy
        (some 10 MB for the 100,000-initiative CSV) for the length of the
        download, never the copy unpacked. A copy kept by an earlier release of
        this class has no part keys: it is made again too."""
        part_keys = getattr(self, "part_keys", None)
        found = cache.get_many(part_keys) if part_keys else {}
        if not part_keys or len(found) != len(part_keys):
            if found:
                cache.delete_many(list(found))  # the rest of an incomplete copy
            return None
        parts = [found[part_key] for part_key in part_keys]
        del found

        def chunks():
            unpacker = zlib.decompressobj()
            while parts:
                part = memoryview(parts.pop(0))  # freed once unpacked
                for start in range(0, len(part), UNPACK_CHUNK_BYTES):
                    yield unpacker.decompress(part[start : start + UNPACK_CHUNK_BYTES])
            yield unpacker.flush()

        return StreamingHttpResponse(chunks(), headers=self.headers)


def _stream_and_keep(response, key):
    """Send a streamed answer as it is produced and keep a compressed copy for
    the next request, once it has been sent whole (a client that leaves early
    keeps nothing, and nothing half-made is cached)."""
    if response.cookies:
        return response
    headers = dict(response.headers)
    content = response.streaming_content
    # Parts of this copy only: two misses of one address never mix their parts.
    part_prefix = f"{key}:part:{new_token()}:"

    def chunks():
        # Level 1: about three times faster than the default on the exports, for
        # a copy a little larger; the miss that writes it is the slow request.
        packer = zlib.compressobj(1)
        part_keys, pending, pending_size, size = [], [], 0, 0
        kept = False

        def store(data):
            part_key = part_prefix + str(len(part_keys))
            part_keys.append(part_key)
            cache.set(part_key, data, settings.PAGE_CACHE_SECONDS)

        try:
            for chunk in content:
                size += len(chunk)
                if size <= STREAM_CACHE_MAX_BYTES:
                    packed = packer.compress(chunk)
                    pending.append(packed)
                    pending_size += len(packed)
                    if pending_size >= KEPT_PART_BYTES:
                        store(b"".join(pending))
                        pending, pending_size = [], 0
                elif part_keys or pending:
                    cache.delete_many(part_keys)  # too large to keep: drop it
                    part_keys, pending = [], []
                yield chunk
            if size <= STREAM_CACHE_MAX_BYTES:
                pending.append(packer.flush())
                store(b"".join(pending))
                earlier = cache.get(key)  # a copy kept by a miss running alongside
                cache.set(
                    key, KeptStream(headers, part_keys), settings.PAGE_CACHE_SECONDS
                )
                kept = True
                if isinstance(earlier, KeptStream):
                    cache.delete_many(getattr(earlier, "part_keys", None) or [])
        finally:
            if not kept and part_keys:
                cache.delete_many(part_keys)  # the client left: keep nothing

    streamed = StreamingHttpResponse(chunks(), headers=headers)
    streamed["X-Cache"] = "miss"
    return streamed


def query_key(queryset):
    """A short key naming what `queryset` selects (its SQL and parameters), for
    values derived from it, such as its count."""
    sql, params = queryset.query.sql_with_params()
    return hashlib.sha256(repr((sql, params)).encode()).hexdigest()


def cached_until_edit(key, compute):
    """`compute()`'s result, kept until the next content edit.

    For reads that cost the same whatever the request (counts over whole tables):
    the key carries the content version, so an edit makes every such value stale.
    """
    full_key = f"data:{content_version()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=DATA_CACHE_SECONDS)
    return value


class CachedCountPaginator(Paginator):
    """Counts each list query once per content version.

    The total of a filtered list (`?goal=`, `?partner=none`) means counting every
    match, tens of thousands of rows at scale, where the page shows 30 or 50. The
    same query has the same total until the next content edit, so it is kept
    until then. Used by the HTML lists and the API.
    """

    @cached_property
    def count(self):
        queryset = self.object_list.order_by()
        return cached_until_edit(f"count:{query_key(queryset)}", queryset.count)
