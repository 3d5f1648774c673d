"""Deployment checks of Amanah's own settings (``amanah manage check --deploy``): the addresses every e-mail
and printed receipt carries must be the installation's real ones, short messages must leave encrypted, and
the hash key must not follow the secret key."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


@register(Tags.security, deploy=True)
def public_addresses(app_configs=None, **kwargs):
    errors = []
    site = urlsplit(settings.SITE_URL)
    if site.scheme != "https" or not site.hostname or site.hostname in LOCAL_HOSTS:
        errors.append(
            Error(
                f"AMANAH_SITE_URL is {settings.SITE_URL!r}: the links in e-mails, receipts and QR codes "
                "would not reach the site.",
                hint="Set AMANAH_SITE_URL to the public https address, e.g. https://amanah.example.go.id.",
                id="amanah.E001",
            )
        )
    sender = settings.DEFAULT_FROM_EMAIL
    if sender.rstrip(">").endswith((".localhost", "@localhost")):
        errors.append(
            Error(
                f"AMANAH_EMAIL_FROM is {sender!r}: mail servers refuse or bin mail from that address.",
                hint='Set AMANAH_EMAIL_FROM, e.g. "Amanah <amanah@example.go.id>".',
                id="amanah.E002",
            )
        )
    sms = settings.SMS_URL
    gateway = urlsplit(sms)
    # Only the scheme and host are said: the rest of the address may hold a key.
    shown = sms if sms == "console" else f"{gateway.scheme}://{gateway.hostname or ''}/…"
    if sms == "console" or (
        sms and not (gateway.scheme == "https" or gateway.hostname in LOCAL_HOSTS - {"0.0.0.0"})
    ):
        errors.append(
            Error(
                f"AMANAH_SMS_URL is {shown!r}: short messages carry tracking links and would be "
                "printed or sent in clear.",
                hint="Use the gateway's https address (http only to a relay on this machine), or leave "
                "AMANAH_SMS_URL unset to send none.",
                id="amanah.E003",
            )
        )
    elif sms and (gateway.username or gateway.password):
        errors.append(
            Error(
                f"AMANAH_SMS_URL {shown!r} carries a user name or password, which Amanah does not send "
                "and which would show wherever the address is shown.",
                hint="Put the gateway's secret in AMANAH_SMS_TOKEN (sent as a bearer token).",
                id="amanah.E003",
            )
        )
    errors.extend(hash_key())
    return errors


def hash_key():
    """The hash key must be set on its own: by default it is the secret key, so rotating
    ``AMANAH_SECRET_KEY`` would change it, and every receipt and whistleblowing exclusion hashed under
    it with it (docs/deploy.md, *Changing the hash key*)."""
    if getattr(settings, "HASH_KEY_IS_SET", True) and settings.HASH_KEY:
        return []
    return [
        Error(
            "AMANAH_HASH_KEY is not set (or empty): the keyed hashes (whistleblower receipts, the "
            "exclusions that keep a case from the people it is about) are taken under the secret key, "
            "and rotating AMANAH_SECRET_KEY would change them.",
            hint="Set AMANAH_HASH_KEY to the current AMANAH_SECRET_KEY (the key the existing hashes "
            "were taken under) and keep it when the secret key is rotated; a new installation may use "
            "a fresh random value instead (docs/deploy.md).",
            id="amanah.E004",
        )
    ]
