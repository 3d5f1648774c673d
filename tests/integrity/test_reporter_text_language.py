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
    # The official's reason, in the list of requests.
    requests = page[
        page.index('<ul id="disclosures">') : page.index("</ul>", page.index('"disclosures"'))
    ]
    assert languages_of(requests, REASON) == {"id"}
    assert languages_of(requests, "Reason") == {None}  # the page's own word: the page's language
    # And in the message announcing the request, which quotes it inside the system's sentence: the
    # sentence is in the reader's language, the reason as typed, marked Indonesian.
    messages = page[page.index('<ol class="messages"') : page.index("</ol>")]
    assert languages_of(messages, REASON.rstrip(".")) == {"id"}
    assert languages_of(messages, "An examiner asks for permission") == {None}  # the page's
    assert f'for this reason: <span lang="id">{REASON.rstrip(".")}</span>. ' in messages


def test_the_referral_file_fits_a_phone_and_marks_the_reporters_text(report, users):
    client = client_in("en")
    client.force_login(users[("inspektorat", "a")])
    page = client.get(f"/integritas/staf/{report.pk}/ekspor/").content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<html lang="en">' in page
    for text in (SECRET, "Loket 3 Disdukcapil", "Antrean pagi itu"):
        assert languages_of(page, text) == {"id"}, text
    assert languages_of(page, "Case file") == {"en"}


def test_the_reason_quoted_in_the_notice_is_escaped_and_marked(make_case, users):
    report = make_case()
    reason = "Saksi <b>kunci</b> & perlu keterangan resmi <script>alert(1)</script>"
    services.request_disclosure(users[("inspektorat", "a")], report.pk, reason)
    for language in ("id", "en"):
        client = client_in(language)
        assert (
            client.post("/integritas/tindak-lanjut/", {"receipt": report.receipt}).status_code
            == 302
        )
        page = client.get("/integritas/kasus-saya/").content.decode()
        messages = page[page.index('<ol class="messages"') : page.index("</ol>")]
        assert "<b>kunci</b>" not in messages and "<script>" not in messages
        escaped = "Saksi &lt;b&gt;kunci&lt;/b&gt; &amp; perlu keterangan resmi &lt;script&gt;"
        assert f'<span lang="id">{escaped}' in messages, language
        assert languages_of(messages, "Saksi <b>kunci</b> & perlu") == {"id"}


def test_a_notice_stored_before_the_mark_gets_it(make_case, users):
    """Notices written before ``said()`` could name a typed parameter are marked by migration 0005."""
    import json
    from importlib import import_module

    from django.apps import apps

    from amanah.integrity.models import Message

    report = make_case()
    services.request_disclosure(users[("inspektorat", "a")], report.pk, REASON)
    notice = Message.objects.get(report=report, kind=Message.Kind.NOTICE)
    parts = json.loads(notice.body_parts)
    assert parts[0]["typed"] == ["r"]
    del parts[0]["typed"]  # as such a notice was stored
    notice.body_parts = json.dumps(parts, ensure_ascii=False)
    notice.save()
    client = client_in("en")
    assert client.post("/integritas/tindak-lanjut/", {"receipt": report.receipt}).status_code == 302

    def messages():
        page = client.get("/integritas/kasus-saya/").content.decode()
        return page[page.index('<ol class="messages"') : page.index("</ol>")]

    assert languages_of(messages(), REASON.rstrip(".")) == {None}  # in the English sentence
    import_module("amanah.integrity.migrations.0005_disclosure_reason_typed").mark_reason_typed(
        apps, None
    )
    notice.refresh_from_db()
    assert json.loads(notice.body_parts)[0]["typed"] == ["r"]
    assert languages_of(messages(), REASON.rstrip(".")) == {"id"}
