"""Transfer (mutasi) of an ASN between agencies: the receiving agency's HR requests it with the SK
mutasi, the origin's HR (or a platform admin) approves or refuses; on approval the ASN moves, and what
follows them is visible to the new agency while the rest stays with the origin."""

import datetime as dt

import pytest

from amanah.core.models import AuditEntry, Role, RoleAssignment
from amanah.personnel import models as m
from amanah.personnel import services

from . import helpers

P = "/api/v1/personnel"


def _body(org, **kw):
    return {
        "nip": org["b"]["staff"].nip,
        "unit": org["a"]["bidang"].code,
        "position": "Analis Kependudukan",
        "sk_number": "821/45/BKPSDM/2026",
        "sk_date": (helpers.today() - dt.timedelta(days=3)).isoformat(),
        **kw,
    }


def _request(people, org, **kw):
    d = _body(org, **kw)
    return services.request_transfer(
        people["hr"],
        nip=d["nip"],
        to_unit=org["a"]["bidang"],
        position=d["position"],
        sk_number=d["sk_number"],
        sk_date=dt.date.fromisoformat(d["sk_date"]),
    )


def n(action):
    return AuditEntry.objects.filter(action=action).count()


# --- adding an employee registered elsewhere -------------------------------------------------------


def test_api_add_employee_registered_elsewhere_points_to_transfer(people, org, api_as):
    r = api_as(people["hr"]).post(
        f"{P}/employees",
        {
            "nip": org["b"]["staff"].nip,
            "name": "Staf b",
            "unit": org["a"]["bidang"].code,
            "position": "Analis",
        },
    )
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "registered_elsewhere" and "mutasi" in body["fields"]["nip"]


def test_api_add_employee_registered_here_says_so(people, org, api_as):
    r = api_as(people["hr"]).post(
        f"{P}/employees",
        {
            "nip": org["a"]["staff"].nip,
            "name": "Staf a",
            "unit": org["a"]["bidang"].code,
            "position": "Analis",
        },
    )
    assert r.status_code == 422 and r.json()["error"] == "invalid_input"
    assert r.json()["fields"]["nip"] == "NIP ini sudah terdaftar di instansi ini."


def test_page_add_employee_registered_elsewhere_links_to_transfer(people, org, client):
    client.force_login(people["hr"])
    nip = org["b"]["staff"].nip
    r = client.post(
        "/kepegawaian/pegawai/baru/?instansi=kab-a",
        {"nip": nip, "name": "Staf b", "unit": org["a"]["bidang"].pk, "position": "Analis"},
    )
    page = r.content.decode()
    assert r.status_code == 400
    assert f'href="/kepegawaian/mutasi/?instansi=kab-a&amp;nip={nip}"' in page
    assert 'value="Staf b"' in page  # nothing typed is lost
    form = client.get(f"/kepegawaian/mutasi/?instansi=kab-a&nip={nip}").content.decode()
    assert f'value="{nip}"' in form


# --- request ----------------------------------------------------------------------------------------


def test_request_approve_moves_the_employee(people, org, api_as, make_user):
    a, b = org["a"], org["b"]
    mover = b["kabid"]  # heads B's bidang, has an account with a role at B
    account = make_user(Role.INSPECTORATE, b["agency"], employee=mover)
    RoleAssignment.objects.create(user=account, role=Role.AUDITOR, agency=a["agency"])
    pair = m.Mentoring.objects.create(
        mentor=b["kadis"], mentee=mover, goals="SIAK", start=helpers.today() - dt.timedelta(days=5)
    )
    r = api_as(people["hr"]).post(f"{P}/transfers", _body(org, nip=mover.nip))
    assert r.status_code == 201, r.json()
    t = r.json()
    assert (t["status"], t["from_agency"], t["to_agency"], t["name"]) == (
        "diajukan",
        "kab-b",
        "kab-a",
        "Kabid b",
    )
    assert n("personnel.transfer_requested") == 2  # one in each agency's trail
    mover.refresh_from_db()
    assert mover.unit == b["bidang"]  # nothing moves before the origin decides
    r = api_as(people["hr_b"]).post(f"{P}/transfers/{t['id']}/decision", {"approve": True})
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "disetujui" and r.json()["moved_on"]
    mover.refresh_from_db()
    b["bidang"].refresh_from_db()
    pair.refresh_from_db()
    assert (mover.unit, mover.position) == (a["bidang"], "Analis Kependudukan")
    assert b["bidang"].head is None  # no longer anyone's superior at B
    assert list(
        RoleAssignment.objects.filter(user=account).values_list("agency__code", "role")
    ) == [("kab-a", Role.AUDITOR)]
    assert (pair.status, pair.end) == ("selesai", helpers.today())
    assert n("personnel.transfer_approved") == 2
    entry = AuditEntry.objects.filter(action="personnel.transfer_approved").first()
    assert entry.details["roles_ended"] == [Role.INSPECTORATE]
    # The new agency now reads the directory entry, the origin no longer does.
    assert api_as(people["hr"]).get(f"{P}/employees/{mover.nip}").status_code == 200
    assert api_as(people["hr_b"]).get(f"{P}/employees/{mover.nip}").status_code == 404


def test_pending_request_cannot_be_sent_twice(people, org, api_as):
    api = api_as(people["hr"])
    assert api.post(f"{P}/transfers", _body(org)).status_code == 201
    r = api.post(f"{P}/transfers", _body(org, sk_number="821/46"))
    assert r.status_code == 409 and r.json()["error"] == "transfer_pending"
    assert m.Transfer.objects.count() == 1


@pytest.mark.parametrize(
    "change,field,message",
    [
        ({"nip": "199001012015011099"}, "nip", "tambahkan sebagai pegawai baru"),
        ({"nip": "19910125201503100"}, "nip", "NIP"),
        ({"position": " "}, "position", "Jabatan wajib diisi."),
        ({"sk_number": ""}, "sk_number", "Nomor SK mutasi wajib diisi."),
        ({"sk_date": "2099-01-01"}, "sk_date", "masa depan"),
    ],
)
def test_bad_request_is_refused_on_its_field(people, org, api_as, change, field, message):
    r = api_as(people["hr"]).post(f"{P}/transfers", _body(org, **change))
    assert r.status_code == 422 and message in r.json()["fields"][field]
    assert not m.Transfer.objects.exists()


def test_request_for_own_agency_employee_is_refused(people, org, api_as):
    r = api_as(people["hr"]).post(f"{P}/transfers", _body(org, nip=org["a"]["staff"].nip))
    assert r.status_code == 422 and "sudah terdaftar di instansi ini" in r.json()["fields"]["nip"]


def test_request_into_another_agencys_unit_is_403(people, org, api_as):
    # HR of B asks for a unit of A: only A's HR requests into A.
    r = api_as(people["hr_b"]).post(f"{P}/transfers", _body(org, nip=org["a"]["staff"].nip))
    assert r.status_code == 403
    assert api_as(people["pimpinan"]).post(f"{P}/transfers", _body(org)).status_code == 403


# --- decision ---------------------------------------------------------------------------------------


def test_refusal_needs_a_reason_and_leaves_the_employee(people, org, api_as):
    t = _request(people, org)
    api = api_as(people["hr_b"])
    r = api.post(f"{P}/transfers/{t.pk}/decision", {"approve": False})
    assert r.status_code == 422 and "reason" in r.json()["fields"]
    r = api.post(
        f"{P}/transfers/{t.pk}/decision", {"approve": False, "reason": "SK belum diterima BKPSDM."}
    )
    assert r.status_code == 200 and r.json()["status"] == "ditolak"
    assert r.json()["refusal_reason"] == "SK belum diterima BKPSDM."
    org["b"]["staff"].refresh_from_db()
    assert org["b"]["staff"].unit == org["b"]["bidang"]
    assert n("personnel.transfer_refused") == 2
    # A refused request does not block a new one.
    assert api_as(people["hr"]).post(f"{P}/transfers", _body(org)).status_code == 201


def test_decided_twice_is_409(people, org, api_as):
    t = _request(people, org)
    stale = m.Transfer.objects.get(pk=t.pk)
    services.decide_transfer(people["hr_b"], m.Transfer.objects.get(pk=t.pk), approve=True)
    with pytest.raises(services.StateConflict) as exc:
        services.decide_transfer(people["hr_b"], stale, approve=False, reason="Batal")
    assert exc.value.code == "transfer_decided"
    assert m.Transfer.objects.get(pk=t.pk).status == "disetujui"
    r = api_as(people["hr_b"]).post(f"{P}/transfers/{t.pk}/decision", {"approve": True})
    assert r.status_code == 409 and r.json()["error"] == "transfer_decided"


def test_only_the_origin_decides(people, org, api_as, make_user):
    t = _request(people, org)
    # The receiving agency's HR sees the request but cannot decide it.
    assert api_as(people["hr"]).get(f"{P}/transfers/{t.pk}").status_code == 200
    r = api_as(people["hr"]).post(f"{P}/transfers/{t.pk}/decision", {"approve": True})
    assert r.status_code == 403
    # Anyone else does not learn it exists.
    assert api_as(people["pimpinan"]).get(f"{P}/transfers/{t.pk}").status_code == 404
    # HR in both agencies who requested it: another officer decides.
    both = make_user(Role.HR, org["a"]["agency"])
    RoleAssignment.objects.create(user=both, role=Role.HR, agency=org["b"]["agency"])
    t2 = m.Transfer.objects.get(pk=t.pk)
    t2.requested_by = both
    t2.save()
    r = api_as(both).post(f"{P}/transfers/{t.pk}/decision", {"approve": True})
    assert r.status_code == 403 and r.json()["error"] == "own_request"


def test_the_employee_cannot_decide_their_own_transfer(people, org, make_user):
    t = _request(people, org)
    own = make_user(Role.HR, org["b"]["agency"], employee=org["b"]["staff"])
    with pytest.raises(services.OwnRecord) as exc:
        services.decide_transfer(own, t, approve=True)
    assert exc.value.code == "own_transfer"


def test_platform_admin_decides(people, org, api_as, make_user):
    t = _request(people, org)
    admin = make_user(Role.ADMIN)
    r = api_as(admin).post(f"{P}/transfers/{t.pk}/decision", {"approve": True})
    assert r.status_code == 200 and r.json()["status"] == "disetujui"


def test_open_case_at_origin_blocks_approval(people, org, api_as):
    case = helpers.case(org["b"]["staff"])
    t = _request(people, org)
    r = api_as(people["hr_b"]).post(f"{P}/transfers/{t.pk}/decision", {"approve": True})
    assert r.status_code == 409 and r.json()["error"] == "case_pending"
    assert case.number in r.json()["message"]
    # Decided, but still open to an appeal: still pending.
    helpers.decided_case(org["b"], helpers.today() - dt.timedelta(days=2)).delete()
    case.status, case.proven, case.level, case.sanction = "diputus", True, "sedang", "tukin_25_6"
    case.decided_on = case.sanction_start = helpers.today() - dt.timedelta(days=2)
    case.appeal_due = helpers.today() + dt.timedelta(days=10)
    case.save()
    r = api_as(people["hr_b"]).post(f"{P}/transfers/{t.pk}/decision", {"approve": True})
    assert r.status_code == 409 and r.json()["error"] == "case_pending"
    case.appeal_due = helpers.today() - dt.timedelta(days=1)
    case.save()
    r = api_as(people["hr_b"]).post(f"{P}/transfers/{t.pk}/decision", {"approve": True})
    assert r.status_code == 200


def test_unfinished_skp_at_origin_blocks_approval(people, org, api_as):
    s = helpers.skp(org["b"]["staff"])
    t = _request(people, org)
    r = api_as(people["hr_b"]).post(f"{P}/transfers/{t.pk}/decision", {"approve": True})
    assert r.status_code == 409 and r.json()["error"] == "skp_pending"
    s.status, s.hasil_kerja, s.perilaku, s.predicate = "final", "sesuai", "sesuai", "baik"
    s.save()
    r = api_as(people["hr_b"]).post(f"{P}/transfers/{t.pk}/decision", {"approve": True})
    assert r.status_code == 200


# --- what follows the ASN ---------------------------------------------------------------------------


def test_what_follows_and_what_stays(people, org, api_as):
    a, b, staff = org["a"], org["b"], org["b"]["staff"]
    today = helpers.today()
    helpers.training(staff, jp=8)
    final = helpers.skp(staff)
    final.status, final.hasil_kerja, final.perilaku, final.predicate = (
        "final",
        "sesuai",
        "sesuai",
        "baik",
    )
    final.save()
    in_force = helpers.decided_case(
        b, today - dt.timedelta(days=60), appeal_due=today - dt.timedelta(days=30)
    )
    served = helpers.decided_case(
        b,
        dt.date(today.year - 3, 3, 1),
        level="ringan",
        sanction="teguran_lisan",
        appeal_due=dt.date(today.year - 3, 3, 20),
    )
    not_proven = helpers.case(staff, status="ditutup", proven=False)
    before = today - dt.timedelta(days=20)
    while before.weekday() >= 5:
        before -= dt.timedelta(days=1)
    m.Absence.objects.create(employee=staff, date=before)
    t = _request(people, org)
    services.decide_transfer(people["hr_b"], t, approve=True)

    hr_a = api_as(people["hr"])
    dev = hr_a.get(f"{P}/employees/{staff.nip}/development").json()
    assert dev["jp_total"] in ("8.0", 8, "8", 8.0)  # trainings follow
    assert [s["id"] for s in hr_a.get(f"{P}/employees/{staff.nip}/skp").json()] == [final.pk]
    assert hr_a.get(f"{P}/discipline/cases/{in_force.number}").status_code == 200
    for stays in (served, not_proven):
        assert hr_a.get(f"{P}/discipline/cases/{stays.number}").status_code == 404
    assert hr_a.get(f"{P}/employees/{staff.nip}/absences").json()["cumulative"] == 0
    # The origin keeps reading its own cases; not the person's other records.
    hr_b = api_as(people["hr_b"])
    for case in (in_force, served, not_proven):
        assert hr_b.get(f"{P}/discipline/cases/{case.number}").status_code == 200
    assert hr_b.get(f"{P}/employees/{staff.nip}/development").status_code == 404
    export = hr_b.get(f"{P}/exports/hukdis?agency=kab-b&year={in_force.decided_on.year}")
    assert in_force.number in export.content.decode()
    # The origin's case list keeps its cases; the new agency's lists its own cases only.
    from django.test import Client

    origin = Client()
    origin.force_login(people["hr_b"])
    listed = origin.get("/kepegawaian/disiplin/?instansi=kab-b").content.decode()
    assert all(c.number in listed for c in (in_force, served, not_proven))
    # The employee page of the new agency lists only the case that follows.
    client = Client()
    client.force_login(people["hr"])
    page = client.get(f"/kepegawaian/pegawai/{staff.nip}/").content.decode()
    assert in_force.number in page and served.number not in page
    assert not_proven.number not in page
    assert a["agency"] == staff.__class__.objects.get(pk=staff.pk).unit.agency


def test_index_counts_only_what_follows(people, org):
    from amanah.personnel import selectors

    b, staff = org["b"], org["b"]["staff"]
    last_year = helpers.today().year - 1
    # Decided last year at the origin and served by now: it stays there.
    helpers.decided_case(b, dt.date(last_year, 1, 5), appeal_due=dt.date(last_year, 1, 26))
    assert selectors.heaviest_level(staff, last_year) == "sedang"
    services.decide_transfer(people["hr_b"], _request(people, org), approve=True)
    staff.refresh_from_db()
    assert selectors.heaviest_level(staff, last_year) is None


# --- pages ------------------------------------------------------------------------------------------


def test_pages_request_and_decide(people, org, client):
    b = org["b"]
    client.force_login(people["hr"])
    page = client.get("/kepegawaian/mutasi/?instansi=kab-a")
    assert page.status_code == 200 and "Ajukan mutasi masuk" in page.content.decode()
    data = {
        "nip": b["staff"].nip,
        "unit": org["a"]["bidang"].pk,
        "position": "Analis",
        "sk_number": "821/45",
        "sk_date": (helpers.today() - dt.timedelta(days=1)).isoformat(),
        "instansi": "kab-a",
    }
    r = client.post("/kepegawaian/mutasi/?instansi=kab-a", data)
    t = m.Transfer.objects.get()
    assert r.status_code == 302 and r.url == f"/kepegawaian/mutasi/{t.pk}/"
    again = client.post("/kepegawaian/mutasi/?instansi=kab-a", data)
    assert again.status_code == 409 and "menunggu keputusan" in again.content.decode()
    assert 'value="821/45"' in again.content.decode()
    detail = client.get(f"/kepegawaian/mutasi/{t.pk}/").content.decode()
    assert "Setujui mutasi" not in detail  # the receiving agency does not decide

    client.force_login(people["hr_b"])
    detail = client.get(f"/kepegawaian/mutasi/{t.pk}/").content.decode()
    assert "Setujui mutasi" in detail
    r = client.post(f"/kepegawaian/mutasi/{t.pk}/", {"action": "refuse", "reason": ""})
    assert r.status_code == 400 and "Alasan penolakan wajib diisi." in r.content.decode()
    r = client.post(f"/kepegawaian/mutasi/{t.pk}/", {"action": "approve"})
    assert r.status_code == 302
    b["staff"].refresh_from_db()
    assert b["staff"].unit == org["a"]["bidang"]
    # A decision sent again from the stale page: said at the top, the reason typed kept.
    r = client.post(f"/kepegawaian/mutasi/{t.pk}/", {"action": "refuse", "reason": "Salah orang"})
    assert r.status_code == 409
    assert "sudah diputus" in r.content.decode() and "Salah orang" in r.content.decode()


def test_pages_in_english(people, org):
    from tests.i18n import client_in

    t = _request(people, org)
    client = client_in("en")
    client.force_login(people["hr_b"])
    page = client.get(f"/kepegawaian/mutasi/{t.pk}/").content.decode()
    assert "Approve the transfer" in page and "Setujui mutasi" not in page
    page = client.get("/kepegawaian/mutasi/?instansi=kab-b").content.decode()
    assert "Outgoing transfers" in page


# --- races (PostgreSQL) -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_request_sent_twice_at_once(people, org, monkeypatch):
    from .test_concurrent_submits import _twice

    def call():
        _request(people, org)

    assert _twice(monkeypatch, "out_of_years", call) == ["StateConflict", "ok"]
    assert m.Transfer.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_decided_twice_at_once(people, org, monkeypatch):
    from .test_concurrent_submits import _twice

    t = _request(people, org)

    def call():
        services.decide_transfer(
            people["hr_b"], m.Transfer.objects.get(pk=t.pk), approve=False, reason="Tidak"
        )

    assert _twice(monkeypatch, "is_self", call) == ["StateConflict", "ok"]
    assert n("personnel.transfer_refused") == 2  # one decision, an entry in each agency's trail


# --- mail -------------------------------------------------------------------------------------------


def test_request_and_decision_are_mailed(
    people, org, api_as, smtp, settings, make_user, django_capture_on_commit_callbacks
):
    """The origin's HR (held agency-wide) is told a request waits; the requester is told the
    decision, without a refusal's reason."""
    import time

    settings.SITE_URL = "https://amanah.example.id"
    people["hr_b"].email = "hr@b.test"
    people["hr_b"].save()
    make_user(Role.HR, org["b"]["agency"], org["b"]["bidang"], email="hr-bidang@b.test")
    people["hr"].email = "hr@a.test"
    people["hr"].save()
    with django_capture_on_commit_callbacks(execute=True):
        r = api_as(people["hr"]).post(f"{P}/transfers", _body(org))
    t = r.json()
    (mail,) = smtp.wait(1)
    time.sleep(0.2)
    assert mail["to"] == ["hr@b.test"] and len(smtp.messages) == 1  # not the unit's HR
    assert mail["subject"] == "Permintaan mutasi menunggu keputusan Anda: Staf b"
    assert f"https://amanah.example.id/kepegawaian/mutasi/{t['id']}/" in mail["body"]
    assert "821/45/BKPSDM/2026" in mail["body"]
    with django_capture_on_commit_callbacks(execute=True):
        api_as(people["hr_b"]).post(
            f"{P}/transfers/{t['id']}/decision",
            {"approve": False, "reason": "Rahasia-123 belum lengkap"},
        )
    messages = smtp.wait(2)
    refused = messages[-1]
    assert refused["to"] == ["hr@a.test"] and refused["subject"] == "Mutasi ditolak: Staf b"
    assert "Rahasia-123" not in refused["raw"]


def test_absences_before_the_move_are_refused_to_the_new_agency(people, org, api_as):
    staff = org["b"]["staff"]
    services.decide_transfer(people["hr_b"], _request(people, org), approve=True)
    moved_on = m.Transfer.objects.get().moved_on
    before = moved_on - dt.timedelta(days=1)
    while before.weekday() >= 5:
        before -= dt.timedelta(days=1)
    r = api_as(people["hr"]).post(
        f"{P}/employees/{staff.nip}/absences", {"dates": [before.isoformat()]}
    )
    assert r.status_code == 422 and "instansi asal" in r.json()["fields"]["dates"]
    assert not m.Absence.objects.exists()


def test_an_entry_switched_off_at_the_origin_is_active_after_the_move(people, org):
    """The origin switched the directory entry off when the ASN left; approving the transfer puts
    the ASN in the directory of the receiving agency."""
    staff = org["b"]["staff"]
    staff.is_active = False
    staff.save()
    services.decide_transfer(people["hr_b"], _request(people, org), approve=True)
    staff.refresh_from_db()
    assert staff.is_active and staff.unit == org["a"]["bidang"]
    entry = AuditEntry.objects.filter(action="personnel.transfer_approved").first()
    assert entry.details["reactivated"] is True
