"""A platform admin's inbox at national scale: "nearest deadline first" over every agency is read from the
``complaint_stage_due`` index (complaints migration 0018), and the inbox filtered to one agency or unit —
by code or by id — is read from that agency's or unit's stage-due index as its own staff's inbox is,
its overdue and due-soon filters a single range there (PostgreSQL and SQLite). The cases listed and their
order are those of a plain reading of the rules in Python."""

import datetime as dt
import re
import secrets
import zoneinfo

import pytest
from django.db import connection

from amanah.complaints import rules, selectors, services
from amanah.complaints.models import Complaint
from amanah.core.calendar import Calendar

from .test_inbox_deadline_index import expected, large_agency  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def reference(
    *, status="", agency=None, unit=None, service=None, overdue=False, due_soon=False
) -> list[int]:
    """Every case the filters name, read one by one in Python: the relation named by its code or its id
    (a number), ``status="open"`` one of the open statuses, overdue before today in the case's agency, due soon within its agency's window of working
    days; in the order of ``Complaint.stage_due`` (nearest first, no running clock last, then oldest)."""

    def names(obj, ref):
        return obj is not None and (obj.code == str(ref) or str(obj.pk) == str(ref))

    out = []
    for c in Complaint.objects.select_related("agency", "unit", "service"):
        if status == "open" and c.status not in rules.OPEN_STATUSES:
            continue
        if agency is not None and not names(c.agency, agency):
            continue
        if unit is not None and not names(c.unit, unit):
            continue
        if service is not None and not names(c.service, service):
            continue
        cal = Calendar(c.agency)
        today = cal.local_date()
        if overdue and not c.is_overdue_on(today):
            continue
        if due_soon:
            end = cal.add(today, services.config(c.agency)["due_soon_days"])
            if c.stage_due is None or not today <= c.stage_due <= end:
                continue
        out.append(c)
    out.sort(key=lambda c: (c.stage_due is None, c.stage_due or dt.date.min, c.received_at, c.pk))
    return [c.pk for c in out]


def listed(user, **filters) -> list[int]:
    return [c.pk for c in selectors.inbox(user, order="due", **filters)]


def make(o, day, status="diterima", unit="dinas"):
    """A case of ``o`` (an agency of the ``org`` fixture) received on 20 May 2026, its stage due on
    ``day`` June."""
    due = dt.date(2026, 6, day)
    return Complaint.objects.create(
        tracking_code=secrets.token_hex(8),
        agency=o["agency"],
        unit=o[unit],
        service=o["service"],
        status=status,
        title=f"{o['agency'].code} {day}",
        description="Uraian.",
        received_at=dt.datetime(2026, 5, 20, 3, tzinfo=dt.UTC) + dt.timedelta(minutes=day),
        verification_due=due,
        response_due=due,
        resolution_due=due,
    )


def test_filters_by_code_or_id_list_what_they_name(org, users, clock):
    """By code and by id, for the agency, the unit and the service; a number that is one agency's id and
    another's code names both (as it did); an unknown reference names nothing."""
    clock.set(dt.date(2026, 6, 5))
    for i, (key, status, unit) in enumerate(
        (
            ("a", "diterima", "dinas"),
            ("b", "diteruskan", "bidang"),
            ("a", "diproses", "bidang"),
            ("b", "selesai", "dinas"),
            ("a", "dijawab", "bidang"),
            ("b", "diterima", "dinas"),
        )
    ):
        make(org[key], 1 + i * 2 % 9, status, unit)
    admin = users[("admin", None)]
    a, b = org["a"], org["b"]
    for relation, obj in (
        ("agency", a["agency"]),
        ("unit", a["bidang"]),
        ("service", b["service"]),
    ):
        for ref in (obj.code, str(obj.pk)):
            shown = listed(admin, **{relation: ref})
            assert shown and shown == reference(**{relation: ref}), (relation, ref)
    b["agency"].code = str(a["agency"].pk)
    b["agency"].save()
    both = listed(admin, agency=str(a["agency"].pk))
    assert both == reference(agency=str(a["agency"].pk)) == reference()
    assert listed(admin, agency="no-such-agency") == []
    assert listed(admin, unit="99999999") == []
    # A manager filtering by another agency sees nothing of it.
    assert listed(users[("pengelola", "b")], agency=a["agency"].code) == []


def test_an_agency_filter_holds_the_agency_to_its_own_deadlines(org, users, clock):
    """The admin's inbox filtered to one agency takes that agency's "today" and due-soon window, and
    lists what its own manager lists."""
    a, b = org["a"]["agency"], org["b"]["agency"]
    a.time_zone = "Asia/Jayapura"  # WIT, a day ahead of B (WIB) for two hours a day
    a.options = {"complaints": {"due_soon_days": 4}}
    a.save()
    for key in ("a", "b"):
        for day in (1, 3, 4, 8, 12):
            make(org[key], day)
    clock.set(dt.datetime(2026, 6, 4, 0, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Jayapura")))
    admin = users[("admin", None)]
    for key, agency in (("a", a), ("b", b)):
        manager = users[("pengelola", key)]
        for ref in (agency.code, agency.pk):
            for flag in ("overdue", "due_soon"):
                shown = listed(admin, agency=ref, **{flag: True})
                assert shown == reference(agency=ref, **{flag: True}), (key, ref, flag)
                assert shown == listed(manager, **{flag: True}), (key, ref, flag)
    # 1 and 3 June are before 4 June in WIT; only 1 June is before 3 June in WIB.
    assert len(listed(admin, agency=a.code, overdue=True)) == 2
    assert len(listed(admin, agency=b.code, overdue=True)) == 1

    # Unfiltered, each agency is held to its own "today" by its time zone; filtered to one agency, the
    # condition is that agency's single range, with nothing to tell the time zones apart.
    def where(qs):
        return str(qs.query).split(" WHERE ", 1)[1]

    assert "time_zone" in where(selectors.inbox(admin, overdue=True))
    for ref in (a.code, b.pk):
        assert "time_zone" not in where(selectors.inbox(admin, agency=ref, overdue=True))


# --- The plans ------------------------------------------------------------------------------------


def uses(plan: str, index: str, *, bounded: bool) -> None:
    """``plan`` reads ``index`` (with the stage's due date in its condition when ``bounded``):
    PostgreSQL's ``Index Scan using <index>`` and ``Index Cond``, SQLite's ``USING INDEX <index>``."""
    reads = [
        line for line in plan.splitlines() if re.search(rf"(?i)using (index )?{index}\b", line)
    ]
    assert reads, plan
    if not bounded:
        return
    if connection.vendor == "postgresql":
        conds = [line for line in plan.splitlines() if "Index Cond" in line]
        assert any("CASE" in line for line in conds), plan
    else:
        assert "<expr>" in reads[0], plan


def test_national_list_by_deadline_is_read_from_the_index(large_agency, users, clock):  # noqa: F811
    admin = users[("admin", None)]
    clock.set(dt.date(2025, 6, 15))
    for filters in ({"status": "open"}, {}, {"overdue": True}):
        page = selectors.inbox(admin, order="due", **filters)[:25]
        plan = page.explain()
        uses(plan, "complaint_stage_due", bounded="overdue" in filters)
        assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan
        assert [c.pk for c in page] == reference(**filters)[:25] != []


@pytest.mark.parametrize("by", ["code", "id"])
@pytest.mark.parametrize(
    ("relation", "index"),
    [("agency", "complaint_agency_stage_due"), ("unit", "complaint_unit_stage_due")],
)
def test_an_admin_filtering_one_agency_or_unit_reads_its_index(
    large_agency,  # noqa: F811
    users,
    clock,
    relation,
    index,
    by,
):
    obj = large_agency["a"]["agency" if relation == "agency" else "bidang"]
    ref = obj.code if by == "code" else str(obj.pk)
    admin = users[("admin", None)]
    clock.set(dt.date(2025, 6, 15))
    for filters in ({"status": "open"}, {"overdue": True}):
        page = selectors.inbox(admin, order="due", **{relation: ref}, **filters)[:25]
        plan = page.explain()
        uses(plan, index, bounded="overdue" in filters)
        if connection.vendor == "postgresql":
            conds = [line for line in plan.splitlines() if "Index Cond" in line]
            assert any(f"{relation}_id = " in line for line in conds), plan
        assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan
        assert [c.pk for c in page] == reference(**{relation: ref}, **filters)[:25] != []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_national_index_migration_can_run_again_after_an_interrupted_build():
    """As 0017's: an invalid index left by an interrupted ``CREATE INDEX CONCURRENTLY`` is built anew, a
    missing one is built, a valid one is kept."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "amanah.complaints.migrations.0018_national_stage_due_index"
    )
    [name] = [index.name for index in migration.INDEXES]

    def state():
        with connection.cursor() as cur:
            return migration._valid(cur, name)

    assert state() is True
    with connection.cursor() as cur:  # what an interrupted concurrent build leaves
        cur.execute(
            "UPDATE pg_index SET indisvalid = false WHERE indexrelid = %s::regclass", [name]
        )
    assert state() is False
    for expected_state in (True, True):  # rebuilt, then left alone
        with connection.schema_editor(atomic=False) as editor:
            migration.forwards(apps, editor)
        assert state() is expected_state
    with connection.schema_editor(atomic=False) as editor:
        migration.backwards(apps, editor)
    assert state() is None
    with connection.schema_editor(atomic=False) as editor:
        migration.forwards(apps, editor)
    assert state() is True
