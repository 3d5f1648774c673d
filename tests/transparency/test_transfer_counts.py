"""A complaint transferred to another agency (bukan wewenang) is one complaint nationally, and the
transfer is no answer in the first agency's deadline share."""

import datetime as dt

from amanah.transparency import rollups
from amanah.transparency.models import Rollup
from tests.complaints.conftest import advance, clock, submit  # noqa: F401  (fixtures)


def _summary(api, **params):
    r = api.get(
        "/api/v1/transparency/summary", {"start": "2026-06-01", "end": "2026-07-31", **params}
    )
    assert r.status_code == 200, r.content
    return r.json()


def _table():
    return {
        (r.scope, r.grain, r.measure, r.dim, r.scope_id, r.day, r.value): r.count
        for r in Rollup.objects.exclude(count=0)
    }


def _transfer(clock, submit, users, org, capture, *, transfer_on, forward=True):  # noqa: F811
    from amanah.complaints import services

    clock.set(dt.date(2026, 6, 2))
    with capture(execute=True):
        c = submit()
        if forward:
            c = advance(c, "diteruskan", users, org)
    clock.set(transfer_on)
    with capture(execute=True):
        services.transfer(users[("pengelola", "a")], c, agency=org["b"]["agency"])
    c.refresh_from_db()
    return c


def test_a_transferred_complaint_is_received_once_nationally(
    clock,  # noqa: F811
    submit,  # noqa: F811
    users,
    org,
    api,
    django_capture_on_commit_callbacks,
):
    _transfer(
        clock,
        submit,
        users,
        org,
        django_capture_on_commit_callbacks,
        transfer_on=dt.date(2026, 6, 3),
    )
    clock.set(dt.date(2026, 8, 3))
    nat, a, b = _summary(api), _summary(api, agency="kab-a"), _summary(api, agency="kab-b")
    # Both agencies received it; the country received one complaint, still open at B.
    assert (a["complaints_received"], b["complaints_received"]) == (1, 1)
    assert nat["complaints_received"] == 1
    assert nat["complaints_closed"] == 0 and nat["open"] == 1
    assert a["complaints_closed"] == 1
    # The transfer is no answer: A's deadline share leaves it out, A answered nothing.
    assert a["deadline_cases"] == 0 and a["answered_on_time"] == 0
    assert a["complaints_answered"] == 0 and nat["complaints_answered"] == 0
    # The rebuild counts the same way.
    incremental = _table()
    rollups.rebuild(["complaints"])
    assert _table() == incremental


def test_a_transfer_after_the_response_due_date_is_not_answered_in_time(
    clock,  # noqa: F811
    submit,  # noqa: F811
    users,
    org,
    api,
    django_capture_on_commit_callbacks,
):
    c = _transfer(
        clock,
        submit,
        users,
        org,
        django_capture_on_commit_callbacks,
        transfer_on=dt.date(2026, 7, 1),
    )
    assert c.response_due < dt.date(2026, 7, 1)
    clock.set(dt.date(2026, 8, 3))
    a = _summary(api, agency="kab-a")
    assert a["answered_on_time"] == 0 and a["not_answered_past_deadline"] == 1
    assert a["answered_within_deadline_pct"] == 0.0
