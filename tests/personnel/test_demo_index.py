"""The demo's Indeks Profesionalitas page shows some units' figures: with at most three ASN per unit,
below the minimum group of 5 (rules.MIN_GROUP), it hid every unit."""

from amanah.core.models import Agency, Employee
from amanah.personnel import rules

from . import helpers


def test_demo_index_page_shows_some_unit(db):
    from amanah.core import demo as core_demo
    from amanah.personnel import demo, selectors

    demo.load(core_demo.load_organisation())
    sleman = Agency.objects.get(code="kab-sleman")
    emps = Employee.objects.filter(unit__agency=sleman, is_active=True)
    overall, rows = selectors.index_overview(sleman, helpers.today().year, emps)
    shown = {r["unit"].code: r for r in rows if not r["suppressed"]}
    assert shown, f"every one of {len(rows)} units is hidden ({emps.count()} ASN in all)"
    # Both bidang of Dukcapil reach the minimum group; their ASN have education, trainings and a
    # rated SKP, so the averages are real figures.
    assert set(shown) == {"sleman-dukcapil-dafduk", "sleman-dukcapil-capil"}
    for row in shown.values():
        assert row["count"] >= rules.MIN_GROUP
        assert row["average"] > 0
        assert all(v > 0 for v in row["dimensions"].values())
    assert not overall["suppressed"] and overall["average"] > 0
