"""Public and staff pages: work without JavaScript, keep what was typed, never show a hidden identity."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amanah.complaints.models import Complaint
from tests.i18n import client_in

from .conftest import BASE

pytestmark = pytest.mark.django_db


def form_data(**over):
    data = dict(BASE, service="kab-a-ktp", agency="", kind="pengaduan")
    data.update(over)
    return data


def test_intake_page_files_and_shows_code(org):
    client = Client()
    page = client.get("/pengaduan/")
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    assert b"kab-a-ktp" in page.content
    r = client.post("/pengaduan/", form_data(), follow=True)
    assert r.status_code == 200
    c = Complaint.objects.get()
    assert c.channel == "web"
    assert c.tracking_code.encode() in r.content and b"Simpan kode lacak" in r.content


def test_bad_upload_keeps_everything_typed(org):
    client = Client()
    data = form_data(
        title="Judul yang saya ketik", description="Cerita panjang yang tidak boleh hilang"
    )
    data["evidence"] = SimpleUploadedFile(
        "foto.jpg", b"MZ\x90\x00 bukan foto", content_type="image/jpeg"
    )
    r = client.post("/pengaduan/", data)
    assert r.status_code == 400
    html = r.content.decode()
    assert "Judul yang saya ketik" in html and "Cerita panjang yang tidak boleh hilang" in html
    assert "Siti Aminah" in html and "foto.jpg" in html  # the error names the file
    assert not Complaint.objects.exists()


def test_markup_in_text_is_refused_on_the_page(org):
    r = Client().post("/pengaduan/", form_data(title="<b>tebal</b>"))
    assert r.status_code == 400 and "HTML atau skrip" in r.content.decode()


def test_tracking_page_never_shows_identity(org, submit, walk, users):
    c = walk(submit(identity_mode="rahasia"), "dijawab")
    services_note = __import__("amanah.complaints.services", fromlist=["add_note"])
    services_note.add_note(users[("unit", "a")], c, text="Catatan internal rahasia")
    html = Client().get(f"/pengaduan/lacak/{c.tracking_code}/").content.decode()
    assert c.title in html and "sudah dicetak" in html
    for secret in ("Siti Aminah", "siti@example.id", "081234567890", "Catatan internal rahasia"):
        assert secret not in html


def test_citizen_confirms_and_rates_on_the_page(org, submit, walk):
    c = walk(submit(), "dijawab")
    client = Client()
    r = client.post(
        f"/pengaduan/lacak/{c.tracking_code}/", {"action": "confirm", "rating": "", "comment": ""}
    )
    assert r.status_code == 302
    r = client.post(
        f"/pengaduan/lacak/{c.tracking_code}/",
        {"action": "rate", "rating": "4", "comment": "Oke"},
        follow=True,
    )
    c.refresh_from_db()
    assert c.status == "selesai" and c.rating == 4
    assert "Penilaian Anda" in r.content.decode()


def test_unknown_code_page_is_404_and_throttled(org, settings, monkeypatch):
    from amanah.core import ratelimit

    monkeypatch.setattr(ratelimit, "clock", lambda: 1_000_000_250.0)  # 50 s into a 600-s window
    settings.COMPLAINT_TRACK_RATE = (2, 600)
    client = Client()
    assert client.get("/pengaduan/lacak/AAAA-AAAA-AAAA-AAAA/").status_code == 404
    assert client.get("/pengaduan/lacak/AAAA-AAAA-AAAA-AAAB/").status_code == 404
    refused = client.get("/pengaduan/lacak/AAAA-AAAA-AAAA-AAAC/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "550"  # the rest of the window


def test_staff_inbox_and_case_show_identity_only_to_handlers(org, submit, users):
    c = submit(identity_mode="rahasia", title="Pungli loket KTP")
    handler, leader = Client(), Client()
    handler.force_login(users[("operator", "a")])
    leader.force_login(users[("pimpinan", "a")])
    inbox = handler.get("/pengaduan/staf/")
    assert inbox.status_code == 200 and "Pungli loket KTP" in inbox.content.decode()
    assert "Siti Aminah" in handler.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    page = leader.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    assert (
        "Pungli loket KTP" in page and "Siti Aminah" not in page and "siti@example.id" not in page
    )
    other = Client()
    other.force_login(users[("operator", "b")])
    assert other.get(f"/pengaduan/staf/AMN-{c.pk}/").status_code == 404
    assert "Pungli loket KTP" not in other.get("/pengaduan/staf/").content.decode()


def test_staff_verifies_on_the_case_page(org, submit, users):
    c = submit()
    client = Client()
    client.force_login(users[("operator", "a")])
    r = client.post(
        f"/pengaduan/staf/AMN-{c.pk}/",
        {"action": "verify", "unit": org["a"]["bidang"].pk, "tier": "ringan", "note": ""},
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == "diteruskan" and c.tier == "ringan"
    r = client.post(f"/pengaduan/staf/AMN-{c.pk}/", {"action": "answer", "text": "x"})
    assert r.status_code == 403  # answering is not an operator action
    c.refresh_from_db()
    assert c.status == "diteruskan"


def test_assisted_intake_page(org, users):
    client = Client()
    client.force_login(users[("operator", "a")])
    data = form_data(
        channel="datang_langsung", received_at="2999-01-01T09:00", identity_mode="anonim", name=""
    )
    r = client.post("/pengaduan/staf/baru/", data)
    assert r.status_code == 400 and "masa depan" in r.content.decode()
    assert "KTP-el tidak kunjung jadi" in r.content.decode()
    data["received_at"] = "2026-01-05T09:00"
    r = client.post("/pengaduan/staf/baru/", data)
    assert r.status_code == 302
    c = Complaint.objects.get()
    assert (
        c.channel == "datang_langsung" and c.entered_by == users[("operator", "a")] and c.name == ""
    )
    auditor = Client()
    auditor.force_login(users[("auditor", "a")])
    assert auditor.get("/pengaduan/staf/baru/").status_code == 403


def test_published_list_shows_only_approved_without_identity(org, submit, users):
    from amanah.complaints import services

    shown = submit(publish=True, title="Antrean terlalu panjang")
    services.set_publication(users[("pengelola", "a")], shown, approve=True)
    submit(publish=True, title="Belum disetujui")
    html = Client().get("/pengaduan/publik/").content.decode()
    assert (
        "Antrean terlalu panjang" in html and "Belum disetujui" not in html and "Siti" not in html
    )


def test_published_list_of_one_agency_by_code_or_id_and_unknown_agency_is_404(
    org, submit, users, api
):
    """``?instansi=`` takes an agency's code or id, as the API's ``agency``; an agency nobody has is a 404
    that says so (the API's ``unknown_agency``), not every agency's list shown as that agency's."""
    from amanah.complaints import services

    for key in ("a", "b"):
        c = submit(publish=True, title=f"Kasus milik {key.upper()}", service=org[key]["service"])
        services.set_publication(users[("pengelola", key)], c, approve=True)
    a = org["a"]["agency"]
    for ref in (a.code, str(a.pk)):
        page = Client().get("/pengaduan/publik/", {"instansi": ref})
        html = page.content.decode()
        assert page.status_code == 200 and "Kasus milik A" in html and "Kasus milik B" not in html
        assert f'<option value="{a.code}" selected>' in html
    for ref in ("tidak-ada", "987654", "9" * 70):
        assert api.get("/api/v1/complaints/published", {"agency": ref}).status_code == 404
        page = Client().get("/pengaduan/publik/", {"instansi": ref})
        html = page.content.decode()
        assert page.status_code == 404 and "Kasus milik" not in html
        assert "Instansi yang diminta tidak dikenal" in html and 'name="instansi"' in html
    english = client_in("en").get("/pengaduan/publik/", {"instansi": "tidak-ada"})
    assert english.status_code == 404
    assert "The agency asked for is not known" in english.content.decode()
    assert Client().get("/pengaduan/publik/", {"instansi": ""}).status_code == 200


def test_unit_answers_with_a_template_on_the_case_page(org, submit, walk, users):
    from amanah.complaints.models import AnswerTemplate

    t = AnswerTemplate.objects.create(
        agency=org["a"]["agency"], title="Siap", body="KTP-el siap diambil."
    )
    c = walk(submit(), "diproses")
    client = Client()
    client.force_login(users[("unit", "a")])
    page = client.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    assert 'id="answer_template"' in page and 'id="answer_text"' in page
    r = client.post(f"/pengaduan/staf/AMN-{c.pk}/", {"action": "answer", "text": ""})
    assert r.status_code == 400 and "pilih templat" in r.content.decode()
    r = client.post(
        f"/pengaduan/staf/AMN-{c.pk}/", {"action": "answer", "text": "", "template": t.pk}
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == "dijawab" and c.events.get(action="answer").text == "KTP-el siap diambil."


def test_assisted_intake_time_is_the_receiving_agencys_local_time(org, users):
    """An officer in a WIT agency types 09:00 WIT; deadlines must start from 09:00 WIT (00:00 UTC)."""
    import datetime as dt

    agency = org["a"]["agency"]
    agency.time_zone = "Asia/Jayapura"
    agency.save()
    client = Client()
    client.force_login(users[("operator", "a")])
    data = form_data(
        channel="telepon", received_at="2026-01-05T09:00", identity_mode="anonim", name=""
    )
    assert client.post("/pengaduan/staf/baru/", data).status_code == 302
    received = Complaint.objects.get().received_at
    assert received == dt.datetime(2026, 1, 5, 0, 0, tzinfo=dt.UTC)


def _listed_services(page) -> set[str]:
    import re

    select = re.search(rb'<select name="service".*?</select>', page.content, re.S).group(0)
    return {v.decode() for v in re.findall(rb'<option value="([^"]+)"', select)}


def test_intake_page_lists_the_services_of_the_chosen_agency(org, monkeypatch):
    """At national scale the page cannot list every service: the agency chosen (a short GET form, a
    ``?layanan=`` link or the form sent back) narrows the list to that agency's services."""
    from amanah.complaints import views

    client = Client()
    both = _listed_services(client.get("/pengaduan/"))
    assert {"kab-a-ktp", "kab-b-ktp"} <= both

    monkeypatch.setattr(views, "SERVICE_LIST_LIMIT", 1)
    page = client.get("/pengaduan/")
    # Too many to list: none rather than an arbitrary cut, and the page asks for an agency or a search.
    assert _listed_services(page) == set()
    assert "Cari layanan atau pilih instansi di atas dulu" in page.content.decode()
    assert b"terlalu panjang" in page.content and b'name="instansi"' in page.content
    assert b'<option value="kab-b">' in page.content  # the agency alone may still be chosen
    assert _listed_services(client.get("/pengaduan/", {"cari": "ktp"})) == {"kab-a-ktp"}

    page = client.get("/pengaduan/?instansi=kab-b")
    assert _listed_services(page) == {"kab-b-ktp"}
    assert b'<option value="kab-b" selected>' in page.content  # both agency lists show the choice

    page = client.get("/pengaduan/?layanan=kab-b-ktp")  # the QR code's link
    assert _listed_services(page) == {"kab-b-ktp"}
    assert b'<option value="kab-b-ktp" selected>' in page.content

    r = client.post(
        "/pengaduan/", form_data(service="kab-b-ktp", title="")
    )  # sent back with an error
    assert r.status_code == 400
    assert _listed_services(r) == {"kab-b-ktp"}
    assert b'<option value="kab-b-ktp" selected>' in r.content
    assert (
        client.post("/pengaduan/", form_data(service="kab-b-ktp"), follow=True).status_code == 200
    )
    assert Complaint.objects.get().service.code == "kab-b-ktp"


def test_an_unknown_agency_or_service_in_the_link_lists_everything(org):
    client = Client()
    for url in ("/pengaduan/?instansi=tidak-ada", "/pengaduan/?layanan=tidak-ada"):
        page = client.get(url)
        assert page.status_code == 200
        assert {"kab-a-ktp", "kab-b-ktp"} <= _listed_services(page)


def test_assisted_intake_page_has_the_same_agency_picker(org, users, monkeypatch):
    from amanah.complaints import views
    from amanah.core.models import Service

    Service.objects.create(unit=org["a"]["bidang"], code="kab-a-kk", name="Kartu Keluarga")
    monkeypatch.setattr(views, "SERVICE_LIST_LIMIT", 1)
    monkeypatch.setattr(views, "AGENCY_SERVICE_LIST_LIMIT", 1)
    client = Client()
    client.force_login(users[("operator", "a")])
    page = client.get("/pengaduan/staf/baru/")
    assert b'name="instansi"' in page.content and b"terlalu panjang" in page.content
    assert b'<option value="kab-a" selected>' in page.content  # the officer's one agency
    page = client.get("/pengaduan/staf/baru/?instansi=kab-a&cari=ktp")
    assert _listed_services(page) == {"kab-a-ktp"}


def test_intake_page_searches_services_by_name_or_code(org):
    """A national list is long: the GET form's search (``?cari=``) lists only the services that match
    (name, code or unit name, any case), together with the agency chosen, and says how many matched."""
    from amanah.core.models import Service

    Service.objects.create(
        unit=org["a"]["bidang"], code="kab-a-akta", name="Akta Kelahiran", duration="", cost=""
    )
    client = Client()
    page = client.get("/pengaduan/", {"cari": "  akta   KELAHIRAN "})
    assert _listed_services(page) == {"kab-a-akta"}
    assert 'value="akta KELAHIRAN"' in page.content.decode()  # the search stays in its box
    assert "1 layanan cocok dengan" in page.content.decode()
    assert (
        '<option value="kab-a-akta" selected>' in page.content.decode()
    )  # the one match is chosen

    assert _listed_services(client.get("/pengaduan/", {"cari": "ktp"})) == {
        "kab-a-ktp",
        "kab-b-ktp",
    }
    assert _listed_services(client.get("/pengaduan/", {"cari": "ktp", "instansi": "kab-b"})) == {
        "kab-b-ktp"
    }
    assert _listed_services(client.get("/pengaduan/", {"cari": "pendaftaran penduduk"})) >= {
        "kab-a-ktp",
        "kab-b-ktp",
    }  # by unit name

    page = client.get("/pengaduan/", {"cari": "paspor"})  # nothing matches: everything stays listed
    assert page.status_code == 200
    assert "Tidak ada layanan yang cocok dengan “paspor”" in page.content.decode()
    assert {"kab-a-akta", "kab-a-ktp", "kab-b-ktp"} <= _listed_services(page)

    page = client.get("/pengaduan/", {"cari": "k" * 500})  # cut, not refused
    assert page.status_code == 200 and 'value="' + "k" * 100 + '"' in page.content.decode()


def test_service_search_on_the_assisted_intake_page_and_in_english(org, users):
    client = Client()
    client.force_login(users[("operator", "a")])
    page = client.get("/pengaduan/staf/baru/", {"cari": "KTP", "instansi": "kab-a"})
    assert _listed_services(page) == {"kab-a-ktp"}
    page = client_in("en").get("/pengaduan/", {"cari": "KTP"})
    assert "2 services match “KTP”" in page.content.decode()


def test_assisted_intake_offers_only_the_officers_own_agencies(org, users):
    """An officer of agency A cannot record a complaint about agency B's services (the service refuses
    it on sending), so the page does not offer them; with one agency its services are listed at once."""
    client = Client()
    client.force_login(users[("operator", "a")])
    page = client.get("/pengaduan/staf/baru/")
    assert _listed_services(page) == {"kab-a-ktp"}
    assert b'<option value="kab-b"' not in page.content
    page = client.get("/pengaduan/staf/baru/", {"instansi": "kab-b"})  # asked for anyway
    assert _listed_services(page) == {"kab-a-ktp"}
    assert _listed_services(client.get("/pengaduan/staf/baru/", {"cari": "KTP"})) == {"kab-a-ktp"}


def test_list_pages_link_their_pages_without_piling_up_parameters(org, users, submit):
    for i in range(51):
        submit(title=f"Antrean {i}")
    client = Client()
    client.force_login(users[("pengelola", "a")])
    page = client.get("/pengaduan/staf/", {"status": "diterima"}).content.decode()
    assert 'href="?status=diterima&amp;hal=2" rel="next"' in page and "Halaman 1 dari 3" in page
    page = client.get("/pengaduan/staf/", {"status": "diterima", "hal": "2"}).content.decode()
    assert 'href="?status=diterima&amp;hal=3" rel="next"' in page
    assert 'href="?status=diterima&amp;hal=1" rel="prev"' in page and "hal=2&amp;hal" not in page


def test_evidence_help_says_the_configured_limits(org, settings):
    page = Client().get("/pengaduan/").content.decode()
    assert "Paling besar 10 MB per berkas, sampai 5 berkas." in page
    assert "beberapa menit" in page  # a slow line is warned that large photos take time
    settings.UPLOAD_MAX_BYTES = int(2.5 * 2**20)
    settings.UPLOAD_MAX_FILES = 3
    page = Client().get("/pengaduan/").content.decode()
    assert "Paling besar 2,5 MB per berkas, sampai 3 berkas." in page


def test_a_chosen_service_beyond_the_cut_stays_chosen(org, monkeypatch):
    """An agency with more services than the list holds: the QR link's service, and the one sent back
    with an error, are still in the list and chosen."""
    from amanah.complaints import views
    from amanah.core.models import Service

    Service.objects.create(unit=org["a"]["bidang"], code="kab-a-akta", name="Akta Kelahiran")
    monkeypatch.setattr(views, "SERVICE_LIST_LIMIT", 1)
    monkeypatch.setattr(views, "AGENCY_SERVICE_LIST_LIMIT", 1)  # only "Akta …" fits
    client = Client()
    page = client.get("/pengaduan/?layanan=kab-a-ktp")
    assert b'<option value="kab-a-ktp" selected>' in page.content
    sent_back = client.post("/pengaduan/", form_data(service="kab-a-ktp", title=""))
    assert sent_back.status_code == 400
    assert b'<option value="kab-a-ktp" selected>' in sent_back.content


def test_a_search_that_finds_nothing_in_a_national_list_does_not_promise_one(org, monkeypatch):
    from amanah.complaints import views

    monkeypatch.setattr(views, "SERVICE_LIST_LIMIT", 1)
    page = Client().get("/pengaduan/", {"cari": "paspor"}).content.decode()
    assert _listed_services_html(page) == set()
    assert "memuat semua layanan" not in page and "Coba kata lain" in page


def _listed_services_html(html: str) -> set[str]:
    import re

    select = re.search(r'<select name="service".*?</select>', html, re.S)
    return {v for v in re.findall(r'<option value="([^"]+)"', select.group(0))} if select else set()


def test_with_an_agency_chosen_the_form_lists_only_that_agency(org):
    import re

    page = Client().get("/pengaduan/?instansi=kab-b").content.decode()
    form_list = re.search(r'<select name="agency".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="([^"]+)"', form_list) == ["kab-b"]
    picker = re.search(r'<select id="pilih-instansi".*?</select>', page, re.S).group(0)
    assert {"kab-a", "kab-b"} <= set(re.findall(r'<option value="([^"]+)"', picker))


def test_a_qr_link_by_id_lists_the_service_once_and_chosen(org):
    import re

    service = org["a"]["service"]
    page = Client().get(f"/pengaduan/?layanan={service.pk}").content.decode()
    select = re.search(r'<select name="service".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="([^"]+)"', select).count(service.code) == 1
    assert f'<option value="{service.code}" selected>' in select


def test_one_complaint_is_a_complaint_in_english(submit):
    """The tracking page's heading and the intake's kind name one complaint: "Complaint", not "Complaints"."""
    import re

    c = submit()
    page = client_in("en").get(f"/pengaduan/lacak/{c.tracking_code}/").content.decode()
    heading = re.search(r"<h1[^>]*>\s*([^<]*)", page).group(1)
    assert heading.split()[0] == "Complaint"
    form = client_in("en").get("/pengaduan/").content.decode()
    assert re.search(r'value="pengaduan"[^>]*>\s*Complaint\b(?!s)', form) or ">Complaint<" in form
