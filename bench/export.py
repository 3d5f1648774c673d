"""What an inbox export costs (``complaints/exports.py``): time and peak Python memory of the XLSX and the
CSV of ``--rows`` complaints, and of making their rows without writing any file (``exports.rows``: the
export's own Python), against reading the same rows (the export's queryset and columns as model instances
in chunks, doing nothing with them) in the same run. The baseline is defined here, not by ``exports``, so
that runs of this script on two versions of ``exports`` compare through it. The XLSX is also written from
the same rows with openpyxl's write-only mode (``openpyxl_xlsx`` below: what ``core.tabular.write_xlsx``
did up to 2026-12-07) and with the hand-written SpreadsheetML writer that replaced it for a day
(``core.tabular`` of commit 9c83120, read from git by ``handwritten_xlsx``; left out when git or that commit
is not at hand), so that the three writers compare in one run with XlsxWriter (the ``XLSX`` line: what
``core.tabular.write_xlsx`` uses now).

The script creates ``amanah_bench_export`` on PostgreSQL, seeds a synthetic organisation, adds ``--rows``
complaints (``common.clone_complaints``), then in one process times ``--repeat`` rounds of each (the median
is reported) and measures each once more under ``tracemalloc`` for its peak memory.

    .venv/bin/python bench/export.py [--rows 50000] [--write]

The default row count is the export cap (``COMPLAINT_EXPORT_MAX_ROWS``), the largest export a user can ask
for. With ``--write`` the table is appended to ``bench/RESULTS.md``. The database is dropped at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
import tracemalloc
from pathlib import Path

from common import (
    add_complaints,
    append_results,
    seeded_bench,
    source_at,
)

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "amanah_bench_export"


def openpyxl_xlsx(rows, title: str, freeze: str) -> bytes:
    """The inbox XLSX as ``core.tabular.write_xlsx`` wrote it up to 2026-12-07: openpyxl's write-only
    workbook, plain values but a text cell object for a string openpyxl would take for a formula or an
    error, and bold header cells."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.freeze_panes = freeze

    def text(value):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell

    rows = iter(rows)
    header = [text(str(v)) for v in next(rows)]
    for cell in header:
        cell.font = Font(bold=True)
    ws.append(header)
    for row in rows:
        ws.append(
            [
                text(v) if isinstance(v, str) and (v.startswith("=") or v in ERROR_CODES) else v
                for v in row
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


#: The commit whose ``core.tabular`` wrote the SpreadsheetML by hand (replaced by XlsxWriter).
HANDWRITTEN_COMMIT = "9c83120"


def handwritten_writer():
    """``xlsx_bytes`` of the hand-written writer of :data:`HANDWRITTEN_COMMIT`, or None without git."""
    import subprocess
    import sys
    import types

    try:
        source = source_at(HANDWRITTEN_COMMIT, "amanah/core/tabular.py")
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("handwritten_tabular")
    sys.modules[module.__name__] = module  # its dataclass looks its module up
    exec(compile(source, f"{HANDWRITTEN_COMMIT}:amanah/core/tabular.py", "exec"), module.__dict__)
    return module.xlsx_bytes


def child(rows: int, repeat: int) -> None:
    import django

    django.setup()
    from amanah.complaints import exports, selectors
    from amanah.core.models import Role, RoleAssignment, User

    add_complaints(rows)
    reader = User.objects.create(email="bench-export@x.id", full_name="Bench")
    RoleAssignment.objects.create(user=reader, role=Role.ADMIN)
    qs = selectors.inbox(User.objects.get(pk=reader.pk), status="")
    assert qs.count() == rows, qs.count()

    baseline = qs.select_related(None).select_related("agency", "unit", "service")
    baseline = baseline.only(*exports.FIELDS)

    def read():
        return sum(1 for _c in baseline.iterator(chunk_size=1000))

    def rows_only():
        return sum(1 for _row in exports.rows(qs))

    def csv_out():
        return sum(len(chunk) for chunk in exports.csv_chunks(qs))

    def xlsx_out():
        return len(exports.xlsx_bytes(qs, "Pengaduan"))

    def openpyxl_out():
        return len(openpyxl_xlsx(exports.rows(qs), "Pengaduan", "B2"))

    ways = {
        "read the rows as models (baseline)": read,
        "rows, no file (`exports.rows`)": rows_only,
        "CSV": csv_out,
        "XLSX (XlsxWriter, constant_memory: `core.tabular` now)": xlsx_out,
        "XLSX written by openpyxl (write-only, before 9c83120)": openpyxl_out,
    }
    handwritten = handwritten_writer()
    if handwritten is not None:

        def handwritten_out():
            return len(handwritten([("Pengaduan", exports.rows(qs))], freeze="B2"))

        ways[f"XLSX written by hand ({HANDWRITTEN_COMMIT}, SpreadsheetML)"] = handwritten_out
    times = {name: [] for name in ways}
    sizes = {}
    for _ in range(repeat):
        for name, fn in ways.items():
            t0 = time.perf_counter()
            sizes[name] = fn()
            times[name].append(time.perf_counter() - t0)
    peaks = {}
    for name, fn in ways.items():
        tracemalloc.start()
        fn()
        peaks[name] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(
        json.dumps(
            {
                name: {
                    "seconds": statistics.median(times[name]),
                    "peak_mb": peaks[name] / 2**20,
                    "size": sizes[name],
                }
                for name in ways
            }
        )
    )


def main(argv=None) -> int:
    args, result = seeded_bench(
        __doc__, argv, child, __file__, DB_NAME, rows=50_000, agencies=20, units=10, repeat=3
    )
    if result is None:
        return 0
    base = result["read the rows as models (baseline)"]
    lines = [
        "| Way | time (s, median) | × baseline | peak Python memory (MB) | output |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, r in result.items():
        output = f"{r['size'] / 2**20:.1f} MB" if name.startswith(("CSV", "XLSX")) else "—"
        lines.append(
            f"| {name} | {r['seconds']:.2f} | {r['seconds'] / base['seconds']:.2f} | "
            f"{r['peak_mb']:.1f} | {output} |"
        )
    table = "\n".join(lines)
    print(table)
    if args.write:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        append_results(
            f"## Inbox export of {args.rows:,} complaints — {stamp}\n\n"
            f"Command: `.venv/bin/python bench/export.py --rows {args.rows} --write`\n\n"
            f"PostgreSQL on 127.0.0.1; one process; median of {args.repeat} rounds; peak memory from "
            "`tracemalloc` in one more pass of each (Python allocations only).\n\n"
            f"{table}\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
