"""What a complainant wrote is Indonesian on an English page too: it carries ``lang="id"`` so that a screen
reader reads it with Indonesian pronunciation, while the page's own words stay English (WCAG 3.1.2)."""

import pytest

from amanah.complaints import services
from amanah.complaints.models import AnswerTemplate, Complaint
from tests.html_lang import languages_of
from tests.i18n import client_in

from .conftest import BASE

pytestmark = pytest.mark.django_db

REPLY = "Nomor tanda terima perekaman saya 12345, terlampir fotonya."


def _english(user=None):
    client = client_in("en")
    if user is not None:
        client.force_login(user)
    return client


def test_the_published_list_marks_each_complaints_title_and_text_as_indonesian(submit):
    c = submit()
    Complaint.objects.filter(pk=c.pk).update(publish_requested=True, publish_approved=True)
    page = _english().get("/pengaduan/publik/").content.decode()
    assert '<html lang="en">' in page
    assert languages_of(page, BASE["title"]) == {"id"}
    assert languages_of(page, "belum dicetak") == {"id"}
    assert languages_of(page, "Published complaints") == {"en"}  # the page's own words


def test_the_tracking_page_marks_the_title_and_the_complainants_messages_as_indonesian(
    submit, walk
):
    c = walk(submit(), "menunggu_kelengkapan")
    services.reply(c, text=REPLY)
    page = _english().get(f"/pengaduan/lacak/{c.tracking_code}/").content.decode()
    assert languages_of(page, BASE["title"]) == {"id"}
    assert languages_of(page, "tanda terima perekaman saya") == {"id"}
    # Steps the system wrote are shown in the reader's language, and read in it.
    assert languages_of(page, "Complaint received through Website.") == {"en"}


def test_the_staff_case_page_marks_what_the_complainant_wrote_as_indonesian(
    org, users, submit, walk
):
    c = walk(submit(), "menunggu_kelengkapan")
    services.reply(c, text=REPLY)
    page = _english(users[("operator", "a")]).get(f"/pengaduan/staf/AMN-{c.pk}/")
    page = page.content.decode()
    for text in (
        BASE["title"],
        "belum dicetak",
        BASE["incident_place"],
        BASE["loss"],
        BASE["remedy"],
        "tanda terima perekaman saya",
    ):
        assert languages_of(page, text) == {"id"}, text
    assert languages_of(page, "Complaint received through Website.") == {"en"}


def test_the_inbox_marks_each_title_as_indonesian(users, submit):
    submit()
    page = _english(users[("operator", "a")]).get("/pengaduan/staf/").content.decode()
    assert languages_of(page, BASE["title"]) == {"id"}


ASK = "Mohon lampirkan nomor tanda terima perekaman."
ANSWER = "KTP-el Anda sudah dicetak dan dapat diambil di loket 3."
STARTED = "Sedang kami periksa ke petugas loket."


def test_what_staff_typed_on_the_timeline_is_marked_indonesian_on_both_pages(
    org, users, submit, walk
):
    """Staff write to the complainant in Indonesian too: their messages are typed text, whoever typed
    them; only the system's sentences follow the page's language."""
    c = walk(submit(), "menunggu_kelengkapan")
    services.reply(c, text=REPLY)
    c.refresh_from_db()
    c = services.verify(users[("operator", "a")], c, unit=org["a"]["bidang"])
    c = services.start(users[("unit", "a")], c, note=STARTED)
    c = services.answer(users[("unit", "a")], c, text=ANSWER)
    track = _english().get(f"/pengaduan/lacak/{c.tracking_code}/").content.decode()
    staff = _english(users[("operator", "a")]).get(f"/pengaduan/staf/AMN-{c.pk}/")
    for page in (track, staff.content.decode()):
        for text in (ASK, STARTED, ANSWER, "tanda terima perekaman saya"):
            assert languages_of(page, text) == {"id"}, text
        assert languages_of(page, "Complaint received through Website.") == {"en"}


def test_a_system_sentence_with_a_typed_note_marks_only_the_note(users, submit):
    """A refusal is the system's sentence followed by what the officer typed: the note alone is
    Indonesian."""
    c = services.reject(
        users[("operator", "a")], submit(), reason="tidak_jelas", note="Isi pengaduan kosong."
    )
    page = _english(users[("operator", "a")]).get(f"/pengaduan/staf/AMN-{c.pk}/")
    page = page.content.decode()
    assert languages_of(page, "Isi pengaduan kosong.") == {"id"}
    assert languages_of(page, "Rejected:") == {"en"}


def test_the_staff_case_page_marks_the_rating_comment_and_the_answer_templates(
    org, users, submit, walk
):
    AnswerTemplate.objects.create(
        agency=org["a"]["agency"], title="KTP-el siap", body="KTP-el Anda dapat diambil di loket."
    )
    done = walk(submit(), "dijawab")
    services.confirm(done, rating=4, comment="Petugasnya ramah sekali.")
    page = _english(users[("operator", "a")]).get(f"/pengaduan/staf/AMN-{done.pk}/")
    assert languages_of(page.content.decode(), "Petugasnya ramah sekali.") == {"id"}
    busy = walk(submit(title="Antrean KTP-el terlalu lama"), "diproses")
    page = _english(users[("unit", "a")]).get(f"/pengaduan/staf/AMN-{busy.pk}/")
    page = page.content.decode()
    assert "KTP-el siap" in page
    for text in ("KTP-el siap", "dapat diambil di loket."):
        assert languages_of(page, text) == {"id"}, text
