"""Small counts in the personnel aggregates cannot be recovered by subtraction: a breakdown whose
total is published is protected as one group (``amanah.core.rules.suppress_group``), and every hidden
cell carries the same mark."""

from decimal import Decimal

from amanah.core.rules import SUPPRESS_BELOW
from amanah.personnel import selectors

from . import helpers

P = "/api/v1/personnel"


def _rated(org, people, predicates):
    a = org["a"]
    p = helpers.period(a["agency"])
    emps = [a["sekda"], a["kadis"], a["kabid"], a["staff"], a["inspektur"], people["colleague_emp"]]
    for e, predicate in zip(emps, predicates, strict=True):
        s = helpers.skp(e, p, rater=e.superiors()[0] if e.superiors() else a["sekda"])
        s.predicate, s.status = predicate, "dinilai"
        s.save()
    return p


def test_distribution_hides_enough_cells_that_none_follows_from_the_total(people, org, api_as):
    _rated(org, people, ["baik"] * 5 + ["kurang"])
    body = (
        api_as(people["pimpinan"])
        .get(f"{P}/skp/distribution", {"agency": org["a"]["agency"].code})
        .json()
    )
    counts = body["counts"]
    hidden = [k for k, v in counts.items() if v is None]
    assert "kurang" in hidden and len(hidden) >= 2
    # What the total gives away is the sum of the hidden cells, never one of them or a sum < 5.
    assert body["total"] - sum(v for v in counts.values() if v is not None) >= SUPPRESS_BELOW


def test_dashboard_marks_every_hidden_cell_alike(people, org, client):
    _rated(org, people, ["baik"] * 5 + ["kurang"])
    client.force_login(people["hr"])
    page = client.get("/kepegawaian/staf/", {"instansi": org["a"]["agency"].code}).content.decode()
    assert "&lt;5" not in page and page.count(">disembunyikan<") == 2


def test_index_categories_are_protected_against_the_group_size(org, monkeypatch):
    scores = {"sangat_rendah": 5, "rendah": 1}
    fake = [
        {
            "total": Decimal(50),
            "category": cat,
            **dict.fromkeys(("kualifikasi", "kompetensi", "kinerja", "disiplin"), Decimal(1)),
        }
        for cat, n in scores.items()
        for _ in range(n)
    ]
    it = iter(fake)
    monkeypatch.setattr(selectors, "index_for", lambda employee, year: next(it))
    agg = selectors.index_aggregate([org["a"]["staff"]] * len(fake), 2026)
    cats = agg["categories"]
    assert cats["rendah"] is None and cats["sangat_rendah"] is None
    assert agg["count"] - sum(v for v in cats.values() if v is not None) >= SUPPRESS_BELOW
