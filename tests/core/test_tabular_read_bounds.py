"""Reading an uploaded XLSX (``core.tabular.read_rows``) reads what the file holds, within bounds, not what
the sheet claims: openpyxl pads every row to the width of the sheet's ``<dimension ref>`` and fills in
every missing row up to its height, so a file of a few KB claiming ``A1:XFD1048576`` would otherwise
make billions of cells. Columns are bounded by ``MAX_COLUMNS`` (values right of the header, up to it, are
refused rather than dropped), blank rows are not
kept, reading stops past ``MAX_ROWS`` and a file that unpacks to more than ``MAX_UNPACKED_BYTES`` is not
opened. The cells read are counted through ``tabular._cell``, which every value read goes through."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from amanah.core import tabular

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NS = "http://schemas.openxmlformats.org/"
PARTS = {
    "[Content_Types].xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{NS}package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS}package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{NS}officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}spreadsheetml/2006/main" '
        f'xmlns:r="{NS}officeDocument/2006/relationships"><sheets>'
        '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS}package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{NS}officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xlsx(dimension: str, rows: dict[int, list[str]], padding: int = 0) -> bytes:
    """A valid XLSX written by hand, whose sheet claims ``dimension`` and holds only ``rows``
    (row number → texts from column A), plus a part of ``padding`` zero bytes (which packs to almost
    nothing)."""
    cells = "".join(
        f'<row r="{n}">'
        + "".join(_inline(f"{get_column_letter(i)}{n}", t) for i, t in enumerate(texts, 1))
        + "</row>"
        for n, texts in sorted(rows.items())
    )
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{NS}spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in {**PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            z.writestr(name, text)
        if padding:
            chunk = bytes(1024 * 1024)
            with z.open("xl/media/isi.bin", "w", force_zip64=True) as part:
                for start in range(0, padding, len(chunk)):
                    part.write(chunk[: padding - start])
    return out.getvalue()


@pytest.fixture
def cells_read(monkeypatch):
    """How many cell values ``read_rows`` turned into text."""
    seen = {"n": 0}
    real = tabular._cell

    def counting(value):
        seen["n"] += 1
        return real(value)

    monkeypatch.setattr(tabular, "_cell", counting)
    return seen


def test_a_sheet_claiming_the_largest_dimension_is_read_as_the_cells_it_holds(cells_read):
    # 16,384 columns x 1,048,576 rows claimed (17 billion cells); two rows held.
    data = sheet_xlsx("A1:XFD1048576", {1: ["NIP", "Nama"], 1048576: ["123", "Rina"]})
    assert len(data) < 2500
    header, rows = tabular.read_rows(data, filename="bom.xlsx")
    assert header == ["nip", "nama"]
    assert rows == [{"nip": "123", "nama": "Rina", "_row": 1048576}]
    assert cells_read["n"] <= 2 * 2  # the header's width, for the header and the one row held


def test_values_right_of_the_header_are_refused_and_read_only_up_to_the_bound(cells_read):
    # A value right of the header would be dropped without a word: it is refused, naming where it
    # first is in each column; cells are looked at (not turned into text) only up to MAX_COLUMNS.
    data = sheet_xlsx("A1:XFD3", {1: ["nip"], 2: ["1", "lebih", "lagi"], 3: ["", "", "x"]})
    with pytest.raises(tabular.ImportRejected) as caught:
        tabular.read_rows(data, filename="lebar.xlsx")
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "B"), (2, "C")]
    assert cells_read["n"] <= 2
    far = sheet_xlsx("A1:XFD2", {1: ["nip"], 2: ["1"] + [""] * (tabular.MAX_COLUMNS - 2) + ["x"]})
    with pytest.raises(tabular.ImportRejected) as caught:
        tabular.read_rows(far, filename="jauh.xlsx")
    assert [(e.row, e.column) for e in caught.value.errors] == [
        (2, get_column_letter(tabular.MAX_COLUMNS))
    ]
    past = sheet_xlsx("A1:XFD2", {1: ["nip"], 2: ["1"] + [""] * (tabular.MAX_COLUMNS - 1) + ["x"]})
    assert tabular.read_rows(past, filename="lewat.xlsx")[1] == [{"nip": "1", "_row": 2}]


def test_a_header_wider_than_the_bound_is_refused():
    wide = [f"k{i}" for i in range(tabular.MAX_COLUMNS + 1)]
    with pytest.raises(tabular.ImportRejected) as caught:
        tabular.read_rows(sheet_xlsx("A1:XFD2", {1: wide, 2: ["1"]}), filename="lebar.xlsx")
    assert "Terlalu banyak kolom" in str(caught.value)
    assert str(tabular.MAX_COLUMNS) in str(caught.value)
    at_bound = tabular.read_rows(sheet_xlsx("A1:A1", {1: wide[:-1], 2: ["1"]}), filename="b.xlsx")
    assert len(at_bound[0]) == tabular.MAX_COLUMNS


def test_reading_stops_at_the_first_row_past_the_limit(monkeypatch, cells_read):
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    rows = {1: ["nip"], **{n: [str(n)] for n in range(2, 2000)}}
    with pytest.raises(tabular.ImportRejected) as caught:
        tabular.read_rows(sheet_xlsx("A1:A1999", rows), filename="panjang.xlsx")
    assert "Terlalu banyak baris (paling banyak 3)" in str(caught.value)
    assert cells_read["n"] == 0  # refused while reading, before any row was turned into text
    _, kept = tabular.read_rows(
        sheet_xlsx("A1:A4", dict(list(rows.items())[:4])), filename="x.xlsx"
    )
    assert [r["nip"] for r in kept] == ["2", "3", "4"]


def test_a_file_that_unpacks_too_large_is_not_opened(monkeypatch):
    data = sheet_xlsx("A1:B2", {1: ["nip"], 2: ["1"]}, padding=5000)
    assert len(data) < 2500
    monkeypatch.setattr(tabular, "MAX_UNPACKED_BYTES", 4096)

    def never(*args, **kwargs):
        raise AssertionError("opened")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    with pytest.raises(tabular.ImportRejected) as caught:
        tabular.read_rows(data, filename="bom.xlsx")
    assert "terlalu besar setelah dibuka" in str(caught.value)


def test_the_unpacked_bound_stops_a_real_zip_bomb():
    # The real bound, against a real bomb: 101 MB of zero bytes packed into about 100 KB.
    data = sheet_xlsx("A1:A2", {1: ["nip"], 2: ["1"]}, padding=tabular.MAX_UNPACKED_BYTES + 2**20)
    assert len(data) < tabular.MAX_BYTES // 20
    with pytest.raises(tabular.ImportRejected) as caught:
        tabular.read_rows(data, filename="bom.xlsx")
    assert "terlalu besar setelah dibuka (paling besar 100 MB)" in str(caught.value)
    # Below it, the same kind of file is read.
    small = sheet_xlsx("A1:A2", {1: ["nip"], 2: ["1"]}, padding=2**20)
    assert tabular.read_rows(small, filename="ok.xlsx")[1] == [{"nip": "1", "_row": 2}]


def test_rows_keep_their_spreadsheet_numbers_and_a_dimension_claiming_too_little_hides_nothing():
    wb = Workbook()
    ws = wb.active
    ws.append(["NIP", "Nama"])
    ws.append(["1", "Satu"])
    ws.append([None, "   "])  # blank: skipped, and the next row keeps its number
    ws.append(["3", "Tiga"])
    buf = io.BytesIO()
    wb.save(buf)
    header, rows = tabular.read_rows(buf.getvalue(), filename="biasa.xlsx")
    assert header == ["nip", "nama"]
    assert [(r["_row"], r["nip"]) for r in rows] == [(2, "1"), (4, "3")]
    # A writer that declares A1:A1 for a bigger sheet: every row and column of the header is read.
    data = sheet_xlsx("A1:A1", {1: ["nip", "nama"], 2: ["1", "Satu"], 5: ["4", "Empat"]})
    _, rows = tabular.read_rows(data, filename="kecil.xlsx")
    assert rows == [
        {"nip": "1", "nama": "Satu", "_row": 2},
        {"nip": "4", "nama": "Empat", "_row": 5},
    ]


def test_an_empty_sheet_is_an_empty_file():
    with pytest.raises(tabular.ImportRejected) as caught:
        tabular.read_rows(sheet_xlsx("A1", {}), filename="kosong.xlsx")
    assert "Berkas kosong" in str(caught.value)


@pytest.mark.django_db
def test_the_employee_import_refuses_a_dimension_bomb_after_reading_only_its_cells(
    org, users, api_as, cells_read
):
    data = sheet_xlsx("A1:XFD1048576", {1: ["nip"], 1048576: ["x"]})
    r = api_as(users[("kepegawaian", "a")]).post(
        "/api/v1/staff/employees/import?agency=kab-a",
        {"file": SimpleUploadedFile("p.xlsx", data, XLSX)},
        multipart=True,
    )
    assert r.status_code == 422
    assert "nama" in r.json()["message"]  # the columns it lacks, said as for any file
    assert cells_read["n"] < 10
