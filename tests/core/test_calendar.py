"""The working-day calendar: pure rules (property tests) and the agency calendar with real holidays."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amanah.core import rules

dates = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2090, 12, 31))
closed_sets = st.frozensets(dates, max_size=40)
small_n = st.integers(min_value=0, max_value=400)


@given(dates, small_n, closed_sets)
def test_add_lands_on_a_working_day_after_start(start, n, closed):
    end = rules.add_working_days(start, n, closed)
    if n == 0:
        assert end == start
    else:
        assert end > start
        assert rules.is_working_day(end, closed)
        assert end.weekday() < 5 and end not in closed


@given(dates, small_n, closed_sets)
def test_between_is_the_inverse_of_add(start, n, closed):
    assert rules.working_days_between(start, rules.add_working_days(start, n, closed), closed) == n


@given(dates, dates, closed_sets)
def test_between_counts_every_working_day_of_the_interval(a, b, closed):
    start, end = min(a, b), max(a, b)
    if (end - start).days > 3000:
        end = start + dt.timedelta(days=3000)
    brute = sum(
        1
        for i in range(1, (end - start).days + 1)
        if rules.is_working_day(start + dt.timedelta(days=i), closed)
    )
    assert rules.working_days_between(start, end, closed) == brute
    assert rules.working_days_between(end, start, closed) == 0


@given(dates, st.integers(min_value=1, max_value=300), closed_sets)
def test_negative_n_goes_back_symmetrically(start, n, closed):
    back = rules.add_working_days(start, -n, closed)
    assert back < start and rules.is_working_day(back, closed)
    # going back counts the working days in [back, start); the interval (back, start] drops ``back``
    # and adds ``start`` when it is a working day
    assert rules.working_days_between(back, start, closed) == n - 1 + rules.is_working_day(
        start, closed
    )


@settings(max_examples=50)
@given(st.integers(min_value=1995, max_value=2090))
def test_year_end_crossing(year):
    """From 31 December, one working day is the first working day of January (never 1 January, a holiday)."""
    closed = frozenset({dt.date(year + 1, 1, 1)})
    nxt = rules.add_working_days(dt.date(year, 12, 31), 1, closed)
    assert nxt.year == year + 1
    assert nxt != dt.date(year + 1, 1, 1)
    assert nxt.weekday() < 5
    assert (nxt - dt.date(year + 1, 1, 1)).days <= 3


def test_weekend_is_skipped():
    friday = dt.date(2026, 11, 27)
    assert rules.add_working_days(friday, 1, frozenset()) == dt.date(2026, 11, 30)
    assert rules.working_days_between(friday, dt.date(2026, 11, 29), frozenset()) == 0


def test_huge_n_is_refused():
    with pytest.raises(ValueError):
        rules.add_working_days(dt.date(2026, 1, 1), rules.MAX_WORKING_DAYS + 1, frozenset())


# --- With the real holiday data --------------------------------------------------------------------


@pytest.mark.django_db
def test_2026_lebaran_and_cuti_bersama_are_not_working_days():
    from amanah.core.calendar import Calendar, holidays_for

    cal = Calendar()
    kinds = {h.date: h.kind for h in holidays_for(2026)}
    assert kinds[dt.date(2026, 3, 20)] == "cuti_bersama" or "cuti" in str(
        kinds[dt.date(2026, 3, 20)]
    )
    for day in (
        dt.date(2026, 3, 19),
        dt.date(2026, 3, 20),
        dt.date(2026, 3, 23),
        dt.date(2026, 3, 24),
    ):
        assert not cal.is_working_day(day), day
    # Wednesday 18 March is cuti bersama Nyepi, 19 Nyepi, 20 cuti Idul Fitri, 21–22 Idul Fitri (weekend),
    # 23–24 cuti bersama: the next working day after Tuesday 17 March is Wednesday 25 March.
    assert cal.add(dt.date(2026, 3, 17), 1) == dt.date(2026, 3, 25)
    assert cal.between(dt.date(2026, 3, 17), dt.date(2026, 3, 25)) == 1


@pytest.mark.django_db
def test_christmas_and_new_year_across_the_year_end():
    from amanah.core.calendar import Calendar

    cal = Calendar()
    # Wed 23 Dec 2026 + 1 → 24 (cuti bersama) and 25 (Natal) closed, 26–27 weekend → Mon 28 Dec
    assert cal.add(dt.date(2026, 12, 23), 1) == dt.date(2026, 12, 28)
    # Thu 31 Dec 2026 + 1 → 1 Jan 2027 is a holiday (Friday), then weekend → Mon 4 Jan 2027
    assert cal.add(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)


@pytest.mark.django_db
def test_agency_closure_only_affects_that_agency(org):
    from amanah.core.calendar import Calendar
    from amanah.core.models import User
    from amanah.core.services import add_closure

    admin = User.objects.create_superuser("root@x.id", "pw-12345678")
    day = dt.date(2026, 12, 2)  # a Wednesday
    add_closure(admin, org["a"]["agency"], day, "Hari jadi kabupaten")
    assert not Calendar(org["a"]["agency"]).is_working_day(day)
    assert Calendar(org["b"]["agency"]).is_working_day(day)
    assert Calendar(org["a"]["agency"]).add(dt.date(2026, 12, 1), 1) == dt.date(2026, 12, 3)


@pytest.mark.django_db
def test_local_date_follows_the_agency_time_zone(org):
    from amanah.core.calendar import Calendar

    agency = org["a"]["agency"]
    agency.time_zone = "Asia/Jayapura"  # WIT, UTC+9
    moment = dt.datetime(2026, 11, 27, 16, 30, tzinfo=dt.UTC)  # 01:30 on the 28th in Jayapura
    assert Calendar(agency).local_date(moment) == dt.date(2026, 11, 28)
    agency.time_zone = "Asia/Jakarta"
    assert Calendar(agency).local_date(moment) == dt.date(2026, 11, 27)


@pytest.mark.django_db
def test_holidays_api_lists_kinds(api, org):
    r = api.get("/api/v1/calendar/holidays?year=2026")
    assert r.status_code == 200
    by_date = {h["date"]: h for h in r.json()}
    assert by_date["2026-08-17"]["kind"] == "libur nasional"
    assert by_date["2026-12-24"]["kind"] == "cuti bersama"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,status,field",
    [
        ("start=2026-13-01&add=3", 400, "start"),
        ("start=kemarin&add=3", 400, "start"),
        ("start=2026-11-27&add=-1", 400, "add"),
        ("start=2026-11-27&add=100000", 400, "add"),
        ("start=2026-11-27&add=tiga", 400, "add"),
    ],
)
def test_working_days_api_rejects_bad_input(api, query, status, field):
    r = api.get(f"/api/v1/calendar/working-days?{query}")
    assert r.status_code == status
    body = r.json()
    assert field in body["fields"] and body["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["1989-12-31", "2096-01-01"])
def test_working_days_api_names_the_years_it_counts_from(api, start):
    """A start the calendar cannot count on from (the last years leave room for 1,000 working days)."""
    r = api.get(f"/api/v1/calendar/working-days?start={start}&add=3")
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "out_of_range"
    assert body["fields"] == {"start": "Tanggal harus antara tahun 1990 dan 2095."}
    assert api.get("/api/v1/calendar/working-days?start=2095-12-01&add=3").status_code == 200


@pytest.mark.django_db
def test_working_days_api_counts_from_the_day_after(api):
    r = api.get("/api/v1/calendar/working-days?start=2026-11-27&add=3")
    assert r.status_code == 200
    assert r.json() == {"start": "2026-11-27", "add": 3, "date": "2026-12-02"}


@pytest.mark.django_db
def test_agency_closure_overrides_a_platform_closure_on_every_database(org):
    """A platform-wide extra holiday that one agency decides to work through: the agency's own
    entry wins for that agency only (databases sort NULL agencies differently; the code must not)."""
    import datetime as dt

    from amanah.core.calendar import Calendar, holidays_for_years
    from amanah.core.models import Closure

    day = dt.date(2026, 7, 15)  # a Wednesday
    Closure.objects.create(agency=None, date=day, name="Libur tambahan nasional")
    Closure.objects.create(
        agency=org["a"]["agency"], date=day, name="Tetap buka", is_working_day=True
    )
    assert Calendar(org["a"]["agency"]).is_working_day(day)
    assert not Calendar(org["b"]["agency"]).is_working_day(day)
    assert not Calendar().is_working_day(day)
    both = holidays_for_years([2025, 2026, 2027], org["b"]["agency"])
    assert set(both) == {2025, 2026, 2027} and day in {h.date for h in both[2026]}
