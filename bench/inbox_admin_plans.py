"""A platform admin's inbox at national scale (PostgreSQL): "nearest deadline first" over every agency, the
inbox filtered to one agency by code or by id, and the overdue filter newest first — each with today's
``selectors.inbox`` and, in the same run on the same data, with the form it replaced, with and without the
national ``complaint_stage_due`` index of ``complaints/0018``; and what that index costs a write.

Seeded as ``bench/list_plans.py`` seeds (``--rows`` complaints over ``--agencies`` × ``--units`` × 2
services, a quarter of them in one busy agency, each open stage due a few days after receipt). Times are the
median ``EXPLAIN (ANALYZE)`` execution time of ``--repeat`` runs after a warm-up pass. The write cost is
timed two ways, rolled back each time: one statement adding ``--rows``/20 complaints, and 2,000 single-row
``INSERT`` statements in one transaction (as the intake adds a complaint, one row at a time).

    .venv/bin/python bench/inbox_admin_plans.py [--rows 200000] [--write]

With ``--write`` the tables are appended to ``bench/RESULTS.md``. The database is dropped at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics

from common import (
    add_inbox_complaints,
    append_results,
    bench_user,
    complaint_copy_columns,
    explain_median,
    insert_copies,
    seeded_bench,
)

DB_NAME = "amanah_bench_inbox_admin"
NEW_INDEX = "complaint_stage_due"
SINGLE_INSERTS = 2000


def child(rows: int, repeat: int) -> None:
    """In the seeded database: add the complaints, then print the timings and a few plans as JSON."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Q

    from amanah.complaints import rules, selectors
    from amanah.complaints.models import stage_due_expression

    busy, _busy_unit, small = add_inbox_complaints(rows)

    admin = bench_user("bench-admin@x.id", "admin")
    manager = bench_user("bench-busy@x.id", "pengelola", busy)
    due_order = (stage_due_expression().asc(nulls_last=True), "received_at", "pk")

    def agency_as_before(ref, **filters):
        """The inbox with the agency filter as it was written before: the agency's code OR its id on the
        complaint row (a join to the agency table), and the deadline filters' bounds of every agency in
        the admin's scope (what the inbox without an agency filter still takes)."""
        ref = str(ref)
        cond = Q(agency__code=ref)
        if ref.isdecimal():
            cond |= Q(agency_id=int(ref))
        return selectors.inbox(admin, **filters).filter(cond)

    def overdue_columns(person, join=True):
        """The overdue filter as one condition per status on that stage's due-date column (its form
        before the range on the expression), per time zone; without ``join`` for a single zone, with no
        condition on the agency's time zone."""
        zones = selectors._zones_of(person)
        cond = Q(pk__in=[])
        for zone in zones:
            stage = Q(pk__in=[])
            for status, field in rules.STAGE_DUE_FIELD.items():
                if field:
                    stage |= Q(status=status, **{f"{field}__lt": selectors.today_in(zone)})
            cond |= Q(agency__time_zone=zone) & stage if join or len(zones) > 1 else stage
        return selectors.visible_to(person).defer(*selectors.IDENTITY_FIELDS).filter(cond)

    running = [s for s, f in rules.STAGE_DUE_FIELD.items() if f]
    queries = [
        (
            "national, by deadline, open, first page",
            selectors.inbox(admin, status="open", order="due")[:25],
        ),
        (
            "national, by deadline, every status, first page",
            selectors.inbox(admin, order="due")[:25],
        ),
        (
            "national, by deadline, open, offset 500",
            selectors.inbox(admin, status="open", order="due")[500:525],
        ),
        (
            "national, by deadline, overdue, first page",
            selectors.inbox(admin, overdue=True, order="due")[:25],
        ),
        (
            "national, by deadline, due soon, first page",
            selectors.inbox(admin, due_soon=True, order="due")[:25],
        ),
        ("national, newest first, open, first page", selectors.inbox(admin, status="open")[:25]),
        (
            "national, newest first, due soon, first page",
            selectors.inbox(admin, due_soon=True)[:25],
        ),
    ]
    for label, ag in (("busy", busy), ("small", small)):
        for how, ref in (("code", ag.code), ("id", ag.pk)):
            for flt, kw in (
                ("open", {"status": "open"}),
                ("overdue", {"overdue": True}),
                ("due soon", {"due_soon": True}),
            ):
                queries += [
                    (
                        f"admin, {label} agency by {how}, by deadline, {flt}, first page",
                        selectors.inbox(admin, agency=ref, order="due", **kw)[:25],
                    ),
                    (
                        f"admin, {label} agency by {how}, by deadline, {flt}, first page (as before)",
                        agency_as_before(ref, **kw).order_by(*due_order)[:25],
                    ),
                ]
    for who, person in (("busy agency's manager", manager), ("admin, national", admin)):
        queries += [
            (
                f"{who}, newest first, overdue, first page",
                selectors.inbox(person, overdue=True)[:25],
            ),
            (
                f"{who}, newest first, overdue, first page (columns per status)",
                overdue_columns(person).order_by("-received_at", "-pk")[:25],
            ),
            (
                f"{who}, newest first, overdue, first page (columns per status, no join)",
                overdue_columns(person, join=False).order_by("-received_at", "-pk")[:25],
            ),
            (
                f"{who}, newest first, overdue, first page (range and status IN)",
                selectors.inbox(person, overdue=True).filter(status__in=running)[:25],
            ),
        ]

    with connection.cursor() as cur:
        cols = complaint_copy_columns(cur)
    adding = rows // 20

    def write_cost(dropped: bool) -> float:
        """Milliseconds to add ``adding`` complaints (copies of existing ones) in one statement; with
        ``dropped`` the index is dropped first in the same transaction. Rolled back either way, so each
        run starts from the same table and index."""
        with transaction.atomic(), connection.cursor() as cur:
            if dropped:
                cur.execute(f"DROP INDEX {NEW_INDEX}")
            elapsed = insert_copies(cur, cols, adding)
            transaction.set_rollback(True)
        return elapsed

    def single_inserts(dropped: bool) -> float:
        """Microseconds per one-row INSERT (copies of open cases, as the intake adds one complaint per
        statement): the server's execution time from ``EXPLAIN ANALYZE``, summed over ``SINGLE_INSERTS``
        statements, so that the round trips of a busy machine do not drown it. Rolled back."""
        total = 0.0
        with transaction.atomic(), connection.cursor() as cur:
            if dropped:
                cur.execute(f"DROP INDEX {NEW_INDEX}")
            cur.execute(
                "SELECT id FROM complaints_complaint WHERE status = 'diterima' ORDER BY id LIMIT %s",
                [SINGLE_INSERTS],
            )
            ids = [pk for (pk,) in cur.fetchall()]
            for pk in ids:  # bounded
                cur.execute(
                    f"EXPLAIN (ANALYZE, FORMAT JSON) INSERT INTO complaints_complaint "
                    f"(tracking_code, {cols}) SELECT 'one' || id, {cols} FROM complaints_complaint "
                    "WHERE id = %s",
                    [pk],
                )
                total += cur.fetchone()[0][0]["Execution Time"]
            transaction.set_rollback(True)
        return total * 1000 / len(ids)

    def write_costs() -> dict:
        """Both write costs with and without the index, interleaved run by run (so that the load of a
        shared machine falls on both alike); medians."""
        runs = {
            (kind, dropped): [] for kind in ("statement", "single") for dropped in (True, False)
        }
        for _ in range(repeat):  # bounded
            for dropped in (True, False):
                runs[("statement", dropped)].append(write_cost(dropped))
                runs[("single", dropped)].append(single_inserts(dropped))
        return {
            f"{kind}/{'without' if dropped else 'with'}": statistics.median(v)
            for (kind, dropped), v in runs.items()
        }

    def timings() -> dict:
        out = {}
        with connection.cursor() as cur:
            for title, qs in queries:
                out[title] = explain_median(cur, qs, repeat)
        return out

    def plans() -> dict:
        out = {}
        with connection.cursor() as cur:
            for title, qs in queries:
                if (
                    "overdue" in title
                    and "newest" in title
                    or title.startswith("national, by deadline, open, first")
                ):
                    sql, params = qs.query.sql_with_params()
                    cur.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params)
                    out[title] = "\n".join(r[0] for r in cur.fetchall())
        return out

    timings()  # warm-up
    now = timings()
    now_plans = plans()
    writes = write_costs()
    with connection.cursor() as cur:  # the dead rows of the rolled-back writes
        cur.execute("VACUUM ANALYZE complaints_complaint")
    with connection.cursor() as cur:
        cur.execute(f"DROP INDEX {NEW_INDEX}")
        cur.execute("VACUUM ANALYZE complaints_complaint")
    timings()
    without = timings()
    print(
        json.dumps(
            {"now": now, "without": without, "plans": now_plans, "writes": writes, "adding": adding}
        )
    )


def main(argv=None) -> int:
    args, result = seeded_bench(
        __doc__, argv, child, __file__, DB_NAME, rows=200_000, agencies=50, units=20, repeat=5
    )
    if result is None:
        return 0
    lines = [
        f"| Query | without `{NEW_INDEX}` (ms) | with it (ms) | with ÷ without |",
        "|---|---:|---:|---:|",
    ]
    for title, now in result["now"].items():
        without = result["without"][title]
        lines.append(f"| {title} | {without:.2f} | {now:.2f} | {now / without:.3g} |")
    lines += [
        "",
        "| Query (with the index) | as before (ms) | today (ms) | today ÷ before |",
        "|---|---:|---:|---:|",
    ]
    for marker in (" (as before)", " (columns per status)", " (columns per status, no join)"):
        for title, before in result["now"].items():
            if title.endswith(marker):
                now = result["now"][title[: -len(marker)]]
                lines.append(
                    f"| {title[: -len(marker)]} | {before:.2f} | {now:.2f} | {now / before:.3g} |"
                )
    w = result["writes"]
    lines += [
        "",
        f"| Write (index dropped and restored run by run) | without `{NEW_INDEX}` | with it "
        "| with ÷ without |",
        "|---|---:|---:|---:|",
        f"| add {result['adding']:,} complaints in one statement, wall time (ms) "
        f"| {w['statement/without']:.1f} | {w['statement/with']:.1f} "
        f"| {w['statement/with'] / w['statement/without']:.3g} |",
        f"| one-row INSERT of a complaint, server execution time, mean of {SINGLE_INSERTS:,} (µs) "
        f"| {w['single/without']:.1f} | {w['single/with']:.1f} "
        f"| {w['single/with'] / w['single/without']:.3g} |",
    ]
    table = "\n".join(lines)
    print(table)
    for title, plan in result["plans"].items():
        print(f"\n### {title}\n{plan}")
    if args.write:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        append_results(
            f"## A platform admin's inbox at {args.rows:,} complaints — {stamp}\n\n"
            f"Command: `.venv/bin/python bench/inbox_admin_plans.py --rows {args.rows} --write`\n\n"
            f"Median `EXPLAIN ANALYZE` execution time of {args.repeat} runs after a warm-up pass; the write "
            "costs are wall times from Django, rolled back. Every column measured in the same run on the "
            "same data.\n\n"
            f"{table}\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
