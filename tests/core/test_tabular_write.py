"""Writing downloads (``core.tabular.xlsx_bytes`` / ``write_xlsx``): every sheet keeps people's text as text,
headers bold, dates as dates, and generators are written as they come.

The writer is XlsxWriter in constant_memory mode (it replaced openpyxl's write-only mode, then a hand-written
SpreadsheetML writer); what a reader finds in its cells is checked here against the same sheets written
cell by cell with openpyxl, read back with openpyxl."""

import datetime as dt
import enum
import io
import tempfile
import tracemalloc
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
import pytest
from django.db import models

from amanah.core import tabular


def test_every_sheet_keeps_formula_and_error_strings_as_text():
    def second():
        yield ["Nama", "Tanggal"]
        yield ["=1+1", dt.date(2026, 3, 2)]
        yield ["#N/A", None]

    data = tabular.xlsx_bytes([("Satu", [["A"], ["b"]]), ("Dua", second())], freeze="A2")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    one, two = wb.worksheets
    assert one.freeze_panes == "A2" and two.freeze_panes is None
    assert two["A1"].font.bold and two["A2"].data_type == "s" and two["A2"].value == "=1+1"
    assert two["A3"].data_type == "s" and two["A3"].value == "#N/A"
    assert two["B2"].is_date


class Kind(models.TextChoices):
    WEB = "web", "Situs web"


class Level(enum.IntEnum):
    TWO = 2


def _sheets():
    """Every kind of value an export writes, and the awkward ones."""

    def many():
        yield [
            "No",
            "Diterima",
            "Batas",
            "Judul",
            "Nilai",
            "Rasio",
            "Final",
            "Kosong",
            "IKM",
            "Jam",
        ]
        for i in range(600):
            yield [
                i,
                dt.datetime(2025, 5, 6, 7, 8, 9, 123000) + dt.timedelta(minutes=37 * i),
                dt.date(2026, 1, 1) + dt.timedelta(days=i % 400),
                f"  Judul <&> \"kutip\" 'a' {i} é 日本\n baris\tdua ",
                i * 1_000_003,
                i / 8,
                i % 2 == 0,
                "" if i % 3 else None,
                Decimal("82.50") + i,
                dt.time(i % 24, 5, 6),
            ]

    awkward = [
        ["Teks", "Galat", "Angka", "Kosong", "Hampa"],
        ["=SUM(A1:A2)", "#DIV/0!", "+62 812", "-5", "@x"],
        [],
        [
            "x" * 40_000,
            "1900-02-28",
            dt.date(1900, 2, 28),
            dt.date(1900, 3, 1),
            dt.datetime(1900, 1, 1, 12),
        ],
        [True, False, 0, -3, 1.5e300],
        [Kind.WEB, Level.TWO, None, "akhir"],
    ]
    return [("Pengaduan", many()), ("Lain", awkward), ("Kosong", [])]


def _openpyxl_reference(sheets, out, *, freeze):
    """The same sheets written as the exports were before: openpyxl write-only, one cell object a value."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)
    for n, (title, rows) in enumerate(sheets):
        ws = wb.create_sheet(title)
        if n == 0:
            ws.freeze_panes = freeze
        rows = iter(rows)
        for number, row in enumerate(rows):
            cells = []
            for value in row:
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                if number == 0:
                    cell.font = Font(bold=True)
                cells.append(cell)
            ws.append(cells)
    wb.save(out)


def _cells(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheets = {}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells[c.coordinate] = (
                        c.value,
                        c.data_type,
                        c.number_format,
                        c.font.b,
                        c.is_date,
                    )
        sheets[ws.title] = (ws.freeze_panes, ws.max_row, cells)
    return wb.sheetnames, wb.active.title, sheets


def test_cells_read_back_as_openpyxl_wrote_them():
    ours = tabular.xlsx_bytes(_sheets(), freeze="B2")
    reference = io.BytesIO()
    _openpyxl_reference(_sheets(), reference, freeze="B2")
    names, active, got = _cells(ours)
    ref_names, ref_active, want = _cells(reference.getvalue())
    assert (
        names == ref_names == ["Pengaduan", "Lain", "Kosong"]
        and active == ref_active == "Pengaduan"
    )
    for title in names:
        freeze, max_row, cells = got[title]
        assert (freeze, max_row) == want[title][:2], title
        assert cells.keys() == want[title][2].keys(), title
        for ref, (value, *kind) in cells.items():
            want_value, *want_kind = want[title][2][ref]
            # openpyxl wrote floats to 16 significant digits; they are now written whole (see below).
            assert value == (
                pytest.approx(want_value, rel=1e-15) if isinstance(value, float) else want_value
            )
            assert kind == want_kind, (title, ref)
    sheet = got["Pengaduan"][2]
    assert sheet["A1"] == ("No", "s", "General", True, False)
    assert sheet["B2"] == (
        dt.datetime(2025, 5, 6, 7, 8, 9, 123000),
        "d",
        "yyyy-mm-dd h:mm:ss",
        False,
        True,
    )
    assert sheet["C2"][:3] == (dt.datetime(2026, 1, 1), "d", "yyyy-mm-dd")
    assert sheet["D2"][0] == "  Judul <&> \"kutip\" 'a' 0 é 日本\n baris\tdua "
    assert sheet["J2"][:3] == (dt.time(0, 5, 6), "d", "h:mm:ss")
    other = got["Lain"][2]
    assert other["A2"] == ("=SUM(A1:A2)", "s", "General", False, False) and other["B2"][:2] == (
        "#DIV/0!",
        "s",
    )
    assert len(other["A4"][0]) == tabular.CELL_TEXT_MAX and other["C4"][0] == dt.datetime(
        1900, 2, 28
    )
    assert (
        other["A6"][0] == "web" and other["B6"][:2] == (2, "n") and other["A5"][:2] == (True, "b")
    )


def test_numbers_read_back_exactly():
    values = [0.1 + 0.2, 1 / 7, 77.77, 2**53 + 1, -0.0]
    wb = openpyxl.load_workbook(io.BytesIO(tabular.xlsx_bytes([("Angka", [["n"], values])])))
    assert list(next(wb.worksheets[0].iter_rows(min_row=2, values_only=True))) == values


def test_text_keeps_line_breaks_and_loses_only_what_xml_cannot_carry():
    # openpyxl refused a control character (the download failed); it is invisible, so it is dropped.
    typed = ["Baris satu\r\nbaris dua\r", "Tab\tdan\vvertikal\x00", " <b>&amp;</b> ", "'petik"]
    data = tabular.xlsx_bytes([("Teks", [typed, typed])])
    row1, row2 = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)
    # A carriage return (CR LF from a browser's text area, or alone) is written as the line feed a
    # spreadsheet program makes: XlsxWriter would write it as "_x000D_", which openpyxl reads literally.
    want = ("Baris satu\nbaris dua\n", "Tab\tdanvertikal", " <b>&amp;</b> ", "'petik")
    assert row1 == row2 == want


def test_text_shaped_like_xml_markup_stays_text_and_adds_no_cell():
    """XlsxWriter takes a string starting with ``<r>`` and ending with ``</r>`` for the XML of a rich
    string and writes it unescaped: a complaint title so shaped could add cells (a formula) to a staff
    member's download or break the file. It is written as the text it is, in the header and the rows."""
    injected = '<r><t>ok</t></r></is></c><c r="C2"><f>1+1</f></c><c r="D2" t="inlineStr"><is><r><t>z</t></r>'
    rows = [["<r>Judul</r>", "No"], ["<r>x</r>", 1], [injected, 2]]
    data = tabular.xlsx_bytes([("Teks", rows)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert [list(r) for r in ws.iter_rows(values_only=True)] == rows


def test_every_part_is_well_formed_and_the_content_types_come_first():
    data = tabular.xlsx_bytes(_sheets(), freeze="C3")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml"  # where programs look to tell an .xlsx from a zip
        assert {"xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet3.xml"} <= set(names)
        for name in names:
            ElementTree.fromstring(archive.read(name))
    assert openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].freeze_panes == "C3"


@pytest.mark.parametrize("title", ["", "a/b", "Sheet?", "'Kutip'"])
def test_a_title_a_spreadsheet_cannot_hold_is_refused(title):
    with pytest.raises(ValueError):
        tabular.xlsx_bytes([(title, [["a"]])])


def _rows(count, seen=None, at=None, fail=False):
    yield ["No", "Judul", "Diterima"]
    for i in range(count):
        if i == at:
            seen.append(at)
            if fail:
                raise RuntimeError("the query failed")
        yield [
            i,
            f"Pengaduan {i} tentang layanan",
            dt.datetime(2026, 1, 1) + dt.timedelta(minutes=i),
        ]


def _temporary_bytes(root) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def test_rows_go_to_a_temporary_file_as_they_come_and_it_is_removed(tmp_path, monkeypatch):
    """Rows are not kept: by the middle of the sheet half of them are already in XlsxWriter's temporary
    file (constant_memory mode), which is gone afterwards, also when making the rows failed."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    grown = []

    def rows():
        for n, row in enumerate(_rows(20_000)):
            if n == 10_001:
                grown.append(_temporary_bytes(tmp_path))
            yield row

    out = io.BytesIO()
    tabular.write_xlsx([("Besar", rows())], out)
    assert grown[0] > 300_000  # ten thousand rows of XML, before any of the zip is written
    assert not list(tmp_path.iterdir())
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True).worksheets[0]
    assert sum(1 for _row in ws.iter_rows(values_only=True)) == 20_001

    seen = []
    with pytest.raises(RuntimeError):
        tabular.write_xlsx([("Besar", _rows(20_000, seen, at=5_000, fail=True))], io.BytesIO())
    assert seen == [5_000] and not list(tmp_path.iterdir())


def test_memory_stays_flat_however_many_rows(tmp_path):
    """The Python memory a workbook needs does not grow with its rows (written to a file, as the survey
    exports are): XlsxWriter without constant_memory mode needs about 13 MB for 20,000 such rows."""
    tabular.write_xlsx([("Awal", _rows(10))], io.BytesIO())  # XlsxWriter imported before measuring
    peaks = {}
    for count in (4_000, 40_000):
        with (tmp_path / f"{count}.xlsx").open("w+b") as out:
            tracemalloc.start()
            try:
                tabular.write_xlsx([("Besar", _rows(count))], out)
                peaks[count] = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            assert out.tell() > count * 20
    assert peaks[40_000] < 2 * 2**20 and peaks[40_000] < 1.5 * peaks[4_000], peaks
