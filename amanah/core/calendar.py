"""The working-day calendar of an agency: national holidays and cuti bersama from the ``holidays``
package, plus closures recorded in Amanah (nationally or by the agency). The arithmetic itself is
in :mod:`amanah.core.rules`; this module only gathers the non-working dates."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

import holidays as holidays_lib
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy

from . import memo, rules
from .models import Closure, ClosureKind, TimeZoneChoice

#: The code of a closure that makes a day off a working day for the agency (``Closure.is_working_day``):
#: not a kind of day off, so not a :class:`ClosureKind`, but the closures API answers it as a kind.
WORKING_DAY = "hari_kerja"

#: Each kind of day as the API names it (``kind``), in the reader's language; ``kind_code`` is the key.
KIND_LABELS = {
    ClosureKind.NATIONAL: pgettext_lazy("jenis hari", "libur nasional"),
    ClosureKind.CUTI_BERSAMA: pgettext_lazy("jenis hari", "cuti bersama"),
    ClosureKind.AGENCY: pgettext_lazy("jenis hari", "penutupan instansi"),
    WORKING_DAY: pgettext_lazy("jenis hari", "hari kerja"),
}

#: Years the calendar answers for; outside this range the package has no data worth trusting.
MIN_YEAR, MAX_YEAR = 1990, 2100


def out_of_years(day: dt.date, *, margin: int = 0) -> str | None:
    """Why ``day`` cannot be used with the calendar, in the reader's language, or None when it can: it must
    lie from :data:`MIN_YEAR` to :data:`MAX_YEAR` less ``margin`` years (room for counting working days on
    from it). The one check and message for every page and API that takes a date the calendar must read."""
    last = MAX_YEAR - margin
    if MIN_YEAR <= day.year <= last:
        return None
    return gettext("Tanggal harus antara tahun %(min)d dan %(max)d.") % {
        "min": MIN_YEAR,
        "max": last,
    }


def _local_dates(moment: dt.datetime | None) -> set[dt.date]:
    moment = moment or timezone.now()
    zones = {*TimeZoneChoice.values, settings.TIME_ZONE}
    return {timezone.localtime(moment, zoneinfo.ZoneInfo(z)).date() for z in zones}


def latest_local_date(moment: dt.datetime | None = None) -> dt.date:
    """The latest date of any agency at ``moment`` (default now): the date in Indonesia's easternmost
    time zone (WIT). No agency's today is later, so a date after it lies in the future everywhere: the
    check for a date of the past made before the agency (and so its zone) is known."""
    return max(_local_dates(moment))


def earliest_local_date(moment: dt.datetime | None = None) -> dt.date:
    """The earliest date of any agency at ``moment`` (default now): the date in the westernmost time
    zone (WIB)."""
    return min(_local_dates(moment))


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    name: str
    kind: str  # ClosureKind value


@lru_cache(maxsize=256)
def national_holidays(year: int) -> tuple[Holiday, ...]:
    """Libur nasional (category ``public``) and cuti bersama (``government``) of one year."""
    result: dict[dt.date, Holiday] = {}
    categories = settings.HOLIDAY_CATEGORIES
    for category, kind in (
        ("public", ClosureKind.NATIONAL),
        ("government", ClosureKind.CUTI_BERSAMA),
    ):
        if category not in categories:
            continue
        try:
            days = holidays_lib.country_holidays(
                "ID", years=year, categories=(category,), language="id"
            )
        except (NotImplementedError, ValueError):
            days = holidays_lib.country_holidays("ID", years=year, categories=(category,))
        for day, name in sorted(days.items()):
            if day not in result:
                result[day] = Holiday(day, name, kind)
    return tuple(sorted(result.values(), key=lambda h: h.date))


def holidays_for(year: int, agency=None) -> list[Holiday]:
    """Every non-working day of ``year`` for ``agency`` (national list, then Amanah closures; a
    closure marked as a working day removes a national one)."""
    return holidays_for_years([year], agency)[year]


#: Each agency's non-working days per year, remembered between requests (see :mod:`amanah.core.memo`).
CLOSED_DAYS = memo.Memo("calendar", ("core.Closure",))


def holidays_for_years(years, agency=None) -> dict[int, list[Holiday]]:
    """:func:`holidays_for` for several years; the years not yet remembered are read with one database
    query (deadline arithmetic looks at the years around a date, and intake computes a deadline on every
    complaint)."""
    agency_id = agency.pk if agency is not None and not isinstance(agency, int) else agency
    years = sorted(set(years))
    out = {year: CLOSED_DAYS.get((agency_id, year), lambda: None) for year in years}
    missing = [year for year, days in out.items() if days is None]
    if missing:
        for year, days in _load_years(missing, agency_id).items():
            out[year] = CLOSED_DAYS.get((agency_id, year), lambda days=days: days)
    return {year: list(days) for year, days in out.items()}


def _load_years(years, agency_id) -> dict[int, tuple[Holiday, ...]]:
    found = {year: {h.date: h for h in national_holidays(year)} for year in years}
    scope = Q(agency__isnull=True) | Q(agency_id=agency_id) if agency_id else Q(agency__isnull=True)
    closures = Closure.objects.filter(scope, date__year__in=years)
    for c in closures.order_by(F("agency_id").asc(nulls_first=True), "date"):
        days = found[c.date.year]
        if c.is_working_day:
            days.pop(c.date, None)
        else:
            kind = ClosureKind.AGENCY if c.agency_id else ClosureKind.NATIONAL
            days[c.date] = Holiday(c.date, c.name, kind)
    return {
        year: tuple(sorted(days.values(), key=lambda h: h.date)) for year, days in found.items()
    }


class Calendar:
    """Working days for one agency (or the national calendar when ``agency`` is None)."""

    def __init__(self, agency=None):
        self.agency = agency
        tz_name = getattr(agency, "time_zone", None) or settings.TIME_ZONE
        self.tz = zoneinfo.ZoneInfo(tz_name)
        self._years: dict[int, frozenset[dt.date]] = {}

    def closed(self, *years: int) -> frozenset[dt.date]:
        missing = [year for year in years if year not in self._years]
        if missing:
            for year, days in holidays_for_years(missing, self.agency).items():
                self._years[year] = frozenset(h.date for h in days)
        out: set[dt.date] = set()
        for year in years:
            out |= self._years[year]
        return frozenset(out)

    def _closed_around(self, start: dt.date, end: dt.date) -> frozenset[dt.date]:
        lo, hi = sorted((start.year, end.year))
        return self.closed(*range(max(lo - 1, MIN_YEAR), min(hi + 1, MAX_YEAR) + 1))

    def local_date(self, moment: dt.datetime | None = None) -> dt.date:
        """The date in the agency's time zone (WIB, WITA or WIT) at ``moment`` (default now)."""
        moment = moment or timezone.now()
        return timezone.localtime(moment, self.tz).date()

    def is_working_day(self, day: dt.date) -> bool:
        return rules.is_working_day(day, self.closed(day.year))

    def add(self, start: dt.date, n: int) -> dt.date:
        """The date ``n`` working days after ``start`` (:func:`rules.add_working_days`): a
        ``ValueError`` with a message for people, not an ``OverflowError``, when the count runs past
        the last date a ``date`` holds. Callers check their input with :func:`out_of_years` first."""
        # Estimate the span (5 working days a week, plus holidays) to load only the years needed.
        span = dt.timedelta(days=int(abs(n) * 7 / 5) + 60)
        try:
            end = start + span if n >= 0 else start - span
        except OverflowError:
            end = dt.date.max if n >= 0 else dt.date.min
        return rules.add_working_days(start, n, self._closed_around(start, end))

    def between(self, start: dt.date, end: dt.date) -> int:
        return rules.working_days_between(start, end, self._closed_around(start, end))

    def add_from(self, moment: dt.datetime, n: int) -> dt.date:
        """Deadline ``n`` working days after the local date of ``moment``."""
        return self.add(self.local_date(moment), n)
