"""Encryption at rest and keyed hashes.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under the keys in
``AMANAH_ENCRYPTION_KEYS``: the first key encrypts, every key decrypts, so rotating means putting a
new key first and running ``amanah keys rotate``, which re-encrypts every encrypted column and file.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "enc1:"


def _fernet() -> MultiFernet:
    keys = tuple(settings.ENCRYPTION_KEYS)
    cached = getattr(_fernet, "_cache", None)
    if cached is None or cached[0] != keys:
        cached = (
            keys,
            MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys]),
        )
        _fernet._cache = cached
    return cached[1]


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(token)


def rotate_bytes(token: bytes) -> bytes:
    return _fernet().rotate(token)


def encrypt_text(value: str) -> str:
    return PREFIX + encrypt_bytes(value.encode()).decode()


def decrypt_text(value: str) -> str:
    if not value.startswith(PREFIX):
        raise InvalidToken("not an Amanah ciphertext")
    return decrypt_bytes(value[len(PREFIX) :].encode()).decode()


def rotate_text(value: str) -> str:
    """The same plain text encrypted again under the first key."""
    if not value.startswith(PREFIX):
        raise InvalidToken("not an Amanah ciphertext")
    return PREFIX + rotate_bytes(value[len(PREFIX) :].encode()).decode()


def keyed_hash(value: str, purpose: str, key: str | None = None) -> str:
    """HMAC-SHA256 of ``value`` under the configured hash key (or ``key``), separated by ``purpose`` so
    that the same value hashed for two purposes gives unrelated results."""
    key = settings.HASH_KEY if key is None else key
    derived = hashlib.sha256(f"{purpose}:{key}".encode()).digest()
    return hmac.new(derived, value.encode(), hashlib.sha256).hexdigest()


def hash_keys() -> list[str]:
    """The hash keys that still match: ``AMANAH_HASH_KEY`` first, then the retired
    ``AMANAH_OLD_HASH_KEYS`` (new hashes are taken under the first only)."""
    keys = [settings.HASH_KEY]
    for key in getattr(settings, "OLD_HASH_KEYS", ()) or ():
        if key not in keys:
            keys.append(key)
    return keys


def keyed_hashes(value: str, purpose: str) -> list[str]:
    """``value``'s keyed hash under every key of :func:`hash_keys`, the current one first: what a
    look-up of something hashed before a change of the hash key must compare with."""
    return [keyed_hash(value, purpose, key) for key in hash_keys()]


def hash_key_id(key: str | None = None) -> str:
    """A short name of a hash key (by default the current one), stored beside hashes that must never
    silently stop matching, so that a key no longer configured is noticed. It is itself a keyed hash:
    it says nothing about the key that the hashes beside it do not."""
    return keyed_hash("hash-key-id", "amanah:hash-key-id", key)[:16]


def known_hash_key_ids() -> list[str]:
    return [hash_key_id(key) for key in hash_keys()]


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; reads give the plain text back. Empty values stay empty
    (no ciphertext), so "was this given?" stays answerable without the key. Not searchable or
    sortable in the database, by design."""

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt_text(value)


def encrypted_fields():
    """Every (model, field) pair with an encrypted column, for key rotation."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field
