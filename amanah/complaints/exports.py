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

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amanah.core import tabular
from amanah.core.models import Agency

from . import rules, selectors
from .models import Complaint

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class _Values:
    """What one export's cells are made from, worked out once for the whole export rather than once a row:
    the labels of the coded values in the language active when it starts (a label of a model's choices is
    translated every time it is shown), "ya"/"tidak", each time zone, and today's date in it."""

    def __init__(self):
        self.labels = {
            name: _labels(Complaint, name)
            for name in ("channel", "kind", "status", "tier", "identity_mode")
        }
        self.zone_names = _labels(Agency, "time_zone")
        self.yes, self.no = _("ya"), _("tidak")
        self._zones: dict = {}
        self._today: dict = {}

    def label(self, r, name):
        """The label of the case's ``name`` (the stored value itself when it has none, as on its page)."""
        return self.labels[name].get(r[name], r[name])

    def local(self, r, name):
        """A stored time as the case's agency reads it (naive, in the agency's zone)."""
        value = r[name]
        if value is None:
            return None
        zone = r["agency__time_zone"]
        tz = self._zones.get(zone)
        if tz is None:
            tz = self._zones[zone] = zoneinfo.ZoneInfo(zone or settings.TIME_ZONE)
        return value.astimezone(tz).replace(tzinfo=None)

    def late(self, r) -> bool:
        """Whether the case's current stage is overdue today in its agency's zone (``Complaint.is_overdue_on``)."""
        field = rules.STAGE_DUE_FIELD.get(r["status"])
        due = r[field] if field else None
        if due is None:
            return False
        zone = r["agency__time_zone"]
        if zone not in self._today:
            self._today[zone] = selectors.today_in(zone)
        return self._today[zone] > due

    def yes_no(self, flag) -> str:
        return self.yes if flag else self.no


def _labels(model, name) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


#: (header, value of a case) in column order; each value is made from ``r`` (the case's :data:`FIELDS` by
#: name) and ``x`` (the export's :class:`_Values`).
COLUMNS = [
    # The case number, never the tracking code: the code is the complainant's key (whoever holds it may
    # reply, confirm or dispute in their name), and a spreadsheet travels round an office.
    (gettext_lazy("Nomor pengaduan"), lambda r, x: rules.case_number(r["pk"])),
    (gettext_lazy("Diterima"), lambda r, x: x.local(r, "received_at")),
    (
        gettext_lazy("Zona waktu"),
        lambda r, x: x.zone_names.get(r["agency__time_zone"], r["agency__time_zone"]),
    ),
    (gettext_lazy("Saluran"), lambda r, x: x.label(r, "channel")),
    (gettext_lazy("Jenis laporan"), lambda r, x: x.label(r, "kind")),
    (gettext_lazy("Instansi"), lambda r, x: r["agency__name"]),
    (gettext_lazy("Unit"), lambda r, x: r["unit__name"] or ""),
    (gettext_lazy("Layanan"), lambda r, x: r["service__name"] or ""),
    (gettext_lazy("Judul"), lambda r, x: r["title"]),
    (gettext_lazy("Status"), lambda r, x: x.label(r, "status")),
    (gettext_lazy("Kategori penyelesaian"), lambda r, x: x.label(r, "tier") if r["tier"] else ""),
    # ``Complaint.verification_due_now``: no date while the file waits for completion.
    (
        gettext_lazy("Batas verifikasi"),
        lambda r, x: None if r["status"] == rules.INCOMPLETE else r["verification_due"],
    ),
    (gettext_lazy("Batas tanggapan unit"), lambda r, x: r["response_due"]),
    (gettext_lazy("Target penyelesaian"), lambda r, x: r["resolution_due"]),
    (gettext_lazy("Melewati tenggat"), lambda r, x: x.yes_no(x.late(r))),
    (gettext_lazy("Tingkat eskalasi"), lambda r, x: r["escalation_level"]),
    (gettext_lazy("Dijawab"), lambda r, x: x.local(r, "answered_at")),
    (gettext_lazy("Ditutup"), lambda r, x: x.local(r, "closed_at")),
    (gettext_lazy("Nilai jawaban (1–5)"), lambda r, x: r["rating"]),
    (gettext_lazy("Identitas"), lambda r, x: x.label(r, "identity_mode")),
    (
        gettext_lazy("Layanan diterima lebih dari 30 hari sebelumnya"),
        lambda r, x: x.yes_no(r["late_filing"]),
    ),
]


#: The columns an export reads: no identity (which would also be decrypted row by row) and no free text
#: but the title.
FIELDS = (
    "pk",
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


def records(qs):
    """The :data:`FIELDS` of an inbox queryset's cases as tuples, in its order, read in chunks (a large
    export is never all in memory). Plain values, not model instances: building four instances a row (the
    case, its agency, unit and service) cost an export more than reading the rows did."""
    return qs.values_list(*FIELDS).iterator(chunk_size=1000)


def _plain(value):
    # Names typed in the admin may hold control characters (a vertical tab from a pasted document), which
    # a spreadsheet cannot hold.
    return rules.without_control(value) if isinstance(value, str) else value


def rows(qs):
    """The header, then one row per case."""
    yield [str(header) for header, _value in COLUMNS]
    x = _Values()
    for values in records(qs):
        r = dict(zip(FIELDS, values, strict=True))
        yield [_plain(value(r, x)) for _header, value in COLUMNS]


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
