"""How the staff inbox and the published list read a large complaint table (PostgreSQL), with the indexes
of migration ``complaints/0007`` and, in the same run, with the ones they replaced.

The script creates ``amanah_bench_plans``, migrates it, seeds ``--agencies`` × ``--units`` × 2 services and
adds ``--rows`` complaints with one ``INSERT … SELECT generate_series`` (statuses of a mature installation:
mostly closed; a quarter of all cases in one busy agency; one in fourteen published). It then runs
``EXPLAIN (ANALYZE)`` on the querysets the pages build (``selectors.inbox`` for a busy agency's complaint
manager, a small agency's and a unit officer, first page and a deep page; ``selectors.published``; the
capped inbox count), takes the median execution time of ``--repeat`` runs after a warm-up pass, swaps the indexes back to the
previous schema (``(agency, status)``, ``(unit, status)``, no partial published indexes) and measures again.

    .venv/bin/python bench/list_plans.py [--rows 200000] [--write]

With ``--write`` the table is appended to ``bench/RESULTS.md``. The database is dropped at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from pathlib import Path

from common import (
    add_complaints,
    append_results,
    seeded_bench,
)

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "amanah_bench_plans"
NEW_INDEXES = (
    "complaint_agency_received",
    "complaint_unit_received",
    "complaint_published",
    "complaint_published_agency",
)
OLD_INDEXES = (
    "CREATE INDEX bench_agency_status ON complaints_complaint (agency_id, status)",
    "CREATE INDEX bench_unit_status ON complaints_complaint (unit_id, status)",
)


def child(rows: int, repeat: int) -> None:
    """In the seeded database: add the complaints, then print the plans' timings as JSON."""
    import django

    django.setup()
    from django.db import connection

    from amanah.complaints import selectors
    from amanah.core.models import Agency, RoleAssignment, Unit, User
    from amanah.core.paging import count_capped

    add_complaints(rows)
    with connection.cursor() as cur:
        busy = Agency.objects.order_by("pk").first()
        busy_unit = Unit.objects.filter(agency=busy).order_by("pk").first()
        cur.execute(
            "UPDATE complaints_complaint SET agency_id = %s, unit_id = %s WHERE id %% 4 = 0",
            [busy.pk, busy_unit.pk],
        )
        cur.execute("ANALYZE complaints_complaint")
    small = Agency.objects.order_by("-pk").first()

    def user(email, role, agency, unit=None):
        u = User.objects.create(email=email, full_name=email)
        RoleAssignment.objects.create(user=u, role=role, agency=agency, unit=unit)
        return User.objects.get(pk=u.pk)

    people = {
        "busy agency's manager": user("bench-busy@x.id", "pengelola", busy),
        "small agency's manager": user("bench-small@x.id", "pengelola", small),
        "unit officer (busy agency)": user("bench-unit@x.id", "unit", busy, busy_unit),
    }
    queries = []
    for who, person in people.items():
        queries += [
            (f"inbox, open, first page — {who}", selectors.inbox(person, status="open")[:25]),
            (f"inbox, every status, first page — {who}", selectors.inbox(person)[:50]),
            (
                f"inbox, closed, offset 2000 — {who}",
                selectors.inbox(person, status="closed")[2000:2050],
            ),
        ]
    queries += [
        ("published list, first page", selectors.published()[:20]),
        ("published list of the busy agency, first page", selectors.published(busy)[:20]),
    ]

    def timings() -> dict:
        out = {}
        with connection.cursor() as cur:
            for title, qs in queries:
                sql, params = qs.query.sql_with_params()
                runs = []
                for _ in range(repeat):  # bounded
                    cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                    runs.append(cur.fetchone()[0][0]["Execution Time"])
                out[title] = statistics.median(runs)
            for who, person in people.items():
                inbox = selectors.inbox(person)
                runs = []
                for _ in range(repeat):  # bounded
                    started = time.perf_counter()
                    count_capped(inbox)
                    runs.append((time.perf_counter() - started) * 1000)
                out[f"inbox count (capped) — {who}"] = statistics.median(runs)
        return out

    timings()  # warm the caches, so that the first schema measured is not the cold one
    after = timings()
    with connection.cursor() as cur:
        for name in NEW_INDEXES:
            cur.execute(f"DROP INDEX {name}")
        for statement in OLD_INDEXES:
            cur.execute(statement)
        cur.execute("ANALYZE complaints_complaint")
    timings()
    before = timings()
    print(json.dumps({"after": after, "before": before}))


def main(argv=None) -> int:
    args, result = seeded_bench(
        __doc__, argv, child, __file__, DB_NAME, rows=200_000, agencies=50, units=20, repeat=5
    )
    if result is None:
        return 0
    lines = [
        "| Query | previous indexes (ms) | indexes of `complaints/0007` (ms) |",
        "|---|---:|---:|",
    ]
    for title, now in result["after"].items():
        lines.append(f"| {title} | {result['before'][title]:.2f} | {now:.2f} |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        append_results(
            f"## Inbox and published list at {args.rows:,} complaints — {stamp}\n\n"
            f"Command: `.venv/bin/python bench/list_plans.py --rows {args.rows} --write`\n\n"
            f"Median `EXPLAIN ANALYZE` execution time of {args.repeat} runs after a warm-up pass (the "
            "capped count: wall time from Django); both columns measured in the same run on the same "
            "data.\n\n"
            f"{table}\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
