"""Small counts in the personnel aggregates cannot be recovered by subtraction: a breakdown whose
total is published is protected as one group (``amanah.core.rules.suppress_group``), and every hidden
cell carries the same mark."""

from amanah.core.models import Employee
from amanah.core.rules import SUPPRESS_BELOW
from amanah.personnel import selectors
from amanah.personnel.models import Profile, Skp

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


def test_index_categories_are_protected_against_the_group_size(org):
    a = org["a"]
    year = helpers.today().year
    # Five ASN with nothing on record (disiplin only: 5, sangat rendah) and one with an S-2, a
    # leadership training and a "baik" SKP (20 + 15 + 25 + 5 = 65, rendah).
    emps = [
        Employee.objects.create(
            nip=f"19900303201503101{i}", name=f"S{i}", unit=a["bidang"], position="Staf"
        )
        for i in range(6)
    ]
    Profile.objects.create(employee=emps[-1], education="s2")
    helpers.training(emps[-1], category="kepemimpinan")
    Skp.objects.create(
        employee=emps[-1], period=helpers.period(a["agency"]), predicate="baik", status="dinilai"
    )
    scores = selectors.index_scores(emps, year)
    assert [s["category"] for s in scores] == ["sangat_rendah"] * 5 + ["rendah"]
    agg = selectors.index_aggregate(emps, year)
    cats = agg["categories"]
    assert cats["rendah"] is None and cats["sangat_rendah"] is None
    assert agg["count"] - sum(v for v in cats.values() if v is not None) >= SUPPRESS_BELOW
