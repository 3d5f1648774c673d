"""Amanah's Redis cache backend: Django's own, with two changes for the rate limits that every public form
checks.

* Django's ``RedisCacheClient`` builds a new ``redis.Redis`` object for every cache operation, and redis-py
  copies its table of some two hundred response callbacks into each new object. A ``redis.Redis`` object is
  safe to share between threads (it takes a connection from the pool for each command), so this client keeps
  one per connection pool.
* :meth:`RedisCache.incr_window` counts one event in a fixed window with one round trip: ``SET key 0 EX
  window NX`` and ``INCR key`` sent together in a ``MULTI``/``EXEC`` block, so the counter can never lose
  its expiry between the two commands. The generic path (``add``, then ``incr``) needs two round trips.

Values stay in Django's format (integers are stored unpickled), so ``cache.get`` reads the counters.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def incr_window(self, key, window: int) -> int:
        pipe = self.get_client(key, write=True).pipeline(transaction=True)
        pipe.set(key, 0, ex=window, nx=True)
        pipe.incr(key)
        return int(pipe.execute()[1])


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def incr_window(self, key, window: int, version=None) -> int:
        """Count one event under ``key`` in a window of ``window`` seconds that starts with the first event;
        returns the count including this one."""
        key = self.make_and_validate_key(key, version=version)
        return self._cache.incr_window(key, int(window))


def remove_expired(cache=None) -> int:
    """Delete the expired entries of a file-based cache (the default without ``AMANAH_CACHE_URL``); returns
    how many. Django deletes an expired file only when its key is read again, so a whistleblower's session
    or a rate-limit bucket would stay on disk, with its expiry time, for good. Redis and the local-memory
    cache drop expired entries themselves (nothing to do: 0)."""
    from django.core.cache import caches
    from django.core.cache.backends.filebased import FileBasedCache

    cache = cache or caches["default"]
    if not isinstance(cache, FileBasedCache):
        return 0
    removed = 0
    for name in cache._list_cache_files():
        try:
            with open(name, "rb") as f:
                removed += bool(cache._is_expired(f))  # deletes the file when it has expired
        except (FileNotFoundError, EOFError):
            continue  # deleted or being written meanwhile
    return removed
