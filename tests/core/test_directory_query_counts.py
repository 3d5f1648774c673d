"""The staff directory costs the same number of queries however many employees it lists, and its
chains of superiors are those of Employee.superiors()."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amanah.core import selectors
from amanah.core.models import Employee, Unit
from tests.query_count import queries

pytestmark = pytest.mark.django_db


def add_sections(org, start, n):
    """``n`` sections below agency A's Bidang, each with a head and one staff member: chains three
    heads deep above the staff."""
    for i in range(start, start + n):
        unit = Unit.objects.create(
            agency=org["a"]["agency"], parent=org["a"]["bidang"], code=f"kab-a-s{i}", name=f"S{i}"
        )
        unit.head = Employee.objects.create(
            nip=f"199001012015011{i:03d}", name=f"Kasi {i}", unit=unit, position="Kasi"
        )
        unit.save()
        Employee.objects.create(
            nip=f"199001012015012{i:03d}", name=f"Staf {i}", unit=unit, position="Staf"
        )


def test_directory_api_costs_the_same_for_few_and_many_employees(org, users, api_as):
    api = api_as(users[("kepegawaian", "a")])
    url = f"/api/v1/staff/employees?agency={org['a']['agency'].code}&limit=200"
    add_sections(org, 1, 2)
    api.get(url)  # reference data remembered
    small = queries(lambda: api.get(url))
    add_sections(org, 3, 20)
    large = queries(lambda: api.get(url))
    assert small == large
    rows = {r["nip"]: r["superiors"] for r in api.get(url).json()["items"]}
    assert len(rows) == 5 + 2 * 22
    kabid, kadis, sekda = (org["a"][k].nip for k in ("kabid", "kadis", "sekda"))
    assert rows["199001012015012007"] == ["199001012015011007", kabid, kadis, sekda]
    assert rows["199001012015011007"] == [kabid, kadis, sekda]  # a head is not their own superior
    assert rows[kabid] == [kadis, sekda]
    assert rows[sekda] == []


def test_superiors_by_employee_matches_employee_superiors(org):
    a, b = org["a"], org["b"]
    add_sections(org, 1, 3)
    # A unit without a head, one whose head works elsewhere, a parent in the other agency (clean()
    # refuses it; the walk still follows it as Unit.ancestors() does) and a loop in the tree.
    headless = Unit.objects.create(agency=a["agency"], parent=a["dinas"], code="x1", name="X1")
    Employee.objects.create(nip="199002022015011001", name="P", unit=headless, position="Staf")
    borrowed = Unit.objects.create(
        agency=a["agency"], parent=headless, code="x2", name="X2", head=a["staff"]
    )
    Employee.objects.create(nip="199002022015011002", name="Q", unit=borrowed, position="Staf")
    foreign = Unit.objects.create(agency=a["agency"], parent=b["bidang"], code="x3", name="X3")
    Employee.objects.create(nip="199002022015011003", name="R", unit=foreign, position="Staf")
    loop1 = Unit.objects.create(agency=a["agency"], code="x4", name="X4")
    loop2 = Unit.objects.create(agency=a["agency"], parent=loop1, code="x5", name="X5")
    loop2.head = Employee.objects.create(
        nip="199002022015011004", name="S", unit=loop2, position="Kepala"
    )
    loop2.save()
    Unit.objects.filter(pk=loop1.pk).update(parent=loop2)
    Employee.objects.create(nip="199002022015011005", name="T", unit=loop1, position="Staf")
    people = list(Employee.objects.filter(unit__agency=a["agency"]).select_related("unit"))
    with CaptureQueriesContext(connection) as ctx:
        chains = selectors.superiors_by_employee(people)
    assert len(ctx.captured_queries) == 1 + 3  # the agency's units, then each level outside it
    assert set(chains) == {e.pk for e in people}
    for e in Employee.objects.filter(unit__agency=a["agency"]):
        assert [s.pk for s in chains[e.pk]] == [s.pk for s in e.superiors()], e.name
    assert selectors.superiors_by_employee([]) == {}
