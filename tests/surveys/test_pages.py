"""SKM pages: the questionnaire without JavaScript, public results and documents, the poster, staff pages."""

import datetime as dt
import io
import re
from fractions import Fraction

import pytest
from django.test import Client

from amanah.surveys import rules, services
from amanah.surveys.models import FollowUpPlan, Response, SurveyPeriod

from .pdftext import pdf_text

EXAMPLE = [[3, 3, 2, 4, 3, 3, 4, 2, 3], [4, 3, 3, 4, 3, 4, 4, 3, 2], [3, 2, 2, 4, 4, 3, 3, 3, 3]]


def _form(values=(3, 3, 2, 4, 3, 3, 4, 2, 3), **extra):
    data = {f"u{i + 1}": str(v) for i, v in enumerate(values)}
    data.update(extra)
    return data


def test_questionnaire_is_a_plain_html_form(period):
    client = Client()
    r = client.get(f"/skm/s/{period.short_code}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<script" not in html
    assert html.count('type="radio"') >= 9 * 4
    for label in (
        "Sangat mahal",
        "Gratis",
        "Tidak sopan dan ramah",
        "Dikelola dengan baik",
        "Sangat kompeten",
    ):
        assert label in html
    assert "kesesuaian persyaratan pelayanan" in html
    assert "<legend>" in html and 'class="honeypot"' in html
    assert "skm_perangkat" in r.cookies


def test_answering_on_the_page(period, org):
    client = Client()
    client.get(f"/skm/s/{period.short_code}/")
    r = client.post(
        f"/skm/s/{period.short_code}/",
        _form(
            gender="P",
            age="30",
            education="SMA",
            occupation="Swasta",
            service=str(org["a"]["service"].pk),
            suggestion="Terima kasih",
        ),
    )
    assert r.status_code == 302 and r["Location"].endswith("/terima-kasih/")
    resp = Response.objects.get()
    assert resp.channel == "web" and resp.u3 == 2 and resp.service == org["a"]["service"]
    # the same browser the same day is refused, kindly
    r = client.post(f"/skm/s/{period.short_code}/", _form())
    assert r.status_code == 409
    assert "sudah mengisi survei" in r.content.decode()
    assert Response.objects.count() == 1


def test_missing_answers_keep_what_was_typed(period):
    r = Client().post(
        f"/skm/s/{period.short_code}/",
        {"u1": "4", "u2": "3", "age": "33", "suggestion": "Ruang tunggu panas"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "Pilih salah satu jawaban" in html
    assert 'value="33"' in html and "Ruang tunggu panas" in html
    assert re.search(r'name="u1" value="4"[^>]*checked', html)
    assert not Response.objects.exists()


def test_out_of_range_answer_on_the_page(period):
    r = Client().post(f"/skm/s/{period.short_code}/", _form(values=(5, 3, 3, 3, 3, 3, 3, 3, 3)))
    assert r.status_code == 400 and not Response.objects.exists()


def test_honeypot_on_the_page(period):
    r = Client().post(f"/skm/s/{period.short_code}/", _form(website="spam"))
    assert r.status_code == 302
    assert not Response.objects.exists()


def test_closed_period_page(period, users):
    services.close_period(users[("admin", None)], period)
    r = Client().get(f"/skm/s/{period.short_code}/")
    assert r.status_code == 410 and "sudah ditutup" in r.content.decode()


def test_unit_link_leads_to_the_open_survey(period, org):
    r = Client().get(f"/skm/u/{org['a']['bidang'].code}/")
    assert r.status_code == 302 and r["Location"] == f"/skm/s/{period.short_code}/"
    assert Client().get(f"/skm/u/{org['b']['bidang'].code}/").status_code == 404


def test_poster_svg_and_pdf(period, org):
    code = org["a"]["bidang"].code
    r = Client().get(f"/skm/poster/{code}.svg")
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    assert r.content.lstrip().startswith(b"<svg")
    r = Client().get(f"/skm/poster/{code}.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    text = pdf_text(r.content)
    assert f"/skm/u/{code}/" in text and "Bidang Pendaftaran Penduduk" in text.replace("\n", "")
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(r.content))
    moves = sum(1 for _ops, op in pikepdf.parse_content_stream(pdf.pages[0]) if str(op) == "m")
    assert moves > 100, "the QR code is drawn on the poster (as vector paths)"


@pytest.fixture
def published(period, add_answers, users, org):
    add_answers(period, EXAMPLE, gender="P", age=30, education="SMA", occupation="Swasta")
    admin = users[("admin", None)]
    services.close_period(admin, period)
    services.add_plan(
        admin,
        period,
        element="U3",
        action="Tambah loket pada jam sibuk",
        owner="Kabid Dafduk",
        due=dt.date(2027, 3, 31),
    )
    return services.publish_period(admin, period, analysis="Waktu penyelesaian paling rendah.")


def test_results_page_pdf_and_xlsx_are_public_after_publication(published):
    client = Client()
    html = client.get(f"/skm/hasil/{published.pk}/").content.decode()
    assert "77,77" in html and "Baik" in html and "Tambah loket pada jam sibuk" in html
    r = client.get(f"/skm/hasil/{published.pk}/laporan.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    for part in (
        "LAPORAN HASIL SURVEI",
        "77,77",
        "Metode dan sampel",
        "Profil responden",
        "Analisis",
        "Rencana tindak lanjut",
        "Tambah loket pada jam sibuk",
        "Kabid Dafduk",
        "Baik",
    ):
        assert part.replace(" ", "") in re.sub(r"\s+", "", text), part
    r = client.get(f"/skm/hasil/{published.pk}/jawaban.xlsx")
    assert r.status_code == 200
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert "Jawaban" not in wb.sheetnames and "Saran" not in wb.sheetnames
    rows = list(wb["Sebaran"].iter_rows(values_only=True))
    counts = {row[0]: row[2:6] for row in rows[1:10]}
    assert counts == {
        code: tuple(sum(a[i] == s for a in EXAMPLE) for s in (1, 2, 3, 4))
        for i, code in enumerate(rules.CODES)
    }
    summary = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(values_only=True) if row}
    assert summary["IKM konversi (25–100)"] == 77.77


@pytest.mark.parametrize("close", [False, True], ids=["open", "closed"])
def test_report_of_a_period_without_answers_says_so(period, manager, close):
    """The staff page links to the report from the start: before the first answer it is a report with
    no index, not an error."""
    if close:
        services.close_period(manager, period)
    r = _staff(manager).get(f"/skm/hasil/{period.pk}/laporan.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = re.sub(r"\s+", "", pdf_text(r.content))
    assert text.count("Belumadajawaban.") == 2  # on the cover and under "Indeks dan kategori"
    assert "Metodedansampel" in text


def test_the_regulations_citation_and_numbers_come_from_the_rules(published, org, monkeypatch):
    """Pages, report and poster print what surveys.rules says, so a new regulation (as 14/2017 replaced
    16/2014) is one change there: its citation, the conversion factor and the weight."""
    from amanah.surveys import rules, selectors

    monkeypatch.setattr(rules, "REGULATION", "Peraturan Menteri Baru Nomor 1 Tahun 2030")
    monkeypatch.setattr(rules, "REGULATION_SHORT", "Permen Baru 1/2030")
    monkeypatch.setattr(rules, "CONVERSION", 20)
    page = Client().get(f"/skm/hasil/{published.pk}/").content.decode()
    assert "× 20" in page and "× 25" not in page
    report = re.sub(
        r"\s+", " ", pdf_text(Client().get(f"/skm/hasil/{published.pk}/laporan.pdf").content)
    )
    assert "sesuai Peraturan Menteri Baru Nomor 1 Tahun 2030, untuk mengukur" in report
    assert "IKM unit × 20" in report and "(× 20)" in report and "14 Tahun 2017" not in report
    poster = pdf_text(Client().get(f"/skm/poster/{org['a']['bidang'].code}.pdf").content)
    assert "Survei sesuai Permen Baru 1/2030." in re.sub(r"\s+", " ", poster)
    # the weight as rules.weight_shown writes it, whatever weight a table may hold
    assert selectors.serialise(rules.compute_ikm([0] * 9, 0, Fraction(1, 8)))["weight"] == "0.125"


def test_unpublished_results_are_hidden_from_the_public(period, add_answers, client, users):
    add_answers(period, EXAMPLE)
    for url in (
        f"/skm/hasil/{period.pk}/",
        f"/skm/hasil/{period.pk}/laporan.pdf",
        f"/skm/hasil/{period.pk}/jawaban.xlsx",
    ):
        assert Client().get(url).status_code == 404
    staff = Client()
    staff.force_login(users[("auditor", "a")])
    assert staff.get(f"/skm/hasil/{period.pk}/").status_code == 200
    other = Client()
    other.force_login(users[("auditor", "b")])
    assert other.get(f"/skm/hasil/{period.pk}/").status_code == 404


def test_public_index(published, make_period, org):
    make_period(title="Survei terbuka", service=org["a"]["service"])
    html = Client().get("/skm/").content.decode()
    assert "Bidang Pendaftaran Penduduk" in html and "77,77" in html


# --- staff pages ------------------------------------------------------------------------------------------
def _staff(user):
    c = Client()
    c.force_login(user)
    return c


def test_staff_creates_a_period_on_the_page(org, manager, today):
    c = _staff(manager)
    r = c.post(
        "/skm/staf/",
        {
            "unit": org["a"]["bidang"].pk,
            "start": today.isoformat(),
            "end": (today - dt.timedelta(days=1)).isoformat(),
            "population": "0",
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert (
        "Tanggal selesai tidak boleh sebelum tanggal mulai" in html
        and "Populasi harus lebih dari nol" in html
    )
    assert not SurveyPeriod.objects.exists()
    r = c.post(
        "/skm/staf/",
        {
            "unit": org["a"]["bidang"].pk,
            "start": today.isoformat(),
            "end": (today + dt.timedelta(days=60)).isoformat(),
            "population": "300",
        },
    )
    assert r.status_code == 302
    period = SurveyPeriod.objects.get()
    assert period.required_sample == 169
    html = c.get(r["Location"]).content.decode()
    assert f"/skm/s/{period.short_code}/" in html and "Poster QR" in html


def test_a_population_too_large_to_store_is_a_field_error_on_the_page(org, manager, today):
    r = _staff(manager).post(
        "/skm/staf/",
        {
            "unit": org["a"]["bidang"].pk,
            "start": today.isoformat(),
            "end": today.isoformat(),
            "population": str(10**19),
        },
    )
    assert r.status_code == 400
    assert "Populasi paling banyak 2.147.483.647 pengguna layanan." in r.content.decode()
    assert not SurveyPeriod.objects.exists()


def test_staff_paper_upload_page_lists_row_errors(period, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = _staff(manager)
    bad = b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n3,3,3,3,3,3,3,3,3\n3,3,9,3,3,3,3,3,3\n"
    r = c.post(f"/skm/staf/periode/{period.pk}/kertas/", {"file": SimpleUploadedFile("k.csv", bad)})
    assert r.status_code == 400
    assert "Baris 3" in r.content.decode() and not Response.objects.exists()
    good = b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n3,3,3,3,3,3,3,3,3\n"
    r = c.post(
        f"/skm/staf/periode/{period.pk}/kertas/", {"file": SimpleUploadedFile("k.csv", good)}
    )
    assert r.status_code == 302 and Response.objects.count() == 1


def test_staff_close_plan_progress_publish_on_pages(period, add_answers, manager):
    add_answers(period, EXAMPLE)
    c = _staff(manager)
    c.post(f"/skm/staf/periode/{period.pk}/status/", {"action": "close"})
    period.refresh_from_db()
    assert period.status == "closed"
    html = c.get(f"/skm/staf/periode/{period.pk}/").content.decode()
    assert html.count('data-testid="lowest"') == 3 and "U3 Waktu penyelesaian" in html
    r = c.post(
        f"/skm/staf/periode/{period.pk}/rencana/",
        {"element": "U3", "action": "", "owner": "Kabid", "due": "2027-01-31"},
    )
    assert r.status_code == 400 and 'value="Kabid"' in r.content.decode()
    c.post(
        f"/skm/staf/periode/{period.pk}/rencana/",
        {"element": "U3", "action": "Tambah loket", "owner": "Kabid", "due": "2027-01-31"},
    )
    plan = FollowUpPlan.objects.get()
    c.post(
        f"/skm/staf/periode/{period.pk}/rencana/{plan.pk}/kemajuan/",
        {"progress": "40", "note": "Meja datang"},
    )
    plan.refresh_from_db()
    assert (plan.progress, plan.status, plan.progress_note) == (40, "berjalan", "Meja datang")
    c.post(f"/skm/staf/periode/{period.pk}/status/", {"action": "publish"})
    period.refresh_from_db()
    assert period.status == "published"


def test_staff_of_another_agency_cannot_see_the_period(period, users):
    assert _staff(users[("unit", "b")]).get(f"/skm/staf/periode/{period.pk}/").status_code == 404
    r = _staff(users[("pimpinan", "a")]).post(
        f"/skm/staf/periode/{period.pk}/status/", {"action": "close"}
    )
    assert r.status_code == 403
    period.refresh_from_db()
    assert period.status == "open"  # read-only role: refused, nothing changed


def test_questionnaire_outside_its_dates(make_period, today):
    future = make_period(start=today + dt.timedelta(days=3), end=today + dt.timedelta(days=9))
    r = Client().get(f"/skm/s/{future.short_code}/")
    assert r.status_code == 410 and "belum dimulai" in r.content.decode()
    ended = make_period(start=today - dt.timedelta(days=9), end=today - dt.timedelta(days=1))
    r = Client().post(f"/skm/s/{ended.short_code}/", _form())
    assert r.status_code == 410 and not Response.objects.exists()


@pytest.fixture
def published_pair(make_period, add_answers, users, org, today):
    """Two published periods of one unit, the second with answers per service and a follow-up plan, so
    its results page shows every table: elements, plans, comparison, profile, services and trend."""
    admin = users[("admin", None)]
    periods = []
    for ends in (200, 20):
        p = make_period(
            start=today - dt.timedelta(days=ends + 60), end=today - dt.timedelta(days=ends)
        )
        add_answers(p, EXAMPLE, gender="P", age=30, education="SMA", occupation="Swasta")
        add_answers(p, EXAMPLE[:2], gender="L", age=45, service=org["a"]["service"])
        services.close_period(admin, p)
        services.add_plan(
            admin, p, element="U3", action="Tambah loket", owner="Kabid", due=dt.date(2027, 3, 31)
        )
        periods.append(services.publish_period(admin, p))
    return periods[-1]


def test_results_tables_stack_on_a_phone_with_labelled_cells(published_pair, manager):
    """The public and the staff results pages: every table turns each row into a block led by its
    heading (the element, group, service or period), each value labelled by its column header."""
    from tests.tables import assert_stacked, by_head, tables

    public = Client().get(f"/skm/hasil/{published_pair.pk}/").content.decode()
    found = assert_stacked(public, at_least=9)
    heads = [t["head"][0]["text"] for t in found]
    assert heads == [
        "Unsur",  # results per element
        "Unsur",  # follow-up plans
        "Unsur",  # comparison with the previous period
        "Jenis kelamin",
        "Usia",
        "Pendidikan",
        "Pekerjaan",
        "Layanan",
        "Periode",
    ]
    elements = found[0]
    assert elements["caption"].startswith("Tiga unsur dengan nilai terendah")
    assert [c["attrs"]["data-label"] for c in elements["rows"][0]] == [
        "Unsur",
        "Jumlah nilai",
        "NRR",
        "NRR tertimbang",
    ]
    assert elements["rows"][-1][0]["text"] == "IKM (konversi × 25)"
    ikm = re.search(r'data-testid="ikm">([^<]+)<', public).group(1)
    assert elements["rows"][-1][3]["text"] == ikm
    # The profile tables name their group in the header too (it was empty), and keep their caption.
    assert [t["caption"] for t in found[3:7]] == [
        "Jenis kelamin",
        "Usia",
        "Pendidikan",
        "Pekerjaan",
    ]
    assert by_head(found, "Periode")["rows"][0][0]["attrs"]["data-label"] == "Periode"

    staff = _staff(manager).get(f"/skm/staf/periode/{published_pair.pk}/").content.decode()
    found = assert_stacked(staff, at_least=9)
    plans = [t for t in found if t["head"][-1]["text"] == "Lapor kemajuan"]
    assert len(plans) == 1 and plans[0]["rows"][0][-1]["attrs"]["data-label"] == "Lapor kemajuan"

    index = Client().get("/skm/").content.decode()
    (published,) = assert_stacked(index, at_least=1)
    assert published["rows"][0][0]["text"].startswith("Bidang Pendaftaran Penduduk")
    assert len(tables(index)) == 1
