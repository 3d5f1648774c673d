"""What citizens and staff type in the forum is Indonesian: on an English page it carries ``lang="id"``
(WCAG 3.1.2), on the public pages and the moderators' pages alike."""

from amanah.forum import services
from tests.html_lang import languages_of
from tests.i18n import client_in

TITLE = "Antrean di loket pagi hari"
BODY = "Mengapa antrean sudah panjang sejak jam tujuh?"
NAME = "Warga Sleman"
REPLY = "Saya juga mengalaminya kemarin."
ANSWER = "Kami menambah satu loket mulai bulan depan."


def test_typed_text_is_marked_indonesian_on_english_pages(make_topic, moderator):
    topic = make_topic(title=TITLE, body=BODY, author_name=NAME)
    held = services.submit_reply(topic, body=REPLY, author_name=NAME)
    services.answer(moderator, topic, body=ANSWER)
    client = client_in("en")
    page = client.get(f"/forum/topik/{topic.pk}/").content.decode()
    for text in (TITLE, BODY, NAME, ANSWER):
        assert languages_of(page, text) == {"id"}, text
    assert languages_of(client.get("/forum/kab-a/").content.decode(), TITLE) == {"id"}
    client.force_login(moderator)
    queue = client.get("/forum/staf/").content.decode()
    assert languages_of(queue, REPLY) == {"id"}
    post_page = client.get(f"/forum/staf/balasan/{held.pk}/").content.decode()
    for text in (REPLY, NAME, TITLE):
        assert languages_of(post_page, text) == {"id"}, text
