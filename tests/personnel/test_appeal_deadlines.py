"""The deadlines of an administrative appeal against a sanction: filing within 14 working days
(PP 79/2021 Pasal 11(3) as reported; Permenkumham 24/2023 Pasal 34(4)), and a keberatan ruled on
within 21 working days of receipt (PP 79/2021 as explained by BKPSDM Banggai), both counted in the
agency's own working days; an undecided keberatan past its ruling deadline is shown as late to HR on
the case, in the case list and in the API. No national holiday falls in October–November 2026; the
agency's own closure on 7 October is the day off the counts must skip."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from amanah.personnel import services

from . import helpers

pytestmark = pytest.mark.django_db
P = "/api/v1/personnel"

DECIDED = helpers.OCTOBER_DECISION  # a Thursday


def _decided_keberatan_case(people, org, clock, capture=None, delivered_on=DECIDED):
    """A sedang sanction decided on 1 October 2026 by the Kadis, after an examination in August, and
    handed to the ASN on ``delivered_on`` (the decision day; None: not yet) (the mails queued by the
    decision sent when ``capture`` is given)."""
    case = helpers.examined_in_august(org, bap_number="BAP/7")
    return helpers.decide_sedang(
        people,
        org,
        clock,
        case,
        decision_number="800/31",
        delivered_on=delivered_on,
        capture=capture,
    )


def test_the_appeal_deadline_is_14_working_days_and_skips_the_agencys_closure(people, org, clock):
    case = _decided_keberatan_case(people, org, clock)
    # 2 Oct (1), 5–9 Oct less the closed 7th (5), 12–16 (10), 19–22 (14). With the old 15 days it
    # was 23 October.
    assert case.appeal_due == dt.date(2026, 10, 22)
    clock.set(dt.date(2026, 10, 23))  # a day late: refused, whatever date is typed
    with pytest.raises(ValidationError) as exc:
        services.file_appeal(people["asn"], case, filed_on=dt.date(2026, 10, 22), grounds="Berat")
    assert "sudah lewat" in exc.value.message_dict["filed_on"][0]
    clock.set(dt.date(2026, 10, 22))  # the last day: received in time
    appeal = services.file_appeal(
        people["asn"], case, filed_on=dt.date(2026, 10, 22), grounds="Pemeriksaan tanpa saksi"
    )
    assert appeal.kind == "keberatan"


def test_a_keberatan_must_be_ruled_on_within_21_working_days_and_is_shown_late_after(
    people, org, clock, client, api_as
):
    case = _decided_keberatan_case(people, org, clock)
    clock.set(dt.date(2026, 10, 6))
    appeal = services.file_appeal(
        people["asn"], case, filed_on=dt.date(2026, 10, 5), grounds="Pemeriksaan tanpa saksi"
    )
    # From Monday 5 October: 6 (1), 8–9 (3; the 7th is closed), 12–16 (8), 19–23 (13), 26–30 (18),
    # 2–4 November (21).
    assert appeal.ruling_due == dt.date(2026, 11, 4)

    clock.set(dt.date(2026, 11, 4))  # the last day: not late yet
    client.force_login(people["hr"])
    r = client.get(f"/kepegawaian/disiplin/{case.number}/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "Batas putusan keberatan: 4 November 2026." in page
    assert "Putusan keberatan terlambat" not in page
    listing = client.get(f"/kepegawaian/disiplin/?instansi={org['a']['agency'].code}")
    assert "putusan keberatan terlambat" not in listing.content.decode()
    r = api_as(people["hr"]).get(f"{P}/discipline/cases/{case.number}")
    assert r.json()["appeal"]["ruling_due"] == "2026-11-04"
    assert r.json()["appeal"]["ruling_overdue"] is False

    clock.set(dt.date(2026, 11, 5))  # a day past it, still undecided: late, for HR to see
    client.force_login(people["hr"])
    page = client.get(f"/kepegawaian/disiplin/{case.number}/").content.decode()
    assert "Putusan keberatan terlambat: batasnya sudah lewat." in page
    listing = client.get(f"/kepegawaian/disiplin/?instansi={org['a']['agency'].code}")
    assert "putusan keberatan terlambat (batas 4 November 2026)" in listing.content.decode()
    assert (
        api_as(people["hr"])
        .get(f"{P}/discipline/cases/{case.number}")
        .json()["appeal"]["ruling_overdue"]
    )

    services.decide_appeal(
        people["hr"], case, outcome="ditolak", decided_on=dt.date(2026, 11, 5)
    )  # ruled on, late: no longer waiting
    page = client.get(f"/kepegawaian/disiplin/{case.number}/").content.decode()
    assert "Putusan keberatan terlambat" not in page
    assert (
        not api_as(people["hr"])
        .get(f"{P}/discipline/cases/{case.number}")
        .json()["appeal"]["ruling_overdue"]
    )


def test_a_banding_has_no_ruling_deadline_in_the_agency(people, org, clock):
    """BPASN rules on a banding outside the agency: no deadline is set for the agency."""
    a = org["a"]
    case = helpers.decided_case(a, dt.date(2026, 10, 1), level="berat", sanction="pemberhentian")
    case.appeal_due = dt.date(2026, 10, 21)
    case.save()
    clock.set(dt.date(2026, 10, 2))
    appeal = services.file_appeal(
        people["hr"], case, filed_on=dt.date(2026, 10, 2), grounds="Tidak terbukti"
    )
    assert appeal.kind == "banding" and appeal.ruling_due is None
    assert not appeal.ruling_overdue(dt.date(2027, 6, 1))


def test_the_decision_mail_writes_the_last_day_as_the_pages_do(
    people, org, clock, smtp, django_capture_on_commit_callbacks
):
    """One way of writing a date in personnel mail: "22 Oktober 2026", as on the pages (it was
    "Kamis, 22 Oktober 2026" here, beside the bare dates of the other mails)."""
    _decided_keberatan_case(people, org, clock, django_capture_on_commit_callbacks)
    (mail,) = smtp.wait(1)
    assert "Keberatan dapat diajukan paling lambat 22 Oktober 2026." in mail["body"]
    assert "Kamis" not in mail["body"]
