"""Reading uploaded spreadsheets (CSV or XLSX) into rows, for every all-or-nothing import.

``read_rows(upload)`` returns ``(header, rows)`` where each row is a dict keyed by the normalised header
(lower case, spaces as underscores) plus ``_row`` (the spreadsheet row number people see, header = 1).
Apps validate every row, collect :class:`RowError` s and call :func:`raise_if_errors` before writing, so
an upload with one bad row changes nothing and the person gets the full list of problems at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
#: The widest header an import reads (no import has nearly as many columns), and how far right of the header
#: an XLSX is read to find values under no header: openpyxl pads every row to the width the sheet *claims*
#: (``<dimension ref="A1:XFD…"/>``), so a tiny file could otherwise make billions of cells.
MAX_COLUMNS = 200
#: The most an XLSX may unpack to (the sum of its parts' declared sizes, which is also the most the zip
#: reader will inflate): a few KB of compressed XML can otherwise unpack to gigabytes.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: The last row a spreadsheet can have; a sheet claiming rows past it is not read past it.
SHEET_ROWS = 1_048_576
#: How an OLE2 compound file begins: an Excel 97–2003 workbook (``.xls``) or a password-protected ``.xlsx``.
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportRejected(Exception):
    """Nothing was imported; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError], message: str | None = None):
        self.errors = errors
        if message is None and len(errors) == 1 and errors[0].row == 0:
            message = _("Berkas tidak diimpor: %(msg)s") % {"msg": errors[0].message}
        super().__init__(
            message
            or ngettext(
                "Berkas tidak diimpor: %(n)d kesalahan ditemukan.",
                "Berkas tidak diimpor: %(n)d kesalahan ditemukan.",
                len(errors),
            )
            % {"n": len(errors)}
        )


def _norm(name) -> str:
    return str(name or "").strip().lower().replace(" ", "_").replace("-", "_")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()[:10] if hasattr(value, "date") else value.isoformat()
    return str(value).strip()


def read_rows(upload, *, filename: str | None = None) -> tuple[list[str], list[dict]]:
    """The header (normalised) and the non-blank rows under it. Nothing in the file is dropped without a
    word: a header named twice, and a value in a column without a header (a blank header cell, or right of
    the header), refuse the file, as does a file that cannot be read (an old ``.xls``, a text in no known
    encoding, a CSV cell too long for the reader)."""
    name = (filename or getattr(upload, "name", "") or "").lower()
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    if len(data) > MAX_BYTES:
        raise ImportRejected([RowError(0, "", _("Berkas terlalu besar (paling besar 20 MB)."))])
    if not data.strip():
        raise ImportRejected([RowError(0, "", _("Berkas kosong."))])
    if data.startswith(OLE2_SIGNATURE):
        raise ImportRejected(
            [
                RowError(
                    0,
                    "",
                    _(
                        "Berkas ini berformat Excel lama (.xls) atau dilindungi kata sandi, sehingga tidak "
                        "dapat dibaca. Buka di Excel, simpan sebagai .xlsx (tanpa kata sandi) atau CSV "
                        "UTF-8, lalu unggah lagi."
                    ),
                )
            ]
        )
    if data[:2] == b"PK" or name.endswith(".xlsx"):
        table = _xlsx(data)
    else:
        table = list(enumerate(_csv(data), start=1))
    if not table:
        raise ImportRejected([RowError(0, "", _("Berkas kosong."))])
    header = [_norm(h) for h in table[0][1]]
    errors = _repeated_columns(header)
    named = [(j, h) for j, h in enumerate(header) if h]
    unnamed = [j for j, h in enumerate(header) if not h]
    stray: dict[int, int] = {}  # column index → the first row with a value under no header
    rows, lossy = [], []
    for i, raw in table[1:]:
        for j in [*unnamed, *range(len(header), len(raw))]:
            if j < len(raw) and j not in stray and not _blank(raw[j]):
                stray[j] = i
        for j, h in named:
            v = raw[j] if j < len(raw) else None
            if isinstance(v, float) and abs(v) >= 2**53:
                # A long number (NIP, NIK) typed into a number cell: the spreadsheet already lost digits.
                lossy.append(
                    RowError(
                        i,
                        h,
                        _(
                            "Angka ini terlalu panjang untuk sel berformat angka sehingga digit terakhirnya hilang; "
                            "ubah format kolom menjadi teks lalu ketik ulang."
                        ),
                    )
                )
        row = {h: (_cell(raw[j]) if j < len(raw) else "") for j, h in named}
        if not any(row.values()):
            continue  # a value under no header is said above
        row["_row"] = i
        rows.append(row)
    errors += [
        RowError(
            i,
            _column_letter(j),
            _(
                "Kolom %(col)s berisi nilai tetapi tidak punya judul di baris 1, sehingga nilainya "
                "tidak akan terbaca. Beri kolom itu judul atau hapus isinya (di CSV, apit teks yang "
                "memuat koma atau titik koma dengan tanda kutip ganda)."
            )
            % {"col": _column_letter(j)},
        )
        for j, i in sorted(stray.items(), key=lambda item: (item[1], item[0]))
    ]
    raise_if_errors(errors + lossy)
    if len(rows) > MAX_ROWS:
        raise _too_many_rows()
    return header, rows


def _column_letter(index: int) -> str:
    """The spreadsheet's name of the column at 0-based ``index``: A, B, … Z, AA …"""
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _repeated_columns(header: list[str]) -> list[RowError]:
    """A header named twice: only one of the two columns could be read."""
    seen: set[str] = set()
    errors = []
    for h in header:
        if h and h in seen and all(e.column != h for e in errors):
            errors.append(
                RowError(1, h, _("Kolom ini muncul lebih dari sekali; hapus salah satunya."))
            )
        seen.add(h)
    return errors


def _csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRejected(
            [
                RowError(
                    0,
                    "",
                    _(
                        "Berkas bukan CSV atau XLSX yang dapat dibaca. Simpan sebagai .xlsx atau CSV "
                        "UTF-8, lalu unggah lagi."
                    ),
                )
            ]
        )
    if "\x00" in text:
        raise ImportRejected([RowError(0, "", _("Berkas bukan CSV atau XLSX yang dapat dibaca."))])
    # Only the delimiter is guessed: the sniffer may take an apostrophe for the quote character (and then
    # strip the apostrophes of 'cepat', ramah), whereas every spreadsheet quotes with double quotes.
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', doublequote=True)
    rows: list[list] = []
    try:
        for record in reader:
            rows.append(record)
    except csv.Error:
        # A cell longer than the csv module reads (or an unclosed quote running on to the end).
        raise ImportRejected(
            [
                RowError(
                    len(rows) + 1,
                    "",
                    _(
                        "Baris ini tidak dapat dibaca: ada sel yang lebih panjang dari %(n)d karakter, "
                        "atau tanda kutip ganda yang tidak ditutup."
                    )
                    % {"n": csv.field_size_limit()},
                )
            ]
        ) from None
    return rows


def _too_many_rows() -> ImportRejected:
    return ImportRejected(
        [RowError(0, "", _("Terlalu banyak baris (paling banyak %(n)d).") % {"n": MAX_ROWS})]
    )


def _xlsx(data: bytes) -> list[tuple[int, list]]:
    """``(row number, values)`` of the first sheet: the header row (row 1, even if blank) and every
    non-blank row under it, each as wide as the header or as its last value, read at most
    :data:`MAX_COLUMNS` wide.

    Only what the file holds is read, not what its ``<dimension>`` claims: the parts' unpacked size is
    checked before openpyxl opens them, the columns are bounded by :data:`MAX_COLUMNS`, blank rows (which openpyxl
    fills in up to the claimed height) are skipped without being kept, and reading stops at the first row
    past :data:`MAX_ROWS`."""
    import zipfile

    from openpyxl import load_workbook

    unreadable = ImportRejected([RowError(0, "", _("Berkas XLSX rusak atau tidak dapat dibaca."))])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception:
        raise unreadable from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportRejected(
            [
                RowError(
                    0,
                    "",
                    _("Isi berkas XLSX terlalu besar setelah dibuka (paling besar %(n)d MB).")
                    % {"n": MAX_UNPACKED_BYTES // (1024 * 1024)},
                )
            ]
        )
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise unreadable from None
    try:
        return _sheet_rows(wb.worksheets[0])
    except ImportRejected:
        raise
    except Exception:
        raise unreadable from None
    finally:
        wb.close()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_rows(ws) -> list[tuple[int, list]]:
    # The sheet's own <dimension> is not trusted either way: rows and columns are bounded here, and rows
    # past a dimension that claims too few are read too.
    first = next(
        ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS + 1, values_only=True), None
    )
    if first is None:
        return []  # no row at all
    header = list(first)
    while header and _blank(header[-1]):
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise ImportRejected(
            [RowError(0, "", _("Terlalu banyak kolom (paling banyak %(n)d).") % {"n": MAX_COLUMNS})]
        )
    table = [(1, header)]
    if not header:
        return table  # nothing can be read under a blank header: the columns are said to be missing
    # Rows are read up to MAX_COLUMNS wide (not only as wide as the header), so that a value right of the
    # header is found and refused rather than dropped; a row is kept only as wide as its last value.
    width = len(header)
    rows = ws.iter_rows(min_row=2, max_row=SHEET_ROWS, max_col=MAX_COLUMNS, values_only=True)
    blank = None  # the last blank row: openpyxl yields one and the same tuple for each missing row
    for number, raw in enumerate(rows, start=2):
        if raw is blank:
            continue
        tail = raw[width:]  # mostly None: counted at C speed before any cell is looked at
        tail_blank = tail.count(None) == len(tail) or all(_blank(v) for v in tail)
        if tail_blank and all(_blank(v) for v in raw[:width]):
            blank = raw
            continue
        if len(table) > MAX_ROWS:
            raise _too_many_rows()
        if tail_blank:
            table.append((number, list(raw[:width])))
        else:
            row = list(raw)
            while _blank(row[-1]):
                row.pop()
            table.append((number, row))
    return table


def require_columns(header: list[str], required: list[str]) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportRejected(
            [RowError(1, c, _("Kolom wajib tidak ada.")) for c in missing],
            _("Kolom wajib tidak ada: %(cols)s.") % {"cols": ", ".join(missing)},
        )


def raise_if_errors(errors: list[RowError]) -> None:
    if errors:
        raise ImportRejected(errors)


# --- Writing spreadsheets people download ----------------------------------------------------------
#
# Downloads are written by XlsxWriter (https://xlsxwriter.readthedocs.io) in its constant_memory mode: each
# row goes to a temporary file as soon as the next one starts, so a sheet of any length needs the memory of
# one row; the workbook is zipped from those files when it is closed. What a reader finds in the cells is
# what openpyxl wrote before: text as text cells (never a formula, link or number, whatever it starts
# with), numbers and booleans as such, dates and times as numbers with openpyxl's date formats (a reader sees
# date cells), a bold header, frozen panes on request. Two things are done here rather than by the library:
# floats are written whole (XlsxWriter writes 16 significant digits, see :func:`_worksheet_class`), and dates
# are turned into Excel's numbers as openpyxl did (XlsxWriter takes 1 January 1900 for a time of day).

#: The longest text a cell holds (Excel's limit; openpyxl cut longer text there too).
CELL_TEXT_MAX = 32_767
#: What XML 1.0 cannot carry at all: control characters but tab and line breaks (XlsxWriter would write
#: them as ``_x0001_`` escapes). openpyxl refused such a value (the download failed); they are invisible,
#: so they are left out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: A line break is written as a line feed, as a spreadsheet program makes one (Alt+Enter): a carriage
#: return (a browser sends a text area's lines as CR LF) would be written as the escape ``_x000D_``,
#: which Excel reads back but openpyxl, and so Amanah's own imports, show as those seven characters.
_CRLF = re.compile("\r\n?")
#: Whether a text needs any of this (most do not, and are written as they are).
_NOT_PLAIN = re.compile("[\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Day 0 of Excel's (1900) date numbers; serials up to 60 are one less (Excel counts 29 February 1900).
_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH_DAY = _EPOCH.toordinal()
#: Characters a sheet title cannot hold.
_TITLE_FORBIDDEN = set("[]:*?/\\")
#: From these on, a date's number is plainly its days since :data:`_EPOCH` (the fast path of a row).
_LEAP_DATE_AFTER = dt.date(1900, 3, 1)
_LEAP_DAY_AFTER = dt.datetime(1900, 3, 1)
#: The number formats openpyxl gave dates, date-times and times.
_DATE_FORMATS = {
    dt.date: "yyyy-mm-dd",
    dt.datetime: "yyyy-mm-dd h:mm:ss",
    dt.time: "h:mm:ss",
}
#: XlsxWriter's options: text is never taken for a formula, a link or a number; a float that is not finite
#: becomes Excel's error (#NUM!, #DIV/0!) rather than failing the download.
_WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}


def xlsx_bytes(sheets: list[tuple[str, object]], *, freeze: str | None = None) -> bytes:
    """An XLSX of ``sheets`` — ``(title, rows)``, the first row of each a bold header — written as it
    comes (rows may be a generator). Dates are date cells and every string is a text cell, even one a
    spreadsheet would take for a formula (``=…``) or an error (``#N/A``): such strings come from people
    (a complaint's title) and stay what they were typed as. ``freeze`` (e.g. ``"B2"``) freezes the first
    sheet's panes. The whole file is in memory at the end: for large workbooks use :func:`write_xlsx`."""
    out = io.BytesIO()
    write_xlsx(sheets, out, freeze=freeze)
    return out.getvalue()


def write_xlsx(sheets: list[tuple[str, object]], out, *, freeze: str | None = None) -> None:
    """:func:`xlsx_bytes` written to the binary file ``out`` (a temporary file: a large workbook is then
    never all in memory, as its rows go to a temporary directory one row at a time, removed at the end
    whether the workbook was finished or not)."""
    import tempfile

    import xlsxwriter

    titles = [_sheet_title(title) for title, _rows in sheets]
    if not titles:
        raise ValueError("A workbook needs at least one sheet.")
    if len({t.lower() for t in titles}) != len(titles):
        raise ValueError(f"Sheet titles repeat: {titles}")
    pane = _pane(freeze) if freeze else None
    with tempfile.TemporaryDirectory(prefix="amanah-xlsx-") as tmpdir:
        workbook = xlsxwriter.Workbook(out, {**_WORKBOOK_OPTIONS, "tmpdir": tmpdir})
        bold = workbook.add_format({"bold": True})
        formats = {
            kind: workbook.add_format({"num_format": f}) for kind, f in _DATE_FORMATS.items()
        }
        for n, (title, (_title, rows)) in enumerate(zip(titles, sheets, strict=True)):
            sheet = workbook.add_worksheet(title, worksheet_class=_worksheet_class())
            if n == 0 and pane:
                sheet.freeze_panes(*pane)
            _write_sheet(sheet, rows, bold, formats)
        workbook.close()


def _sheet_title(title) -> str:
    title = str(title)[:31]
    if not title or _TITLE_FORBIDDEN & set(title) or title[0] == "'" or title[-1] == "'":
        raise ValueError(f"Not a sheet title: {title!r}")
    return title


def _pane(cell: str) -> tuple[int, int] | None:
    """The 0-based row and column of ``cell``: the rows above it and the columns left of it are frozen."""
    match = re.fullmatch(r"([A-Z]{1,3})([1-9][0-9]{0,6})", cell)
    if not match:
        raise ValueError(f"Not a cell to freeze panes at: {cell!r}")
    letters, row = match.groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    if column > 16_384 or int(row) > SHEET_ROWS:
        raise ValueError(f"Not a cell to freeze panes at: {cell!r}")
    return (int(row) - 1, column - 1) if (row, column) != ("1", 1) else None


def _number_text(number) -> str:
    if isinstance(number, int):
        return int.__repr__(number)  # every digit, and an IntEnum's number rather than its name
    return float.__repr__(float(number))  # the shortest text that reads back as the same float


@functools.cache
def _worksheet_class():
    """XlsxWriter's worksheet writing numbers whole (XlsxWriter is imported with the first workbook)."""
    from xlsxwriter.worksheet import Worksheet

    class Sheet(Worksheet):
        """XlsxWriter writes numbers with ``%.16G`` (16 significant digits): ``0.1 + 0.2`` would read back
        as 0.3 and a 17-digit number would lose its last digit. Only the text of the number changes here.
        Text that looks like a rich string's XML is written escaped, as any other text
        (tests/core/test_tabular_write.py checks that both still take effect with the locked version)."""

        def _xml_number_element(self, number, attributes=()):
            attr = "".join(f' {key}="{value}"' for key, value in attributes)
            self.fh.write(f"<c{attr}><v>{_number_text(number)}</v></c>")

        def _xml_rich_inline_string(self, string, attributes=()):
            # XlsxWriter takes any text starting with "<r>" and ending with "</r>" for a rich string's
            # XML and writes it unescaped: text so shaped (a complaint's title) would add cells, a
            # formula among them, or break the file. No download writes rich strings: it is plain text.
            # (no space to preserve: the text begins with "<r>" and ends with "</r>")
            self._xml_inline_string(string, False, attributes)

    return Sheet


def _excel_time(value) -> float | int:
    """A date, date-time or time as Excel's date number (day 1 = 1 January 1900), as openpyxl made it."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise TypeError("Excel cannot hold a time zone: make the date-time naive first.")
        delta = value - _EPOCH
        days = delta.days
        if 0 < days <= 60:
            days -= 1
        return days + (delta.seconds + delta.microseconds / 1e6) / 86400
    if isinstance(value, dt.date):
        days = value.toordinal() - _EPOCH_DAY
        return days - 1 if 0 < days <= 60 else days
    if value.tzinfo is not None:
        raise TypeError("Excel cannot hold a time zone: make the time naive first.")
    return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400


def _text(value: str) -> str:
    if len(value) > CELL_TEXT_MAX:
        value = value[:CELL_TEXT_MAX]
    if _NOT_PLAIN.search(value):
        value = _CRLF.sub("\n", _NOT_XML.sub("", value))
    return value


def _write_other(sheet, r: int, c: int, value, formats) -> None:
    """A value that is not exactly a str, int, float, date or date-time (the common cases, written by
    :func:`_write_sheet` itself): subclasses of those, booleans, decimals, times."""
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, str):
        text = _text(str(value))  # a subclass (a model's choice) as it prints, as openpyxl wrote it
        if text:
            sheet.write_string(r, c, text)
    elif isinstance(value, dt.datetime):
        sheet.write_number(r, c, _excel_time(value), formats[dt.datetime])
    elif isinstance(value, dt.date):
        sheet.write_number(r, c, _excel_time(value), formats[dt.date])
    elif isinstance(value, dt.time):
        sheet.write_number(r, c, _excel_time(value), formats[dt.time])
    elif isinstance(value, int):
        sheet.write_number(r, c, int(value))
    elif isinstance(value, (float, Decimal)):
        sheet.write_number(r, c, float(value))  # not finite: Excel's error (#NUM!, #DIV/0!)
    else:
        raise TypeError(f"A spreadsheet cell cannot hold {type(value).__name__} ({value!r}).")


def _write_sheet(sheet, rows, bold, formats) -> None:
    """``rows`` into ``sheet``, the first of them the bold header."""
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        return
    for c, value in enumerate(header):
        sheet.write_string(0, c, _text(str(value)), bold)
    write_string, write_number = sheet.write_string, sheet.write_number
    date_format, datetime_format = formats[dt.date], formats[dt.datetime]
    not_plain, epoch, epoch_day = _NOT_PLAIN, _EPOCH, _EPOCH_DAY
    for r, row in enumerate(rows, start=1):
        if r >= SHEET_ROWS:
            raise ValueError(f"A sheet holds at most {SHEET_ROWS} rows.")
        for c, value in enumerate(row):
            kind = type(value)
            # The common kinds are written here, without a further call: this loop is most of an
            # export's time.
            if kind is str:
                if not value:
                    continue  # as openpyxl: an empty string is an empty cell
                if len(value) > CELL_TEXT_MAX or not_plain.search(value):
                    value = _text(value)
                write_string(r, c, value)
            elif value is None:
                continue
            elif kind is int or kind is float:
                write_number(r, c, value)
            elif kind is dt.datetime and value.tzinfo is None and value >= _LEAP_DAY_AFTER:
                delta = value - epoch
                fraction = (delta.seconds + delta.microseconds / 1e6) / 86400
                write_number(r, c, delta.days + fraction, datetime_format)
            elif kind is dt.date and value >= _LEAP_DATE_AFTER:
                write_number(r, c, value.toordinal() - epoch_day, date_format)
            else:
                _write_other(sheet, r, c, value, formats)
