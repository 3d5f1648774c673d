"""API tokens: ``amanah_<random>``; only a SHA-256 of the token is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from .models import ApiToken

#: What every staff API token starts with (so other credentials can tell one apart without a lookup).
PREFIX = "amanah_"


def digest(raw: str) -> str:
    """What is stored of a secret credential (an API token, an Open311 key): its SHA-256."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_secret(prefix: str) -> str:
    """A new credential: ``prefix`` and 256 random bits."""
    return prefix + secrets.token_urlsafe(32)


def issue(user, name: str = "", days: int | None = None) -> str:
    raw = new_secret(PREFIX)
    days = settings.API_TOKEN_DAYS if days is None else days
    ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:12],
        key_hash=digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
    )
    return raw


def authenticate(raw: str):
    """The active user owning this token, or None."""
    if not raw or len(raw) > 200 or not raw.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=digest(raw), revoked=False).first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at and token.expires_at < now:
        return None
    if not token.last_used_at or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
