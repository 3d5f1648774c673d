"""A deactivated agency or unit keeps its history: its cases stay in the figures above it, and the
tables beside those figures list it (marked "tidak aktif") whenever it has figures in the period, cases
open now, or an active unit below it, so the rows account for what the summary counts and no case drops
out of every table. Its own dashboard stays open."""

import datetime as dt

import pytest
from django.test import Client

from amanah.core.models import Agency, Unit
from tests.complaints.conftest import WIB, Clock
from tests.transparency import expected
from tests.transparency.conftest import make_complaints
from tests.transparency.fixed_period import PERIOD
from tests.transparency.fixed_period import api_csv as _csv
from tests.transparency.fixed_period import api_json as _get

pytestmark = pytest.mark.django_db

SUMMED = {
    "received": "complaints_received",
    "closed": "complaints_closed",
    "answered_on_time": "answered_on_time",
    "deadline_cases": "deadline_cases",
    "open": "open",
    "overdue": "overdue",
}


def _third_agency(org):
    """Agency C with one unit and a service, in the shape of the ``org`` fixture's agencies."""
    from amanah.core.models import Service

    agency = Agency.objects.create(code="kab-c", name="Pemerintah Kabupaten C", kind="kabupaten")
    top = Unit.objects.create(agency=agency, code="kab-c-setda", name="Sekretariat Daerah C")
    service = Service.objects.create(
        unit=top, code="kab-c-ktp", name="KTP-el C", duration="1 hari kerja", cost="Gratis"
    )
    org["c"] = {
        "agency": agency,
        "top": top,
        "insp": top,
        "dinas": top,
        "bidang": top,
        "service": service,
    }
    return agency


@pytest.fixture
def history(org, monkeypatch, django_capture_on_commit_callbacks):
    Clock(monkeypatch).set(dt.datetime(2026, 3, 2, 10, 0, tzinfo=WIB))
    _third_agency(org)
    with django_capture_on_commit_callbacks(execute=True):
        cases = {
            "a": make_complaints(org, 60, seed=7, key="a"),
            "b": make_complaints(org, 20, seed=9, key="b"),
            "c": make_complaints(org, 25, seed=11, key="c"),
        }
    return cases


def test_the_national_table_lists_a_deactivated_agency_with_figures(org, api, history):
    Agency.objects.filter(code="kab-c").update(is_active=False)
    # an agency deactivated without any case has nothing to show, an active one without cases is listed
    Agency.objects.create(code="kab-d", name="Kabupaten D", kind="kabupaten", is_active=False)
    Agency.objects.create(code="kab-e", name="Kabupaten E", kind="kabupaten")
    nat = _get(api, "summary")
    rows = {r["code"]: r for r in _get(api, "agencies")["rows"]}
    assert set(rows) == {"kab-a", "kab-b", "kab-c", "kab-e"}
    assert rows["kab-c"]["active"] is False and rows["kab-a"]["active"] is True
    assert rows["kab-c"]["received"] > 0
    # the rows add up to the country's figures, but for the cases transferred to another agency
    # (counted by both agencies, once in the country)
    start, end = (dt.date.fromisoformat(PERIOD[k]) for k in ("start", "end"))
    moved = expected.summary(
        [c for cs in history.values() for c in cs if not expected.national(c)], start, end
    )
    moved["deadline_cases"] = (
        moved["answered_on_time"] + moved["answered_late"] + moved["not_answered_past_deadline"]
    )
    assert moved["complaints_received"] > 0
    for row_field, summary_field in SUMMED.items():
        assert sum(r[row_field] for r in rows.values()) == nat[summary_field] + moved.get(
            summary_field, 0
        ), row_field
    # the open data says the same, and so does the page
    assert {r["code"]: r["active"] for r in _csv(api, "agencies")} == {
        "kab-a": "ya",
        "kab-b": "ya",
        "kab-c": "tidak",
        "kab-e": "ya",
    }
    page = Client().get("/transparansi/", PERIOD)
    html = page.content.decode()
    assert "/transparansi/i/kab-c/?" in html and "tidak aktif" in html
    assert "kab-d" not in html
    # the deactivated agency's own dashboard keeps its history, and agrees with its row
    own = _get(api, "summary", agency="kab-c")
    for row_field, summary_field in SUMMED.items():
        assert rows["kab-c"][row_field] == own[summary_field], row_field
    mine = Client().get("/transparansi/i/kab-c/", PERIOD)
    assert mine.status_code == 200
    assert "Instansi ini sudah tidak aktif" in mine.content.decode()
    assert _get(api, "units", agency="kab-c")["rows"][0]["code"] == "kab-c-setda"
    # an agency's page opens whatever its state, even with nothing to show
    assert Client().get("/transparansi/i/kab-d/", PERIOD).status_code == 200


def _no_unit(cases, start, end):
    return expected.summary([c for c in cases if c.unit_id is None], start, end)


def test_units_below_a_deactivated_unit_stay_in_the_tables(org, api, history):
    a = org["a"]
    Unit.objects.filter(pk=a["top"].pk).update(is_active=False)
    # a deactivated unit without cases and without active units below it is not listed
    Unit.objects.create(agency=a["agency"], parent=a["dinas"], code="kab-a-lama", name="Lama")
    Unit.objects.filter(code="kab-a-lama").update(is_active=False)
    own = _get(api, "summary", agency="kab-a")
    rows = _get(api, "units", agency="kab-a")["rows"]
    # the last row holds the agency's cases without a unit
    assert [(r["code"], r["active"]) for r in rows] == [("kab-a-setda", False), (None, None)]
    start, end = (dt.date.fromisoformat(PERIOD[k]) for k in ("start", "end"))
    loose = _no_unit(history["a"], start, end)
    # every case with a unit is in a unit's row; the rest are the agency's cases without a unit
    assert rows[1]["received"] == loose["complaints_received"]
    assert rows[1]["open"] == loose["open"]
    assert rows[0]["received"] + rows[1]["received"] == own["complaints_received"]
    assert rows[0]["open"] + rows[1]["open"] == own["open"]
    # the deactivated unit's dashboard lists the units below it
    below = _get(api, "units", unit="kab-a-setda")["rows"]
    assert {(r["code"], r["active"]) for r in below} == {
        ("kab-a-insp", True),
        ("kab-a-dukcapil", True),
    }
    assert _get(api, "summary", unit="kab-a-setda")["complaints_received"] == rows[0]["received"]
    page = Client().get("/transparansi/i/kab-a/u/kab-a-setda/", PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Unit ini sudah tidak aktif" in html
    assert "/transparansi/i/kab-a/u/kab-a-dukcapil/?" in html
    assert "kab-a-lama" not in {
        r["code"] for r in _get(api, "units", unit="kab-a-dukcapil")["rows"]
    }
    # the CSV of the agency's table says the same as the page
    assert [(r["code"], r["active"]) for r in _csv(api, "units", agency="kab-a")] == [
        ("kab-a-setda", "tidak"),
        ("", ""),
    ]
    agency_page = Client().get("/transparansi/i/kab-a/", PERIOD).content.decode()
    assert "/transparansi/i/kab-a/u/kab-a-setda/?" in agency_page


def test_a_deactivated_unit_in_the_middle_keeps_its_place(org, api, history):
    a = org["a"]
    Unit.objects.filter(pk=a["dinas"].pk).update(is_active=False)
    below_top = {r["code"]: r for r in _get(api, "units", unit="kab-a-setda")["rows"]}
    assert set(below_top) == {"kab-a-insp", "kab-a-dukcapil"}
    assert below_top["kab-a-dukcapil"]["active"] is False
    dinas = _get(api, "summary", unit="kab-a-dukcapil")
    assert below_top["kab-a-dukcapil"]["received"] == dinas["complaints_received"] > 0
    # the Dinas's own cases follow its Bidang's
    assert [r["code"] for r in _get(api, "units", unit="kab-a-dukcapil")["rows"]] == [
        "kab-a-dafduk",
        None,
    ]


def test_the_leadership_tree_keeps_a_deactivated_unit_with_the_units_below_it(
    org, history, make_user
):
    from amanah.core.models import Role

    a = org["a"]
    Unit.objects.filter(pk=a["top"].pk).update(is_active=False)
    user = make_user(Role.LEADERSHIP, agency=a["agency"])
    c = Client()
    c.force_login(user)
    r = c.get("/transparansi/pimpinan/", {**PERIOD, "agency": "kab-a"})
    assert r.status_code == 200
    tree = [(row["code"], row["depth"], row["active"]) for row in r.context["units"]["rows"]]
    # with the Dinas's own cases below it and the agency's cases without a unit at the end
    assert tree == [
        ("kab-a-setda", 0, False),
        ("kab-a-dukcapil", 1, True),
        (None, 2, None),
        ("kab-a-dafduk", 2, True),
        ("kab-a-insp", 1, True),
        (None, 0, None),
    ]
