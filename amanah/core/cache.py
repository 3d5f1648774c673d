"""Amanah's Redis cache backend: Django's own, with two changes for the rate limits that every public form
checks.

* Django's ``RedisCacheClient`` builds a new ``redis.Redis`` object for every cache operation, and redis-py
  copies its table of some two hundred response callbacks into each new object. A ``redis.Redis`` object is
  safe to share between threads (it takes a connection from the pool for each command), so this client keeps
  one per connection pool.
* :meth:`RedisCache.incr_window` counts one event in a fixed window with one command: a short server-side
  script (``EVALSHA``) that runs ``SET key 0 EX window NX`` and then ``INCR key`` as one atomic step, so the
  counter can never lose its expiry between the two. The generic path (``add``, then ``incr``) needs two
  round trips; the same two commands in a ``MULTI``/``EXEC`` block need one round trip but four commands
  and replies, which costs the web process about twice the CPU of the script on every public form.

Values stay in Django's format (integers are stored unpickled), so ``cache.get`` reads the counters.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

#: The window counter's script: start the count at 0 with the window's expiry unless it is running, then
#: add one (Redis runs a script atomically).
WINDOW_SCRIPT = (
    "redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')\nreturn redis.call('INCR', KEYS[1])"
)


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._window_scripts = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def incr_window(self, key, window: int) -> int:
        client = self.get_client(key, write=True)
        script = self._window_scripts.get(id(client))
        if script is None:
            # Sent by its SHA-1; redis-py loads it again when the server has forgotten it (a restart).
            script = self._window_scripts[id(client)] = client.register_script(WINDOW_SCRIPT)
        return int(script(keys=[key], args=[window]))


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
