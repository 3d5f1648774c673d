"""Authorisation matrix cases for the whistleblowing staff API (see tests/authz.py).

Every case handles a report about an employee of agency A's Bidang Pendaftaran Penduduk, so the
inspectorate of agency A handles it. Reporter-token operations are listed in OTHER_AUTH."""

import datetime as dt

from tests.authz import Case

INSP = {"inspektorat"}


def _case(org, status="diterima", **fields):
    from amanah.integrity import services
    from amanah.integrity.forms import ReportForm

    o = org["a"]
    form = ReportForm(
        {
            "reported_name": o["staff"].name,
            "reported_nip": o["staff"].nip,
            "reported_agency": o["agency"].code,
            "reported_unit": o["bidang"].code,
            "violation_type": "pungutan_liar",
            "description": "Meminta uang tambahan untuk mempercepat KTP-el di loket.",
            "reporter_name": "Pelapor",
            "reporter_contact": "p@contoh.id",
        }
    )
    assert form.is_valid(), form.errors
    report, _receipt = services.submit_report(form.cleaned_data)
    report.status = status
    for key, value in fields.items():
        setattr(report, key, value)
    report.save()
    return report


def _params(status="diterima", **fields):
    def setup(org):
        return {"params": {"id": _case(org, status, **fields).pk}}

    return setup


def _with_body(body, status="diterima", **fields):
    def setup(org):
        return {"params": {"id": _case(org, status, **fields).pk}, "body": body}

    return setup


def _attendance(org):
    from amanah.integrity.models import Summons

    report = _case(org, "diperiksa")
    s = Summons.objects.create(
        report=report,
        person="Terlapor",
        person_key="k",
        number=1,
        issued_on=dt.date(2026, 1, 5),
        hearing_on=dt.date(2026, 1, 20),
    )
    return {"params": {"id": report.pk, "summons_id": s.pk}, "body": {"attended": False}}


def _evidence(org):
    from amanah.core import files
    from amanah.integrity.models import Evidence

    report = _case(org)
    stored = files.store(files.CleanFile("bukti.txt", "text/plain", b"isi bukti"), encrypt=True)
    ev = Evidence.objects.create(report=report, file=stored, created_on=report.created_on)
    return {"params": {"id": report.pk, "evidence_id": ev.pk}}


def _assign(org):
    from amanah.core.models import Role, RoleAssignment, User

    report = _case(org)
    investigator = User.objects.create_user("pemeriksa-matrix@test.id", "sandi-rahasia-123")
    RoleAssignment.objects.create(
        user=investigator, role=Role.INSPECTORATE, agency=org["a"]["agency"]
    )
    return {"params": {"id": report.pk}, "body": {"user": investigator.pk}}


def _identity(org):
    """An approved disclosure request, consented to by the reporter, exists for every inspektorat
    account of agency A (and the admin), so the matrix checks who may call the endpoint, not whose
    request it was."""
    from amanah.core.models import Role, RoleAssignment, User
    from amanah.integrity.models import DisclosureRequest

    report = _case(org)
    holders = {
        a.user_id for a in RoleAssignment.objects.filter(role__in=[Role.INSPECTORATE, Role.ADMIN])
    }
    custodian = User.objects.create_user("kustodian-matrix@test.id", "sandi-rahasia-123")
    for uid in holders:
        DisclosureRequest.objects.create(
            report=report,
            requested_by_id=uid,
            reason="Perlu konfirmasi saksi kunci.",
            state="disetujui",
            consent="setuju",
            decided_by=custodian,
            requested_on=report.created_on,
        )
    return {"params": {"id": report.pk}}


def _decide(org):
    from amanah.core.models import User
    from amanah.integrity.models import DisclosureRequest

    report = _case(org)
    requester = User.objects.create_user("peminta-matrix@test.id", "sandi-rahasia-123")
    d = DisclosureRequest.objects.create(
        report=report,
        requested_by=requester,
        reason="Perlu konfirmasi saksi kunci.",
        requested_on=report.created_on,
    )
    return {"params": {"id": d.pk}, "body": {"approve": False}}


def _reported(org):
    """Naming the employee already named: nothing moves, so every allowed caller keeps the case."""
    report = _case(org)
    return {"params": {"id": report.pk}, "body": {"nip": org["a"]["staff"].nip}}


CASES = [
    Case("GET", "/api/v1/integrity/cases", INSP, setup=lambda org: {"query": {"agency": "kab-a"}}),
    Case("GET", "/api/v1/integrity/cases/{id}", INSP, setup=_params()),
    Case("POST", "/api/v1/integrity/cases/{id}/acknowledge", INSP, setup=_with_body({})),
    Case(
        "POST",
        "/api/v1/integrity/cases/{id}/assess",
        INSP,
        setup=_with_body(
            {
                "credibility": "tinggi",
                "seriousness": "tinggi",
                "retaliation_risk": "sedang",
                "decision": "periksa",
            }
        ),
    ),
    Case("POST", "/api/v1/integrity/cases/{id}/assign", INSP, setup=_assign),
    # Leadership sees (and may leave) a case with a protection flag only: tests/integrity/test_conflict.py.
    Case(
        "POST",
        "/api/v1/integrity/cases/{id}/conflict",
        INSP | {"kustodian", "pimpinan"},
        setup=_with_body({}, protection_flag=True),
    ),
    Case(
        "POST",
        "/api/v1/integrity/cases/{id}/plan",
        INSP,
        setup=_with_body({"plan": "Periksa saksi."}, "diperiksa"),
    ),
    Case(
        "POST",
        "/api/v1/integrity/cases/{id}/summons",
        INSP,
        setup=_with_body(
            {"person": "Terlapor", "issued_on": "2026-01-05", "hearing_on": "2026-01-20"},
            "diperiksa",
        ),
    ),
    Case(
        "POST",
        "/api/v1/integrity/cases/{id}/summons/{summons_id}/attendance",
        INSP,
        setup=_attendance,
    ),
    Case(
        "POST",
        "/api/v1/integrity/cases/{id}/records",
        INSP,
        setup=_with_body(
            {"held_on": "2026-01-20", "examined": "Terlapor", "content": "Terlapor mengakui."},
            "diperiksa",
        ),
    ),
    Case(
        "POST",
        "/api/v1/integrity/cases/{id}/finding",
        INSP,
        setup=_with_body({"outcome": "tidak_terbukti", "note": "Tidak cukup bukti."}, "diperiksa"),
    ),
    Case(
        "POST",
        "/api/v1/integrity/cases/{id}/referral",
        INSP,
        setup=_with_body({"body": "kpk"}, "ditelaah"),
    ),
    Case("GET", "/api/v1/integrity/cases/{id}/export", INSP, setup=_params()),
    Case("POST", "/api/v1/integrity/cases/{id}/reported", INSP, setup=_reported),
    Case(
        "POST",
        "/api/v1/integrity/cases/{id}/messages",
        INSP,
        setup=_with_body({"body": "Kapan kejadiannya?"}),
    ),
    Case("GET", "/api/v1/integrity/cases/{id}/evidence/{evidence_id}", INSP, setup=_evidence),
    Case(
        "POST",
        "/api/v1/integrity/cases/{id}/disclosures",
        INSP,
        setup=_with_body(
            {"reason": "Keterangan pelapor perlu dikonfirmasi langsung sebagai saksi."}
        ),
    ),
    Case("GET", "/api/v1/integrity/cases/{id}/identity", INSP, setup=_identity),
    Case(
        "GET",
        "/api/v1/integrity/disclosures",
        {"kustodian"},
        setup=lambda org: {"query": {"agency": "kab-a"}},
    ),
    Case("POST", "/api/v1/integrity/disclosures/{id}/decide", {"kustodian"}, setup=_decide),
    Case(
        "GET",
        "/api/v1/integrity/protection",
        {"pimpinan", "inspektorat"},
        setup=lambda org: {"query": {"agency": "kab-a"}},
    ),
]

OTHER_AUTH = [
    ("GET", "/api/v1/integrity/me"),
    ("POST", "/api/v1/integrity/me/messages"),
    ("POST", "/api/v1/integrity/me/evidence"),
    ("POST", "/api/v1/integrity/me/retaliation"),
    ("POST", "/api/v1/integrity/me/disclosures/{id}/consent"),
    ("POST", "/api/v1/integrity/me/disclosures/{id}/objection"),
    ("PUT", "/api/v1/integrity/me/contact"),
    ("DELETE", "/api/v1/integrity/me/contact"),
    ("DELETE", "/api/v1/integrity/session"),
]
