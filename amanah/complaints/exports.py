"""The staff inbox as a spreadsheet: the cases a filter shows, as XLSX (for Excel and LibreOffice) or CSV
(UTF-8, comma-separated, for other programs), for the agency's own monthly reports and analysis.

An export leaves the system and travels by e-mail and flash drive, so it carries no identity — no name,
e-mail or telephone, whatever the identity mode —, no tracking code (the complainant's key to their case:
a case is named by its number, ``AMN-<n>``) and none of the free text but the title: a case's
description, notes and answers stay in Amanah. Every export is audited (``services.record_export``), and a
filter that matches more than ``COMPLAINT_EXPORT_MAX_ROWS`` cases is refused with a request to narrow it,
so an export never grows without bound.
"""

from __future__ import annotations

import csv
import datetime as dt
import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amanah.core import tabular

from . import rules, selectors

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _local(c, value):
    """A stored time as the case's agency reads it (naive, in the agency's zone)."""
    if value is None:
        return None
    return timezone.localtime(value, zoneinfo.ZoneInfo(c.agency.time_zone)).replace(tzinfo=None)


#: (header, value of a case) in column order. ``late`` is whether the case's current stage is overdue.
COLUMNS = [
    # The case number, never the tracking code: the code is the complainant's key (whoever holds it may
    # reply, confirm or dispute in their name), and a spreadsheet travels round an office.
    (gettext_lazy("Nomor pengaduan"), lambda c, late: selectors.case_number(c)),
    (gettext_lazy("Diterima"), lambda c, late: _local(c, c.received_at)),
    (gettext_lazy("Zona waktu"), lambda c, late: c.agency.get_time_zone_display()),
    (gettext_lazy("Saluran"), lambda c, late: c.get_channel_display()),
    (gettext_lazy("Jenis laporan"), lambda c, late: c.get_kind_display()),
    (gettext_lazy("Instansi"), lambda c, late: c.agency.name),
    (gettext_lazy("Unit"), lambda c, late: c.unit.name if c.unit_id else ""),
    (gettext_lazy("Layanan"), lambda c, late: c.service.name if c.service_id else ""),
    (gettext_lazy("Judul"), lambda c, late: c.title),
    (gettext_lazy("Status"), lambda c, late: c.get_status_display()),
    (gettext_lazy("Kategori penyelesaian"), lambda c, late: c.get_tier_display() if c.tier else ""),
    (gettext_lazy("Batas verifikasi"), lambda c, late: c.verification_due_now),
    (gettext_lazy("Batas tanggapan unit"), lambda c, late: c.response_due),
    (gettext_lazy("Target penyelesaian"), lambda c, late: c.resolution_due),
    (gettext_lazy("Melewati tenggat"), lambda c, late: _("ya") if late else _("tidak")),
    (gettext_lazy("Tingkat eskalasi"), lambda c, late: c.escalation_level),
    (gettext_lazy("Dijawab"), lambda c, late: _local(c, c.answered_at)),
    (gettext_lazy("Ditutup"), lambda c, late: _local(c, c.closed_at)),
    (gettext_lazy("Nilai jawaban (1–5)"), lambda c, late: c.rating),
    (gettext_lazy("Identitas"), lambda c, late: c.get_identity_mode_display()),
    (
        gettext_lazy("Layanan diterima lebih dari 30 hari sebelumnya"),
        lambda c, late: _("ya") if c.late_filing else _("tidak"),
    ),
]


#: The columns an export reads: no identity (which would also be decrypted row by row) and no free text
#: but the title.
FIELDS = (
    "received_at",
    "channel",
    "kind",
    "title",
    "status",
    "tier",
    "verification_due",
    "response_due",
    "resolution_due",
    "escalation_level",
    "answered_at",
    "closed_at",
    "rating",
    "identity_mode",
    "late_filing",
    "agency__name",
    "agency__time_zone",
    "unit__name",
    "service__name",
)


def prepare(qs):
    """An inbox queryset narrowed to what an export prints."""
    return qs.select_related(None).select_related("agency", "unit", "service").only(*FIELDS)


def _plain(value):
    # Names typed in the admin may hold control characters (a vertical tab from a pasted document), which
    # a spreadsheet cannot hold.
    return rules.without_control(value) if isinstance(value, str) else value


def rows(qs):
    """The header, then one row per case, read in chunks (a large export is never all in memory)."""
    yield [str(header) for header, _value in COLUMNS]
    today = selectors.today_by_zone()
    for c in prepare(qs).iterator(chunk_size=1000):
        late = c.is_overdue_on(today(c))
        yield [_plain(value(c, late)) for _header, value in COLUMNS]


#: What a spreadsheet program would take for the start of a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value):
        return value


def csv_chunks(qs):
    """The CSV, as chunks for a streaming response; a byte-order mark first so that Excel reads UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows(qs):
        yield writer.writerow([_csv_cell(v) for v in row])


def xlsx_bytes(qs, title: str) -> bytes:
    """The XLSX (``core.tabular.xlsx_bytes``: real date cells, text that stays text), header frozen."""
    return tabular.xlsx_bytes([(title, rows(qs))], freeze="B2")


def filename(fmt: str) -> str:
    return f"pengaduan-{timezone.localdate().isoformat()}.{fmt}"
