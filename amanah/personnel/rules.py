"""ASN professionalism rules as pure functions and tables (standard library only).

Every number a regulation may change lives in a table here and can be overridden (per agency in
``Agency.options["personnel"]`` or platform-wide in the ``AMANAH_PERSONNEL_RULES`` setting, read by
``services.rule_tables``); functions take the table as an argument so tests and overrides use the
same code. Sources are cited per table, and docs/personnel.md lists them. Items marked
*unverified* were not read in the regulation's own text and are defaults, not truths.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from amanah.core.rules import Text, gettext_noop

# --- Competency development (PP 11/2017, PermenPANRB 38/2017) ------------------------------------

#: Minimum hours of competency development (jam pelajaran) per PNS per year.
#: Source: PP 11/2017 Pasal 203(4) — "paling sedikit 20 (dua puluh) jam pelajaran dalam 1 (satu) tahun".
JP_MINIMUM = 20

#: Largest JP one single programme or record may carry. A year of full-time study counts as far
#: less; anything above this is a typing error (e.g. 2000 for 20). Configurable.
JP_MAX_PER_RECORD = 400


#: Reminders to ASN below the minimum (and their supervisor) go out from this many days before the
#: year ends, so there is still time to train. A platform choice, configurable.
JP_REMINDER_DAYS_BEFORE_YEAR_END = 92


def reminder_due(today: dt.date, days_before: int = JP_REMINDER_DAYS_BEFORE_YEAR_END) -> bool:
    """True once ``today`` is within ``days_before`` days of 31 December."""
    return (dt.date(today.year, 12, 31) - today).days <= days_before


def jp_total(records: list[tuple[dt.date | None, Decimal | int | float]], year: int) -> Decimal:
    """Total JP of the records completed in ``year`` (``(completed_on, jp)`` pairs; records without
    a completion date do not count). Source: PP 11/2017 Pasal 203(4) counts per calendar year."""
    total = Decimal(0)
    for completed_on, jp in records:
        if completed_on is not None and completed_on.year == year:
            total += Decimal(str(jp))
    return total


def meets_minimum(total: Decimal | int | float, minimum: int = JP_MINIMUM) -> bool:
    """True when the year's total reaches the minimum (PP 11/2017 Pasal 203(4))."""
    return Decimal(str(total)) >= Decimal(minimum)


def jp_shortfall(total: Decimal | int | float, minimum: int = JP_MINIMUM) -> Decimal:
    """JP still needed to reach the minimum this year (never negative)."""
    return max(Decimal(minimum) - Decimal(str(total)), Decimal(0))


def validate_jp(jp, maximum: int = JP_MAX_PER_RECORD) -> Decimal:
    """A record's JP as a Decimal, or ``ValueError`` with an Indonesian message (a msgid or a
    ``core.rules.Text``, for ``records.translated``) when it is not a number, negative, zero or absurd
    (more than ``maximum``)."""
    try:
        value = Decimal(str(jp).replace(",", "."))
    except Exception:
        raise ValueError(gettext_noop("JP harus berupa angka.")) from None
    if not value.is_finite():
        raise ValueError(gettext_noop("JP harus berupa angka."))
    if value <= 0:
        raise ValueError(gettext_noop("JP harus lebih dari 0."))
    if value > maximum:
        raise ValueError(
            Text(
                gettext_noop("JP %(jp)s tidak masuk akal: paling banyak %(max)s JP per kegiatan."),
                jp=value,
                max=maximum,
            )
        )
    if (value * 2) != (value * 2).to_integral_value():
        raise ValueError(gettext_noop("JP dicatat dalam kelipatan 0,5."))
    return value


#: Competency types. Source: PermenPANRB 38/2017 Pasal 4 (teknis, manajerial, sosial kultural).
COMPETENCY_TYPES = {
    "teknis": "Teknis",
    "manajerial": "Manajerial",
    "sosial_kultural": "Sosial kultural",
}

#: The eight managerial competencies and the one socio-cultural competency of PermenPANRB 38/2017
#: (Lampiran: kamus kompetensi manajerial dan sosial kultural), as (code, type, name).
STANDARD_COMPETENCIES = [
    ("integritas", "manajerial", "Integritas"),
    ("kerjasama", "manajerial", "Kerjasama"),
    ("komunikasi", "manajerial", "Komunikasi"),
    ("orientasi-hasil", "manajerial", "Orientasi pada Hasil"),
    ("pelayanan-publik", "manajerial", "Pelayanan Publik"),
    ("pengembangan-diri", "manajerial", "Pengembangan Diri dan Orang Lain"),
    ("mengelola-perubahan", "manajerial", "Mengelola Perubahan"),
    ("pengambilan-keputusan", "manajerial", "Pengambilan Keputusan"),
    ("perekat-bangsa", "sosial_kultural", "Perekat Bangsa"),
]

#: Proficiency levels 1–5 of the competency dictionary (PermenPANRB 38/2017 Lampiran: level 1
#: "kesadaran" … level 5 "ahli").
COMPETENCY_LEVELS = {1: "Kesadaran", 2: "Pengetahuan", 3: "Praktisi", 4: "Mahir", 5: "Ahli"}

#: Programme categories: a platform choice of headings for the learning that PP 11/2017
#: Pasal 210–211 allows (classical and non-classical).
PROGRAM_CATEGORIES = {
    "teknis": "Pelatihan teknis",
    "kepemimpinan": "Kepemimpinan / manajerial",
    "sosial_kultural": "Sosial kultural",
    "soft_skill": "Keterampilan nonteknis (komunikasi efektif, manajemen konflik, …)",
}
#: Labels are Indonesian (English through the catalogue, ``labels.py``); the keys are what is stored.
#: The training import's ``bentuk`` column takes a key or a label in either language.
PROGRAM_METHODS = {
    "pelatihan": "Pelatihan klasikal",
    "workshop": "Lokakarya",
    "seminar": "Seminar / konferensi",
    "on_the_job": "Pelatihan di tempat kerja / magang",
    "off_the_job": "Pelatihan di luar tempat kerja",
    "e_learning": "Pembelajaran elektronik",
    "coaching": "Bimbingan / pendampingan",
}


@dataclass(frozen=True)
class Gap:
    competency: str
    required: int
    assessed: int | None

    @property
    def size(self) -> int:
        return self.required - (self.assessed or 0)


def competency_gaps(required: dict[str, int], assessed: dict[str, int]) -> list[Gap]:
    """Competencies whose assessed level is below the position's required level (an unassessed
    competency counts as level 0), largest gap first. Source: PermenPANRB 38/2017 Pasal 5 — the
    standard of a position is compared with the holder's measured competence."""
    gaps = [
        Gap(code, level, assessed.get(code))
        for code, level in required.items()
        if (assessed.get(code) or 0) < level
    ]
    return sorted(gaps, key=lambda g: (-g.size, g.competency))


# --- Performance: SKP (PermenPANRB 6/2022) --------------------------------------------------------

#: The three ratings for hasil kerja and for perilaku kerja.
RATINGS = {
    "di_bawah": "Di bawah ekspektasi",
    "sesuai": "Sesuai ekspektasi",
    "di_atas": "Di atas ekspektasi",
}

PREDICATES = {
    "sangat_baik": "Sangat baik",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh perbaikan",
    "kurang": "Kurang / misconduct",
    "sangat_kurang": "Sangat kurang",
}

#: Predicate matrix (hasil kerja, perilaku kerja) → predikat kinerja. Source: PermenPANRB 6/2022
#: Lampiran (kurva distribusi / matriks predikat) — **unverified against the appendix**;
#: overridable as a table.
PREDICATE_MATRIX = {
    ("di_atas", "di_bawah"): "kurang",
    ("di_atas", "sesuai"): "baik",
    ("di_atas", "di_atas"): "sangat_baik",
    ("sesuai", "di_bawah"): "kurang",
    ("sesuai", "sesuai"): "baik",
    ("sesuai", "di_atas"): "baik",
    ("di_bawah", "di_bawah"): "sangat_kurang",
    ("di_bawah", "sesuai"): "butuh_perbaikan",
    ("di_bawah", "di_atas"): "butuh_perbaikan",
}

#: The BerAKHLAK core values rated as perilaku kerja (SE MenPANRB 20/2021).
BERAKHLAK = {
    "berorientasi_pelayanan": "Berorientasi Pelayanan",
    "akuntabel": "Akuntabel",
    "kompeten": "Kompeten",
    "harmonis": "Harmonis",
    "loyal": "Loyal",
    "adaptif": "Adaptif",
    "kolaboratif": "Kolaboratif",
}


def skp_predicate(hasil_kerja: str, perilaku: str, matrix: dict | None = None) -> str:
    """The performance predicate for a pair of ratings (PermenPANRB 6/2022; see PREDICATE_MATRIX).
    Raises ``ValueError`` for a rating that does not exist."""
    matrix = matrix or PREDICATE_MATRIX
    if hasil_kerja not in RATINGS or perilaku not in RATINGS:
        raise ValueError(gettext_noop("Rating harus di_bawah, sesuai atau di_atas."))
    return matrix[(hasil_kerja, perilaku)]


def periods_overlap(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> bool:
    """True when the closed date ranges [a_start, a_end] and [b_start, b_end] share a day."""
    return a_start <= b_end and b_start <= a_end


# --- Discipline: PP 94/2021 -----------------------------------------------------------------------

LEVELS = {"ringan": "Ringan", "sedang": "Sedang", "berat": "Berat"}


@dataclass(frozen=True)
class Sanction:
    code: str
    level: str
    label: str
    #: months the sanction runs; None when it has no duration (a reprimand) or is permanent
    months: int | None
    permanent: bool = False


#: The sanction ladder of PP 94/2021 Pasal 8: three levels, each with its exact sanction types.
SANCTIONS: dict[str, Sanction] = {
    s.code: s
    for s in [
        Sanction("teguran_lisan", "ringan", "Teguran lisan", None),
        Sanction("teguran_tertulis", "ringan", "Teguran tertulis", None),
        Sanction("pernyataan_tidak_puas", "ringan", "Pernyataan tidak puas secara tertulis", None),
        Sanction("tukin_25_6", "sedang", "Pemotongan tunjangan kinerja 25% selama 6 bulan", 6),
        Sanction("tukin_25_9", "sedang", "Pemotongan tunjangan kinerja 25% selama 9 bulan", 9),
        Sanction("tukin_25_12", "sedang", "Pemotongan tunjangan kinerja 25% selama 12 bulan", 12),
        Sanction(
            "penurunan_jabatan",
            "berat",
            "Penurunan jabatan setingkat lebih rendah selama 12 bulan",
            12,
        ),
        Sanction(
            "pembebasan_jabatan",
            "berat",
            "Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan",
            12,
        ),
        Sanction(
            "pemberhentian",
            "berat",
            "Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS",
            None,
            permanent=True,
        ),
    ]
}


def sanctions_for(level: str) -> list[Sanction]:
    """The sanction types of one level (PP 94/2021 Pasal 8 ayat 2–4)."""
    return [s for s in SANCTIONS.values() if s.level == level]


def check_sanction(level: str, code: str) -> Sanction:
    """The sanction ``code`` if it exists at ``level``; ``ValueError`` (Indonesian, for
    ``records.translated``) otherwise."""
    if level not in LEVELS:
        raise ValueError(
            Text(
                gettext_noop(
                    "Tingkat hukuman '%(level)s' tidak ada: pilih ringan, sedang atau berat."
                ),
                level=level,
            )
        )
    sanction = SANCTIONS.get(code)
    if sanction is None or sanction.level != level:
        allowed = ", ".join(s.code for s in sanctions_for(level))
        raise ValueError(
            Text(
                gettext_noop(
                    "Jenis hukuman '%(code)s' tidak ada pada tingkat %(level)s. Pilihan: %(allowed)s."
                ),
                code=code,
                level=level,
                allowed=allowed,
            )
        )
    return sanction


def _require_year(year: int, start: dt.date, months: int) -> None:
    """A ``ValueError`` with a message for people (not Python's own, or a 500) when a term of
    ``months`` months from ``start`` would end outside the dates a ``date`` holds (years 1–9999)."""
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ValueError(
            Text(
                gettext_noop(
                    "Masa %(months)d bulan sejak %(date)s berakhir di luar rentang tanggal."
                ),
                months=months,
                date=start.isoformat(),
            )
        )


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later (clamped to the month's last day)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    _require_year(year, day, months)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def term_end(start: dt.date, months: int) -> dt.date:
    """The last day of a term of ``months`` months that starts on ``start``: the day before its
    anniversary. When the end month lacks the start's day (31 August + 6 months, 29 February + 12 months)
    the anniversary is the 1st of the following month, so the term ends on the end month's last day
    (28 February 2027, 28 February 2025), not a day earlier as the clamped :func:`add_months` minus one
    day would give. Source: PP 94/2021 Pasal 8 (a sanction runs "selama" 6/9/12 bulan, its full term)."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    if (year, month, start.day) == (dt.MAXYEAR + 1, 1, 1):
        return dt.date.max  # the day before an anniversary no date holds
    _require_year(year, start, months)
    try:
        anniversary = dt.date(year, month, start.day)
    except ValueError:
        anniversary = dt.date(year + month // 12, month % 12 + 1, 1)
    return anniversary - dt.timedelta(days=1)


#: How long a sanction without a duration of its own (the reprimands: teguran lisan, teguran tertulis,
#: pernyataan tidak puas) counts as a recent sanction: for the discipline dimension of the Indeks
#: Profesionalitas and for the clean-record award, 12 months from its start, like the longest timed
#: sanctions. PP 94/2021 gives reprimands no duration: a platform choice, *unverified*, configurable.
REPRIMAND_COUNTS_MONTHS = 12


def counts_until(code: str, start: dt.date, reprimand_months: int | None = None) -> dt.date | None:
    """The last day a decided sanction counts as in force: the end of a timed sanction
    (:func:`sanction_end`), or for a reprimand ``reprimand_months`` (:data:`REPRIMAND_COUNTS_MONTHS`)
    from its start, ending the day before the anniversary (:func:`term_end`). None for dismissal, which
    is permanent."""
    sanction = SANCTIONS[code]
    if sanction.permanent:
        return None
    if sanction.months is not None:
        return sanction_end(code, start)
    months = REPRIMAND_COUNTS_MONTHS if reprimand_months is None else reprimand_months
    return term_end(start, months)


def sanction_end(code: str, start: dt.date) -> dt.date | None:
    """The last day a sanction with a duration runs: the day before the anniversary of its start
    (:func:`term_end`; 31 August + 6 months ends on 28 February); None for reprimands and for dismissal.
    Source: PP 94/2021 Pasal 8 (durations of 6/9/12 months)."""
    sanction = SANCTIONS[code]
    if sanction.months is None:
        return None
    return term_end(start, sanction.months)


#: Cumulative unexcused absence in one year (working days) → sanction, as (from, to, code);
#: ``to`` None means "and above". Source: PP 94/2021 Pasal 9–11 (kewajiban masuk kerja).
ABSENCE_TABLE = [
    (3, 3, "teguran_lisan"),
    (4, 6, "teguran_tertulis"),
    (7, 10, "pernyataan_tidak_puas"),
    (11, 13, "tukin_25_6"),
    (14, 16, "tukin_25_9"),
    (17, 20, "tukin_25_12"),
    (21, 24, "penurunan_jabatan"),
    (25, 27, "pembebasan_jabatan"),
    (28, None, "pemberhentian"),
]
#: Consecutive unexcused absence (working days) that leads to dismissal (PP 94/2021 Pasal 11(2)d).
ABSENCE_CONSECUTIVE_DISMISSAL = 10


def absence_sanction(
    cumulative: int, consecutive: int = 0, table=None, consecutive_limit: int | None = None
) -> str | None:
    """The sanction suggested for unexcused absence: ``cumulative`` working days in the year and
    the longest run of ``consecutive`` working days. None below the first band (0–2 days).
    Source: PP 94/2021 Pasal 9–11."""
    if cumulative < 0 or consecutive < 0:
        raise ValueError(gettext_noop("Jumlah hari tidak boleh negatif."))
    table = table or ABSENCE_TABLE
    limit = consecutive_limit or ABSENCE_CONSECUTIVE_DISMISSAL
    if consecutive >= limit:
        return "pemberhentian"
    for low, high, code in table:
        if cumulative >= low and (high is None or cumulative <= high):
            return code
    return None


def longest_run(days: list[dt.date], working_days: list[dt.date]) -> int:
    """Longest run of consecutive *working* days in ``days``: ``working_days`` is the ordered list
    of working days of the period (so a weekend between two absences does not break the run)."""
    return longest_run_span(days, working_days)[0]


def longest_run_span(
    days: list[dt.date], working_days: list[dt.date]
) -> tuple[int, dt.date | None, dt.date | None]:
    """:func:`longest_run` with the run's first and last day (None, None when there is none; the
    latest run wins a tie). PP 94/2021 Pasal 11(2)d counts working days in a row, whatever year they
    fall in: ``working_days`` may cross a New Year, and the run goes on across it."""
    absent = set(days)
    best, first, last = 0, None, None
    run, start = 0, None
    for day in working_days:
        if day in absent:
            run, start = run + 1, start if run else day
            if run >= best:
                best, first, last = run, start, day
        else:
            run = 0
    return best, first, last


#: Days' notice for a summons: at least 7 working days before the examination; a second summons
#: is sent within 7 working days after the missed date. Source: PP 94/2021 Pasal 26 (pemanggilan;
#: the article number is *unverified*).
SUMMONS_NOTICE_WORKING_DAYS = 7
SECOND_SUMMONS_WITHIN_WORKING_DAYS = 7

#: Deadline for an administrative appeal (keberatan / banding administratif): 14 working days,
#: counted from the day the ASN receives the decision. PP 94/2021 itself leaves the procedure of
#: upaya administratif to a separate regulation (as summarised in wawannug/disiplin-pns,
#: ``src/data/berlaku.js``: a sanction takes effect on the 15th day after it is received, or as the
#: appeal decides), which is PP 79/2021. Sources: PP 79/2021 Pasal 11(3), banding within 14 working
#: days, as reported by kabargresik.com ("Kalau dipecat bupati, lakukan cara ini", 2021) and
#: wartapembaruan.co.id (September 2021) — the press does not quote when the count starts;
#: Permenkumham 24/2023 Pasal 34(4) (pasal.id, the regulation's own text, for that ministry's
#: staff): banding "paling lama 14 (empat belas) hari kerja terhitung mulai tanggal Keputusan …
#: diterima oleh Pegawai"; for a keberatan, 14 days per the head of BKPSDM Banggai on PP 79/2021
#: (luwuktimes.id, "Jalur resmi keberatan mutasi oleh ASN"). The text of PP 79/2021 on the keberatan
#: deadline was not read: *unverified* there. Configurable. The platform counts from the day the
#: decision was received (``DisciplineCase.delivered_on``, see :func:`check_delivery`); until that
#: day is recorded the deadline is not running and an appeal is accepted.
APPEAL_WORKING_DAYS = 14


#: Working days the agency has to hand a sanction decision to the ASN, counted from the day it was
#: decided (ditetapkan): 14. Sources: PP 94/2021, as summarised in wawannug/disiplin-pns
#: (``src/data/pemeriksaan.js``, "Keputusan Hukuman Disiplin": delivered "paling lambat 14 (empat belas)
#: hari sejak keputusan ditetapkan"); its predecessor PP 53/2010 Pasal 31(3) and PerBKN 21/2010
#: (asnri.com, "Tata Cara Penyampaian Keputusan Hukuman Disiplin PNS") set "paling lambat 14 (empat
#: belas) hari kerja". The article of PP 94/2021 and whether it counts working or calendar days were not
#: read in its own text: *unverified*; the platform counts working days, as every other deadline of the
#: procedure, configurable (``delivery_working_days``). A delivery after it is not refused (it only
#: moves the appeal deadline later): it is marked late (:func:`delivery_late`).
DELIVERY_WORKING_DAYS = 14

#: HR and leadership are warned of a decision not yet handed over from this many working days before
#: its delivery deadline (once per case). A platform choice, configurable.
DELIVERY_WARNING_WORKING_DAYS = 3

#: How the decision reached the ASN. ``diserahkan``: handed over to them (in person, closed, by the
#: official or one they appointed). ``dikirim``: the ASN did not attend the handing-over, so it was sent
#: to them — to the last address the agency knows and has on record (PP 94/2021 as summarised above;
#: PerBKN 21/2010, asnri.com). The platform then records the day it is *deemed* received (see
#: :func:`deemed_delivery_problem`).
DELIVERY_METHODS = {
    "diserahkan": "Diserahkan langsung",
    "dikirim": "Dikirim ke alamat pegawai (tidak hadir saat penyerahan)",
}


def delivery_late(
    due: dt.date | None,
    delivered_on: dt.date | None,
    today: dt.date,
    *,
    sent_on: dt.date | None = None,
) -> bool:
    """True when the decision was not delivered by ``due`` (:data:`DELIVERY_WORKING_DAYS`): handed
    over after it, or sent (``sent_on``, for a decision sent to an absent ASN: the agency did its part
    the day it sent it) after it, or still not delivered after it on ``today``. False without a
    deadline (a case decided before the platform kept one, or not proven)."""
    if due is None:
        return False
    done = sent_on or delivered_on
    if done is not None:
        return done > due
    return today > due


def deemed_delivery_problem(
    decided_on: dt.date, sent_on: dt.date, deemed_on: dt.date, today: dt.date
) -> tuple[str, str] | None:
    """Why a decision cannot have been sent on ``sent_on`` and deemed received on ``deemed_on``, as
    ``(field, message)``, or None. The letter is not sent before the decision nor after ``today``
    (the agency's own); it is not received before it was sent, nor in the future. No regulation read
    fixes the day a decision sent is deemed received (*unverified*, see :data:`DELIVERY_METHODS`): the
    handler records it from the proof of sending (the postal or courier receipt), never assumed."""
    if sent_on < decided_on:
        return "sent_on", gettext_noop(
            "Tanggal pengiriman SK tidak boleh sebelum tanggal keputusan."
        )
    if sent_on > today:
        return "sent_on", gettext_noop("Tanggal pengiriman SK tidak boleh di masa depan.")
    if deemed_on < sent_on:
        return "deemed_on", gettext_noop(
            "Tanggal SK dianggap diterima tidak boleh sebelum tanggal pengiriman."
        )
    if deemed_on > today:
        return "deemed_on", gettext_noop("Tanggal SK dianggap diterima tidak boleh di masa depan.")
    return None


# Delivery of a sanction decision (penyampaian keputusan hukuman disiplin), from which the appeal
# deadline runs. PP 94/2021, as summarised in wawannug/disiplin-pns (``src/data/pemeriksaan.js``,
# section "Keputusan Hukuman Disiplin"): the decision is handed to the PNS by the official who imposed
# it or another official they appoint, within 14 days of the decision; when the PNS does not come to
# receive it, it is sent to them. The same steps were in PerBKN 21/2010 under PP 53/2010 (asnri.com,
# "Tata Cara Penyampaian Keputusan Hukuman Disiplin PNS": sent to the last address the agency
# knows). The article number in PP 94/2021 and any rule that a decision sent is *deemed* received on
# a given day were not found: *unverified*. So the platform records the day HR knows the decision was
# received (handed over, or the day the letter sent arrived) and never assumes one; it does not refuse
# a delivery later than those 14 days (a late delivery is the agency's fault and only moves the
# deadline later). A delivery cannot be before the decision nor after the agency's today.
def check_delivery(decided_on: dt.date, delivered_on: dt.date, today: dt.date) -> None:
    """Raises ValueError when ``delivered_on`` cannot be the day a decision of ``decided_on`` was
    received: before the decision, or after ``today`` (the agency's own today). See the sources
    above; the appeal deadline (:data:`APPEAL_WORKING_DAYS`) counts from this day."""
    if delivered_on < decided_on:
        raise ValueError(gettext_noop("Tanggal SK diterima tidak boleh sebelum tanggal keputusan."))
    if delivered_on > today:
        raise ValueError(gettext_noop("Tanggal SK diterima tidak boleh di masa depan."))


#: Working days the official above the one who imposed a sanction has to rule on a keberatan,
#: counted from the day the keberatan is received (the filing date recorded): 21. Source: PP 79/2021
#: as explained by the head of BKPSDM Banggai (luwuktimes.id, see above): "PPK wajib mengambil
#: keputusan atas keberatan … dalam jangka waktu 21 (dua puluh satu) hari kerja" — the article
#: number and the text were not read: *unverified*, configurable. No deadline is set for a banding:
#: BPASN rules on it outside the agency (the 21 days of PP 79/2021 Pasal 13(2), as reported, are for
#: the PPK's answer to BPASN, not for BPASN's ruling).
KEBERATAN_RULING_WORKING_DAYS = 21

#: Which administrative appeal a sanction allows. Reprimands (ringan) are final; sedang and the
#: demotions go as keberatan to the official above the one who decided; dismissal goes as banding
#: administratif to the Badan Pertimbangan ASN. Sources: PP 79/2021 Pasal 1 angka 4–5 (keberatan:
#: against a decision other than dismissal; banding administratif: against dismissal; text as
#: published on id.scribd.com, "PP 79 Tahun 2021"); Permenkumham 24/2023 Pasal 34(1) (dismissal →
#: banding to BPASN). That reprimands are final is *unverified*: PP 53/2010 made them final, and the
#: definition in PP 79/2021 Pasal 1 angka 4 does not by itself exclude them; the text of PP 94/2021
#: on this was not found.
APPEAL_KIND = {
    "ringan": None,
    "sedang": "keberatan",
    "berat": "keberatan",
    "pemberhentian": "banding",
}


def appeal_kind(code: str) -> str | None:
    sanction = SANCTIONS[code]
    if sanction.permanent:
        return APPEAL_KIND["pemberhentian"]
    return APPEAL_KIND[sanction.level]


#: Who may decide which level. The standing of an official relative to the ASN:
#: ``atasan`` (any superior in the line), ``pimpinan_tinggi`` (head of the agency's top unit or of a
#: unit directly below it, i.e. JPT) and ``ppk`` (pejabat pembina kepegawaian: the agency's leadership).
#: Source: PP 94/2021 Pasal 18–21 (pejabat yang berwenang menghukum), simplified to these three
#: standings — *unverified*, configurable.
DECISION_AUTHORITY = {
    "ringan": {"atasan", "pimpinan_tinggi", "ppk"},
    "sedang": {"pimpinan_tinggi", "ppk"},
    "berat": {"ppk"},
}


def may_decide(level: str, standings: set[str], authority: dict | None = None) -> bool:
    """True when an official with ``standings`` may impose a sanction of ``level``."""
    authority = authority or DECISION_AUTHORITY
    return bool(set(standings) & set(authority.get(level, set())))


#: Who rules on an administrative appeal. A *keberatan* goes to the superior (atasan) of the official
#: who imposed the sanction (atasan pejabat yang berwenang menghukum), who may confirm, lighten, make
#: heavier or annul it; a *banding administratif*, against dismissal, goes to the Badan Pertimbangan
#: ASN (BPASN), a body outside the agency, so no official of the agency rules on it. Sources: PP
#: 79/2021 Pasal 1 angka 4–5 (keberatan: against a decision other than dismissal; banding
#: administratif: against dismissal) and Pasal 11 (banding administratif in writing to BPASN); BKN
#: Kantor Regional XII, "Upaya Administratif Penyelesaian Sengketa Kepegawaian ASN" (2022):
#: dismissal → banding administratif to BPASN; BPHN JDIH summary of PP 79/2021
#: (dev-jdihn.bphn.go.id/doc/1409454): a keberatan against an official's decision goes to that
#: official's superior. PP 94/2021 leaves the procedure to PP 79/2021 (see
#: :data:`APPEAL_WORKING_DAYS`); no article of PP 94/2021 on it was read. A sanction imposed by the
#: PPK, who has no superior in the agency, is ruled on by an official with the PPK's standing: PP
#: 79/2021 counts a keberatan against the PPK's own decision (Pasal 1 angka 4), and the head of
#: BKPSDM Banggai (luwuktimes.id) describes it as filed with and decided by the PPK; the text of the
#: article was not read, so this stays *unverified*.
APPEAL_DECIDERS = {"keberatan": "atasan_pejabat", "banding": "bpasn"}


def appeal_ruling_days(
    kind: str, keberatan_days: int = KEBERATAN_RULING_WORKING_DAYS
) -> int | None:
    """Working days the agency has to rule on an appeal of ``kind`` after receiving it: the
    keberatan deadline (:data:`KEBERATAN_RULING_WORKING_DAYS`), or None for a banding
    administratif, which BPASN decides outside the agency."""
    return None if appeal_ruled_outside(kind) else keberatan_days


def appeal_ruled_outside(kind: str) -> bool:
    """True when an appeal of ``kind`` is decided by a body outside the agency (BPASN)."""
    return APPEAL_DECIDERS.get(kind) == "bpasn"


def may_rule_on_appeal(
    kind: str,
    level: str,
    standings: set[str],
    *,
    above_imposer: bool,
    authority: dict | None = None,
) -> bool:
    """True when an official of the agency with ``standings`` may rule on an appeal of ``kind`` about
    a sanction of ``level`` (the new level when the sanction is changed): for a keberatan, an official
    above the one who imposed the sanction (``above_imposer``) who may also impose ``level``
    (:func:`may_decide`); for a banding administratif, none (BPASN rules). See
    :data:`APPEAL_DECIDERS` for the sources."""
    if appeal_ruled_outside(kind):
        return False
    return above_imposer and may_decide(level, standings, authority)


#: For sedang and berat the examination is held by a team of the direct supervisor, the
#: oversight unit and HR (PP 94/2021 Pasal 27).
TEAM_LEVELS = {"sedang", "berat"}


# --- Indeks Profesionalitas ASN (PermenPANRB 38/2018, PerBKN 8/2019) -----------------------------

#: Dimension weights (maximum points). Source: PermenPANRB 38/2018 Pasal 6.
INDEX_WEIGHTS = {"kualifikasi": 25, "kompetensi": 40, "kinerja": 30, "disiplin": 5}

#: Education → kualifikasi points (out of 25). S3 = 25 and S2 = 20 per PermenPANRB 38/2018 and
#: PerBKN 8/2019; the rest *unverified* defaults after PerBKN 8/2019.
QUALIFICATION_POINTS = {
    "s3": 25,
    "s2": 20,
    "s1": 15,
    "d4": 15,
    "d3": 10,
    "d2": 5,
    "d1": 5,
    "sma": 1,
    "smp": 1,
    "sd": 1,
}
EDUCATION_LEVELS = {
    "sd": "SD",
    "smp": "SMP",
    "sma": "SMA/SMK",
    "d1": "D-I",
    "d2": "D-II",
    "d3": "D-III",
    "d4": "D-IV",
    "s1": "S-1",
    "s2": "S-2",
    "s3": "S-3",
}

#: Kompetensi (out of 40): leadership training matching the position, functional/technical
#: training, reaching 20 JP in the year, seminars — *unverified* defaults after PerBKN 8/2019.
COMPETENCY_POINTS = {"kepemimpinan": 15, "fungsional_teknis": 15, "jp_minimum": 5, "seminar": 5}

#: Kinerja (out of 30) from the latest SKP predicate — *unverified* defaults.
PERFORMANCE_POINTS = {
    "sangat_baik": 30,
    "baik": 25,
    "butuh_perbaikan": 20,
    "kurang": 15,
    "sangat_kurang": 10,
    None: 0,
}

#: Disiplin (out of 5) from the heaviest sanction still running or imposed within a year.
DISCIPLINE_POINTS = {None: 5, "ringan": 3, "sedang": 2, "berat": 1}

#: Categories: (lowest score, code, label), highest first. Source: PermenPANRB 38/2018 Pasal 8.
INDEX_CATEGORIES = [
    (91, "sangat_tinggi", "Sangat tinggi"),
    (81, "tinggi", "Tinggi"),
    (71, "sedang", "Sedang"),
    (61, "rendah", "Rendah"),
    (0, "sangat_rendah", "Sangat rendah"),
]


@dataclass(frozen=True)
class IndexInput:
    education: str | None
    leadership_training: bool
    technical_training: bool
    jp_total: Decimal
    seminar: bool
    predicate: str | None
    heaviest_sanction_level: str | None


@dataclass(frozen=True)
class IndexResult:
    kualifikasi: Decimal
    kompetensi: Decimal
    kinerja: Decimal
    disiplin: Decimal
    total: Decimal
    category: str
    advice: list[tuple[str, Decimal]]


#: A service award is suggested for staff whose complainants rated their answers at least 4.5 of 5 on
#: average over at least 5 ratings in the year. A platform choice, configurable.
AWARD_MIN_RATINGS = 5
AWARD_MIN_AVG_RATING = 4.5


def default_tables() -> dict:
    """All configurable personnel tables, keyed as overrides are written."""
    return {
        "jp_minimum": JP_MINIMUM,
        "jp_max_per_record": JP_MAX_PER_RECORD,
        "jp_reminder_days_before_year_end": JP_REMINDER_DAYS_BEFORE_YEAR_END,
        "predicate_matrix": dict(PREDICATE_MATRIX),
        "absence_table": list(ABSENCE_TABLE),
        "absence_consecutive_dismissal": ABSENCE_CONSECUTIVE_DISMISSAL,
        "decision_authority": {k: set(v) for k, v in DECISION_AUTHORITY.items()},
        "appeal_working_days": APPEAL_WORKING_DAYS,
        "keberatan_ruling_working_days": KEBERATAN_RULING_WORKING_DAYS,
        "delivery_working_days": DELIVERY_WORKING_DAYS,
        "delivery_warning_working_days": DELIVERY_WARNING_WORKING_DAYS,
        "summons_notice_working_days": SUMMONS_NOTICE_WORKING_DAYS,
        "second_summons_within_working_days": SECOND_SUMMONS_WITHIN_WORKING_DAYS,
        "reprimand_counts_months": REPRIMAND_COUNTS_MONTHS,
        "index_weights": dict(INDEX_WEIGHTS),
        "qualification_points": dict(QUALIFICATION_POINTS),
        "competency_points": dict(COMPETENCY_POINTS),
        "performance_points": dict(PERFORMANCE_POINTS),
        "discipline_points": dict(DISCIPLINE_POINTS),
        "index_categories": list(INDEX_CATEGORIES),
        "award_min_ratings": AWARD_MIN_RATINGS,
        "award_min_avg_rating": AWARD_MIN_AVG_RATING,
    }


def index_category(score: Decimal | float | int, categories=None) -> str:
    """The category of an Indeks Profesionalitas score (PermenPANRB 38/2018 Pasal 8): 91–100
    sangat tinggi, 81–90 tinggi, 71–80 sedang, 61–70 rendah, ≤ 60 sangat rendah. Fractional
    scores belong to the band of their whole part (90.9 is tinggi)."""
    categories = categories or INDEX_CATEGORIES
    whole = int(Decimal(str(score)))
    if not 0 <= whole <= 100:
        raise ValueError(gettext_noop("Skor indeks harus antara 0 dan 100."))
    for low, code, _label in categories:
        if whole >= low:
            return code
    return categories[-1][1]


def professionalism_index(data: IndexInput, tables: dict | None = None) -> IndexResult:
    """Indeks Profesionalitas ASN of one person: the sum of the four dimensions, each capped at
    its weight, with its category and what would raise it (PermenPANRB 38/2018, PerBKN 8/2019)."""
    t = default_tables() | (tables or {})
    weights = t["index_weights"]
    qual = Decimal(t["qualification_points"].get(data.education or "", 0))
    cp = t["competency_points"]
    comp = Decimal(0)
    comp += cp["kepemimpinan"] if data.leadership_training else 0
    comp += cp["fungsional_teknis"] if data.technical_training else 0
    comp += cp["jp_minimum"] if meets_minimum(data.jp_total, t["jp_minimum"]) else 0
    comp += cp["seminar"] if data.seminar else 0
    perf = Decimal(t["performance_points"].get(data.predicate, 0))
    disc = Decimal(t["discipline_points"].get(data.heaviest_sanction_level, 0))
    parts = {
        "kualifikasi": min(qual, Decimal(weights["kualifikasi"])),
        "kompetensi": min(comp, Decimal(weights["kompetensi"])),
        "kinerja": min(perf, Decimal(weights["kinerja"])),
        "disiplin": min(disc, Decimal(weights["disiplin"])),
    }
    total = sum(parts.values(), Decimal(0))
    advice: list[tuple[str, Decimal]] = []
    if not data.leadership_training:
        advice.append(("kepemimpinan", Decimal(cp["kepemimpinan"])))
    if not data.technical_training:
        advice.append(("fungsional_teknis", Decimal(cp["fungsional_teknis"])))
    if not meets_minimum(data.jp_total, t["jp_minimum"]):
        advice.append(("jp_minimum", Decimal(cp["jp_minimum"])))
    if not data.seminar:
        advice.append(("seminar", Decimal(cp["seminar"])))
    best_perf = max(v for v in t["performance_points"].values())
    if perf < best_perf:
        advice.append(("kinerja", Decimal(best_perf) - perf))
    top_qual = max(t["qualification_points"].values())
    if qual < top_qual:
        higher = [v for v in sorted(t["qualification_points"].values()) if v > qual]
        advice.append(("kualifikasi", Decimal(higher[0]) - qual))
    advice.sort(key=lambda a: -a[1])
    return IndexResult(
        parts["kualifikasi"],
        parts["kompetensi"],
        parts["kinerja"],
        parts["disiplin"],
        total,
        index_category(total, t["index_categories"]),
        advice,
    )


#: Smallest group shown in an aggregate (a unit's index or predicate distribution); smaller
#: counts are suppressed so a person cannot be singled out.
MIN_GROUP = 5


def suppress_small(counts: dict[str, int], minimum: int = MIN_GROUP) -> dict[str, int | None]:
    """Counts below ``minimum`` (but above zero) become None (shown as "<5")."""
    return {k: (v if v == 0 or v >= minimum else None) for k, v in counts.items()}
