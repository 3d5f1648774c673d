"""ASN directory import from CSV/XLSX: every row checked, all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from amanah.core.models import Employee

GOOD = (
    "nip,nama,unit,jabatan,email,kepala_unit\n"
    "198805142010011003,Rina Lestari,kab-a-dafduk,Analis Kependudukan,rina@kab-a.go.id,\n"
    "19900101 201501 2 004,Dewi Sartika,kab-a-dukcapil,Sekretaris Dinas,,\n"
    "197605152000121009,Budi Santoso,kab-a-insp,Auditor Ahli Madya,,ya\n"
)


def _upload(name, data, ctype="text/csv"):
    return SimpleUploadedFile(
        name, data if isinstance(data, bytes) else data.encode(), content_type=ctype
    )


@pytest.mark.django_db
def test_csv_import_creates_and_updates(org, users, api_as):
    client = api_as(users[("kepegawaian", "a")])
    r = client.post(
        "/api/v1/staff/employees/import?agency=kab-a",
        {"file": _upload("p.csv", GOOD)},
        multipart=True,
    )
    assert r.status_code == 200, r.content
    assert r.json() == {"created": 3, "updated": 0}
    budi = Employee.objects.get(nip="197605152000121009")
    org["a"]["insp"].refresh_from_db()
    assert org["a"]["insp"].head == budi
    assert Employee.objects.get(nip="199001012015012004").gender == "P"
    again = GOOD.replace("Rina Lestari", '"Rina Lestari, S.Kom."')
    r = client.post(
        "/api/v1/staff/employees/import?agency=kab-a",
        {"file": _upload("p.csv", again)},
        multipart=True,
    )
    assert r.json() == {"created": 0, "updated": 3}
    assert Employee.objects.get(nip="198805142010011003").name == "Rina Lestari, S.Kom."


@pytest.mark.django_db
def test_one_bad_row_rejects_the_whole_file_with_every_error(org, users, api_as):
    client = api_as(users[("kepegawaian", "a")])
    bad = (
        GOOD
        + (
            "198805142010011003,Duplikat,kab-a-dafduk,Staf,,\n"  # row 5: same NIP as row 2
            "12345,Salah NIP,kab-a-dafduk,Staf,,\n"  # row 6
            "199203042016031005,Tanpa Unit,kab-b-dafduk,Staf,bukan-email,\n"  # row 7: unit of another agency
        )
    )
    before = Employee.objects.count()
    r = client.post(
        "/api/v1/staff/employees/import?agency=kab-a",
        {"file": _upload("p.csv", bad)},
        multipart=True,
    )
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "import_rejected"
    found = {(e["row"], e["column"]) for e in body["rows"]}
    assert {(5, "nip"), (6, "nip"), (7, "unit"), (7, "email")} <= found
    # The same problems where every refusal puts them: ``fields``, keyed "row.column".
    assert {"5.nip", "6.nip", "7.unit", "7.email"} <= set(body["fields"])
    assert Employee.objects.count() == before  # nothing half-imported


@pytest.mark.django_db
def test_xlsx_import_and_missing_columns(org, users, api_as):
    client = api_as(users[("kepegawaian", "a")])
    wb = Workbook()
    ws = wb.active
    ws.append(["NIP", "Nama", "Unit", "Jabatan"])
    ws.append(["198805142010011003", "Rina", "kab-a-dafduk", "Analis"])
    buf = io.BytesIO()
    wb.save(buf)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    # The same NIP typed into a number cell has already lost its last digits: refused, not guessed.
    ws.append([199203042016031005, "Angka", "kab-a-dafduk", "Analis"])
    lossy = io.BytesIO()
    wb.save(lossy)
    r = client.post(
        "/api/v1/staff/employees/import?agency=kab-a",
        {"file": _upload("p.xlsx", lossy.getvalue(), xlsx)},
        multipart=True,
    )
    assert r.status_code == 422
    assert r.json()["rows"][0]["row"] == 3 and "teks" in r.json()["rows"][0]["message"]
    r = client.post(
        "/api/v1/staff/employees/import?agency=kab-a",
        {"file": _upload("p.xlsx", buf.getvalue(), xlsx)},
        multipart=True,
    )
    assert r.status_code == 200, r.content
    assert Employee.objects.filter(nip="198805142010011003", name="Rina").exists()
    r = client.post(
        "/api/v1/staff/employees/import?agency=kab-a",
        {"file": _upload("p.csv", "nip,nama\n1,2\n")},
        multipart=True,
    )
    assert r.status_code == 422 and "unit" in r.json()["message"]
    r = client.post(
        "/api/v1/staff/employees/import?agency=kab-a",
        {"file": _upload("p.xlsx", b"PK\x03\x04rusak", xlsx)},
        multipart=True,
    )
    assert r.status_code == 422 and "XLSX" in r.json()["message"]


@pytest.mark.django_db
def test_nip_of_another_agency_is_not_taken_over(org, users, api_as):
    client = api_as(users[("kepegawaian", "a")])
    csv = f"nip,nama,unit,jabatan\n{org['b']['staff'].nip},Ambil Alih,kab-a-dafduk,Staf\n"
    r = client.post(
        "/api/v1/staff/employees/import?agency=kab-a",
        {"file": _upload("p.csv", csv)},
        multipart=True,
    )
    assert r.status_code == 422
    assert r.json()["fields"]["2.nip"] == "NIP ini terdaftar di instansi lain."
    assert Employee.objects.get(nip=org["b"]["staff"].nip).name == "Staf b"


@pytest.mark.django_db
def test_directory_lists_superiors(org, users, api_as):
    r = api_as(users[("kepegawaian", "a")]).get("/api/v1/staff/employees?agency=kab-a&q=Staf")
    assert r.status_code == 200
    (row,) = r.json()["items"]
    assert row["superiors"] == [org["a"]["kabid"].nip, org["a"]["kadis"].nip, org["a"]["sekda"].nip]
    r = api_as(users[("kepegawaian", "a")]).get("/api/v1/staff/employees?agency=tidak-ada")
    assert r.status_code == 404 and r.json()["error"] == "unknown_agency"
