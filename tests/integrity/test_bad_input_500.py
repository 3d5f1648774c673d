"""Staff case page actions refuse a malformed id in the form body (an investigator or a summons that
is not a number) instead of failing with a 500: the assignment is refused on the page as for any
unsuitable account (400), a summons that does not exist is not found (404)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


@pytest.mark.parametrize("summons", ["abc", "", "1.5", "99999999999999999999999"])
def test_attendance_with_a_malformed_summons_is_not_found(examined, users, summons):
    c = _client(users[("inspektorat", "a")])
    resp = c.post(f"/integritas/staf/{examined.pk}/hadir/", {"summons": summons, "attended": "0"})
    assert resp.status_code == 404, resp.status_code


@pytest.mark.parametrize("user", ["abc", "", "²", "99999999999999999999999"])
def test_assignment_with_a_malformed_user_is_refused_on_the_page(examined, users, user):
    c = _client(users[("inspektorat", "a")])
    resp = c.post(f"/integritas/staf/{examined.pk}/tugaskan/", {"user": user})
    assert resp.status_code == 400, resp.status_code
    assert "Pemeriksa harus anggota inspektorat instansi penangan." in resp.content.decode()
    assert not examined.assignments.exists()


def test_assignment_by_a_valid_id_still_works(examined, users):
    insp = users[("inspektorat", "a")]
    resp = _client(insp).post(f"/integritas/staf/{examined.pk}/tugaskan/", {"user": str(insp.pk)})
    assert resp.status_code == 302
    assert examined.assignments.filter(user=insp).exists()
