"""``core.tabular.read_rows`` refuses, with a specific error, what it cannot read whole, instead of a 500 or
dropping data without a word: an old ``.xls`` (OLE2), a text in no known encoding, a CSV cell longer than
the csv module takes, a value under no header (a blank header cell, or right of the header) and a header
named twice. A semicolon CSV keeps its apostrophes (only the delimiter is guessed; quotes are ``"``)."""

import io

import pytest
from openpyxl import Workbook

from amanah.core import tabular

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refused(data, filename="f.csv"):
    with pytest.raises(tabular.ImportRejected) as caught:
        tabular.read_rows(data, filename=filename)
    return caught.value


def xlsx(*rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("filename", ["lama.xls", "lama.xlsx", "lama.csv", None])
def test_an_old_xls_is_refused_asking_for_xlsx(filename):
    exc = refused(OLE2 + b"\x81\x8d\x00" * 100, filename)
    [error] = exc.errors
    assert error.row == 0 and "(.xls)" in error.message and "simpan sebagai .xlsx" in error.message
    assert str(exc).startswith("Berkas tidak diimpor: Berkas ini berformat Excel lama (.xls)")


@pytest.mark.parametrize("byte", [b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"])
def test_a_text_in_no_known_encoding_is_refused(byte):
    [error] = refused(b"nip,nama\n1,Rina" + byte + b"\n").errors
    assert error.row == 0 and "UTF-8" in error.message


def test_a_windows_1252_csv_is_still_read():
    _, rows = tabular.read_rows("nip,nama\n1,Sé\n".encode("cp1252"), filename="f.csv")
    assert rows == [{"nip": "1", "nama": "Sé", "_row": 2}]


def test_a_cell_too_long_for_the_csv_reader_is_refused_at_its_row():
    data = ("nip,nama\n1,a\n2,b\n3," + "x" * 200_000 + "\n4,d\n").encode()
    [error] = refused(data).errors
    assert error.row == 4 and str(tabular.csv.field_size_limit()) in error.message


def test_a_value_under_a_blank_header_cell_is_refused_csv_and_xlsx():
    exc = refused(b"nip,,nama\n1,,a\n2,rahasia,b\n3,lagi,c\n")
    assert [(e.row, e.column) for e in exc.errors] == [(3, "B")]
    assert "Kolom B" in exc.errors[0].message
    exc = refused(xlsx(["nip", None, "nama"], [1, None, "a"], [2, "rahasia", "b"]), "f.xlsx")
    assert [(e.row, e.column) for e in exc.errors] == [(3, "B")]


def test_a_value_right_of_the_header_is_refused_csv_and_xlsx():
    exc = refused(b"nip,nama\n1,a\n2,b,lebih\n3,c,,jauh\n")
    assert [(e.row, e.column) for e in exc.errors] == [(3, "C"), (4, "D")]
    exc = refused(xlsx(["nip", "nama"], [1, "a"], [2, "b", None, None, "jauh"]), "f.xlsx")
    assert [(e.row, e.column) for e in exc.errors] == [(3, "E")]
    # Empty cells right of the header (a trailing delimiter, blank or spaces-only cells) are nothing.
    _, rows = tabular.read_rows(b"nip,nama\n1,a,,\n", filename="f.csv")
    assert rows == [{"nip": "1", "nama": "a", "_row": 2}]
    _, rows = tabular.read_rows(xlsx(["nip", "nama"], [1, "a", "  ", None]), filename="f.xlsx")
    assert rows == [{"nip": "1", "nama": "a", "_row": 2}]


def test_a_row_with_only_a_value_under_no_header_is_refused_not_skipped():
    exc = refused(b"nip,nama\n1,a\n,,hilang\n")
    assert [(e.row, e.column) for e in exc.errors] == [(3, "C")]


def test_a_header_named_twice_is_refused():
    exc = refused(b"nip,nama,Nama,NIP,nama\n1,a,b,1,c\n")
    assert [(e.row, e.column) for e in exc.errors] == [(1, "nama"), (1, "nip")]
    exc = refused(xlsx(["nip", "nama", "nama"], [1, "a", "b"]), "f.xlsx")
    assert [(e.row, e.column) for e in exc.errors] == [(1, "nama")]


def test_only_the_delimiter_is_guessed_and_quotes_are_double_quotes():
    data = b'nip;nama\n1;\'cepat\', ramah\n2;petugas \'baik\'\n3;"a;b ""c"""\n'
    _, rows = tabular.read_rows(data, filename="f.csv")
    assert [r["nama"] for r in rows] == ["'cepat', ramah", "petugas 'baik'", 'a;b "c"']
    _, rows = tabular.read_rows(b"nip\tnama\n1\t'x'\n", filename="f.csv")
    assert rows == [{"nip": "1", "nama": "'x'", "_row": 2}]
