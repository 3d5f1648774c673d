"""The complaint regulation as pure functions and tables (standard library only).

Sources:

* UU 25/2009 Pasal 42 — a complaint is filed within 30 days of receiving the service; the
  complainant's identity may be kept confidential; it states what happened, the loss and the remedy.
* UU 25/2009 (article numbers unverified) — the complainant has 30 days to complete an incomplete
  complaint, otherwise it counts as withdrawn; the provider answers within 14 days of receipt and decides
  within 60 days of the file being complete (all calendar days).
* Perpres 76/2013, PermenPANRB 62/2018 and SP4N-LAPOR! practice — verify and forward within 3 working
  days; the handling unit follows up within 5 working days; a report closes automatically 10 working
  days after the answer when nobody replies; admin actions Verifikasi, Tunda, Bukan Wewenang, Arsipkan.
* A common local service standard (sippn.menpan.go.id example) — resolution tiers of 2 / 5 / 14 / 60
  working days (light, normative, not needing oversight, needing examination).

Every number here is a *default*: an agency overrides them in ``Agency.options["complaints"]`` and the
platform in the ``COMPLAINT_RULES`` setting (see :func:`merged_config`). Working-day arithmetic is done
by the caller's ``add(date, n)`` (the core calendar), so this module stays free of I/O.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from amanah.core.rules import CODE_ALPHABET, new_code, normalize_code

# --- Vocabularies ---------------------------------------------------------------------------------

KINDS = ("pengaduan", "aspirasi", "permintaan_informasi")
#: Intake channels. ``web`` and ``api`` are public self-service; the rest are assisted intake
#: (pendampingan) by an officer.
CHANNELS = (
    "web",
    "api",
    "datang_langsung",
    "telepon",
    "kotak_pengaduan",
    "surat",
    "media_sosial",
    "sp4n_lapor",
)
ASSISTED_CHANNELS = CHANNELS[2:]
#: *biasa*: named; *rahasia*: identity seen only by the handlers, never public (UU 25/2009 Pasal 42;
#: SP4N-LAPOR! "rahasia"); *anonim*: no identity collected at all (SP4N-LAPOR! "anonim").
IDENTITY_MODES = ("biasa", "rahasia", "anonim")

# Workflow states.
RECEIVED = "diterima"
INCOMPLETE = "menunggu_kelengkapan"
FORWARDED = "diteruskan"
IN_PROGRESS = "diproses"
ANSWERED = "dijawab"
CLOSED = "selesai"
TRANSFERRED = "dialihkan"
REJECTED = "ditolak"
WITHDRAWN = "dicabut"
REFERRED = "dirujuk"

STATUSES = (
    RECEIVED,
    INCOMPLETE,
    FORWARDED,
    IN_PROGRESS,
    ANSWERED,
    CLOSED,
    TRANSFERRED,
    REJECTED,
    WITHDRAWN,
    REFERRED,
)
OPEN_STATUSES = frozenset({RECEIVED, INCOMPLETE, FORWARDED, IN_PROGRESS, ANSWERED})
CLOSED_STATUSES = frozenset(STATUSES) - OPEN_STATUSES
#: Open311 GeoReport v2 knows only "open" and "closed".
OPEN311_STATUS = {s: ("open" if s in OPEN_STATUSES else "closed") for s in STATUSES}
#: The names a status filter takes for a group of statuses (the inbox's and the staff API's ``status``).
STATUS_GROUPS = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES}


def status_filter(value: str) -> tuple[list[str], list[str]]:
    """What a status filter names: the statuses of its comma-separated parts (a status, or ``open`` /
    ``closed`` for each group, :data:`STATUS_GROUPS`) in workflow order, and the parts that name none
    (which a caller refuses rather than list nothing, as if no case had that status)."""
    wanted, unknown = set(), []
    for part in (p.strip() for p in value.split(",")):
        if part in STATUS_GROUPS:
            wanted |= STATUS_GROUPS[part]
        elif part in STATUSES:
            wanted.add(part)
        elif part:
            unknown.append(part)
    return [s for s in STATUSES if s in wanted], unknown


REJECT_REASONS = ("spam", "duplikat", "tidak_jelas", "lainnya")
CLOSE_REASONS = ("dikonfirmasi", "otomatis", "ditolak", "dialihkan", "tidak_dilengkapi", "dirujuk")

# Staff roles (values of core.Role).
OPERATOR, UNIT, MANAGER, INSPECTORATE, LEADERSHIP, AUDITOR = (
    "operator",
    "unit",
    "pengelola",
    "inspektorat",
    "pimpinan",
    "auditor",
)
CITIZEN = "warga"
SYSTEM = "sistem"

#: Roles that may read an agency's complaints (within their unit when the role is unit-scoped).
VIEW_ROLES = frozenset({OPERATOR, UNIT, MANAGER, INSPECTORATE, LEADERSHIP, AUDITOR})
#: Roles that handle a case and so may see a *rahasia* complainant's identity (UU 25/2009 Pasal 42:
#: identity kept confidential — seen by those who must act on it, nobody else).
HANDLER_ROLES = frozenset({OPERATOR, UNIT, MANAGER})


def identity_roles(forwarded: bool) -> frozenset[str]:
    """The roles that handle a case at its stage, and so may see a *rahasia* identity (and open its
    evidence), take an assignment and hear of its news. A unit handles a case only once the verifier has
    forwarded it there: until then the service's unit is merely a guess of the complainant's, and the
    case may still go to another unit, so only the front office (operator and complaint manager) sees
    who complained, and only they can verify it."""
    return HANDLER_ROLES if forwarded else HANDLER_ROLES - {UNIT}


#: Roles that file assisted intake (pendampingan) for people who cannot use the web form.
INTAKE_ROLES = frozenset({OPERATOR, MANAGER})


@dataclass(frozen=True)
class Transition:
    """One row of the workflow table: from which states, to which state (``None`` = unchanged),
    and who may do it (staff roles, ``warga`` for the complainant, ``sistem`` for the sweeper)."""

    action: str
    sources: frozenset[str]
    target: str | None
    actors: frozenset[str]
    public: bool = True  # shown on the complainant's timeline
    #: The staff among ``actors`` must also handle the case at its stage (:func:`identity_roles`): a unit
    #: officer only once the case has been forwarded (to their unit: the role must cover it).
    at_stage: bool = False


def _t(action, sources, target, actors, public=True, at_stage=False):
    return Transition(action, frozenset(sources), target, frozenset(actors), public, at_stage)


#: The workflow (SP4N-LAPOR!: Verifikasi, Tunda, Bukan Wewenang, Arsipkan; UU 25/2009 completion rule).
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        # Verifikasi: verified and forwarded to a handling unit (3 working days after receipt).
        _t("verify", {RECEIVED}, FORWARDED, {OPERATOR, MANAGER}),
        # Tunda: the file is incomplete; the clock pauses; 30 days to complete.
        _t("request_completion", {RECEIVED}, INCOMPLETE, {OPERATOR, MANAGER}),
        # The complainant completes the file; the clock resumes.
        _t("complete", {INCOMPLETE}, RECEIVED, {CITIZEN, OPERATOR, MANAGER}),
        # Not completed within 30 days: counts as withdrawn (UU 25/2009).
        _t("withdraw_incomplete", {INCOMPLETE}, WITHDRAWN, {SYSTEM}),
        # Bukan wewenang: forwarded to another agency, which gets its own linked case.
        _t("transfer", {RECEIVED, FORWARDED}, TRANSFERRED, {OPERATOR, MANAGER}),
        # Arsipkan: rejected with a reason (spam, duplicate linked to the original, unclear).
        _t("reject", {RECEIVED, INCOMPLETE}, REJECTED, {OPERATOR, MANAGER}),
        # The handling unit takes the case up (its first response, 5 working days after forwarding).
        _t("start", {FORWARDED}, IN_PROGRESS, {UNIT, MANAGER}),
        # Moved to another unit of the same agency.
        _t("reassign_unit", {FORWARDED, IN_PROGRESS}, FORWARDED, {MANAGER}),
        # The unit answers (the resolution tier's deadline).
        _t("answer", {FORWARDED, IN_PROGRESS}, ANSWERED, {UNIT, MANAGER}),
        # The complainant confirms the answer: closed.
        _t("confirm", {ANSWERED}, CLOSED, {CITIZEN}),
        # The complainant disputes the answer: reopened.
        _t("dispute", {ANSWERED}, IN_PROGRESS, {CITIZEN}),
        # Nobody replied within 10 working days of the answer: closed automatically.
        _t("auto_close", {ANSWERED}, CLOSED, {SYSTEM}),
        # Escalation up the ladder (unit head → complaint manager → inspectorate); status unchanged.
        _t("escalate", OPEN_STATUSES - {ANSWERED}, None, {SYSTEM, MANAGER}),
        # Referral to the Ombudsman RI (maladministration): the case leaves the agency.
        _t("refer", {FORWARDED, IN_PROGRESS, ANSWERED}, REFERRED, {MANAGER, INSPECTORATE}),
        # Internal work that does not change the state. Giving the case to an officer is the work of
        # those who handle it at its stage: the unit only once the case is forwarded to it.
        _t("assign", OPEN_STATUSES, None, {OPERATOR, UNIT, MANAGER}, public=False, at_stage=True),
        _t(
            "note", frozenset(STATUSES), None, {OPERATOR, UNIT, MANAGER, INSPECTORATE}, public=False
        ),
        # Adding information while the case is worked on. An answered case waits for a confirmation or a
        # dispute (which carries the person's words): a plain reply there would be an answer to nobody,
        # and the automatic closure would close the case over it.
        _t("reply", OPEN_STATUSES - {ANSWERED}, None, {CITIZEN}),
        _t("rate", {CLOSED}, None, {CITIZEN}),
        _t("publish", frozenset(STATUSES), None, {MANAGER}, public=False),
    )
}


class TransitionError(ValueError):
    """The action is not allowed from the current state; ``code`` is machine-readable, ``action`` and
    ``status`` say which (for a message in the reader's language, ``services.transition_text``)."""

    def __init__(
        self, message: str, code: str = "invalid_transition", action: str = "", status: str = ""
    ):
        super().__init__(message)
        self.code, self.action, self.status = code, action, status


def check_transition(action: str, status: str) -> Transition:
    """The table row for ``action`` if it may happen in ``status``; raises :class:`TransitionError`."""
    t = TRANSITIONS.get(action)
    if t is None:
        raise TransitionError(f"Tindakan tidak dikenal: {action}.", "unknown_action", action)
    if status not in t.sources:
        raise TransitionError(
            f"Tindakan '{action}' tidak dapat dilakukan pada pengaduan berstatus '{status}'.",
            "invalid_transition",
            action,
            status,
        )
    return t


def staff_roles_for(action: str, *, forwarded: bool) -> frozenset[str]:
    """The staff roles the table allows for ``action`` (without ``warga``/``sistem``) on a case
    ``forwarded`` to a unit or not yet (an action ``at_stage`` is only for :func:`identity_roles`)."""
    t = TRANSITIONS[action]
    roles = t.actors - {CITIZEN, SYSTEM}
    return roles & identity_roles(forwarded) if t.at_stage else roles


# --- Configurable numbers -----------------------------------------------------------------------

#: Defaults (the sources above); override per agency in ``Agency.options["complaints"]``.
DEFAULTS = {
    # SP4N-LAPOR!: verify and forward within 3 working days of receipt.
    "verification_days": 3,
    # SP4N-LAPOR!: the agency follows up within 5 working days of forwarding.
    "response_days": 5,
    # SP4N-LAPOR!: automatic closure 10 working days after the answer without a reply.
    "auto_close_days": 10,
    # UU 25/2009: 30 (calendar) days to complete an incomplete complaint, else withdrawn.
    "completion_days": 30,
    # UU 25/2009 Pasal 42: complaint filed within 30 (calendar) days of the service; later ones
    # are accepted but flagged for the verifier.
    "filing_window_days": 30,
    # Local service standard tiers in working days (sippn.menpan.go.id example).
    "tiers": {"ringan": 2, "normatif": 5, "tanpa_pemeriksaan": 14, "pemeriksaan": 60},
    # Default tier per kind of complaint (the "category"); the verifier may pick another.
    "default_tier": {
        "pengaduan": "normatif",
        "aspirasi": "tanpa_pemeriksaan",
        "permintaan_informasi": "normatif",
    },
    # A stage deadline is "due soon" this many working days before it.
    "due_soon_days": 1,
    # Working days overdue at which each escalation level is reached: 1 = head of the handling
    # unit, 2 = the agency's complaint manager, 3 = the inspectorate.
    "escalation_ladder": [0, 2, 5],
    # Similar-complaint suggestions look back this many days.
    "similar_days": 30,
    # UU 25/2009 (article numbers unverified): the provider answers a written complaint within 14
    # (calendar) days of receiving it, complete or not, and decides within 60 (calendar) days of the
    # file being complete. Shown beside the working-day deadlines, which they do not replace.
    "statutory_answer_days": 14,
    "statutory_decision_days": 60,
}

ESCALATION_TARGETS = {1: "kepala_unit", 2: MANAGER, 3: INSPECTORATE}


def _valid_option(key: str, value, tiers) -> bool:
    """Whether ``value`` can stand for DEFAULTS[key]: whole non-negative numbers of days (never a string
    or a boolean), tier tables of such numbers, default tiers that name a tier, a rising ladder."""

    def days(v):
        return type(v) is int and 0 <= v <= 3660

    default = DEFAULTS[key]
    if key == "tiers":
        return isinstance(value, dict) and all(
            isinstance(k, str) and days(v) and v > 0 for k, v in value.items()
        )
    if key == "default_tier":
        return isinstance(value, dict) and all(k in KINDS and v in tiers for k, v in value.items())
    if key == "escalation_ladder":
        return (
            isinstance(value, list)
            and len(value) == len(default)
            and all(days(v) for v in value)
            and value == sorted(value)
        )
    return days(value)


def merged_config(*overrides: dict | None, invalid: list | None = None) -> dict:
    """DEFAULTS updated by each override in turn (platform setting, then the agency's options);
    ``tiers`` and ``default_tier`` merge key by key.

    A value of the wrong kind (``"1"`` for a number of days, a ladder that goes down, a default tier
    that names no tier) is left out, so that one agency's mistyped option cannot stop the deadline
    sweep of every agency; its key is appended to ``invalid`` when a list is given, for the caller to
    report."""
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULTS.items()}
    for override in overrides:
        if not isinstance(override, dict):
            if override is not None and invalid is not None:
                invalid.append("*")
            continue
        # Tiers first, since a default tier must name one of them.
        for key in ("tiers", *(k for k in override if k != "tiers")):
            if key not in override or key not in DEFAULTS:
                continue
            value = override[key]
            if not _valid_option(key, value, out["tiers"]):
                if invalid is not None:
                    invalid.append(key)
                continue
            if isinstance(DEFAULTS[key], dict):
                out[key].update(value)
            else:
                out[key] = value
    return out


# --- Deadlines ------------------------------------------------------------------------------------

AddWorkingDays = Callable[[dt.date, int], dt.date]


def verification_due(received_on: dt.date, add: AddWorkingDays, config: dict = DEFAULTS) -> dt.date:
    """Verify and forward within 3 working days of receipt (SP4N-LAPOR!), counted from the local date
    the complaint was received (for assisted intake: when the officer received it, not entered it)."""
    return add(received_on, config["verification_days"])


def response_due(forwarded_on: dt.date, add: AddWorkingDays, config: dict = DEFAULTS) -> dt.date:
    """The handling unit's first response within 5 working days of forwarding (SP4N-LAPOR!)."""
    return add(forwarded_on, config["response_days"])


def resolution_due(
    start_on: dt.date, tier: str, add: AddWorkingDays, config: dict = DEFAULTS
) -> dt.date:
    """Resolution within the tier's working days (local service standard: 2/5/14/60)."""
    tiers = config["tiers"]
    if tier not in tiers:
        raise ValueError(f"unknown tier {tier!r}")
    return add(start_on, tiers[tier])


def auto_close_due(answered_on: dt.date, add: AddWorkingDays, config: dict = DEFAULTS) -> dt.date:
    """Closed automatically 10 working days after the answer if nobody replies (SP4N-LAPOR!)."""
    return add(answered_on, config["auto_close_days"])


def statutory_limits(
    received_on: dt.date, complete_on: dt.date | None, config: dict = DEFAULTS
) -> tuple[dt.date, dt.date | None]:
    """The limits of UU 25/2009 in calendar days: the first answer 14 days after receipt, the decision
    60 days after the file is complete (``complete_on``: the day it was received complete, or the day the
    complainant completed it; None while that is not established — before verification)."""
    answer = received_on + dt.timedelta(days=config["statutory_answer_days"])
    if complete_on is None:
        return answer, None
    return answer, complete_on + dt.timedelta(days=config["statutory_decision_days"])


def completion_due(paused_on: dt.date, config: dict = DEFAULTS) -> dt.date:
    """30 calendar days to complete the file, else it counts as withdrawn (UU 25/2009)."""
    return paused_on + dt.timedelta(days=config["completion_days"])


def resumed_due(resumed_on: dt.date, remaining: int, add: AddWorkingDays) -> dt.date:
    """The paused clock resumes: the working days that were left when it stopped are counted again
    from the day the file was completed (never fewer than one, so a case paused on its last day
    still gets a working day)."""
    return add(resumed_on, max(remaining, 1))


def late_filing(
    incident_date: dt.date | None, received_on: dt.date, config: dict = DEFAULTS
) -> bool:
    """True when the service was received more than 30 days before the complaint (UU 25/2009 Pasal 42):
    the complaint is accepted but flagged for the verifier."""
    if incident_date is None:
        return False
    return (received_on - incident_date).days > config["filing_window_days"]


def escalation_level(days_overdue: int, ladder=DEFAULTS["escalation_ladder"]) -> int:
    """Escalation level for a stage that is ``days_overdue`` working days late: 0 when not overdue,
    then 1 (unit head), 2 (complaint manager), 3 (inspectorate) as the ladder's thresholds pass."""
    if days_overdue <= 0:
        return 0
    level = 0
    for i, threshold in enumerate(ladder, start=1):
        if days_overdue > threshold:
            level = i
    return level


#: Which due date governs each open state (the "clock" the case is on).
STAGE_DUE_FIELD = {
    RECEIVED: "verification_due",
    FORWARDED: "response_due",
    IN_PROGRESS: "resolution_due",
    ANSWERED: None,  # the complainant's turn; auto-closure handles it
    INCOMPLETE: None,  # clock paused
}


# --- Tracking codes -------------------------------------------------------------------------------

#: Crockford's base 32 (:mod:`amanah.core.rules`, shared with the whistleblowing case numbers).
ALPHABET = CODE_ALPHABET
#: 15 random symbols × 5 bits = 75 bits of randomness (≥ 64 asked), plus one check symbol.
CODE_RANDOM_SYMBOLS = 15


def new_tracking_code(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """A random code like ``7KQ2-M9XD-4HTA-0RZB``: 15 random base-32 symbols and a position-weighted
    check symbol that catches any single mistyped symbol and most swaps of neighbours, grouped by four."""
    return new_code(CODE_RANDOM_SYMBOLS, randbelow)


def normalize_tracking_code(value: str) -> str | None:
    """The canonical form of a typed code (case, spaces, dashes and look-alike letters forgiven), or
    None when it cannot be a valid code (wrong length, bad symbol or failed check)."""
    return normalize_code(value, CODE_RANDOM_SYMBOLS)


#: The prefix of a case number (``AMN-<n>``).
CASE_NUMBER_PREFIX = "AMN-"
#: The largest key a row can have (a signed 64-bit integer).
_CASE_PK_MAX = 2**63 - 1


def case_number(pk: int) -> str:
    """The number staff know a case by (``AMN-<n>``), and the id of a published complaint. Unlike the
    tracking code, which is the complainant's key (whoever holds it may reply, confirm or dispute in their
    name), the number opens nothing by itself: it goes in lists, exports, e-mails and addresses."""
    return f"{CASE_NUMBER_PREFIX}{pk}"


def case_pk(ref: str) -> int | None:
    """The key a case number names (``AMN-123``, any case, spaces around forgiven), or None when ``ref``
    is no case number (or names no key a row can have)."""
    ref = (ref or "").strip().upper()
    digits = ref[len(CASE_NUMBER_PREFIX) :]
    if not ref.startswith(CASE_NUMBER_PREFIX) or not digits.isdecimal() or not digits.isascii():
        return None
    if len(digits) > len(str(_CASE_PK_MAX)) or not 0 < int(digits) <= _CASE_PK_MAX:
        return None
    return int(digits)


# --- Text checks -----------------------------------------------------------------------------------

_MARKUP = re.compile(r"</?[a-zA-Z!?]|javascript\s*:|on[a-z]+\s*=\s*[\"']", re.IGNORECASE)


def contains_markup(text: str) -> bool:
    """True when text holds HTML tags or script (refused with a specific error, not silently
    stripped, so the person knows what changed)."""
    return bool(_MARKUP.search(text or ""))


# Control characters other than tab and line breaks, and the two non-characters XML also refuses.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def contains_control(text: str) -> bool:
    """True when text holds control characters other than tab and line breaks: nobody types them, they
    are invisible on the page, and XML (Open311) cannot carry them at all."""
    return bool(_CONTROL.search(text or ""))


def without_control(text: str) -> str:
    """``text`` with those characters removed (for output that cannot carry them, such as XML)."""
    return _CONTROL.sub("", text)


def completion_lapsed(status: str, completion_due, today) -> bool:
    """A file waiting for completion whose 30 days are over: it counts as withdrawn (UU 25/2009), whether
    the sweeper has come round yet or the complainant completes it now."""
    return status == INCOMPLETE and completion_due is not None and today > completion_due


def auto_close_lapsed(status: str, auto_close_due, today) -> bool:
    """An answered case with no reply for 10 working days (SP4N-LAPOR!): it is closed automatically,
    whether the sweeper has come round yet or the complainant disputes or confirms it now."""
    return status == ANSWERED and auto_close_due is not None and today > auto_close_due


#: A word of four letters or digits or more, in any script.
_WORD = re.compile(r"[^\W_]{4,}")
#: Scripts written without spaces between words (kana, CJK, Hangul, Thai): compared by pairs of characters.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]{2,}")


def _terms(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    terms = set(_WORD.findall(text))
    for run in _UNSPACED.findall(text):
        terms.update(run[i : i + 2] for i in range(len(run) - 1))
    return terms


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the words of four letters or more (in any script; pairs of characters for
    scripts written without spaces), 0…1, for duplicate suggestions."""
    wa, wb = _terms(a), _terms(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)
