"""What a reporter wrote is Indonesian on an English page too: it carries ``lang="id"`` so that a screen
reader reads it with Indonesian pronunciation (WCAG 3.1.2). A retaliation report starts with a sentence
the system wrote in the reader's language, so it is not marked as a whole."""

import pytest

from amanah.integrity import services
from tests.html_lang import languages_of
from tests.i18n import client_in

from .conftest import SECRET

pytestmark = pytest.mark.django_db

MESSAGE = "Saya lupa menyebutkan bahwa pungutan itu terjadi setiap pagi."


@pytest.fixture
def report(make_case):
    report = make_case()
    services.reporter_reply(report, MESSAGE)
    services.report_retaliation(report, "tekanan", "Diancam atasan.")
    return report


def test_the_staff_case_page_marks_the_reporters_text_as_indonesian(report, users):
    client = client_in("en")
    client.force_login(users[("inspektorat", "a")])
    page = client.get(f"/integritas/staf/{report.pk}/").content.decode()
    assert '<html lang="en">' in page
    for text in (SECRET, "Loket 3 Disdukcapil", "Antrean pagi itu", MESSAGE):
        assert languages_of(page, text) == {"id"}, text
    assert languages_of(page, "Form of retaliation:") == {"en"}  # the system's sentence


def test_the_reporters_own_page_marks_their_messages_as_indonesian(report):
    client = client_in("en")
    assert client.post("/integritas/tindak-lanjut/", {"receipt": report.receipt}).status_code == 302
    page = client.get("/integritas/kasus-saya/").content.decode()
    assert '<html lang="en">' in page
    assert languages_of(page, MESSAGE) == {"id"}
    assert languages_of(page, "Form of retaliation:") == {"en"}
