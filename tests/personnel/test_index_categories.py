"""docs/personnel.md: "Every number is a table entry and can be overridden" per agency
(Agency.options["personnel"]), the Indeks Profesionalitas categories too. Each ASN's category follows the
agency's table, and so must the average of a unit or of the agency: classified with the built-in table, a
group whose every member is "rendah" under the agency's table was labelled "sangat_rendah"."""

from amanah.core.models import Employee
from amanah.personnel import selectors

#: The built-in table (PermenPANRB 38/2018 Pasal 8) with "rendah" from 5 and labelled otherwise.
CATEGORIES = [
    [91, "sangat_tinggi", "Sangat tinggi"],
    [81, "tinggi", "Tinggi"],
    [71, "sedang", "Sedang"],
    [5, "rendah", "Perlu pembinaan"],
    [0, "sangat_rendah", "Sangat rendah"],
]


def _five_staff(org):
    """Agency A with its own categories and five more ASN in the bidang, none with any record: each
    scores 5 (the disiplin points only)."""
    a = org["a"]
    a["agency"].options = {"personnel": {"index_categories": CATEGORIES}}
    a["agency"].save()
    return [
        Employee.objects.create(
            nip=f"19900303201503101{i}", name=f"S{i}", unit=a["bidang"], position="Staf"
        )
        for i in range(5)
    ]


def test_group_category_uses_the_agencys_index_categories(org):
    emps = _five_staff(org)
    year = 2026
    scores = selectors.index_scores(emps, year)
    assert [s["total"] for s in scores] == [5] * 5  # disiplin only
    assert {s["category"] for s in scores} == {"rendah"}  # the agency's table
    assert {s["category_label"] for s in scores} == {"Perlu pembinaan"}
    agg = selectors.index_aggregate(emps, year)
    assert agg["average"] == 5
    assert agg["category"] == "rendah"
    assert agg["categories"]["rendah"] == 5


def test_unit_and_agency_averages_use_the_agencys_index_categories(org, make_user, client):
    a = org["a"]
    _five_staff(org)
    emps = list(Employee.objects.filter(unit__agency=a["agency"], is_active=True))
    overall, rows = selectors.index_overview(a["agency"], 2026, emps)
    assert overall["average"] == 5 and overall["category"] == "rendah"
    bidang = next(r for r in rows if r["unit"].pk == a["bidang"].pk)
    assert bidang["count"] == 7 and bidang["category"] == "rendah"
    by_unit = selectors.index_by_unit(a["agency"], 2026)
    assert next(r for r in by_unit if r["unit"].pk == a["bidang"].pk)["category"] == "rendah"
    client.force_login(make_user("kepegawaian", a["agency"]))
    html = client.get("/kepegawaian/indeks/", {"year": 2026}).content.decode()
    assert "Perlu pembinaan" in html
    assert "Sangat rendah" not in html.split("<table", 1)[1]
