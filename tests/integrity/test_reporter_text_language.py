"""What a reporter wrote is Indonesian on an English page too: it carries ``lang="id"`` so that a screen
reader reads it with Indonesian pronunciation (WCAG 3.1.2). So is what the team typed to the reporter. A
retaliation report starts with a sentence the system wrote in the reader's language: only what the
reporter typed after it is marked."""

import pytest

from amanah.integrity import services
from tests.html_lang import languages_of
from tests.i18n import client_in

from .conftest import SECRET

pytestmark = pytest.mark.django_db

MESSAGE = "Saya lupa menyebutkan bahwa pungutan itu terjadi setiap pagi."
ACK = "Laporan Anda kami terima dan sedang kami telaah."
QUESTION = "Pada jam berapa pungutan itu biasanya terjadi?"
THREAT = "Diancam atasan akan dimutasi."
REASON = "Pelapor adalah saksi kunci dan perlu dimintai keterangan resmi."


@pytest.fixture
def report(make_case, users):
    report = make_case()
    insp = users[("inspektorat", "a")]
    services.acknowledge(insp, report.pk, ACK)
    services.send_message(insp, report.pk, QUESTION, question=True)
    services.reporter_reply(report, MESSAGE)
    services.report_retaliation(report, "tekanan", THREAT)
    services.request_disclosure(insp, report.pk, REASON)
    return report


def test_the_staff_case_page_marks_the_reporters_text_as_indonesian(report, users):
    client = client_in("en")
    client.force_login(users[("inspektorat", "a")])
    page = client.get(f"/integritas/staf/{report.pk}/").content.decode()
    assert '<html lang="en">' in page
    for text in (SECRET, "Loket 3 Disdukcapil", "Antrean pagi itu", MESSAGE, ACK, QUESTION, THREAT):
        assert languages_of(page, text) == {"id"}, text
    assert languages_of(page, "Form of retaliation:") == {"en"}  # the system's sentence


def test_the_reporters_own_page_marks_their_messages_as_indonesian(report):
    client = client_in("en")
    assert client.post("/integritas/tindak-lanjut/", {"receipt": report.receipt}).status_code == 302
    page = client.get("/integritas/kasus-saya/").content.decode()
    assert '<html lang="en">' in page
    for text in (MESSAGE, ACK, QUESTION, THREAT):
        assert languages_of(page, text) == {"id"}, text
    assert languages_of(page, "Form of retaliation:") == {"en"}
    # The official's reason, in the list of requests. (The message announcing the request quotes it
    # inside the system's sentence, which is in the reader's language as a whole.)
    requests = page[
        page.index('<ul id="disclosures">') : page.index("</ul>", page.index('"disclosures"'))
    ]
    assert languages_of(requests, REASON) == {"id"}
    assert languages_of(requests, "Reason") == {None}  # the page's own word: the page's language


def test_the_referral_file_fits_a_phone_and_marks_the_reporters_text(report, users):
    client = client_in("en")
    client.force_login(users[("inspektorat", "a")])
    page = client.get(f"/integritas/staf/{report.pk}/ekspor/").content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<html lang="en">' in page
    for text in (SECRET, "Loket 3 Disdukcapil", "Antrean pagi itu"):
        assert languages_of(page, text) == {"id"}, text
    assert languages_of(page, "Case file") == {"en"}
