"""All-or-nothing CSV/XLSX imports with per-row errors, and BKN-style exports."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from amanah.core.models import Employee
from amanah.personnel.models import Profile, Skp, Training

from . import helpers

P = "/api/v1/personnel"


def _xlsx(rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _post(client, kind, name, data, ctype="text/csv"):
    return client.post(
        f"{P}/imports/{kind}", {"file": SimpleUploadedFile(name, data, ctype)}, multipart=True
    )


def test_training_import_rejects_whole_file_with_row_errors(people, api_as, org):
    nip = org["a"]["staff"].nip
    data = (
        f"nip,nama_kegiatan,jp,tanggal_selesai\n{nip},Pelatihan SIAK,8,2025-03-03\n"
        f"{nip},Kursus,-3,2025-03-04\n199901012020011999,Kursus,4,2025-13-01\n"
    ).encode()
    r = _post(api_as(people["hr"]), "diklat", "diklat.csv", data)
    assert r.status_code == 422 and r.json()["error"] == "import_rejected"
    fields = r.json()["fields"]
    assert (
        "3.jp" in fields
        and "4.nip" in fields
        and "4.tanggal_selesai" in fields
        and "2.jp" not in fields
    )
    assert not Training.objects.exists()
    ok = f"nip,nama_kegiatan,jp,tanggal_selesai\n{nip},Pelatihan SIAK,8,2025-03-03\n{nip},Seminar,4,04/03/2025\n"
    r = _post(api_as(people["hr"]), "diklat", "diklat.csv", ok.encode())
    assert r.status_code == 201 and r.json() == {"created": 2}
    assert sum(t.jp for t in Training.objects.all()) == 12


def test_training_import_refuses_other_agency_nip(people, api_as, org):
    data = (
        f"nip,nama_kegiatan,jp,tanggal_selesai\n{org['b']['staff'].nip},X,4,2025-03-03\n".encode()
    )
    r = _post(api_as(people["hr"]), "diklat", "d.csv", data)
    assert r.status_code == 422 and "2.nip" in r.json()["fields"]


def test_asn_import_xlsx_with_education(people, api_as, org):
    data = _xlsx(
        [
            ["nip", "nama", "unit", "jabatan", "pendidikan"],
            ["199402022019031001", "Andi", "kab-a-dafduk", "Pengolah Data", "S-1"],
            ["199503032020122001", "Sari", "kab-a-dafduk", "Analis", "D-III"],
        ]
    )
    r = _post(api_as(people["hr"]), "asn", "asn.xlsx", data, "application/octet-stream")
    assert r.status_code == 201, r.content
    assert Profile.objects.get(employee__nip="199402022019031001").education == "s1"
    assert Profile.objects.get(employee__nip="199503032020122001").education == "d3"
    bad = _xlsx(
        [
            ["nip", "nama", "unit", "jabatan", "pendidikan"],
            ["199603032021011001", "Baru", "kab-a-dafduk", "Analis", "S-9"],
        ]
    )
    r = _post(api_as(people["hr"]), "asn", "asn.xlsx", bad, "application/octet-stream")
    assert r.status_code == 422 and "2.pendidikan" in r.json()["fields"]
    assert not Employee.objects.filter(nip="199603032021011001").exists()


def test_skp_import_computes_predicate(people, api_as, org):
    p = helpers.period(org["a"]["agency"], name="Tahun 2025", year=2025)
    data = (
        f"nip,periode,hasil_kerja,perilaku\n{org['a']['staff'].nip},Tahun 2025,di atas,di_atas\n"
        f"{org['a']['kabid'].nip},Tahun 2025,sesuai,buruk\n"
    ).encode()
    r = _post(api_as(people["hr"]), "skp", "skp.csv", data)
    assert r.status_code == 422 and "3.perilaku" in r.json()["fields"]
    assert not Skp.objects.exists()
    r = _post(api_as(people["hr"]), "skp", "skp.csv", data.replace(b"buruk", b"sesuai"))
    assert r.status_code == 201
    assert Skp.objects.get(employee=org["a"]["staff"], period=p).predicate == "sangat_baik"
    assert Skp.objects.get(employee=org["a"]["kabid"]).predicate == "baik"


def test_exports_csv_and_xlsx(people, api_as, org):
    helpers.training(org["a"]["staff"], jp=8, title="=HYPERLINK(1)", certificate_number="SRT-1")
    client = api_as(people["hr"])
    year = helpers.today().year
    r = client.get(f"{P}/exports/diklat", {"year": year})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["NIP", "NAMA", "JENIS_DIKLAT"]
    assert (
        rows[1][0] == org["a"]["staff"].nip
        and rows[1][4] == "'=HYPERLINK(1)"
        and rows[1][6] == "8.0"
    )
    r = client.get(f"{P}/exports/jp", {"year": year, "format": "xlsx"})
    ws = load_workbook(io.BytesIO(r.content)).active
    values = {row[0]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    assert values[org["a"]["staff"].nip][4] == "8.0" and values[org["a"]["staff"].nip][6] == "TIDAK"
    for kind in ("skp", "hukdis", "indeks"):
        assert client.get(f"{P}/exports/{kind}").status_code == 200
    assert client.get(f"{P}/exports/rahasia").status_code == 404
    assert client.get(f"{P}/exports/jp", {"format": "pdf"}).status_code == 400


def test_training_file_sent_twice_does_not_count_jp_twice(people, api_as, org):
    """A row already recorded (same ASN, activity and completion date) is refused with its row and
    column, so a file re-sent by an operator does not double anyone's JP (PP 11/2017 Pasal 203(4))."""
    from amanah.personnel import selectors

    staff, day = org["a"]["staff"], helpers.today().isoformat()
    data = f"nip,nama_kegiatan,jp,tanggal_selesai\n{staff.nip},Pelatihan arsip,10,{day}\n".encode()
    client = api_as(people["hr"])
    assert _post(client, "diklat", "d.csv", data).status_code == 201
    r = _post(client, "diklat", "d.csv", data)
    assert r.status_code == 422 and "2.nama_kegiatan" in r.json()["fields"], r.content
    assert selectors.development(staff, helpers.today().year)["jp_total"] == 10
    other_day = f"nip,nama_kegiatan,jp,tanggal_selesai\n{staff.nip},Pelatihan arsip,10,2025-03-03\n"
    assert _post(client, "diklat", "d.csv", other_day.encode()).status_code == 201
