"""Rate limits and throttles kept in the cache. Identifiers (IP addresses, e-mails, receipts) are
stored only as short-lived keyed hashes, never in clear."""

from __future__ import annotations

import time

from django.core.cache import cache

from .crypto import keyed_hash


def _key(scope: str, ident: str, window: int) -> str:
    bucket = int(time.time() // window)
    # The bucket is part of the hashed value, so a hash cannot be linked across windows.
    return f"rl:{scope}:{keyed_hash(f'{ident}:{bucket}', 'ratelimit:' + scope)[:32]}"


def hit(scope: str, ident: str, limit: int, window: int) -> bool:
    """Count one event; False when the limit for this window is already reached."""
    key = _key(scope, ident, window)
    incr_window = getattr(cache, "incr_window", None)  # Amanah's Redis backend: one round trip
    if incr_window is not None:
        return incr_window(key, window) <= limit
    added = cache.add(key, 1, timeout=window)
    if added:
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return True
    return count <= limit


def count(scope: str, ident: str, window: int) -> int:
    return int(cache.get(_key(scope, ident, window)) or 0)


def reset(scope: str, ident: str, window: int) -> None:
    cache.delete(_key(scope, ident, window))


def client_ip(request) -> str:
    """Remote address for rate-limit hashing only; never stored or logged."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
