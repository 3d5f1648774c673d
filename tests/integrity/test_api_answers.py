"""The whistleblowing API's answers are what the OpenAPI document declares for them (each checked against
its schema, ``tests/core/openapi_check.py``), and declaring them changed none: the reporter's case, the
handler's case, the export and the statistics are exactly what the selectors build."""

import datetime as dt

import pytest

from tests.core.openapi_check import answer, as_json

from .conftest import jpeg_with_metadata, upload

pytestmark = pytest.mark.django_db

BASE = "/api/v1/integrity"
DOC = "/api/v1/integrity"


def test_the_reporters_answers(file_report, reporter):
    from amanah.integrity import selectors
    from amanah.integrity.models import Report

    client = reporter(file_report())
    report = Report.objects.get()
    body = answer(client.get(f"{BASE}/me"), "get", f"{DOC}/me")
    assert body == as_json(selectors.reporter_view(report))
    body = answer(
        client.post(f"{BASE}/me/messages", {"body": "Ada tambahan: kuitansinya saya simpan."}),
        "post",
        f"{DOC}/me/messages",
        201,
    )
    # "from" is the key the reporter's messages always had (a Python keyword: the schema's alias)
    assert body["messages"][-1]["from"] == "pelapor"
    assert body == as_json(selectors.reporter_view(Report.objects.get()))
    r = client.client.post(
        f"{BASE}/me/evidence",
        {"evidence": [upload("bukti.jpg", jpeg_with_metadata(), "image/jpeg")]},
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert answer(r, "post", f"{DOC}/me/evidence", 201)["evidence_count"] == 1
    body = answer(
        client.post(
            f"{BASE}/me/retaliation",
            {"kind": "mutasi", "description": "Saya dipindah ke kecamatan terjauh."},
        ),
        "post",
        f"{DOC}/me/retaliation",
        201,
    )
    assert body["protection_flag"] is True


def test_the_reporters_contact_answers(file_report, reporter):
    """Changing and erasing the contact answer the reporter's case, which says only whether a contact
    is given and whether news goes to it."""
    from amanah.integrity import selectors
    from amanah.integrity.models import Report

    client = reporter(file_report())
    refused = answer(
        client.put(f"{BASE}/me/contact", {"contact": "baru@pribadi.id 0812 3456 7890"}),
        "put",
        f"{DOC}/me/contact",
        422,
    )
    assert refused["error"] == "invalid_input" and set(refused["fields"]) == {"contact"}
    body = answer(
        client.put(f"{BASE}/me/contact", {"contact": "baru@pribadi.id"}),
        "put",
        f"{DOC}/me/contact",
    )
    assert body == as_json(selectors.reporter_view(Report.objects.get()))
    assert (body["contact_given"], body["news_by_mail"]) == (True, True)
    body = answer(client.delete(f"{BASE}/me/contact"), "delete", f"{DOC}/me/contact")
    assert body == as_json(selectors.reporter_view(Report.objects.get()))
    assert (body["contact_given"], body["news_by_mail"]) == (False, False)


def test_the_handlers_answers(org, users, api_as, make_case, make_user, reporter):
    from amanah.core.calendar import Calendar
    from amanah.integrity import selectors
    from amanah.integrity.models import Report

    insp = api_as(users[("inspektorat", "a")])
    report = make_case()
    receipt, case = report.receipt, f"{BASE}/cases/{report.pk}"

    page = answer(insp.get(f"{BASE}/cases"), "get", f"{DOC}/cases")
    assert page["items"] == [as_json(selectors.case_summary(report))]
    answer(insp.post(f"{case}/acknowledge", {}), "post", f"{DOC}/cases/{{id}}/acknowledge")
    body = answer(
        insp.post(
            f"{case}/assess",
            {
                "credibility": "tinggi",
                "seriousness": "tinggi",
                "retaliation_risk": "sedang",
                "decision": "periksa",
            },
        ),
        "post",
        f"{DOC}/cases/{{id}}/assess",
    )
    assert body == as_json(selectors.case_summary(Report.objects.get(pk=report.pk)))
    investigator = make_user("inspektorat", org["a"]["agency"])
    assert answer(
        insp.post(f"{case}/assign", {"user": investigator.pk}), "post", f"{DOC}/cases/{{id}}/assign"
    ) == {"ok": True}
    assert answer(
        insp.post(f"{case}/plan", {"plan": "Periksa terlapor."}), "post", f"{DOC}/cases/{{id}}/plan"
    ) == {"ok": True}
    assert answer(
        insp.post(f"{case}/reported", {"nip": org["a"]["staff"].nip}),
        "post",
        f"{DOC}/cases/{{id}}/reported",
    ) == {"escalated": False}
    cal = Calendar(org["a"]["agency"])
    issued = cal.add(cal.local_date(), -25)
    summons = answer(
        insp.post(
            f"{case}/summons",
            {
                "person": "Saksi 1",
                "issued_on": issued.isoformat(),
                "hearing_on": cal.add(issued, 7).isoformat(),
            },
        ),
        "post",
        f"{DOC}/cases/{{id}}/summons",
        201,
    )
    assert set(summons) == {"id", "number", "issued_on", "hearing_on"}
    attended = answer(
        insp.post(f"{case}/summons/{summons['id']}/attendance", {"attended": True}),
        "post",
        f"{DOC}/cases/{{id}}/summons/{{summons_id}}/attendance",
    )
    assert attended == {"id": summons["id"], "attended": True, "decide_on_evidence": False}
    answer(
        insp.post(
            f"{case}/records",
            {"held_on": issued.isoformat(), "examined": "Saksi 1", "content": "Keterangan."},
        ),
        "post",
        f"{DOC}/cases/{{id}}/records",
        201,
    )
    answer(
        insp.post(f"{case}/messages", {"body": "Kapan kejadiannya?", "question": True}),
        "post",
        f"{DOC}/cases/{{id}}/messages",
        201,
    )
    report = Report.objects.get(pk=report.pk)
    detail = answer(insp.get(case), "get", f"{DOC}/cases/{{id}}")
    assert detail == as_json(selectors.case_detail(report))
    assert detail["summons"] and detail["records"] and detail["assignments"]

    # the identity, once the reporter consented and a custodian approved
    asked = answer(
        insp.post(
            f"{case}/disclosures",
            {"reason": "Pelapor adalah saksi kunci dan perlu dimintai keterangan resmi."},
        ),
        "post",
        f"{DOC}/cases/{{id}}/disclosures",
        201,
    )
    custodian = api_as(users[("kustodian", "a")])
    page = answer(custodian.get(f"{BASE}/disclosures"), "get", f"{DOC}/disclosures")
    assert [d["id"] for d in page["items"]] == [asked["id"]]
    answer(
        reporter(receipt).post(f"{BASE}/me/disclosures/{asked['id']}/consent"),
        "post",
        f"{DOC}/me/disclosures/{{id}}/consent",
    )
    assert answer(
        custodian.post(f"{BASE}/disclosures/{asked['id']}/decide", {"approve": True}),
        "post",
        f"{DOC}/disclosures/{{id}}/decide",
    ) == {"id": asked["id"], "state": "disetujui"}
    assert answer(insp.get(f"{case}/identity"), "get", f"{DOC}/cases/{{id}}/identity") == {
        "reporter_name": "Budi Pelapor",
        "reporter_contact": "budi.pelapor@contoh.id",
        "may_contact": True,
    }

    body = answer(
        insp.post(f"{case}/finding", {"outcome": "tidak_terbukti", "note": "Tidak terbukti."}),
        "post",
        f"{DOC}/cases/{{id}}/finding",
    )
    assert body["outcome"] == "tidak_terbukti"
    report = Report.objects.get(pk=report.pk)
    export = answer(insp.get(f"{case}/export"), "get", f"{DOC}/cases/{{id}}/export")
    assert export == as_json(selectors.export_case(report))


def test_the_evidence_file_answers_its_own_type(file_report, users, api_as):
    from amanah.integrity.models import Report

    file_report(evidence=[upload("bukti.jpg", jpeg_with_metadata(), "image/jpeg")])
    report = Report.objects.get()
    evidence = report.evidence.get()
    r = api_as(users[("inspektorat", "a")]).get(f"{BASE}/cases/{report.pk}/evidence/{evidence.pk}")
    assert answer(r, "get", f"{DOC}/cases/{{id}}/evidence/{{evidence_id}}").startswith(b"\xff\xd8")


def test_the_protection_list_and_the_statistics(org, users, api_as, api, make_case, reporter):
    from amanah.integrity import selectors
    from amanah.integrity.models import Report

    reports = [make_case() for _ in range(5)] + [make_case(violation_type="korupsi")]
    reporter(reports[0].receipt).post(
        f"{BASE}/me/retaliation",
        {"kind": "mutasi", "description": "Saya dipindah ke kecamatan terjauh."},
    )
    page = answer(
        api_as(users[("pimpinan", "a")]).get(f"{BASE}/protection"), "get", f"{DOC}/protection"
    )
    assert [c["case_number"] for c in page["items"]] == [reports[0].case_number]

    Report.objects.update(created_on=selectors.last_closed_quarter()[1] - dt.timedelta(days=3))
    stats = answer(api.get(f"{BASE}/statistics"), "get", f"{DOC}/statistics")
    assert stats == as_json(selectors.statistics())
    # numbers, "< 5" and "disembunyikan" (hidden) all fit the declared counts
    assert stats["total"] == 6 and stats["protection_cases"] == "disembunyikan"
    assert stats["by_type"] == {"korupsi": "disembunyikan", "pungutan_liar": "disembunyikan"}
    agency = answer(api.get(f"{BASE}/statistics", {"agency": "kab-a"}), "get", f"{DOC}/statistics")
    assert agency == as_json(selectors.statistics(org["a"]["agency"].pk))
    assert agency["protection_cases"] == "< 5"
