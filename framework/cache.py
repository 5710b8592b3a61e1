"""Whole-page caching for anonymous visitors, invalidated by any content edit.

Each cached page's key includes a content version number kept in the cache.
Saving or deleting any content record (or changing its links) bumps the version,
so no page rendered before an edit is served after it. With several app servers,
point CACHE_URL at a shared Redis so they share the version and the pages.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.functional import cached_property

VERSION_KEY = "content-version"
# Values computed from the content are stale after an edit anyway (their key holds
# the version); the timeout only bounds how long unused ones occupy the cache.
DATA_CACHE_SECONDS = 24 * 60 * 60


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def content_changed(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def connect_invalidation(app_config):
    for model in app_config.get_models():
        if model.__name__.startswith("Historical"):
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
    parts = [request.build_absolute_uri()]
    parts += [request.headers.get(header, "") for header in headers]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{content_version()}:{digest}"


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
        if cached is not None:
            response = cached
            response["X-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
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
