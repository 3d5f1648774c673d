"""Background work of the whistleblowing channel: telling a reporter (who asked to be contacted) that
there is news, deadline reminders to investigators, and retention. Run the sweep daily, e.g. from cron:
``amanah manage integrity_sweep``."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import mailers
from django.tasks import task
from django.utils.translation import gettext as _


@task
def notify_reporter(report_id: int) -> int:
    """E-mail the reporter that there is a new message — never the content or the case number. The
    address is read (decrypted) here, so the task queue stores only the report's id, not the address;
    a refusal fails the task with an error that quotes no address either (the SMTP error would)."""
    from amanah.core.tasks import MailNotSent, automatic_mail, error_label

    from .models import Report

    report = Report.objects.filter(pk=report_id, may_contact=True, purged_on__isnull=True).first()
    if report is None or "@" not in (report.reporter_contact or ""):
        return 0
    body = _(
        "Ada pesan baru untuk laporan yang Anda kirim. Buka %(url)s dan masukkan nomor tanda terima Anda."
    ) % {"url": f"{settings.SITE_URL}/integritas/tindak-lanjut/"}
    mail = automatic_mail(report.reporter_contact.strip(), _("Ada kabar untuk laporan Anda"), body)
    try:
        return mailers.default.send_messages([mail])
    except Exception as exc:  # noqa: BLE001 - none is quoted
        error = error_label(exc)
    # Raised outside the ``except``: the SMTP error does not ride along in the stored traceback.
    raise MailNotSent(f"{error} while sending to the reporter")


@task
def sweep() -> dict:
    from . import services

    return {"reminders": services.send_reminders(), "purged": services.purge_expired()}
