"""The rollups kept on each change agree with a rebuild from scratch, and follow changes to cases."""

import datetime as dt

from django.utils import timezone

from amanah.transparency import rollups
from amanah.transparency.models import AgencyTotal, ComplaintFact, Rollup


def _table():
    return {
        (r.scope, r.grain, r.measure, r.dim, r.scope_id, r.day, r.value): r.count
        for r in Rollup.objects.exclude(count=0)
    }


def _agency_totals():
    out = {}
    for row in AgencyTotal.objects.values(
        "grain", "day", "agency_id", *rollups.AGENCY_TOTAL_COLUMNS
    ):
        values = tuple(row[c] for c in rollups.AGENCY_TOTAL_COLUMNS)
        if any(values):
            out[(row["grain"], row["day"], row["agency_id"])] = values
    return out


def _agency_totals_from(table):
    """What :class:`AgencyTotal` must hold, worked out from the rollup table."""
    out = {}
    for (scope, grain, measure, dim, scope_id, day, value), count in table.items():
        column = rollups.AGENCY_TOTALS.get((measure, dim, value))
        if scope == "a" and column:
            row = out.setdefault(
                (grain, day, scope_id), dict.fromkeys(rollups.AGENCY_TOTAL_COLUMNS, 0)
            )
            row[column] += count
    return {k: tuple(r[c] for c in rollups.AGENCY_TOTAL_COLUMNS) for k, r in out.items()}


def test_incremental_and_rebuilt_rollups_agree(dataset, django_capture_on_commit_callbacks):
    incremental = _table()
    assert incremental, "the receivers filled the rollups"
    assert ComplaintFact.objects.count() == 100
    # change some cases after the fact: a status change, a deletion, a period reopened
    c = dataset["complaints"][0]
    with django_capture_on_commit_callbacks(execute=True):
        c.status = "selesai"
        c.closed_at = timezone.now()
        c.rating = 5
        c.save()
        dataset["complaints"][1].delete()
        dataset["reports"][0].outcome = "tidak_terbukti"
        dataset["reports"][0].save()
        p = dataset["periods"][1]
        p.status = "open"
        p.save()
    incremental = _table()
    incremental_totals = _agency_totals()
    assert all(v > 0 for v in incremental.values())
    assert incremental_totals and incremental_totals == _agency_totals_from(incremental)
    assert any(k[0] == "n" and k[3] == "service" for k in incremental), "national services kept"
    rollups.rebuild()
    rebuilt = _table()
    assert rebuilt == incremental
    assert _agency_totals() == incremental_totals
    assert ComplaintFact.objects.count() == 99
    # rebuilding one source keeps the agency totals of the others
    rollups.rebuild(["surveys"])
    assert _agency_totals() == incremental_totals


def test_status_change_moves_the_count(dataset, org, django_capture_on_commit_callbacks):
    c = next(
        x
        for x in dataset["complaints"]
        if x.status == "diterima" and x.agency_id == org["a"]["agency"].pk
    )
    day = timezone.localtime(c.received_at, c.received_at.tzinfo).date()

    def count(status):
        return sum(
            Rollup.objects.filter(
                scope="a",
                scope_id=c.agency_id,
                grain="d",
                measure="received",
                dim="status",
                value=status,
                day=day,
            ).values_list("count", flat=True)
        )

    before_received, before_rejected = count("diterima"), count("ditolak")
    with django_capture_on_commit_callbacks(execute=True):
        c.status = "ditolak"
        c.closed_at = timezone.now()
        c.save()
    assert count("diterima") == before_received - 1
    assert count("ditolak") == before_rejected + 1


def test_workday_index_matches_the_calendar(org):
    from amanah.core.calendar import Calendar

    cal = Calendar(org["a"]["agency"])
    idx = rollups.WorkdayIndex(
        cal.closed(2025, 2026, 2027), dt.date(2025, 1, 1), dt.date(2027, 12, 31)
    )
    start = dt.date(2025, 12, 20)
    for n in range(0, 400, 7):
        end = start + dt.timedelta(days=n)
        assert idx.between(start, end) == cal.between(start, end)
