"""The case workflow through the staff API: assessment, examination under PP 94/2021, finding and
sanction, referral, conflict of interest, identity disclosure, protection."""

import datetime as dt

import pytest

from .conftest import SECRET

pytestmark = pytest.mark.django_db

BASE = "/api/v1/integrity"


@pytest.fixture
def insp(users, api_as):
    return api_as(users[("inspektorat", "a")])


def test_full_case_from_report_to_finding_and_discipline(
    org, users, file_report, reporter, insp, make_user
):
    from amanah.core.calendar import Calendar
    from amanah.integrity.models import Report

    receipt = file_report()
    case_id = Report.objects.get().pk
    assert insp.post(f"{BASE}/cases/{case_id}/acknowledge", {}).status_code == 200
    r = insp.post(
        f"{BASE}/cases/{case_id}/assess",
        {
            "credibility": "tinggi",
            "seriousness": "tinggi",
            "retaliation_risk": "sedang",
            "decision": "periksa",
        },
    )
    assert (
        r.status_code == 200
        and r.json()["status"] == "diperiksa"
        and r.json()["priority"] == "tinggi"
    )
    investigator = make_user("inspektorat", org["a"]["agency"])
    assert (
        insp.post(
            f"{BASE}/cases/{case_id}/assign", {"user": investigator.pk, "lead": True}
        ).status_code
        == 200
    )
    assert (
        insp.post(
            f"{BASE}/cases/{case_id}/plan", {"plan": "Periksa terlapor dan dua saksi."}
        ).status_code
        == 200
    )
    # The investigator asks, the reporter answers.
    assert (
        insp.post(
            f"{BASE}/cases/{case_id}/messages", {"body": "Berapa yang diminta?", "question": True}
        ).status_code
        == 201
    )
    client = reporter(receipt)
    assert client.get(f"{BASE}/me").json()["messages"][-1]["kind"] == "pertanyaan"
    assert client.post(f"{BASE}/me/messages", {"body": "Rp2.500.000 tunai."}).status_code == 201
    detail = insp.get(f"{BASE}/cases/{case_id}").json()
    assert (
        detail["messages"][-1]["body"] == "Rp2.500.000 tunai." and detail["description"] == SECRET
    )
    assert "reporter_name" not in detail and "reporter_contact" not in detail

    # Summons: too short a notice is refused; then two missed summons allow a decision on the evidence.
    cal = Calendar(org["a"]["agency"])
    # In the past, so that the hearings have been held when the absences are recorded.
    issued = cal.add(cal.local_date(), -25)
    r = insp.post(
        f"{BASE}/cases/{case_id}/summons",
        {
            "person": "Staf a (terlapor)",
            "issued_on": issued.isoformat(),
            "hearing_on": cal.add(issued, 6).isoformat(),
        },
    )
    assert r.status_code == 422 and r.json()["error"] == "notice_too_short"
    first_hearing = cal.add(issued, 7)
    r = insp.post(
        f"{BASE}/cases/{case_id}/summons",
        {
            "person": "Staf a (terlapor)",
            "issued_on": issued.isoformat(),
            "hearing_on": first_hearing.isoformat(),
        },
    )
    assert r.status_code == 201
    first = r.json()["id"]
    r = insp.post(
        f"{BASE}/cases/{case_id}/summons",
        {
            "person": "Staf a (terlapor)",
            "number": 2,
            "issued_on": first_hearing.isoformat(),
            "hearing_on": cal.add(first_hearing, 7).isoformat(),
        },
    )
    assert r.status_code == 422 and r.json()["error"] == "first_not_missed"
    r = insp.post(f"{BASE}/cases/{case_id}/summons/{first}/attendance", {"attended": False})
    assert r.json()["decide_on_evidence"] is False
    r = insp.post(
        f"{BASE}/cases/{case_id}/summons",
        {
            "person": "Staf a (terlapor)",
            "number": 2,
            "issued_on": first_hearing.isoformat(),
            "hearing_on": cal.add(first_hearing, 7).isoformat(),
        },
    )
    assert r.status_code == 201
    r = insp.post(
        f"{BASE}/cases/{case_id}/summons/{r.json()['id']}/attendance", {"attended": False}
    )
    assert r.json()["decide_on_evidence"] is True
    assert (
        insp.post(
            f"{BASE}/cases/{case_id}/records",
            {
                "held_on": "2026-12-20",
                "examined": "Saksi 1",
                "content": "Saksi melihat penyerahan uang.",
            },
        ).status_code
        == 201
    )
    # Finding: a sanction must match its PP 94/2021 level.
    r = insp.post(
        f"{BASE}/cases/{case_id}/finding",
        {
            "outcome": "terbukti",
            "note": "Terbukti.",
            "sanction_level": "ringan",
            "sanction": "tukin_25_6",
        },
    )
    assert r.status_code == 422 and r.json()["error"] == "level_mismatch"
    r = insp.post(
        f"{BASE}/cases/{case_id}/finding",
        {
            "outcome": "terbukti",
            "note": "Terbukti.",
            "sanction_level": "sedang",
            "sanction": "tukin_25_6",
        },
    )
    assert r.status_code == 200, r.content
    assert (
        r.json()["status"] == "selesai"
        and r.json()["outcome"] == "terbukti"
        and r.json()["sanction_level"] == "sedang"
    )
    me = client.get(f"{BASE}/me").json()
    assert me["status"] == "selesai" and me["outcome"] == "terbukti"
    # Personnel's discipline case was opened, with the case number and nothing about the reporter.
    report = Report.objects.get()
    from amanah.personnel.models import DisciplineCase

    dc = DisciplineCase.objects.get(source_reference=report.case_number)
    assert dc.employee == org["a"]["staff"] and dc.source == "integritas"
    assert "Budi" not in dc.allegation and report.discipline_case_ref == dc.number
    # A finished case takes no new finding.
    r = insp.post(f"{BASE}/cases/{case_id}/finding", {"outcome": "tidak_terbukti", "note": "x"})
    assert r.status_code == 409


def test_conflicted_users_get_the_same_answer_as_for_a_missing_case(
    org, make_user, make_case, api_as
):
    report = make_case()  # about the staff member of Bidang Pendaftaran Penduduk
    agency = org["a"]["agency"]
    reported = api_as(make_user("inspektorat", agency, employee=org["a"]["staff"]))
    superior = api_as(make_user("inspektorat", agency, employee=org["a"]["kadis"]))
    bystander = api_as(make_user("inspektorat", agency, employee=org["a"]["inspektur"]))
    missing = report.pk + 999
    for client in (reported, superior):
        here = client.get(f"{BASE}/cases/{report.pk}")
        there = client.get(f"{BASE}/cases/{missing}")
        assert here.status_code == there.status_code == 404
        assert here.json() == there.json()
        assert client.get(f"{BASE}/cases", {"agency": "kab-a"}).json()["items"] == []
        r = client.post(f"{BASE}/cases/{report.pk}/messages", {"body": "halo"})
        assert r.status_code == 404
    assert bystander.get(f"{BASE}/cases/{report.pk}").status_code == 200
    # Declaring a conflict makes the case vanish for that person too.
    assert bystander.post(f"{BASE}/cases/{report.pk}/conflict", {}).status_code == 204
    assert bystander.get(f"{BASE}/cases/{report.pk}").status_code == 404


def test_report_about_the_inspectorate_head_goes_to_the_parent_agency(
    org, make_case, make_user, api_as, users
):
    from amanah.core.models import Agency

    parent = Agency.objects.create(code="prov-x", name="Pemerintah Provinsi X", kind="provinsi")
    org["a"]["agency"].parent = parent
    org["a"]["agency"].save()
    o = org["a"]
    report = make_case(
        reported_name=o["inspektur"].name,
        reported_nip=o["inspektur"].nip,
        reported_unit=o["insp"].code,
    )
    assert report.escalated and report.handling_agency == parent
    assert api_as(users[("inspektorat", "a")]).get(f"{BASE}/cases/{report.pk}").status_code == 404
    provincial = api_as(make_user("inspektorat", parent))
    assert provincial.get(f"{BASE}/cases/{report.pk}").status_code == 200
    # The head of the agency (Sekda heads the top unit) is escalated too; without a parent agency the case
    # is handled at the platform level, where only the platform admin sees it.
    report_b = make_case(
        reported_name="Sekda b",
        reported_nip=org["b"]["sekda"].nip,
        reported_agency="kab-b",
        reported_unit=org["b"]["top"].code,
    )
    assert report_b.escalated and report_b.handling_agency is None
    assert api_as(users[("inspektorat", "b")]).get(f"{BASE}/cases/{report_b.pk}").status_code == 404
    assert api_as(users[("admin", None)]).get(f"{BASE}/cases/{report_b.pk}").status_code == 200


def test_identity_disclosure_needs_a_reason_and_a_second_persons_approval(
    org, users, make_case, api_as, reporter
):
    from amanah.core.models import AuditEntry

    report = make_case()
    insp = api_as(users[("inspektorat", "a")])
    assert insp.get(f"{BASE}/cases/{report.pk}/identity").status_code == 403
    r = insp.post(f"{BASE}/cases/{report.pk}/disclosures", {"reason": "perlu"})
    assert r.status_code == 422 and "reason" in r.json()["fields"]
    r = insp.post(
        f"{BASE}/cases/{report.pk}/disclosures",
        {"reason": "Pelapor adalah saksi kunci dan perlu dimintai keterangan resmi."},
    )
    assert r.status_code == 201
    request_id = r.json()["id"]
    # Still refused while pending.
    assert insp.get(f"{BASE}/cases/{report.pk}/identity").status_code == 403
    custodian = api_as(users[("kustodian", "a")])
    assert (
        custodian.get(f"{BASE}/disclosures", {"agency": "kab-a"}).json()["items"][0]["id"]
        == request_id
    )
    # The custodian does not see the case's content.
    assert custodian.get(f"{BASE}/cases/{report.pk}").status_code == 404
    # Not before the reporter consents (SE MenPANRB 8/2012).
    r = custodian.post(f"{BASE}/disclosures/{request_id}/decide", {"approve": True})
    assert r.status_code == 409 and r.json()["error"] == "consent_missing"
    me = reporter(report.receipt)
    assert me.post(f"{BASE}/me/disclosures/{request_id}/consent").status_code == 200
    assert (
        custodian.post(f"{BASE}/disclosures/{request_id}/decide", {"approve": True}).status_code
        == 200
    )
    r = insp.get(f"{BASE}/cases/{report.pk}/identity")
    assert r.status_code == 200 and r.json()["reporter_name"] == "Budi Pelapor"
    actions = list(
        AuditEntry.objects.filter(object_id=str(report.pk)).values_list("action", flat=True)
    )
    assert {
        "integrity.disclosure_requested",
        "integrity.disclosure_answered",
        "integrity.disclosure_decided",
        "integrity.identity_viewed",
    } <= set(actions)
    # The reporter was told, at the request and at the decision.
    texts = [m["body"] for m in reporter(report.receipt).get(f"{BASE}/me").json()["messages"]]
    assert any("meminta izin" in t for t in texts) and any("menyetujui" in t for t in texts)


def test_requester_cannot_approve_own_disclosure(org, make_case, make_user, api_as):
    from amanah.core.models import Role, RoleAssignment

    report = make_case()
    both = make_user("inspektorat", org["a"]["agency"])
    RoleAssignment.objects.create(user=both, role=Role.CUSTODIAN, agency=org["a"]["agency"])
    client = api_as(both)
    r = client.post(
        f"{BASE}/cases/{report.pk}/disclosures",
        {"reason": "Pelapor adalah saksi kunci dan perlu dimintai keterangan resmi."},
    )
    r = client.post(f"{BASE}/disclosures/{r.json()['id']}/decide", {"approve": True})
    assert r.status_code == 403
    assert client.get(f"{BASE}/cases/{report.pk}/identity").status_code == 403


def test_retaliation_sets_protection_flag_that_leadership_sees(
    org, users, make_case, reporter, api_as
):
    report = make_case()
    client = reporter(report.receipt)
    r = client.post(f"{BASE}/me/retaliation", {"kind": "bogus", "description": "x"})
    assert r.status_code == 422
    r = client.post(
        f"{BASE}/me/retaliation",
        {"kind": "mutasi", "description": "Saya dipindah ke kecamatan terjauh."},
    )
    assert r.status_code == 201 and r.json()["protection_flag"] is True
    leaders = (
        api_as(users[("pimpinan", "a")])
        .get(f"{BASE}/protection", {"agency": "kab-a"})
        .json()["items"]
    )
    assert [c["case_number"] for c in leaders] == [report.case_number]
    assert "description" not in leaders[0]
    assert api_as(users[("pimpinan", "a")]).get(f"{BASE}/cases/{report.pk}").status_code == 404


def test_referral_export_leaves_out_the_reporter(org, users, make_case, api_as):
    report = make_case()
    insp = api_as(users[("inspektorat", "a")])
    r = insp.post(
        f"{BASE}/cases/{report.pk}/assess",
        {
            "credibility": "tinggi",
            "seriousness": "tinggi",
            "retaliation_risk": "rendah",
            "decision": "rujuk",
            "referral_body": "kpk",
        },
    )
    assert (
        r.status_code == 200
        and r.json()["status"] == "dirujuk"
        and r.json()["outcome"] == "dirujuk"
    )
    export = insp.get(f"{BASE}/cases/{report.pk}/export")
    assert export.status_code == 200
    text = export.content.decode()
    assert SECRET in text and "Budi Pelapor" not in text and "budi.pelapor@contoh.id" not in text


def test_dismissal_needs_a_reason_for_the_reporter(org, users, make_case, api_as):
    report = make_case()
    insp = api_as(users[("inspektorat", "a")])
    body = {
        "credibility": "rendah",
        "seriousness": "rendah",
        "retaliation_risk": "rendah",
        "decision": "tutup",
    }
    r = insp.post(f"{BASE}/cases/{report.pk}/assess", body)
    assert r.status_code == 422 and "reporter_message" in r.json()["fields"]
    r = insp.post(
        f"{BASE}/cases/{report.pk}/assess",
        {**body, "reporter_message": "Tidak ada petunjuk yang dapat diperiksa."},
    )
    assert r.json()["status"] == "ditutup"


def _received_last_quarter():
    """Move every report into the last calendar quarter that is over: the statistics count closed
    quarters only."""
    from amanah.integrity.models import Report
    from amanah.integrity.selectors import last_closed_quarter

    Report.objects.update(created_on=last_closed_quarter()[1] - dt.timedelta(days=3))


def test_statistics_mask_small_counts(org, make_case, api):
    from amanah.integrity.models import Report

    for _ in range(5):
        make_case()
    make_case(violation_type="korupsi")
    Report.objects.filter(violation_type="korupsi").update(
        outcome="terbukti", sanction_level="berat"
    )
    _received_last_quarter()
    stats = api.get(f"{BASE}/statistics").json()
    assert stats["total"] == 6
    # korupsi alone hidden beside pungutan_liar 5 and the total 6 would be 6 - 5 = 1: the next
    # smallest cell is hidden too (secondary suppression), with the same mark.
    assert stats["by_type"] == {"korupsi": "disembunyikan", "pungutan_liar": "disembunyikan"}
    assert stats["by_status"] == {"diterima": 6}
    assert stats["by_outcome"] == {"terbukti": "disembunyikan"}
    assert stats["by_sanction_level"] == {"berat": "disembunyikan"}
    assert api.get(f"{BASE}/statistics", {"agency": "kab-b"}).json()["total"] == 0


def test_statistics_hide_the_next_smallest_cell(org, make_case, api):
    for _ in range(6):
        make_case(violation_type="gratifikasi")
    for _ in range(5):
        make_case()
    make_case(violation_type="korupsi")
    _received_last_quarter()
    stats = api.get(f"{BASE}/statistics", {"agency": "kab-a"}).json()
    assert stats["total"] == 12
    assert stats["by_type"] == {
        "gratifikasi": 6,
        "korupsi": "disembunyikan",
        "pungutan_liar": "disembunyikan",
    }


def test_statistics_count_one_closed_quarter(org, make_case, api, client):
    """Read on two days, or for two overlapping stretches, counts would tell by subtraction what came
    in between: they are given for one fixed quarter that is over."""
    from amanah.integrity.models import Report
    from amanah.integrity.selectors import last_closed_quarter

    for _ in range(6):
        make_case()
    stats = api.get(f"{BASE}/statistics").json()
    assert stats["total"] == 0 and stats["by_type"] == {}
    start, end = last_closed_quarter()
    assert stats["period"] == {"start": start.isoformat(), "end": end.isoformat()}
    _received_last_quarter()
    assert api.get(f"{BASE}/statistics").json()["by_type"] == {"pungutan_liar": 6}
    # An earlier quarter, asked for by name; a quarter not over yet, or a malformed one, is refused.
    earlier = start - dt.timedelta(days=1)
    code = f"{earlier.year}-Q{(earlier.month - 1) // 3 + 1}"
    Report.objects.update(created_on=earlier)
    assert api.get(f"{BASE}/statistics").json()["by_type"] == {}
    assert api.get(f"{BASE}/statistics", {"quarter": code}).json()["by_type"] == {
        "pungutan_liar": 6
    }
    ongoing = end + dt.timedelta(days=1)
    for bad in (f"{ongoing.year}-Q{(ongoing.month - 1) // 3 + 1}", "2026-Q5", "kemarin"):
        r = api.get(f"{BASE}/statistics", {"quarter": bad})
        assert r.status_code == 400 and r.json()["error"] == "invalid_quarter", bad
        assert "quarter" in r.json()["fields"]
    page = client.get("/integritas/statistik/", {"quarter": code}).content.decode()
    assert f'<option value="{code}" selected>' in page and "<strong>6</strong>" in page
    assert client.get("/integritas/statistik/", {"quarter": "2026-Q9"}).status_code == 400


def test_national_statistics_do_not_give_away_an_agencys_hidden_count(org, make_case, api):
    """The national count is a sum over agencies: beside agency B's published figures it would give
    agency A's one hidden report; an agency with fewer than five reports is left out of it."""
    from amanah.integrity.models import Report

    made = [make_case() for _ in range(8)] + [make_case(violation_type="korupsi")]
    made += [make_case() for _ in range(9)]
    a_reports = made[:9]  # in the order filed (ids are random: they say nothing of it)
    b = org["b"]["agency"]
    Report.objects.exclude(pk__in=[r.pk for r in a_reports]).update(agency=b, handling_agency=b)
    _received_last_quarter()
    in_a = api.get(f"{BASE}/statistics", {"agency": "kab-a"}).json()
    assert in_a["by_type"] == {"korupsi": "disembunyikan", "pungutan_liar": "disembunyikan"}
    assert api.get(f"{BASE}/statistics", {"agency": "kab-b"}).json()["by_type"] == {
        "pungutan_liar": 9
    }
    national = api.get(f"{BASE}/statistics").json()
    # 17 pungutan liar nationally minus B's 9 would give A's 8, and so A's one korupsi report.
    assert national["total"] == 18
    assert national["by_type"] == {"korupsi": "disembunyikan", "pungutan_liar": "disembunyikan"}
    # B with two reports: "< 5" on its own, and left out of the national total (11 - 9 would give 2).
    Report.objects.filter(agency=b).exclude(
        pk__in=Report.objects.filter(agency=b).order_by("id").values("pk")[:2]
    ).delete()
    assert api.get(f"{BASE}/statistics", {"agency": "kab-b"}).json()["total"] == "< 5"
    assert api.get(f"{BASE}/statistics").json()["total"] == 9


def test_statistics_page_hides_the_second_cell(org, make_case, client, settings):
    for _ in range(5):
        make_case()
    make_case(violation_type="korupsi")
    _received_last_quarter()
    html = client.get("/integritas/statistik/").content.decode()
    assert "<strong>6</strong>" in html and html.count(">disembunyikan</td>") == 2
    assert ">5</td>" not in html  # 6 - 5 would give the one korupsi report
    assert ">&lt; 5</td>" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ">hidden</td>" in client.get("/integritas/statistik/").content.decode()


def test_assigning_the_same_investigator_again_changes_nothing(
    org, examined, insp, make_user, smtp, django_capture_on_commit_callbacks
):
    """A second click on "assign" (or two tabs): no second e-mail, no second audit entry."""
    from amanah.core.models import AuditEntry
    from amanah.integrity.models import Assignment

    case_id = examined.pk
    investigator = make_user("inspektorat", org["a"]["agency"], email="pemeriksa@test.id")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            r = insp.post(f"{BASE}/cases/{case_id}/assign", {"user": investigator.pk, "lead": True})
        assert r.status_code == 200 and r.json() == {"ok": True}
    assert len(smtp.to("pemeriksa@test.id")) == 1
    assert AuditEntry.objects.filter(action="integrity.assigned").count() == 1
    assert Assignment.objects.get(report_id=case_id, user=investigator).is_lead
    # Changing whether they lead is a change: saved, audited and mailed.
    with django_capture_on_commit_callbacks(execute=True):
        r = insp.post(f"{BASE}/cases/{case_id}/assign", {"user": investigator.pk, "lead": False})
    assert r.status_code == 200
    assert not Assignment.objects.get(report_id=case_id, user=investigator).is_lead
    assert AuditEntry.objects.filter(action="integrity.assigned").count() == 2
