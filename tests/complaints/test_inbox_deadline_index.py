"""The inbox's "nearest deadline first" (``selectors.inbox(order="due")``): the order follows each case's
current stage through every kind of change (a transition, a pause and its resumption, a dispute, a closure
added to the calendar, the sweeper), and a large agency's or unit's first page is read from the
``complaint_{agency,unit}_stage_due`` indexes instead of sorting every matching case (PostgreSQL and
SQLite)."""

import datetime as dt
import secrets

import pytest
from django.db import connection

from amanah.complaints import selectors, services
from amanah.complaints.models import Complaint
from amanah.core.services import add_closure

pytestmark = pytest.mark.django_db


def expected(user, **filters) -> list[int]:
    """The cases of the inbox in the order ``Complaint.stage_due`` (the Python property) gives: the
    nearest due date first, cases without a running clock after them, each group oldest first."""
    cases = list(selectors.inbox(user, **filters))
    cases.sort(key=lambda c: (c.stage_due is None, c.stage_due or dt.date.min, c.received_at, c.pk))
    return [c.pk for c in cases]


def shown(user, **filters) -> list[int]:
    return [c.pk for c in selectors.inbox(user, order="due", **filters)]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a block queues for after its commit (the recount task) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_order_follows_every_kind_of_change(clock, submit, walk, users, org, committed):
    manager, operator = users[("pengelola", "a")], users[("operator", "a")]
    made = {}
    for day, target in (
        (1, "diproses"),
        (2, "diterima"),
        (3, "diteruskan"),
        (4, "menunggu_kelengkapan"),
        (5, "dijawab"),
        (8, "selesai"),
        (9, "diterima"),
        (10, "diteruskan"),
    ):
        clock.set(dt.date(2026, 6, day))
        made.setdefault(target, []).append(walk(submit(title=f"{target} {day}"), target))
    everything = [c.pk for group in made.values() for c in group]

    def check(label):
        order = shown(manager)
        assert order == expected(manager), label
        assert sorted(order) == sorted(everything), label
        # Paused, answered and closed cases (no running clock) come after every running one.
        running = {c.pk for c in Complaint.objects.filter(pk__in=everything) if c.stage_due}
        assert order[: len(running)] and set(order[: len(running)]) == running, label
        return order

    first = check("each stage")
    paused = made["menunggu_kelengkapan"][0]
    assert first.index(paused.pk) >= 5  # below the five cases whose clock runs

    clock.set(dt.date(2026, 6, 11))
    late_received = made["diterima"][1]
    services.verify(operator, late_received, unit=org["a"]["bidang"])  # a transition
    check("after verification")

    services.request_completion(
        operator, made["diterima"][0], message="Mohon lampirkan nomor tanda terima."
    )  # the clock pauses
    check("after a pause")
    services.complete_for(operator, paused, note="Dilengkapi lewat telepon.")  # and resumes
    assert shown(manager).index(paused.pk) < len(everything) - 3
    check("after the clock resumed")

    services.dispute(made["dijawab"][0], reason="KTP-el belum saya terima.")  # reopened
    check("after a dispute")

    with committed():  # a closure moves the open cases' deadlines (services.recount_deadlines)
        add_closure(manager, org["a"]["agency"], dt.date(2026, 6, 15), "Banjir")
    check("after the calendar changed")

    clock.set(dt.date(2026, 7, 20))
    assert services.sweep()["escalated"] > 0  # the sweeper escalates the late ones
    check("after the sweep")

    services.answer(users[("unit", "a")], made["diproses"][0], text="Sudah selesai dicetak.")
    check("after an answer")


def test_the_order_holds_under_the_other_filters(clock, submit, walk, users):
    manager = users[("pengelola", "a")]
    for day, target in ((1, "diteruskan"), (2, "diterima"), (3, "selesai"), (4, "diterima")):
        clock.set(dt.date(2026, 6, day))
        walk(submit(), target)
    for filters in ({"status": "open"}, {"status": "diterima"}, {"status": "closed"}, {}):
        assert shown(manager, **filters) == expected(manager, **filters), filters
    unit_officer = users[("unit", "a")]
    assert shown(unit_officer) == expected(unit_officer)


def test_overdue_and_due_soon_hold_each_agency_to_its_own_bound(org, users, clock):
    """A platform admin sees agencies whose "today" or "due soon" window differ: one range on the
    stage's due date for all of them, and each agency's case still held to its own bound."""
    import zoneinfo

    a, b = org["a"]["agency"], org["b"]["agency"]
    a.time_zone = "Asia/Jayapura"  # WIT, two hours ahead of B's WIB
    a.options = {"complaints": {"due_soon_days": 4}}
    a.save()
    b.time_zone = "Asia/Jakarta"
    b.save()
    received = dt.datetime(2026, 5, 20, 3, tzinfo=dt.UTC)
    cases = {}
    for key, due_day in (("a", 1), ("a", 3), ("a", 8), ("b", 1), ("b", 3), ("b", 4), ("b", 8)):
        o = org[key]
        cases[(key, due_day)] = Complaint.objects.create(
            tracking_code=secrets.token_hex(8),
            agency=o["agency"],
            unit=o["dinas"],
            service=o["service"],
            status="diterima",
            title=f"{key} {due_day}",
            description="Uraian.",
            received_at=received,
            verification_due=dt.date(2026, 6, due_day),
        )
    # Thursday 4 June 00:30 in Jayapura, still Wednesday 3 June 22:30 in Jakarta.
    clock.set(dt.datetime(2026, 6, 4, 0, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Jayapura")))
    admin = users[("admin", None)]

    def found(**filters):
        return sorted(
            (c.agency_id == a.pk and "a" or "b", c.verification_due.day)
            for c in selectors.inbox(admin, **filters)
        )

    # Overdue: before 4 June in A, before 3 June in B.
    assert found(overdue=True) == [("a", 1), ("a", 3), ("b", 1)]
    assert found(overdue=True, order="due") == found(overdue=True)
    # Due soon: A from Thursday 4 June over four working days (to Wednesday 10 June), B from
    # Wednesday 3 June over the default one (to Thursday 4 June).
    assert found(due_soon=True) == [("a", 8), ("b", 3), ("b", 4)]
    assert found(due_soon=True, order="due") == found(due_soon=True)
    # Each agency's manager alone: the same cases of their own agency.
    assert [
        c.verification_due.day for c in selectors.inbox(users[("pengelola", "b")], overdue=True)
    ] == [1]
    assert sorted(
        c.verification_due.day for c in selectors.inbox(users[("pengelola", "a")], due_soon=True)
    ) == [8]


# --- The plans ------------------------------------------------------------------------------------


@pytest.fixture
def large_agency(org):
    """Agency A with 4,000 cases in the statuses of a mature installation (most closed) spread over its
    units, each open stage with its own due date, and 1,000 of agency B's; the table analysed as a
    deployment's would be."""
    a, b = org["a"], org["b"]
    statuses = ["selesai"] * 6 + ["diterima", "diteruskan", "diproses", "dijawab", "ditolak"]
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    rows = []
    for i in range(5000):
        o = a if i < 4000 else b
        received = start + dt.timedelta(hours=i)
        due = received.date() + dt.timedelta(days=3 + i % 17)
        rows.append(
            Complaint(
                tracking_code=secrets.token_hex(8),
                agency=o["agency"],
                # One in ten of each agency's cases at the unit officer's unit, the rest at others.
                unit=o["bidang" if i % 10 == 0 else ("dinas", "insp", "top")[i % 3]],
                service=o["service"],
                status=statuses[i % len(statuses)],
                title=f"Pengaduan {i}",
                description="Uraian.",
                received_at=received,
                verification_due=due,
                response_due=due,
                resolution_due=due + dt.timedelta(days=10),
            )
        )
    Complaint.objects.bulk_create(rows, batch_size=500)
    with connection.cursor() as cur:
        cur.execute(
            "ANALYZE complaints_complaint" if connection.vendor == "postgresql" else "ANALYZE"
        )
    return org


@pytest.mark.parametrize(
    ("role", "index"),
    [("pengelola", "complaint_agency_stage_due"), ("unit", "complaint_unit_stage_due")],
)
def test_first_page_by_deadline_is_read_from_the_index(large_agency, users, role, index):
    person = users[(role, "a")]
    for status in ("open", ""):
        page = selectors.inbox(person, status=status, order="due")[:25]
        plan = page.explain()
        assert index in plan, plan
        # Read in the index's order: no sort of the matching cases (PostgreSQL's Sort or Incremental
        # Sort node, SQLite's temporary B-tree).
        assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan
        pks = [c.pk for c in page]
        assert len(pks) == 25
        assert pks == expected(person, status=status)[:25]


@pytest.mark.parametrize(
    ("filters", "today"),
    [({"overdue": True}, dt.date(2025, 6, 15)), ({"due_soon": True}, dt.date(2025, 4, 1))],
)
@pytest.mark.parametrize(
    ("role", "index"),
    [("pengelola", "complaint_agency_stage_due"), ("unit", "complaint_unit_stage_due")],
)
def test_overdue_and_due_soon_pages_are_read_from_the_index(
    large_agency, users, clock, role, index, filters, today
):
    """The filters are a range on the indexed expression, so a page by deadline visits only the index
    entries of the agency or unit within the range (PostgreSQL's Index Cond, SQLite's ``<expr>`` in the
    index search), not every entry of the agency or unit filtered one by one. The many overdue cases are
    read in index order; the few due soon may be sorted, which the planner may rightly prefer."""
    clock.set(today)
    person = users[(role, "a")]
    page = selectors.inbox(person, order="due", **filters)[:25]
    plan = page.explain()
    if connection.vendor == "postgresql":
        conds = [line for line in plan.splitlines() if "Index Cond" in line and "CASE" in line]
        assert any(("_id = " in line) for line in conds), plan
        assert index in plan, plan
    else:
        searches = [line for line in plan.splitlines() if f"USING INDEX {index} " in line]
        assert searches and "<expr>" in searches[0], plan
    if "overdue" in filters:
        assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan
    pks = [c.pk for c in page]
    assert len(pks) == min(25, len(expected(person, **filters))) and pks
    assert pks == expected(person, **filters)[:25]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_index_migration_can_run_again_after_an_interrupted_build():
    """``CREATE INDEX CONCURRENTLY`` interrupted half-way leaves an invalid index behind: running migration
    0017 again builds it anew, and keeps what is already valid."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("amanah.complaints.migrations.0017_stage_due_indexes")
    names = [index.name for index in migration.INDEXES]

    def states():
        with connection.cursor() as cur:
            return [migration._valid(cur, name) for name in names]

    assert states() == [True, True]
    with connection.cursor() as cur:  # what an interrupted concurrent build leaves
        cur.execute(
            "UPDATE pg_index SET indisvalid = false WHERE indexrelid = %s::regclass", [names[0]]
        )
        cur.execute(f"DROP INDEX {names[1]}")
    assert states() == [False, None]
    with connection.schema_editor(atomic=False) as editor:
        migration.forwards(apps, editor)
    assert states() == [True, True]
    with connection.schema_editor(atomic=False) as editor:  # once more: nothing to do, no error
        migration.forwards(apps, editor)
    assert states() == [True, True]
