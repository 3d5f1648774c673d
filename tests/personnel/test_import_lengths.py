"""Personnel imports refuse text longer than its column at its row and column instead of cutting it:
the ASN file (through the directory import) and the training file (``nama_kegiatan`` ≤ 200,
``nomor_sertifikat`` ≤ 100)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amanah.core.models import Employee
from amanah.personnel.models import Training

pytestmark = pytest.mark.django_db

P = "/api/v1/personnel"


def _post(client, kind, data):
    return client.post(
        f"{P}/imports/{kind}",
        {"file": SimpleUploadedFile("f.csv", data.encode(), "text/csv")},
        multipart=True,
    )


def test_asn_import_refuses_an_overlong_position(people, api_as):
    data = "nip,nama,unit,jabatan\n198805142010011003,Rina,kab-a-dafduk," + "J" * 201 + "\n"
    r = _post(api_as(people["hr"]), "asn", data)
    assert r.status_code == 422, r.content
    assert "2.jabatan" in r.json()["fields"]
    assert not Employee.objects.filter(nip="198805142010011003").exists()


@pytest.mark.parametrize(
    ("title", "certificate", "field"),
    [("K" * 201, "", "2.nama_kegiatan"), ("Kursus SIAK", "N" * 101, "2.nomor_sertifikat")],
)
def test_training_import_refuses_overlong_text(people, api_as, org, title, certificate, field):
    nip = org["a"]["staff"].nip
    data = (
        "nip,nama_kegiatan,jp,tanggal_selesai,nomor_sertifikat\n"
        f"{nip},{title},8,2025-03-03,{certificate}\n"
    )
    r = _post(api_as(people["hr"]), "diklat", data)
    assert r.status_code == 422, r.content
    assert r.json()["error"] == "import_rejected"
    assert field in r.json()["fields"]
    assert not Training.objects.exists()


def test_training_import_takes_text_at_the_column_length(people, api_as, org):
    nip = org["a"]["staff"].nip
    data = (
        "nip,nama_kegiatan,jp,tanggal_selesai,nomor_sertifikat\n"
        f"{nip},{'K' * 200},8,2025-03-03,{'N' * 100}\n"
    )
    r = _post(api_as(people["hr"]), "diklat", data)
    assert r.status_code == 201, r.content
    t = Training.objects.get()
    assert len(t.title) == 200 and len(t.certificate_number) == 100
