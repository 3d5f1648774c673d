"""Every dashboard figure equals a direct computation over the raw tables on the same data."""

import datetime as dt

import pytest
from django.utils import timezone

from . import expected


def _get(api, path, **params):
    r = api.get(f"/api/v1/transparency/{path}", params)
    assert r.status_code == 200, r.content
    return r.json()


FIELDS = [
    "complaints_received",
    "complaints_closed",
    "answered_on_time",
    "answered_late",
    "not_answered_past_deadline",
    "answered_within_deadline_pct",
    "median_days_to_first_response",
    "median_days_to_closure",
    "open",
    "overdue",
    "ratings",
    "mean_rating",
]


@pytest.mark.parametrize("days", [150, 31, 400])
def test_summary_matches_raw_tables_at_every_level(dataset, org, api, days):
    start, end = expected.period(days)
    a, b = org["a"], org["b"]
    subtree = a["dinas"].descendant_ids()
    scopes = [
        ({}, expected.national),
        ({"agency": "kab-a"}, lambda c: c.agency_id == a["agency"].pk),
        ({"agency": "kab-b"}, lambda c: c.agency_id == b["agency"].pk),
        ({"unit": a["dinas"].code}, lambda c: c.unit_id in subtree),
        ({"agency": "kab-a", "unit": a["bidang"].code}, lambda c: c.unit_id == a["bidang"].pk),
    ]
    for params, keep in scopes:
        want = expected.summary(expected.complaints_in(keep), start, end)
        got = _get(api, "summary", start=start.isoformat(), end=end.isoformat(), **params)
        for f in FIELDS:
            assert got[f] == want[f], (params, f, got[f], want[f])
    assert got["scope"]["level"] == "unit"


def test_breakdowns_services_ratings_and_months_match(dataset, org, api):
    start, end = expected.period(200)
    a = org["a"]
    want = expected.summary(
        expected.complaints_in(lambda c: c.agency_id == a["agency"].pk), start, end
    )
    q = {"agency": "kab-a", "start": start.isoformat(), "end": end.isoformat()}
    for dim in ("kind", "status", "channel"):
        rows = _get(api, "breakdown", dimension=dim, **q)["rows"]
        assert {r["value"]: r["count"] for r in rows if r["count"]} == dict(want[f"by_{dim}"])
    services = _get(api, "services", **q)["rows"]
    assert {r["service_id"]: r["count"] for r in services} == dict(want["by_service"])
    ratings = _get(api, "ratings", **q)["rows"]
    assert {r["rating"]: r["count"] for r in ratings if r["count"]} == dict(want["rating_hist"])
    months = _get(api, "monthly", **q)["rows"]
    assert {m["month"]: m["received"] for m in months if m["received"]} == dict(
        want["received_by_month"]
    )


def test_units_table_has_cases_beside_rates_and_ranks_fairly(dataset, org, api, settings):
    start, end = expected.period(200)
    a = org["a"]
    q = {
        "agency": "kab-a",
        "unit": a["top"].code,
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    settings.TRANSPARENCY_MIN_CASES = 1000
    rows = _get(api, "units", **q)["rows"]
    assert {r["code"] for r in rows} == {a["insp"].code, a["dinas"].code}
    assert all(r["rank"] is None for r in rows), "nobody ranked below the minimum"
    dinas = next(r for r in rows if r["code"] == a["dinas"].code)
    subtree = a["dinas"].descendant_ids()
    want = expected.summary(expected.complaints_in(lambda c: c.unit_id in subtree), start, end)
    assert dinas["received"] == want["complaints_received"]
    assert dinas["answered_within_deadline_pct"] == want["answered_within_deadline_pct"]
    assert (
        dinas["deadline_cases"]
        == want["answered_on_time"] + want["answered_late"] + want["not_answered_past_deadline"]
    )
    settings.TRANSPARENCY_MIN_CASES = 1
    ranked = _get(api, "units", **q)["rows"]
    assert ranked[0]["rank"] == 1
    assert ranked[0]["answered_within_deadline_pct"] >= ranked[-1]["answered_within_deadline_pct"]


def test_integrity_counts_below_five_are_suppressed(dataset, api):
    start, end = expected.period(365)
    data = _get(api, "integrity", agency="kab-a", start=start.isoformat(), end=end.isoformat())
    by = {(r["dimension"], r["value"]): r for r in data["rows"]}
    # korupsi 6, pungutan liar 2, gratifikasi 1: the two small ones together (3) would pin each other
    # down beside the total of 9, so korupsi is hidden too
    assert by[("type", "korupsi")]["count"] is None
    assert all(r["count"] in (None, 0) for r in data["rows"] if r["dimension"] == "type")
    # small cells carry the same mark as cells hidden to protect them
    assert (
        by[("type", "pungutan_liar")]["count"] is None
        and by[("type", "pungutan_liar")]["display"] == "disembunyikan"
    )
    assert by[("type", "gratifikasi")]["display"] == "disembunyikan"
    assert by[("type", "lainnya")]["display"] == "0"
    # outcome: terbukti 3 (hidden), tidak_terbukti 1 (hidden) → nothing else to hide
    assert by[("outcome", "terbukti")]["display"] == "disembunyikan"
    assert "< 5" not in {r["display"] for r in data["rows"]}
    # the unit level never shows integrity figures
    r = _get(api, "summary", unit="kab-a-dafduk")
    assert "integrity" not in r
    r = _get(api, "integrity", agency="kab-b", start=start.isoformat(), end=end.isoformat())
    assert all(row["display"] == "0" for row in r["rows"])


def test_secondary_suppression_hides_a_second_cell(
    db, org, api, django_capture_on_commit_callbacks
):
    from .conftest import make_reports

    with django_capture_on_commit_callbacks(execute=True):
        make_reports(
            org,
            [("korupsi", "selesai", None, None, 3)] * 7
            + [("pungutan_liar", "selesai", None, None, 3)]
            + [("gratifikasi", "selesai", None, None, 3)] * 6,
        )
    rows = _get(api, "integrity", agency="kab-a")["rows"]
    by = {(r["dimension"], r["value"]): r["display"] for r in rows}
    # 14 in total is shown, so one more cell is hidden: the smaller of 7 and 6; both hidden cells
    # carry the same mark, so nobody can tell that the pungutan liar one is the small one
    assert by[("type", "pungutan_liar")] == "disembunyikan"
    assert by[("type", "gratifikasi")] == "disembunyikan" and by[("type", "korupsi")] == "7"


def test_ikm_matches_the_survey_results(dataset, org, api):
    from amanah.surveys.models import SurveyPeriod
    from amanah.surveys.selectors import results

    p0, p1, _open = dataset["periods"]
    # a window holding only the published period p1
    window = {
        "start": (p1.end - dt.timedelta(days=2)).isoformat(),
        "end": (p1.end + dt.timedelta(days=2)).isoformat(),
    }
    got = _get(api, "summary", agency="kab-a", **window)
    want = results(p1)
    assert got["ikm"] == want["ikm"] and got["ikm_mutu"] == want["mutu"]
    assert got["ikm_respondents"] == 30
    # over the year only the published period counts: p0 is closed but not published (internal), and
    # the open one is never counted
    start, end = expected.period(365)
    year = _get(
        api, "summary", unit=org["a"]["dinas"].code, start=start.isoformat(), end=end.isoformat()
    )
    assert year["ikm_respondents"] == 30 and year["ikm"] == want["ikm"]
    ikm_rows = _get(api, "ikm", agency="kab-a")["rows"]
    bidang = next(r for r in ikm_rows if r["unit_code"] == org["a"]["bidang"].code)
    # p0 is closed, not published: internal, so the public table has no previous IKM for it
    assert bidang["ikm"] == want["ikm"] and bidang["previous_ikm"] is None
    assert bidang["trend"] is None
    SurveyPeriod.objects.filter(pk=p0.pk).update(status="published")
    bidang = next(
        r
        for r in _get(api, "ikm", agency="kab-a")["rows"]
        if r["unit_code"] == org["a"]["bidang"].code
    )
    assert bidang["ikm"] == want["ikm"] and bidang["previous_ikm"] == results(p0)["ikm"]
    assert bidang["trend"] in {"naik", "turun", "tetap"}


def test_pooled_ikm_weights_each_period_as_its_result_does(
    dataset, org, api, django_capture_on_commit_callbacks
):
    # p0 uses the printed weight 0,111 (an agency matching its old reports), p1 the exact 1/9: the
    # dashboard gives each period's answers that period's weight, as GET …/results does.
    from amanah.surveys import rules as skm_rules
    from amanah.surveys.selectors import compute, results

    p0, p1, _open = dataset["periods"]
    assert p0.weight == "0.111"
    with django_capture_on_commit_callbacks(execute=True):
        p0.status = "published"  # a closed period is internal until published
        p0.save()
    window = {
        "start": (p0.end - dt.timedelta(days=2)).isoformat(),
        "end": (p0.end + dt.timedelta(days=2)).isoformat(),
    }
    for params in ({"agency": "kab-a"}, {"unit": org["a"]["bidang"].code}, {}):
        got = _get(api, "summary", **params, **window)
        assert (got["ikm"], got["ikm_mutu"]) == (results(p0)["ikm"], results(p0)["mutu"]), params
    r0, r1 = compute(p0), compute(p1)
    pooled = (r0.ikm * r0.respondents + r1.ikm * r1.respondents) / 42
    start, end = expected.period(365)
    span = {"start": start.isoformat(), "end": end.isoformat()}
    both = _get(api, "summary", agency="kab-a", **span)
    assert both["ikm"] == float(skm_rules.display_ikm(pooled))
    # the national table reads the agency totals: the same value
    rows = _get(api, "agencies", **span)["rows"]
    assert next(r for r in rows if r["code"] == "kab-a")["ikm"] == both["ikm"]


def test_overdue_now_counts_with_the_agencys_local_date(
    dataset, org, users, api_as, api, monkeypatch
):
    # 23:00 WIB is already 01:00 the next day in a WIT agency: a complaint due "today" in WIB is
    # overdue there, as Complaint.is_overdue (the complaint desk's clock) says.
    from tests.complaints.conftest import WIB, Clock

    agency = org["a"]["agency"]
    agency.time_zone = "Asia/Jayapura"
    agency.save()
    mine = [c for c in dataset["complaints"] if c.agency_id == agency.pk and c.is_open]
    due = next(c.stage_due for c in mine if c.stage_due is not None)
    Clock(monkeypatch).set(dt.datetime.combine(due, dt.time(23, 0), tzinfo=WIB))
    want = sorted(f"AMN-{c.pk}" for c in mine if c.is_overdue_on(due + dt.timedelta(days=1)))
    assert len(want) > sum(1 for c in mine if c.is_overdue_on(due)), "the date matters here"
    start, end = expected.period(400)
    got = _get(api, "summary", agency="kab-a", start=start.isoformat(), end=end.isoformat())
    assert got["overdue"] == len(want)
    client = api_as(users[("pengelola", "a")])
    rows = client.get("/api/v1/transparency/staff/overdue", {"agency": "kab-a"}).json()["items"]
    assert sorted(r["case_number"] for r in rows) == want


def test_csv_of_a_table(dataset, api):
    r = api.get("/api/v1/transparency/units", {"agency": "kab-a", "format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    lines = r.content.decode().splitlines()
    assert lines[0].startswith("level,agency,unit,start,end,id,code,name,received")
    assert lines[1].startswith("instansi,kab-a,,")


def test_data_dictionary_lists_every_table(api):
    data = _get(api, "tables")
    names = {t["name"] for t in data["tables"]}
    assert {"summary", "breakdown", "units", "agencies", "integrity", "indicators", "ikm"} <= names
    assert "CC BY 4.0" in data["licence"]["name"]


@pytest.mark.parametrize(
    "params,status,code",
    [
        ({"agency": "tidak-ada"}, 404, "unknown_agency"),
        ({"unit": "tidak-ada"}, 404, "unknown_unit"),
        ({"agency": "kab-b", "unit": "kab-a-dafduk"}, 400, "unit_not_in_agency"),
        ({"start": "kemarin"}, 400, "invalid_date"),
        ({"start": "2026-02-30"}, 400, "invalid_date"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, 400, "period_backwards"),
        ({"start": "2001-01-01", "end": "2026-01-01"}, 400, "period_too_long"),
        ({"start": "1850-01-01"}, 400, "out_of_range"),
        ({"format": "xml"}, 400, "invalid_format"),
        ({"agency": "x" * 500}, 400, "invalid_agency"),
        ({"agency": "kab\x00a"}, 400, "invalid_characters"),  # refused before the view
        ({"unit": "u\x00"}, 400, "invalid_characters"),
    ],
)
def test_bad_input_gives_a_specific_error(org, api, params, status, code):
    r = api.get("/api/v1/transparency/summary", params)
    assert r.status_code == status, r.content
    body = r.json()
    assert body["error"] == code and body["message"] and body["fields"]


def test_table_errors(org, api):
    assert api.get("/api/v1/transparency/nothing").json()["error"] == "unknown_table"
    r = api.get("/api/v1/transparency/units")
    assert r.status_code == 400 and r.json()["error"] == "scope_not_supported"
    r = api.get("/api/v1/transparency/breakdown", {"dimension": "mood"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_dimension"
    r = api.get("/api/v1/transparency/indicators", {"agency": "kab-a", "unit": "kab-a-dafduk"})
    assert r.status_code == 400


def test_today_default_period(org, api):
    data = _get(api, "summary", agency="kab-a")
    assert data["end"] == timezone.localdate().isoformat()
    assert data["complaints_received"] == 0 and data["answered_within_deadline_pct"] is None


def test_staff_overdue_and_targets_api(dataset, org, users, api_as):
    from django.utils import timezone

    client = api_as(users[("pengelola", "a")])
    rows = client.get("/api/v1/transparency/staff/overdue", {"agency": "kab-a"}).json()["items"]
    want = [
        c
        for c in dataset["complaints"]
        if c.agency_id == org["a"]["agency"].pk
        and c.is_open
        and c.is_overdue_on(timezone.localdate())
    ]
    # Each case by its number and its staff page's address, never by its tracking code (the
    # complainant's key to act in their name).
    assert [(r["case_number"], r["url"]) for r in sorted(rows, key=lambda r: r["id"])] == [
        (f"AMN-{c.pk}", f"/pengaduan/staf/AMN-{c.pk}/") for c in sorted(want, key=lambda c: c.pk)
    ]
    assert not any(c.tracking_code in str(rows) for c in want)
    assert (
        client.get("/api/v1/transparency/staff/overdue", {"agency": "nope"}).json()["error"]
        == "unknown_agency"
    )
    boss = api_as(users[("pimpinan", "a")])
    r = boss.put(
        "/api/v1/transparency/staff/targets",
        {"agency": "kab-a", "code": "tepat_waktu", "year": 2026, "target": "abc"},
    )
    assert r.status_code == 400 and r.json()["fields"]["target"]
    r = boss.put(
        "/api/v1/transparency/staff/targets",
        {"agency": "kab-a", "code": "tepat_waktu", "year": 2026, "target": "92"},
    )
    assert r.status_code == 200 and r.json()["target"] == 92.0
    from amanah.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="transparency.target_set").exists()
    inds = (
        api_as(users[("pimpinan", "a")])
        .get("/api/v1/transparency/indicators", {"agency": "kab-a", "end": "2026-11-28"})
        .json()["rows"]
    )
    row = next(i for i in inds if i["code"] == "tepat_waktu")
    assert row["target"] == 92.0 and row["target_set_by_agency"] is True
    summary = (
        api_as(users[("pimpinan", "a")])
        .get("/api/v1/transparency/summary", {"agency": "kab-a", "end": "2026-11-28"})
        .json()
    )
    assert (
        row["value"] == summary["answered_within_deadline_pct"]
        and row["cases"] == summary["deadline_cases"]
    )


def test_agencies_table_matches_raw_tables(dataset, org, api, settings):
    settings.TRANSPARENCY_MIN_CASES = 10
    start, end = expected.period(200)
    rows = _get(api, "agencies", start=start.isoformat(), end=end.isoformat())["rows"]
    by = {r["code"]: r for r in rows}
    for key in ("a", "b"):
        agency = org[key]["agency"]
        want = expected.summary(
            expected.complaints_in(lambda c, a=agency: c.agency_id == a.pk), start, end
        )
        got = by[agency.code]
        assert (
            got["received"] == want["complaints_received"]
            and got["closed"] == want["complaints_closed"]
        )
        assert got["answered_within_deadline_pct"] == want["answered_within_deadline_pct"]
        assert got["overdue"] == want["overdue"] and got["open"] == want["open"]
        base = want["answered_on_time"] + want["answered_late"] + want["not_answered_past_deadline"]
        assert got["deadline_cases"] == base
        assert (got["rank"] is not None) == (base >= 10)


def test_national_services_table_matches_raw_tables(dataset, org, api):
    start, end = expected.period(200)
    want = expected.summary(expected.complaints_in(expected.national), start, end)["by_service"]
    rows = _get(api, "services", start=start.isoformat(), end=end.isoformat())["rows"]
    assert {r["service_id"]: r["count"] for r in rows} == dict(want)
    assert {r["agency_code"] for r in rows} == {"kab-a", "kab-b"}
    r = api.get(
        "/api/v1/transparency/services",
        {"start": start.isoformat(), "end": end.isoformat(), "format": "csv"},
    )
    assert r.status_code == 200 and r.content.decode().splitlines()[0].startswith("level,")


@pytest.fixture
def many_services(org, django_capture_on_commit_callbacks):
    """Complaints about 14 services of two agencies with skewed, tied and day-to-day varying counts, so
    that finding the top services takes several rounds of the threshold algorithm."""
    import random

    from amanah.complaints.models import Complaint
    from amanah.core.models import Service

    rng = random.Random(11)
    services = []
    for key in ("a", "b"):
        o = org[key]
        for i in range(7):
            services.append(
                Service.objects.create(unit=o["bidang"], code=f"{key}-svc-{i}", name=f"Layanan {i}")
            )
    weights = [30, 1, 12, 12, 5, 1, 2, 25, 3, 12, 1, 8, 4, 9]
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(160):
            svc = rng.choices(services, weights=weights)[0]
            received = today - dt.timedelta(days=rng.randint(0, 120))
            Complaint.objects.create(
                tracking_code=f"SV{i:05d}",
                agency=svc.unit.agency,
                unit=svc.unit,
                service=svc,
                kind="pengaduan",
                channel="web",
                status="diterima",
                title=f"Pengaduan {i}",
                description="Uraian",
                received_at=dt.datetime.combine(
                    received, dt.time(10), tzinfo=timezone.get_fixed_timezone(7 * 60)
                ),
            )
    return services


@pytest.mark.parametrize("limit", [1, 2, 3, 10, 20])
@pytest.mark.parametrize("days", [7, 45, 130])
def test_top_services_are_exact(many_services, org, limit, days):
    from amanah.transparency import selectors

    start, end = expected.period(days)
    a = org["a"]["agency"]
    for scope, keep in (
        (selectors.Scope("n", 0), expected.national),
        (selectors.Scope("a", a.pk, a), lambda c: c.agency_id == a.pk),
    ):
        counts = expected.summary(expected.complaints_in(keep), start, end)["by_service"]
        want = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        got = selectors.top_services(scope, start, end, limit=limit)
        assert [(r["service_id"], r["count"]) for r in got] == want, (scope.kind, limit, days)


def test_whistleblowing_figures_cover_one_closed_quarter(
    db, org, api, client, django_capture_on_commit_callbacks
):
    """Two overlapping periods (a month, then that month and the next; or the same period read again
    tomorrow) must not tell by subtraction what came in between: WBS figures are given for one fixed
    calendar quarter that is over, the latest the chosen period touches."""
    from amanah.core.rules import publication_period

    from .conftest import make_reports

    quarter = publication_period(publication_period(timezone.localdate())[0] - dt.timedelta(1))
    with django_capture_on_commit_callbacks(execute=True):
        make_reports(
            org,
            [("korupsi", "selesai", None, None, 60)] * 6  # early in the last closed quarter
            + [("pungutan_liar", "diterima", None, None, 2)]  # late in it
            # This quarter's reports are not counted until the quarter is over.
            + [("gratifikasi", "diterima", None, None, -1)] * 5,
        )

    def by_type(start, end):
        data = _get(api, "integrity", agency="kab-a", start=start.isoformat(), end=end.isoformat())
        assert all(
            (r["period_start"], r["period_end"]) == tuple(d.isoformat() for d in quarter)
            for r in data["rows"]
        )
        return {r["value"]: r["count"] for r in data["rows"] if r["dimension"] == "type"}

    early = quarter[1] - dt.timedelta(days=60)
    # A stretch ending before the late report and one including it get the same, whole quarter.
    assert (
        by_type(early, early)
        == by_type(early, quarter[1])
        == by_type(quarter[0], timezone.localdate())
    )
    counted = by_type(early, early)
    assert counted["korupsi"] is None  # 6, hidden with the single pungutan liar
    assert counted["pungutan_liar"] is None and counted["gratifikasi"] == 0
    html = client.get(
        "/transparansi/i/kab-a/", {"start": early.isoformat(), "end": early.isoformat()}
    ).content.decode()
    assert "Dihitung per triwulan yang sudah berakhir" in html
    # A period inside the quarter under way has no WBS figures yet, and says why.
    start = publication_period(timezone.localdate())[0].isoformat()
    assert (
        "belum memuat triwulan yang sudah berakhir"
        in client.get("/transparansi/i/kab-a/", {"start": start}).content.decode()
    )


def test_national_figures_do_not_give_away_an_agencys_hidden_count(
    db, org, api, django_capture_on_commit_callbacks
):
    """The national count is the sum over agencies: beside agency B's published figures it would give
    agency A's single hidden report, so it is hidden too; an agency with fewer than five reports in the
    quarter is left out of the national figures."""
    from .conftest import make_reports

    with django_capture_on_commit_callbacks(execute=True):
        make_reports(
            org,
            [("korupsi", "diterima", None, None, 5)] * 8
            + [("gratifikasi", "diterima", None, None, 5)],
        )
        make_reports(org, [("korupsi", "diterima", None, None, 5)] * 9, key="b")

    def types(**scope):
        rows = _get(api, "integrity", **scope)["rows"]
        return {r["value"]: r["count"] for r in rows if r["dimension"] == "type"}

    in_a = types(agency="kab-a")
    assert in_a["korupsi"] is None and in_a["gratifikasi"] is None and in_a["pungutan_liar"] == 0
    assert types(agency="kab-b")["korupsi"] == 9
    national = types()
    # 18 korupsi nationally minus B's 9 would give A's 8, and so A's one gratifikasi report.
    assert national["gratifikasi"] is None and national["korupsi"] is None


def test_a_small_agency_is_left_out_of_the_national_figures(
    db, org, api, django_capture_on_commit_callbacks
):
    """Agency B's two reports show as "< 5"; in the national total they would be 11 − A's 9."""
    from .conftest import make_reports

    with django_capture_on_commit_callbacks(execute=True):
        make_reports(org, [("korupsi", "diterima", None, None, 5)] * 9)
        make_reports(org, [("korupsi", "diterima", None, None, 5)] * 2, key="b")

    def statuses(**scope):
        rows = _get(api, "integrity", **scope)["rows"]
        return {r["value"]: r["count"] for r in rows if r["dimension"] == "status"}

    assert statuses(agency="kab-a")["diterima"] == 9
    assert statuses(agency="kab-b")["diterima"] is None
    assert statuses()["diterima"] == 9


def test_indicators_do_not_give_a_small_number_of_reports(
    db, org, api, django_capture_on_commit_callbacks
):
    from .conftest import make_reports

    with django_capture_on_commit_callbacks(execute=True):
        make_reports(org, [("korupsi", "selesai", "terbukti", "berat", 3)] * 3)
    rows = {r["code"]: r for r in _get(api, "indicators", agency="kab-a")["rows"]}
    for code in ("integritas_selesai", "integritas_terbukti"):
        assert rows[code]["cases"] is None and rows[code]["cases_display"] == "< 5", rows[code]
        assert rows[code]["value"] is None
    assert rows["diselesaikan"]["cases"] is not None  # complaint figures are not WBS figures
