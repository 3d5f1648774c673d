"""An HR officer who is themself an ASN never sets, rates, imports or answers an objection to their
own SKP (PermenPANRB 6/2022: the rating is the supervisor's), on the pages, the API or a service."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from amanah.personnel import services
from amanah.personnel.models import Skp

from . import helpers

P = "/api/v1/personnel"


@pytest.fixture
def hr_asn(org, make_user):
    return make_user("kepegawaian", org["a"]["agency"], employee=org["a"]["staff"])


def _objected(hr_asn, staff):
    s = helpers.skp(staff)
    s.hasil_kerja, s.perilaku, s.predicate, s.status = (
        "di_bawah",
        "sesuai",
        "butuh_perbaikan",
        "dinilai",
    )
    s.save()
    services.object_skp(hr_asn, s, text="Penilaian tidak sesuai capaian saya")
    return s


def test_services_refuse_the_hr_officers_own_skp(hr_asn, org):
    staff = org["a"]["staff"]
    with pytest.raises(PermissionDenied):
        services.create_skp(
            hr_asn,
            staff,
            helpers.period(org["a"]["agency"]),
            indicators=[{"description": "Dokumen", "target": 10, "unit": "berkas"}],
        )
    s = helpers.skp(staff, helpers.period(org["a"]["agency"], name="Lain"))
    with pytest.raises(PermissionDenied):
        services.rate_skp(hr_asn, s, hasil_kerja="di_atas", perilaku="di_atas")
    s.refresh_from_db()
    assert s.predicate == "" and s.status == "draf"


def test_hr_officer_cannot_answer_their_own_objection(hr_asn, org, make_user):
    s = _objected(hr_asn, org["a"]["staff"])
    with pytest.raises(PermissionDenied):
        services.resolve_objection(
            hr_asn, s, response="Dikabulkan", hasil_kerja="di_atas", perilaku="di_atas"
        )
    s.refresh_from_db()
    assert s.status == "keberatan" and s.predicate == "butuh_perbaikan"
    other_hr = make_user("kepegawaian", org["a"]["agency"])
    services.resolve_objection(other_hr, s, response="Ditolak")  # another HR officer may


def test_skp_page_offers_the_hr_asn_no_rating_and_refuses_it(hr_asn, org, client):
    s = helpers.skp(org["a"]["staff"])
    client.force_login(hr_asn)
    page = client.get(f"/kepegawaian/skp/{s.pk}/").content.decode()
    assert 'value="rate"' not in page
    r = client.post(
        f"/kepegawaian/skp/{s.pk}/",
        {"action": "rate", "hasil_kerja": "di_atas", "perilaku": "di_atas", "notes": ""},
    )
    assert r.status_code == 403
    s.refresh_from_db()
    assert s.predicate == ""
    page = client.get(f"/kepegawaian/pegawai/{org['a']['staff'].nip}/").content.decode()
    assert "ind1_target" not in page  # no form to set their own targets


def test_api_refuses_the_hr_asn_rating_their_own_skp(hr_asn, org, api_as):
    s = helpers.skp(org["a"]["staff"])
    r = api_as(hr_asn).post(
        f"{P}/skp/{s.pk}/rating", {"hasil_kerja": "di_atas", "perilaku": "di_atas"}
    )
    assert r.status_code == 403
    assert Skp.objects.get(pk=s.pk).predicate == ""


def test_hr_asn_cannot_import_their_own_skp_result(hr_asn, org, api_as):
    p = helpers.period(org["a"]["agency"])
    data = f"nip,periode,hasil_kerja,perilaku\n{org['a']['staff'].nip},{p.name},di_atas,di_atas\n"
    r = api_as(hr_asn).post(
        f"{P}/imports/skp",
        {"file": SimpleUploadedFile("skp.csv", data.encode(), "text/csv")},
        multipart=True,
    )
    assert r.status_code == 422 and "2.nip" in r.json()["fields"], r.content
    assert not Skp.objects.filter(employee=org["a"]["staff"]).exists()
