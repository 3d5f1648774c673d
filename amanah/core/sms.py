"""Short messages (SMS, or WhatsApp through a provider that relays it) to a person's phone, through the
gateway the installation configures.

Providers differ, so Amanah speaks one small protocol and a provider adapter (or the provider itself)
listens to it: ``POST AMANAH_SMS_URL`` with a JSON body ``{"to": "+628…", "text": "…", "sender": "…"}``,
``Authorization: Bearer AMANAH_SMS_TOKEN`` when a token is set, and an ``Idempotency-Key`` header that stays
the same when a message is tried again, so that a gateway which got the first try but whose answer was lost
can drop the second. Any 2xx answer is a delivery to the gateway. ``AMANAH_SMS_URL=console`` writes the
messages to the console log instead (demo and development); unset, no message is sent.

Numbers never appear in logs, task results or error messages (the task table keeps failed tasks' errors for
90 days), and the message queued for the worker is sealed like an e-mail (:mod:`amanah.core.tasks`).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

log = logging.getLogger("amanah.sms")

CONSOLE = "console"


def enabled() -> bool:
    return bool(settings.SMS_URL)


class GatewayError(Exception):
    """The gateway did not take a message. ``temporary``: it may take it later (no connection, a time-out,
    429 or 5xx); otherwise the message itself was refused (another 4xx) and trying again would not help.
    The message names the failure (class or HTTP status), never the number or the text."""

    def __init__(self, label: str, temporary: bool):
        super().__init__(label)
        self.label, self.temporary = label, temporary


def deliver(number: str, text: str, key: str) -> None:
    """Hand one message to the gateway; raises :class:`GatewayError` when it does not take it."""
    if settings.SMS_URL == CONSOLE:
        print(f"--- SMS to {number} ---\n{text}\n", flush=True)  # noqa: T201 - the demo's console
        return
    body = {"to": number, "text": text}
    if settings.SMS_SENDER:
        body["sender"] = settings.SMS_SENDER
    headers = {"Content-Type": "application/json", "Idempotency-Key": key}
    if settings.SMS_TOKEN:
        headers["Authorization"] = f"Bearer {settings.SMS_TOKEN}"
    request = urllib.request.Request(
        settings.SMS_URL, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT_SECONDS) as answer:
            answer.read(65536)
    except urllib.error.HTTPError as exc:
        exc.close()
        temporary = exc.code == 429 or exc.code >= 500
        raise GatewayError(f"HTTP {exc.code}", temporary) from None
    except (urllib.error.URLError, OSError) as exc:  # no connection, refused, time-out, TLS
        reason = getattr(exc, "reason", exc)
        raise GatewayError(type(reason).__name__, True) from None
