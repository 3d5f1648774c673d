"""The SKM API's answers are what the OpenAPI document declares for them (each checked against its
schema, ``tests/core/openapi_check.py``), and declaring them changed none: the breakdowns and the trend
are what the selectors build, in the reader's language."""

import datetime as dt

import pytest

from tests.core.openapi_check import answer, as_json

from .conftest import body

pytestmark = pytest.mark.django_db

DOC = "/api/v1/surveys"


@pytest.fixture
def two_published(make_period, add_answers, users, org, today):
    """Two published unit-wide periods of the Bidang, the later with a follow-up plan's element
    compared, answers with and without a service and a profile."""
    from amanah.surveys import services

    admin, svc = users[("admin", None)], org["a"]["service"]
    out = []
    for ago, score in ((200, 2), (100, 3)):
        p = make_period(
            start=today - dt.timedelta(days=ago), end=today - dt.timedelta(days=ago - 80)
        )
        add_answers(p, [(score,) * 9] * 3, service=svc, gender="P", age=30, education="SMA")
        add_answers(p, [(score + 1,) * 9] * 2, gender="L", occupation="Swasta")
        add_answers(p, [(4,) * 9])
        out.append(services.publish_period(admin, services.close_period(admin, p)))
    return out


@pytest.fixture
def min_two(settings):
    """Some groups shown, some hidden, some merged. Set before the periods are published: a period
    published under a larger minimum keeps hiding what it hid then (test_hidden_across_minimums.py)."""
    settings.SKM_MIN_GROUP = 2


def test_breakdowns_and_trend(min_two, two_published, api, settings, org):
    from amanah.surveys import selectors

    period = two_published[1]
    data = answer(
        api.get(f"{DOC}/periods/{period.pk}/breakdowns"), "get", f"{DOC}/periods/{{id}}/breakdowns"
    )
    parts = selectors.compute_breakdowns(period)
    assert [(s["service"], s["respondents"], s["suppressed"]) for s in data["by_service"]] == [
        (s["service"], s["respondents"], s["suppressed"]) for s in parts["by_service"]
    ]
    assert data["by_profile"] == as_json(parts["by_profile"])
    gender = data["by_profile"]["gender"]
    assert any(g["suppressed"] for g in gender) and any(g["merged"] for g in gender)
    assert data["comparison"]["period"]["id"] == two_published[0].pk
    assert data["comparison"]["unsur"][0]["change"] == "naik"
    assert [t["id"] for t in data["trend"]] == [p.pk for p in two_published]
    assert data["trend"] == as_json(selectors.trend(period.unit, None))
    assert data["min_group"] == 2

    trend = answer(
        api.get(f"{DOC}/units/{period.unit.code}/trend"), "get", f"{DOC}/units/{{code}}/trend"
    )
    assert trend == {
        "unit": period.unit.code,
        "name": period.unit.name,
        "service": None,
        "periods": as_json(selectors.trend(period.unit, None)),
    }
    answer(api.get(f"{DOC}/periods/{period.pk}/results"), "get", f"{DOC}/periods/{{id}}/results")


def test_breakdowns_of_the_first_period_have_no_comparison(two_published, api):
    data = answer(
        api.get(f"{DOC}/periods/{two_published[0].pk}/breakdowns"),
        "get",
        f"{DOC}/periods/{{id}}/breakdowns",
    )
    assert data["comparison"] is None


def test_an_answer_and_a_paper_upload(period, api, users, api_as):
    saved = answer(
        api.post(f"/api/v1/surveys/periods/{period.pk}/responses", body()),
        "post",
        f"{DOC}/periods/{{id}}/responses",
        201,
    )
    assert saved["status"] == "saved"
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,3,4,3,3,4,3,3\n"
    r = api_as(users[("operator", "a")]).post(
        f"/api/v1/surveys/periods/{period.pk}/paper",
        {"file": SimpleUploadedFile("kertas.csv", csv)},
        multipart=True,
    )
    assert answer(r, "post", f"{DOC}/periods/{{id}}/paper") == {"imported": 1}
