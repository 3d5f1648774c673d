"""The Kepegawaian pages: self-service, supervisor rating, HR pages, bad input kept on the form."""

import datetime as dt

import pytest

from amanah.personnel.models import Award, DisciplineCase, Mentoring, Skp, Training

from . import helpers


def test_every_hr_page_renders(people, org, client):
    a = org["a"]
    helpers.training(a["staff"], jp=4)
    skp = helpers.skp(a["staff"])
    case = helpers.case(a["staff"])
    Mentoring.objects.create(
        mentor=a["kabid"], mentee=a["staff"], goals="SIAK", start=helpers.today()
    )
    Award.objects.create(
        employee=a["staff"], kind="pelayanan", title="Pelayan prima", reason="x", year=2026
    )
    client.force_login(people["hr"])
    assert client.get("/kepegawaian/").url == "/kepegawaian/staf/"
    for url in [
        "/kepegawaian/staf/",
        "/kepegawaian/pegawai/",
        "/kepegawaian/pegawai/baru/",
        f"/kepegawaian/pegawai/{a['staff'].nip}/",
        "/kepegawaian/jp/",
        "/kepegawaian/program/",
        f"/kepegawaian/skp/{skp.pk}/",
        "/kepegawaian/disiplin/",
        f"/kepegawaian/disiplin/{case.number}/",
        "/kepegawaian/mentoring/",
        "/kepegawaian/indeks/",
        "/kepegawaian/penghargaan/",
        "/kepegawaian/impor/",
        "/kepegawaian/ekspor/jp/?format=xlsx",
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(people["hr_b"])
    assert client.get(f"/kepegawaian/pegawai/{a['staff'].nip}/").status_code == 404
    assert client.get(f"/kepegawaian/skp/{skp.pk}/").status_code == 404


def test_training_form_keeps_input_on_bad_jp(people, org, client):
    client.force_login(people["hr"])
    nip = org["a"]["staff"].nip
    r = client.post(
        f"/kepegawaian/pegawai/{nip}/pelatihan/",
        {
            "title": "Pelatihan arsip digital",
            "jp": "-2",
            "category": "teknis",
            "method": "pelatihan",
            "completed_on": helpers.today().isoformat(),
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "Pelatihan arsip digital" in html and "lebih dari 0" in html
    assert not Training.objects.exists()
    r = client.post(
        f"/kepegawaian/pegawai/{nip}/pelatihan/",
        {
            "title": "Pelatihan arsip digital",
            "jp": "12",
            "category": "teknis",
            "method": "pelatihan",
            "completed_on": helpers.today().isoformat(),
        },
    )
    assert r.status_code == 302
    assert "12,0" in client.get(f"/kepegawaian/pegawai/{nip}/").content.decode()


def test_new_employee_page_refuses_bad_nip(people, org, client):
    client.force_login(people["hr"])
    r = client.post(
        "/kepegawaian/pegawai/baru/",
        {"nip": "123", "name": "Tono Sudarmo", "unit": org["a"]["bidang"].pk, "position": "Analis"},
    )
    assert (
        r.status_code == 400
        and "18 angka" in r.content.decode()
        and "Tono Sudarmo" in r.content.decode()
    )


def test_supervisor_rates_on_the_page_and_asn_objects(people, org, client):
    a = org["a"]
    skp = helpers.skp(a["staff"])
    client.force_login(people["kabid"])
    me = client.get("/kepegawaian/saya/").content.decode()
    assert f"/kepegawaian/skp/{skp.pk}/" in me  # waiting for the supervisor's rating
    ind = skp.indicators.get()
    r = client.post(
        f"/kepegawaian/skp/{skp.pk}/",
        {
            "action": "rate",
            "hasil_kerja": "sesuai",
            "perilaku": "di_atas",
            f"result-{ind.pk}": "96",
        },
    )
    assert r.status_code == 302
    skp.refresh_from_db()
    assert skp.predicate == "baik" and skp.rater == a["kabid"]
    client.force_login(people["colleague"])
    assert client.get(f"/kepegawaian/skp/{skp.pk}/").status_code == 404
    client.force_login(people["asn"])
    assert "Baik" in client.get("/kepegawaian/saya/").content.decode()
    r = client.post(f"/kepegawaian/saya/skp/{skp.pk}/keberatan/", {"text": "kurang"})
    assert r.status_code == 400 and "10 karakter" in r.content.decode()
    r = client.post(
        f"/kepegawaian/saya/skp/{skp.pk}/keberatan/",
        {"text": "Realisasi saya 99 persen, bukan 96."},
    )
    assert r.status_code == 302
    assert Skp.objects.get(pk=skp.pk).status == "keberatan"


def test_case_page_decision_by_unauthorised_official_keeps_input(people, org, client):
    a = org["a"]
    case = helpers.examined_case(a["staff"])
    client.force_login(people["hr"])
    r = client.post(
        f"/kepegawaian/disiplin/{case.number}/",
        {
            "action": "decision",
            "proven": "1",
            "official": a["kabid"].nip,
            "decision_number": "800/77",
            "decided_on": helpers.today().isoformat(),
            "level": "berat",
            "sanction": "pemberhentian",
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "tidak berwenang" in html and "800/77" in html
    assert DisciplineCase.objects.get(pk=case.pk).sanction == ""


@pytest.mark.parametrize("role", ["operator", "unit", "kustodian"])
def test_other_roles_cannot_use_hr_pages(users, client, role):
    client.force_login(users[(role, "a")])
    assert client.get("/kepegawaian/staf/").status_code == 403
    assert client.get("/kepegawaian/impor/").status_code == 403


def test_import_page_lists_row_errors(people, org, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["hr"])
    data = f"nip,nama_kegiatan,jp,tanggal_selesai\n{org['a']['staff'].nip},Kursus,abc,2025-01-01\n".encode()
    r = client.post(
        "/kepegawaian/impor/", {"kind": "diklat", "file": SimpleUploadedFile("d.csv", data)}
    )
    assert r.status_code == 400 and "Baris 2, kolom jp" in r.content.decode()


def test_mentor_records_session_on_page(people, org, client):
    a = org["a"]
    m = Mentoring.objects.create(
        mentor=a["kabid"],
        mentee=a["staff"],
        goals="SIAK",
        start=helpers.today() - dt.timedelta(days=5),
    )
    client.force_login(people["kabid"])
    r = client.post(
        "/kepegawaian/mentoring/",
        {
            "action": "session",
            "pair": m.pk,
            "held_on": helpers.today().isoformat(),
            "topic": "Validasi KK",
        },
    )
    assert r.status_code == 302 and m.sessions.get().topic == "Validasi KK"


def test_hr_creates_period_skp_absences_and_programme_on_pages(people, org, client):
    from amanah.personnel.models import Absence, Program, SkpPeriod

    a = org["a"]
    client.force_login(people["hr"])
    year = helpers.today().year
    r = client.post(
        "/kepegawaian/staf/",
        {"name": f"Tahun {year}", "start": f"{year}-01-01", "end": f"{year}-12-31"},
    )
    assert r.status_code == 302
    r = client.post(
        "/kepegawaian/staf/", {"name": "Tumpang", "start": f"{year}-06-01", "end": f"{year}-07-01"}
    )
    assert (
        r.status_code == 400
        and "tumpang tindih" in r.content.decode()
        and "Tumpang" in r.content.decode()
    )
    period = SkpPeriod.objects.get()
    nip = a["staff"].nip
    r = client.post(
        f"/kepegawaian/pegawai/{nip}/skp/",
        {
            "period": period.pk,
            "ind1_description": "Berkas selesai",
            "ind1_target": "0",
            "ind1_unit": "persen",
        },
    )
    assert r.status_code == 400 and "lebih dari 0" in r.content.decode()
    r = client.post(
        f"/kepegawaian/pegawai/{nip}/skp/",
        {
            "period": period.pk,
            "ind1_description": "Berkas selesai",
            "ind1_target": "95",
            "ind1_unit": "persen",
        },
    )
    assert r.status_code == 302 and Skp.objects.get().indicators.count() == 1
    saturday = next(
        dt.date(year - 1, 3, d) for d in range(1, 8) if dt.date(year - 1, 3, d).weekday() == 5
    )
    r = client.post(f"/kepegawaian/pegawai/{nip}/ketidakhadiran/", {"dates": saturday.isoformat()})
    assert r.status_code == 400 and "bukan hari kerja" in r.content.decode()
    r = client.post(f"/kepegawaian/pegawai/{nip}/ketidakhadiran/", {"dates": "kemarin"})
    assert r.status_code == 400 and "bukan tanggal" in r.content.decode()
    monday = saturday + dt.timedelta(days=2)
    r = client.post(f"/kepegawaian/pegawai/{nip}/ketidakhadiran/", {"dates": monday.isoformat()})
    assert r.status_code == 302 and Absence.objects.count() == 1
    r = client.post(
        "/kepegawaian/program/",
        {
            "code": "arsip",
            "title": "Arsip digital",
            "category": "teknis",
            "method": "pelatihan",
            "competency_type": "teknis",
            "jp": "500",
        },
    )
    assert r.status_code == 400 and "tidak masuk akal" in r.content.decode()
    r = client.post(
        "/kepegawaian/program/",
        {
            "code": "arsip",
            "title": "Arsip digital",
            "category": "teknis",
            "method": "pelatihan",
            "competency_type": "teknis",
            "jp": "16",
        },
    )
    assert r.status_code == 302 and Program.objects.get().agency == a["agency"]
    client.force_login(people["colleague"])
    assert (
        client.post(
            f"/kepegawaian/pegawai/{nip}/ketidakhadiran/", {"dates": "2025-01-06"}
        ).status_code
        == 404
    )


def test_award_page_propose_and_approve(people, org, client):
    a = org["a"]
    client.force_login(people["hr"])
    r = client.post(
        "/kepegawaian/penghargaan/",
        {
            "action": "propose",
            "nip": a["staff"].nip,
            "kind": "integritas",
            "title": "ASN berintegritas",
            "reason": "Menolak suap",
            "year": helpers.today().year,
        },
    )
    assert r.status_code == 302
    award = Award.objects.get()
    assert (
        client.post(
            "/kepegawaian/penghargaan/", {"action": "approve", "award": award.pk}
        ).status_code
        == 403
    )
    client.force_login(people["pimpinan"])
    assert (
        client.post("/kepegawaian/penghargaan/", {"action": "approve", "award": "x"}).status_code
        == 404
    )
    client.post("/kepegawaian/penghargaan/", {"action": "approve", "award": award.pk})
    award.refresh_from_db()
    assert award.status == "disetujui"
    client.force_login(people["asn"])
    assert "ASN berintegritas" in client.get("/kepegawaian/saya/").content.decode()


def test_hr_tables_stack_on_a_phone_with_labelled_cells(people, org, client):
    """Every table of the HR pages, the employee profile and the SKP turns each row into a block led by
    its heading, each value labelled by its column header; the forms inside cells keep their own ids."""
    from tests.tables import assert_stacked, by_head, tables

    a = org["a"]
    data = helpers.hr_tables(org)
    staff = a["staff"]
    client.force_login(people["hr"])

    def page(url):
        r = client.get(url)
        assert r.status_code == 200, url
        return r.content.decode()

    found = assert_stacked(page("/kepegawaian/staf/"), at_least=1)
    assert [c["attrs"]["data-label"] for c in by_head(found, "Predikat")["rows"][0]] == [
        "Predikat",
        "Jumlah ASN",
    ]
    employees = by_head(assert_stacked(page("/kepegawaian/pegawai/"), at_least=1), "Nama")
    assert staff.name in [row[0]["text"] for row in employees["rows"]]
    assert [c["attrs"]["data-label"] for c in employees["rows"][0]] == [
        "Nama",
        "NIP",
        "Jabatan",
        "Unit",
    ]
    behind = by_head(assert_stacked(page("/kepegawaian/jp/"), at_least=1), "Nama")
    assert staff.name in [row[0]["text"] for row in behind["rows"]]
    assert behind["rows"][0][-1]["attrs"]["data-label"] == "Kurang"
    programs = by_head(assert_stacked(page("/kepegawaian/program/"), at_least=1), "Program")
    assert programs["rows"][0][-1]["attrs"]["data-label"] == "JP"
    cases = by_head(assert_stacked(page("/kepegawaian/disiplin/"), at_least=1), "Nomor")
    assert cases["rows"][0][1]["text"] == staff.name
    index = by_head(assert_stacked(page("/kepegawaian/indeks/"), at_least=1), "Unit")
    assert index["rows"][0][1]["attrs"]["data-label"] == "ASN"
    awards = by_head(assert_stacked(page("/kepegawaian/penghargaan/"), at_least=1), "Pegawai")
    assert awards["rows"][0][0]["text"] == staff.name
    assert awards["rows"][0][1]["text"].startswith("Pelayan prima")

    html = page("/kepegawaian/kompetensi/")
    found = assert_stacked(html, at_least=3)
    standards = [t for t in found if t["head"][0]["text"] == "Kompetensi"]
    assert standards and all(t["head"][-1]["text"] == "Tindakan" for t in standards)
    own = next(t for t in found if t["caption"] == "Kompetensi teknis instansi")
    assert [(c["tag"], c["attrs"]["data-label"]) for c in own["rows"][0]] == [
        ("td", "Kode"),
        ("th", "Kompetensi"),
        ("td", "Ganti nama"),
    ]
    comp = own["rows"][0][0]["text"]
    assert comp == "adminduk"
    assert html.count('<label for="id_ubah-') == 1  # the rename field keeps its one label

    found = assert_stacked(page(f"/kepegawaian/pegawai/{staff.nip}/"), at_least=4)
    trainings = by_head(found, "Kegiatan")
    assert trainings["rows"][0][-1]["attrs"]["data-label"] == "Sertifikat"
    assert "SERT/2026/001" in trainings["rows"][0][-1]["text"]
    profile = next(t for t in found if t["head"][-1]["text"] == "Hasil asesmen")
    assert len(profile["rows"]) == 2  # the national and the own technical competency
    assert profile["rows"][0][3]["attrs"]["data-label"] == "Hasil asesmen"
    skps = by_head(found, "Periode")
    assert [c["attrs"]["data-label"] for c in skps["rows"][0]] == [
        "Periode",
        "Hasil kerja",
        "Perilaku",
        "Predikat",
        "Status",
    ]
    assert any(t["caption"] == "Hasil asesmen terakhir per kompetensi" for t in found)

    # The ASN's own page: the SKP rows are labelled, and the objection form below a rated SKP
    # spans the row with its own ids.
    client.force_login(people["asn"])
    html = page("/kepegawaian/saya/")
    skps = next(t for t in tables(html) if t["head"] and t["head"][0]["text"] == "Periode")
    assert "stack" in skps["classes"]
    first, form_row = skps["rows"]
    assert [c["attrs"].get("data-label") for c in first] == [h["text"] for h in skps["head"]]
    assert len(form_row) == 1 and form_row[0]["attrs"]["colspan"] == "5"
    assert f'for="keberatan-{data["skp"].pk}-text"' in html

    # The supervisor rates on the SKP page: each result input keeps its label and its own id.
    draft = helpers.skp(people["colleague_emp"])
    client.force_login(people["kabid"])
    html = page(f"/kepegawaian/skp/{draft.pk}/")
    indicators = by_head(assert_stacked(html, at_least=1), "Indikator")
    assert [c["attrs"]["data-label"] for c in indicators["rows"][0]] == [
        "Indikator",
        "Target",
        "Realisasi",
    ]
    ind = draft.indicators.get()
    assert html.count(f'for="result-{ind.pk}"') == 1 and html.count(f'id="result-{ind.pk}"') == 1
