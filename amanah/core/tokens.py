"""API tokens: ``amanah_<random>``; only a SHA-256 of the token is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from .models import ApiToken


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(user, name: str = "", days: int | None = None) -> str:
    raw = "amanah_" + secrets.token_urlsafe(32)
    days = settings.API_TOKEN_DAYS if days is None else days
    ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:12],
        key_hash=_digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
    )
    return raw


def authenticate(raw: str):
    """The active user owning this token, or None."""
    if not raw or len(raw) > 200 or not raw.startswith("amanah_"):
        return None
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=_digest(raw), revoked=False).first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at and token.expires_at < now:
        return None
    if not token.last_used_at or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
