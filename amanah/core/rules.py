"""Core regulations as pure functions: working days and the NIP (civil-servant number).

No Django and no I/O here: callers pass in the set of non-working dates (holidays, cuti bersama and
agency closures), which ``amanah.core.calendar`` builds from the ``holidays`` package and the database.

Messages for people that the rules modules raise are Indonesian msgids marked with :func:`gettext_noop`
(which ``makemessages`` collects, without importing Django), with their values in a :class:`Text`; the
caller says them in the reader's language with ``amanah.core.records.translated``.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# --- Messages for people -------------------------------------------------------------------------


def gettext_noop(message: str) -> str:
    """Mark ``message``, an Indonesian sentence, for translation and return it unchanged.

    ``makemessages`` collects the calls of a function by this name (as it does Django's own), so the rules
    modules can mark their messages while staying standard library only. Nothing is translated here: the
    caller translates the message in the reader's language (``amanah.core.records.translated``)."""
    return message


class Text(str):
    """A message with values: the Indonesian sentence with the values filled in (for logs and for code that
    reads it as a ``str``), its ``msgid`` (marked with :func:`gettext_noop`) and its ``params``, from which
    ``amanah.core.records.translated`` says it in the reader's language."""

    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params) -> Text:
        out = super().__new__(cls, msgid % params if params else msgid)
        out.msgid, out.params = msgid, params
        return out


# --- Working days -------------------------------------------------------------------------------

#: Weekdays that are never working days for government offices (Saturday=5, Sunday=6).
#: Source: Perpres 21/2023 on ASN working days (five-day week, Monday–Friday); docs/rules.md,
#: *Working days*.
WEEKEND = frozenset({5, 6})

#: Largest number of working days the calendar adds in one call (~40 years); anything larger is an
#: input error, not a deadline.
MAX_WORKING_DAYS = 10_000


def is_working_day(day: dt.date, closed: frozenset[dt.date] | set[dt.date]) -> bool:
    """A government working day: Monday–Friday and not a national holiday, cuti bersama or closure.

    Source: government offices do not count Saturdays, Sundays, public holidays (libur nasional) or
    collective leave (cuti bersama, set every year by joint ministerial decree) — docs/rules.md,
    *Working days*.
    """
    return day.weekday() not in WEEKEND and day not in closed


def add_working_days(start: dt.date, n: int, closed) -> dt.date:
    """The date ``n`` working days after ``start``; counting starts the day after ``start``.

    ``n == 0`` returns ``start`` itself. Negative ``n`` counts backwards (the working day ``|n|``
    working days before ``start``). Used for SP4N-LAPOR! deadlines ("verify within 3 working days",
    PermenPANRB 62/2018), counted as docs/rules.md, *Working days*, describes. ``ValueError`` (with a
    :class:`Text`) when the count runs past the last date a ``date`` holds (9999-12-31) or the first.
    """
    if abs(n) > MAX_WORKING_DAYS:
        raise ValueError(f"n must be between -{MAX_WORKING_DAYS} and {MAX_WORKING_DAYS}")
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        try:
            day += dt.timedelta(days=step)
        except OverflowError:
            # Past 9999-12-31 (or before 0001-01-01): a ValueError with a message for people, not a 500.
            raise ValueError(
                Text(
                    gettext_noop(
                        "Hari kerja dari tanggal %(date)s tidak dapat dihitung: hasilnya di luar "
                        "rentang tanggal."
                    ),
                    date=start.isoformat(),
                )
            ) from None
        if is_working_day(day, closed):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, closed) -> int:
    """Working days in the half-open interval (start, end]: 0 when ``end <= start``.

    This is the inverse of :func:`add_working_days`: ``working_days_between(s, add_working_days(s,
    n)) == n`` for n ≥ 0.
    """
    if end <= start:
        return 0
    total = 0
    day = start
    # Whole weeks quickly, then the remainder day by day.
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    if weeks:
        total += weeks * 5
        first = start + dt.timedelta(days=1)
        last = start + dt.timedelta(days=weeks * 7)
        total -= sum(1 for c in closed if first <= c <= last and c.weekday() not in WEEKEND)
        day = last
    for _ in range(rest):
        day += dt.timedelta(days=1)
        if is_working_day(day, closed):
            total += 1
    return total


# --- NIP ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NIP:
    """A parsed 18-digit NIP: birth date (8) + TMT CPNS year-month (6) + gender (1) + sequence (3).

    Source: Peraturan Kepala BKN 22/2007 on the NIP of PNS — docs/rules.md, *NIP*.
    """

    birth_date: dt.date
    tmt: tuple[int, int]
    gender: str  # "L" (laki-laki, digit 1) or "P" (perempuan, digit 2)
    sequence: int


class NIPError(ValueError):
    """Raised with a message in Indonesian saying what is wrong with the NIP (a msgid: the caller shows it
    with ``records.translated``)."""


#: Gender digit at position 15 of the NIP.
NIP_GENDER = {"1": "L", "2": "P"}
#: Youngest and oldest plausible age at appointment as CPNS (PP 11/2017: 18 to 35, some to 40).
NIP_MIN_AGE_AT_TMT = 17
NIP_MAX_AGE_AT_TMT = 60


def parse_nip(value: str) -> NIP:
    """Validate and parse a NIP (spaces allowed between groups). Raises :class:`NIPError`."""
    digits = "".join(str(value or "").split())
    if len(digits) != 18 or not (digits.isascii() and digits.isdecimal()):
        raise NIPError(gettext_noop("NIP harus terdiri dari 18 angka."))
    try:
        birth = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise NIPError(
            gettext_noop("Delapan angka pertama NIP bukan tanggal lahir yang sah.")
        ) from None
    tmt_year, tmt_month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= tmt_month <= 12:
        raise NIPError(gettext_noop("Angka 9–14 NIP (TMT CPNS) harus tahun dan bulan yang sah."))
    # Counted from the birth date on the first day of the TMT month, not by calendar years: the person has
    # turned 17 by then and is not past their 60th birthday. Tuples, so that 29 February needs no date.
    first_of_tmt = (tmt_year, tmt_month, 1)
    youngest = (birth.year + NIP_MIN_AGE_AT_TMT, birth.month, birth.day)
    oldest = (birth.year + NIP_MAX_AGE_AT_TMT, birth.month, birth.day)
    if not youngest <= first_of_tmt <= oldest:
        raise NIPError(
            gettext_noop("TMT CPNS pada NIP tidak masuk akal dibandingkan tanggal lahir.")
        )
    gender = NIP_GENDER.get(digits[14])
    if gender is None:
        raise NIPError(
            gettext_noop("Angka ke-15 NIP (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan).")
        )
    sequence = int(digits[15:18])
    if sequence == 0:
        raise NIPError(gettext_noop("Tiga angka terakhir NIP (nomor urut) tidak boleh 000."))
    return NIP(birth_date=birth, tmt=(tmt_year, tmt_month), gender=gender, sequence=sequence)


def normalize_nip(value: str) -> str:
    """The NIP as 18 digits without spaces, after validation."""
    parse_nip(value)
    return "".join(str(value).split())


def format_nip(digits: str) -> str:
    """Customary grouping: ``19860926 201505 1 001``."""
    return f"{digits[0:8]} {digits[8:14]} {digits[14]} {digits[15:18]}"


# --- Telephone numbers ----------------------------------------------------------------------------

#: Indonesia's country code (ITU-T E.164 assignment).
COUNTRY_CODE = "62"
#: Digits of an Indonesian mobile number after the trunk prefix 0 (or after +62): "8", the operator's
#: two further prefix digits and 6–9 subscriber digits — 08xx-xxxx-xxxx written nationally.
MOBILE_DIGITS = range(9, 13)


def mobile_number(raw: str) -> str | None:
    """An Indonesian mobile number in E.164 form (``+628…``), or None when ``raw`` is not one.

    Source: the national numbering plan — mobile (cellular) numbers begin with 08 when dialled at home and
    +62 8 from abroad, 10–13 digits with the trunk 0; fixed lines (e.g. 0274 for Yogyakarta) cannot take a
    short message. Spaces, dashes, dots, slashes and brackets, as people write numbers, are ignored, and so
    is a trunk 0 written after the country code ("+62 0812…"); "00 62" is "+62".
    """
    digits = ""
    for ch in unicodedata.normalize("NFKC", raw or ""):
        if ch in " -.()/\u00a0\t":
            continue
        value = unicodedata.decimal(ch, None)  # ٠١٢ or １２３ typed on another keyboard
        digits += ch if value is None else str(value)
    if digits.startswith("00"):  # the international prefix dialled instead of "+"
        digits = "+" + digits[2:]
    international = digits.startswith("+")
    digits = digits.removeprefix("+")
    if digits.startswith(COUNTRY_CODE):
        # "+62 0812…": the trunk 0 kept after the country code, as people often write it.
        national = digits[len(COUNTRY_CODE) :].removeprefix("0")
    elif international:
        return None  # a foreign number: the agency's gateway is a national one
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        return None
    if not (national.isascii() and national.isdigit()):
        return None
    if not national.startswith("8") or len(national) not in MOBILE_DIGITS:
        return None
    return f"+{COUNTRY_CODE}{national}"


# --- Disclosure control ----------------------------------------------------------------------------
# Counts of whistleblowing reports are published (dashboard, integrity statistics) without letting anyone
# single out a reporter or a reported person: SE MenPANRB 8/M.PAN-RB/06/2012 (the reporter is never
# identified) and common statistical disclosure practice.

#: Counts from 1 up to this value minus one are not shown ("< 5" alone, "disembunyikan" in a breakdown).
SUPPRESS_BELOW = 5


def suppressed(value: int, threshold: int = SUPPRESS_BELOW) -> bool:
    """True when a count must not be shown (1 ≤ value < threshold; 0 may be shown)."""
    return 0 < value < threshold


def display_count(value: int | None, threshold: int = SUPPRESS_BELOW) -> str:
    """A count as text: ``"< 5"`` when suppressed, ``"0"`` for none."""
    if value is None:
        return "–"
    return f"< {threshold}" if suppressed(value, threshold) else str(value)


def suppress_group(
    counts: Mapping[str, int],
    threshold: int = SUPPRESS_BELOW,
    total_shown: bool = True,
    hide: Iterable[str] = (),
) -> dict:
    """Which cells of one breakdown to hide: ``{key: value or None}`` (None = hidden).

    Primary suppression hides every small count (1 to ``threshold - 1``) and the cells in ``hide``
    (hidden for a reason outside this breakdown, see :func:`protect_columns`). When the total of the
    group is published (or can be worked out from another breakdown of the same reports), the hidden
    cells add up to the total minus the shown ones, so secondary suppression hides further cells, the
    smallest non-zero first, until that sum no longer gives any of them away: at least two cells are
    hidden (one alone would be the difference) and together they hold at least ``threshold`` (two
    hidden cells adding up to 2 would both be 1). Pages show every hidden cell with the same mark, so a
    reader cannot tell the small ones from those hidden to protect them."""
    forced = set(hide)
    out: dict[str, int | None] = {
        k: (None if suppressed(v, threshold) or (k in forced and v) else v)
        for k, v in counts.items()
    }
    hidden = [k for k, v in out.items() if v is None]
    if total_shown and hidden:
        candidates = sorted((v, k) for k, v in out.items() if v)
        while candidates and (len(hidden) < 2 or sum(counts[k] for k in hidden) < threshold):
            _value, key = candidates.pop(0)
            out[key] = None
            hidden.append(key)
    return out


def protect_columns(
    rows: Mapping[object, Mapping[str, int]], threshold: int = SUPPRESS_BELOW
) -> tuple[dict, dict]:
    """One breakdown published for each agency and for all of them together: ``rows`` maps an agency to
    its counts; returns ``(shown per agency, shown national)`` (hidden cells are None).

    Every published sum must leave its hidden cells safe, as :func:`suppress_group` does for one row:
    each agency's row (its total is published); each column (the national count is the sum of the
    agencies' cells, so it is hidden when the agencies' hidden cells in its column are one alone or add
    up to less than ``threshold``); and the national row (its total, the sum of the agencies' totals, is
    known). A national cell hidden in a column whose agency cells are all published is no secret (it is
    their sum), so the national row counts as protected only by the hidden cells of columns that hold a
    hidden agency cell; while those are one alone or add up to less than ``threshold``, one more agency
    cell is hidden — the smallest of the smallest other column — and everything is checked again.
    (Agencies whose own total is small are best left out of ``rows`` altogether: their total would
    follow from the national one.)"""
    keys = sorted({k for counts in rows.values() for k in counts})
    national = {k: sum(counts.get(k, 0) for counts in rows.values()) for k in keys}
    forced: dict = {agency: set() for agency in rows}
    while True:
        shown = {a: suppress_group(rows[a], threshold, hide=forced[a]) for a in rows}
        in_column = {
            k: [a for a in rows if k in shown[a] and shown[a][k] is None and rows[a][k]]
            for k in keys
        }
        exposed = [
            k
            for k in keys
            if in_column[k]
            and (len(in_column[k]) < 2 or sum(rows[a][k] for a in in_column[k]) < threshold)
        ]
        shown_national = suppress_group(national, threshold, hide=exposed)
        secret = [k for k in keys if shown_national[k] is None and in_column[k]]
        if not secret or (len(secret) >= 2 and sum(national[k] for k in secret) >= threshold):
            return shown, shown_national
        others = sorted(
            (national[k], k) for k in keys if national[k] and not in_column[k] and k not in secret
        )
        if others:
            column = others[0][1]
            cells = [(rows[a].get(column, 0), str(a), a) for a in rows if rows[a].get(column, 0)]
            forced[min(cells)[2]].add(column)
        else:
            # Nothing left to hide beside them: every national cell of those columns is hidden, and
            # every agency cell in them too, so no column sum can be subtracted.
            for k in secret:
                for a in rows:
                    if rows[a].get(k, 0):
                        forced[a].add(k)
            shown = {a: suppress_group(rows[a], threshold, hide=forced[a]) for a in rows}
            return shown, {k: (None if national[k] else 0) for k in keys}


# --- Publication periods ---------------------------------------------------------------------------
# Whistleblowing counts are published for fixed calendar quarters only: counts for two overlapping
# stretches (October, then October and November; or the same stretch read a day later) would tell by
# subtraction what came in between, whatever is hidden in each. Quarters never overlap.

#: Months in one publication period (3: calendar quarters, starting in January).
PUBLISH_MONTHS = 3


def publication_period(day: dt.date, months: int = PUBLISH_MONTHS) -> tuple[dt.date, dt.date]:
    """The fixed period (calendar quarter by default) that ``day`` falls in, both ends inclusive."""
    first_month = (day.month - 1) // months * months + 1
    start = day.replace(month=first_month, day=1)
    last_month = first_month + months - 1
    end = start.replace(month=last_month, day=_calendar.monthrange(day.year, last_month)[1])
    return start, end


def closed_publication_period(
    start: dt.date, end: dt.date, today: dt.date, months: int = PUBLISH_MONTHS
) -> tuple[dt.date, dt.date] | None:
    """The latest fixed period (quarter) that is over on ``today`` and overlaps ``[start, end]``; None
    when the chosen stretch touches none yet."""
    last_closed = publication_period(today, months)[0] - dt.timedelta(days=1)
    last = min(end, last_closed)
    return publication_period(last, months) if last >= start else None


# --- Random codes read aloud and typed back -----------------------------------------------------------
# Complaint tracking codes and whistleblowing case numbers: Crockford's base 32 (no I, L, O or U) from the
# operating system's CSPRNG, a position-weighted check symbol that catches any single mistyped symbol and
# most swaps of neighbours, grouped by four. A code says nothing about when it was made or how many came
# before it.

#: Crockford's base 32: no I, L, O or U, so codes read aloud and typed back without confusion.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_READ_AS = {"O": "0", "I": "1", "L": "1", "U": "V"}


def code_check_symbol(body: str) -> str:
    # Odd weights are invertible modulo 32, so changing any one symbol always changes the sum.
    total = sum((2 * i + 1) * CODE_ALPHABET.index(ch) for i, ch in enumerate(body))
    return CODE_ALPHABET[total % 32]


def _code_grouped(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def new_code(symbols: int, randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """``symbols`` random base-32 symbols and a check symbol, grouped by four (``7KQ2-M9XD``)."""
    body = "".join(CODE_ALPHABET[randbelow(32)] for _ in range(symbols))
    return _code_grouped(body + code_check_symbol(body))


def normalize_code(value: str, symbols: int) -> str | None:
    """The canonical form of a typed code of ``symbols`` random symbols (case, spaces, dashes and
    look-alike letters forgiven), or None when it cannot be one (wrong length, bad symbol or failed
    check)."""
    raw = re.sub(r"[\s\-]", "", str(value or "")).upper()
    raw = "".join(_CODE_READ_AS.get(ch, ch) for ch in raw)
    if len(raw) != symbols + 1 or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    if code_check_symbol(raw[:-1]) != raw[-1]:
        return None
    return _code_grouped(raw)


# --- Exact rounding ------------------------------------------------------------------------------


def to_decimal(value: Fraction, places: int, rounding=ROUND_HALF_UP) -> Decimal:
    """Exact fraction → Decimal with ``places`` decimals (half up by default)."""
    quantum = Decimal(1).scaleb(-places)
    return _div(value, places + 2).quantize(quantum, rounding=rounding)


def _div(value: Fraction, digits: int) -> Decimal:
    # Long division to ``digits`` decimals, truncated, plus a sticky digit so half-up stays correct.
    sign = -1 if value < 0 else 1
    num, den = abs(value.numerator), value.denominator
    whole, rest = divmod(num, den)
    frac = []
    for _ in range(digits):
        rest *= 10
        d, rest = divmod(rest, den)
        frac.append(str(d))
    if rest:
        frac.append("1")  # sticky: the value is a hair above what the digits say
    text = f"{'-' if sign < 0 else ''}{whole}.{''.join(frac)}"
    return Decimal(text)
