"""An agency's own technical competencies (HR adds and renames them; the nine national ones are
fixed) and removing a position's required level: through the service, the API and the
competency standards page."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amanah.core.models import AuditEntry
from amanah.personnel import services
from amanah.personnel.models import Competency, PositionRequirement

from . import helpers

P = "/api/v1/personnel"
URL = "/kepegawaian/kompetensi/"


def _field_error(html: str, field_id: str) -> str:
    return helpers.field_error(html, field_id)


def _own(org, code="adminduk", name="Administrasi kependudukan"):
    return Competency.objects.create(agency=org["a"]["agency"], code=code, type="teknis", name=name)


# --- Service --------------------------------------------------------------------------------------


def test_service_adds_a_technical_competency_once_per_agency(people, org):
    a, b = org["a"]["agency"], org["b"]["agency"]
    comp = services.create_competency(
        people["hr"], agency=a, code="adminduk", name="  Administrasi kependudukan "
    )
    assert (comp.agency, comp.code, comp.type, comp.name) == (
        a,
        "adminduk",
        "teknis",
        "Administrasi kependudukan",
    )
    entry = AuditEntry.objects.get(action="personnel.competency_created")
    assert entry.object_id == str(comp.pk) and entry.agency_id_ref == a.pk

    # The same code again in the same agency, or a national code, is a field error on ``code``.
    for code in ("adminduk", "komunikasi"):
        with pytest.raises(ValidationError) as exc:
            services.create_competency(people["hr"], agency=a, code=code, name="Lain")
        assert list(exc.value.message_dict) == ["code"]
    with pytest.raises(ValidationError) as exc:
        services.create_competency(people["hr"], agency=a, code="bukan slug!", name="")
    assert set(exc.value.message_dict) == {"code", "name"}
    # Another agency may use the same code for its own competency.
    other = services.create_competency(people["hr_b"], agency=b, code="adminduk", name="Adminduk B")
    assert other.agency == b
    # Nobody else adds one: HR of another agency, leadership, the ASN.
    for who in ("hr_b", "pimpinan", "asn"):
        with pytest.raises(PermissionDenied):
            services.create_competency(people[who], agency=a, code=f"x-{who}", name="X")
    assert Competency.objects.filter(agency=a).count() == 1
    assert AuditEntry.objects.filter(action="personnel.competency_created").count() == 2


def test_service_renames_own_competency_but_never_a_national_one(people, org):
    comp = _own(org)
    services.rename_competency(people["hr"], comp, name="Pelayanan administrasi kependudukan")
    comp.refresh_from_db()
    assert comp.name == "Pelayanan administrasi kependudukan"
    assert AuditEntry.objects.filter(action="personnel.competency_renamed").count() == 1
    with pytest.raises(ValidationError) as exc:
        services.rename_competency(people["hr"], comp, name="  ")
    assert list(exc.value.message_dict) == ["name"]
    with pytest.raises(PermissionDenied):
        services.rename_competency(people["hr_b"], comp, name="Diambil alih")
    national = Competency.objects.get(code="komunikasi", agency=None)
    with pytest.raises(PermissionDenied):
        services.rename_competency(people["hr"], national, name="Komunikasi lisan")
    national.refresh_from_db()
    assert national.name != "Komunikasi lisan"
    assert Competency.objects.filter(agency=None).count() == 9


def test_service_removes_a_requirement(people, org):
    a = org["a"]["agency"]
    comp = Competency.objects.get(code="komunikasi", agency=None)
    req = services.set_requirement(
        people["hr"], agency=a, position="Pengadministrasi", competency=comp, level=3
    )
    for who in ("hr_b", "pimpinan", "kabid"):
        with pytest.raises(PermissionDenied):
            services.remove_requirement(people[who], req)
    assert PositionRequirement.objects.filter(pk=req.pk).exists()
    services.remove_requirement(people["hr"], req)
    assert not PositionRequirement.objects.exists()
    entry = AuditEntry.objects.get(action="personnel.requirement_removed")
    assert entry.agency_id_ref == a.pk and entry.details["level"] == 3


# --- API ------------------------------------------------------------------------------------------


def test_api_adds_lists_and_renames_competencies(people, api_as, org):
    hr = api_as(people["hr"])
    r = hr.post(f"{P}/competencies", {"agency": "kab-a", "code": "adminduk", "name": "Adminduk"})
    assert r.status_code == 201, r.content
    assert r.json() == {"code": "adminduk", "name": "Adminduk", "type": "teknis", "national": False}
    r = hr.post(f"{P}/competencies", {"agency": "kab-a", "code": "adminduk", "name": "Lagi"})
    assert r.status_code == 422 and r.json()["error"] == "invalid_input"
    assert "code" in r.json()["fields"]
    # Leadership and auditors read the dictionary; agency B does not see agency A's competency.
    rows = api_as(people["pimpinan"]).get(f"{P}/competencies", {"agency": "kab-a"}).json()
    assert (
        len(rows) == 10
        and {"code": "adminduk", "name": "Adminduk", "type": "teknis", "national": False} in rows
    )
    assert sum(r["national"] for r in rows) == 9
    rows_b = api_as(people["hr_b"]).get(f"{P}/competencies").json()
    assert "adminduk" not in {r["code"] for r in rows_b}
    assert api_as(people["hr_b"]).get(f"{P}/competencies", {"agency": "kab-a"}).status_code == 403

    r = hr.patch(
        f"{P}/competencies/adminduk", {"agency": "kab-a", "name": "Administrasi kependudukan"}
    )
    assert r.status_code == 200 and r.json()["name"] == "Administrasi kependudukan"
    assert hr.patch(f"{P}/competencies/komunikasi", {"name": "Bicara"}).status_code == 403
    r = hr.patch(f"{P}/competencies/adminduk", {"name": ""})
    assert r.status_code == 422 and "name" in r.json()["fields"]
    assert hr.patch(f"{P}/competencies/tidak-ada", {"name": "X"}).status_code == 404
    # The new competency can be required of a position at once.
    r = hr.post(
        f"{P}/competency/requirements",
        {"agency": "kab-a", "position": "Pengadministrasi", "competency": "adminduk", "level": 3},
    )
    assert r.status_code == 201 and r.json()["competency"] == "adminduk"


def _program_body(code, competencies):
    return {
        "agency": "kab-a",
        "code": code,
        "title": "Program A",
        "category": "teknis",
        "method": "pelatihan",
        "competency_type": "teknis",
        "jp": "8",
        "competencies": competencies,
    }


def test_api_programme_links_own_and_national_competencies_only(people, api_as, org):
    """Competency codes are unique per agency only: agency B's own competency is unknown to A's
    programme (422 naming ``competencies``, nothing created), as on the page's form."""
    from amanah.personnel.models import Program

    services.create_competency(
        people["hr_b"], agency=org["b"]["agency"], code="tk-b", name="Investigasi internal B"
    )
    _own(org)
    hr = api_as(people["hr"])
    r = hr.post(f"{P}/programs", _program_body("prog-asing", ["komunikasi", "tk-b", "tak-ada"]))
    assert r.status_code == 422 and r.json()["error"] == "invalid_input", r.content
    assert "tk-b, tak-ada" in r.json()["fields"]["competencies"]
    assert not Program.objects.filter(code="prog-asing").exists()

    r = hr.post(f"{P}/programs", _program_body("prog-a", ["adminduk", "komunikasi", "adminduk"]))
    assert r.status_code == 201, r.content
    linked = Program.objects.get(code="prog-a").competencies.all()
    assert {(c.code, c.agency_id) for c in linked} == {
        ("adminduk", org["a"]["agency"].pk),
        ("komunikasi", None),
    }


def test_agency_own_competency_wins_over_a_national_one_of_the_same_code(people, api_as, org):
    from amanah.personnel.models import Program

    _own(org, code="komunikasi", name="Komunikasi layanan adminduk")
    r = api_as(people["hr"]).post(f"{P}/programs", _program_body("prog-k", ["komunikasi"]))
    assert r.status_code == 201, r.content
    (comp,) = Program.objects.get(code="prog-k").competencies.all()
    assert comp.agency_id == org["a"]["agency"].pk


def test_service_refuses_another_agencys_competency_for_a_programme(people, org):
    b_comp = services.create_competency(
        people["hr_b"], agency=org["b"]["agency"], code="tk-b", name="Investigasi internal B"
    )
    for agency, actor in ((org["a"]["agency"], people["hr"]), (None, None)):
        if actor is None:  # a national programme takes national competencies only
            from amanah.core.models import User

            actor = User.objects.create_superuser("admin-prog@test.id", "x")
        with pytest.raises(ValidationError) as err:
            services.create_program(
                actor,
                agency=agency,
                code=f"prog-{agency.pk if agency else 'nasional'}",
                title="Program",
                category="teknis",
                method="pelatihan",
                competency_type="teknis",
                jp=8,
                competencies=[b_comp],
            )
        assert "tk-b" in err.value.message_dict["competencies"][0]


def test_api_removes_a_requirement(people, api_as, org):
    hr = api_as(people["hr"])
    r = hr.post(
        f"{P}/competency/requirements",
        {"agency": "kab-a", "position": "Pengadministrasi", "competency": "komunikasi", "level": 3},
    )
    rid = r.json()["id"]
    listed = api_as(people["pimpinan"]).get(f"{P}/competency/requirements").json()
    assert listed == [
        {"id": rid, "position": "Pengadministrasi", "competency": "komunikasi", "level": 3}
    ]
    assert (
        api_as(people["pimpinan"]).delete(f"{P}/competency/requirements/{rid}").status_code == 403
    )
    assert api_as(people["hr_b"]).delete(f"{P}/competency/requirements/{rid}").status_code == 404
    assert hr.delete(f"{P}/competency/requirements/{rid}").status_code == 204
    assert not PositionRequirement.objects.exists()
    assert hr.delete(f"{P}/competency/requirements/{rid}").status_code == 404


# --- Page -----------------------------------------------------------------------------------------


def test_hr_adds_and_renames_a_competency_on_the_page(people, org, client):
    client.force_login(people["hr"])
    html = client.get(URL).content.decode()
    assert "Tambah kompetensi teknis" in html
    for field in ("kompetensi-code", "kompetensi-name"):
        assert f'<label for="id_{field}">' in html
    # A national code: the error is in Indonesian next to the code, the name typed is kept.
    r = client.post(
        f"{URL}baru/",
        {"instansi": "kab-a", "kompetensi-code": "komunikasi", "kompetensi-name": "Adminduk"},
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert _field_error(html, "id_kompetensi-code") == "Kode kompetensi ini sudah dipakai."
    assert 'value="Adminduk"' in html and 'value="komunikasi"' in html
    r = client.post(
        f"{URL}baru/", {"instansi": "kab-a", "kompetensi-code": "ad min", "kompetensi-name": ""}
    )
    html = r.content.decode()
    assert r.status_code == 400 and _field_error(html, "id_kompetensi-name")
    assert _field_error(html, "id_kompetensi-code") and 'value="ad min"' in html

    r = client.post(
        f"{URL}baru/",
        {"instansi": "kab-a", "kompetensi-code": "adminduk", "kompetensi-name": "Adminduk"},
    )
    assert r.status_code == 302
    comp = Competency.objects.get(agency=org["a"]["agency"])
    assert (comp.code, comp.type) == ("adminduk", "teknis")
    html = client.get(r["Location"]).content.decode()
    assert "Kompetensi teknis Adminduk ditambahkan." in html
    # It can be required of a position and gets its own rename form.
    assert f'<option value="{comp.pk}">Adminduk (Teknis)</option>' in html
    assert f'<label for="id_ubah-{comp.pk}-name">' in html

    r = client.post(f"{URL}{comp.pk}/nama/", {"instansi": "kab-a", f"ubah-{comp.pk}-name": ""})
    assert r.status_code == 400
    assert _field_error(r.content.decode(), f"id_ubah-{comp.pk}-name") == (
        "Bidang ini tidak boleh kosong."
    )
    r = client.post(
        f"{URL}{comp.pk}/nama/",
        {"instansi": "kab-a", f"ubah-{comp.pk}-name": "Administrasi kependudukan"},
    )
    assert r.status_code == 302
    comp.refresh_from_db()
    assert comp.name == "Administrasi kependudukan"
    # A national competency has no rename address.
    national = Competency.objects.get(code="komunikasi", agency=None)
    r = client.post(
        f"{URL}{national.pk}/nama/", {"instansi": "kab-a", f"ubah-{national.pk}-name": "X"}
    )
    assert r.status_code == 404


def test_hr_removes_a_requirement_on_the_page(people, org, client):
    a = org["a"]["agency"]
    comp = Competency.objects.get(code="komunikasi", agency=None)
    req = services.set_requirement(
        people["hr"], agency=a, position="Pengadministrasi", competency=comp, level=3
    )
    foreign = services.set_requirement(
        people["hr_b"],
        agency=org["b"]["agency"],
        position="Pengadministrasi",
        competency=comp,
        level=2,
    )
    client.force_login(people["hr"])
    html = client.get(URL).content.decode()
    assert f'action="/kepegawaian/kompetensi/standar/{req.pk}/hapus/"' in html
    assert 'aria-label="Hapus standar Pengadministrasi – ' in html
    assert (
        client.post(f"{URL}standar/{foreign.pk}/hapus/", {"instansi": "kab-a"}).status_code == 404
    )
    r = client.post(f"{URL}standar/{req.pk}/hapus/", {"instansi": "kab-a"})
    assert r.status_code == 302
    assert list(PositionRequirement.objects.all()) == [foreign]
    assert "dihapus" in client.get(r["Location"]).content.decode()


def test_dictionary_forms_are_for_hr_only(people, org, client):
    comp = _own(org)
    req = services.set_requirement(
        people["hr"],
        agency=org["a"]["agency"],
        position="Pengadministrasi",
        competency=comp,
        level=2,
    )
    client.force_login(people["pimpinan"])
    html = client.get(URL).content.decode()
    assert "Administrasi kependudukan" in html  # readers see the dictionary
    assert "kompetensi-code" not in html and "/hapus/" not in html and "ubah-" not in html
    for url, data in (
        (f"{URL}baru/", {"kompetensi-code": "lain", "kompetensi-name": "Lain"}),
        (f"{URL}{comp.pk}/nama/", {f"ubah-{comp.pk}-name": "Lain"}),
        (f"{URL}standar/{req.pk}/hapus/", {}),
    ):
        assert client.post(url, {"instansi": "kab-a", **data}).status_code == 403
    assert PositionRequirement.objects.count() == 1
    assert Competency.objects.get(pk=comp.pk).name == "Administrasi kependudukan"
    assert Competency.objects.filter(agency__isnull=False).count() == 1


def test_competency_page_ids_are_unique(people, org, client):
    for code in ("satu", "dua"):
        _own(org, code=code, name=f"Kompetensi {code}")
    comp = Competency.objects.get(code="komunikasi", agency=None)
    for position in ("Pengadministrasi", "Analis"):
        services.set_requirement(
            people["hr"], agency=org["a"]["agency"], position=position, competency=comp, level=2
        )
    client.force_login(people["hr"])
    html = client.get(URL).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for target in re.findall(r'<label for="([^"]+)"', html):
        assert target in ids, target
