"""Reads shared by the pages, the API and the dashboard."""

from __future__ import annotations

import datetime as dt
import json

from django.db.models import Count, Q

from amanah.core import permissions

# The disclosure control of published counts is shared with the public dashboard, which shows these
# same reports (pure functions in the core rules), so that both answer alike.
from amanah.core.calendar import MAX_YEAR
from amanah.core.models import Role
from amanah.core.records import shown_pieces, translated
from amanah.core.rules import protect_columns, publication_period

from . import rules
from .models import DisclosureRequest, Exclusion, Message, Report, ReportKind


def _visible(user, roles) -> object:
    """Cases in agencies where the user holds one of ``roles`` agency-wide, minus the cases the user
    is excluded from (reported person, superior, declared conflict), and minus the cases with an
    exclusion hashed under a key no longer configured (it might name the user: fail closed)."""
    from .services import unknown_exclusion_keys, user_subjects

    scopes = permissions.scopes(user, roles)
    qs = Report.objects.all()
    if (None, None) not in scopes:
        agencies = {a for a, unit in scopes if unit is None}
        qs = qs.filter(handling_agency_id__in=agencies)
    excluded = Q()
    subjects = user_subjects(user)
    if subjects:
        excluded |= Q(subject__in=subjects)
    unknown = unknown_exclusion_keys()
    if unknown:
        excluded |= Q(key_id__in=unknown)
    if excluded:
        qs = qs.exclude(pk__in=Exclusion.objects.filter(excluded).values("report_id"))
    return qs


def visible_cases(user, *, status: str = "", protection: bool | None = None, agency=None):
    """The cases the inspectorate may see, optionally only those handled by ``agency``."""
    qs = _visible(user, [Role.INSPECTORATE]).select_related("agency", "unit", "handling_agency")
    if agency is not None:
        qs = qs.filter(handling_agency=agency)
    if status:
        qs = qs.filter(status=status)
    if protection is not None:
        qs = qs.filter(protection_flag=protection)
    return qs.order_by("-created_on", "-id")


def protected_cases(user, agency=None):
    """Cases with a protection flag, for leadership (no content, only that protection is needed),
    optionally only those handled by ``agency``."""
    qs = _visible(user, [Role.LEADERSHIP, Role.INSPECTORATE]).filter(protection_flag=True)
    if agency is not None:
        qs = qs.filter(handling_agency=agency)
    return qs.select_related("agency", "unit").order_by("-protection_since", "-id")


def pending_disclosures(user, agency=None):
    """Disclosure requests on the cases the custodian may see, optionally only those handled by
    ``agency``."""
    ids = _visible(user, [Role.CUSTODIAN])
    if agency is not None:
        ids = ids.filter(handling_agency=agency)
    ids = ids.values("pk")
    return (
        DisclosureRequest.objects.filter(report_id__in=ids)
        .select_related("report", "requested_by")
        .order_by("state", "-requested_on", "-position", "-id")
    )


def case_summary(report: Report) -> dict:
    return {
        "id": report.pk,
        "case_number": report.case_number,
        "kind": report.kind,
        "agency": report.agency.code,
        "unit": report.unit.code if report.unit_id else None,
        "handling_agency": report.handling_agency.code if report.handling_agency_id else None,
        "escalated": report.escalated,
        "violation_type": report.violation_type,
        "status": report.status,
        "outcome": report.outcome,
        "sanction_level": report.sanction_level,
        "priority": report.priority or None,
        "protection_flag": report.protection_flag,
        "created_on": report.created_on,
        "assessment_due": report.assessment_due,
        "acknowledge_due": report.acknowledge_due,
        "feedback_due": report.feedback_due,
    }


def case_detail(report: Report) -> dict:
    """Everything a handler sees — except the reporter's identity (only via an approved disclosure)."""
    out = case_summary(report)
    out.update(
        {
            "reported_name": report.reported_name,
            "reported_nip": report.reported_nip,
            "reported_position": report.reported_position,
            "description": report.description,
            "incident_date": report.incident_date,
            "incident_place": report.incident_place,
            "witnesses": report.witnesses,
            "reporter_identified": report.has_identity,
            "may_contact": report.may_contact,
            "gift_received_on": report.gift_received_on,
            "gift_giver": report.gift_giver,
            "gift_value": report.gift_value,
            "upg_due": report.upg_due,
            "kpk_due": report.kpk_due,
            "credibility": report.credibility or None,
            "seriousness": report.seriousness or None,
            "retaliation_risk": report.retaliation_risk or None,
            "assessment_note": report.assessment_note,
            "examination_plan": report.examination_plan,
            "finding_note": report.finding_note,
            "sanction": report.sanction or None,
            "referral_body": report.referral_body or None,
            "discipline_pending": report.discipline_pending,
            "messages": [
                {
                    "id": m.pk,
                    "direction": m.direction,
                    "kind": m.kind,
                    "kind_label": m.get_kind_display(),
                    "body": m.shown_body,
                    "created_on": m.created_on,
                }
                for m in report.messages.all()
            ],
            "evidence": [
                {
                    "id": e.pk,
                    "filename": e.file.filename,
                    "content_type": e.file.content_type,
                    "size": e.file.size,
                    "from_reporter": e.from_reporter,
                    "created_on": e.created_on,
                }
                for e in report.evidence.select_related("file")
            ],
            "assignments": [
                {"user": a.user_id, "name": str(a.user), "lead": a.is_lead}
                for a in report.assignments.select_related("user")
            ],
            "summons": [
                {
                    "id": s.pk,
                    "person": s.person,
                    "number": s.number,
                    "issued_on": s.issued_on,
                    "hearing_on": s.hearing_on,
                    "attended": s.attended,
                }
                for s in report.summons.all()
            ],
            "records": [
                {"id": r.pk, "held_on": r.held_on, "examined": r.examined, "content": r.content}
                for r in report.records.all()
            ],
            "disclosures": [
                {
                    "id": d.pk,
                    "state": d.state,
                    "state_text": d.get_state_display(),
                    "consent": d.consent,
                    "consent_text": d.get_consent_display(),
                    "requested_on": d.requested_on,
                    "consent_on": d.consent_on,
                    "decided_on": d.decided_on,
                }
                for d in report.disclosures.all()
            ],
        }
    )
    return out


def reporter_view(report: Report) -> dict:
    """What the reporter sees after opening the case with the receipt."""
    return {
        "case_number": report.case_number,
        "kind": report.kind,
        "status": report.status,
        "status_text": report.reporter_status,
        "violation_type": report.violation_type,
        "created_on": report.created_on,
        "outcome": report.outcome if not report.is_open else None,
        "protection_flag": report.protection_flag,
        "upg_due": report.upg_due,
        "kpk_due": report.kpk_due,
        "can_reply": report.status != "ditutup",
        "messages": [
            {
                "id": m.pk,
                "from": "pelapor" if m.direction == Message.Direction.FROM_REPORTER else "tim",
                "kind": m.kind,
                "body": m.shown_body,
                "created_on": m.created_on,
            }
            for m in report.messages.all()
        ],
        "evidence_count": report.evidence.filter(from_reporter=True).count(),
        "disclosures": [_disclosure_for_reporter(d) for d in report.disclosures.all()],
        **contact_state(report),
    }


def contact_state(report: Report) -> dict:
    """What the reporter's page and ``GET /me`` say of the contact the reporter gave: only whether
    there is one and whether news mails go to it (an e-mail address they agreed to be contacted at).
    Not the address or number, nor any part of it (its domain, its last digits), nor its kind: whoever
    holds the receipt, or looks at a shared device's screen, sees the case but learns nothing of how
    to reach the reporter."""
    contact = (report.reporter_contact or "").strip()
    return {
        "contact_given": bool(contact),
        "news_by_mail": bool(contact) and report.may_contact and "@" in contact,
    }


def with_pieces(messages: list[dict], report: Report) -> list[dict]:
    """The ``messages`` of :func:`case_detail` or :func:`reporter_view`, each with its ``pieces`` for a
    page (:func:`amanah.core.records.shown_pieces`): what a person typed, the reporter's retaliation
    report after its system sentence included, is marked Indonesian on an English page. Pages only:
    the API's messages keep their ``body``."""
    pieces = {
        m.pk: shown_pieces(m.body, json.loads(m.body_parts) if m.body_parts else None)
        for m in report.messages.all()
    }
    return [{**m, "pieces": pieces.get(m["id"], [(m["body"], True)])} for m in messages]


def _disclosure_for_reporter(d: DisclosureRequest) -> dict:
    """A request to see the reporter's identity as the reporter sees it: why, where it stands, and
    what they may still answer (consent while it waits; object while it waits or after approval)."""
    State, Consent = DisclosureRequest.State, DisclosureRequest.Consent
    return {
        "id": d.pk,
        "requested_on": d.requested_on,
        "reason": d.reason,
        "state": d.state,
        "state_text": d.get_state_display(),
        "consent": d.consent,
        "consent_text": d.get_consent_display(),
        "can_consent": d.state == State.PENDING and d.consent == Consent.AWAITED,
        "can_object": d.state in (State.PENDING, State.APPROVED),
    }


#: What the case file handed over for a referral (KPK, Ombudsman, APH) holds, as the API gives it and
#: the printable/PDF page shows it (``integrity/export.html``): the alleged act, the reported person and
#: the examination. Never the reporter: no identity, no dialogue with them (their replies, the team's
#: messages and questions, a retaliation account), no identity-disclosure request or its answer, and
#: nothing internal to the handling team (assignments, assessment notes, deadlines, protection flag).
EXPORT_FIELDS = (
    "id",
    "case_number",
    "kind",
    "agency",
    "unit",
    "handling_agency",
    "violation_type",
    "status",
    "outcome",
    "sanction_level",
    "sanction",
    "created_on",
    "reported_name",
    "reported_nip",
    "reported_position",
    "description",
    "incident_date",
    "incident_place",
    "witnesses",
    "gift_received_on",
    "gift_giver",
    "gift_value",
    "examination_plan",
    "summons",
    "records",
    "finding_note",
    "referral_body",
    "evidence",
)


def export_case(report: Report) -> dict:
    """The case file handed to KPK, Ombudsman or APH (:data:`EXPORT_FIELDS`), for the API and the
    printable/PDF page alike."""
    detail = case_detail(report)
    out = {key: detail[key] for key in EXPORT_FIELDS}
    out["evidence"] = [
        {k: e[k] for k in ("id", "filename", "content_type", "size", "created_on")}
        for e in detail["evidence"]
    ]
    out["sanction_label"] = (
        translated(rules.sanction_label(report.sanction)) if report.sanction else None
    )
    return out


def last_closed_quarter(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The latest calendar quarter that is over (the national calendar's today by default)."""
    from amanah.core.calendar import Calendar

    today = today or Calendar().local_date()
    return publication_period(publication_period(today)[0] - dt.timedelta(days=1))


BREAKDOWNS = {
    "by_type": "violation_type",
    "by_status": "status",
    "by_outcome": "outcome",
    "by_sanction_level": "sanction_level",
}


def statistics(
    agency_id: int | None = None, quarter: tuple[dt.date, dt.date] | None = None
) -> dict:
    """Counts of the reports received in one closed calendar quarter (the latest by default), for one
    agency or for all of them, by type, status, outcome and sanction level.

    Counts are published for fixed quarters only, so no two answers can be subtracted to learn what
    came in between (``core.rules.closed_publication_period``). A count from 1 to 4 standing alone is
    given as "< 5"; in a breakdown, small counts and the cells hidden so that they cannot be worked out
    from the total are all "disembunyikan". The national figures add up the agencies that received at
    least five reports in the quarter, and hide a count that would give away an agency's hidden one
    (``core.rules.protect_columns``, shared with the dashboard)."""
    start, end = quarter or last_closed_quarter()
    qs = Report.objects.filter(created_on__gte=start, created_on__lte=end)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    totals = dict(qs.values_list("agency_id").annotate(n=Count("id")).order_by())
    included = {a for a, n in totals.items() if agency_id is not None or n >= rules.SMALL_COUNT}

    def table(counts: dict) -> dict[str, int | str]:
        """``{agency: {key: n}}`` → the published cells for the agency asked for, or the nation."""
        rows = {a: counts.get(a, {}) for a in included}
        by_agency, national = protect_columns(rows, threshold=rules.SMALL_COUNT)
        shown = by_agency.get(agency_id, {}) if agency_id is not None else national
        return {
            key: rules.HIDDEN_COUNT if shown[key] is None else shown[key]
            for key in sorted(shown)
            if key not in ("", None)
        }

    def per_agency(field: str) -> dict:
        counts: dict = {}
        rows = qs.exclude(**{f"{field}__isnull": True}).values_list("agency_id", field)
        for a, key, n in rows.annotate(n=Count("id")).order_by():
            counts.setdefault(a, {})[key] = n
        return counts

    def single(flagged) -> int | str:
        """One count: "< 5" when small; nationally a sum over agencies, hidden when it would give an
        agency's small count away."""
        counts = dict(flagged.values_list("agency_id").annotate(n=Count("id")).order_by())
        if agency_id is not None:
            return rules.mask_count(counts.get(agency_id, 0))
        return table({a: {"n": n} for a, n in counts.items()}).get("n", 0)

    total = sum(n for a, n in totals.items() if a in included)
    out: dict = {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "quarter": quarter_code(start),
        "total": rules.mask_count(total),
    }
    for name, field in BREAKDOWNS.items():
        out[name] = table(per_agency(field))
    out["gratification_self_reports"] = single(qs.filter(kind=ReportKind.GRATIFICATION))
    out["protection_cases"] = single(qs.filter(protection_flag=True))
    return out


def quarter_code(start: dt.date) -> str:
    """``2026-Q3`` for the quarter starting on ``start``."""
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def parse_quarter(value: str, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """The closed quarter named ``YYYY-Qn``; None when it is malformed or not over yet."""
    import re

    match = re.fullmatch(r"(\d{4})-Q([1-4])", (value or "").strip().upper())
    if not match:
        return None
    year, q = int(match[1]), int(match[2])
    if not 2000 <= year <= MAX_YEAR:
        return None
    period = publication_period(dt.date(year, 3 * q - 2, 1))
    return period if period[1] <= last_closed_quarter(today)[1] else None


def recent_quarters(n: int = 8) -> list[tuple[str, dt.date, dt.date]]:
    """The ``n`` latest closed quarters, newest first: ``(code, start, end)``."""
    out = []
    start, end = last_closed_quarter()
    for _ in range(n):
        out.append((quarter_code(start), start, end))
        start, end = publication_period(start - dt.timedelta(days=1))
    return out
