"""A late confirmation, rating or dispute (after the automatic-closure date) gets the same answer whether
or not the sweeper has already closed the case."""

import datetime as dt

import pytest

from amanah.complaints import services
from amanah.complaints.models import Complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def lapsed(submit, walk, clock):
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "dijawab")
    clock.set(c.auto_close_due + dt.timedelta(days=1))
    return c


@pytest.mark.parametrize("swept", [False, True])
def test_late_confirm_keeps_the_rating(api, lapsed, swept):
    if swept:
        assert services.sweep()["auto_closed"] == 1  # the worker came round first
    r = api.post(
        f"/api/v1/complaints/{lapsed.tracking_code}/confirm", {"rating": 4, "comment": "Oke"}
    )
    assert r.status_code == 200, r.json()
    c = Complaint.objects.get(pk=lapsed.pk)
    assert (c.status, c.close_reason, c.rating, c.rating_comment) == (
        "selesai",
        "otomatis",
        4,
        "Oke",
    )
    # Rated once: a second late confirmation is refused, and the rating stays.
    r = api.post(f"/api/v1/complaints/{lapsed.tracking_code}/confirm", {"rating": 5})
    assert r.status_code == 409 and r.json()["error"] == "invalid_transition", r.json()
    assert Complaint.objects.get(pk=lapsed.pk).rating == 4


@pytest.mark.parametrize("swept", [False, True])
def test_rating_a_lapsed_case(api, lapsed, swept):
    if swept:
        services.sweep()
    r = api.post(f"/api/v1/complaints/{lapsed.tracking_code}/rating", {"rating": 4})
    assert r.status_code == 200, r.json()
    c = Complaint.objects.get(pk=lapsed.pk)
    assert (c.status, c.close_reason, c.rating) == ("selesai", "otomatis", 4)


@pytest.mark.parametrize("swept", [False, True])
def test_late_dispute_is_explained(api, lapsed, swept):
    if swept:
        services.sweep()
    r = api.post(f"/api/v1/complaints/{lapsed.tracking_code}/dispute", {"reason": "Belum beres"})
    assert r.status_code == 409 and r.json()["error"] == "auto_closed", r.json()
    assert Complaint.objects.get(pk=lapsed.pk).status == "selesai"


def test_a_confirmed_case_is_not_confirmed_again(api, submit, walk):
    c = walk(submit(), "dijawab")
    assert api.post(f"/api/v1/complaints/{c.tracking_code}/confirm", {}).status_code == 200
    r = api.post(f"/api/v1/complaints/{c.tracking_code}/confirm", {"rating": 3})
    assert r.status_code == 409 and r.json()["error"] == "invalid_transition", r.json()
