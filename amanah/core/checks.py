"""Deployment checks of Amanah's own settings (``amanah manage check --deploy``): the addresses every e-mail
and printed receipt carries must be the installation's real ones."""

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
    return errors
