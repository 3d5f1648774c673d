"""A discipline case's record (GET /discipline/cases/{number}) costs the same number of queries
whatever the number of summonses and examinations: they, the examination teams and the appeal are
read with the case."""

import itertools

import pytest

from amanah.personnel.models import Examination, Summons
from tests.query_count import queries

from . import helpers

pytestmark = pytest.mark.django_db

P = "/api/v1/personnel"
_seq = itertools.count(1)


def test_case_record_costs_the_same_for_few_and_many_examinations(org, people, api_as):
    a = org["a"]
    api = api_as(people["hr"])
    case = helpers.case(a["staff"])
    today = helpers.today()

    def examine(n):
        for _ in range(n):
            i = next(_seq)
            Summons.objects.create(case=case, sequence=i, sent_on=today, examination_on=today)
            exam = Examination.objects.create(
                case=case, held_on=today, bap_number=f"BAP/{i}", summary="Diperiksa"
            )
            exam.team.set([a["kabid"], a["kadis"]])

    url = f"{P}/discipline/cases/{case.number}"
    examine(1)
    api.get(url)
    few = queries(lambda: api.get(url))
    examine(8)
    assert queries(lambda: api.get(url)) == few
    body = api.get(url).json()
    assert len(body["examinations"]) == 9 and len(body["summonses"]) == 9
    assert all(
        sorted(x["team"]) == sorted([a["kabid"].nip, a["kadis"].nip]) for x in body["examinations"]
    )
    assert body["appeal"] is None
