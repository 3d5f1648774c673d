"""Notifications: e-mail and short messages (SMS/WhatsApp) sent by the background worker, never inside
the request.

Apps call :func:`email` from their services; the message is queued as a Django task that runs only if
the transaction commits (:mod:`amanah.core.queue`), so a rolled-back change sends nothing and a slow mail
server never slows a page. Recipients, subject and body are encrypted in the task's arguments like the
identity columns (:mod:`amanah.core.crypto`): a complainant's address or the title of a confidential
complaint is never stored in clear in the task table, where finished tasks stay until they are pruned.
Short messages (:func:`sms`) travel the same way, to the gateway of :mod:`amanah.core.sms`.
"""

from __future__ import annotations

from django.conf import settings

from .queue import after_commit


def email(to: str | list[str], subject: str, body: str) -> None:
    """Queue one plain-text e-mail to ``to`` (address or list) once the current transaction commits."""
    from .tasks import seal_email, send_sealed_email

    recipients = [to] if isinstance(to, str) else [t for t in to if t]
    if not recipients:
        return
    after_commit(send_sealed_email, seal_email(recipients, str(subject), str(body)))


def sms(number: str, text: str, link: str = "") -> bool:
    """Queue one short message to the Indonesian mobile ``number`` once the current transaction commits:
    ``text``, then ``link`` on its own line. Nothing is queued (False) when no gateway is configured or
    ``number`` is no mobile number (a fixed line cannot take one): callers need not check."""
    import secrets

    from . import rules
    from . import sms as gateway
    from .tasks import seal_sms, send_sealed_sms

    if not gateway.enabled():
        return False
    mobile = rules.mobile_number(number)
    if mobile is None:
        return False
    # At most SMS_MAX_CHARACTERS (two SMS parts): the text is cut, the link stays whole.
    text, tail = " ".join(str(text).split()), f"\n{link}" if link else ""
    room = settings.SMS_MAX_CHARACTERS - len(tail)
    if len(text) > room:
        text = text[: max(room - 1, 0)].rstrip() + "…"
    text += tail
    after_commit(send_sealed_sms, seal_sms(mobile, text, secrets.token_urlsafe(16)))
    return True
