"""Reads shared by the pages, the API and the dashboard."""

from __future__ import annotations

from django.db.models import Count

from amanah.core import permissions
from amanah.core.models import Role

# The disclosure control of published counts lives with the public dashboard, which shows these same
# reports; a pure function (standard library only), reused so that both answer alike.
from amanah.core.rules import suppress_group

from . import rules
from .models import DisclosureRequest, Exclusion, Message, Report, ReportKind


def _visible(user, roles) -> object:
    """Cases in agencies where the user holds one of ``roles`` agency-wide, minus the cases the user
    is excluded from (reported person, superior, declared conflict)."""
    from .services import user_subjects

    scopes = permissions.scopes(user, roles)
    qs = Report.objects.all()
    if (None, None) not in scopes:
        agencies = {a for a, unit in scopes if unit is None}
        qs = qs.filter(handling_agency_id__in=agencies)
    subjects = user_subjects(user)
    if subjects:
        qs = qs.exclude(pk__in=Exclusion.objects.filter(subject__in=subjects).values("report_id"))
    return qs


def visible_cases(user, *, status: str = "", protection: bool | None = None):
    qs = _visible(user, [Role.INSPECTORATE]).select_related("agency", "unit", "handling_agency")
    if status:
        qs = qs.filter(status=status)
    if protection is not None:
        qs = qs.filter(protection_flag=protection)
    return qs.order_by("-created_on", "-id")


def protected_cases(user):
    """Cases with a protection flag, for leadership (no content, only that protection is needed)."""
    return (
        _visible(user, [Role.LEADERSHIP, Role.INSPECTORATE])
        .filter(protection_flag=True)
        .select_related("agency", "unit")
        .order_by("-protection_since")
    )


def pending_disclosures(user):
    ids = _visible(user, [Role.CUSTODIAN]).values("pk")
    return (
        DisclosureRequest.objects.filter(report_id__in=ids)
        .select_related("report", "requested_by")
        .order_by("state", "-id")
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
                    "consent": d.consent,
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
    }


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


def export_case(report: Report) -> dict:
    """The case file handed to KPK, Ombudsman or APH: everything about the alleged act and the
    examination, nothing that identifies the reporter (no name, contact, or the reporter's messages'
    authorship beyond "pelapor")."""
    detail = case_detail(report)
    for key in ("reporter_identified", "may_contact", "disclosures", "assignments"):
        detail.pop(key, None)
    detail["messages"] = [m for m in detail["messages"] if m["kind"] != "pembalasan"]
    detail["sanction_label"] = rules.sanction_label(report.sanction) if report.sanction else None
    return detail


def _masked_group(counts: dict[str, int]) -> dict[str, int | str]:
    """One breakdown with small counts shown as "< 5" and, when exactly one cell would be hidden beside
    a published total, the smallest other cell hidden too (``rules.HIDDEN_COUNT``), so that the small
    one cannot be worked out by subtraction (``core.rules.suppress_group``, shared with the dashboard)."""
    shown = suppress_group(counts, threshold=rules.SMALL_COUNT, total_shown=True)
    out: dict[str, int | str] = {}
    for key, n in counts.items():
        if shown[key] is not None:
            out[key] = n
        elif n < rules.SMALL_COUNT:
            out[key] = rules.mask_count(n)
        else:
            out[key] = rules.HIDDEN_COUNT
    return out


def statistics(agency_ids=None) -> dict:
    """Counts by type, status, outcome and sanction level, with counts 1–4 shown as "< 5" and a
    second cell of a breakdown hidden ("disembunyikan") when a single small one could otherwise be
    worked out from the total."""
    qs = Report.objects.all()
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)

    def grouped(field):
        rows = (
            qs.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(n=Count("id"))
            .order_by(field)
        )
        return _masked_group({r[field]: r["n"] for r in rows if r[field] not in ("", None)})

    return {
        "total": rules.mask_count(qs.count()),
        "by_type": grouped("violation_type"),
        "by_status": grouped("status"),
        "by_outcome": grouped("outcome"),
        "by_sanction_level": grouped("sanction_level"),
        "gratification_self_reports": rules.mask_count(
            qs.filter(kind=ReportKind.GRATIFICATION).count()
        ),
        "protection_cases": rules.mask_count(qs.filter(protection_flag=True).count()),
    }
