"""The rules of the whistleblowing channel as pure functions and tables (standard library only).

Sources (how Amanah applies them: docs/integrity.md):

* SE MenPANRB 8/M.PAN-RB/06/2012 on the Whistleblowing System (WBS): a report names the person
  reported, the suspected act and initial evidence; it is handled confidentially by a dedicated unit;
  the reporter's identity is never disclosed without consent; the reporter is protected.
* UU 20/2001 Pasal 12C and PerKPK 2/2019: a gratification is reported to KPK within 30 working days
  of receipt, or through the agency's UPG within 10 working days.
* PP 94/2021 on ASN discipline: the sanction ladder (ringan / sedang / berat); written summons at
  least 7 working days ahead, a second summons within 7 working days when the first is missed, a
  decision on the evidence after two absences; a closed examination recorded in a BAP.
* EU Directive 2019/1937 Art. 9 (international practice Amanah follows): acknowledge within 7 days,
  feedback within 3 months of the acknowledgment. ISO 37002:2021: receive → assess (including
  retaliation risk) → address → conclude (the steps; Amanah takes no period from it).

Where no source gives a number (the assessment within 10 working days, feedback again every 3 months
after the last one), the default is a platform choice. Every number is in :data:`DEADLINES`, which
settings may override for the whole installation (``INTEGRITY_DEADLINES``); nothing here reads
settings itself.

Labels for people (:data:`REPORTER_STATUS`, :data:`SANCTIONS`) are Indonesian msgids marked with
``gettext_noop``; the caller translates them for the reader (``amanah.core.records.translated``).
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from amanah.core.rules import Text, gettext_noop, new_code

# --- Tables ---------------------------------------------------------------------------------

VIOLATION_TYPES = (
    "korupsi",
    "gratifikasi",
    "pungutan_liar",
    "penyalahgunaan_wewenang",
    "konflik_kepentingan",
    "pelanggaran_disiplin",
    "pelanggaran_kode_etik",
    "lainnya",
)

#: Deadlines (unit in the key's name). Defaults follow the sources in the module docstring, or are
#: platform choices where marked.
DEADLINES = {
    # EU Directive 2019/1937 Art. 9(1)(b): acknowledge receipt within 7 (calendar) days.
    "acknowledge_days": 7,
    # A platform choice, not a figure of the sources above: the initial assessment (ISO 37002's
    # "assess" step) within 10 working days of receipt.
    "assessment_working_days": 10,
    # EU Directive 2019/1937 Art. 9(1)(f) asks for feedback within 3 months of the acknowledgment;
    # Amanah also repeats it every 3 months after the last feedback while the case is open (a
    # platform choice).
    "feedback_months": 3,
    # PP 94/2021: a written summons at least 7 working days before the hearing.
    "summons_notice_working_days": 7,
    # PP 94/2021: the second summons within 7 working days of the missed hearing.
    "second_summons_within_working_days": 7,
    # UU 20/2001 Pasal 12C(2): report a gratification to KPK within 30 working days.
    "gratification_kpk_working_days": 30,
    # PerKPK 2/2019 as applied by agencies: through the UPG within 10 working days.
    "gratification_upg_working_days": 10,
    # Reminders to investigators: this many days before each deadline.
    "reminder_days_before": 2,
}

#: States of a case. ``ditutup`` = closed at assessment (not followed up).
STATES = ("diterima", "ditelaah", "diperiksa", "selesai", "dirujuk", "ditutup")
OPEN_STATES = frozenset({"diterima", "ditelaah", "diperiksa"})
CLOSED_STATES = frozenset({"selesai", "dirujuk", "ditutup"})

#: What a reporter reads: plain words, no jargon (ISO 37002 "keep the reporter informed"). Msgids;
#: translated where shown (``Report.reporter_status``).
REPORTER_STATUS = {
    "diterima": gettext_noop("Laporan Anda sudah kami terima dan menunggu ditelaah."),
    "ditelaah": gettext_noop(
        "Laporan Anda sedang ditelaah: kami menilai apakah laporan ini dapat ditindaklanjuti."
    ),
    "diperiksa": gettext_noop("Laporan Anda sedang diperiksa oleh tim pemeriksa."),
    "selesai": gettext_noop("Pemeriksaan sudah selesai dan hasilnya sudah diputuskan."),
    "dirujuk": gettext_noop("Laporan Anda diteruskan ke lembaga yang berwenang."),
    "ditutup": gettext_noop(
        "Laporan Anda ditutup tanpa pemeriksaan lanjutan. Alasannya ada di pesan untuk Anda."
    ),
}

#: action → (states it may start from, state it leads to; None keeps the state)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "acknowledge": (frozenset({"diterima"}), "ditelaah"),
    "assess_examine": (frozenset({"diterima", "ditelaah"}), "diperiksa"),
    "assess_dismiss": (frozenset({"diterima", "ditelaah"}), "ditutup"),
    # the assessment's third decision: refer at once (a later referral is "refer", without assessing)
    "assess_refer": (frozenset({"diterima", "ditelaah"}), "dirujuk"),
    "refer": (frozenset({"diterima", "ditelaah", "diperiksa", "selesai"}), "dirujuk"),
    "assign": (OPEN_STATES, None),
    # naming the reported employee (by NIP) once the handlers know who it is
    "name_reported": (OPEN_STATES, None),
    "plan": (frozenset({"ditelaah", "diperiksa"}), None),
    "summon": (frozenset({"diperiksa"}), None),
    "record_bap": (frozenset({"diperiksa"}), None),
    "finding": (frozenset({"diperiksa"}), "selesai"),
    "message": (frozenset(STATES), None),
    "reporter_reply": (frozenset(STATES) - {"ditutup"}, None),
}


def may_ask_consent(state: str) -> bool:
    """A reporter's identity is never disclosed without their consent (SE MenPANRB 8/2012), so it may
    be asked for only while the reporter can still answer on the case: not on a case closed without
    examination, where the reporter's messages are refused."""
    return state in TRANSITIONS["reporter_reply"][0]


OUTCOMES = ("terbukti", "tidak_terbukti", "sebagian", "dirujuk")
REFERRAL_BODIES = ("kpk", "ombudsman", "aph")

#: PP 94/2021 Pasal 8: the sanction ladder, as (code, label) with the label an Indonesian msgid that
#: the caller translates (``sanction_label``).
SANCTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "ringan": (
        ("teguran_lisan", gettext_noop("Teguran lisan")),
        ("teguran_tertulis", gettext_noop("Teguran tertulis")),
        ("pernyataan_tidak_puas", gettext_noop("Pernyataan tidak puas secara tertulis")),
    ),
    "sedang": (
        # xgettext:no-python-format
        ("tukin_25_6", gettext_noop("Pemotongan tunjangan kinerja 25% selama 6 bulan")),
        # xgettext:no-python-format
        ("tukin_25_9", gettext_noop("Pemotongan tunjangan kinerja 25% selama 9 bulan")),
        # xgettext:no-python-format
        ("tukin_25_12", gettext_noop("Pemotongan tunjangan kinerja 25% selama 12 bulan")),
    ),
    "berat": (
        (
            "penurunan_jabatan",
            gettext_noop("Penurunan jabatan setingkat lebih rendah selama 12 bulan"),
        ),
        (
            "pembebasan_jabatan",
            gettext_noop("Pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan"),
        ),
        (
            "pemberhentian",
            gettext_noop("Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS"),
        ),
    ),
}
SANCTION_LEVELS = tuple(SANCTIONS)
ASSESSMENT_LEVELS = ("rendah", "sedang", "tinggi")


class RuleError(ValueError):
    """A rule was broken; ``code`` names which, ``str(exc)`` says it in Indonesian and ``text`` is the
    message to translate for the reader (a msgid or a :class:`~amanah.core.rules.Text`; see
    ``amanah.core.records.translated``)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code
        self.text = message


# --- State machine --------------------------------------------------------------------------


def next_state(state: str, action: str) -> str:
    """The state after ``action``; raises :class:`RuleError` if the action is not allowed now."""
    if action not in TRANSITIONS:
        raise RuleError(
            Text(gettext_noop("Tindakan tidak dikenal: %(action)s"), action=action),
            "unknown_action",
        )
    sources, target = TRANSITIONS[action]
    if state not in sources:
        raise RuleError(
            gettext_noop("Tindakan ini tidak dapat dilakukan pada tahap kasus saat ini."),
            "invalid_state",
        )
    return target or state


def allowed_actions(state: str) -> set[str]:
    return {action for action, (sources, _t) in TRANSITIONS.items() if state in sources}


# --- Sanctions (PP 94/2021) -----------------------------------------------------------------


def sanction_level(sanction: str) -> str:
    """The PP 94/2021 level (ringan/sedang/berat) of a sanction code."""
    for level, items in SANCTIONS.items():
        if any(code == sanction for code, _label in items):
            return level
    raise RuleError(gettext_noop("Jenis hukuman disiplin tidak dikenal."), "unknown_sanction")


def sanction_label(sanction: str) -> str:
    """The Indonesian label of a sanction code (a msgid, to be translated by the caller), or the code
    itself when it is unknown."""
    for items in SANCTIONS.values():
        for code, label in items:
            if code == sanction:
                return label
    return sanction


def check_finding(outcome: str, level: str | None, sanction: str | None) -> None:
    """A finding of terbukti or sebagian carries a sanction recommendation from the ladder whose level
    matches; a finding of tidak terbukti carries none (PP 94/2021: a sanction needs a proven
    violation)."""
    if outcome not in ("terbukti", "tidak_terbukti", "sebagian"):
        raise RuleError(
            gettext_noop("Hasil pemeriksaan harus terbukti, tidak terbukti atau sebagian."),
            "invalid_outcome",
        )
    if outcome == "tidak_terbukti":
        if level or sanction:
            raise RuleError(
                gettext_noop(
                    "Pelanggaran yang tidak terbukti tidak boleh diberi rekomendasi hukuman."
                ),
                "sanction_without_violation",
            )
        return
    if not level or not sanction:
        raise RuleError(
            gettext_noop(
                "Pelanggaran yang terbukti memerlukan rekomendasi tingkat dan jenis hukuman."
            ),
            "sanction_required",
        )
    if level not in SANCTIONS:
        raise RuleError(
            gettext_noop("Tingkat hukuman harus ringan, sedang atau berat."), "invalid_level"
        )
    if sanction_level(sanction) != level:
        raise RuleError(
            gettext_noop("Jenis hukuman tidak sesuai dengan tingkatnya menurut PP 94/2021."),
            "level_mismatch",
        )


def examination_team_required(level: str | None) -> bool:
    """PP 94/2021: for a sedang or berat sanction the examination is done by a team (direct superior,
    oversight unit and HR)."""
    return level in ("sedang", "berat")


# --- Summons (PP 94/2021 Pasal 26, article number unverified) -------------------------------


@dataclass(frozen=True)
class SummonsFact:
    person: str  # who was summoned (a label, e.g. "terlapor")
    number: int  # 1 or 2
    issued_on: dt.date
    hearing_on: dt.date
    attended: bool | None  # None: not yet known


def check_summons(
    issued_on: dt.date,
    hearing_on: dt.date,
    number: int,
    previous: Iterable[SummonsFact],
    person: str,
    wd_between: Callable[[dt.date, dt.date], int],
    deadlines: dict | None = None,
) -> None:
    """A summons is written, served at least 7 working days before the hearing; a second summons
    follows a missed first hearing and is issued within 7 working days of it; there is no third.

    ``wd_between(a, b)`` counts working days after ``a`` up to and including ``b``.
    """
    d = {**DEADLINES, **(deadlines or {})}
    notice = d["summons_notice_working_days"]
    if hearing_on <= issued_on or wd_between(issued_on, hearing_on) < notice:
        raise RuleError(
            # The count is said by the caller (integrity.services.SUMMONS_REFUSALS).
            Text(
                "Surat panggilan harus diterima paling lambat %(n)s hari kerja sebelum tanggal pemeriksaan.",
                n=notice,
            ),
            "notice_too_short",
        )
    earlier = [s for s in previous if s.person == person]
    if number == 1:
        if earlier:
            raise RuleError(
                gettext_noop("Panggilan pertama untuk orang ini sudah dibuat."), "duplicate_summons"
            )
        return
    if number != 2:
        raise RuleError(gettext_noop("Hanya ada panggilan pertama dan kedua."), "no_third_summons")
    first = next((s for s in earlier if s.number == 1), None)
    if first is None or first.attended is not False:
        raise RuleError(
            gettext_noop("Panggilan kedua hanya dibuat bila panggilan pertama tidak dihadiri."),
            "first_not_missed",
        )
    if any(s.number == 2 for s in earlier):
        raise RuleError(
            gettext_noop("Panggilan kedua untuk orang ini sudah dibuat."), "duplicate_summons"
        )
    within = d["second_summons_within_working_days"]
    if issued_on < first.hearing_on or wd_between(first.hearing_on, issued_on) > within:
        raise RuleError(
            # The count is said by the caller (integrity.services.SUMMONS_REFUSALS).
            Text(
                "Panggilan kedua harus dibuat paling lama %(n)s hari kerja sejak tanggal panggilan pertama.",
                n=within,
            ),
            "second_summons_late",
        )


def may_decide_on_evidence(summons: Iterable[SummonsFact], person: str) -> bool:
    """PP 94/2021: a person who misses the second summons is decided on the evidence available."""
    return any(s.person == person and s.number == 2 and s.attended is False for s in summons)


# --- Deadlines ------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later (clamped to the month's last day)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def acknowledge_due(received_on: dt.date, deadlines: dict | None = None) -> dt.date:
    d = {**DEADLINES, **(deadlines or {})}
    return received_on + dt.timedelta(days=d["acknowledge_days"])


def feedback_due(last_feedback_on: dt.date, deadlines: dict | None = None) -> dt.date:
    """The next feedback to the reporter is due 3 months after the last one (or after the
    acknowledgment, or after receipt when there was none)."""
    d = {**DEADLINES, **(deadlines or {})}
    return add_months(last_feedback_on, d["feedback_months"])


#: Kinds of message to the reporter that are feedback: information on the action envisaged or taken
#: as follow-up and its grounds (EU Directive 2019/1937 Art. 5(13) and Art. 9(1)(f)). Only these
#: restart the feedback clock; a question to the reporter or a notice (e.g. that someone asked to see
#: their identity) tells nothing about the follow-up, so it cannot push the deadline back.
FEEDBACK_KINDS = frozenset({"umpan_balik"})


def is_feedback(kind: str) -> bool:
    """True when a message of this kind to the reporter counts as feedback (see :data:`FEEDBACK_KINDS`)."""
    return kind in FEEDBACK_KINDS


def gratification_deadlines(
    received_on: dt.date, add_wd: Callable[[dt.date, int], dt.date], deadlines: dict | None = None
) -> dict[str, dt.date]:
    """UU 20/2001 Pasal 12C: KPK 30 working days; agency UPG 10 working days (PerKPK 2/2019)."""
    d = {**DEADLINES, **(deadlines or {})}
    return {
        "upg": add_wd(received_on, d["gratification_upg_working_days"]),
        "kpk": add_wd(received_on, d["gratification_kpk_working_days"]),
    }


def reminder_due(deadline: dt.date | None, today: dt.date, deadlines: dict | None = None) -> bool:
    """True from ``reminder_days_before`` days ahead of a deadline until it passes (and after)."""
    if deadline is None:
        return False
    d = {**DEADLINES, **(deadlines or {})}
    return today >= deadline - dt.timedelta(days=d["reminder_days_before"])


def retention_expired(closed_on: dt.date | None, today: dt.date, retention_days: int) -> bool:
    """Closed cases keep the reporter's identity and evidence only for the retention period."""
    return closed_on is not None and today >= closed_on + dt.timedelta(days=retention_days)


# --- Assessment (ISO 37002 "assess") ---------------------------------------------------------


def priority(credibility: str, seriousness: str, retaliation_risk: str) -> str:
    """A case is urgent when it is serious and credible, or when the reporter is at high risk of
    retaliation (ISO 37002 §8.4: protect first)."""
    for value in (credibility, seriousness, retaliation_risk):
        if value not in ASSESSMENT_LEVELS:
            raise RuleError(
                gettext_noop("Nilai penilaian harus rendah, sedang atau tinggi."),
                "invalid_assessment",
            )
    if retaliation_risk == "tinggi" or (seriousness == "tinggi" and credibility != "rendah"):
        return "tinggi"
    if credibility == "rendah" and seriousness == "rendah":
        return "rendah"
    return "sedang"


# --- Case numbers -----------------------------------------------------------------------------

#: 7 random base-32 symbols (35 bits) and a check symbol: ``WBS-2026-7KQ2-M9XD``.
CASE_NUMBER_SYMBOLS = 7
#: Database ids of reports, and of the rows of a case whose ids staff see (``models.CaseRow``), are drawn
#: at random below this (JavaScript's safe integers), so that the ids in the staff pages' links and the
#: API do not count the cases, or the activity on cases hidden from the reader, either.
CASE_ID_LIMIT = 2**53


def new_case_number(year: int, randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """A case number that says the year and nothing else: random, so the numbers someone may see leave
    no gap where a case hidden from them (about them, escalated, a declared conflict) was filed.
    Numbers of cases filed before they were random keep their ``WBS-<year>-<000042>`` form."""
    return f"WBS-{year}-{new_code(CASE_NUMBER_SYMBOLS, randbelow)}"


def new_case_id(randbelow: Callable[[int], int] = secrets.randbelow) -> int:
    """A random database id for a new report or row of a case (see :data:`CASE_ID_LIMIT`)."""
    return 1 + randbelow(CASE_ID_LIMIT - 1)


# --- Receipts -------------------------------------------------------------------------------

RECEIPT_DIGITS = 16


def new_receipt() -> str:
    """16 random digits (about 53 bits) from the operating system's CSPRNG."""
    return f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"


def normalise_receipt(value: str) -> str:
    """Digits only (spaces and dashes a person may type are dropped); raises when it is not 16 digits."""
    cleaned = "".join(ch for ch in (value or "") if ch not in " -\t")
    if len(cleaned) != RECEIPT_DIGITS or not cleaned.isascii() or not cleaned.isdecimal():
        raise RuleError(
            gettext_noop("Nomor tanda terima terdiri dari 16 angka."), "malformed_receipt"
        )
    return cleaned


def format_receipt(receipt: str) -> str:
    return " ".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


# --- Statistics -----------------------------------------------------------------------------

SMALL_COUNT = 5


#: What a hidden cell of a breakdown shows instead of its count: the same for a small count and for a
#: cell hidden to protect one (``core.rules.suppress_group``), so that the two cannot be told apart.
HIDDEN_COUNT = "disembunyikan"


def mask_count(n: int, threshold: int = SMALL_COUNT) -> int | str:
    """Counts from 1 to ``threshold - 1`` are shown as "< 5" so that no one can be singled out
    (statistical disclosure control); zero reveals no one and is shown as 0."""
    if 0 < n < threshold:
        return f"< {threshold}"
    return n


#: The forms of retaliation a reporter can name (SE MenPANRB 8/2012: the reporter is protected from
#: retaliation). Values are msgids: the form shows them in the reader's language, and the case record
#: keeps which one was chosen, shown to each reader in theirs.
RETALIATION_KINDS = {
    "mutasi": gettext_noop("Dipindahkan (mutasi)"),
    "demosi": gettext_noop("Diturunkan jabatan atau dicabut tugasnya"),
    "tekanan": gettext_noop("Ditekan, diancam atau dikucilkan"),
    "lainnya": gettext_noop("Bentuk pembalasan lain"),
}
