"""HR page forms that used to be API-only: position competency standards, competency assessments,
enrolment in a catalogue programme and its completion. Each keeps what was typed on an error and
shows the Indonesian message at its field."""

import datetime as dt
import re

from amanah.core.models import AuditEntry
from amanah.personnel.models import Assessment, Competency, PositionRequirement, Training

from . import helpers

URL = "/kepegawaian/kompetensi/"


# --- Competency standards per position ------------------------------------------------------------


def test_hr_sets_position_standard_on_the_page(people, org, client):
    a = org["a"]
    komunikasi = Competency.objects.get(code="komunikasi", agency=None)
    client.force_login(people["hr"])
    html = client.get(URL).content.decode()
    assert "Atur standar kompetensi" in html
    # Accessible labels and a list of the positions in use (no JavaScript needed).
    for field in ("position", "competency", "level"):
        assert f'<label for="id_{field}">' in html
    assert '<datalist id="daftar-jabatan">' in html and 'value="Pengadministrasi"' in html

    # No level chosen: the error is in Indonesian next to the field, and the input is kept.
    r = client.post(URL, {"position": "Pengadministrasi", "competency": komunikasi.pk, "level": ""})
    html = r.content.decode()
    assert r.status_code == 400
    assert helpers.field_error(html, "id_level") == "Bidang ini tidak boleh kosong."
    assert 'value="Pengadministrasi"' in html
    assert f'<option value="{komunikasi.pk}" selected>' in html
    r = client.post(
        URL, {"position": "Pengadministrasi", "competency": komunikasi.pk, "level": "9"}
    )
    assert r.status_code == 400 and "pilihan yang valid" in helpers.field_error(
        r.content.decode(), "id_level"
    )
    r = client.post(URL, {"position": "   ", "competency": komunikasi.pk, "level": "3"})
    assert r.status_code == 400 and helpers.field_error(r.content.decode(), "id_position")
    assert not PositionRequirement.objects.exists()

    r = client.post(
        URL, {"position": "Pengadministrasi", "competency": komunikasi.pk, "level": "3"}
    )
    assert r.status_code == 302 and r.url == f"{URL}?instansi=kab-a"
    req = PositionRequirement.objects.get()
    assert (req.agency, req.position, req.competency, req.level) == (
        a["agency"],
        "Pengadministrasi",
        komunikasi,
        3,
    )
    assert AuditEntry.objects.filter(action="personnel.requirement_set").count() == 1
    # Setting it again replaces the level.
    client.post(URL, {"position": "Pengadministrasi", "competency": komunikasi.pk, "level": "4"})
    assert PositionRequirement.objects.get().level == 4
    html = client.get(URL).content.decode()
    assert "Pengadministrasi" in html and "4 (Mahir)" in html

    # The ASN holding that position sees the standard in their competency profile.
    a["staff"].position = "Pengadministrasi"
    a["staff"].save()
    client.force_login(people["asn"])
    html = client.get("/kepegawaian/saya/").content.decode()
    assert "Komunikasi" in html and "kurang 4 level" in html


def test_standard_of_another_agency_competency_is_refused(people, org, client):
    other = Competency.objects.create(
        agency=org["b"]["agency"], code="siak-b", type="teknis", name="SIAK B"
    )
    own = Competency.objects.create(
        agency=org["a"]["agency"], code="siak-a", type="teknis", name="Pengelolaan SIAK"
    )
    client.force_login(people["hr"])
    html = client.get(URL).content.decode()
    assert "Pengelolaan SIAK (Teknis)" in html and "SIAK B" not in html
    r = client.post(URL, {"position": "Operator SIAK", "competency": other.pk, "level": "2"})
    assert r.status_code == 400 and helpers.field_error(r.content.decode(), "id_competency")
    r = client.post(URL, {"position": "Operator SIAK", "competency": own.pk, "level": "2"})
    assert r.status_code == 302
    assert PositionRequirement.objects.get().competency == own


def test_standards_page_readers_see_hr_writes(people, org, client, users):
    komunikasi = Competency.objects.get(code="komunikasi", agency=None)
    PositionRequirement.objects.create(
        agency=org["a"]["agency"], position="Analis", competency=komunikasi, level=2
    )
    data = {"position": "Analis", "competency": komunikasi.pk, "level": "5"}
    client.force_login(people["pimpinan"])
    r = client.get(URL)
    assert r.status_code == 200 and "Analis" in r.content.decode()
    assert "Atur standar kompetensi" not in r.content.decode()
    assert client.post(URL, data).status_code == 403
    client.force_login(users[("auditor", "a")])
    assert client.get(URL).status_code == 200
    for user in (people["colleague"], users[("operator", "a")], people["hr_b"]):
        client.force_login(user)
        r = client.get(f"{URL}?instansi=kab-a")
        assert r.status_code == 403 or "Analis" not in r.content.decode()
        assert client.post(f"{URL}?instansi=kab-a", data).status_code == 403
    assert PositionRequirement.objects.get().level == 2


# --- Competency assessments on the employee page ------------------------------------------------------


def test_hr_records_assessment_on_employee_page(people, org, client):
    a = org["a"]
    nip = a["staff"].nip
    integritas = Competency.objects.get(code="integritas", agency=None)
    client.force_login(people["hr"])
    html = client.get(f"/kepegawaian/pegawai/{nip}/").content.decode()
    assert "Catat hasil asesmen kompetensi" in html
    for field in ("competency", "level", "assessed_on", "method"):
        assert f'<label for="id_asesmen-{field}">' in html

    tomorrow = helpers.today() + dt.timedelta(days=1)
    data = {
        "asesmen-competency": integritas.pk,
        "asesmen-level": "3",
        "asesmen-assessed_on": tomorrow.isoformat(),
        "asesmen-method": "Assessment center BKD",
    }
    r = client.post(f"/kepegawaian/pegawai/{nip}/asesmen/", data)
    html = r.content.decode()
    assert r.status_code == 400
    assert helpers.field_error(html, "id_asesmen-assessed_on") == (
        "Tanggal asesmen tidak boleh di masa depan."
    )
    assert 'value="Assessment center BKD"' in html and f'value="{tomorrow.isoformat()}"' in html
    r = client.post(
        f"/kepegawaian/pegawai/{nip}/asesmen/", {**data, "asesmen-assessed_on": "31-31-2025"}
    )
    assert r.status_code == 400 and helpers.field_error(
        r.content.decode(), "id_asesmen-assessed_on"
    )
    assert not Assessment.objects.exists()

    r = client.post(
        f"/kepegawaian/pegawai/{nip}/asesmen/",
        {**data, "asesmen-assessed_on": helpers.today().isoformat()},
    )
    assert r.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.employee, assessment.competency, assessment.level) == (
        a["staff"],
        integritas,
        3,
    )
    assert assessment.method == "Assessment center BKD"
    assert AuditEntry.objects.filter(action="personnel.assessment_recorded").count() == 1
    html = client.get(f"/kepegawaian/pegawai/{nip}/").content.decode()
    assert 'id="asesmen-terakhir"' in html and "3 (Praktisi)" in html


def test_assessment_form_is_for_hr_only(people, org, client):
    nip = org["a"]["staff"].nip
    integritas = Competency.objects.get(code="integritas", agency=None)
    data = {
        "asesmen-competency": integritas.pk,
        "asesmen-level": "4",
        "asesmen-assessed_on": helpers.today().isoformat(),
    }
    # The supervisor sees the employee page but not the form, and cannot post it.
    client.force_login(people["kabid"])
    assert "Catat hasil asesmen" not in client.get(f"/kepegawaian/pegawai/{nip}/").content.decode()
    assert client.post(f"/kepegawaian/pegawai/{nip}/asesmen/", data).status_code == 403
    for who in ("colleague", "hr_b"):
        client.force_login(people[who])
        assert client.post(f"/kepegawaian/pegawai/{nip}/asesmen/", data).status_code == 404
    assert not Assessment.objects.exists()


def test_assessment_of_another_agency_competency_is_refused_by_the_service(people, org):
    import pytest
    from django.core.exceptions import ValidationError

    from amanah.personnel import services

    other = Competency.objects.create(
        agency=org["b"]["agency"], code="siak-b", type="teknis", name="SIAK B"
    )
    with pytest.raises(ValidationError) as exc:
        services.record_assessment(
            people["hr"], org["a"]["staff"], competency=other, level=2, assessed_on=helpers.today()
        )
    assert "competency" in exc.value.message_dict


# --- Enrolment ---------------------------------------------------------------------------------------


def test_hr_enrols_asn_and_asn_sees_the_enrolment(people, org, client):
    a = org["a"]
    nip = a["staff"].nip
    program = helpers.program()
    foreign = helpers.program("milik-b", agency=org["b"]["agency"])
    client.force_login(people["hr"])
    html = client.get(f"/kepegawaian/pegawai/{nip}/").content.decode()
    assert '<label for="id_daftar-program">' in html
    assert program.title in html and foreign.title not in html

    r = client.post(f"/kepegawaian/pegawai/{nip}/pendaftaran/", {"daftar-program": ""})
    assert r.status_code == 400
    assert (
        helpers.field_error(r.content.decode(), "id_daftar-program")
        == "Bidang ini tidak boleh kosong."
    )
    r = client.post(f"/kepegawaian/pegawai/{nip}/pendaftaran/", {"daftar-program": foreign.pk})
    assert r.status_code == 400 and helpers.field_error(r.content.decode(), "id_daftar-program")

    r = client.post(f"/kepegawaian/pegawai/{nip}/pendaftaran/", {"daftar-program": program.pk})
    assert r.status_code == 302
    t = Training.objects.get()
    assert (t.employee, t.program, t.status, t.jp) == (a["staff"], program, "terdaftar", 24)
    assert AuditEntry.objects.filter(action="personnel.training_enrolled").count() == 1

    # Enrolling twice is refused at the field, the choice kept.
    r = client.post(f"/kepegawaian/pegawai/{nip}/pendaftaran/", {"daftar-program": program.pk})
    html = r.content.decode()
    assert r.status_code == 400
    assert (
        helpers.field_error(html, "id_daftar-program") == "Pegawai sudah terdaftar di program ini."
    )
    assert f'<option value="{program.pk}" selected>' in html
    assert Training.objects.count() == 1

    # The ASN sees the running enrolment (and it does not count toward the JP yet).
    client.force_login(people["asn"])
    html = client.get("/kepegawaian/saya/").content.decode()
    assert program.title in html and "Terdaftar" in html and "sejak" in html
    assert '<strong id="jp-total">0,0</strong>' in html
    # ... but cannot see or use HR's enrolment form.
    assert "id_daftar-program" not in html


def test_enrolment_form_is_for_hr(people, org, client):
    program = helpers.program()
    nip = org["a"]["staff"].nip
    client.force_login(people["kabid"])
    html = client.get(f"/kepegawaian/pegawai/{nip}/").content.decode()
    assert "id_daftar-program" not in html
    assert (
        client.post(
            f"/kepegawaian/pegawai/{nip}/pendaftaran/", {"daftar-program": program.pk}
        ).status_code
        == 403
    )
    client.force_login(people["colleague"])
    assert (
        client.post(
            f"/kepegawaian/pegawai/{nip}/pendaftaran/", {"daftar-program": program.pk}
        ).status_code
        == 404
    )
    assert not Training.objects.exists()


def test_hr_completes_enrolment_on_the_page(people, org, client):
    a = org["a"]
    nip = a["staff"].nip
    program = helpers.program(jp=24)
    t = Training.objects.create(
        employee=a["staff"],
        program=program,
        title=program.title,
        category="teknis",
        method="pelatihan",
        jp=24,
        status="terdaftar",
        enrolled_on=helpers.today() - dt.timedelta(days=10),
    )
    client.force_login(people["hr"])
    html = client.get(f"/kepegawaian/pegawai/{nip}/").content.decode()
    assert f'<label for="id_selesai-{t.pk}-completed_on">' in html
    url = f"/kepegawaian/pegawai/{nip}/pelatihan/{t.pk}/selesai/"
    future = helpers.today() + dt.timedelta(days=3)
    r = client.post(
        url,
        {
            f"selesai-{t.pk}-completed_on": future.isoformat(),
            f"selesai-{t.pk}-certificate_number": "SERT/2026/7",
        },
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert helpers.field_error(html, f"id_selesai-{t.pk}-completed_on") == (
        "Tanggal selesai tidak boleh di masa depan."
    )
    assert 'value="SERT/2026/7"' in html
    assert Training.objects.get(pk=t.pk).status == "terdaftar"

    r = client.post(
        url,
        {
            f"selesai-{t.pk}-completed_on": helpers.today().isoformat(),
            f"selesai-{t.pk}-certificate_number": "SERT/2026/7",
        },
    )
    assert r.status_code == 302
    t.refresh_from_db()
    assert (t.status, t.completed_on, t.certificate_number) == (
        "selesai",
        helpers.today(),
        "SERT/2026/7",
    )
    # Completed: no longer in the running list; a second post finds nothing.
    assert client.post(url, {f"selesai-{t.pk}-completed_on": "2026-01-01"}).status_code == 404
    client.force_login(people["asn"])
    assert (
        '<strong id="jp-total">24,0</strong>' in client.get("/kepegawaian/saya/").content.decode()
    )


def test_pages_with_every_form_have_unique_ids(people, org, client):
    """Several forms on one page: every id is unique, so each label points at its own field."""
    from amanah.personnel import services

    a = org["a"]
    for code in ("satu", "dua"):
        services.enrol(people["hr"], a["staff"], helpers.program(code))
    for year in (2024, 2025):
        skp = helpers.skp(a["staff"], p=helpers.period(a["agency"], year=year))
        services.rate_skp(people["kabid"], skp, hasil_kerja="sesuai", perilaku="sesuai")
    for who, url in (
        ("hr", f"/kepegawaian/pegawai/{a['staff'].nip}/"),
        ("asn", "/kepegawaian/saya/"),
    ):
        client.force_login(people[who])
        html = client.get(url).content.decode()
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        for target in re.findall(r'<label for="([^"]+)"', html):
            assert target in ids, target
