"""A control whose label carries the "*" of a required field says it is required to screen readers too:
``required``, or ``aria-required`` on a select that Django renders without ``required`` (a select whose
first choice is not an empty one)."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

MARKED = re.compile(r'<label for="([^"]+)">[^<]*<span aria-hidden="true">\*</span></label>')


def unmarked_required(page: str) -> list[str]:
    """Ids of controls shown with "*" that do not say they are required."""
    missing = []
    for control_id in MARKED.findall(page):
        tag = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{control_id}"[^>]*>', page)
        assert tag, control_id
        if not re.search(r'\srequired\b|aria-required="true"', tag.group(0)):
            missing.append(control_id)
    return missing


def test_the_assisted_intake_says_its_required_select_is_required(users):
    client = Client()
    client.force_login(users[("operator", "a")])
    page = client.get("/pengaduan/staf/baru/").content.decode()
    assert 'id="id_channel"' in page and MARKED.search(page)
    assert unmarked_required(page) == []


@pytest.mark.parametrize(
    "role, path", [("admin", "/skm/staf/"), ("kepegawaian", "/kepegawaian/pegawai/baru/")]
)
def test_other_staff_forms_say_their_required_fields(users, role, path):
    client = Client()
    client.force_login(users[(role, "a" if role != "admin" else None)])
    r = client.get(path)
    assert r.status_code == 200, path
    assert unmarked_required(r.content.decode()) == []
