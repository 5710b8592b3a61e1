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
from django.db.models.signals import m2m_changed, post_delete, post_save

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


def _key(request):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{content_version()}:{path}"


def cache_public_page(view):
    """Cache successful GET responses for anonymous visitors."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        cacheable = request.method == "GET" and not request.user.is_authenticated
        if not cacheable or not settings.PAGE_CACHE_SECONDS:
            return view(request, *args, **kwargs)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            response = cached
            response["X-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            response["X-Cache"] = "miss"
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper


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
