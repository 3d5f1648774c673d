"""Background work of the whistleblowing channel: telling a reporter (who asked to be contacted) that
there is news, deadline reminders to investigators, and retention. Run the sweep daily, e.g. from cron:
``amanah manage integrity_sweep``."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import mailers
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

log = logging.getLogger("amanah.mail")


@task(takes_context=True)
def notify_reporter(context, report_id: int, attempt: int = 0) -> dict:
    """E-mail the reporter that there is a new message — never the content or the case number. The
    address is read (decrypted) here, so the task queue stores only the report's id, not the address.

    A server that turns the mail away for now (down, or a 4xx answer) gets it again after the next of
    ``MAIL_RETRY_SECONDS``, as every other Amanah mail does: a reporter who is told nothing may think the
    channel went silent. The retry queues the report's id again, so it reads the address afresh (a report
    purged or no longer to be contacted meanwhile gets nothing). A final refusal, or the last try, is
    logged as an error on ``amanah.mail`` as for every other mail, and fails the task with an error;
    neither quotes the address (the SMTP error would) nor the mail."""
    from amanah.core.tasks import (
        MailNotSent,
        _again_later,
        _temporary,
        automatic_mail,
        error_label,
    )

    from .models import Report

    report = Report.objects.filter(pk=report_id, may_contact=True, purged_on__isnull=True).first()
    if report is None or "@" not in (report.reporter_contact or ""):
        return {"try": attempt + 1, "delivered": 0, "retry_queued": 0}
    # In the site language: the task may run right after the request of an officer who reads English.
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Ada pesan baru untuk laporan yang Anda kirim. Buka %(url)s dan masukkan nomor tanda terima "
            "Anda."
        ) % {"url": f"{settings.SITE_URL}/integritas/tindak-lanjut/"}
        subject = _("Ada kabar untuk laporan Anda")
    mail = automatic_mail(report.reporter_contact.strip(), subject, body)
    try:
        delivered = mailers.default.send_messages([mail])
    except Exception as exc:  # noqa: BLE001 - none is quoted
        error, temporary = error_label(exc), _temporary(exc)
    else:
        return {"try": attempt + 1, "delivered": delivered, "retry_queued": 0}
    if temporary:
        later = _again_later(
            notify_reporter, lambda: report_id, attempt, settings.MAIL_RETRY_SECONDS
        )
        if later is not None:
            log.warning(
                "reporter mail task %s: turned away for now (%s), try %d at %s",
                context.task_result.id,
                error,
                attempt + 2,
                later,
            )
            return {
                "try": attempt + 1,
                "delivered": 0,
                "retry_queued": 1,
                "next_try_at": later.isoformat(),
                "errors": [error],
            }
        log.error(
            "reporter mail task %s: still turned away (%s) after %d tries: given up",
            context.task_result.id,
            error,
            attempt + 1,
        )
    else:
        log.error("reporter mail task %s: refused for good (%s)", context.task_result.id, error)
    # Raised outside the ``except``: the SMTP error does not ride along in the stored traceback.
    raise MailNotSent(f"{error} while sending to the reporter (try {attempt + 1})")


@task
def sweep() -> dict:
    from amanah.core import notify
    from amanah.core.cache import remove_expired

    from . import services

    return {
        "reminders": services.send_reminders(),
        "purged": services.purge_expired(),
        "expired_cache_entries": remove_expired(),
        "expired_reporter_entries": services.remove_expired_entries(),
        "held_mails_released": notify.release_held(),
    }
