"""The delivery of a sanction decision (PP 94/2021, as summarised: handed to the ASN within 14 days of
the decision; PP 53/2010 and PerBKN 21/2010: 14 working days) and, when the ASN does not attend the
handing-over, the decision sent to them and deemed received on a day the handler records.

The sanction is decided on Thursday 1 October 2026; the agency is closed on Wednesday 7 October, and
no national holiday falls in October–November 2026, so the 14th working day after the decision is
Thursday 22 October."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amanah.core.models import AuditEntry
from amanah.personnel import models as m
from amanah.personnel import rules, services, tasks
from tests.i18n import client_in

from . import helpers

pytestmark = pytest.mark.django_db
P = "/api/v1/personnel"

DECIDED = helpers.OCTOBER_DECISION
#: 14 working days after the decision (2, 5, 6, 8, 9, 12–16, 19–22 October; 7 October closed).
DELIVERY_DUE = dt.date(2026, 10, 22)
SENT = dt.date(2026, 10, 20)
DEEMED = dt.date(2026, 10, 26)
#: 14 working days after the day deemed received (27–30 October, 2–6 and 9–13 November).
APPEAL_DUE_FROM_DEEMED = dt.date(2026, 11, 13)


def _decide(people, org, clock, delivered_on=None, today=DECIDED, capture=None):
    case = helpers.examined_in_august(org, bap_number="BAP/9")
    return helpers.decide_sedang(
        people,
        org,
        clock,
        case,
        decision_number="800/41",
        delivered_on=delivered_on,
        today=today,
        capture=capture,
    )


# --- rules ---------------------------------------------------------------------------------------


def test_the_rule_table_holds_the_delivery_deadline_and_an_override_changes_it(settings, org):
    assert rules.DELIVERY_WORKING_DAYS == 14
    assert services.rule_tables()["delivery_working_days"] == 14
    settings.PERSONNEL_RULES = {"delivery_working_days": 10}
    assert services.rule_tables(org["a"]["agency"])["delivery_working_days"] == 10


def test_delivery_late_compares_the_handing_over_or_the_sending_with_the_deadline():
    due = DELIVERY_DUE
    assert not rules.delivery_late(due, due, due + dt.timedelta(days=30))
    assert rules.delivery_late(due, due + dt.timedelta(days=1), due + dt.timedelta(days=1))
    # Sent on time, deemed received after the deadline: the agency did its part in time.
    assert not rules.delivery_late(due, DEEMED, DEEMED, sent_on=SENT)
    assert rules.delivery_late(due, DEEMED + dt.timedelta(days=3), DEEMED, sent_on=DEEMED)
    # Not delivered: late only once the deadline has passed.
    assert not rules.delivery_late(due, None, due)
    assert rules.delivery_late(due, None, due + dt.timedelta(days=1))
    assert not rules.delivery_late(None, None, due + dt.timedelta(days=99))


@pytest.mark.parametrize(
    "sent, deemed, field, message",
    [
        (
            DECIDED - dt.timedelta(days=1),
            DEEMED,
            "sent_on",
            "Tanggal pengiriman SK tidak boleh sebelum tanggal keputusan.",
        ),
        (
            DEEMED + dt.timedelta(days=1),
            DEEMED + dt.timedelta(days=1),
            "sent_on",
            "Tanggal pengiriman SK tidak boleh di masa depan.",
        ),
        (
            SENT,
            SENT - dt.timedelta(days=1),
            "deemed_on",
            "Tanggal SK dianggap diterima tidak boleh sebelum tanggal pengiriman.",
        ),
        (
            SENT,
            DEEMED + dt.timedelta(days=1),
            "deemed_on",
            "Tanggal SK dianggap diterima tidak boleh di masa depan.",
        ),
    ],
)
def test_deemed_delivery_problems_name_their_field(sent, deemed, field, message):
    assert rules.deemed_delivery_problem(DECIDED, sent, deemed, DEEMED) == (field, message)


def test_a_sending_on_the_decision_day_deemed_received_today_is_accepted():
    assert rules.deemed_delivery_problem(DECIDED, DECIDED, DEEMED, DEEMED) is None


# --- the deadline ------------------------------------------------------------------------------


def test_the_decision_sets_the_delivery_deadline_in_working_days_of_the_agency(people, org, clock):
    case = _decide(people, org, clock)
    assert case.delivery_due == DELIVERY_DUE
    assert case.delivery_method == ""
    assert not case.delivery_late(DELIVERY_DUE)
    assert case.delivery_late(DELIVERY_DUE + dt.timedelta(days=1))


def test_a_decision_handed_over_with_it_is_recorded_as_handed_over(people, org, clock):
    case = _decide(people, org, clock, delivered_on=DECIDED)
    assert case.delivery_method == "diserahkan" and case.delivery_due == DELIVERY_DUE
    assert not case.delivery_late(dt.date(2027, 1, 4))


def test_a_case_not_proven_has_no_delivery_deadline(people, org, clock):
    a = org["a"]
    case = helpers.examined_case(a["staff"], helpers.exam_team(a), opened_on=dt.date(2026, 8, 3))
    clock.set(DECIDED)
    services.decide_case(
        people["hr"],
        case,
        proven=False,
        official=a["kadis"],
        decision_number="800/42",
        decided_on=DECIDED,
    )
    case.refresh_from_db()
    assert case.delivery_due is None and not case.delivery_late(dt.date(2027, 1, 4))


def test_a_late_handing_over_stays_marked_late_and_its_audit_says_so(people, org, clock):
    case = _decide(people, org, clock)
    late = DELIVERY_DUE + dt.timedelta(days=1)
    clock.set(late)
    services.record_delivery(people["hr"], case, delivered_on=late)
    case.refresh_from_db()
    assert case.delivery_method == "diserahkan"
    assert case.delivery_late(dt.date(2027, 1, 4))
    entry = AuditEntry.objects.get(action="personnel.discipline_delivered")
    assert entry.details["late"] is True and entry.details["method"] == "diserahkan"


def test_the_case_page_and_the_list_mark_a_late_delivery(people, org, clock, client):
    case = _decide(people, org, clock)
    clock.set(DELIVERY_DUE)
    client.force_login(people["hr"])
    url = f"/kepegawaian/disiplin/{case.number}/"
    page = client.get(url).content.decode()
    assert "Batas penyampaian SK: 22 Oktober 2026." in page
    assert "Penyampaian terlambat" not in page
    listing = client.get("/kepegawaian/disiplin/").content.decode()
    assert "penyampaian terlambat" not in listing
    clock.set(DELIVERY_DUE + dt.timedelta(days=1))
    client.force_login(people["hr"])  # a session of the day before has ended
    page = client.get(url).content.decode()
    assert "Penyampaian terlambat: batasnya sudah lewat dan SK belum tercatat diterima." in page
    listing = client.get("/kepegawaian/disiplin/").content.decode()
    assert "penyampaian terlambat (batas 22 Oktober 2026)" in listing
    english = client_in("en")
    english.force_login(people["hr"])
    page = english.get(url).content.decode()
    assert "Deadline to deliver the decision: 22 October 2026." in page
    assert "Late delivery" in page
    assert (
        "late delivery (deadline 22 October 2026)"
        in english.get("/kepegawaian/disiplin/").content.decode()
    )


def test_the_api_gives_the_delivery_deadline_and_the_late_flag(people, org, clock, api_as):
    case = _decide(people, org, clock)
    hr = api_as(people["hr"])
    url = f"{P}/discipline/cases/{case.number}"
    clock.set(DELIVERY_DUE)
    body = hr.get(url).json()
    assert body["delivery_due"] == "2026-10-22" and body["delivery_late"] is False
    assert body["delivery_method"] == "" and body["delivery_sent_on"] is None
    clock.set(DELIVERY_DUE + dt.timedelta(days=1))
    assert hr.get(url).json()["delivery_late"] is True


# --- deemed delivery ---------------------------------------------------------------------------


def test_a_decision_sent_to_an_absent_asn_runs_the_appeal_deadline_from_the_day_deemed_received(
    people, org, clock, smtp, django_capture_on_commit_callbacks
):
    case = _decide(people, org, clock, capture=django_capture_on_commit_callbacks)
    smtp.wait(1)  # the decision's mail
    clock.set(DEEMED)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_deemed_delivery(
            people["hr"],
            case,
            sent_on=SENT,
            deemed_on=DEEMED,
            reason="Tidak hadir pada panggilan penyerahan 19 Oktober 2026",
        )
    case.refresh_from_db()
    assert case.delivered_on == DEEMED and case.delivery_method == "dikirim"
    assert case.delivery_sent_on == SENT
    assert case.delivery_reason == "Tidak hadir pada panggilan penyerahan 19 Oktober 2026"
    assert case.appeal_due == APPEAL_DUE_FROM_DEEMED
    assert not case.delivery_late(DEEMED)  # sent before the deadline
    entry = AuditEntry.objects.get(action="personnel.discipline_deemed_delivered")
    assert entry.object_id == str(case.pk)
    assert entry.details["sent_on"] == "2026-10-20" and entry.details["deemed_on"] == "2026-10-26"
    assert entry.details["appeal_due"] == "2026-11-13" and entry.details["late"] is False
    mails = smtp.wait(2)
    assert "Keberatan dapat diajukan paling lambat 13 November 2026." in mails[-1]["body"]
    # On the last day of the deadline counted from the day deemed received, the appeal is on time.
    clock.set(APPEAL_DUE_FROM_DEEMED)
    appeal = services.file_appeal(
        people["asn"], case, filed_on=APPEAL_DUE_FROM_DEEMED, grounds="Saksi tidak didengar"
    )
    assert appeal.kind == "keberatan"


def test_a_handing_over_recorded_after_a_sending_drops_the_sending(people, org, clock):
    case = _decide(people, org, clock)
    clock.set(DEEMED)
    services.record_deemed_delivery(
        people["hr"], case, sent_on=SENT, deemed_on=DEEMED, reason="Tidak hadir"
    )
    services.record_delivery(people["hr"], case, delivered_on=dt.date(2026, 10, 21))
    case.refresh_from_db()
    assert case.delivery_method == "diserahkan"
    assert case.delivery_sent_on is None and case.delivery_reason == ""
    assert case.delivered_on == dt.date(2026, 10, 21)


def test_a_deemed_delivery_is_refused_on_its_field_and_saves_nothing(people, org, clock):
    case = _decide(people, org, clock)
    clock.set(DEEMED)
    for kwargs, field in (
        ({"sent_on": dt.date(2026, 9, 30), "deemed_on": DEEMED, "reason": "x"}, "sent_on"),
        ({"sent_on": SENT, "deemed_on": dt.date(2026, 10, 27), "reason": "x"}, "deemed_on"),
        ({"sent_on": SENT, "deemed_on": DEEMED, "reason": "   "}, "reason"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.record_deemed_delivery(people["hr"], case, **kwargs)
        assert list(exc.value.message_dict) == [field]
    assert exc.value.message_dict["reason"] == [
        "Alasan wajib diisi: mengapa SK dikirim, misalnya pegawai tidak hadir saat penyerahan."
    ]
    case.refresh_from_db()
    assert case.delivered_on is None and case.delivery_method == ""
    assert not AuditEntry.objects.filter(action="personnel.discipline_deemed_delivered").exists()
    with pytest.raises(PermissionDenied):
        services.record_deemed_delivery(
            people["asn"], case, sent_on=SENT, deemed_on=DEEMED, reason="Tidak hadir"
        )


def test_the_case_page_records_a_deemed_delivery_and_keeps_what_was_typed(
    people, org, clock, client
):
    case = _decide(people, org, clock)
    clock.set(DEEMED)
    client.force_login(people["hr"])
    url = f"/kepegawaian/disiplin/{case.number}/"
    page = client.get(url).content.decode()
    assert 'value="deemed_delivery"' in page
    assert 'for="id_sent_on"' in page and 'for="id_deemed_on"' in page
    typed = {
        "action": "deemed_delivery",
        "sent_on": "2026-10-20",
        "deemed_on": "2026-10-19",
        "reason": "Tidak hadir pada panggilan penyerahan",
    }
    r = client.post(url, typed)
    assert r.status_code == 400
    page = r.content.decode()
    assert "Tanggal SK dianggap diterima tidak boleh sebelum tanggal pengiriman." in page
    assert 'value="2026-10-19"' in page and "Tidak hadir pada panggilan penyerahan" in page
    r = client.post(url, typed | {"deemed_on": "2026-10-26"})
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert (
        "SK dikirim ke alamat pegawai pada 20 Oktober 2026 (pegawai tidak hadir saat penyerahan) "
        "dan dianggap diterima pada 26 Oktober 2026." in page
    )
    assert "Batas upaya administratif: 13 Nov 2026." in page
    client.force_login(people["asn"])
    assert 'value="deemed_delivery"' not in client.get(url).content.decode()


def test_the_api_records_a_deemed_delivery_with_specific_refusals(people, org, clock, api_as):
    case = _decide(people, org, clock)
    clock.set(DEEMED)
    hr = api_as(people["hr"])
    url = f"{P}/discipline/cases/{case.number}/deemed-delivery"
    body = {"sent_on": "2026-10-27", "deemed_on": "2026-10-27", "reason": "Tidak hadir"}
    r = hr.post(url, body)
    assert r.status_code == 422
    assert r.json()["fields"] == {"sent_on": "Tanggal pengiriman SK tidak boleh di masa depan."}
    r = hr.post(url, body | {"sent_on": "2026-10-20", "deemed_on": "2026-10-26", "reason": ""})
    assert r.status_code == 422 and list(r.json()["fields"]) == ["reason"]
    assert api_as(people["asn"]).post(url, body | {"sent_on": "2026-10-20"}).status_code == 403
    r = hr.post(url, body | {"sent_on": "2026-10-20", "deemed_on": "2026-10-26"})
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["delivered_on"] == "2026-10-26" and out["delivery_method"] == "dikirim"
    assert out["delivery_sent_on"] == "2026-10-20" and out["delivery_reason"] == "Tidak hadir"
    assert out["appeal_due"] == "2026-11-13" and out["delivery_late"] is False
    services.file_appeal(people["asn"], case, filed_on=DEEMED, grounds="Saksi tidak didengar")
    r = hr.post(url, body | {"sent_on": "2026-10-20", "deemed_on": "2026-10-26"})
    assert r.status_code == 409 and r.json()["error"] == "already_appealed"


# --- the warning sweep -------------------------------------------------------------------------


def test_the_sweep_warns_hr_and_leadership_once_before_the_delivery_deadline(
    people, org, clock, smtp, django_capture_on_commit_callbacks
):
    case = _decide(people, org, clock)
    delivered = _decide(people, org, clock, delivered_on=DECIDED)
    agency = org["a"]["agency"]
    # Four working days before the deadline: not yet (the warning comes from three).
    clock.set(dt.date(2026, 10, 16))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_delivery_warnings(agency) == 0
    clock.set(dt.date(2026, 10, 19))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.delivery_warning_sweep.call("2026-10-19") == 1
    mails = smtp.wait(3)
    told = {a for mail in mails for a in mail["to"]}
    assert {people["hr"].email, people["pimpinan"].email} <= told
    # Not the ASN concerned, nor the inspectorate (it does not record decisions), nor another agency.
    for other in ("asn", "inspektorat", "hr_b"):
        assert people[other].email not in told
    assert all(case.number in mail["subject"] for mail in mails)
    assert "batas penyampaiannya 22 Oktober 2026" in mails[0]["body"]
    assert f"/kepegawaian/disiplin/{case.number}/" in mails[0]["body"]
    case.refresh_from_db()
    delivered.refresh_from_db()
    assert case.delivery_warned_on == dt.date(2026, 10, 19)
    assert delivered.delivery_warned_on is None
    assert AuditEntry.objects.filter(action="personnel.discipline_delivery_warned").count() == 1
    # Once per case: the next day's sweep sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.delivery_warning_sweep.call("2026-10-20") == 0
    assert len(smtp.wait(len(mails) + 1, timeout=0.5)) == len(mails)


def test_a_warning_nobody_could_receive_is_not_counted_as_given(
    people, org, clock, smtp, django_capture_on_commit_callbacks
):
    """While the agency has no active HR or leadership account, nobody is warned: the case is not
    marked warned, so the first sweep after one is active again still warns."""
    from amanah.core.models import User

    case = _decide(people, org, clock)
    agency = org["a"]["agency"]
    recorders = User.objects.filter(
        roles__agency=agency, roles__role__in=services.DECISION_RECORDERS
    )
    recorders.update(is_active=False)
    clock.set(dt.date(2026, 10, 19))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.delivery_warning_sweep.call("2026-10-19") == 0
    case.refresh_from_db()
    assert case.delivery_warned_on is None
    assert not AuditEntry.objects.filter(action="personnel.discipline_delivery_warned").exists()
    User.objects.filter(pk=people["hr"].pk).update(is_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.delivery_warning_sweep.call("2026-10-20") == 1
    assert {a for mail in smtp.wait(1) for a in mail["to"]} == {people["hr"].email}
    case.refresh_from_db()
    assert case.delivery_warned_on == dt.date(2026, 10, 20)


# --- the upgrade -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_0011_gives_older_sanction_decisions_their_delivery_deadline(org):
    from amanah.core.calendar import Calendar

    decided = helpers.decided_case(org["a"], DECIDED, delivered_on=DECIDED)
    open_case = helpers.case(org["a"]["staff"])
    try:
        helpers.migrate([("personnel", "0010_keberatan_ruling_due_backfill")])
        helpers.migrate([("personnel", "0011_discipline_delivery_due")])
    finally:
        helpers.migrate_to_latest()
    decided = m.DisciplineCase.objects.get(pk=decided.pk)
    assert decided.delivery_due == Calendar(org["a"]["agency"]).add(DECIDED, 14)
    assert decided.delivery_method == ""  # how it was delivered was not recorded: not guessed
    assert m.DisciplineCase.objects.get(pk=open_case.pk).delivery_due is None
