"""Amanah's Redis cache backend against the real Redis server on 127.0.0.1:6379 (database 13, emptied
before each test): one shared client per pool, and the one-round-trip window counter the rate limits use."""

import os
import socket
import threading

import pytest

REDIS_URL = "redis://127.0.0.1:6379/13"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_cache(settings):
    if not _redis_answers():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true and no Redis server answers on 127.0.0.1:6379")
        pytest.skip("no Redis server on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "amanah.core.cache.RedisCache", "LOCATION": REDIS_URL}
    }
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


def test_the_backend_reuses_one_client_per_pool(redis_cache):
    inner = redis_cache._cache
    first = inner.get_client(write=True)
    redis_cache.set("a", 1)
    redis_cache.get("a")
    assert inner.get_client(write=True) is first
    assert inner.get_client() is first  # one server: reads use the same pool


def test_window_counter_counts_and_expires_with_the_window(redis_cache):
    assert [redis_cache.incr_window("k", 600) for _ in range(3)] == [1, 2, 3]
    raw = redis_cache._cache.get_client(write=True)
    key = redis_cache.make_and_validate_key("k")
    assert 595 <= raw.ttl(key) <= 600
    assert redis_cache.get("k") == 3  # stored as Django stores integers
    assert redis_cache.incr_window("other", 600) == 1


def test_window_counter_restarts_after_the_window(redis_cache):
    raw = redis_cache._cache.get_client(write=True)
    key = redis_cache.make_and_validate_key("k")
    redis_cache.incr_window("k", 600)
    raw.delete(key)  # what Redis does when the window's expiry passes
    assert redis_cache.incr_window("k", 600) == 1
    assert raw.ttl(key) > 0


def test_window_counter_is_one_command(redis_cache, monkeypatch):
    import redis

    redis_cache.incr_window("k", 60)  # the first count may load the script first
    sent = []
    connection_class = type(
        redis_cache._cache.get_client(write=True).connection_pool.make_connection()
    )
    original = connection_class.send_packed_command

    def send(self, command, check_health=True):
        sent.append(b"".join(command) if isinstance(command, list) else command)
        return original(self, command, check_health)

    monkeypatch.setattr(connection_class, "send_packed_command", send)
    assert issubclass(connection_class, redis.connection.AbstractConnection)
    assert redis_cache.incr_window("k", 60) == 2
    assert len(sent) == 1  # one write to the socket: one round trip
    # One command, no MULTI/EXEC block: the script that sets the expiry and counts in one atomic step.
    assert sent[0].startswith(b"*5\r\n$7\r\nEVALSHA\r\n")
    from amanah.core.cache import WINDOW_SCRIPT

    words = WINDOW_SCRIPT.upper()
    assert words.index("'SET'") < words.index("'NX'") < words.index("'INCR'")


def test_window_counter_loads_its_script_again_after_a_server_forgot_it(redis_cache):
    raw = redis_cache._cache.get_client(write=True)
    assert redis_cache.incr_window("k", 600) == 1
    raw.script_flush()  # what a restarted server has forgotten
    assert redis_cache.incr_window("k", 600) == 2
    assert 595 <= raw.ttl(redis_cache.make_and_validate_key("k")) <= 600


def test_window_counter_is_exact_under_concurrent_threads(redis_cache):
    seen = []
    lock = threading.Lock()

    def work():
        got = [redis_cache.incr_window("k", 600) for _ in range(50)]
        with lock:
            seen.extend(got)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seen) == list(range(1, 401))


def test_rate_limit_on_redis_refuses_past_the_limit(redis_cache):
    from amanah.core import ratelimit

    results = [ratelimit.hit("scope", "203.0.113.9", 3, 600) for _ in range(5)]
    assert results == [True, True, True, False, False]
    assert ratelimit.count("scope", "203.0.113.9", 600) == 5
    assert ratelimit.hit("scope", "203.0.113.10", 3, 600)  # another client has its own count
    ratelimit.reset("scope", "203.0.113.9", 600)
    assert ratelimit.count("scope", "203.0.113.9", 600) == 0


def test_public_intake_is_throttled_with_the_redis_cache(redis_cache, api, org, settings):
    from tests.complaints.test_api_public import payload

    settings.PUBLIC_FORM_RATE = (2, 600)
    codes = [api.post("/api/v1/complaints", payload()).status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_retry_after_is_the_end_of_the_refusing_window(monkeypatch):
    """``Retry-After`` counts down to the end of the fixed window, and a request that was not refused
    carries none."""
    from django.http import HttpResponse

    from amanah.core import ratelimit
    from amanah.core.middleware import RetryAfterMiddleware

    window = 600
    now = [1_000_000_250.0]  # 50 s into a window
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    expected = window - int(now[0]) % window
    ratelimit.reset("test-retry", "ip", window)

    def view(request):
        allowed = ratelimit.hit("test-retry", "ip", 1, window)
        return HttpResponse(status=200 if allowed else 429)

    mw = RetryAfterMiddleware(view)
    first = mw(None)
    assert first.status_code == 200 and not first.has_header("Retry-After")
    second = mw(None)
    assert second.status_code == 429 and second["Retry-After"] == str(expected)
    now[0] += 30
    assert mw(None)["Retry-After"] == str(expected - 30)
