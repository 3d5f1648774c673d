"""SE MenPANRB 8/2012: the reporter's identity is never disclosed without consent; Amanah also asks for a
recorded reason and a second person's approval (docs/integrity.md, "Identity disclosure"). So a request is
answered by the reporter first (consent or objection, on the case page or the API), and a custodian may
approve only what the reporter consented to. The regulation describes no exception (such as a court order),
and the platform adds none, so none is made."""

import pytest

pytestmark = pytest.mark.django_db
BASE = "/api/v1/integrity"
REASON = "Pelapor adalah saksi kunci dan perlu dimintai keterangan resmi."


@pytest.fixture
def insp(users, api_as):
    return api_as(users[("inspektorat", "a")])


@pytest.fixture
def custodian(users, api_as):
    return api_as(users[("kustodian", "a")])


@pytest.fixture
def asked(make_case, insp):
    """A case whose reporter gave a name, and an inspector's request to see it: (report, request id)."""
    report = make_case()
    r = insp.post(f"{BASE}/cases/{report.pk}/disclosures", {"reason": REASON})
    assert r.status_code == 201, r.content
    return report, r.json()["id"]


def test_identity_not_revealed_when_reporter_objects(asked, insp, custodian, reporter):
    report, request_id = asked
    me = reporter(report.receipt)
    notice = me.get(f"{BASE}/me").json()
    assert notice["disclosures"][0]["reason"] == REASON
    assert notice["disclosures"][0]["can_consent"] and notice["disclosures"][0]["can_object"]
    r = me.post(f"{BASE}/me/disclosures/{request_id}/objection")
    assert r.status_code == 200
    assert r.json()["disclosures"][0]["state"] == "keberatan"
    assert not r.json()["disclosures"][0]["can_object"]
    r = custodian.post(f"{BASE}/disclosures/{request_id}/decide", {"approve": True})
    assert r.status_code == 409 and r.json()["error"] == "reporter_objected"
    assert "keberatan" in r.json()["message"]
    r = insp.get(f"{BASE}/cases/{report.pk}/identity")
    assert r.status_code == 403 and "Budi Pelapor" not in r.content.decode()
    # An objection is final for that request.
    r = me.post(f"{BASE}/me/disclosures/{request_id}/consent")
    assert r.status_code == 409 and r.json()["error"] == "already_answered"


def test_a_free_text_reply_is_not_consent(asked, insp, custodian, reporter):
    report, request_id = asked
    me = reporter(report.receipt)
    assert me.post(f"{BASE}/me/messages", {"body": "Saya setuju saja."}).status_code == 201
    r = custodian.post(f"{BASE}/disclosures/{request_id}/decide", {"approve": True})
    assert r.status_code == 409 and r.json()["error"] == "consent_missing"
    assert insp.get(f"{BASE}/cases/{report.pk}/identity").status_code == 403


def test_identity_not_revealed_before_reporter_could_answer(asked, insp, custodian):
    """Approving the same second it was asked, before the reporter ever opened the notice."""
    from amanah.integrity.models import DisclosureRequest

    report, request_id = asked
    r = custodian.post(f"{BASE}/disclosures/{request_id}/decide", {"approve": True})
    assert r.status_code == 409 and r.json()["error"] == "consent_missing"
    assert r.json()["message"].startswith(
        "Identitas pelapor hanya dapat dibuka dengan persetujuannya"
    )
    assert DisclosureRequest.objects.get(pk=request_id).state == "menunggu"
    r = insp.get(f"{BASE}/cases/{report.pk}/identity")
    assert r.status_code == 403 and "Budi Pelapor" not in r.content.decode()
    # A refusal needs no consent.
    r = custodian.post(f"{BASE}/disclosures/{request_id}/decide", {"approve": False})
    assert r.status_code == 200 and r.json()["state"] == "ditolak"


def test_consent_then_approval_opens_the_identity_until_the_reporter_withdraws(
    asked, insp, custodian, reporter
):
    from amanah.core.models import AuditEntry

    report, request_id = asked
    me = reporter(report.receipt)
    r = me.post(f"{BASE}/me/disclosures/{request_id}/consent")
    assert r.status_code == 200 and r.json()["disclosures"][0]["consent"] == "setuju"
    assert not r.json()["disclosures"][0]["can_consent"]
    assert (
        custodian.get(f"{BASE}/disclosures", {"agency": "kab-a"}).json()["items"][0]["consent"]
        == "setuju"
    )
    assert custodian.post(f"{BASE}/disclosures/{request_id}/decide", {"approve": True}).json() == {
        "id": request_id,
        "state": "disetujui",
    }
    r = insp.get(f"{BASE}/cases/{report.pk}/identity")
    assert r.status_code == 200 and r.json()["reporter_name"] == "Budi Pelapor"
    # The reporter may still withdraw: the identity is shown no more.
    r = me.post(f"{BASE}/me/disclosures/{request_id}/objection")
    assert r.status_code == 200 and r.json()["disclosures"][0]["state"] == "keberatan"
    assert insp.get(f"{BASE}/cases/{report.pk}/identity").status_code == 403
    answers = AuditEntry.objects.filter(action="integrity.disclosure_answered").order_by("seq")
    assert [(e.actor, e.details) for e in answers] == [
        ("pelapor", {"request": request_id, "consent": True, "withdrawn": False}),
        ("pelapor", {"request": request_id, "consent": False, "withdrawn": True}),
    ]
    # The reporter's own actions keep only the day.
    assert all(e.created_at.hour == e.created_at.minute == 0 for e in answers)


def test_reporter_and_custodian_are_told_by_mail_without_content(
    make_case, users, smtp, django_capture_on_commit_callbacks
):
    """A reporter who may be contacted hears that there is news (the request); the custodians hear
    that the reporter answered, so that they can decide. Neither mail holds the reason or the name."""
    from amanah.integrity import services

    report = make_case(may_contact="true")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        req = services.request_disclosure(users[("inspektorat", "a")], report.pk, REASON)
    smtp.wait(1)
    assert smtp.to("budi.pelapor@contoh.id")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_disclosure(report, req.pk, consent=True)
    smtp.wait(1)
    custodian = users[("kustodian", "a")].email
    assert smtp.to(custodian)
    for m in smtp.messages:
        content = m["subject"] + "\n" + m["body"]
        assert REASON not in content and "Budi Pelapor" not in content


def test_an_earlier_approval_without_consent_opens_nothing(make_case, users, insp):
    """Requests approved before consent was asked for (migration 0002: consent awaited)."""
    from amanah.integrity.models import DisclosureRequest

    report = make_case()
    DisclosureRequest.objects.create(
        report=report,
        requested_by=users[("inspektorat", "a")],
        reason=REASON,
        state="disetujui",
        decided_by=users[("kustodian", "a")],
        requested_on=report.created_on,
    )
    assert insp.get(f"{BASE}/cases/{report.pk}/identity").status_code == 403


def test_no_request_on_a_case_closed_without_examination(make_case, insp):
    """On a dismissed case ('ditutup') the reporter can no longer answer, so consent cannot be asked."""
    report = make_case()
    r = insp.post(
        f"{BASE}/cases/{report.pk}/assess",
        {
            "credibility": "rendah",
            "seriousness": "rendah",
            "retaliation_risk": "rendah",
            "decision": "tutup",
            "reporter_message": "Tidak ada petunjuk yang dapat diperiksa.",
        },
    )
    assert r.json()["status"] == "ditutup"
    r = insp.post(f"{BASE}/cases/{report.pk}/disclosures", {"reason": REASON})
    assert r.status_code == 409 and r.json()["error"] == "closed"
    assert "pelapor tidak dapat lagi menjawab" in r.json()["message"]
    assert not report.disclosures.exists()


def test_reporter_can_object_after_the_case_was_dismissed(asked, insp, reporter):
    """A request made before the case was dismissed can still be objected to."""
    report, request_id = asked
    insp.post(
        f"{BASE}/cases/{report.pk}/assess",
        {
            "credibility": "rendah",
            "seriousness": "rendah",
            "retaliation_risk": "rendah",
            "decision": "tutup",
            "reporter_message": "Tidak ada petunjuk yang dapat diperiksa.",
        },
    )
    me = reporter(report.receipt)
    r = me.post(f"{BASE}/me/disclosures/{request_id}/objection")
    assert r.status_code == 200 and r.json()["disclosures"][0]["state"] == "keberatan"


def test_one_request_waits_at_a_time(asked, insp):
    report, _request_id = asked
    r = insp.post(f"{BASE}/cases/{report.pk}/disclosures", {"reason": REASON})
    assert r.status_code == 409 and r.json()["error"] == "already_pending"


def test_a_reporter_answers_only_their_own_case(asked, make_case, reporter):
    _report, request_id = asked
    other = make_case()
    me = reporter(other.receipt)
    assert me.post(f"{BASE}/me/disclosures/{request_id}/consent").status_code == 404
    assert me.post(f"{BASE}/me/disclosures/{request_id}/objection").status_code == 404


def test_the_notice_asks_for_an_explicit_answer(asked, reporter):
    report, _request_id = asked
    texts = [m["body"] for m in reporter(report.receipt).get(f"{BASE}/me").json()["messages"]]
    notice = next(t for t in texts if "meminta izin" in t)
    assert (
        "Saya setuju" in notice and "Saya keberatan" in notice and "balas pesan ini" not in notice
    )


def test_reporter_answers_on_the_case_page(client, asked, users):
    from amanah.integrity.models import DisclosureRequest

    report, request_id = asked
    r = client.post("/integritas/tindak-lanjut/", {"receipt": report.receipt})
    assert r.status_code == 302
    page = client.get("/integritas/kasus-saya/").content.decode()
    assert "Permintaan membuka identitas Anda" in page and REASON in page
    assert f"/integritas/kasus-saya/identitas/{request_id}/setuju/" in page
    assert f"/integritas/kasus-saya/identitas/{request_id}/keberatan/" in page
    r = client.post(f"/integritas/kasus-saya/identitas/{request_id}/setuju/")
    assert r.status_code == 302 and r["Location"] == "/integritas/kasus-saya/"
    assert DisclosureRequest.objects.get(pk=request_id).consent == "setuju"
    page = client.get("/integritas/kasus-saya/").content.decode()
    assert f"/identitas/{request_id}/setuju/" not in page  # answered
    r = client.post(f"/integritas/kasus-saya/identitas/{request_id}/keberatan/")
    assert r.status_code == 302
    r = client.post(f"/integritas/kasus-saya/identitas/{request_id}/setuju/")
    assert r.status_code == 409
    assert "Permintaan ini sudah dijawab atau sudah diputuskan." in r.content.decode()
    assert client.post(f"/integritas/kasus-saya/identitas/{request_id}/boleh/").status_code == 404


def test_custodian_page_approves_only_with_consent(client, asked, users):
    from amanah.integrity import services
    from amanah.integrity.models import DisclosureRequest

    report, request_id = asked
    client.force_login(users[("kustodian", "a")])
    page = client.get("/integritas/staf/identitas/").content.decode()
    assert "Menunggu jawaban pelapor" in page and 'name="approve" value="1"' not in page
    assert 'name="approve" value="0"' in page
    # A forged approval is refused with the reason on the page.
    r = client.post(f"/integritas/staf/identitas/{request_id}/putuskan/", {"approve": "1"})
    assert r.status_code == 409
    assert "Pelapor belum menyetujui permintaan ini" in r.content.decode()
    assert DisclosureRequest.objects.get(pk=request_id).state == "menunggu"
    services.answer_disclosure(report, request_id, consent=True)
    page = client.get("/integritas/staf/identitas/").content.decode()
    assert "Pelapor setuju" in page and 'name="approve" value="1"' in page
    r = client.post(f"/integritas/staf/identitas/{request_id}/putuskan/", {"approve": "1"})
    assert r.status_code == 302
    assert DisclosureRequest.objects.get(pk=request_id).state == "disetujui"


def test_staff_case_page_offers_no_request_on_a_dismissed_case(client, make_case, dismiss, users):
    report = make_case()
    user = users[("inspektorat", "a")]
    client.force_login(user)
    page = client.get(f"/integritas/staf/{report.pk}/").content.decode()
    assert f"/integritas/staf/{report.pk}/identitas/" in page
    dismiss(report, "Tidak ada petunjuk yang dapat diperiksa.")
    page = client.get(f"/integritas/staf/{report.pk}/").content.decode()
    assert f"/integritas/staf/{report.pk}/identitas/" not in page
