"""The appeal deadline counts from the day the ASN received the sanction decision (PP 79/2021 as
reported; Permenkumham 24/2023 Pasal 34(4): "terhitung mulai tanggal Keputusan … diterima"), not
from the decision date: HR records that day with the decision or afterwards, and until it does the
deadline is not running. A decision handed over days late must not shorten the 14 working days.

The sanction is decided on Thursday 1 October 2026; the agency is closed on Wednesday 7 October, and
no national holiday falls in October–November 2026."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amanah.core.models import AuditEntry
from amanah.personnel import models as m
from amanah.personnel import services
from tests.complaints.conftest import WIB
from tests.i18n import client_in

from . import helpers

pytestmark = pytest.mark.django_db
P = "/api/v1/personnel"

DECIDED = helpers.OCTOBER_DECISION
#: Six working days after the decision (2, 5, 6, 8, 9, 12 October).
DELIVERED = dt.date(2026, 10, 12)
#: 14 working days after the delivery (13–16, 19–23, 26–30 October), 20 after the decision.
DUE = dt.date(2026, 10, 30)
#: 15 working days after the delivery.
ONE_DAY_LATE = dt.date(2026, 11, 2)


def _examined(org):
    return helpers.examined_in_august(org, bap_number="BAP/7")


def _decide(people, org, clock, delivered_on=None, today=DECIDED, capture=None):
    """A sedang sanction (keberatan) decided on 1 October by the Kadis, recorded on ``today`` (the mails
    its decision queues sent when ``capture``, django_capture_on_commit_callbacks, is given)."""
    return helpers.decide_sedang(
        people,
        org,
        clock,
        _examined(org),
        decision_number="800/31",
        delivered_on=delivered_on,
        today=today,
        capture=capture,
    )


def _appeal(people, case, clock, on):
    clock.set(on)
    return services.file_appeal(people["asn"], case, filed_on=on, grounds="Pemeriksaan tanpa saksi")


def test_an_appeal_14_working_days_after_delivery_is_on_time_though_20_after_the_decision(
    people, org, clock
):
    case = _decide(people, org, clock, delivered_on=DELIVERED, today=DELIVERED)
    assert case.delivered_on == DELIVERED and case.appeal_due == DUE
    appeal = _appeal(people, case, clock, DUE)
    assert appeal.kind == "keberatan"


def test_a_delivery_recorded_after_the_decision_sets_the_deadline(people, org, clock):
    case = _decide(people, org, clock)
    assert case.delivered_on is None and case.appeal_due is None
    clock.set(DELIVERED)
    services.record_delivery(people["hr"], case, delivered_on=DELIVERED)
    case.refresh_from_db()
    assert case.delivered_on == DELIVERED and case.appeal_due == DUE
    entry = AuditEntry.objects.get(action="personnel.discipline_delivered")
    assert entry.object_id == str(case.pk)
    assert entry.details["delivered_on"] == "2026-10-12"
    assert entry.details["before"] is None and entry.details["appeal_due"] == "2026-10-30"
    assert _appeal(people, case, clock, DUE).kind == "keberatan"


def test_an_appeal_15_working_days_after_delivery_is_refused(people, org, clock):
    case = _decide(people, org, clock, delivered_on=DELIVERED, today=DELIVERED)
    with pytest.raises(ValidationError) as exc:
        _appeal(people, case, clock, ONE_DAY_LATE)
    assert exc.value.message_dict["filed_on"] == [
        "Batas waktu upaya administratif sudah lewat (30 Oktober 2026)."
    ]
    assert not m.Appeal.objects.filter(case=case).exists()


def test_without_a_recorded_delivery_the_deadline_is_not_running(people, org, clock, client):
    case = _decide(people, org, clock)
    client.force_login(people["asn"])
    page = client.get(f"/kepegawaian/disiplin/{case.number}/").content.decode()
    assert "Batas upaya administratif: menunggu tanggal penyerahan SK." in page
    assert 'value="appeal"' in page  # the ASN may still appeal
    # Three months on, still not recorded: the deadline cannot have passed.
    appeal = _appeal(people, case, clock, dt.date(2027, 1, 4))
    assert appeal.kind == "keberatan"


def test_a_delivery_before_the_decision_or_in_the_agencys_future_is_refused(people, org, clock):
    case = _decide(people, org, clock)
    with pytest.raises(ValidationError) as exc:
        services.record_delivery(people["hr"], case, delivered_on=DECIDED - dt.timedelta(days=1))
    assert exc.value.message_dict == {
        "delivered_on": ["Tanggal SK diterima tidak boleh sebelum tanggal keputusan."]
    }
    # An agency in WIT: at 23:30 in Jakarta it is already 13 October there, not yet the 14th.
    agency = org["a"]["agency"]
    agency.time_zone = "Asia/Jayapura"
    agency.save()
    case.refresh_from_db()
    clock.set(dt.datetime(2026, 10, 12, 23, 30, tzinfo=WIB))
    with pytest.raises(ValidationError) as exc:
        services.record_delivery(people["hr"], case, delivered_on=dt.date(2026, 10, 14))
    assert exc.value.message_dict == {
        "delivered_on": ["Tanggal SK diterima tidak boleh di masa depan."]
    }
    services.record_delivery(people["hr"], case, delivered_on=dt.date(2026, 10, 13))
    assert not AuditEntry.objects.filter(
        action="personnel.discipline_delivered", details__delivered_on="2026-10-14"
    ).exists()
    # With the decision: the same checks.
    other = _examined(org)
    with pytest.raises(ValidationError) as exc:
        services.decide_case(
            people["hr"],
            other,
            proven=True,
            official=org["a"]["kadis"],
            decision_number="800/32",
            decided_on=dt.date(2026, 10, 5),
            level="sedang",
            sanction="tukin_25_6",
            delivered_on=DECIDED,
        )
    assert "delivered_on" in exc.value.message_dict
    other.refresh_from_db()
    assert other.status == m.CaseStatus.EXAMINED  # nothing saved


def test_the_asn_does_not_record_their_own_delivery(people, org, clock):
    case = _decide(people, org, clock)
    clock.set(DELIVERED)
    with pytest.raises(PermissionDenied):
        services.record_delivery(people["asn"], case, delivered_on=DELIVERED)


def test_the_case_page_records_the_delivery_and_keeps_a_refused_date(people, org, clock, client):
    case = _decide(people, org, clock)
    clock.set(DELIVERED)
    client.force_login(people["hr"])
    url = f"/kepegawaian/disiplin/{case.number}/"
    page = client.get(url).content.decode()
    assert 'value="delivery"' in page and "Batas upaya administratif belum berjalan" in page
    r = client.post(url, {"action": "delivery", "delivered_on": "2026-09-30"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "Tanggal SK diterima tidak boleh sebelum tanggal keputusan." in page
    assert 'value="2026-09-30"' in page  # what was typed stays
    r = client.post(url, {"action": "delivery", "delivered_on": "2026-10-12"})
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert "SK diterima pegawai: 12 Oktober 2026." in page
    assert "Batas upaya administratif: 30 Okt 2026." in page
    # The ASN sees no such form on their own case.
    client.force_login(people["asn"])
    assert 'value="delivery"' not in client.get(url).content.decode()


def test_the_deadline_passed_refusal_on_the_page_writes_the_day_as_people_read_it(
    people, org, clock, client
):
    case = _decide(people, org, clock, delivered_on=DELIVERED, today=DELIVERED)
    clock.set(ONE_DAY_LATE)
    url = f"/kepegawaian/disiplin/{case.number}/"
    typed = {"action": "appeal", "filed_on": "2026-10-30", "grounds": "Saksi tidak didengar"}
    client.force_login(people["asn"])
    r = client.post(url, typed)
    assert r.status_code == 400
    page = r.content.decode()
    assert "Batas waktu upaya administratif sudah lewat (30 Oktober 2026)." in page
    assert "2026-10-30)" not in page
    assert "Saksi tidak didengar" in page  # the grounds typed stay
    english = client_in("en")
    english.force_login(people["asn"])
    page = english.post(url, typed).content.decode()
    assert re.search(r"\(30 October 2026\)", page), (
        "the refusal in English names the day in English"
    )


def test_the_api_records_the_delivery_and_refuses_late_appeals_with_the_iso_day(
    people, org, clock, api_as
):
    case = _decide(people, org, clock)
    hr = api_as(people["hr"])
    url = f"{P}/discipline/cases/{case.number}"
    body = hr.get(url).json()
    assert body["delivered_on"] is None and body["appeal_due"] is None
    assert body["appeal_awaits_delivery"] is True
    clock.set(DELIVERED)
    r = hr.post(f"{url}/delivery", {"delivered_on": "2026-10-13"})
    assert r.status_code == 422
    assert r.json()["error"] == "invalid_input"
    assert r.json()["fields"]["delivered_on"] == "Tanggal SK diterima tidak boleh di masa depan."
    r = hr.post(f"{url}/delivery", {"delivered_on": "2026-10-12"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["delivered_on"] == "2026-10-12" and body["appeal_due"] == "2026-10-30"
    assert body["appeal_awaits_delivery"] is False
    assert (
        api_as(people["asn"]).post(f"{url}/delivery", {"delivered_on": "2026-10-12"}).status_code
        == 403
    )

    clock.set(ONE_DAY_LATE)
    r = api_as(people["asn"]).post(
        f"{url}/appeal", {"filed_on": "2026-10-30", "grounds": "Saksi tidak didengar"}
    )
    assert r.status_code == 422
    err = r.json()
    assert err["error"] == "appeal_deadline_passed"
    assert err["message"] == "Batas waktu upaya administratif sudah lewat (2026-10-30)."
    assert err["fields"] == {"filed_on": err["message"]}

    clock.set(DUE)
    r = api_as(people["asn"]).post(
        f"{url}/appeal", {"filed_on": "2026-10-30", "grounds": "Saksi tidak didengar"}
    )
    assert r.status_code == 201
    # Filed: the delivery that set its deadline is no longer changed.
    r = hr.post(f"{url}/delivery", {"delivered_on": "2026-10-13"})
    assert r.status_code == 409 and r.json()["error"] == "already_appealed"


def test_the_decision_through_the_api_takes_the_delivery(people, org, clock, api_as):
    case = _examined(org)
    clock.set(DELIVERED)
    r = api_as(people["hr"]).post(
        f"{P}/discipline/cases/{case.number}/decision",
        {
            "proven": True,
            "official": org["a"]["kadis"].nip,
            "decision_number": "800/31",
            "decided_on": DECIDED.isoformat(),
            "level": "sedang",
            "sanction": "tukin_25_6",
            "delivered_on": DELIVERED.isoformat(),
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["delivered_on"] == "2026-10-12" and r.json()["appeal_due"] == "2026-10-30"


def test_the_decision_mail_without_a_delivery_says_the_deadline_runs_from_receipt(
    people, org, clock, smtp, django_capture_on_commit_callbacks
):
    case = _decide(people, org, clock, capture=django_capture_on_commit_callbacks)
    (mail,) = smtp.wait(1)
    assert (
        "Keberatan dapat diajukan paling lambat 14 hari kerja sejak keputusan Anda terima."
        in (mail["body"])
    )
    assert "ringan" not in mail["body"]
    clock.set(DELIVERED)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_delivery(people["hr"], case, delivered_on=DELIVERED)
    mails = smtp.wait(2)
    assert "Keberatan dapat diajukan paling lambat 30 Oktober 2026." in mails[-1]["body"]
    assert "12 Oktober 2026" in mails[-1]["body"]


def test_a_case_awaiting_delivery_keeps_its_asn_from_moving(people, org):
    """A transfer waits for a case still open to an appeal; one whose deadline is not running yet is."""
    case = helpers.decided_case(org["b"], helpers.today() - dt.timedelta(days=90))
    transfer = m.Transfer(employee=case.employee, from_agency=org["b"]["agency"])
    conflict = services.transfer_blockers(transfer)
    assert conflict is not None and conflict.code == "case_pending"
