"""Short messages (SMS, or WhatsApp through a provider that relays it) to a person's phone, through the
gateway the installation configures.

Providers differ, so Amanah speaks one small protocol and a provider adapter (or the provider itself)
listens to it: ``POST AMANAH_SMS_URL`` with a JSON body ``{"to": "+628…", "text": "…", "sender": "…"}``,
``Authorization: Bearer AMANAH_SMS_TOKEN`` when a token is set, and an ``Idempotency-Key`` header that stays
the same when a message is tried again, so that a gateway which got the first try but whose answer was lost
can drop the second. Any 2xx answer is a delivery to the gateway; a redirect is not followed (it would carry
the token, and the message, somewhere else — perhaps in clear). ``AMANAH_SMS_URL=console`` writes the messages
to the console instead (demo and development); unset, no message is sent.

Numbers never appear in logs, task results or error messages (the task table keeps failed tasks' errors for
90 days), and the message queued for the worker is sealed like an e-mail (:mod:`amanah.core.tasks`).
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from urllib.parse import urlsplit

from django.conf import settings

CONSOLE = "console"

#: The GSM 03.38 default alphabet (and its extension table, two septets each): a message written only in
#: it takes 153 characters per part of a long SMS; one other character makes the whole message UCS-2,
#: 67 characters per part.
GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


def enabled() -> bool:
    return bool(settings.SMS_URL)


def septets(text: str) -> int | None:
    """How many GSM-7 septets ``text`` takes, or None when it needs UCS-2."""
    n = 0
    for ch in text:
        if ch in GSM7:
            n += 1
        elif ch in GSM7_EXTENDED:
            n += 2
        else:
            return None
    return n


def fits(text: str, parts: int) -> bool:
    """Whether ``text`` goes in ``parts`` SMS (153 septets or 67 UCS-2 characters each when concatenated,
    160 / 70 alone)."""
    n = septets(text)
    if n is None:
        return len(text) <= (70 if parts == 1 else 67 * parts)
    return n <= (160 if parts == 1 else 153 * parts)


class GatewayError(Exception):
    """The gateway did not take a message. ``temporary``: it may take it later (no connection, a time-out,
    a broken answer, 429 or 5xx); otherwise the message itself was refused (another 4xx, a redirect) and
    trying again would not help. The message names the failure (class or HTTP status), never the number,
    the text or the gateway's address."""

    def __init__(self, label: str, temporary: bool):
        super().__init__(label)
        self.label, self.temporary = label, temporary


def deliver(number: str, text: str, key: str) -> None:
    """Hand one message to the gateway within ``SMS_TIMEOUT_SECONDS`` in all; raises
    :class:`GatewayError` when it does not take it."""
    if settings.SMS_URL == CONSOLE:
        print(f"--- SMS to {number} ---\n{text}\n", flush=True)  # noqa: T201 - the demo's console
        return
    body = {"to": number, "text": text}
    if settings.SMS_SENDER:
        body["sender"] = settings.SMS_SENDER
    headers = {"Content-Type": "application/json", "Idempotency-Key": key}
    if settings.SMS_TOKEN:
        headers["Authorization"] = f"Bearer {settings.SMS_TOKEN}"
    status = _post(settings.SMS_URL, json.dumps(body).encode(), headers)
    if 200 <= status < 300:
        return
    raise GatewayError(f"HTTP {status}", status == 429 or status >= 500)


def _post(url: str, body: bytes, headers: dict) -> int:
    """POST ``body`` to ``url`` and return the answer's status. The whole exchange, however slowly the
    gateway answers, is cut at ``SMS_TIMEOUT_SECONDS``: a gateway that trickles its answer must not hold
    the worker (and every mail behind it)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise GatewayError("invalid AMANAH_SMS_URL", False)
    try:
        port = parts.port
    except ValueError:
        raise GatewayError("invalid AMANAH_SMS_URL", False) from None
    timeout = settings.SMS_TIMEOUT_SECONDS
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = kind(parts.hostname, port, timeout=timeout)
    cut = threading.Event()

    def stop():
        cut.set()
        sock = conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(timeout, stop)
    timer.daemon = True
    timer.start()
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("POST", path, body=body, headers=headers)
        answer = conn.getresponse()
        answer.read(65536)  # the gateway's word is not needed; a huge answer is not read
        return answer.status
    except (OSError, http.client.HTTPException) as exc:
        label = "Timeout" if cut.is_set() else type(exc).__name__
        raise GatewayError(label, True) from None
    finally:
        timer.cancel()
        conn.close()
