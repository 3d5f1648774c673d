"""The complainant after filing: a case that changes while the page is open, comments, throttles, times
and the survey invitation."""

import datetime as dt
import zoneinfo

import pytest
from django.test import Client

from amanah.complaints import services
from amanah.complaints.models import Complaint

pytestmark = pytest.mark.django_db

WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


def url(c):
    return f"/pengaduan/lacak/{c.tracking_code}/"


def _kept(page: str) -> str:
    """The words handed back at the top of the page when their form is gone."""
    return page.split('id="teks-anda"')[1].split(">", 1)[1].split("</textarea>")[0]


def test_a_second_rating_says_why_it_was_refused(org, submit, walk):
    c = walk(submit(), "dijawab")
    services.confirm(c)
    client = Client()
    data = {"action": "rate", "rating": "4", "comment": "Cukup"}
    assert client.post(url(c), data).status_code == 302
    again = client.post(url(c), data)  # a double tap, or back and send again
    assert again.status_code == 409
    page = again.content.decode()
    assert 'id="penolakan"' in page and "sudah dinilai" in page


def test_a_comment_sent_with_the_confirmation_alone_is_kept(api, org, submit, walk):
    c = walk(submit(), "dijawab")
    r = api.post(
        f"/api/v1/complaints/{c.tracking_code}/confirm",
        {"comment": "Selesai, tetapi prosesnya terlalu lama."},
    )
    assert r.status_code == 200
    c.refresh_from_db()
    assert c.status == "selesai" and c.rating is None
    assert c.rating_comment == "Selesai, tetapi prosesnya terlalu lama."
    # A rating given afterwards keeps that comment when it comes without one.
    api.post(f"/api/v1/complaints/{c.tracking_code}/rating", {"rating": 3})
    c.refresh_from_db()
    assert c.rating == 3 and c.rating_comment == "Selesai, tetapi prosesnya terlalu lama."


def test_the_page_keeps_a_confirmation_comment_without_rating(org, submit, walk):
    c = walk(submit(), "dijawab")
    Client().post(url(c), {"action": "confirm", "rating": "", "comment": "Petugas kurang ramah."})
    c.refresh_from_db()
    assert c.status == "selesai" and c.rating_comment == "Petugas kurang ramah."


def test_a_reply_typed_while_the_unit_answered_is_handed_back(org, users, submit, walk):
    c = walk(submit(), "diproses")
    client = Client()
    assert b'name="action" value="reply"' in client.get(url(c)).content
    services.answer(users[("unit", "a")], c, text="Sudah kami proses.")  # meanwhile
    text = "Tambahan informasi panjang yang saya ketik selama sepuluh menit."
    r = client.post(url(c), {"action": "reply", "text": text})
    assert r.status_code == 409
    page = r.content.decode()
    assert "“Sudah dijawab”" in page.split('id="penolakan"')[1].split("</p>")[0]  # what it is now
    assert _kept(page) == text
    assert 'value="dispute"' in page  # and what can be done instead


def test_a_dispute_typed_while_the_case_closed_itself_is_handed_back(org, submit, walk):
    c = walk(submit(), "dijawab")
    client = Client()
    client.get(url(c))
    services.sweep(today=c.auto_close_due + dt.timedelta(days=1))  # the worker closes it
    reason = "Jawaban tidak benar, KTP-el saya belum ada di loket."
    r = client.post(url(c), {"action": "dispute", "reason": reason})
    assert r.status_code == 409
    assert _kept(r.content.decode()) == reason


def test_a_late_dispute_before_the_sweep_is_refused_with_the_case_closed(org, submit, walk, clock):
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "dijawab")
    clock.set(c.auto_close_due + dt.timedelta(days=2))
    reason = "Belum selesai sama sekali."
    r = Client().post(url(c), {"action": "dispute", "reason": reason})
    page = r.content.decode()
    assert r.status_code == 409 and "ditutup otomatis" in page
    assert _kept(page) == reason
    assert 'value="rate"' in page  # the closed case can still be rated
    assert 'id="status">Selesai<' in page


def test_a_lapsed_completion_shows_the_withdrawal_at_once(org, submit, walk, clock):
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "menunggu_kelengkapan")
    clock.set(dt.date(2026, 7, 10))  # more than 30 days later, the sweep not run yet
    r = Client().post(url(c), {"action": "reply", "text": "Ini nomor tanda terimanya: 123."})
    page = r.content.decode()
    assert r.status_code == 409
    assert 'id="status">Dianggap dicabut<' in page and 'value="reply"' not in page
    assert _kept(page) == "Ini nomor tanda terimanya: 123."


def test_a_throttled_reply_is_a_429_that_keeps_the_text(org, submit, walk, settings):
    settings.PUBLIC_FORM_RATE = (3, 600)
    c = walk(submit(), "diproses")
    client = Client()
    for _ in range(3):
        client.post(url(c), {"action": "reply", "text": ""})
    text = "Informasi penting yang tidak boleh hilang."
    r = client.post(url(c), {"action": "reply", "text": text})
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    page = r.content.decode()
    assert "Terlalu banyak kiriman" in page
    assert f">\n{text}</textarea>" in page  # still in the reply form


def test_behind_a_trusted_proxy_each_citizen_has_their_own_limit(org, submit, settings):
    settings.TRUSTED_PROXIES = 1
    c = submit()
    proxy = "10.0.0.5"
    guesser = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(20):
        guesser.get("/pengaduan/lacak/0000-0000-0000-0000/")
    assert guesser.get(url(c)).status_code == 429
    citizen = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert citizen.get(url(c)).status_code == 200
    assert citizen.get(f"/api/v1/complaints/{c.tracking_code}").status_code == 200
    # Only the entry the proxy added counts: a client cannot pick a fresh address by writing its own.
    spoof = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert spoof.get(url(c)).status_code == 429


def test_without_trusted_proxies_the_forwarded_header_is_ignored(org, submit, settings):
    settings.TRUSTED_PROXIES = 0
    c = submit()
    for n in range(20):
        Client(HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").get("/pengaduan/lacak/0000-0000-0000-0000/")
    assert Client(HTTP_X_FORWARDED_FOR="198.51.100.77").get(url(c)).status_code == 429


def test_the_api_answer_back_endpoints_are_throttled_like_the_page(
    org, submit, walk, settings, api
):
    settings.PUBLIC_FORM_RATE = (5, 600)
    c = walk(submit(), "selesai")
    page = [Client().post(url(c), {"action": "rate", "rating": "9"}).status_code for _ in range(6)]
    assert page == [400] * 5 + [429]
    path = f"/api/v1/complaints/{c.tracking_code}"
    settings.PUBLIC_FORM_RATE = (2, 600)
    for endpoint, body in (
        ("rating", {"rating": "sembilan"}),
        ("confirm", {"rating": 9}),
        ("dispute", {}),
    ):
        from django.core.cache import cache

        cache.clear()
        codes = [api.post(f"{path}/{endpoint}", body).status_code for _ in range(3)]
        assert codes[:2] != [429, 429] and codes[2] == 429, (endpoint, codes)


def test_schema_refusals_are_in_indonesian(org, submit, walk, api):
    c = walk(submit(), "selesai")
    r = api.post(f"/api/v1/complaints/{c.tracking_code}/rating", {"rating": "sembilan"})
    assert r.status_code == 422
    assert r.json()["fields"] == {"rating": "Harus bilangan bulat."}
    assert r.json()["message"] == "Data yang dikirim tidak valid. rating: Harus bilangan bulat."
    r = api.post(f"/api/v1/complaints/{c.tracking_code}/dispute", {})
    assert r.json()["fields"] == {"reason": "Wajib diisi."}


def test_a_refused_step_names_the_status_as_people_read_it(org, submit, walk, api):
    c = walk(submit(), "diproses")
    r = api.post(f"/api/v1/complaints/{c.tracking_code}/dispute", {"reason": "Lagi."})
    assert r.status_code == 409 and r.json()["error"] == "invalid_transition"
    assert r.json()["message"] == (
        "Tindakan ini tidak dapat dilakukan karena status pengaduan sekarang “Sedang ditangani”."
    )


def test_times_are_shown_in_the_agencys_zone(org, submit, clock):
    agency = org["a"]["agency"]
    agency.time_zone = "Asia/Jayapura"
    agency.save()
    clock.set(dt.datetime(2026, 6, 2, 9, 30, tzinfo=WIT))  # 09:30 WIT at the counter in Jayapura
    c = submit()
    page = Client().get(url(c)).content.decode()
    received = page.split("<dt>Diterima</dt><dd>")[1].split("</dd>")[0]
    assert received == "2 Juni 2026 09:30 WIT"
    assert "Waktu menurut zona instansi (WIT)." in page


def test_the_survey_invitation_is_for_the_service_complained_about(org, submit, walk):
    from amanah.core.models import Service
    from amanah.surveys.models import SurveyPeriod

    other = Service.objects.create(unit=org["a"]["bidang"], code="kab-a-kia", name="Penerbitan KIA")
    today = dt.date.today()
    common = {"agency": org["a"]["agency"], "unit": org["a"]["bidang"], "population": 1000}
    unit_wide = SurveyPeriod.objects.create(
        **common,
        start=today - dt.timedelta(days=20),
        end=today + dt.timedelta(days=30),
        required_sample=278,
    )
    kia_only = SurveyPeriod.objects.create(
        **common,
        service=other,
        start=today - dt.timedelta(days=2),
        end=today + dt.timedelta(days=30),
        required_sample=278,
    )
    c = walk(submit(), "selesai")  # about KTP-el
    link = services._survey_link(c)
    assert link.endswith(f"/{unit_wide.short_code}/") or unit_wide.short_code in link
    assert kia_only.short_code not in link
    ktp = SurveyPeriod.objects.create(
        **common,
        service=c.service,
        start=today - dt.timedelta(days=1),
        end=today + dt.timedelta(days=30),
        required_sample=278,
    )
    assert ktp.short_code in services._survey_link(Complaint.objects.get(pk=c.pk))


def test_staff_cannot_take_the_complainants_steps(org, users, submit, walk, api, api_as):
    """Staff see tracking codes at work; the person's own steps are refused to them, on the page and
    through the API with their token or their session."""
    c = walk(submit(), "dijawab")
    unit = users[("unit", "a")]
    path = f"/api/v1/complaints/{c.tracking_code}"
    r = api_as(unit).post(f"{path}/confirm", {"rating": 5, "comment": "Sangat puas"})
    assert r.status_code == 403 and r.json()["error"] == "staff_not_complainant"
    page = Client()
    page.force_login(unit)
    shown = page.get(url(c)).content.decode()
    assert 'value="confirm"' not in shown and 'value="dispute"' not in shown  # no forms to fill in
    assert "Anda masuk sebagai petugas" in shown
    r = page.post(url(c), {"action": "confirm", "rating": "5", "comment": "Sangat puas"})
    assert r.status_code == 403 and "Anda masuk sebagai petugas" in r.content.decode()
    c.refresh_from_db()
    assert c.status == "dijawab" and c.rating is None
    assert api.post(f"{path}/confirm", {"rating": 4}).status_code == 200  # the person still can


def test_the_old_agency_is_not_given_the_new_cases_code_after_a_transfer(
    org, users, submit, api_as
):
    operator = users[("operator", "a")]
    c = services.transfer(operator, submit(), agency=org["b"]["agency"], note="Wewenang B.")
    detail = api_as(operator).get(f"/api/v1/staff/complaints/{c.tracking_code}").json()
    assert detail["transferred_to"] == []
    admin_view = api_as(users[("pengelola", "b")]).get(
        f"/api/v1/staff/complaints/{c.tracking_code}"
    )
    assert admin_view.status_code in (403, 404)  # B's staff do not see A's case either


def test_the_transfer_answer_names_the_new_code_only_to_who_may_open_it(org, users, submit, api_as):
    operator = users[("operator", "a")]
    c = submit()
    r = api_as(operator).post(
        f"/api/v1/staff/complaints/{c.tracking_code}/transfer",
        {"agency": org["b"]["agency"].code, "note": "Wewenang B."},
    )
    assert r.status_code == 200, r.content
    new = Complaint.objects.get(transferred_from=c)
    assert r.json()["new_case"] is None and r.json()["transferred_to"] == []
    assert new.tracking_code not in r.content.decode()
    # The platform administrator may open both cases: told the new code.
    other = submit()
    r = api_as(users[("admin", None)]).post(
        f"/api/v1/staff/complaints/{other.tracking_code}/transfer",
        {"agency": org["b"]["agency"].code, "note": "Wewenang B."},
    )
    assert r.status_code == 200, r.content
    assert r.json()["new_case"] == Complaint.objects.get(transferred_from=other).tracking_code


def test_the_staff_transfer_page_does_not_show_the_new_code(org, users, submit):
    operator = users[("operator", "a")]
    c = submit()
    page = Client()
    page.force_login(operator)
    r = page.post(
        f"/pengaduan/staf/AMN-{c.pk}/",
        {"action": "transfer", "agency": org["b"]["agency"].pk, "note": "Wewenang B."},
        follow=True,
    )
    assert r.status_code == 200
    new = Complaint.objects.get(transferred_from=c)
    assert new.tracking_code not in r.content.decode()
