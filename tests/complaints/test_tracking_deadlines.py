"""The complainant's page after filing says what the agency's own rules say and offers only what can still
be done: a deadline that passed counts before the sweeper comes round (as the API and the services count
it); the agency's numbers of working days, not the defaults; the receipt of a paused case names the date
that holds. A reply sent twice is stored once, and a reply refused by the wrong-code limit keeps its text.
The intake page and the staff case page state the configured numbers of days too."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.test import Client

from amanah.complaints import receipt
from amanah.complaints.models import ComplaintEvent, Evidence

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


def url(c):
    return f"/pengaduan/lacak/{c.tracking_code}/"


def test_no_dispute_is_offered_once_the_answer_counts_as_accepted(submit, walk, clock, api):
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "dijawab")
    page = Client().get(url(c)).content.decode()
    assert 'value="dispute"' in page and 'value="confirm"' in page
    clock.set(c.auto_close_due + dt.timedelta(days=2))  # the sweeper has not come round yet
    view = api.get(f"/api/v1/complaints/{c.tracking_code}").json()
    assert view["can_dispute"] is False and view["can_confirm"] is True
    page = Client().get(url(c)).content.decode()
    assert 'value="dispute"' not in page and "sampaikan sanggahan" not in page
    assert 'value="confirm"' in page  # a late confirmation, with a rating, still closes it
    assert "jawaban dianggap diterima" in page


def test_no_completion_is_offered_after_its_thirty_days(submit, walk, clock, api):
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "menunggu_kelengkapan")
    assert 'value="reply"' in Client().get(url(c)).content.decode()
    clock.set(c.completion_due + dt.timedelta(days=1))
    assert api.get(f"/api/v1/complaints/{c.tracking_code}").json()["can_reply"] is False
    page = Client().get(url(c)).content.decode()
    assert 'value="reply"' not in page
    assert "dianggap dicabut" in page


def test_the_status_help_counts_the_agencys_own_working_days(org, submit, walk):
    agency = org["a"]["agency"]
    agency.options = {"complaints": {"auto_close_days": 4, "response_days": 3}}
    agency.save()
    forwarded = walk(submit(), "diteruskan")
    page = Client().get(url(forwarded)).content.decode()
    assert "menanggapi dalam 3 hari kerja" in page and "5 hari kerja" not in page
    answered = walk(submit(), "dijawab")
    page = Client().get(url(answered)).content.decode()
    assert "otomatis setelah 4 hari kerja" in page and "10 hari kerja" not in page
    assert receipt.context(answered)["auto_close_days"] == 4  # the receipt says the same
    english = Client()
    english.cookies["amanah_lang"] = "en"
    page = english.get(url(forwarded)).content.decode()
    assert "within 3 working days" in page


def test_the_receipt_of_a_paused_case_names_the_completion_date(submit, walk, clock, api):
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "menunggu_kelengkapan")
    c.refresh_from_db()
    assert c.verification_due and c.completion_due  # the stored date is still there
    html = render_to_string("complaints/receipt_pdf.html", receipt.context(c))
    assert "Batas verifikasi" not in html
    assert "Batas melengkapi" in html and "dianggap dicabut" in html
    assert api.get(f"/api/v1/complaints/{c.tracking_code}").json()["verification_due"] is None
    running = submit()
    html = render_to_string("complaints/receipt_pdf.html", receipt.context(running))
    assert "Batas verifikasi" in html and "Batas melengkapi" not in html


def _reply_form(page: str) -> dict:
    form = page.split('name="action" value="reply"')[1].split("</form>")[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_a_reply_sent_twice_from_the_page_is_stored_once(submit, walk, smtp):
    c = walk(submit(), "diproses")
    client = Client()
    hidden = _reply_form(client.get(url(c)).content.decode())
    assert len(hidden["submission"]) >= 16
    data = {**hidden, "action": "reply", "text": "Nomor antrean saya A-123."}
    first = client.post(url(c), data)  # a double tap on "Kirim", or a retry on a slow line
    second = client.post(url(c), data)
    assert first.status_code == second.status_code == 302
    assert ComplaintEvent.objects.filter(complaint=c, action="reply").count() == 1
    # The page shown again has a new token: the same words sent again on purpose are a new reply.
    hidden = _reply_form(client.get(url(c)).content.decode())
    assert (
        client.post(url(c), {**hidden, "action": "reply", "text": data["text"]}).status_code == 302
    )
    assert ComplaintEvent.objects.filter(complaint=c, action="reply").count() == 2


def test_a_reply_retried_with_its_idempotency_key_is_stored_once(submit, walk):
    c = walk(submit(), "diproses")
    path = f"/api/v1/complaints/{c.tracking_code}/replies"
    key = {"Idempotency-Key": "1f0c7a52-9a7e-4d0e-b1a4-0d4c8e5a7b11"}
    photo = jpeg_with_gps()

    def send(text):
        from django.core.files.uploadedfile import SimpleUploadedFile

        evidence = SimpleUploadedFile("foto.jpg", photo, "image/jpeg")
        return Client().post(path, {"text": text, "evidence": evidence}, headers=key)

    first, second = send("Foto loket terlampir."), send("Foto loket terlampir.")
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in first and second["Idempotent-Replayed"] == "true"
    assert ComplaintEvent.objects.filter(complaint=c, action="reply").count() == 1
    assert Evidence.objects.filter(complaint=c, added_by_citizen=True).count() == 1
    # The same key with other words is another reply.
    assert send("Satu foto lagi.").status_code == 201
    assert ComplaintEvent.objects.filter(complaint=c, action="reply").count() == 2
    short = Client().post(
        path, {"text": "x"}, content_type="application/json", headers={"Idempotency-Key": "abc"}
    )
    assert short.status_code == 400 and short.json()["error"] == "invalid_idempotency_key"


def test_a_reply_refused_by_the_wrong_code_limit_keeps_its_text(submit, walk, settings):
    settings.COMPLAINT_TRACK_RATE = (3, 600)
    c = walk(submit(), "diproses")
    for _ in range(3):  # others behind the same address (a school, an office, a carrier's NAT)
        Client().get("/pengaduan/lacak/0000-0000-0000-0000/")
    text = "Nomor antrean A-123, loket 3, petugas bernama Budi."
    r = Client().post(url(c), {"action": "reply", "text": text})
    assert r.status_code == 429
    html = r.content.decode()
    assert text in html and "tidak hilang" in html
    assert not ComplaintEvent.objects.filter(complaint=c, action="reply").exists()


def test_the_intake_page_says_the_chosen_agencys_deadlines(org, settings):
    settings.COMPLAINT_RULES = {"verification_days": 2}
    agency = org["a"]["agency"]
    agency.options = {
        "complaints": {"response_days": 4, "auto_close_days": 7, "filing_window_days": 45}
    }
    agency.save()
    page = Client().get("/pengaduan/", {"instansi": agency.code}).content.decode()
    assert "paling lambat 2 hari kerja" in page  # the platform's setting
    assert "paling lambat 4 hari kerja setelah menerima" in page
    assert "otomatis 7 hari kerja setelah dijawab" in page
    assert "paling lambat 45 hari setelah" in page
    page = Client().get("/pengaduan/").content.decode()  # no agency chosen: the platform's rules
    assert "paling lambat 5 hari kerja setelah menerima" in page
    assert "otomatis 10 hari kerja setelah dijawab" in page


def test_the_case_page_names_the_configured_legal_limits(org, users, submit, settings):
    from amanah.complaints import services

    settings.COMPLAINT_RULES = {"statutory_answer_days": 10, "statutory_decision_days": 45}
    operator = users[("operator", "a")]
    c = services.verify(operator, submit(), unit=org["a"]["bidang"])
    client = Client()
    client.force_login(operator)
    page = client.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    assert "Batas jawaban menurut UU 25/2009 (10 hari kalender)" in page
    assert "Batas keputusan menurut UU 25/2009 (45 hari kalender)" in page
