"""Authorisation matrix cases for every personnel staff endpoint."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from amanah.personnel import models as m
from tests.authz import Case

from . import helpers

P = "/api/v1/personnel"
READERS = {"kepegawaian", "pimpinan", "auditor"}
HR = {"kepegawaian"}
PERF = {"kepegawaian", "pimpinan"}
DISC_READ = {"kepegawaian", "pimpinan", "inspektorat"}
DISC_HANDLE = {"kepegawaian", "inspektorat"}
AGENCY = {"agency": "kab-a"}


def _nip(org):
    return {"nip": org["a"]["staff"].nip}


def _training(org):
    t = helpers.training(org["a"]["staff"])
    return {
        "params": {"id": t.pk},
        "multipart": True,
        "body": {
            "file": SimpleUploadedFile("sertifikat.txt", b"Sertifikat pelatihan", "text/plain")
        },
    }


def _period(org):
    p = helpers.period(org["a"]["agency"])
    return {
        "params": _nip(org),
        "body": {
            "period": p.pk,
            "indicators": [
                {"description": "Layanan selesai tepat waktu", "target": 95, "unit": "persen"}
            ],
        },
    }


def _skp(org):
    return {
        "params": {"id": helpers.skp(org["a"]["staff"]).pk},
        "body": {"hasil_kerja": "sesuai", "perilaku": "di_atas"},
    }


def _case(org):
    return {
        "params": {"number": helpers.case(org["a"]["staff"]).number},
        "body": {
            "sent_on": helpers.today().isoformat(),
            "examination_on": (helpers.today() + dt.timedelta(days=21)).isoformat(),
        },
    }


def _summoned(org):
    c = helpers.case(org["a"]["staff"])
    sent = helpers.today() - dt.timedelta(days=30)
    m.Summons.objects.create(
        case=c, sequence=1, sent_on=sent, examination_on=sent + dt.timedelta(days=14)
    )
    return {
        "params": {"number": c.number},
        "body": {
            "held_on": (sent + dt.timedelta(days=14)).isoformat(),
            "bap_number": "BAP/7",
            "summary": "Diperiksa",
            "attended": True,
        },
    }


def _examined(org):
    c = helpers.examined_case(org["a"]["staff"])
    return {
        "params": {"number": c.number},
        "body": {
            "proven": True,
            "official": org["a"]["kabid"].nip,
            "decision_number": "800/1/2026",
            "decided_on": helpers.today().isoformat(),
            "level": "ringan",
            "sanction": "teguran_tertulis",
        },
    }


def _decided(org):
    c = helpers.examined_case(org["a"]["staff"])
    c.status, c.proven, c.level, c.sanction = m.CaseStatus.DECIDED, True, "sedang", "tukin_25_6"
    c.decided_on = c.sanction_start = helpers.today()
    c.appeal_due = helpers.today() + dt.timedelta(days=30)
    c.decision_number = "800/2"
    c.save()
    return {
        "params": {"number": c.number},
        "body": {"filed_on": helpers.today().isoformat(), "grounds": "Bukti tidak cukup"},
    }


def _delivery(org):
    """A decision not yet handed over: its delivery is recorded (the appeal deadline starts)."""
    out = _decided(org)
    return out | {"body": {"delivered_on": helpers.today().isoformat()}}


def _deemed_delivery(org):
    """A decision sent to an ASN absent at the handing-over: the day deemed received is recorded."""
    out = _decided(org)
    day = helpers.today().isoformat()
    return out | {"body": {"sent_on": day, "deemed_on": day, "reason": "Tidak hadir"}}


def _appealed(org):
    c = helpers.examined_case(org["a"]["staff"])
    c.status, c.proven, c.level, c.sanction = m.CaseStatus.APPEALED, True, "sedang", "tukin_25_6"
    c.decided_on = c.sanction_start = helpers.today()
    c.appeal_due = helpers.today() + dt.timedelta(days=30)
    c.decision_number = "800/3"
    c.save()
    m.Appeal.objects.create(case=c, kind="keberatan", filed_on=helpers.today(), grounds="Berat")
    return {
        "params": {"number": c.number},
        "body": {"outcome": "ditolak", "decided_on": helpers.today().isoformat()},
    }


def _award(org):
    a = m.Award.objects.create(
        employee=org["a"]["staff"],
        kind="pelayanan",
        title="Pelayan prima",
        reason="Rating pengadu 4,9",
        year=helpers.today().year,
    )
    return {"params": {"id": a.pk}, "body": {"approve": True}}


def _import(org):
    csv = f"nip,nama_kegiatan,jp,tanggal_selesai\n{org['a']['staff'].nip},Kursus daring,4,2025-03-03\n"
    return {
        "params": {"kind": "diklat"},
        "query": AGENCY,
        "multipart": True,
        "body": {"file": SimpleUploadedFile("diklat.csv", csv.encode(), "text/csv")},
    }


def _enrolment(org):
    p = m.Program.objects.create(
        code="pelayanan-prima",
        title="Pelayanan prima",
        category="teknis",
        method="pelatihan",
        competency_type="manajerial",
        jp=24,
    )
    t = m.Training.objects.create(
        employee=org["a"]["staff"],
        program=p,
        title=p.title,
        category="teknis",
        method="pelatihan",
        jp=p.jp,
        status="terdaftar",
    )
    return {"params": {"id": t.pk}, "body": {"completed_on": helpers.today().isoformat()}}


def _program(org):
    helpers.program("pelayanan-prima")
    return {"params": _nip(org), "body": {"program": "pelayanan-prima"}}


def _pair(org):
    pair = m.Mentoring.objects.create(
        mentor=org["a"]["kabid"],
        mentee=org["a"]["staff"],
        goals="SIAK",
        start=helpers.today() - dt.timedelta(days=9),
    )
    return {
        "params": {"id": pair.pk},
        "body": {"held_on": helpers.today().isoformat(), "topic": "Verifikasi"},
    }


def _objected(org):
    s = helpers.skp(org["a"]["staff"])
    s.status, s.hasil_kerja, s.perilaku, s.predicate = "keberatan", "sesuai", "sesuai", "baik"
    s.objection = "Realisasi saya lebih tinggi"
    s.save()
    return {
        "params": {"id": s.pk},
        "body": {"response": "Nilai dinaikkan", "hasil_kerja": "di_atas"},
    }


def _rated_skp_of_admin(org):
    """An SKP owned by the platform admin's own ASN record. Only the owner may object, whatever
    role they hold: so the one combination the matrix expects to succeed (the platform admin) is
    the owner, and every role of agency A or B, HR and leadership included, must be refused."""
    from amanah.core.models import Employee, User

    admin = User.objects.get(roles__role="admin")
    admin.employee = Employee.objects.create(
        nip="199505052020121001",
        name="Admin sebagai ASN",
        unit=org["a"]["bidang"],
        position="Pengadministrasi",
    )
    admin.save()
    s = helpers.skp(admin.employee)
    s.status, s.hasil_kerja, s.perilaku, s.predicate = "dinilai", "sesuai", "sesuai", "baik"
    s.save()
    return {"params": {"id": s.pk}, "body": {"reason": "Realisasi saya 99 persen, bukan 90."}}


def _own_competency(org):
    m.Competency.objects.create(
        agency=org["a"]["agency"], code="adminduk", type="teknis", name="Adminduk"
    )
    return {
        "params": {"code": "adminduk"},
        "body": {"agency": "kab-a", "name": "Administrasi kependudukan"},
    }


def _requirement(org):
    req = m.PositionRequirement.objects.create(
        agency=org["a"]["agency"],
        position="Pengadministrasi",
        competency=m.Competency.objects.get(code="komunikasi", agency=None),
        level=3,
    )
    return {"params": {"id": req.pk}}


def _transfer(org):
    """A request by agency B for A's staff member to move there: A (the origin) decides it."""
    a, b = org["a"], org["b"]
    t = m.Transfer.objects.create(
        employee=a["staff"],
        from_agency=a["agency"],
        from_unit=a["bidang"],
        from_position=a["staff"].position,
        to_agency=b["agency"],
        to_unit=b["bidang"],
        position="Analis",
        sk_number="821/7",
        sk_date=helpers.today(),
    )
    return {"params": {"id": t.pk}, "body": {"approve": True}}


CASES = [
    Case(
        "POST",
        f"{P}/employees",
        HR,
        lambda org: {
            "body": {
                "nip": "199001012015011099",
                "name": "Pegawai Baru",
                "unit": "kab-a-dafduk",
                "position": "Analis",
            }
        },
    ),
    Case("GET", f"{P}/employees", READERS, lambda org: {"query": AGENCY}),
    Case("GET", f"{P}/employees/{{nip}}", READERS, lambda org: {"params": _nip(org)}),
    Case(
        "POST",
        f"{P}/employees/{{nip}}/trainings",
        HR,
        lambda org: {
            "params": _nip(org),
            "body": {
                "title": "Pelatihan komunikasi efektif",
                "jp": 8,
                "completed_on": helpers.today().isoformat(),
            },
        },
    ),
    Case("POST", f"{P}/trainings/{{id}}/certificate", HR, _training),
    Case("GET", f"{P}/employees/{{nip}}/development", READERS, lambda org: {"params": _nip(org)}),
    Case("GET", f"{P}/employees/{{nip}}/competency", READERS, lambda org: {"params": _nip(org)}),
    Case("GET", f"{P}/employees/{{nip}}/index", PERF, lambda org: {"params": _nip(org)}),
    Case("GET", f"{P}/employees/{{nip}}/absences", DISC_READ, lambda org: {"params": _nip(org)}),
    Case(
        "POST",
        f"{P}/employees/{{nip}}/absences",
        HR,
        lambda org: {"params": _nip(org), "body": {"dates": ["2025-11-03", "2025-11-04"]}},
    ),
    Case("GET", f"{P}/development/behind", READERS, lambda org: {"query": AGENCY}),
    Case("POST", f"{P}/development/reminders", HR, lambda org: {"query": AGENCY}),
    Case("GET", f"{P}/programs", READERS, lambda org: {"query": AGENCY}),
    Case(
        "POST",
        f"{P}/programs",
        HR,
        lambda org: {
            "body": {
                "code": "komunikasi-efektif",
                "title": "Komunikasi efektif",
                "category": "soft_skill",
                "method": "workshop",
                "competency_type": "manajerial",
                "jp": 16,
                "agency": "kab-a",
                "competencies": ["komunikasi"],
            }
        },
    ),
    Case(
        "POST",
        f"{P}/skp-periods",
        HR,
        lambda org: {
            "body": {
                "name": "Tahun 2030",
                "start": "2030-01-01",
                "end": "2030-12-31",
                "agency": "kab-a",
            }
        },
    ),
    Case("POST", f"{P}/employees/{{nip}}/skp", HR, _period),
    Case("GET", f"{P}/skp/distribution", READERS, lambda org: {"query": AGENCY}),
    Case("GET", f"{P}/skp/{{id}}", PERF, _skp),
    Case("POST", f"{P}/skp/{{id}}/rating", HR, _skp),
    Case(
        "POST",
        f"{P}/discipline/cases",
        DISC_HANDLE,
        lambda org: {
            "body": {"nip": org["a"]["staff"].nip, "allegation": "Tidak masuk kerja tanpa alasan"}
        },
        # Another agency's handler is told the NIP is unknown (422), as for a NIP that does not exist.
        refused=(401, 403, 404, 422),
    ),
    Case("GET", f"{P}/discipline/cases/{{number}}", DISC_READ, _case),
    Case("POST", f"{P}/discipline/cases/{{number}}/summons", DISC_HANDLE, _case),
    Case("POST", f"{P}/discipline/cases/{{number}}/examinations", DISC_HANDLE, _summoned),
    Case(
        "POST", f"{P}/discipline/cases/{{number}}/decision", {"kepegawaian", "pimpinan"}, _examined
    ),
    Case(
        "POST", f"{P}/discipline/cases/{{number}}/delivery", {"kepegawaian", "pimpinan"}, _delivery
    ),
    Case(
        "POST",
        f"{P}/discipline/cases/{{number}}/deemed-delivery",
        {"kepegawaian", "pimpinan"},
        _deemed_delivery,
    ),
    Case("POST", f"{P}/discipline/cases/{{number}}/appeal", HR, _decided),
    Case(
        "POST",
        f"{P}/discipline/cases/{{number}}/appeal/decision",
        {"kepegawaian", "pimpinan"},
        _appealed,
    ),
    Case(
        "POST",
        f"{P}/awards",
        {"kepegawaian", "pimpinan"},
        lambda org: {
            "body": {
                "nip": org["a"]["staff"].nip,
                "kind": "pelayanan",
                "title": "Pelayan prima",
                "reason": "Rating 4,9",
                "year": helpers.today().year,
            }
        },
    ),
    Case("POST", f"{P}/awards/{{id}}/decision", {"pimpinan"}, _award),
    Case("GET", f"{P}/index/units", READERS, lambda org: {"query": AGENCY}),
    Case("POST", f"{P}/imports/{{kind}}", HR, _import),
    Case("POST", f"{P}/employees/{{nip}}/enrolments", HR, _program),
    Case("POST", f"{P}/trainings/{{id}}/complete", HR, _enrolment),
    Case(
        "POST",
        f"{P}/competency/requirements",
        HR,
        lambda org: {
            "body": {
                "position": "Pengadministrasi",
                "competency": "komunikasi",
                "level": 3,
                "agency": "kab-a",
            }
        },
    ),
    Case("GET", f"{P}/competency/requirements", READERS, lambda org: {"query": AGENCY}),
    Case("DELETE", f"{P}/competency/requirements/{{id}}", HR, _requirement),
    Case("GET", f"{P}/competencies", READERS, lambda org: {"query": AGENCY}),
    Case(
        "POST",
        f"{P}/competencies",
        HR,
        lambda org: {"body": {"agency": "kab-a", "code": "adminduk", "name": "Adminduk"}},
    ),
    Case("PATCH", f"{P}/competencies/{{code}}", HR, _own_competency),
    Case(
        "POST",
        f"{P}/employees/{{nip}}/assessments",
        HR,
        lambda org: {
            "params": _nip(org),
            "body": {
                "competency": "komunikasi",
                "level": 2,
                "assessed_on": helpers.today().isoformat(),
            },
        },
    ),
    Case("GET", f"{P}/mentoring", HR, lambda org: {"query": AGENCY}),
    Case(
        "POST",
        f"{P}/mentoring",
        HR,
        lambda org: {
            "body": {
                "mentor": org["a"]["kabid"].nip,
                "mentee": org["a"]["staff"].nip,
                "goals": "Menguasai SIAK",
                "start": helpers.today().isoformat(),
            }
        },
        # Another agency's HR is told the NIPs are unknown (422), as for NIPs that do not exist.
        refused=(401, 403, 404, 422),
    ),
    Case("POST", f"{P}/mentoring/{{id}}/sessions", HR, _pair),
    Case("POST", f"{P}/skp/{{id}}/objection-response", HR, _objected),
    Case("POST", f"{P}/skp/{{id}}/objection", set(), _rated_skp_of_admin),
    Case("GET", f"{P}/employees/{{nip}}/skp", PERF, lambda org: {"params": _nip(org)}),
    Case(
        "POST",
        f"{P}/transfers",
        HR,
        lambda org: {
            "body": {
                "nip": org["b"]["staff"].nip,
                "unit": "kab-a-dafduk",
                "position": "Analis",
                "sk_number": "821/7",
                "sk_date": helpers.today().isoformat(),
            }
        },
    ),
    Case("GET", f"{P}/transfers", HR, lambda org: {"query": AGENCY}),
    # The receiving agency's HR reads the request too; only the origin's decides it.
    Case("GET", f"{P}/transfers/{{id}}", HR, _transfer, cross_agency=HR),
    Case("POST", f"{P}/transfers/{{id}}/decision", HR, _transfer),
    Case(
        "GET",
        f"{P}/exports/{{kind}}",
        HR,
        lambda org: {"params": {"kind": "diklat"}, "query": AGENCY},
    ),
]
