"""Rules of the public dashboard as pure functions and tables (standard library only).

What they implement and where it comes from:

* Honest numbers: counts of integrity (whistleblowing) reports below :data:`SUPPRESS_BELOW` are shown as
  "< 5", and a second cell is hidden when one hidden cell could be worked out from a total (secondary
  suppression). This follows the confidentiality duty of SE MenPANRB 8/M.PAN-RB/06/2012 (the reporter is
  never identified) and common statistical disclosure practice; the threshold is an argument.
* Fair comparisons: units and agencies are ranked only when they have at least ``min_cases`` cases
  (:data:`MIN_CASES` by default, shown on the page), and every rate carries its number of cases.
* Deadlines: a complaint's first answer is on time when it comes on or before its response due date, which
  the complaint desk sets in working days (SP4N-LAPOR! practice, PermenPANRB 62/2018).
* The IKM of pooled answers is not here: its formula, weights, categories and display are those of the
  SKM results, in :mod:`amanah.surveys.rules` (``pooled_ikm``, ``category``, ``display_ikm``).
* Indicators of success follow the table "tantangan — solusi — indikator keberhasilan" of the programme
  (quality of service, public satisfaction, fewer ethics violations and corruption cases, accountability).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

# Disclosure control (SUPPRESS_BELOW, suppressed, display_count, suppress_group, protect_columns,
# closed_publication_period) is shared with the whistleblowing statistics, so it lives in the core
# rules; this module's callers use it from here.
from amanah.core.rules import (  # noqa: F401
    SUPPRESS_BELOW,
    Text,
    closed_publication_period,
    display_count,
    gettext_noop,
    protect_columns,
    suppress_group,
    suppressed,
    to_decimal,
)

# --- Disclosure control and fair comparison ---------------------------------------------------------

#: Default minimum number of cases before a unit or agency takes part in a ranking.
MIN_CASES = 20
#: Longest period the dashboard and the open data answer for (days).
MAX_PERIOD_DAYS = 3 * 366 + 1
#: Earliest date the dashboard accepts.
MIN_DATE = dt.date(2000, 1, 1)


def eligible(cases: int, min_cases: int = MIN_CASES) -> bool:
    """A unit takes part in a ranking only with at least ``min_cases`` cases."""
    return cases >= min_cases


def rank(
    rows: Iterable[dict],
    rate_key: str,
    cases_key: str,
    min_cases: int = MIN_CASES,
    higher_is_better: bool = True,
) -> tuple[list[dict], list[dict]]:
    """Rank rows by ``rate_key`` among those with enough cases.

    Returns ``(ranked, not_ranked)``: ranked rows get ``rank`` 1, 2, … (equal rates share a rank);
    rows with too few cases or no rate are listed apart, alphabetically by ``name``."""
    rows = list(rows)
    ok = [
        r
        for r in rows
        if r.get(rate_key) is not None and eligible(r.get(cases_key) or 0, min_cases)
    ]
    rest = [r for r in rows if r not in ok]
    ok.sort(key=lambda r: (-r[rate_key] if higher_is_better else r[rate_key], r.get("name", "")))
    previous, current = object(), 0
    for i, r in enumerate(ok, start=1):
        if r[rate_key] != previous:
            current, previous = i, r[rate_key]
        r["rank"] = current
    rest.sort(key=lambda r: r.get("name", ""))
    for r in rest:
        r["rank"] = None
    return ok, rest


# --- Figures ----------------------------------------------------------------------------------------


def pct(part: int, whole: int, places: int = 1) -> float | None:
    """``part`` as a percentage of ``whole`` (None when ``whole`` is 0), rounded half up from the exact
    fraction like every other figure the product shows (``surveys.rules.share``): 1 of 16 is 6,25 % and
    shows 6,3, where Python's ``round`` (half to even, on a binary float) would give 6,2."""
    if not whole:
        return None
    return half_up(Fraction(100 * part, whole), places)


def half_up(exact: Fraction, places: int) -> float:
    """An exact fraction rounded half up to ``places`` decimals (``core.rules.to_decimal``, the rounding
    the SKM figures use)."""
    return float(to_decimal(exact, places))


def median_from_histogram(histogram: Mapping[int, int]) -> float | None:
    """The median of values given as ``{value: how many}`` (the mean of the two middle values when the
    count is even). Exact for the whole numbers of working days the rollups keep."""
    items = sorted((int(k), int(v)) for k, v in histogram.items() if v > 0)
    n = sum(v for _, v in items)
    if n == 0:
        return None
    lo_pos, hi_pos = (n - 1) // 2, n // 2  # zero-based positions of the middle value(s)
    seen, lo, hi = 0, None, None
    for value, count in items:
        if lo is None and seen + count > lo_pos:
            lo = value
        if seen + count > hi_pos:
            hi = value
            break
        seen += count
    return (lo + hi) / 2


def mean_from_histogram(histogram: Mapping[int, int], places: int = 2) -> float | None:
    """The mean of values given as ``{value: how many}``, rounded half up like ``pct``."""
    n = sum(histogram.values())
    if not n:
        return None
    return half_up(Fraction(sum(int(k) * v for k, v in histogram.items()), n), places)


ON_TIME, LATE, PENDING = "tepat_waktu", "terlambat", "belum"


def deadline_state(answered_on: dt.date | None, due: dt.date | None) -> str | None:
    """Whether the first answer met the response deadline: on time (answered on or before the due date),
    late, or not answered yet. None when no deadline was set (the complaint was never forwarded)."""
    if due is None:
        return None
    if answered_on is None:
        return PENDING
    return ON_TIME if answered_on <= due else LATE


def deadline_share(on_time: int, late: int, missed: int) -> float | None:
    """Share answered within the deadline among complaints whose deadline has passed or that were
    answered: on time ÷ (on time + answered late + not answered after the deadline)."""
    return pct(on_time, on_time + late + missed)


def is_overdue(open_: bool, due: dt.date | None, today: dt.date) -> bool:
    """An open complaint is overdue after the due date of the stage it is in (the complaint desk's
    clock: verification, response or resolution)."""
    return bool(open_ and due is not None and today > due)


def trend(previous: float | None, current: float | None, tolerance: float = 0.005) -> str | None:
    """``naik``, ``turun`` or ``tetap`` between two values."""
    if previous is None or current is None:
        return None
    if current - previous > tolerance:
        return "naik"
    if previous - current > tolerance:
        return "turun"
    return "tetap"


# --- Periods ------------------------------------------------------------------------------------------


class PeriodError(ValueError):
    """A bad period: ``code`` for machines, ``field`` it concerns, ``message`` in Indonesian (a msgid or a
    ``core.rules.Text``: the caller says it with ``records.translated``)."""

    def __init__(self, code: str, message: str, field: str):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def parse_date(value: str | None, field: str) -> dt.date | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        day = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise PeriodError(
            "invalid_date",
            Text(gettext_noop("%(field)s harus tanggal dengan format TTTT-BB-HH."), field=field),
            field,
        ) from None
    if day < MIN_DATE or day.year > 2100:
        raise PeriodError(
            "out_of_range",
            Text(gettext_noop("%(field)s di luar rentang yang didukung (2000–2100)."), field=field),
            field,
        )
    return day


def parse_period(
    start: str | None,
    end: str | None,
    today: dt.date,
    default_days: int = 365,
    max_days: int = MAX_PERIOD_DAYS,
) -> tuple[dt.date, dt.date]:
    """The period asked for: both ends inclusive. Missing ``end`` is today; missing ``start`` is
    ``default_days`` before the end. Raises :class:`PeriodError` for non-dates, a backward period or one
    longer than ``max_days``."""
    s, e = parse_date(start, "start"), parse_date(end, "end")
    e = e or today
    s = s or (e - dt.timedelta(days=default_days - 1))
    if s > e:
        raise PeriodError(
            "period_backwards",
            gettext_noop(
                "Tanggal mulai (start) harus sebelum atau sama dengan tanggal akhir (end)."
            ),
            "start",
        )
    if (e - s).days + 1 > max_days:
        raise PeriodError(
            "period_too_long",
            Text(gettext_noop("Periode paling panjang %(n)d hari."), n=max_days),
            "end",
        )
    return s, e


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def split_range(
    start: dt.date, end: dt.date
) -> tuple[list[tuple[dt.date, dt.date]], list[dt.date]]:
    """Cover ``[start, end]`` with as few rollup rows as possible: whole months (returned as their first
    days) and the leftover day ranges at either edge."""
    if start > end:
        return [], []
    days: list[tuple[dt.date, dt.date]] = []
    months: list[dt.date] = []
    first_full = start if start.day == 1 else next_month(start)
    last_full_end = (
        end if next_month(end) - dt.timedelta(days=1) == end else month_start(end) - dt.timedelta(1)
    )
    if first_full > last_full_end:
        return [(start, end)], []
    if start < first_full:
        days.append((start, first_full - dt.timedelta(days=1)))
    m = first_full
    while m <= last_full_end:
        months.append(m)
        m = next_month(m)
    if last_full_end < end:
        days.append((last_full_end + dt.timedelta(days=1), end))
    return days, months


# --- Indicators of success ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    challenge: str  # tantangan
    solution: str  # solusi
    name: str  # indikator keberhasilan
    definition: str
    source: str
    unit: str  # "%", "hari kerja", "nilai", "kasus"
    higher_is_better: bool
    default_target: float | None


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "tepat_waktu",
        "Kualitas pelayanan publik",
        "Pengelolaan pengaduan dengan tenggat hari kerja",
        "Pengaduan dijawab tepat waktu",
        "Tanggapan pertama pada atau sebelum batas waktu, dibagi pengaduan yang batas waktunya sudah lewat "
        "atau sudah ditanggapi.",
        "Pengaduan (Amanah)",
        "%",
        True,
        90.0,
    ),
    Indicator(
        "median_tanggapan",
        "Kualitas pelayanan publik",
        "Pengelolaan pengaduan dengan tenggat hari kerja",
        "Median hari kerja sampai tanggapan pertama",
        "Nilai tengah jumlah hari kerja dari pengaduan diterima sampai tanggapan pertama.",
        "Pengaduan (Amanah)",
        "hari kerja",
        False,
        5.0,
    ),
    Indicator(
        "ikm",
        "Kepuasan masyarakat",
        "Survei Kepuasan Masyarakat (PermenPANRB 14/2017)",
        "Indeks Kepuasan Masyarakat (IKM)",
        "IKM konversi dari seluruh kuesioner periode SKM yang dipublikasikan dalam periode.",
        "SKM (Amanah)",
        "nilai",
        True,
        88.31,
    ),
    Indicator(
        "penilaian_jawaban",
        "Kepuasan masyarakat",
        "Konfirmasi dan penilaian jawaban oleh pengadu",
        "Rata-rata penilaian jawaban oleh pengadu",
        "Rata-rata nilai 1–5 yang diberikan pengadu atas jawaban pengaduan yang selesai dalam periode.",
        "Pengaduan (Amanah)",
        "nilai",
        True,
        4.0,
    ),
    Indicator(
        "integritas_selesai",
        "Berkurangnya pelanggaran etika dan kasus korupsi",
        "Saluran pelaporan pelanggaran (WBS) yang aman dan ditindaklanjuti",
        "Laporan pelanggaran yang sudah diselesaikan",
        "Laporan yang selesai, dirujuk atau ditutup dibagi seluruh laporan yang diterima dalam periode.",
        "Laporan integritas (Amanah)",
        "%",
        True,
        80.0,
    ),
    Indicator(
        "integritas_terbukti",
        "Berkurangnya pelanggaran etika dan kasus korupsi",
        "Pemeriksaan dan sanksi disiplin (PP 94/2021)",
        "Pelanggaran terbukti",
        "Jumlah laporan yang diterima dalam periode dan terbukti (seluruhnya atau sebagian); makin sedikit "
        "makin baik.",
        "Laporan integritas (Amanah)",
        "kasus",
        False,
        None,
    ),
    Indicator(
        "diselesaikan",
        "Akuntabilitas",
        "Dasbor publik dan data terbuka",
        "Pengaduan yang diselesaikan",
        "Pengaduan yang selesai dalam periode dibagi pengaduan yang diterima dalam periode.",
        "Pengaduan (Amanah)",
        "%",
        True,
        90.0,
    ),
    Indicator(
        "terlambat",
        "Akuntabilitas",
        "Pemantauan tenggat dan eskalasi otomatis",
        "Pengaduan terbuka yang melewati batas waktu",
        "Jumlah pengaduan terbuka yang saat ini melewati batas waktu tahapnya.",
        "Pengaduan (Amanah)",
        "kasus",
        False,
        0.0,
    ),
)
INDICATOR_CODES = {i.code: i for i in INDICATORS}


def achieved(value: float | None, target: float | None, higher_is_better: bool) -> bool | None:
    """Whether the value meets the target (None when either is missing)."""
    if value is None or target is None:
        return None
    return value >= target if higher_is_better else value <= target
