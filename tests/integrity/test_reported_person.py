"""Who a report is about decides who may not see it (docs/integrity.md: the reported person and the heads
of their unit and of every unit above it are excluded automatically) and where it goes (a report about the inspectorate or its leadership
goes up a level). The reporter often knows only a name: the form lets them leave the unit and the NIP
blank. Later the handlers may learn the NIP and name the employee, which applies the same protections."""

import pytest

pytestmark = pytest.mark.django_db
BASE = "/api/v1/integrity"


def _subjects(report):
    return set(report.exclusions.values_list("subject", flat=True))


def _subject(employee):
    from amanah.integrity import services

    return services.employee_subject(employee.pk)


def test_report_about_inspectorate_head_by_name_only_is_hidden_from_him(
    org, make_case, make_user, api_as
):
    o = org["a"]
    accused = api_as(make_user("inspektorat", o["agency"], employee=o["inspektur"]))
    report = make_case(
        reported_name=o["inspektur"].name,
        reported_nip="",
        reported_position="Inspektur",
        reported_unit="",  # "— tidak tahu / tidak dipilih —"
    )
    assert report.escalated and report.handling_agency is None  # agency A has no parent: platform
    assert _subject(o["inspektur"]) in _subjects(report)
    assert accused.get(f"{BASE}/cases/{report.pk}").status_code == 404
    assert accused.get(f"{BASE}/cases").json()["items"] == []


def test_name_is_matched_without_regard_to_case_and_spacing(org, make_case):
    o = org["a"]
    report = make_case(reported_name="  inspektur   A ", reported_nip="", reported_unit="")
    assert report.escalated
    assert _subject(o["inspektur"]) in _subjects(report)
    # A name alone does not place the case in a unit (nor, later, open a discipline case).
    assert report.unit is None


def test_name_only_report_about_staff_excludes_the_chain_and_stays(org, make_case):
    o = org["a"]
    report = make_case(reported_name=o["staff"].name, reported_nip="", reported_unit="")
    assert not report.escalated and report.handling_agency == o["agency"]
    assert {_subject(o[k]) for k in ("staff", "kabid", "kadis", "sekda")} <= _subjects(report)
    assert _subject(o["inspektur"]) not in _subjects(report)


def test_name_not_in_the_unit_chosen_is_looked_for_in_the_whole_agency(org, make_case):
    """The reporter picked the wrong unit: the Inspektur named under the Dinas is still found."""
    o = org["a"]
    report = make_case(
        reported_name=o["inspektur"].name, reported_nip="", reported_unit=o["dinas"].code
    )
    assert report.escalated
    assert _subject(o["inspektur"]) in _subjects(report)
    # The chosen unit's chain is excluded as well: none of the people found works there.
    assert _subject(o["kadis"]) in _subjects(report)


def test_a_name_shared_by_several_employees_excludes_all_and_goes_up_if_any_would(
    org, make_case, make_user, api_as
):
    """Conservative choice for a shared name: every namesake and their superiors are excluded, and
    the case goes up because one of them heads the inspectorate."""
    from amanah.core.models import Employee

    o = org["a"]
    namesake = Employee.objects.create(
        nip="19850101201001100" + "9",
        name=o["inspektur"].name.upper(),
        unit=o["bidang"],
        position="Analis",
    )
    report = make_case(reported_name=o["inspektur"].name, reported_nip="", reported_unit="")
    assert report.escalated
    wanted = {_subject(e) for e in (o["inspektur"], namesake, o["kabid"], o["kadis"], o["sekda"])}
    assert wanted <= _subjects(report)
    for employee in (o["inspektur"], namesake, o["kabid"]):
        client = api_as(make_user("inspektorat", o["agency"], employee=employee))
        assert client.get(f"{BASE}/cases/{report.pk}").status_code == 404


def test_a_name_shared_outside_the_inspectorate_is_excluded_but_stays(org, make_case):
    from amanah.core.models import Employee

    o = org["a"]
    other = Employee.objects.create(
        nip="19850101201001100" + "8", name=o["staff"].name, unit=o["dinas"], position="Analis"
    )
    report = make_case(reported_name=o["staff"].name, reported_nip="", reported_unit="")
    assert not report.escalated
    assert {_subject(o["staff"]), _subject(other), _subject(o["kabid"])} <= _subjects(report)


def test_an_unknown_name_excludes_no_one(org, make_case):
    report = make_case(reported_name="Orang Tak Dikenal", reported_nip="", reported_unit="")
    assert not report.escalated and _subjects(report) == set()


# --- naming the reported employee afterwards ------------------------------------------------------


@pytest.fixture
def unnamed(org, make_case):
    """A report about "the man at the counter": no name the directory knows, no unit, no NIP."""
    return make_case(reported_name="Bapak di loket 3", reported_nip="", reported_unit="")


def test_naming_the_reported_employee_excludes_them_and_their_superiors(
    org, users, unnamed, make_user, api_as
):
    from amanah.core.models import AuditEntry

    o = org["a"]
    kadis = api_as(make_user("inspektorat", o["agency"], employee=o["kadis"]))
    assert kadis.get(f"{BASE}/cases/{unnamed.pk}").status_code == 200
    insp = api_as(users[("inspektorat", "a")])
    r = insp.post(f"{BASE}/cases/{unnamed.pk}/reported", {"nip": o["staff"].nip})
    assert r.status_code == 200 and r.json() == {"escalated": False}
    unnamed.refresh_from_db()
    assert unnamed.reported_nip == o["staff"].nip and unnamed.unit == o["bidang"]
    assert {_subject(o[k]) for k in ("staff", "kabid", "kadis", "sekda")} <= _subjects(unnamed)
    assert kadis.get(f"{BASE}/cases/{unnamed.pk}").status_code == 404
    assert insp.get(f"{BASE}/cases/{unnamed.pk}").status_code == 200
    entry = AuditEntry.objects.get(action="integrity.reported_named")
    assert entry.details == {"exclusions_added": 4, "escalated": False}
    assert o["staff"].nip not in str(entry.details)


def test_naming_an_inspectorate_member_sends_the_case_up(org, users, unnamed, make_user, api_as):
    o = org["a"]
    insp_user = users[("inspektorat", "a")]
    insp = api_as(insp_user)
    colleague = make_user("inspektorat", o["agency"])
    assert insp.post(f"{BASE}/cases/{unnamed.pk}/assign", {"user": colleague.pk}).status_code == 200
    r = insp.post(f"{BASE}/cases/{unnamed.pk}/reported", {"nip": o["inspektur"].nip})
    assert r.status_code == 200 and r.json() == {"escalated": True}
    unnamed.refresh_from_db()
    assert unnamed.escalated and unnamed.handling_agency is None
    assert not unnamed.assignments.exists()
    assert insp.get(f"{BASE}/cases/{unnamed.pk}").status_code == 404
    assert api_as(colleague).get(f"{BASE}/cases/{unnamed.pk}").status_code == 404
    assert api_as(users[("admin", None)]).get(f"{BASE}/cases/{unnamed.pk}").status_code == 200


def test_naming_never_moves_a_case_down_nor_lifts_an_exclusion(org, users, make_case, api_as):
    o = org["a"]
    report = make_case(reported_name=o["inspektur"].name, reported_nip="", reported_unit="")
    before = _subjects(report)
    admin = api_as(users[("admin", None)])
    r = admin.post(f"{BASE}/cases/{report.pk}/reported", {"nip": o["staff"].nip})
    assert r.status_code == 200 and r.json() == {"escalated": True}
    report.refresh_from_db()
    assert report.escalated and report.handling_agency is None
    assert before < _subjects(report)


def test_naming_refuses_a_wrong_or_foreign_nip_and_a_closed_case(org, users, unnamed, api_as):
    insp = api_as(users[("inspektorat", "a")])
    r = insp.post(f"{BASE}/cases/{unnamed.pk}/reported", {"nip": "123"})
    assert r.status_code == 422 and "nip" in r.json()["fields"]
    r = insp.post(f"{BASE}/cases/{unnamed.pk}/reported", {"nip": org["b"]["staff"].nip})
    assert r.status_code == 422 and r.json()["fields"]["nip"].startswith("Tidak ada pegawai")
    insp.post(
        f"{BASE}/cases/{unnamed.pk}/assess",
        {
            "credibility": "rendah",
            "seriousness": "rendah",
            "retaliation_risk": "rendah",
            "decision": "tutup",
            "reporter_message": "Tidak ada petunjuk yang dapat diperiksa.",
        },
    )
    r = insp.post(f"{BASE}/cases/{unnamed.pk}/reported", {"nip": org["a"]["staff"].nip})
    assert r.status_code == 409


def test_naming_from_the_case_page(client, org, users, unnamed):
    o = org["a"]
    client.force_login(users[("inspektorat", "a")])
    page = client.get(f"/integritas/staf/{unnamed.pk}/").content.decode()
    assert 'name="reported-nip"' in page
    r = client.post(f"/integritas/staf/{unnamed.pk}/terlapor/", {"reported-nip": "12"})
    assert r.status_code == 400 and "NIP harus terdiri dari 18 angka." in r.content.decode()
    r = client.post(f"/integritas/staf/{unnamed.pk}/terlapor/", {"reported-nip": o["staff"].nip})
    assert r.status_code == 302 and r["Location"] == f"/integritas/staf/{unnamed.pk}/"
    # Naming the head of the inspectorate sends the case up: back to the list.
    r = client.post(
        f"/integritas/staf/{unnamed.pk}/terlapor/", {"reported-nip": o["inspektur"].nip}
    )
    assert r.status_code == 302 and r["Location"] == "/integritas/staf/"
