"""SKP with supervisor rating and objection, predicate distribution, index, awards."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amanah.personnel import selectors, services
from amanah.personnel.models import Profile, Skp, SkpPeriod

from . import helpers

P = "/api/v1/personnel"


def test_supervisor_rates_asn_sees_and_objects(people, api_as, org):
    a = org["a"]
    year = helpers.today().year
    r = api_as(people["hr"]).post(
        f"{P}/skp-periods",
        {"name": f"Tahun {year}", "start": f"{year}-01-01", "end": f"{year}-12-31"},
    )
    assert r.status_code == 201
    period = SkpPeriod.objects.get()
    r = api_as(people["hr"]).post(
        f"{P}/employees/{a['staff'].nip}/skp",
        {
            "period": period.pk,
            "indicators": [
                {"description": "KTP-el terbit dalam 1 hari", "target": 95, "unit": "persen"}
            ],
        },
    )
    assert r.status_code == 201 and r.json()["rater"] == a["kabid"].nip
    skp_id, ind = r.json()["id"], r.json()["indicators"][0]["id"]
    # The supervisor rates through the service (a supervisor needs no role, only the line).
    skp = Skp.objects.get(pk=skp_id)
    services.rate_skp(
        people["kabid"],
        skp,
        hasil_kerja="di_atas",
        perilaku="di_atas",
        results={str(ind): 97},
        behaviour_notes={"berorientasi_pelayanan": "Ramah dan cepat"},
    )
    skp.refresh_from_db()
    assert (skp.predicate, skp.status) == ("sangat_baik", "dinilai")
    assert skp.indicators.get().result == 97
    with pytest.raises(PermissionDenied):
        services.rate_skp(people["colleague"], skp, hasil_kerja="di_bawah", perilaku="di_bawah")
    with pytest.raises(PermissionDenied):
        services.object_skp(people["kabid"], skp, text="Saya keberatan atas nilai ini")
    services.object_skp(
        people["asn"], skp, text="Perilaku kerja saya seharusnya dinilai lebih rinci"
    )
    with pytest.raises(ValidationError):
        services.rate_skp(people["kabid"], skp, hasil_kerja="sesuai", perilaku="sesuai")
    services.resolve_objection(
        people["kadis"], skp, response="Nilai dipertahankan, rincian ditambahkan"
    )
    skp.refresh_from_db()
    assert skp.status == "final" and skp.predicate == "sangat_baik"


def test_rating_via_api_and_bad_rating(people, api_as, org):
    skp = helpers.skp(org["a"]["staff"])
    client = api_as(people["hr"])
    r = client.post(f"{P}/skp/{skp.pk}/rating", {"hasil_kerja": "sangat", "perilaku": "sesuai"})
    assert r.status_code == 422 and "hasil_kerja" in r.json()["fields"]
    r = client.post(f"{P}/skp/{skp.pk}/rating", {"hasil_kerja": "di_bawah", "perilaku": "sesuai"})
    assert r.json()["predicate"] == "butuh_perbaikan"


def test_overlapping_periods_refused(people, org):
    a = org["a"]["agency"]
    services.create_skp_period(
        people["hr"], agency=a, name="2026", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    with pytest.raises(ValidationError) as exc:
        services.create_skp_period(
            people["hr"],
            agency=a,
            name="Semester 2",
            start=dt.date(2026, 7, 1),
            end=dt.date(2027, 6, 30),
        )
    assert "tumpang tindih" in str(exc.value.message_dict["start"])
    services.create_skp_period(
        people["hr_b"],
        agency=org["b"]["agency"],
        name="2026",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
    )
    assert SkpPeriod.objects.count() == 2


def test_performance_privacy(people, api_as, org):
    skp = helpers.skp(org["a"]["staff"])
    assert services.can_view(people["asn"], org["a"]["staff"], "performance")
    assert services.can_view(people["kadis"], org["a"]["staff"], "performance")
    assert not services.can_view(people["colleague"], org["a"]["staff"], "performance")
    assert not services.can_view(people["hr_b"], org["a"]["staff"], "performance")
    assert api_as(people["hr_b"]).get(f"{P}/skp/{skp.pk}").status_code == 404


def test_distribution_suppresses_small_counts(people, api_as, org):
    from amanah.core.models import Employee

    a = org["a"]
    p = helpers.period(a["agency"])
    emps = [
        Employee.objects.create(
            nip=f"19950101202001100{i}", name=f"P{i}", unit=a["bidang"], position="Staf"
        )
        for i in range(1, 7)
    ]
    for e in emps:
        Skp.objects.create(employee=e, period=p, predicate="baik", status="final")
    Skp.objects.create(employee=a["staff"], period=p, predicate="sangat_baik", status="final")
    body = api_as(people["pimpinan"]).get(f"{P}/skp/distribution", {"period": p.pk}).json()
    assert body["total"] == 7
    # One sangat baik is hidden; baik is hidden too, else it would be 7 - 6 (core.rules.suppress_group).
    assert body["counts"]["baik"] is None and body["counts"]["sangat_baik"] is None
    assert body["counts"]["sangat_kurang"] == 0


def test_professionalism_index_of_an_asn(people, api_as, org):
    a = org["a"]
    Profile.objects.create(employee=a["staff"], education="s2")
    helpers.training(a["staff"], jp=20, category="kepemimpinan")
    helpers.training(a["staff"], jp=4, method="seminar")
    Skp.objects.create(
        employee=a["staff"], period=helpers.period(a["agency"]), predicate="baik", status="final"
    )
    body = api_as(people["hr"]).get(f"{P}/employees/{a['staff'].nip}/index").json()
    # kualifikasi 20 + kompetensi (15 + 5 + 5) + kinerja 25 + disiplin 5
    assert body["total"] == "75" and body["category"] == "sedang"
    codes = [x["code"] for x in body["advice"]]
    assert codes[0] == "fungsional_teknis"
    # A sanction lowers the discipline dimension.
    c = helpers.examined_case(a["staff"])
    c.proven, c.level, c.sanction, c.status = True, "sedang", "tukin_25_6", "diputus"
    c.decided_on = c.sanction_start = helpers.today()
    c.sanction_end = helpers.today() + dt.timedelta(days=180)
    c.save()
    assert selectors.index_for(a["staff"], helpers.today().year)["disiplin"] == 2
    units = api_as(people["pimpinan"]).get(f"{P}/index/units").json()
    assert units["overall"]["count"] == 6 and units["overall"]["average"] is not None
    assert all(u["suppressed"] for u in units["units"])


def test_awards_proposed_approved_and_shown(people, api_as, org):
    a = org["a"]
    r = api_as(people["hr"]).post(
        f"{P}/awards",
        {
            "nip": a["staff"].nip,
            "kind": "pelayanan",
            "title": "Pelayan publik terbaik",
            "reason": "Rating 4,9",
            "year": helpers.today().year,
        },
    )
    assert r.status_code == 201
    award_id = r.json()["id"]
    assert not selectors.awards_of(a["staff"]).exists()
    own = services.propose_award(
        people["pimpinan"],
        a["staff"],
        kind="integritas",
        title="Zona integritas",
        reason="Menolak gratifikasi",
        year=helpers.today().year,
    )
    with pytest.raises(PermissionDenied):
        services.decide_award(people["pimpinan"], own, approve=True)
    assert (
        api_as(people["hr"]).post(f"{P}/awards/{award_id}/decision", {"approve": True}).status_code
        == 403
    )
    r = api_as(people["pimpinan"]).post(f"{P}/awards/{award_id}/decision", {"approve": True})
    assert r.json()["status"] == "disetujui"
    assert [x.title for x in selectors.awards_of(a["staff"])] == ["Pelayan publik terbaik"]
    r = api_as(people["hr"]).post(
        f"{P}/awards",
        {"nip": a["staff"].nip, "kind": "medali", "title": "X", "reason": "Y", "year": 2026},
    )
    assert r.status_code == 422 and "kind" in r.json()["fields"]


def test_objection_answered_via_api(people, api_as, org):
    skp = helpers.skp(org["a"]["staff"])
    services.rate_skp(people["kabid"], skp, hasil_kerja="sesuai", perilaku="sesuai")
    services.object_skp(people["asn"], skp, text="Realisasi saya 99 persen, bukan 90.")
    r = api_as(people["hr"]).post(
        f"{P}/skp/{skp.pk}/objection-response",
        {
            "response": "Diterima, hasil kerja dinaikkan",
            "hasil_kerja": "di_atas",
            "perilaku": "di_atas",
        },
    )
    assert (
        r.status_code == 200
        and r.json()["predicate"] == "sangat_baik"
        and r.json()["status"] == "final"
    )


def test_award_candidates_from_clean_record_and_complaint_ratings(people, org):
    from django.utils import timezone

    from amanah.complaints.models import Complaint

    a = org["a"]
    year = helpers.today().year
    helpers.training(a["staff"], jp=20)
    Skp.objects.create(
        employee=a["staff"], period=helpers.period(a["agency"]), predicate="baik", status="final"
    )
    for i, rating in enumerate([5, 5, 4, 5, 5]):
        Complaint.objects.create(
            tracking_code=f"T-{i}",
            agency=a["agency"],
            title="Antrean",
            description="x",
            rating=rating,
            closed_at=timezone.now(),
            assignee=people["kabid"],
        )
    Complaint.objects.create(
        tracking_code="T-9",
        agency=a["agency"],
        title="x",
        description="x",
        rating=1,
        closed_at=timezone.now(),
        assignee=people["colleague"],
    )
    got = {(c["employee"].nip, c["kind"]) for c in selectors.award_candidates(a["agency"], year)}
    assert got == {(a["staff"].nip, "rekam_bersih"), (a["kabid"].nip, "pelayanan")}


def test_award_candidates_count_a_closed_skm_period(people, org, users):
    """The candidates are read by HR and leadership only, so a unit's SKM period that is closed but not
    yet published counts: the Bidang's head is proposed when its IKM rose above the published one."""
    from amanah.surveys import services as skm
    from amanah.surveys.models import Response

    a, admin, today = org["a"], users[("admin", None)], helpers.today()
    for ends, score in ((200, 2), (20, 4)):
        p = skm.create_period(
            admin,
            unit=a["bidang"],
            population=10,
            start=today - dt.timedelta(days=ends + 30),
            end=today - dt.timedelta(days=ends),
        )
        Response.objects.bulk_create(
            [Response(period=p, **{f"u{i}": score for i in range(1, 10)}) for _ in range(3)]
        )
        skm.close_period(admin, p)
        if ends == 200:
            skm.publish_period(admin, p)
    got = {
        (c["employee"].nip, c["kind"]) for c in selectors.award_candidates(a["agency"], today.year)
    }
    assert (a["kabid"].nip, "ikm") in got


def test_agency_summary_is_aggregate_and_suppressed(people, org):
    a = org["a"]
    helpers.training(a["staff"], jp=20)
    s = selectors.agency_summary(a["agency"], helpers.today().year)
    assert s["employees"] == 6 and s["jp_compliance_percent"] == round(100 / 6, 1)
    assert s["sanctions"] == {"ringan": 0, "sedang": 0, "berat": 0}
    assert "nip" not in str(s)
    small = selectors.agency_summary(org["b"]["agency"], helpers.today().year)
    assert small["jp_compliance_percent"] == 0.0  # five people: shown
