"""Personnel roles held in a unit. A role held in a unit covers that unit and the units below it
(``amanah.core.permissions``), so HR, leadership, auditors and the inspectorate of a unit:

- see lists, aggregates and exports of the ASN of their units only, on the pages and in the API, with or
  without ``agency`` (the same answer either way);
- read the individual records of those ASN, as the same role held agency-wide would;
- are refused (403) the pages and operations about the agency as a whole (programme catalogue,
  competency dictionary and standards, imports, new ASN), and every write.

The matrix (``tests/core/test_authz_matrix.py``) gives each role agency-wide; the sweep below runs every
personnel matrix case again with the role held in a unit that covers the case's object and in one that
does not."""

import pytest
from django.db import transaction

from amanah.core import permissions
from amanah.personnel import models as m
from amanah.personnel import selectors

from . import authz_cases, helpers

P = "/api/v1/personnel"
PERSONNEL_ROLES = ("kepegawaian", "pimpinan", "auditor", "inspektorat")
#: Reads about the agency as a whole: refused to a role held in a unit, even the agency's root unit.
AGENCY_WIDE = {
    ("GET", f"{P}/programs"),
    ("GET", f"{P}/competencies"),
    ("GET", f"{P}/competency/requirements"),
    # Transfers between agencies are the business of the agency's HR held agency-wide.
    ("GET", f"{P}/transfers"),
    ("GET", f"{P}/transfers/{{id}}"),
}


@pytest.fixture
def scoped(org, make_user):
    """``scoped[(role, unit key)]``: a user holding ``role`` in agency A's unit only."""
    a = org["a"]
    return {
        (role, where): make_user(role, a["agency"], a[where])
        for role in PERSONNEL_ROLES
        for where in ("dinas", "bidang", "insp", "top")
    }


def _decided_case(employee, number):
    today = helpers.today()
    return helpers.case(
        employee,
        number=number,
        status=m.CaseStatus.DECIDED,
        proven=True,
        level="ringan",
        sanction="teguran_tertulis",
        decision_number=f"800/{number}",
        decided_on=today,
        sanction_start=today,
    )


@pytest.fixture
def records(org):
    """Records of the staff member (Bidang, below the Dinas) and of the Inspektur (Inspektorat): a
    completed training, a rated SKP, a decided discipline case, an award and a mentoring pair each."""
    a = org["a"]
    out = {}
    for key, mentor in (("staff", "kabid"), ("inspektur", "sekda")):
        emp = a[key]
        helpers.training(emp, jp=4, title=f"Diklat {key}")
        skp = helpers.skp(emp, helpers.period(a["agency"], name=f"Tahun {key}"))
        skp.hasil_kerja, skp.perilaku, skp.predicate, skp.status = (
            "sesuai",
            "sesuai",
            "baik",
            "dinilai",
        )
        skp.save()
        out[f"{key}_case"] = _decided_case(emp, f"HD-{key.upper()}")
        m.Award.objects.create(
            employee=emp, kind="pelayanan", title=f"Penghargaan {key}", reason="x", year=2026
        )
        m.Mentoring.objects.create(
            mentor=a[mentor], mentee=emp, goals=f"Tujuan {key}", start=helpers.today()
        )
    return out


# --- The sweep over every personnel matrix case ----------------------------------------------------


def _leaks(response, org) -> list[str]:
    """What of the case's object (agency A's staff member in the Bidang) shows in an answer."""
    a = org["a"]
    body = response.content.decode("utf-8", "replace")
    marks = (a["staff"].nip, a["kabid"].nip, a["staff"].name, a["bidang"].code)
    return [mark for mark in marks if mark in body]


@pytest.mark.parametrize("case", authz_cases.CASES, ids=str)
def test_matrix_case_with_roles_held_in_a_unit(case, org, users, scoped, api_as):
    """Inside: a role held in the Dinas (which covers the Bidang of the case's object) may read what the
    role may read agency-wide, except what is about the agency as a whole; it writes nothing.
    Outside: a role held in the Inspektorat is refused, or answered without the object. (``users``
    holds the platform admin that one setup needs.)"""
    from tests.core.test_authz_matrix import _call, _Rollback

    failures = []
    for (role, where), user in scoped.items():
        if where not in ("dinas", "insp"):
            continue
        client = api_as(user)
        try:
            with transaction.atomic():
                response = _call(client, case, org)
                raise _Rollback
        except _Rollback:
            pass
        status = response.status_code
        reads = case.method == "GET" and role in case.allowed
        if where == "dinas" and reads and case.key not in AGENCY_WIDE:
            if status not in case.ok:
                failures.append(f"{role}@{where}: {status}, expected ok {response.content[:200]!r}")
        elif where == "insp" and reads and status in case.ok:
            if _leaks(response, org):
                failures.append(f"{role}@{where}: {status} shows {_leaks(response, org)}")
        elif status not in case.refused:
            failures.append(
                f"{role}@{where}: {status}, expected refused {response.content[:200]!r}"
            )
    assert not failures, f"{case}:\n" + "\n".join(failures)


# --- Pages ---------------------------------------------------------------------------------------


def test_scoped_pages_list_the_covered_units_only(org, scoped, records, client):
    a = org["a"]
    client.force_login(scoped[("kepegawaian", "bidang")])
    q = {"instansi": a["agency"].code}
    pages = {
        "/kepegawaian/staf/": [],
        "/kepegawaian/pegawai/": [a["staff"].name],
        "/kepegawaian/jp/": [a["staff"].name],
        "/kepegawaian/disiplin/": ["HD-STAFF"],
        "/kepegawaian/penghargaan/": ["Penghargaan staff"],
        "/kepegawaian/indeks/": [a["bidang"].name],
        "/kepegawaian/mentoring/": [a["staff"].name],
    }
    for url, shown in pages.items():
        r = client.get(url, q)
        assert r.status_code == 200, url
        html = r.content.decode()
        for text in shown:
            assert text in html, (url, text)
        for text in (a["inspektur"].name, "HD-INSPEKTUR", "Penghargaan inspektur", "Inspektorat"):
            assert text not in html, (url, text)
        if url != "/kepegawaian/mentoring/":
            # the menu says the page is limited to the role's unit, and leaves out the agency pages
            assert "Peran Anda berlaku di unit tertentu" in html, url
            assert "/kepegawaian/program/" not in html, url
    dash = client.get("/kepegawaian/staf/", q).context
    assert dash["employees"] == 2 and dash["behind_count"] == 2  # Kabid and staff, below 20 JP
    assert dash["distribution"]["total"] == 1 and dash["open_cases"] == 1
    assert not dash["is_hr"]


def test_a_role_held_in_the_root_unit_still_sees_every_asn_but_not_agency_pages(
    org, scoped, records, client
):
    a = org["a"]
    client.force_login(scoped[("pimpinan", "top")])
    html = client.get("/kepegawaian/pegawai/").content.decode()
    assert a["staff"].name in html and a["inspektur"].name in html
    assert client.get("/kepegawaian/program/").status_code == 403


def test_leadership_of_a_unit_reads_the_cases_of_its_units_only(org, scoped, records, client):
    """The reviewer's case: the Kepala Dinas (pimpinan held in the Dinas) listed every case of the
    agency, the Inspektorat's included."""
    client.force_login(scoped[("pimpinan", "dinas")])
    page = client.get("/kepegawaian/disiplin/", {"instansi": org["a"]["agency"].code})
    assert page.status_code == 200
    assert "HD-STAFF" in page.content.decode() and "HD-INSPEKTUR" not in page.content.decode()
    assert client.get("/kepegawaian/disiplin/HD-STAFF/").status_code == 200
    assert client.get("/kepegawaian/disiplin/HD-INSPEKTUR/").status_code == 404


def test_individual_records_in_scope_are_readable_not_writable(org, scoped, records, client):
    a = org["a"]
    client.force_login(scoped[("kepegawaian", "dinas")])
    page = client.get(f"/kepegawaian/pegawai/{a['staff'].nip}/")
    assert page.status_code == 200 and not page.context["is_hr"]
    assert "training_form" not in page.context
    assert client.get(f"/kepegawaian/pegawai/{a['inspektur'].nip}/").status_code == 404
    r = client.post(
        f"/kepegawaian/pegawai/{a['staff'].nip}/pelatihan/",
        {
            "title": "Pelatihan arsip",
            "jp": "4",
            "category": "teknis",
            "method": "pelatihan",
            "completed_on": helpers.today().isoformat(),
        },
    )
    assert r.status_code == 403
    assert not m.Training.objects.filter(title="Pelatihan arsip").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/kepegawaian/program/",
        "/kepegawaian/kompetensi/",
        "/kepegawaian/impor/",
        "/kepegawaian/pegawai/baru/",
    ],
)
def test_pages_about_the_whole_agency_are_refused(org, scoped, client, url):
    for role in ("kepegawaian", "pimpinan", "auditor"):
        client.force_login(scoped[(role, "bidang")])
        assert client.get(url, {"instansi": org["a"]["agency"].code}).status_code == 403, role
        assert client.get(url).status_code == 403, role


@pytest.mark.parametrize("kind", list(selectors.EXPORTS))
def test_exports_of_unit_hr_hold_its_units_only_on_the_page_and_in_the_api(
    org, scoped, records, users, client, api_as, kind
):
    a = org["a"]
    hr = scoped[("kepegawaian", "bidang")]
    client.force_login(hr)
    page = client.get(f"/kepegawaian/ekspor/{kind}/", {"instansi": a["agency"].code})
    named = api_as(hr).get(f"{P}/exports/{kind}", {"agency": a["agency"].code})
    omitted = api_as(hr).get(f"{P}/exports/{kind}")
    assert page.status_code == named.status_code == omitted.status_code == 200
    assert page.content == named.content == omitted.content
    assert a["staff"].nip.encode() in page.content
    assert a["inspektur"].nip.encode() not in page.content
    whole = api_as(users[("kepegawaian", "a")]).get(f"{P}/exports/{kind}")
    assert a["inspektur"].nip.encode() in whole.content
    # nothing of another agency
    assert named.status_code == 200
    other = api_as(hr).get(f"{P}/exports/{kind}", {"agency": org["b"]["agency"].code})
    assert other.status_code == 403


# --- API -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["employees", "development/behind", "skp/distribution", "index/units", "mentoring"],
)
def test_api_lists_of_unit_hr_are_the_same_with_or_without_agency(
    org, scoped, records, api_as, path
):
    a = org["a"]
    api = api_as(scoped[("kepegawaian", "bidang")])
    named = api.get(f"{P}/{path}", {"agency": a["agency"].code})
    omitted = api.get(f"{P}/{path}")
    assert named.status_code == omitted.status_code == 200, omitted.content
    assert named.json() == omitted.json()
    body = omitted.content.decode()
    assert a["inspektur"].nip not in body and a["insp"].code not in body
    if path == "skp/distribution":
        assert omitted.json()["total"] == 1  # the staff member's, not the Inspektur's
    else:
        assert a["staff"].nip in body or a["bidang"].code in body


def test_api_behind_of_a_unit_outside_the_scope_is_empty(org, scoped, records, api_as):
    a = org["a"]
    api = api_as(scoped[("kepegawaian", "bidang")])
    assert api.get(f"{P}/development/behind", {"unit": a["insp"].code}).json()["items"] == []
    assert api.get(f"{P}/development/behind", {"unit": "no-such-unit"}).json()["items"] == []
    assert api.get(f"{P}/development/behind", {"unit": a["bidang"].code}).json()["count"] == 2


@pytest.mark.parametrize("path", ["programs", "competencies", "competency/requirements"])
def test_api_reads_about_the_whole_agency_are_refused_with_or_without_agency(
    org, scoped, api_as, path
):
    api = api_as(scoped[("pimpinan", "dinas")])
    assert api.get(f"{P}/{path}", {"agency": org["a"]["agency"].code}).status_code == 403
    assert api.get(f"{P}/{path}").status_code == 403


def test_without_agency_the_api_picks_the_one_agency_the_role_covers(org, make_user, api_as):
    """HR of a unit in agency A and of the whole agency B: an agency-wide operation without ``agency``
    is about B, a list of ASN cannot tell which agency is meant."""
    from amanah.core.models import RoleAssignment

    user = make_user("kepegawaian", org["a"]["agency"], org["a"]["bidang"])
    RoleAssignment.objects.create(user=user, role="kepegawaian", agency=org["b"]["agency"])
    api = api_as(user)
    helpers.program("prog-b", org["b"]["agency"])
    assert "prog-b" in [p["code"] for p in api.get(f"{P}/programs").json()]
    r = api.get(f"{P}/exports/diklat")
    assert r.status_code == 400 and r.json()["fields"] == {"agency": r.json()["message"]}


# --- The permission helper -------------------------------------------------------------------------


def test_agency_scope(org, scoped, users):
    a, b = org["a"], org["b"]
    hr = scoped[("kepegawaian", "dinas")]
    assert permissions.agency_scope(hr, ["kepegawaian"], a["agency"]) == {
        a["dinas"].pk,
        a["bidang"].pk,
    }
    assert permissions.agency_scope(hr, ["pimpinan"], a["agency"]) == set()
    assert permissions.agency_scope(hr, ["kepegawaian"], b["agency"]) == set()
    assert (
        permissions.agency_scope(users[("kepegawaian", "a")], ["kepegawaian"], a["agency"]) is None
    )
    assert permissions.agency_scope(users[("admin", None)], ["kepegawaian"], b["agency"].pk) is None


def test_unit_scope_follows_the_unit_tree(org, scoped):
    """A unit added below a covered one is covered at once (no list kept anywhere)."""
    from amanah.core.models import Employee, Unit

    a = org["a"]
    seksi = Unit.objects.create(
        agency=a["agency"], parent=a["bidang"], code="kab-a-seksi", name="Seksi Identitas"
    )
    emp = Employee.objects.create(
        nip="199601012019031001", name="Pegawai Seksi", unit=seksi, position="Analis"
    )
    hr = scoped[("kepegawaian", "dinas")]
    assert seksi.pk in permissions.agency_scope(hr, ["kepegawaian"], a["agency"])
    assert emp in selectors.employees_for(hr)
    assert emp not in selectors.employees_for(scoped[("kepegawaian", "insp")])
