"""Every mail about a whistleblowing case goes exactly to people who may open what it is about
(services.may_handle, the rule of case_for and of the staff lists): a role held agency-wide in the
handling agency, and no exclusion (reported person's superiors, declared conflict). A role held only in
a unit opens no integrity case, so it is told of none; neither is an account switched off, nor one of
another agency."""

import pytest
from django.http import Http404

from amanah.core.models import Role, RoleAssignment
from amanah.integrity import selectors, services

pytestmark = pytest.mark.django_db
REASON = "Pelapor adalah saksi kunci dan perlu dimintai keterangan resmi."


def _mailed(smtp) -> set[str]:
    return {address for m in smtp.messages for address in m["to"]}


def _opens(user, report, role) -> bool:
    try:
        services.case_for(user, report.pk, roles=(role,))
    except Http404:
        return False
    return True


@pytest.fixture
def staff(org, make_user):
    """For ``role``: who may open agency A's cases with it (agency-wide), and who may not (held in the
    Inspektorat unit only; switched off; superior of the reported staff member; of agency B)."""
    a, b = org["a"], org["b"]

    def make(role, tag):
        out = {
            "wide": make_user(role, a["agency"], email=f"{tag}-wide@test.id"),
            "in_unit": make_user(role, a["agency"], a["insp"], email=f"{tag}-unit@test.id"),
            "off": make_user(role, a["agency"], email=f"{tag}-off@test.id"),
            "superior": make_user(
                role, a["agency"], employee=a["kabid"], email=f"{tag}-atasan@test.id"
            ),
            "other_agency": make_user(role, b["agency"], email=f"{tag}-b@test.id"),
        }
        out["off"].is_active = False
        out["off"].save()
        return out

    return make


def test_new_report_is_mailed_only_to_inspectorate_that_may_open_it(
    staff, make_case, smtp, django_capture_on_commit_callbacks
):
    people = staff(Role.INSPECTORATE, "apip")
    with django_capture_on_commit_callbacks(execute=True):
        report = make_case()
    assert smtp.messages, "the new-report mail was sent"
    assert _mailed(smtp) == {"apip-wide@test.id"}
    assert [k for k, u in people.items() if _opens(u, report, Role.INSPECTORATE)] == ["wide"]
    assert services.case_staff(report, Role.INSPECTORATE) == [people["wide"]]


def test_an_investigator_who_can_no_longer_open_the_case_is_not_mailed(
    org, staff, make_case, make_user, smtp, django_capture_on_commit_callbacks
):
    """An investigator whose role now covers only a unit (moved inside the inspectorate) is no longer
    told of the case; its mail goes to the inspectorate of the handling agency again."""
    people = staff(Role.INSPECTORATE, "apip")
    investigator = make_user(Role.INSPECTORATE, org["a"]["agency"], email="pemeriksa@test.id")
    report = make_case()
    services.assign(people["wide"], report.pk, investigator)
    with django_capture_on_commit_callbacks(execute=True):
        services.reporter_reply(report, "Ada tambahan keterangan.")
    assert _mailed(smtp) == {"pemeriksa@test.id"}  # while assigned, the investigator alone is told
    smtp.messages.clear()
    RoleAssignment.objects.filter(user=investigator).update(unit=org["a"]["insp"])
    investigator = type(investigator).objects.get(pk=investigator.pk)  # its roles read afresh
    assert not _opens(investigator, report, Role.INSPECTORATE)
    with django_capture_on_commit_callbacks(execute=True):
        services.reporter_reply(report, "Ada tambahan keterangan lagi.")
    assert _mailed(smtp) == {"apip-wide@test.id"}


def test_disclosure_answer_is_mailed_only_to_custodians_that_may_decide(
    org, users, staff, make_case, make_user, smtp, django_capture_on_commit_callbacks
):
    people = staff(Role.CUSTODIAN, "kustodian")
    # A custodian who declared a conflict of interest on the case leaves it, and its mail.
    people["declared"] = make_user(Role.CUSTODIAN, org["a"]["agency"], email="kustodian-k@test.id")
    report = make_case()
    services.declare_conflict(people["declared"], report.pk)
    req = services.request_disclosure(users[("inspektorat", "a")], report.pk, REASON)
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_disclosure(report, req.pk, consent=True)
    custodians = {a for a in _mailed(smtp) if a.startswith("kustodian")}
    assert custodians == {"kustodian-wide@test.id"}
    assert users[("kustodian", "a")].email in _mailed(smtp)  # the fixture's agency-wide custodian
    opening = [k for k, u in people.items() if _opens(u, report, Role.CUSTODIAN)]
    assert opening == ["wide"]
    for key, user in people.items():
        listed = list(selectors.pending_disclosures(user))
        assert (listed == [req]) == (key == "wide"), key


def test_retaliation_is_mailed_only_to_leaders_who_see_the_protected_case(
    staff, make_case, smtp, django_capture_on_commit_callbacks
):
    people = staff(Role.LEADERSHIP, "pimpinan")
    report = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retaliation(report, "mutasi", "Saya dipindah ke kecamatan terjauh.")
    leaders = {a for a in _mailed(smtp) if a.startswith("pimpinan")}
    assert leaders == {"pimpinan-wide@test.id"}
    for key, user in people.items():
        assert (list(selectors.protected_cases(user)) == [report]) == (key == "wide"), key


def test_platform_level_case_is_mailed_to_every_platform_admin(
    org, make_user, make_case, smtp, django_capture_on_commit_callbacks
):
    """A case at the platform level (about an agency's leadership, no parent APIP) is handled by the
    platform administrators: the superusers and the holders of the admin role are all told; an
    administrator switched off is not. Of an agency's own case they are told nothing."""
    from amanah.core.models import User

    User.objects.create_superuser("root@test.id", "sandi-rahasia-123")
    make_user(Role.ADMIN, email="admin-platform@test.id")
    off = make_user(Role.ADMIN, email="admin-off@test.id")
    off.is_active = False
    off.save()
    a = org["a"]
    with django_capture_on_commit_callbacks(execute=True):
        report = make_case(
            reported_name=a["sekda"].name, reported_nip=a["sekda"].nip, reported_unit=a["top"].code
        )
    assert report.handling_agency is None
    assert _mailed(smtp) == {"root@test.id", "admin-platform@test.id"}
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_case()
    assert not _mailed(smtp) & {"root@test.id", "admin-platform@test.id"}
