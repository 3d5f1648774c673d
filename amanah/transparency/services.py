"""Writes of the transparency app: agencies set the targets of their indicators of success."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amanah.core import audit, permissions

from . import rules
from .models import IndicatorTarget
from .selectors import TARGET_ROLES


class TargetError(ValueError):
    def __init__(self, fields: dict[str, str]):
        super().__init__(" ".join(fields.values()))
        self.fields = fields


def clean_target(code, year, target, note="") -> tuple[str, int, Decimal, str]:
    """Check a target; raises :class:`TargetError` with one Indonesian message per field."""
    errors = {}
    code = str(code or "").strip()
    if code not in rules.INDICATOR_CODES:
        errors["code"] = _("Indikator tidak dikenal.")
    try:
        year = str(year).strip()
        if len(year) > 10:  # not parsed at all: a year has four digits
            raise ValueError
        year = int(year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = _("Tahun harus angka antara 2000 dan 2100.")
    try:
        value = str(target).strip()
        if len(value) > 40:  # not parsed at all: a target has at most 8 digits and 2 decimals
            raise InvalidOperation
        value = Decimal(value.replace(",", "."))
        if not value.is_finite() or value < 0 or value > Decimal("99999999"):
            raise InvalidOperation
        value = value.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors["target"] = _("Target harus angka tidak negatif, misalnya 90 atau 4,5.")
        value = None
    if not errors and rules.INDICATOR_CODES[code].unit == "%" and value > 100:
        errors["target"] = _("Target persentase paling besar 100.")
    note = str(note or "").strip()
    if "\x00" in note:  # PostgreSQL text cannot hold it
        errors["note"] = _("Catatan berisi karakter NUL yang tidak diizinkan.")
    elif len(note) > 300:
        errors["note"] = _("Catatan paling panjang 300 karakter.")
    if errors:
        raise TargetError(errors)
    return code, year, value, note


def set_target(actor, agency, *, code, year, target, note="") -> IndicatorTarget:
    """Set (or change) the agency's target for one indicator in one year. Leadership (pimpinan) only."""
    permissions.require(actor, TARGET_ROLES, agency=agency)
    code, year, value, note = clean_target(code, year, target, note)
    with transaction.atomic():
        obj, created = IndicatorTarget.objects.select_for_update().get_or_create(
            agency=agency,
            code=code,
            year=year,
            defaults={"target": value, "note": note, "updated_by": actor},
        )
        previous = None if created else str(obj.target)
        if not created:
            obj.target, obj.note, obj.updated_by, obj.updated_at = (
                value,
                note,
                actor,
                timezone.now(),
            )
            obj.save()
        audit.record(
            actor,
            "transparency.target_set",
            obj,
            {"code": code, "year": year, "target": str(value), "previous": previous},
            agency_id=agency.pk,
        )
    return obj
