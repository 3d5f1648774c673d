"""Reading uploaded spreadsheets (CSV or XLSX) into rows, for every all-or-nothing import.

``read_rows(upload)`` returns ``(header, rows)`` where each row is a dict keyed by the normalised header
(lower case, spaces as underscores) plus ``_row`` (the spreadsheet row number people see, header = 1).
Apps validate every row, collect :class:`RowError` s and call :func:`raise_if_errors` before writing, so
an upload with one bad row changes nothing and the person gets the full list of problems at once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

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


def _as_text(value: str) -> bool:
    """Whether openpyxl would write this string as something else than text: a formula (``=…``) or an
    error value (``#N/A``, ``#DIV/0!``…). Such strings come from people (a complaint's title) and must
    stay what they were typed as."""
    from openpyxl.cell.cell import ERROR_CODES

    return value.startswith("=") or value in ERROR_CODES


def xlsx_bytes(sheets: list[tuple[str, object]], *, freeze: str | None = None) -> bytes:
    """An XLSX of ``sheets`` — ``(title, rows)``, the first row of each a bold header — built in openpyxl's
    write-only mode (rows may be a generator: memory stays flat). Dates are date cells; a string openpyxl
    would take for a formula or an error is written as a text cell, every other value as it is (which is
    several times faster than a cell object per value). ``freeze`` (e.g. ``"B2"``) freezes the first
    sheet's panes."""
    out = io.BytesIO()
    write_xlsx(sheets, out, freeze=freeze)
    return out.getvalue()


def write_xlsx(sheets: list[tuple[str, object]], out, *, freeze: str | None = None) -> None:
    """:func:`xlsx_bytes` written to the binary file ``out`` (a temporary file: a large workbook is then
    never all in memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for n, (title, rows) in enumerate(sheets):
        ws = wb.create_sheet(title[:31])
        if freeze and n == 0:
            ws.freeze_panes = freeze

        def text(value, ws=ws):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            return cell

        rows = iter(rows)
        header = next(rows, None)
        if header is not None:
            cells = [text(str(v)) for v in header]
            for cell in cells:
                cell.font = bold
            ws.append(cells)
        for row in rows:
            ws.append([text(v) if isinstance(v, str) and _as_text(v) else v for v in row])
    wb.save(out)
