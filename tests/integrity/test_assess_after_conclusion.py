"""The assessment (ISO 37002 "assess") is made in diterima/ditelaah only, whatever its decision: a
concluded case cannot be "assessed" again with decision "rujuk" (which used to pass as a referral,
allowed from selesai, and rewrote the recorded assessment). A later referral goes through ``refer``."""

import pytest

pytestmark = pytest.mark.django_db
BASE = "/api/v1/integrity"
LOW = {"credibility": "rendah", "seriousness": "rendah", "retaliation_risk": "rendah"}


def _concluded(make_case, insp):
    from amanah.integrity import services

    report = make_case()
    services.assess(
        insp,
        report.pk,
        credibility="tinggi",
        seriousness="tinggi",
        retaliation_risk="tinggi",
        decision="periksa",
        note="Penilaian asli",
    )
    services.record_finding(insp, report.pk, outcome="tidak_terbukti", note="Tidak cukup bukti.")
    return report


def test_a_concluded_case_cannot_be_reassessed_with_a_referral(make_case, users, api_as):
    insp = users[("inspektorat", "a")]
    report = _concluded(make_case, insp)
    r = api_as(insp).post(
        f"{BASE}/cases/{report.pk}/assess",
        {**LOW, "decision": "rujuk", "referral_body": "kpk", "note": "Ditulis ulang"},
    )
    assert r.status_code == 409 and r.json()["error"] == "invalid_state", r.content
    report.refresh_from_db()
    assert report.status == "selesai" and report.assessment_note == "Penilaian asli"
    assert (report.credibility, report.retaliation_risk, report.priority) == (
        "tinggi",
        "tinggi",
        "tinggi",
    )


def test_a_concluded_case_can_still_be_referred(make_case, users, api_as):
    insp = users[("inspektorat", "a")]
    report = _concluded(make_case, insp)
    r = api_as(insp).post(f"{BASE}/cases/{report.pk}/referral", {"body": "kpk"})
    assert r.status_code == 200, r.content
    report.refresh_from_db()
    assert report.status == "dirujuk" and report.assessment_note == "Penilaian asli"


@pytest.mark.parametrize("acknowledged", [False, True])
def test_an_assessment_may_refer_from_receipt_and_review(make_case, users, acknowledged):
    from amanah.integrity import services

    insp = users[("inspektorat", "a")]
    report = make_case()
    if acknowledged:
        services.acknowledge(insp, report.pk)
    report = services.assess(insp, report.pk, **LOW, decision="rujuk", referral_body="aph")
    assert report.status == "dirujuk" and report.priority == "rendah" and report.assessed_on
