"""A case referred straight from "diterima" is acknowledged by the referral notice (as an assessment
acknowledges), and a case no longer open owes no acknowledgment (EU Directive 2019/1937 Art. 9(1)(b)):
neither the API nor the staff list reports a pending acknowledgment deadline for it."""

import pytest

pytestmark = pytest.mark.django_db
BASE = "/api/v1/integrity"


def test_a_case_referred_from_receipt_is_acknowledged(make_case, users, api_as):
    from amanah.integrity import services

    insp = users[("inspektorat", "a")]
    report = make_case()
    assert report.acknowledge_due is not None
    report = services.refer(insp, report.pk, body="kpk")
    assert report.acknowledged_on == report.referred_on
    case = api_as(insp).get(f"{BASE}/cases/{report.pk}").json()
    assert case["status"] == "dirujuk" and case["acknowledge_due"] is None
    listed = api_as(insp).get(f"{BASE}/cases").json()["items"]
    assert next(c for c in listed if c["id"] == report.pk)["acknowledge_due"] is None


def test_a_closed_case_never_acknowledged_owes_no_acknowledgment(make_case):
    from amanah.integrity.models import Report

    report = make_case()
    Report.objects.filter(pk=report.pk).update(status="ditutup", closed_on=report.created_on)
    report.refresh_from_db()
    assert report.acknowledged_on is None and report.acknowledge_due is None
