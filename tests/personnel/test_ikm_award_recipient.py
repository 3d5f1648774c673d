"""The award suggestion for a unit whose IKM rose goes to the unit's head. A head who has left (directory
entry switched off) is no one to propose: the nearest head above still active is proposed instead, as
the rest of personnel walks the chain (``services.active_superior``), and no one when none is left."""

import datetime as dt

import pytest

from amanah.personnel import selectors

from . import helpers

pytestmark = pytest.mark.django_db


def _ikm_rose(unit, admin):
    from amanah.surveys import services as skm
    from amanah.surveys.models import Response

    today = helpers.today()
    for ends, score in ((200, 2), (20, 4)):
        p = skm.create_period(
            admin,
            unit=unit,
            population=10,
            start=today - dt.timedelta(days=ends + 30),
            end=today - dt.timedelta(days=ends),
        )
        Response.objects.bulk_create(
            [Response(period=p, **{f"u{i}": score for i in range(1, 10)}) for _ in range(3)]
        )
        skm.close_period(admin, p)
        skm.publish_period(admin, p)


def _ikm_recipients(agency):
    found = selectors.award_candidates(agency, helpers.today().year)
    return [(c["employee"].pk, c["reason"]) for c in found if c["kind"] == "ikm"]


def _leave(employee):
    employee.is_active = False
    employee.save()


def test_the_ikm_award_goes_to_the_nearest_active_head_not_a_departed_one(org, users):
    a = org["a"]
    _ikm_rose(a["bidang"], users[("admin", None)])
    ((pk, reason),) = _ikm_recipients(a["agency"])
    assert pk == a["kabid"].pk and "tidak aktif" not in reason
    _leave(a["kabid"])
    ((pk, reason),) = _ikm_recipients(a["agency"])
    assert pk == a["kadis"].pk  # the Bidang's parent unit's head
    assert a["bidang"].name in reason and "diusulkan atasan terdekat" in reason
    _leave(a["kadis"])
    assert [pk for pk, _ in _ikm_recipients(a["agency"])] == [a["sekda"].pk]


def test_no_ikm_award_is_proposed_when_no_head_above_is_active(org, users):
    a = org["a"]
    _ikm_rose(a["bidang"], users[("admin", None)])
    for key in ("kabid", "kadis", "sekda"):
        _leave(a[key])
    assert _ikm_recipients(a["agency"]) == []
