"""Rate limits and throttles kept in the cache. Identifiers (IP addresses, e-mails, receipts) are
stored only as short-lived keyed hashes, never in clear.

An entry counts the events of one client in one fixed window (``window`` seconds: the clock's time
divided by it). It tells no more than that window: its key is a keyed hash of the scope, the client and
the window (neither the scope nor the client is readable in it), its expiry is the window's end, not
the first event plus the window, and with the file cache its file's access and modification times are
set to the window's start, not to the moment of the last event. So an entry of a whistleblower's
reply, say, cannot be dated more closely than its window, nor told from the entries of the other
public forms (docs/integrity.md, *Rate limits*)."""

from __future__ import annotations

import math
import os
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache

from .crypto import keyed_hash

#: Seconds until the window that refused this request ends (read by ``RetryAfterMiddleware``).
_retry_after: ContextVar[int | None] = ContextVar("ratelimit_retry_after", default=None)


#: The clock of the windows (a function, so that a test can stop it).
clock = time.time


def note_refusal(window: int) -> None:
    """Remember, for the answer's ``Retry-After``, when the refusing window ends."""
    seconds = max(1, window - int(clock()) % window)
    _retry_after.set(max(seconds, _retry_after.get() or 0))


def retry_after() -> int | None:
    """Seconds after which the limit that refused the current request lets it through, if one did."""
    return _retry_after.get()


def _window_start(window: int) -> int:
    return int(clock() // window) * window


def _key(scope: str, ident: str, window: int) -> str:
    bucket = int(clock() // window)
    # The bucket is part of the hashed value, so a hash cannot be linked across windows; the scope is
    # hashed too (as the hash's purpose), so a key does not say which action it counts.
    return f"rl:{keyed_hash(f'{ident}:{bucket}', 'ratelimit:' + scope)[:32]}"


def _left(window: int) -> int:
    """Seconds until the current window ends: an entry expires with its window (after it, its key is
    never asked for again), so its expiry says when the window ends, not when its first event was."""
    return max(1, math.ceil(_window_start(window) + window - clock()))


def _window_times(key: str, window: int) -> None:
    """With the file cache, set the entry's file times to the window's start: the file is written at
    each event, and its modification time would otherwise be the moment of the last one. Other caches
    keep no file (Redis's idle time of a key is described in docs/integrity.md)."""
    to_file = getattr(cache, "_key_to_file", None)  # Django's FileBasedCache
    if to_file is None:
        return
    start = _window_start(window)
    try:
        os.utime(to_file(key), (start, start))
    except OSError:  # removed meanwhile (expired, cleared): nothing left to date
        pass


def hit(scope: str, ident: str, limit: int, window: int) -> bool:
    """Count one event; False when the limit for this window is already reached."""
    key = _key(scope, ident, window)
    left = _left(window)
    incr_window = getattr(cache, "incr_window", None)  # Amanah's Redis backend: one round trip
    if incr_window is not None:
        allowed = incr_window(key, left) <= limit
    elif cache.add(key, 1, timeout=left):
        allowed = True
    else:
        try:
            allowed = cache.incr(key) <= limit
            # Django's generic ``incr`` (the file cache's) writes the entry again with the default
            # timeout, from now: give it back its window's end.
            cache.touch(key, left)
        except ValueError:
            cache.set(key, 1, timeout=left)
            allowed = True
    _window_times(key, window)
    if not allowed:
        note_refusal(window)
    return allowed


def count(scope: str, ident: str, window: int) -> int:
    key = _key(scope, ident, window)
    counted = int(cache.get(key) or 0)
    if counted:
        _window_times(key, window)  # reading the file set its access time to now
    return counted


def reached(scope: str, ident: str, limit: int, window: int) -> bool:
    """True when ``limit`` events were already counted in this window (nothing is counted here)."""
    if count(scope, ident, window) >= limit:
        note_refusal(window)
        return True
    return False


def reset(scope: str, ident: str, window: int) -> None:
    cache.delete(_key(scope, ident, window))


def client_ip(request) -> str:
    """The client's address, for rate-limit hashing only; never stored or logged.

    Behind reverse proxies (``TRUSTED_PROXIES`` of them, each adding the address it was reached from to
    ``X-Forwarded-For``), ``REMOTE_ADDR`` is the nearest proxy, the same for every citizen; the client is
    then the entry the outermost trusted proxy added, counted from the right. Entries further left were
    written by the client itself and are not believed."""
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if proxies > 0 else ""
    if forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
