"""The professionalism index (the agency, per unit, in the BKN export) and the award candidates
cost the same number of queries whatever the number of ASN: the inputs are read for the whole group
at once (selectors.index_inputs), never employee by employee."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amanah.core.models import Employee, Role, RoleAssignment, Unit
from amanah.personnel import selectors
from amanah.personnel.models import (
    Profile,
    Skp,
    SkpPeriod,
    Training,
)
from tests.query_count import queries

from . import helpers

pytestmark = pytest.mark.django_db

P = "/api/v1/personnel"
_seq = itertools.count(1)


def _add_asn(agency, units, period, n: int) -> None:
    """``n`` active ASN with a profile, trainings, a rated SKP and, for every other one, a reprimand
    decided this year (so the index, the sanctions and the award candidates all have work to do);
    one more unit each time, so the units grow too."""
    year = helpers.today().year
    units.append(
        Unit.objects.create(
            agency=agency, parent=units[0], code=f"qc-{next(_seq)}", name=f"Bidang {len(units)}"
        )
    )
    for _ in range(n):
        i = next(_seq)
        e = Employee.objects.create(
            nip=f"199001012015011{i:03d}",
            name=f"ASN {i}",
            unit=units[i % len(units)],
            position="Analis",
        )
        Profile.objects.create(employee=e, education="s1")
        for category, method in (
            ("kepemimpinan", "pelatihan"),
            ("teknis", "pelatihan"),
            ("teknis", "seminar"),
        ):
            Training.objects.create(
                employee=e,
                title="Pelatihan",
                category=category,
                method=method,
                jp=Decimal("10"),
                status="selesai",
                completed_on=dt.date(year, 1, 5),
            )
        Skp.objects.create(employee=e, period=period, predicate="baik", status="dinilai")
        if i % 2:
            helpers.case(
                e,
                status="diputus",
                proven=True,
                level="ringan",
                sanction="teguran_lisan",
                decided_on=dt.date(year, 2, 1),
                sanction_start=dt.date(year, 2, 1),
            )


def test_index_exports_and_awards_cost_the_same_for_few_and_many_asn(org, people, api_as):
    a = org["a"]
    agency = a["agency"]
    hr = people["hr"]
    RoleAssignment.objects.create(user=hr, role=Role.LEADERSHIP, agency=agency)  # proposes awards
    client = Client()
    client.force_login(hr)
    api = api_as(hr)
    year = helpers.today().year
    period = SkpPeriod.objects.create(
        agency=agency, name=f"Tahun {year}", start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )
    units = [a["dinas"]]
    code = agency.code
    reads = [
        lambda: client.get("/kepegawaian/indeks/", {"instansi": code}),
        lambda: api.get(f"{P}/index/units", {"agency": code}),
        lambda: client.get("/kepegawaian/ekspor/indeks/", {"instansi": code}),
        lambda: api.get(f"{P}/exports/indeks", {"agency": code}),
        lambda: client.get("/kepegawaian/penghargaan/", {"instansi": code}),
    ]
    _add_asn(agency, units, period, 3)
    for read in reads:  # reference data (sessions, tokens) is settled before counting
        read()
    few = [queries(read) for read in reads]
    candidates = len(selectors.award_candidates(agency, year))
    _add_asn(agency, units, period, 16)
    many = [queries(read) for read in reads]
    assert few == many
    assert len(selectors.award_candidates(agency, year)) == candidates + 8  # the clean ones


def test_index_aggregate_costs_the_same_for_few_and_many_asn(org, people):
    a = org["a"]
    agency = a["agency"]
    year = helpers.today().year
    period = helpers.period(agency)
    units = [a["dinas"]]

    def aggregate_cost():
        emps = list(Employee.objects.filter(unit__agency=agency, is_active=True))
        with CaptureQueriesContext(connection) as ctx:
            agg = selectors.index_aggregate(emps, year)
        assert agg["count"] == len(emps)
        return len(ctx.captured_queries)

    _add_asn(agency, units, period, 3)
    few = aggregate_cost()
    _add_asn(agency, units, period, 12)
    assert aggregate_cost() == few


def test_one_asn_index_matches_its_share_of_a_group(org, people):
    """index_for of one ASN reads the same inputs as the batch used for a group."""
    a = org["a"]
    year = helpers.today().year
    _add_asn(a["agency"], [a["dinas"]], helpers.period(a["agency"]), 4)
    emps = list(Employee.objects.filter(unit__agency=a["agency"], is_active=True))
    batch = selectors.index_inputs(emps, year)
    for e, score in zip(emps, selectors.index_scores(emps, year), strict=True):
        assert selectors.index_input(e, year) == batch[e.pk]
        assert selectors.index_for(e, year) == score
