"""Every field that asks for one NIP (18 digits) opens the phone's number pad and offers no autofill: the
new employee, the discipline case, its deciding official, the award and both people of a mentoring pair."""

import pytest

from tests.inputs import assert_nip_input

from . import helpers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url,names",
    [
        ("/kepegawaian/pegawai/baru/", ["nip"]),
        ("/kepegawaian/disiplin/", ["nip"]),
        ("/kepegawaian/penghargaan/", ["nip"]),
        ("/kepegawaian/mentoring/", ["mentor", "mentee"]),
    ],
)
def test_hr_forms_open_the_number_pad_for_a_nip(people, client, url, names):
    client.force_login(people["hr"])
    r = client.get(url)
    assert r.status_code == 200
    for name in names:
        assert_nip_input(r.content.decode(), name)


def test_the_deciding_officials_nip_opens_the_number_pad(people, org, client):
    c = helpers.examined_case(org["a"]["staff"])
    client.force_login(people["hr"])
    r = client.get(f"/kepegawaian/disiplin/{c.number}/")
    assert r.status_code == 200
    assert_nip_input(r.content.decode(), "official")
