"""A published period's public outputs read frozen figures: its results page, report, breakdowns API and
answers file cost a few small queries however many answers it has, and none of them reads the answers
table once the breakdowns are frozen and the file is built. The dashboard's latest IKM per unit does
not grow with the units' history either."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amanah.surveys import reports, selectors, services
from amanah.surveys.models import FrozenBreakdowns, Response, SurveyPeriod
from tests.query_count import queries

pytestmark = pytest.mark.django_db


def _published(publish_answered, org, key, answers):
    def profile(n):
        return {
            "age": 18 + n % 60,
            "gender": "LP"[n % 2],
            "education": "SMA",
            "occupation": ("Swasta", "PNS", "POLRI")[n % 3],
            "service": org[key]["service"] if n % 4 else None,
        }

    return publish_answered(org[key]["bidang"], answers, profile)


def _reads_answers(fn) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        r = fn()
        assert r.status_code == 200
        if getattr(r, "streaming", False):
            b"".join(r.streaming_content)
    return [q["sql"] for q in ctx.captured_queries if '"surveys_response"' in q["sql"]]


def test_public_outputs_of_a_published_period_read_no_answer_and_cost_the_same(
    publish_answered, org
):
    small = _published(publish_answered, org, "a", 12)
    large = _published(publish_answered, org, "b", 300)
    c = Client()

    def urls(p):
        return [
            f"/skm/hasil/{p.pk}/",
            f"/api/v1/surveys/periods/{p.pk}/breakdowns",
            f"/api/v1/surveys/periods/{p.pk}/results",
            f"/skm/hasil/{p.pk}/jawaban.xlsx",
        ]

    for p in (small, large):
        for url in urls(p):
            c.get(url)  # reference data remembered, the answers file built once
        for url in urls(p):
            assert _reads_answers(lambda u=url: c.get(u)) == [], url
    counts = [[queries(lambda u=url: c.get(u)) for url in urls(p)] for p in (small, large)]
    assert counts[0] == counts[1]
    assert _reads_answers(lambda: c.get(f"/skm/hasil/{large.pk}/laporan.pdf")) == []


def test_publication_freezes_the_breakdowns(publish_answered, org):
    p = _published(publish_answered, org, "a", 30)
    frozen = FrozenBreakdowns.objects.get(period=p)
    assert frozen.min_group == 5
    assert frozen.data == {
        "by_service": selectors.by_service(p),
        "by_profile": selectors.by_profile(p),
    }


def _writes(fn) -> list[str]:
    """The statements that change the database while ``fn`` answers (a public reading: none)."""
    with CaptureQueriesContext(connection) as ctx:
        r = fn()
        assert r.status_code == 200
        if getattr(r, "streaming", False):
            b"".join(r.streaming_content)
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def _public_urls(p) -> list[str]:
    return [
        f"/skm/hasil/{p.pk}/",
        f"/api/v1/surveys/periods/{p.pk}/breakdowns",
        f"/api/v1/surveys/periods/{p.pk}/results",
        f"/skm/hasil/{p.pk}/laporan.pdf",
        f"/skm/hasil/{p.pk}/jawaban.xlsx",
    ]


def test_a_public_reading_never_writes_and_the_sweep_freezes_what_is_missing(
    publish_answered, org, settings
):
    """A period published before the breakdowns were frozen (their table empty after the upgrade): its
    public outputs compute them without writing anything; the sweep freezes them; then they are read
    from the frozen row."""
    p = _published(publish_answered, org, "a", 30)
    expected = selectors.compute_breakdowns(p)
    FrozenBreakdowns.objects.all().delete()
    c = Client()
    url = f"/api/v1/surveys/periods/{p.pk}/breakdowns"
    for u in _public_urls(p):
        assert _writes(lambda u=u: c.get(u)) == [], u
    assert not FrozenBreakdowns.objects.exists()
    shown = c.get(url).json()
    assert shown["by_profile"]["gender"] == expected["by_profile"]["gender"]

    assert services.freeze_published_breakdowns() == 1
    frozen = FrozenBreakdowns.objects.get(period=p)
    assert frozen.min_group == 5 and frozen.data == expected
    assert services.freeze_published_breakdowns() == 0  # nothing left to freeze
    assert c.get(url).json() == shown
    # in the order of the pages, also from PostgreSQL's jsonb (which orders keys its own way)
    assert list(c.get(url).json()["by_profile"]) == ["gender", "age", "education", "occupation"]

    # What the public reads now comes from the frozen row (its figures, not the answers').
    data = frozen.data
    data["by_profile"]["gender"][0]["ikm"] = 12.34
    FrozenBreakdowns.objects.filter(period=p).update(data=data)
    for u in _public_urls(p):
        assert _writes(lambda u=u: c.get(u)) == [], u
        assert _reads_answers(lambda u=u: c.get(u)) == [], u
    assert c.get(url).json()["by_profile"]["gender"][0]["ikm"] == 12.34
    assert "12,34" in c.get(f"/skm/hasil/{p.pk}/").content.decode()

    # Another minimum: computed with it, still without writing, until the sweep freezes it again.
    settings.SKM_MIN_GROUP = 1
    assert _writes(lambda: c.get(url)) == []
    assert c.get(url).json()["min_group"] == 1
    assert FrozenBreakdowns.objects.get(period=p).min_group == 5
    assert services.freeze_published_breakdowns() == 1
    assert FrozenBreakdowns.objects.get(period=p).min_group == 1
    assert _reads_answers(lambda: c.get(url)) == []


def test_the_sweep_command_freezes_published_periods(publish_answered, org):
    from io import StringIO

    from django.core.management import call_command

    p = _published(publish_answered, org, "a", 12)
    FrozenBreakdowns.objects.all().delete()
    out = StringIO()
    call_command("skm_sweep", stdout=out)
    assert "froze 1 period(s)' breakdowns" in out.getvalue()
    assert FrozenBreakdowns.objects.filter(period=p, min_group=5).exists()


def test_an_unpublished_periods_breakdowns_follow_its_answers(period, add_answers, manager):
    """Staff read an open or closed period whose answers still change: computed each time."""
    c = Client()
    c.force_login(manager)
    url = f"/api/v1/surveys/periods/{period.pk}/breakdowns"
    add_answers(period, [[3] * 9] * 5, gender="L")
    from amanah.core import tokens

    headers = {"Authorization": f"Bearer {tokens.issue(manager, name='t')}"}
    first = c.get(url, headers=headers).json()["by_profile"]["gender"]
    add_answers(period, [[3] * 9] * 5, gender="P")
    second = c.get(url, headers=headers).json()["by_profile"]["gender"]
    assert [i["respondents"] for i in first] == [5]
    assert [i["respondents"] for i in second] == [5, 5]
    assert not FrozenBreakdowns.objects.exists()


def test_the_public_answers_file_is_built_once(publish_answered, org, monkeypatch):
    p = _published(publish_answered, org, "a", 30)
    built = []
    original = selectors.answer_distribution

    def spy(period):
        built.append(period.pk)
        return original(period)

    monkeypatch.setattr(selectors, "answer_distribution", spy)
    c = Client()
    url = f"/skm/hasil/{p.pk}/jawaban.xlsx"
    first = b"".join(c.get(url).streaming_content)
    assert built == [p.pk]
    second = b"".join(c.get(url).streaming_content)
    assert built == [p.pk], "the kept file was handed out again"
    assert first == second
    from django.core.files.storage import default_storage

    assert default_storage.exists(reports.public_answers_name(p))


def test_an_unpublished_periods_answers_file_is_built_at_each_download(
    period, add_answers, manager
):
    c = Client()
    c.force_login(manager)
    url = f"/skm/hasil/{period.pk}/jawaban.xlsx"
    add_answers(period, [[3] * 9])
    from io import BytesIO

    from openpyxl import load_workbook

    def rows():  # the respondents of U1, as counted in the Sebaran sheet
        data = b"".join(c.get(url).streaming_content)
        return load_workbook(BytesIO(data))["Sebaran"]["G2"].value

    assert rows() == 1
    add_answers(period, [[4] * 9])
    assert rows() == 2


# --- the dashboard's latest IKM per unit ---------------------------------------------------------------


def _history(org, per_unit: int):
    """Published periods of the Bidang, of the whole unit and of its KTP-el service alternately, and one of
    agency B's: ``per_unit`` of each kind, IKM rising by period."""
    agency, bidang, svc = org["a"]["agency"], org["a"]["bidang"], org["a"]["service"]
    rows = []
    for k in range(per_unit):
        for j, service in enumerate((None, svc)):
            start = dt.date(2020, 1, 1) + dt.timedelta(days=30 * (2 * k + j))
            rows.append(
                SurveyPeriod(
                    agency=agency,
                    unit=bidang,
                    service=service,
                    start=start,
                    end=start + dt.timedelta(days=20),
                    population=10,
                    required_sample=10,
                    status="published",
                    snapshot={
                        "ikm": 50.0 + 2 * k + j,
                        "mutu": "D",
                        "kinerja": "Tidak Baik",
                        "respondents": 10 + k,
                    },
                    short_code=f"h{k}x{j}",
                )
            )
    SurveyPeriod.objects.bulk_create(rows)


def _loaded_periods(monkeypatch) -> list:
    loaded = []
    original = SurveyPeriod.from_db.__func__

    def from_db(cls, db, field_names, values, **kwargs):
        loaded.append(values)
        return original(cls, db, field_names, values, **kwargs)

    monkeypatch.setattr(SurveyPeriod, "from_db", classmethod(from_db))
    return loaded


@pytest.mark.parametrize("per_unit", [2, 12])
def test_latest_ikm_per_unit_reads_a_bounded_number_of_periods(org, monkeypatch, per_unit):
    _history(org, per_unit)
    bidang = org["a"]["bidang"]
    loaded = _loaded_periods(monkeypatch)
    with CaptureQueriesContext(connection) as ctx:
        out = selectors.latest_ikm_by_unit([bidang.pk, org["b"]["bidang"].pk])
    # one query handing back figures only: no period of the history is read into Python (the work
    # was once every period of every unit, 2 × per_unit here)
    assert len(ctx.captured_queries) == 1
    assert loaded == []
    last = per_unit - 1
    assert out == {
        bidang.pk: {
            "period": SurveyPeriod.objects.get(short_code=f"h{last}x1").pk,
            "status": "published",
            "end": dt.date(2020, 1, 1) + dt.timedelta(days=30 * (2 * last + 1) + 20),
            "ikm": 50.0 + 2 * last + 1,
            "mutu": "D",
            "kinerja": "Tidak Baik",
            "respondents": 10 + last,
            "previous_ikm": 50.0 + 2 * (last - 1) + 1,  # KTP-el's before, not the unit-wide between
        }
    }


def test_latest_ikm_of_periods_without_snapshot_is_computed(org, add_answers):
    """Periods written outside the services (without their snapshot) are read from their answers."""
    _history(org, 2)
    bidang = org["a"]["bidang"]
    latest, before = SurveyPeriod.objects.filter(unit=bidang, service__isnull=False).order_by(
        "-end"
    )
    for p, answers in ((latest, [[4] * 9]), (before, [[1] * 9])):
        add_answers(p, answers)
    SurveyPeriod.objects.filter(pk__in=[latest.pk, before.pk]).update(snapshot=None)
    entry = selectors.latest_ikm_by_unit([bidang.pk])[bidang.pk]
    assert (entry["period"], entry["ikm"], entry["respondents"], entry["mutu"]) == (
        latest.pk,
        100.0,
        1,
        "A",
    )
    assert entry["previous_ikm"] == 25.0


def test_the_sweep_freezes_a_batch_at_a_time_the_latest_published_first(
    make_period, org, users, today, settings
):
    """After an upgrade every published period needs its breakdowns again: one sweep does not compute
    them all at once, but a batch (settings.SKM_FREEZE_BATCH), the latest published first; pages
    compute the others meanwhile, without writing, and later sweeps go on with the rest."""
    from io import StringIO

    from django.core.management import call_command

    admin = users[("admin", None)]
    periods = []
    for i in range(5):  # a month each, one after the other, published in that order
        end = today - dt.timedelta(days=1 + 30 * (4 - i))
        p = make_period(start=end - dt.timedelta(days=20), end=end)
        Response.objects.bulk_create(
            Response(
                period=p, **{f"u{k}": 1 + (n + k) % 4 for k in range(1, 10)}, gender="LP"[n % 2]
            )
            for n in range(6)
        )
        services.publish_period(admin, services.close_period(admin, p))
        p.refresh_from_db()
        SurveyPeriod.objects.filter(pk=p.pk).update(
            published_at=p.published_at - dt.timedelta(days=5 - i)
        )
        periods.append(p)
    FrozenBreakdowns.objects.all().delete()
    settings.SKM_FREEZE_BATCH = 2
    out = StringIO()
    call_command("skm_sweep", stdout=out)
    assert "froze 2 period(s)' breakdowns (3 left for the next sweeps)" in out.getvalue()
    assert set(FrozenBreakdowns.objects.values_list("period", flat=True)) == {
        periods[4].pk,
        periods[3].pk,
    }
    c = Client()
    oldest = f"/api/v1/surveys/periods/{periods[0].pk}/breakdowns"
    assert _writes(lambda: c.get(oldest)) == []
    assert (
        c.get(oldest).json()["by_profile"] == selectors.compute_breakdowns(periods[0])["by_profile"]
    )
    assert services.freeze_published_breakdowns() == 2
    assert services.freeze_published_breakdowns() == 1
    assert services.freeze_published_breakdowns() == 0
    assert FrozenBreakdowns.objects.count() == 5
