"""GET /index/units publishes each unit's index categories and the agency's overall ones: they are
protected together (core.rules.protect_columns), so the overall counts minus the units' shown ones do not
give back a unit's hidden counts (here: that all three inspektorat ASN are "tinggi")."""

from amanah.core.models import Employee
from amanah.personnel import selectors

P = "/api/v1/personnel"


def test_hidden_unit_categories_follow_from_the_overall(org, people, api_as, monkeypatch):
    a = org["a"]
    # Only two units with ASN: inspektorat (3 ASN, too small) and bidang (10 ASN).
    for key in ("sekda", "kadis"):
        a[key].is_active = False
        a[key].save()
    people["colleague_emp"].is_active = False
    people["colleague_emp"].save()
    for i in range(2):
        Employee.objects.create(
            nip=f"19900101201501101{i}", name=f"I{i}", unit=a["insp"], position="Auditor"
        )
    for i in range(8):
        Employee.objects.create(
            nip=f"19900202201502201{i}", name=f"B{i}", unit=a["bidang"], position="Staf"
        )
    insp_ids = set(Employee.objects.filter(unit=a["insp"]).values_list("pk", flat=True))
    bidang = list(Employee.objects.filter(unit=a["bidang"], is_active=True).order_by("pk"))
    assert len(insp_ids) == 3 and len(bidang) == 10
    tinggi_bidang = {e.pk for e in bidang[:5]}

    real = selectors.index_for

    def fake(employee, year):
        out = real(employee, year)
        cat = "tinggi" if employee.pk in insp_ids | tinggi_bidang else "sedang"
        return {**out, "category": cat, "total": out["total"]}

    monkeypatch.setattr(selectors, "index_for", fake)
    r = api_as(people["hr"]).get(f"{P}/index/units")
    assert r.status_code == 200, r.content
    body = r.json()
    units = {u["unit"]: u for u in body["units"]}
    insp = units[a["insp"].code]
    assert insp["suppressed"] is True  # the inspektorat's 3 ASN are hidden...
    shown_elsewhere = sum(
        (u["categories"] or {}).get("tinggi") or 0
        for code, u in units.items()
        if code != a["insp"].code
    )
    derived = body["overall"]["categories"].get("tinggi")
    # ...and the overall count, minus the other units' shown ones, must not say all 3 are "tinggi".
    assert derived is None or derived - shown_elsewhere != insp["count"], (
        f"overall tinggi {derived} - shown {shown_elsewhere} = {derived - shown_elsewhere}: "
        f"each of the {insp['count']} hidden inspektorat ASN is 'tinggi'"
    )
