import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def manager(users):
    """The service unit's own account (role ``unit`` in agency A's Bidang)."""
    return users[("unit", "a")]


@pytest.fixture
def make_period(org, users, today):
    from amanah.surveys import services

    def make(*, unit=None, population=100, start=None, end=None, **kw):
        return services.create_period(
            users[("admin", None)],
            unit=unit or org["a"]["bidang"],
            population=population,
            start=start or today - dt.timedelta(days=5),
            end=end or today + dt.timedelta(days=30),
            **kw,
        )

    return make


@pytest.fixture
def period(make_period):
    return make_period()


@pytest.fixture
def add_answers():
    """Insert questionnaires directly (rows of nine answers), e.g. to set up results."""
    from amanah.surveys.models import Response

    def add(period, rows, **extra):
        Response.objects.bulk_create(
            [
                Response(period=period, **{f"u{i + 1}": v for i, v in enumerate(row)}, **extra)
                for row in rows
            ]
        )

    return add


def body(values=(3, 3, 2, 4, 3, 3, 4, 2, 3), **extra):
    return {"answers": {f"U{i + 1}": v for i, v in enumerate(values)}, **extra}


@pytest.fixture
def publish_answered(make_period, users, today):
    """``publish(unit, answers, profile)``: a period of ``unit`` that ran from 20 days ago to yesterday,
    with ``answers`` questionnaires (answer ``i`` of the ``n``-th is ``1 + (n + i) % 4``, its respondent
    ``profile(n)``: age, gender, education, occupation, service), closed and published by the admin."""
    from amanah.surveys import services
    from amanah.surveys.models import Response

    def publish(unit, answers, profile):
        p = make_period(
            unit=unit, start=today - dt.timedelta(days=20), end=today - dt.timedelta(days=1)
        )
        Response.objects.bulk_create(
            [
                Response(period=p, **{f"u{i}": 1 + (n + i) % 4 for i in range(1, 10)}, **profile(n))
                for n in range(answers)
            ]
        )
        admin = users[("admin", None)]
        services.close_period(admin, p)
        return services.publish_period(admin, p)

    return publish
