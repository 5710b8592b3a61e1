"""Cache backends that let the portal answer while its cache cannot.

The cache only makes pages faster (framework/cache.py): every page can be
rendered without it. With Django's own backends a cache that fails (Redis down or
unreachable, a cache directory that cannot be written) raised in every request,
and every page was a 500. These backends treat a failing cache as an empty one
that keeps nothing: a read is a miss, a write is dropped, and a warning is logged.

After a failure the process leaves the cache alone for RETRY_SECONDS, so an
unreachable server costs one connection timeout per process in that time, not
one per cache call. `clear()` is not covered: the command that calls it
(`clear_portal_cache`) must say when it failed.
"""

import logging
import pickle
import time
import zlib

import redis
from django.core.cache.backends import filebased
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0


class TolerantCache:
    """Mixin for a cache backend: the errors in `tolerated` make a call a miss (or
    a dropped write) instead of an exception."""

    tolerated = ()
    _unavailable_until = 0.0

    def unavailable(self):
        """True while the cache is left alone after a failure."""
        return time.monotonic() < self._unavailable_until

    def _call(self, operation, fallback, *args):
        if self.unavailable():
            return fallback
        try:
            return getattr(super(), operation)(*args)
        except self.tolerated as error:
            self._failed(error)
            return fallback

    def _failed(self, error):
        self._unavailable_until = time.monotonic() + RETRY_SECONDS
        logger.warning(
            "The cache failed (%s: %s); pages are rendered without it for the "
            "next %.0f s.",
            type(error).__name__,
            error,
            RETRY_SECONDS,
        )

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)


class RedisCache(TolerantCache, django_redis.RedisCache):
    # redis-py's ConnectionError and TimeoutError are RedisErrors; a socket
    # error can also surface as itself.
    tolerated = (redis.RedisError, OSError)


class FileBasedCache(TolerantCache, filebased.FileBasedCache):
    # A full or read-only disk, a directory that cannot be made; a file cut short.
    tolerated = (OSError, EOFError, zlib.error, pickle.UnpicklingError)

    def __init__(self, dir, params):
        try:
            super().__init__(dir, params)  # makes the directory, last
        except self.tolerated as error:
            self._failed(error)


def unavailable(cache):
    """True if `cache` is a tolerant backend leaving its store alone after a
    failure (a write to it was dropped)."""
    check = getattr(cache, "unavailable", None)  # through django.core.cache.cache too
    return bool(check and check())
