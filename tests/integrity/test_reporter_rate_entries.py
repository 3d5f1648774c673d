"""The cache entries of the reporter's rate limits (receipts, writes, the report form) date nothing more
closely than their window: the file cache's file carries the window's start as its times and the
window's end as its expiry (not the moment of the last event), Redis's key expires with the window, and
no key says which action it counts (docs/integrity.md, *Rate limits*)."""

import math
import pickle
import time

import pytest

from tests.core.test_cache import _redis_answers

pytestmark = pytest.mark.django_db

WINDOW = 600
CLIENT = "203.0.113.7"


@pytest.fixture
def frozen(monkeypatch):
    """The rate limits' clock stopped now (the cache's own clock goes on by a few ms): (its window's
    start, the time it stopped at). Not in a window's last seconds, so that the test stays in it."""
    from amanah.core import ratelimit

    if WINDOW - time.time() % WINDOW < 5:
        time.sleep(WINDOW - time.time() % WINDOW + 0.1)
    now = time.time()
    monkeypatch.setattr(ratelimit, "clock", lambda: now)
    return int(now // WINDOW) * WINDOW, now


@pytest.fixture
def redis_cache(settings):
    """Amanah's Redis backend on the real server (a database of its own; only this test's keys are
    looked at and removed)."""
    if not _redis_answers():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "amanah.core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/11",
        }
    }
    from django.core.cache import cache

    yield cache


@pytest.fixture
def file_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    from django.core.cache import cache

    yield cache
    cache.clear()


def _entries(cache) -> list[tuple[float, float, float]]:
    """(modification time, access time, stored expiry) of each file of the file cache."""
    import os

    out = []
    for name in cache._list_cache_files():
        info = os.stat(name)  # before reading it, which sets its access time
        with open(name, "rb") as f:
            expiry = pickle.load(f)
        out.append((info.st_mtime, info.st_atime, expiry))
    return out


def test_a_reporter_write_leaves_a_file_dated_to_its_window(file_cache, frozen, settings):
    from amanah.integrity import services

    settings.INTEGRITY_REPLY_RATE = (2, WINDOW)
    real_now = time.time()
    assert [services.reporter_write_allowed(CLIENT) for _ in range(3)] == [True, True, False]
    start, _stopped = frozen
    [(mtime, atime, expiry)] = _entries(file_cache)
    assert mtime == atime == start  # the window's start, not the moment of the last write
    # The window's end (to the second), not the first or last write plus a timeout.
    end = start + WINDOW
    assert end <= expiry <= end + 1 + (time.time() - real_now), (expiry, end)


def test_the_receipt_counter_too(file_cache, frozen, settings):
    from amanah.integrity import services

    for _ in range(2):
        with pytest.raises(services.SessionError):
            services.open_session("1234 5678 9012 3456", CLIENT)
    start, stopped = frozen
    [(mtime, atime, expiry)] = _entries(file_cache)
    assert mtime == atime == start
    assert start + WINDOW <= expiry <= start + WINDOW + 1 + (time.time() - stopped)


def test_no_key_names_its_action_and_redis_expires_it_with_the_window(
    redis_cache, frozen, settings
):
    from amanah.core import ratelimit
    from amanah.integrity import services

    settings.INTEGRITY_REPLY_RATE = (5, WINDOW)
    ident = f"{CLIENT}-{time.time_ns()}"  # a client of this test alone
    key = redis_cache.make_and_validate_key(ratelimit._key(services.REPORTER_WRITES, ident, WINDOW))
    raw = redis_cache._cache.get_client(write=True)
    try:
        assert services.reporter_write_allowed(ident)
        assert services.reporter_write_allowed(ident)
        assert raw.exists(key)
        assert "integrity" not in key and "reporter" not in key and CLIENT not in key
        # to the window's end from the stopped clock, less the time gone by since
        start, stopped = frozen
        left = math.ceil(start + WINDOW - stopped)
        assert left - (time.time() - stopped) - 1 <= raw.ttl(key) <= left, (raw.ttl(key), left)
        assert ratelimit.count(services.REPORTER_WRITES, ident, WINDOW) == 2
    finally:
        raw.delete(key)
