"""Indonesian text on the English dashboard pages is marked ``lang="id"`` (WCAG 3.1.2): the titles of
overdue complaints (typed by complainants) and the attribution re-users quote exactly as it is."""

import pytest
from django.utils import timezone

from amanah.transparency.opendata import LICENCE
from tests.html_lang import languages_of
from tests.i18n import client_in

pytestmark = pytest.mark.django_db


def test_the_leadership_page_marks_the_overdue_complaints_titles_as_indonesian(dataset, org, users):
    client = client_in("en")
    client.force_login(users[("pimpinan", "a")])
    page = client.get("/transparansi/pimpinan/").content.decode()
    assert '<html lang="en">' in page
    overdue = [
        x
        for x in dataset["complaints"]
        if x.agency_id == org["a"]["agency"].pk
        and x.is_open
        and x.is_overdue_on(timezone.localdate())
    ]
    assert overdue
    for x in overdue:
        # The title's own cell: the code before it is the system's, in the page's language.
        assert languages_of(page, x.title) == {"id"}, x.title
    assert languages_of(page, f"AMN-{overdue[0].pk}") == {"en"}


def test_the_data_page_marks_the_attribution_as_indonesian(db):
    page = client_in("en").get("/transparansi/data/").content.decode()
    assert '<html lang="en">' in page
    assert languages_of(page, LICENCE["attribution"]) == {"id"}
