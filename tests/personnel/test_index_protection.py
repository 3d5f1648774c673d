"""GET /index/units publishes each unit's index categories and the agency's overall ones: they are
protected together (core.rules.protect_columns), so the overall counts minus the units' shown ones do not
give back a unit's hidden counts (here: that all three inspektorat ASN are "tinggi")."""

from amanah.core.models import Employee
from amanah.personnel import selectors
from amanah.personnel.models import Profile, Skp

from . import helpers

P = "/api/v1/personnel"


def _indexed(employee, period, *, tinggi: bool) -> None:
    """Records that score ``employee`` "tinggi" (S-2 20 + kompetensi 40 + "baik" 25 + disiplin 5 = 90)
    or else "sedang" (S-1 15 + leadership and technical trainings 30 + 25 + 5 = 75)."""
    Profile.objects.create(employee=employee, education="s2" if tinggi else "s1")
    helpers.training(employee, category="kepemimpinan")
    helpers.training(employee, category="teknis")
    if tinggi:  # a seminar, and 24 JP this year (the minimum is 20)
        helpers.training(employee, category="teknis", method="seminar")
    Skp.objects.create(employee=employee, period=period, predicate="baik", status="dinilai")


def test_hidden_unit_categories_follow_from_the_overall(org, people, api_as):
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
    tinggi = insp_ids | tinggi_bidang
    period = helpers.period(a["agency"])
    scored = [*Employee.objects.filter(unit=a["insp"]), *bidang]
    for e in scored:
        _indexed(e, period, tinggi=e.pk in tinggi)
    scores = selectors.index_scores(scored, helpers.today().year)
    assert [s["category"] for s in scores] == [
        "tinggi" if e.pk in tinggi else "sedang" for e in scored
    ]
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
