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

import datetime as dt
import json
import logging

from django.conf import settings
from django.utils import timezone

from .queue import after_commit

log = logging.getLogger("amanah.sms")
log_mail = logging.getLogger("amanah.mail")


def addresses(to: str | list[str]) -> list[str]:
    """The addresses of ``to`` (one or a list) a mail may go to: each stripped of spaces, the empty ones
    left out, and every mailbox once, compared without case and kept as first written. The same person
    often comes twice (``Kabid@Dinas.go.id`` typed into the ASN directory, ``kabid@dinas.go.id`` on their
    account): one event, one mail. What is no e-mail address at all (``budi@``, a name in an import's
    e-mail column) is left out too, and logged without the address: the mail server would refuse it, and
    the task would fail as if nobody could be reached."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    seen: dict[str, str] = {}
    invalid = 0
    for address in [to] if isinstance(to, str) else to:
        address = (address or "").strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            invalid += 1
            continue
        seen.setdefault(address.casefold(), address)
    if invalid:
        log_mail.warning("mail not sent to %d address(es) that are no e-mail address", invalid)
    return list(seen.values())


def email(
    to: str | list[str],
    subject: str,
    body: str,
    *,
    hold_until: dt.date | None = None,
    recheck: tuple[str, dict] | None = None,
) -> None:
    """Queue one plain-text e-mail to ``to`` (address or list) once the current transaction commits;
    the list is cleaned first (:func:`addresses`), and nothing is queued when nobody is left.

    With ``hold_until`` the mail is kept back (a :class:`~amanah.core.models.HeldMail` row, in the caller's
    transaction, with no time) and queued by :func:`release_held` from that day on: for a mail an
    anonymous whistleblower's action causes, whose queueing time and ``Date`` would tell when they acted.
    ``recheck`` (a held mail only): ``(dotted path of a function, its keyword arguments)``; on release the
    function gets ``addresses=`` the recipients and returns those still to be mailed, so that someone who
    may no longer read what the mail is about (a declared conflict, a switched-off account) is not told.
    A held mail with a ``recheck`` is kept even with nobody to go to: the check still runs on its day,
    and may say then (in a log line of that day, not of the moment that caused it) that nobody is told."""
    from .tasks import seal_email, send_sealed_email

    recipients = addresses(to)
    if not recipients and (hold_until is None or recheck is None):
        return
    if hold_until is not None:
        from .models import HeldMail

        message = {"to": recipients, "subject": str(subject), "body": str(body)}
        if recheck is not None:
            message["recheck"] = {"fn": recheck[0], "kw": recheck[1]}
        HeldMail.objects.create(
            release_on=hold_until, message=json.dumps(message, ensure_ascii=False)
        )
        return
    after_commit(send_sealed_email, seal_email(recipients, str(subject), str(body)))


def release_held(today: dt.date | None = None) -> int:
    """Queue the held mails whose day has come (today in UTC by default), all at once; returns how many.
    Safe to run from several workers: a row is taken by one of them only."""
    from django.db import transaction
    from django.utils.module_loading import import_string

    from .models import HeldMail
    from .tasks import seal_email, send_sealed_email

    today = today or timezone.now().date()
    with transaction.atomic():
        due = list(
            HeldMail.objects.select_for_update(skip_locked=True).filter(release_on__lte=today)
        )
        for held in due:
            m = json.loads(held.message)
            to = m["to"]
            if m.get("recheck"):
                to = import_string(m["recheck"]["fn"])(addresses=to, **m["recheck"]["kw"])
            if to:
                after_commit(send_sealed_email, seal_email(to, m["subject"], m["body"]))
        HeldMail.objects.filter(pk__in=[h.pk for h in due]).delete()
    return len(due)


def sms(number: str, text: str, *, keep: str = "", link: str = "") -> bool:
    """Queue one short message to the Indonesian mobile ``number`` once the current transaction commits:
    ``text`` then ``keep`` (which is never cut: a tracking code), and ``link`` on its own line. The
    message is cut to ``SMS_MAX_CHARACTERS`` counted as the phone network counts them (a character outside
    the GSM alphabet makes every part shorter), from the end of ``text``.

    Nothing is queued (False) when no gateway is configured, ``number`` is no mobile number (a fixed line
    cannot take one), or the number already got ``SMS_NUMBER_RATE`` messages in its window: the public
    forms must not become a way to flood a stranger's phone at the agency's cost. Callers need not check.
    """
    import secrets

    from . import ratelimit, rules
    from . import sms as gateway
    from .tasks import seal_sms, send_sealed_sms

    if not gateway.enabled():
        return False
    mobile = rules.mobile_number(number)
    if mobile is None:
        return False
    if not ratelimit.hit("sms-number", mobile, *settings.SMS_NUMBER_RATE):
        log.warning(
            "sms not queued: the number's limit of %d messages per %d s is reached",
            *settings.SMS_NUMBER_RATE,
        )
        return False
    tail = (f" {keep}" if keep else "") + (f"\n{link}" if link else "")
    text = _cut(" ".join(str(text).split()), tail, settings.SMS_MAX_CHARACTERS)
    message = (text + tail).lstrip(" ")  # with no text left, the code opens the message
    after_commit(send_sealed_sms, seal_sms(mobile, message, secrets.token_urlsafe(16)))
    return True


def _cut(text: str, tail: str, limit: int) -> str:
    """``text`` shortened (with "...", which the GSM alphabet has) until ``text + tail`` takes no more than
    ``limit`` GSM characters — or, when it needs UCS-2, as many parts as ``limit`` GSM characters would."""
    from . import sms as gateway

    parts = max(1, -(-limit // 153)) if limit > 160 else 1

    def ok(candidate: str) -> bool:
        whole = candidate + tail
        n = gateway.septets(whole)
        return (n is not None and n <= limit) or (n is None and gateway.fits(whole, parts))

    if ok(text):
        return text

    def shortened(n: int) -> str:
        kept = text[:n].rstrip(" .,;:")
        return kept + "..." if kept else ""

    # A longer prefix never takes fewer characters: the longest that fits, by halving.
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if ok(shortened(mid)) else (low, mid - 1)
    return shortened(low)
