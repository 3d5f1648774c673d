"""The closures API: a second closure for the same agency and day is refused with a structured 409, and the
kind of each day is both a stable code (``kind_code``) and a label in the reader's language (``kind``)."""

import pytest

from tests.i18n import client_in

pytestmark = pytest.mark.django_db


def _english_staff(user):
    from amanah.core import tokens

    client = client_in("en")
    auth = {"Authorization": f"Bearer {tokens.issue(user, name='test')}"}

    def post(path, body):
        return client.post(path, body, content_type="application/json", headers=auth)

    return post


def test_the_same_closure_day_twice_is_refused_with_409(users, api_as, org):
    from amanah.core.models import AuditEntry, Closure

    manager = api_as(users[("pengelola", "a")])
    body = {"agency": "kab-a", "date": "2026-07-06", "name": "Banjir"}
    first = manager.post("/api/v1/staff/closures", body)
    assert first.status_code == 201, first.content
    entries = AuditEntry.objects.count()
    again = manager.post("/api/v1/staff/closures", {**body, "name": "Banjir lagi"})
    assert again.status_code == 409, again.content
    got = again.json()
    assert got["error"] == "closure_exists"
    assert (
        got["message"] == "Instansi ini sudah mempunyai penutupan atau hari kerja pada tanggal itu."
    )
    assert got["fields"] == {"date": got["message"]}
    # a working day on a day that has a closure already is the same conflict
    working = manager.post("/api/v1/staff/closures", {**body, "is_working_day": True})
    assert working.status_code == 409 and working.json()["error"] == "closure_exists"
    assert list(
        Closure.objects.filter(agency=org["a"]["agency"]).values_list("name", flat=True)
    ) == ["Banjir"]
    assert AuditEntry.objects.count() == entries
    # another agency may close on that day
    other = api_as(users[("pengelola", "b")])
    assert other.post("/api/v1/staff/closures", {**body, "agency": "kab-b"}).status_code == 201
    # in English
    english = _english_staff(users[("pengelola", "a")])("/api/v1/staff/closures", body)
    assert english.status_code == 409
    assert (
        english.json()["message"]
        == "This agency already has a closure or a working day on that date."
    )


def test_the_service_refuses_a_duplicate_day_too(users, org):
    import datetime as dt

    from amanah.core import services

    manager, agency, day = users[("pengelola", "a")], org["a"]["agency"], dt.date(2026, 7, 6)
    services.add_closure(manager, agency, day, "Banjir")
    with pytest.raises(services.ClosureExists) as refused:
        services.add_closure(manager, agency, day, "Banjir")
    assert (refused.value.code, refused.value.field) == ("closure_exists", "date")


def test_holiday_kinds_are_codes_and_labels_in_the_readers_language(org):
    indonesian = {
        h["date"]: h
        for h in client_in("id").get("/api/v1/calendar/holidays", {"year": "2026"}).json()
    }
    english = {
        h["date"]: h
        for h in client_in("en").get("/api/v1/calendar/holidays", {"year": "2026"}).json()
    }
    assert indonesian["2026-08-17"]["kind"] == "libur nasional"
    assert indonesian["2026-12-24"]["kind"] == "cuti bersama"
    assert english["2026-08-17"]["kind"] == "national holiday"
    assert english["2026-12-24"]["kind"] == "collective leave (cuti bersama)"
    for day in (indonesian, english):
        assert day["2026-08-17"]["kind_code"] == "libur_nasional"
        assert day["2026-12-24"]["kind_code"] == "cuti_bersama"
    assert set(indonesian) == set(english)


def test_the_closures_answer_names_its_kind(users, api_as, org):
    post = _english_staff(users[("pengelola", "a")])
    closed = post(
        "/api/v1/staff/closures", {"agency": "kab-a", "date": "2026-07-06", "name": "Banjir"}
    )
    assert closed.status_code == 201, closed.content
    assert (closed.json()["kind_code"], closed.json()["kind"]) == (
        "penutupan_instansi",
        "agency closure",
    )
    # 24 December 2026 is cuti bersama; the agency stays open that day: a working day, not a closure
    opened = post(
        "/api/v1/staff/closures",
        {"agency": "kab-a", "date": "2026-12-24", "name": "Tetap buka", "is_working_day": True},
    )
    assert opened.status_code == 201, opened.content
    assert (opened.json()["kind_code"], opened.json()["kind"]) == ("hari_kerja", "working day")
    manager = api_as(users[("pengelola", "a")])
    indonesian = manager.post(
        "/api/v1/staff/closures",
        {"agency": "kab-a", "date": "2026-12-31", "name": "Tetap buka", "is_working_day": True},
    )
    assert indonesian.json()["kind"] == "hari kerja"
    listed = {
        h["date"]: h
        for h in client_in("en")
        .get("/api/v1/calendar/holidays", {"year": "2026", "agency": "kab-a"})
        .json()
    }
    assert listed["2026-07-06"]["kind_code"] == "penutupan_instansi"
    assert "2026-12-24" not in listed


@pytest.mark.parametrize("day", ["1989-12-31", "2101-01-01"])
def test_a_closure_outside_the_calendars_years_is_refused_by_name(users, api_as, day):
    from amanah.core.models import Closure

    manager = api_as(users[("pengelola", "a")])
    r = manager.post("/api/v1/staff/closures", {"agency": "kab-a", "date": day, "name": "Banjir"})
    assert r.status_code == 400, r.content
    got = r.json()
    assert got["error"] == "out_of_range"
    assert got["fields"] == {"date": "Tanggal harus antara tahun 1990 dan 2100."}
    assert not Closure.objects.exists()
