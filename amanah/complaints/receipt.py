"""The complaint receipt (*tanda terima pengaduan*): one printable page with the tracking code, a QR code to
the tracking page, the first deadline and what happens next. The person gets it from the tracking page; the
officer who entered a walk-in, phone or letter complaint prints it from the case page and hands it over.

The receipt names nobody, neither the complainant nor the officer: whoever holds the tracking code can open it,
as they can open the tracking page.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from amanah.core import documents

from . import services
from .models import IdentityMode, Status


def context(c) -> dict:
    url = services.tracking_url(c)
    cfg = services.config(c.agency)
    return {
        "c": c,
        "url": url,
        "qr": documents.svg_data_uri(documents.qr_svg(url, scale=6)),
        "zone": c.agency.get_time_zone_display(),
        "response_days": cfg["response_days"],
        "auto_close_days": cfg["auto_close_days"],
        "anonymous": c.identity_mode == IdentityMode.ANONIM,
        "confidential": c.identity_mode == IdentityMode.RAHASIA,
        # Waiting for the complainant to complete the file: the verification clock is stopped.
        "paused": c.status == Status.INCOMPLETE,
        "printed_at": timezone.now(),
        "recoverable": services.code_recoverable(c),
        "resend_url": f"{settings.SITE_URL}/pengaduan/lacak/lupa/",
    }


def receipt_pdf(c) -> bytes:
    """The receipt in the active language, times in the agency's zone (WIB, WITA or WIT)."""
    with timezone.override(c.agency.time_zone):
        html = render_to_string("complaints/receipt_pdf.html", context(c))
    return documents.pdf(html)


def filename(c) -> str:
    """The receipt's download name: its date of receipt, not the tracking code, which would otherwise stay
    in the downloads list of a shared computer (a service counter, an internet café)."""
    with timezone.override(c.agency.time_zone):
        return f"tanda-terima-{timezone.localdate(c.received_at):%Y-%m-%d}.pdf"
