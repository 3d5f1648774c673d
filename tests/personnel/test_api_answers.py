"""The personnel API's answers are what the OpenAPI document declares for them (each checked against its
schema, no key it does not describe: ``tests/core/openapi_check.py``), on the demo's data: the competency
profile, the index, the absence summary (empty and with a run of absences), the predicate distribution,
the unit index (units hidden and shown), mentoring pairs and sessions, reminders, periods, awards,
assessments, imports and exports. Declaring the schemas changed none of these answers (compared with
the answers before, on the same data)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.core.openapi_check import answer

from . import helpers

pytestmark = pytest.mark.django_db

DOC = "/api/v1/personnel"
ASN = "199101252015032003"  # Rina Marlina, Disdukcapil
HEAD = "198203102006041002"  # her unit's head


@pytest.fixture
def demo():
    from amanah.core import demo as core_demo
    from amanah.personnel import demo

    ctx = core_demo.load_organisation()
    demo.load(ctx)
    return ctx


#: Two working weeks of 2025 with no holiday: a run of ten absences (dismissal suggested).
RUN = [f"2025-11-{d:02d}" for d in (3, 4, 5, 6, 7, 10, 11, 12, 13, 14)]


def test_answers_match_the_document(demo, api_as):
    hr = api_as(demo["users"]["bkpsdm@sleman.test"])
    leader = api_as(demo["users"]["bupati@sleman.test"])

    profile = answer(
        hr.get(f"{DOC}/employees/{ASN}/competency"), "get", f"{DOC}/employees/{{nip}}/competency"
    )
    assert profile["gaps"] and profile["requirements"]
    index = answer(hr.get(f"{DOC}/employees/{ASN}/index"), "get", f"{DOC}/employees/{{nip}}/index")
    assert index["advice"] and isinstance(index["total"], str)
    empty = answer(
        hr.get(f"{DOC}/employees/{HEAD}/absences"), "get", f"{DOC}/employees/{{nip}}/absences"
    )
    assert empty["suggested"] is None
    dist = answer(hr.get(f"{DOC}/skp/distribution"), "get", f"{DOC}/skp/distribution")
    assert None in dist["counts"].values()  # hidden counts are null
    units = answer(hr.get(f"{DOC}/index/units"), "get", f"{DOC}/index/units")
    assert {u["suppressed"] for u in units["units"]} == {True, False}
    assert all(("dimensions" in u) != u["suppressed"] for u in units["units"])
    answer(hr.post(f"{DOC}/development/reminders"), "post", f"{DOC}/development/reminders")
    answer(
        hr.post(f"{DOC}/skp-periods", {"name": "X", "start": "2031-01-01", "end": "2031-06-30"}),
        "post",
        f"{DOC}/skp-periods",
        201,
    )
    award = answer(
        hr.post(
            f"{DOC}/awards",
            {
                "nip": ASN,
                "kind": "integritas",
                "title": "T",
                "reason": "R",
                "year": helpers.today().year,
            },
        ),
        "post",
        f"{DOC}/awards",
        201,
    )
    answer(
        leader.post(f"{DOC}/awards/{award['id']}/decision", {"approve": True}),
        "post",
        f"{DOC}/awards/{{id}}/decision",
    )
    added = answer(
        hr.post(f"{DOC}/employees/{ASN}/absences", {"dates": RUN}),
        "post",
        f"{DOC}/employees/{{nip}}/absences",
        201,
    )
    assert added == {"added": 10}
    run = answer(
        hr.get(f"{DOC}/employees/{ASN}/absences?year=2025"),
        "get",
        f"{DOC}/employees/{{nip}}/absences",
    )
    assert run["suggested"] and run["days"] == RUN and run["consecutive"] == 10
    answer(
        hr.post(
            f"{DOC}/employees/{ASN}/assessments",
            {"competency": "siak", "level": 2, "assessed_on": helpers.today().isoformat()},
        ),
        "post",
        f"{DOC}/employees/{{nip}}/assessments",
        201,
    )
    pair = answer(
        hr.post(
            f"{DOC}/mentoring",
            {"mentor": HEAD, "mentee": ASN, "goals": "G", "start": helpers.today().isoformat()},
        ),
        "post",
        f"{DOC}/mentoring",
        201,
    )
    answer(
        hr.post(
            f"{DOC}/mentoring/{pair['id']}/sessions",
            {"held_on": helpers.today().isoformat(), "topic": "T"},
        ),
        "post",
        f"{DOC}/mentoring/{{id}}/sessions",
        201,
    )
    pairs = answer(hr.get(f"{DOC}/mentoring"), "get", f"{DOC}/mentoring")
    assert pairs["count"] == 2 and any(p["sessions"] for p in pairs["items"])

    files = Client(headers={"Authorization": f"Bearer {hr.token}"})
    imported = {}
    for kind, text in (
        ("asn", f"nip,nama,unit,jabatan\n{ASN},Rina,sleman-dukcapil-dafduk,Analis\n"),
        ("diklat", f"nip,jp,tanggal_selesai,nama_kegiatan\n{ASN},4,2026-01-05,Kursus X\n"),
    ):
        upload = SimpleUploadedFile("f.csv", text.encode())
        r = files.post(f"{DOC}/imports/{kind}", {"file": upload})
        imported[kind] = answer(r, "post", f"{DOC}/imports/{{kind}}", 201)
    assert imported == {"asn": {"created": 0, "updated": 1}, "diklat": {"created": 1}}
    for fmt in ("csv", "xlsx"):
        body = answer(
            files.get(f"{DOC}/exports/diklat?format={fmt}"), "get", f"{DOC}/exports/{{kind}}"
        )
        assert body
