"""How the staff inbox and the published list read a large complaint table (PostgreSQL), with the indexes
of today's schema and, in the same run, with older ones: without the stage-due indexes of
``complaints/0017`` and ``0018`` ("nearest deadline first"), and without those of ``complaints/0007``
either (the ``(agency, status)`` and ``(unit, status)`` indexes they replaced, no partial published
indexes).

The script creates ``amanah_bench_plans``, migrates it, seeds ``--agencies`` × ``--units`` × 2 services and
adds ``--rows`` complaints with one ``INSERT … SELECT generate_series`` (statuses of a mature installation:
mostly closed; a quarter of all cases in one busy agency; one in fourteen published), each open stage with
a due date a few days after receipt. It then runs ``EXPLAIN (ANALYZE)`` on the querysets the pages build
(``selectors.inbox`` for a busy agency's complaint manager, a small agency's and a unit officer: newest
first and nearest deadline first, first page and a deep page, the overdue and due-soon filters — also in
the form they had before they became a range on ``stage_due_expression``; ``selectors.published``; the
capped inbox count), takes the median execution time of ``--repeat`` runs after a warm-up pass, and times
what the indexes cost a write: one statement adding ``--rows``/20 complaints, rolled back. Then it drops the
0017 and 0018 indexes and measures again, then swaps the 0007 ones back to the previous schema and measures
once more.

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
    add_inbox_complaints,
    append_results,
    bench_user,
    complaint_copy_columns,
    explain_median,
    insert_copies,
    seeded_bench,
)

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "amanah_bench_plans"
STAGE_DUE_INDEXES = (
    "complaint_agency_stage_due",
    "complaint_unit_stage_due",
    "complaint_stage_due",  # complaints/0018, the national one (bench/inbox_admin_plans.py)
)
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
    from django.db import connection, transaction
    from django.db.models import Q

    from amanah.complaints import selectors, services
    from amanah.complaints.models import stage_due_expression
    from amanah.core.calendar import Calendar
    from amanah.core.paging import count_capped

    busy, busy_unit, small = add_inbox_complaints(rows)

    due_order = (
        stage_due_expression().asc(nulls_last=True),
        "received_at",
        "pk",
    )

    def previous_filter(person, flag):
        """The inbox with the overdue or due-soon filter as it was written before it became a range on
        ``stage_due_expression`` (one condition per status on that stage's due date column, per time
        zone or per agency): the baseline of the "(filter as before)" rows, measured in the same run."""

        def stage_due(lookup, value):
            return (
                Q(status="diterima", **{f"verification_due__{lookup}": value})
                | Q(status="diteruskan", **{f"response_due__{lookup}": value})
                | Q(status="diproses", **{f"resolution_due__{lookup}": value})
            )

        cond = Q(pk__in=[])
        if flag == "overdue":
            for zone in selectors._zones_of(person):
                cond |= Q(agency__time_zone=zone) & stage_due("lt", selectors.today_in(zone))
        else:
            for agency in selectors._scope_agencies(person):
                cal = Calendar(agency)
                today = cal.local_date()
                days = services.config(agency)["due_soon_days"]
                cond |= Q(agency_id=agency.pk) & stage_due("range", (today, cal.add(today, days)))
        return selectors.visible_to(person).defer(*selectors.IDENTITY_FIELDS).filter(cond)

    people = {
        "busy agency's manager": bench_user("bench-busy@x.id", "pengelola", busy),
        "small agency's manager": bench_user("bench-small@x.id", "pengelola", small),
        "unit officer (busy agency)": bench_user("bench-unit@x.id", "unit", busy, busy_unit),
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
            (
                f"inbox by deadline, open, first page — {who}",
                selectors.inbox(person, status="open", order="due")[:25],
            ),
            (
                f"inbox by deadline, every status, first page — {who}",
                selectors.inbox(person, order="due")[:25],
            ),
            (
                f"inbox by deadline, open, offset 500 — {who}",
                selectors.inbox(person, status="open", order="due")[500:525],
            ),
        ]
        for flag, label in (("overdue", "overdue"), ("due_soon", "due soon")):
            queries += [
                (
                    f"inbox by deadline, {label}, first page — {who}",
                    selectors.inbox(person, order="due", **{flag: True})[:25],
                ),
                (
                    f"inbox by deadline, {label} (filter as before), first page — {who}",
                    previous_filter(person, flag).order_by(*due_order)[:25],
                ),
                (
                    f"inbox, {label}, first page — {who}",
                    selectors.inbox(person, **{flag: True})[:25],
                ),
                (
                    f"inbox, {label} (filter as before), first page — {who}",
                    previous_filter(person, flag).order_by("-received_at", "-pk")[:25],
                ),
            ]
    queries += [
        ("published list, first page", selectors.published()[:20]),
        ("published list of the busy agency, first page", selectors.published(busy)[:20]),
    ]

    with connection.cursor() as cur:
        cols = complaint_copy_columns(cur)
    adding = rows // 20

    def write_cost() -> float:
        """Milliseconds to add ``adding`` complaints (copies of existing ones) in one statement, which
        updates every index of the table; rolled back, so each schema is measured on the same table."""
        with transaction.atomic(), connection.cursor() as cur:
            elapsed = insert_copies(cur, cols, adding)
            transaction.set_rollback(True)
        return elapsed

    def timings() -> dict:
        out = {}
        with connection.cursor() as cur:
            for title, qs in queries:
                out[title] = explain_median(cur, qs, repeat)
            for who, person in people.items():
                inbox = selectors.inbox(person)
                runs = []
                for _ in range(repeat):  # bounded
                    started = time.perf_counter()
                    count_capped(inbox)
                    runs.append((time.perf_counter() - started) * 1000)
                out[f"inbox count (capped) — {who}"] = statistics.median(runs)
        out[f"add {adding:,} complaints in one statement (write cost)"] = statistics.median(
            write_cost() for _ in range(repeat)
        )
        return out

    timings()  # warm the caches, so that the first schema measured is not the cold one
    now = timings()
    with connection.cursor() as cur:
        for name in STAGE_DUE_INDEXES:
            cur.execute(f"DROP INDEX {name}")
        # The rolled-back writes left dead rows and index entries: cleared before each schema is timed.
        cur.execute("VACUUM ANALYZE complaints_complaint")
    timings()
    without_0017 = timings()
    with connection.cursor() as cur:
        for name in NEW_INDEXES:
            cur.execute(f"DROP INDEX {name}")
        for statement in OLD_INDEXES:
            cur.execute(statement)
        cur.execute("VACUUM ANALYZE complaints_complaint")
    timings()
    before = timings()
    print(json.dumps({"now": now, "without_0017": without_0017, "before": before}))


def main(argv=None) -> int:
    args, result = seeded_bench(
        __doc__, argv, child, __file__, DB_NAME, rows=200_000, agencies=50, units=20, repeat=5
    )
    if result is None:
        return 0
    lines = [
        "| Query | before `complaints/0007` (ms) | `0007`, no `0017`/`0018` (ms) "
        "| today's indexes (ms) | today ÷ no `0017`/`0018` |",
        "|---|---:|---:|---:|---:|",
    ]
    for title, now in result["now"].items():
        before, without = result["before"][title], result["without_0017"][title]
        lines.append(
            f"| {title} | {before:.2f} | {without:.2f} | {now:.2f} | {now / without:.3g} |"
        )
    # The overdue and due-soon filters against their previous form, both with today's indexes.
    lines += [
        "",
        "| Query (today's indexes) | filter as before (ms) | range on the stage's due date (ms) "
        "| range ÷ before |",
        "|---|---:|---:|---:|",
    ]
    marker = " (filter as before)"
    for title, before in result["now"].items():
        if marker in title:
            now = result["now"][title.replace(marker, "")]
            lines.append(
                f"| {title.replace(marker, '')} | {before:.2f} | {now:.2f} | {now / before:.3g} |"
            )
    table = "\n".join(lines)
    print(table)
    if args.write:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        append_results(
            f"## Inbox and published list at {args.rows:,} complaints — {stamp}\n\n"
            f"Command: `.venv/bin/python bench/list_plans.py --rows {args.rows} --write`\n\n"
            f"Median `EXPLAIN ANALYZE` execution time of {args.repeat} runs after a warm-up pass (the "
            "capped count and the write cost: wall time from Django); every column measured in the same "
            "run on the same data, the indexes dropped one schema at a time.\n\n"
            f"{table}\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
