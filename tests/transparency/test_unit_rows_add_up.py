"""The rows of a unit table add up to the summary above it: the complaints no listed unit holds (an
agency's complaints given to no unit, a unit's own beside its sub-units') have a row of their own, on
the dashboard, the leadership page and in the open data."""

import csv
import io

from amanah.transparency import selectors

from . import expected

#: row column → summary field: every count of a unit row
COUNTS = {
    "received": "complaints_received",
    "closed": "complaints_closed",
    "answered_on_time": "answered_on_time",
    "deadline_cases": "deadline_cases",
    "open": "open",
    "overdue": "overdue",
    "ikm_respondents": "ikm_respondents",
}
UNASSIGNED = "Belum atau tidak diteruskan ke unit"


def _json(api, path, **params):
    r = api.get(f"/api/v1/transparency/{path}", params)
    assert r.status_code == 200, r.content
    return r.json()


def _adds_up(rows, summary, where):
    for col, field in COUNTS.items():
        assert sum(r[col] for r in rows) == summary[field], (where, col)


def test_agency_and_unit_tables_add_up_to_their_summary(dataset, org, api):
    a = org["a"]
    start, end = expected.period(200)
    period = {"start": start.isoformat(), "end": end.isoformat()}
    no_unit = expected.summary(
        expected.complaints_in(lambda c: c.agency_id == a["agency"].pk and c.unit_id is None),
        start,
        end,
    )
    assert no_unit["complaints_received"] > 0, "the data set has complaints without a unit"

    summary = _json(api, "summary", agency="kab-a", **period)
    rows = _json(api, "units", agency="kab-a", **period)["rows"]
    _adds_up(rows, summary, "agency")
    last = rows[-1]
    assert (last["id"], last["code"], last["name"]) == (None, None, UNASSIGNED)
    assert last["received"] == no_unit["complaints_received"]
    assert last["rank"] is None and last["active"] is None

    # the Dinas holds complaints of its own beside those of its Bidang
    dinas = a["dinas"]
    own = expected.summary(expected.complaints_in(lambda c: c.unit_id == dinas.pk), start, end)
    assert own["complaints_received"] > 0
    summary = _json(api, "summary", unit=dinas.code, **period)
    rows = _json(api, "units", unit=dinas.code, **period)["rows"]
    _adds_up(rows, summary, "unit")
    assert [r["code"] for r in rows] == [a["bidang"].code, None]
    assert rows[-1]["name"] == f"{dinas.name} (langsung, bukan sub-unit)"
    assert rows[-1]["received"] == own["complaints_received"]
    assert rows[-1]["depth"] == rows[0]["depth"] == 2, "beside the rows it completes"


def test_the_csv_keeps_its_columns_and_leaves_the_remainder_without_id(dataset, api):
    r = api.get("/api/v1/transparency/units", {"agency": "kab-a", "format": "csv"})
    table = list(csv.reader(io.StringIO(r.content.decode())))
    head, *body = table
    assert head[5:8] == ["id", "code", "name"] and head[-1] == "active"
    last = dict(zip(head, body[-1], strict=True))
    assert (last["id"], last["code"], last["name"], last["rank"], last["active"]) == (
        "",
        "",
        UNASSIGNED,
        "",
        "",
    )
    summary = _json(api, "summary", agency="kab-a")
    assert (
        sum(int(dict(zip(head, row, strict=True))["received"]) for row in body)
        == (summary["complaints_received"])
    )


def test_the_dashboard_shows_the_remainder_row_without_a_link(dataset, client):
    page = client.get("/transparansi/i/kab-a/").content.decode()
    assert f'<th scope="row" data-label="Nama">{UNASSIGNED}</th>' in page


def test_the_leadership_tree_adds_up_at_every_level(dataset, org, users, client):
    a = org["a"]
    client.force_login(users[("pimpinan", "a")])
    r = client.get("/transparansi/pimpinan/")
    assert r.status_code == 200
    rows, summary = r.context["units"]["rows"], r.context["s"]
    # the top of the tree and the complaints without a unit make up the agency
    _adds_up([row for row in rows if row["depth"] == 0], summary, "agency")
    assert rows[-1]["name"] == UNASSIGNED and rows[-1]["depth"] == 0
    # each unit with sub-units is the sum of the rows just below it, its own row first
    by_code = {row["code"]: i for i, row in enumerate(rows)}
    for parent, children in (
        (a["top"], [a["insp"], a["dinas"]]),
        (a["dinas"], [a["bidang"]]),
    ):
        i = by_code[parent.code]
        below = [row for row in rows[i + 1 :] if row["depth"] == rows[i]["depth"] + 1]
        below = below[: len(children) + 1]
        own = rows[i + 1]
        if own["code"] is None:
            assert own["name"] == f"{parent.name} (langsung, bukan sub-unit)"
            assert own["parent"] == "", "its name says already what it is part of"
        else:
            below = below[: len(children)]
        assert {row["code"] for row in below if row["code"]} == {c.code for c in children}
        for col in COUNTS:
            assert sum(row[col] for row in below) == rows[i][col], (parent.code, col)
    dinas_own = rows[by_code[a["dinas"].code] + 1]
    assert dinas_own["code"] is None and dinas_own["received"] > 0
    page = r.content.decode()
    assert UNASSIGNED in page and f"{a['dinas'].name} (langsung, bukan sub-unit)" in page


def test_no_remainder_row_when_the_units_hold_everything(org, api):
    # nothing received at all: the table lists the units and nothing else
    rows = _json(api, "units", agency="kab-a")["rows"]
    assert rows and all(r["code"] for r in rows)
    assert selectors.own_name("X") == "X (langsung, bukan sub-unit)"
