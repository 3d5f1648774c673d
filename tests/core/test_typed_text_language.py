"""What agencies typed into the service catalogue (a service's duration and cost) is Indonesian on an
English page too: it carries ``lang="id"`` (WCAG 3.1.2)."""

import pytest

from tests.html_lang import languages_of
from tests.i18n import client_in

pytestmark = pytest.mark.django_db


def test_the_service_catalogue_marks_duration_and_cost_as_indonesian(org):
    page = client_in("en").get("/layanan/").content.decode()
    assert '<html lang="en">' in page
    for text in ("1 hari kerja", "Gratis"):
        assert languages_of(page, text) == {"id"}, text
    assert languages_of(page, "Time") == {"en"}
