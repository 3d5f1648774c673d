"""Rate limits and throttles kept in the cache. Identifiers (IP addresses, e-mails, receipts) are
stored only as short-lived keyed hashes, never in clear."""

from __future__ import annotations

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


def _key(scope: str, ident: str, window: int) -> str:
    bucket = int(clock() // window)
    # The bucket is part of the hashed value, so a hash cannot be linked across windows.
    return f"rl:{scope}:{keyed_hash(f'{ident}:{bucket}', 'ratelimit:' + scope)[:32]}"


def hit(scope: str, ident: str, limit: int, window: int) -> bool:
    """Count one event; False when the limit for this window is already reached."""
    key = _key(scope, ident, window)
    incr_window = getattr(cache, "incr_window", None)  # Amanah's Redis backend: one round trip
    if incr_window is not None:
        allowed = incr_window(key, window) <= limit
    elif cache.add(key, 1, timeout=window):
        allowed = True
    else:
        try:
            allowed = cache.incr(key) <= limit
        except ValueError:
            cache.set(key, 1, timeout=window)
            allowed = True
    if not allowed:
        note_refusal(window)
    return allowed


def count(scope: str, ident: str, window: int) -> int:
    return int(cache.get(_key(scope, ident, window)) or 0)


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
