"""SKM API: periods, public answers and their protections, results in one query, paper uploads, follow-up."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amanah.surveys import rules, selectors, services
from amanah.surveys.models import DeviceMark, FollowUpPlan, Response, SurveyPeriod

from .conftest import body

EXAMPLE = [[3, 3, 2, 4, 3, 3, 4, 2, 3], [4, 3, 3, 4, 3, 4, 4, 3, 2], [3, 2, 2, 4, 4, 3, 3, 3, 3]]


# --- periods ----------------------------------------------------------------------------------------------
def test_staff_creates_a_period_and_gets_the_required_sample(org, manager, api_as, today):
    r = api_as(manager).post(
        "/api/v1/surveys/periods",
        {
            "unit": org["a"]["bidang"].code,
            "start": today.isoformat(),
            "end": (today + dt.timedelta(days=90)).isoformat(),
            "population": 1200,
        },
    )
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["required_sample"] == 291
    assert data["status"] == "open" and data["weight"] == "exact"
    assert data["short_url"].startswith("/skm/s/")
    period = SurveyPeriod.objects.get(pk=data["id"])
    assert period.agency == org["a"]["agency"] and period.required_sample == 291
    from amanah.core.models import AuditEntry

    assert AuditEntry.objects.filter(
        action="surveys.period_created", object_id=str(period.pk)
    ).exists()


def test_agency_may_choose_the_printed_weight(org, manager, api_as, today, add_answers):
    agency = org["a"]["agency"]
    agency.options = {"skm_weight": "0.111"}
    agency.save()
    r = api_as(manager).post(
        "/api/v1/surveys/periods",
        {
            "unit": org["a"]["bidang"].code,
            "start": today.isoformat(),
            "end": today.isoformat(),
            "population": 10,
        },
    )
    assert r.json()["weight"] == "0.111"
    period = SurveyPeriod.objects.get(pk=r.json()["id"])
    add_answers(period, [[4] * 9] * 2)
    assert selectors.results(period)["ikm"] == 99.9


@pytest.mark.parametrize(
    "change,field",
    [
        ({"population": 0}, "population"),
        ({"population": -5}, "population"),
        ({"end": "2020-01-01"}, "end"),
        ({"unit": "tidak-ada"}, "unit"),
        ({"start": "31-31-2025"}, "start"),
        ({"service": "layanan-lain"}, "service"),
    ],
)
def test_bad_period_input_is_refused_with_a_specific_error(
    org, manager, api_as, today, change, field
):
    payload = {
        "unit": org["a"]["bidang"].code,
        "start": today.isoformat(),
        "end": (today + dt.timedelta(days=30)).isoformat(),
        "population": 100,
        **change,
    }
    r = api_as(manager).post("/api/v1/surveys/periods", payload)
    assert r.status_code == 422, r.content
    assert field in r.json()["fields"]
    assert not SurveyPeriod.objects.exists()


@pytest.mark.parametrize("population", [rules.POPULATION_MAX + 1, 10**19])
def test_a_population_too_large_to_store_is_refused(org, manager, api_as, today, population):
    """Above what the column holds (2 147 483 647) the answer is a field error, not a database error."""
    payload = {
        "unit": org["a"]["bidang"].code,
        "start": today.isoformat(),
        "end": today.isoformat(),
        "population": population,
    }
    r = api_as(manager).post("/api/v1/surveys/periods", payload)
    assert r.status_code == 422, r.content
    assert r.json()["fields"] == {
        "population": "Populasi paling banyak 2.147.483.647 pengguna layanan."
    }
    assert not SurveyPeriod.objects.exists()
    r = api_as(manager).post(
        "/api/v1/surveys/periods", {**payload, "population": rules.POPULATION_MAX}
    )
    assert r.status_code == 201 and r.json()["required_sample"] == 384


def test_service_of_another_unit_is_refused(org, manager, api_as, today):
    r = api_as(manager).post(
        "/api/v1/surveys/periods",
        {
            "unit": org["a"]["bidang"].code,
            "service": org["b"]["service"].code,
            "start": today.isoformat(),
            "end": today.isoformat(),
            "population": 100,
        },
    )
    assert r.status_code == 422 and "service" in r.json()["fields"]


# --- public answers ---------------------------------------------------------------------------------------
def test_public_answer_is_stored_without_personal_data(period, api, org):
    r = api.post(
        f"/api/v1/surveys/periods/{period.pk}/responses",
        body(
            profile={
                "gender": "P",
                "age": 41,
                "education": "D4-S1",
                "occupation": "Wirausaha",
                "service": org["a"]["service"].code,
            },
            suggestion="Antrean lebih tertib.",
        ),
    )
    assert r.status_code == 201, r.content
    resp = Response.objects.get()
    assert resp.answers() == [3, 3, 2, 4, 3, 3, 4, 2, 3]
    assert (resp.gender, resp.age, resp.education, resp.occupation) == (
        "P",
        41,
        "D4-S1",
        "Wirausaha",
    )
    assert resp.service == org["a"]["service"] and resp.channel == "api"
    field_names = {f.name for f in Response._meta.get_fields()}
    assert not field_names & {
        "ip",
        "ip_address",
        "user_agent",
        "device",
        "email",
        "name",
        "created_at",
    }
    mark = DeviceMark.objects.get()
    assert "127.0.0.1" not in mark.digest and len(mark.digest) == 64


def test_profile_and_suggestion_are_optional(period, api):
    assert api.post(f"/api/v1/surveys/periods/{period.pk}/responses", body()).status_code == 201
    assert Response.objects.get().gender == ""


@pytest.mark.parametrize(
    "answers,fields",
    [
        ({"U1": 5}, {"U1", "U2", "U9"}),
        ({f"U{i}": 0 for i in range(1, 10)}, {"U1", "U5"}),
        ({**{f"U{i}": 3 for i in range(1, 9)}}, {"U9"}),
        ({**{f"U{i}": 3 for i in range(1, 10)}, "U10": 2}, {"U10"}),
        ({**{f"U{i}": 3 for i in range(1, 10)}, "U4": "murah"}, {"U4"}),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(period, api, answers, fields):
    r = api.post(f"/api/v1/surveys/periods/{period.pk}/responses", {"answers": answers})
    assert r.status_code == 422, r.content
    assert r.json()["error"] == "invalid_answers"
    assert fields <= set(r.json()["fields"])
    assert not Response.objects.exists() and not DeviceMark.objects.exists()


def test_bad_profile_is_refused(period, api):
    r = api.post(
        f"/api/v1/surveys/periods/{period.pk}/responses",
        body(profile={"gender": "X", "age": 300, "education": "TK"}),
    )
    assert r.status_code == 422
    assert {"profile.gender", "profile.age", "profile.education"} <= set(r.json()["fields"])
    assert not Response.objects.exists()


def test_unknown_closed_and_finished_periods_refuse_answers(period, make_period, api, users, today):
    assert api.post("/api/v1/surveys/periods/999999/responses", body()).status_code == 404
    services.close_period(users[("admin", None)], period)
    r = api.post(f"/api/v1/surveys/periods/{period.pk}/responses", body())
    assert r.status_code == 409 and r.json()["error"] == "period_closed"
    # before and after ``period`` (today - 5 to today + 30): periods of one unit never overlap
    ended = make_period(start=today - dt.timedelta(days=40), end=today - dt.timedelta(days=6))
    assert (
        api.post(f"/api/v1/surveys/periods/{ended.pk}/responses", body()).json()["error"]
        == "period_ended"
    )
    future = make_period(start=today + dt.timedelta(days=31), end=today + dt.timedelta(days=39))
    assert (
        api.post(f"/api/v1/surveys/periods/{future.pk}/responses", body()).json()["error"]
        == "period_not_started"
    )
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "days, error",
    # before and after ``period`` (today - 5 to today + 30): periods of one unit never overlap
    [((31, 40), "period_not_started"), ((-20, -6), "period_ended"), (None, "period_closed")],
)
def test_questionnaire_is_served_only_while_the_period_takes_answers(
    period, make_period, api, users, today, days, error
):
    """The questionnaire API refuses as the page (410) and ``POST …/responses`` (409) do, so an app never
    shows a questionnaire it cannot send."""
    if days is None:
        services.close_period(users[("admin", None)], period)
    else:
        start, end = (today + dt.timedelta(days=d) for d in days)
        period = make_period(start=start, end=end)  # still open: the sweep has not run
    assert Client().get(f"/skm/s/{period.short_code}/").status_code == 410
    r = api.get(f"/api/v1/surveys/periods/{period.pk}/questionnaire")
    assert r.status_code == 409 and r.json()["error"] == error
    answer = api.post(f"/api/v1/surveys/periods/{period.pk}/responses", body())
    assert answer.status_code == 409 and answer.json()["error"] == error


def test_honeypot_stores_nothing_and_looks_like_success(period, api):
    r = api.post(
        f"/api/v1/surveys/periods/{period.pk}/responses", body(website="http://spam.example")
    )
    assert r.status_code == 201
    assert not Response.objects.exists()


def test_one_answer_per_device_per_day(period, api):
    url = f"/api/v1/surveys/periods/{period.pk}/responses"
    assert api.post(url, body(), headers={"X-Device-Id": "phone-1"}).status_code == 201
    r = api.post(url, body(), headers={"X-Device-Id": "phone-1"})
    assert r.status_code == 409 and r.json()["error"] == "already_answered"
    assert api.post(url, body(), headers={"X-Device-Id": "phone-2"}).status_code == 201
    # Without a device id the connection (address + browser) stands in for it.
    assert api.post(url, body(), headers={"User-Agent": "HP murah"}).status_code == 201
    assert api.post(url, body(), headers={"User-Agent": "HP murah"}).status_code == 409
    assert Response.objects.count() == 3


def test_device_marks_expire_after_the_day(period, api, today):
    from amanah.surveys.tasks import purge_device_marks

    DeviceMark.objects.create(period=period, day=today - dt.timedelta(days=3), digest="x" * 64)
    api.post(f"/api/v1/surveys/periods/{period.pk}/responses", body())
    purge_device_marks.enqueue()
    assert list(DeviceMark.objects.values_list("day", flat=True)) == [today]


def test_answers_are_rate_limited(period, api, settings):
    settings.SKM_ANSWER_RATE = (3, 600)
    url = f"/api/v1/surveys/periods/{period.pk}/responses"
    codes = [api.post(url, body(), headers={"X-Device-Id": f"d{i}"}).status_code for i in range(5)]
    assert codes == [201, 201, 201, 429, 429]
    assert Response.objects.count() == 3


def test_questionnaire_definition(period, api):
    data = api.get(f"/api/v1/surveys/periods/{period.pk}/questionnaire").json()
    assert [e["code"] for e in data["elements"]] == list(rules.CODES)
    assert data["elements"][3]["labels"] == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]


# --- results ----------------------------------------------------------------------------------------------
def test_ikm_unit_of_the_results_at_the_edge_of_a_band():
    from django.template.loader import render_to_string

    # Σ = 63583 over 2000 questionnaires: IKM unit 3,532389 (B, 88,30); rounded half up it would print
    # 3,5324, the lower bound of A. At 79479 over 2500 it is exactly 3,5324: A.
    below = selectors.serialise(rules.compute_ikm([7064] * 8 + [7071], 2000))
    assert (below["ikm_unit"], below["ikm"], below["mutu"]) == (3.5323, 88.30, "B")
    at = selectors.serialise(rules.compute_ikm([8831] * 9, 2500))
    assert (at["ikm_unit"], at["ikm"], at["mutu"]) == (3.5324, 88.31, "A")
    html = render_to_string(
        "surveys/_results.html", {"res": {**below, "required_sample": 1}, "elements": []}
    )
    assert "3,5323" in html and "3,5324" not in html and "3,532<" not in html


def test_results_are_computed_in_one_aggregate_query(period, add_answers, users, api_as):
    add_answers(period, EXAMPLE)
    with CaptureQueriesContext(connection) as ctx:
        res = selectors.results(period)
    answer_queries = [q for q in ctx.captured_queries if "surveys_response" in q["sql"]]
    assert len(answer_queries) == 1
    assert "SUM" in answer_queries[0]["sql"].upper() and "COUNT" in answer_queries[0]["sql"].upper()
    # The hand-computed example: IKM 700/9 = 77,77…, mutu B.
    assert res["respondents"] == 3
    assert res["ikm"] == 77.77 and res["mutu"] == "B" and res["kinerja"] == "Baik"
    assert res["ikm_unit"] == 3.1111
    assert res["unsur"][2] == {
        "code": "U3",
        "name": "Waktu penyelesaian",
        "total": 7,
        "nrr": 2.333,
        "nrr_weighted": 0.259,
    }
    assert res["required_sample"] == 80 and res["sample_adequate"] is False
    assert res["lowest"] == ["U3", "U2", "U8"]
    r = api_as(users[("pimpinan", "a")]).get(f"/api/v1/surveys/periods/{period.pk}/results")
    assert r.status_code == 200 and r.json()["ikm"] == 77.77


def test_database_aggregate_matches_the_rules_on_random_answers(period, add_answers):
    import random

    rng = random.Random(5)
    rows = [[rng.randint(1, 4) for _ in range(9)] for _ in range(257)]
    add_answers(period, rows)
    expected = rules.compute_from_answers(rows)
    assert selectors.compute(period) == expected


def test_results_are_private_until_published(period, add_answers, api, users):
    add_answers(period, EXAMPLE)
    assert api.get(f"/api/v1/surveys/periods/{period.pk}/results").status_code == 404
    admin = users[("admin", None)]
    services.close_period(admin, period)
    assert api.get(f"/api/v1/surveys/periods/{period.pk}/results").status_code == 404
    services.publish_period(admin, period)
    r = api.get(f"/api/v1/surveys/periods/{period.pk}/results")
    assert r.status_code == 200 and r.json()["ikm"] == 77.77
    assert (
        api.get(f"/api/v1/surveys/units/{period.unit.code}/trend").json()["periods"][0]["ikm"]
        == 77.77
    )


def test_results_with_no_answers(period, users, api_as):
    r = api_as(users[("unit", "a")]).get(f"/api/v1/surveys/periods/{period.pk}/results")
    assert r.status_code == 200
    assert (
        r.json()["respondents"] == 0
        and r.json()["ikm"] is None
        and r.json()["sample_adequate"] is False
    )


def test_breakdowns_by_service_and_profile(period, add_answers, org, users, api_as, settings):
    # every group shown: the figures themselves (test_small_groups.py hides the small ones)
    settings.SKM_MIN_GROUP = 1
    svc = org["a"]["service"]
    add_answers(
        period, [[4] * 9] * 2, service=svc, gender="P", age=25, education="SMA", occupation="Swasta"
    )
    add_answers(period, [[2] * 9], gender="L", age=64)
    data = (
        api_as(users[("unit", "a")]).get(f"/api/v1/surveys/periods/{period.pk}/breakdowns").json()
    )
    by_service = {row["service"]: row for row in data["by_service"]}
    assert by_service[svc.code]["ikm"] == 100.0 and by_service[svc.code]["respondents"] == 2
    assert by_service[None]["ikm"] == 50.0
    gender = {i["value"]: i for i in data["by_profile"]["gender"]}
    assert (
        gender["P"]["respondents"] == 2
        and gender["P"]["percent"] == 66.7
        and gender["L"]["ikm"] == 50.0
    )
    ages = {i["label"]: i["respondents"] for i in data["by_profile"]["age"]}
    assert ages == {"20–29": 2, "≥ 60": 1}


@pytest.fixture
def unit_wide_and_service_periods(make_period, add_answers, users, org, today):
    """Three published periods of the Bidang: a unit-wide one, then two of one service (KTP-el)."""
    admin, svc = users[("admin", None)], org["a"]["service"]
    out = []
    for ago, service, score in ((300, None, 2), (190, svc, 3), (90, svc, 4)):
        p = make_period(
            start=today - dt.timedelta(days=ago),
            end=today - dt.timedelta(days=ago - 80),
            service=service,
        )
        add_answers(p, [(score,) * 9] * 3)
        out.append(services.publish_period(admin, services.close_period(admin, p)))
    return out


def test_trend_holds_the_periods_of_the_same_service_only(unit_wide_and_service_periods, api, org):
    """The API's trend is the results page's: a service's periods for a service's period, unit-wide
    periods for a unit-wide one (never mixed: another questionnaire, another population)."""
    from amanah.surveys import reports

    unit_wide, first, last = unit_wide_and_service_periods
    for period, expected in ((last, [first.pk, last.pk]), (unit_wide, [unit_wide.pk])):
        data = api.get(f"/api/v1/surveys/periods/{period.pk}/breakdowns").json()
        assert [t["id"] for t in data["trend"]] == expected
        assert [t["id"] for t in reports.report_context(period)["trend"]] == expected
    unit = org["a"]["bidang"].code
    r = api.get(f"/api/v1/surveys/units/{unit}/trend").json()
    assert (r["service"], [t["id"] for t in r["periods"]]) == (None, [unit_wide.pk])
    code = org["a"]["service"].code
    r = api.get(f"/api/v1/surveys/units/{unit}/trend?service={code}").json()
    assert (r["service"], [t["id"] for t in r["periods"]]) == (code, [first.pk, last.pk])
    assert api.get(f"/api/v1/surveys/units/{unit}/trend?service=tidak-ada").status_code == 404


def test_state_changes(period, add_answers, manager, api_as):
    client = api_as(manager)
    r = client.post(f"/api/v1/surveys/periods/{period.pk}/publish")
    assert r.status_code == 409  # still open
    assert client.post(f"/api/v1/surveys/periods/{period.pk}/close").json()["status"] == "closed"
    r = client.post(f"/api/v1/surveys/periods/{period.pk}/publish")
    assert r.status_code == 409 and r.json()["error"] == "no_answers"
    add_answers(period, EXAMPLE)
    assert client.post(f"/api/v1/surveys/periods/{period.pk}/reopen").json()["status"] == "open"
    client.post(f"/api/v1/surveys/periods/{period.pk}/close")
    r = client.post(f"/api/v1/surveys/periods/{period.pk}/publish", {"analysis": "U3 terendah."})
    assert r.json()["status"] == "published"
    period.refresh_from_db()
    assert period.snapshot["ikm"] == 77.77 and period.analysis == "U3 terendah."
    assert client.post(f"/api/v1/surveys/periods/{period.pk}/reopen").status_code == 409


# --- paper questionnaires ---------------------------------------------------------------------------------
def _csv(
    rows,
    header="U1,U2,U3,U4,U5,U6,U7,U8,U9,jenis_kelamin,usia,pendidikan,pekerjaan,layanan,tanggal",
):
    return ("\n".join([header, *rows]) + "\n").encode()


def _upload(client, period, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/api/v1/surveys/periods/{period.pk}/paper",
        {"file": SimpleUploadedFile(name, data)},
        multipart=True,
    )


def test_paper_csv_upload(period, users, api_as, org, today):
    client = api_as(users[("operator", "a")])
    data = _csv(
        [
            f"4,4,3,4,3,3,4,3,3,P,35,SMA,Swasta,{org['a']['service'].code},{today.isoformat()}",
            "3,3,3,4,3,3,3,3,3,L,,S1,PNS,,",
        ]
    )
    r = _upload(client, period, "kertas.csv", data)
    assert r.status_code == 200, r.content
    assert r.json() == {"imported": 2}
    assert Response.objects.filter(channel="kertas").count() == 2
    assert Response.objects.get(gender="L").education == "D4-S1"


def test_paper_upload_with_unknown_columns_is_refused_naming_them(period, users, api_as, today):
    """A column that is not read would lose its data without a word (a date under ``tgl``): the file is
    refused, every unknown column named, nothing saved."""
    data = _csv(
        [f"3,3,3,3,3,3,3,3,3,{today.isoformat()},S1,"],
        header="U1,U2,U3,U4,U5,U6,U7,U8,U9,tgl,pendidikan_terakhir,",  # an empty header is no column
    )
    r = _upload(api_as(users[("operator", "a")]), period, "kertas.csv", data)
    assert r.status_code == 422, r.content
    out = r.json()
    assert out["error"] == "import_rejected"
    assert out["fields"] == {
        "1.tgl": "Kolom tidak dikenal.",
        "1.pendidikan_terakhir": "Kolom tidak dikenal.",
    }
    assert out["message"].startswith("Kolom tidak dikenal: tgl, pendidikan_terakhir.")
    assert not Response.objects.exists()


def test_paper_xlsx_upload(period, users, api_as):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "Jenis Kelamin", "Usia"])
    for row in EXAMPLE:
        ws.append([*row, "P", 30])
    buf = io.BytesIO()
    wb.save(buf)
    r = _upload(api_as(users[("unit", "a")]), period, "kertas.xlsx", buf.getvalue())
    assert r.status_code == 200, r.content
    assert selectors.results(period)["ikm"] == 77.77


def test_paper_upload_is_all_or_nothing_with_errors_per_row(period, users, api_as, today):
    data = _csv(
        [
            "4,4,3,4,3,3,4,3,3,P,35,SMA,Swasta,,",
            "5,4,3,4,3,3,4,3,3,P,35,SMA,Swasta,,",  # row 3: U1 out of range
            "4,4,3,4,3,3,4,3,,X,35,SMA,Swasta,,",  # row 4: U9 missing, gender wrong
            f"4,4,3,4,3,3,4,3,3,P,35,SMA,Swasta,,{(today + dt.timedelta(days=400)).isoformat()}",  # row 5: date
        ]
    )
    r = _upload(api_as(users[("unit", "a")]), period, "kertas.csv", data)
    assert r.status_code == 422, r.content
    fields = r.json()["fields"]
    assert set(fields) == {"3.U1", "4.U9", "4.gender", "5.tanggal"}
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "name,data",
    [
        ("kosong.csv", b""),
        ("rusak.xlsx", b"PK\x03\x04 not really a workbook"),
        ("kolom.csv", b"A,B,C\n1,2,3\n"),
        ("tanpa-baris.csv", b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n"),
    ],
)
def test_malformed_spreadsheets_are_refused(period, users, api_as, name, data):
    r = _upload(api_as(users[("unit", "a")]), period, name, data)
    assert r.status_code == 422, r.content
    assert r.json()["error"] == "import_rejected" and r.json()["message"]
    assert not Response.objects.exists()


def test_paper_answers_cannot_be_added_after_publication(period, add_answers, users, api_as):
    admin = users[("admin", None)]
    add_answers(period, EXAMPLE)
    services.close_period(admin, period)
    services.publish_period(admin, period)
    r = _upload(api_as(users[("unit", "a")]), period, "k.csv", _csv(["3,3,3,3,3,3,3,3,3,,,,,,"]))
    assert r.status_code == 409
    assert Response.objects.count() == 3


def test_paper_upload_to_a_closed_period_refreshes_its_results(period, add_answers, users, api_as):
    admin = users[("admin", None)]
    add_answers(period, [[1] * 9])
    services.close_period(admin, period)
    _upload(api_as(users[("unit", "a")]), period, "k.csv", _csv(["4,4,4,4,4,4,4,4,4,,,,,,"]))
    period.refresh_from_db()
    assert period.snapshot["respondents"] == 2 and period.snapshot["ikm"] == 62.5


# --- follow-up --------------------------------------------------------------------------------------------
def test_follow_up_plan_and_improvement_in_the_next_period(
    make_period, add_answers, manager, api_as, today
):
    client = api_as(manager)
    first = make_period(start=today - dt.timedelta(days=200), end=today - dt.timedelta(days=100))
    add_answers(first, EXAMPLE)
    client.post(f"/api/v1/surveys/periods/{first.pk}/close")
    due = (today + dt.timedelta(days=30)).isoformat()
    r = client.post(
        f"/api/v1/surveys/periods/{first.pk}/plans",
        {"element": "u3", "action": "Tambah loket pada jam sibuk", "owner": "Kabid", "due": due},
    )
    assert r.status_code == 201, r.content
    plan_id = r.json()["id"]
    r = client.post(
        f"/api/v1/surveys/plans/{plan_id}/progress", {"progress": 100, "note": "Loket 4 dibuka"}
    )
    assert r.json()["status"] == "selesai" and r.json()["progress"] == 100
    bad = client.post(f"/api/v1/surveys/plans/{plan_id}/progress", {"progress": 150})
    assert bad.status_code == 422 and "progress" in bad.json()["fields"]
    bad = client.post(
        f"/api/v1/surveys/periods/{first.pk}/plans",
        {"element": "U12", "action": "", "owner": "", "due": due},
    )
    assert bad.status_code == 422 and {"element", "action", "owner"} <= set(bad.json()["fields"])

    second = make_period()
    add_answers(second, [[3, 3, 4, 4, 3, 3, 4, 2, 3]] * 3)
    assert selectors.comparison(second) is None  # the first period is closed, not published
    cmp = selectors.comparison(second, published_only=False)  # staff compare with it
    by_code = {row["code"]: row for row in cmp["unsur"]}
    assert by_code["U3"]["change"] == "naik" and by_code["U3"]["had_plan"]
    assert by_code["U8"]["change"] == "turun" and not by_code["U8"]["had_plan"]
    assert cmp["change"] == "naik"
    assert FollowUpPlan.objects.get().progress == 100


def test_plans_need_a_closed_period(period, manager, api_as, today):
    r = api_as(manager).post(
        f"/api/v1/surveys/periods/{period.pk}/plans",
        {"element": "U3", "action": "x", "owner": "y", "due": today.isoformat()},
    )
    assert r.status_code == 409


# --- contract selectors -----------------------------------------------------------------------------------
def test_survey_url_and_latest_ikm_by_unit(make_period, add_answers, org, users, today):
    admin = users[("admin", None)]
    unit = org["a"]["bidang"]
    assert selectors.survey_url(unit) is None
    old = make_period(start=today - dt.timedelta(days=300), end=today - dt.timedelta(days=200))
    add_answers(old, [[2] * 9] * 2)
    services.close_period(admin, old)
    services.publish_period(admin, old)
    new = make_period(start=today - dt.timedelta(days=100), end=today - dt.timedelta(days=10))
    add_answers(new, EXAMPLE)
    services.close_period(admin, new)
    current = make_period()
    assert selectors.survey_url(unit) == f"/skm/s/{current.short_code}/"
    published = selectors.latest_ikm_by_unit([unit.pk, org["b"]["bidang"].pk])
    assert published[unit.pk]["period"] == old.pk and published[unit.pk]["previous_ikm"] is None
    latest = selectors.latest_ikm_by_unit([unit.pk, org["b"]["bidang"].pk], include_closed=True)
    assert set(latest) == {unit.pk}
    entry = latest[unit.pk]
    assert entry["period"] == new.pk and entry["ikm"] == 77.77 and entry["mutu"] == "B"
    assert entry["kinerja"] == "Baik" and entry["respondents"] == 3 and entry["end"] == new.end
    assert entry["previous_ikm"] == 50.0
    assert selectors.results(new)["ikm"] == 77.77


@pytest.mark.parametrize(
    "payload",
    [
        {"answers": [1, 2, 3]},
        {"answers": "semua 4"},
        {},
        {"answers": {f"U{i}": 3 for i in range(1, 10)}, "profile": "P"},
        {
            "answers": {f"U{i}": 3 for i in range(1, 10)},
            "profile": {"age": "abc", "service": "tidak-ada"},
        },
        {"answers": {f"U{i}": 3 for i in range(1, 10)}, "suggestion": "x" * 2001},
        {"answers": {f"U{i}": None for i in range(1, 10)}},
        {"answers": {f"U{i}": 3.0 for i in range(1, 10)}, "profile": {"gender": None}},
    ],
)
def test_odd_payloads_get_structured_errors_never_a_500(period, api, payload):
    r = api.post(f"/api/v1/surveys/periods/{period.pk}/responses", payload)
    assert r.status_code in (201, 400, 422), r.content
    assert r.status_code == 201 or set(r.json()) == {"error", "message", "fields"}
    if r.status_code != 201:
        assert not Response.objects.exists()


def test_malformed_json_and_bad_ids(period, api, manager, api_as):
    r = api.client.post(
        f"/api/v1/surveys/periods/{period.pk}/responses",
        "{not json",
        content_type="application/json",
    )
    assert r.status_code in (400, 422)
    assert api.get("/api/v1/surveys/periods/abc/results").status_code in (404, 422)
    r = api_as(manager).post(
        "/api/v1/surveys/periods",
        {"unit": "x", "start": "2026-01-01", "end": "2026-02-01", "population": "banyak"},
    )
    assert r.status_code == 422 and "population" in r.json()["fields"]


def test_sweep_closes_ended_periods_and_freezes_results(make_period, add_answers, today):
    from django.core.management import call_command

    ended = make_period(start=today - dt.timedelta(days=30), end=today - dt.timedelta(days=6))
    add_answers(ended, EXAMPLE)
    running = make_period()  # from today - 5
    DeviceMark.objects.create(period=running, day=today - dt.timedelta(days=5), digest="y" * 64)
    out = io.StringIO()
    call_command("skm_sweep", stdout=out)
    assert "closed 1 period(s), purged 1" in out.getvalue()
    ended.refresh_from_db()
    running.refresh_from_db()
    assert ended.status == "closed" and ended.snapshot["ikm"] == 77.77
    assert running.status == "open"


def test_the_previous_ikm_of_a_unit_is_of_the_same_survey(
    make_period, add_answers, org, users, today
):
    """A unit-wide period published after a period of one of its services: the per-unit table's
    previous value is the unit-wide period before (none here), not the service's."""
    admin = users[("admin", None)]
    unit = org["a"]["bidang"]
    service_period = make_period(
        start=today - dt.timedelta(days=300),
        end=today - dt.timedelta(days=200),
        service=org["a"]["service"],
    )
    add_answers(service_period, [[2] * 9] * 2)
    services.close_period(admin, service_period)
    services.publish_period(admin, service_period)
    unit_wide = make_period(start=today - dt.timedelta(days=100), end=today - dt.timedelta(days=10))
    add_answers(unit_wide, EXAMPLE)
    services.close_period(admin, unit_wide)
    services.publish_period(admin, unit_wide)
    entry = selectors.latest_ikm_by_unit([unit.pk])[unit.pk]
    assert entry["period"] == unit_wide.pk and entry["previous_ikm"] is None
    earlier = make_period(start=today - dt.timedelta(days=500), end=today - dt.timedelta(days=400))
    add_answers(earlier, [[3] * 9] * 2)
    services.close_period(admin, earlier)
    services.publish_period(admin, earlier)
    assert selectors.latest_ikm_by_unit([unit.pk])[unit.pk]["previous_ikm"] == 75.0
