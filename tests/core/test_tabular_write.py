"""Writing downloads (``core.tabular.xlsx_bytes``): every sheet keeps people's text as text, headers bold,
dates as dates, and generators are written as they come."""

import datetime as dt
import io

import openpyxl

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
