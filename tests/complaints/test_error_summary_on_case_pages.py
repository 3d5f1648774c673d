"""A refused form on the tracking page or the staff case page is summed up at the top of the page, as on
the intake page: one focused alert (``role=alert``, ``autofocus``, no JavaScript needed) whose links lead
to the fields of the form that was sent."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amanah.complaints import services

pytestmark = pytest.mark.django_db


def summary_of(html: str) -> str:
    """The error summary's element and contents; fails when the page has none."""
    match = re.search(r'<div[^>]*id="form-errors"[^>]*>.*?</div>', html, re.S)
    assert match, "the page has no error summary"
    return match.group(0)


def checked_summary(html: str, *, before: str) -> list[str]:
    """The summary's link targets, after checking it is the page's one focused alert, placed before
    ``before``, and that every link leads to an element of the page."""
    summary = summary_of(html)
    opening = summary[: summary.index(">") + 1]
    assert 'role="alert"' in opening and "autofocus" in opening and 'tabindex="-1"' in opening
    assert html.count("autofocus") == 1  # the summary alone takes the focus
    assert html.index('id="form-errors"') < html.index(before)
    targets = re.findall(r'<a href="#([^"]+)"', summary)
    assert targets, "the summary links to no field"
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    assert [t for t in targets if t not in ids] == []
    return targets


def track(c):
    return f"/pengaduan/lacak/{c.tracking_code}/"


def test_a_refused_dispute_is_summed_up_at_the_top_of_the_tracking_page(org, submit, walk):
    c = walk(submit(), "dijawab")
    assert 'id="form-errors"' not in Client().get(track(c)).content.decode()
    r = Client().post(track(c), {"action": "dispute", "reason": "Belum <b>selesai</b>"})
    assert r.status_code == 400
    html = r.content.decode()
    assert checked_summary(html, before='id="konfirmasi"') == ["id_reason"]
    assert "Mengapa jawaban belum menyelesaikan masalah?" in summary_of(html)


def test_a_refused_reply_with_a_file_asks_for_the_file_in_the_summary(org, submit, walk):
    c = walk(submit(), "diteruskan")
    evidence = SimpleUploadedFile("bukti.txt", b"bukti", content_type="text/plain")
    r = Client().post(
        track(c), {"action": "reply", "text": "<script>x</script>", "evidence": evidence}
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert checked_summary(html, before='id="balas"') == ["id_text", "id_reply_evidence"]
    assert "pilih kembali berkas bukti" in summary_of(html)


def test_a_refused_rating_links_to_its_group_of_choices(org, submit, walk):
    c = walk(submit(), "dijawab")
    services.confirm(c)  # closed without a rating: the rating form is offered
    r = Client().post(track(c), {"action": "rate"})
    assert r.status_code == 400
    assert checked_summary(r.content.decode(), before='id="penilaian"') == ["id_rating"]


def test_a_form_gone_from_the_page_keeps_its_refusal_without_a_second_alert(org, submit, walk):
    c = walk(submit(), "dijawab")
    services.confirm(c)  # closed meanwhile: the dispute form is gone
    r = Client().post(track(c), {"action": "dispute", "reason": "Belum selesai."})
    html = r.content.decode()
    assert r.status_code == 409 and 'id="penolakan"' in html
    assert 'id="form-errors"' not in html and html.count("autofocus") == 1


def staff(user):
    client = Client()
    client.force_login(user)
    return client


def case(c):
    return f"/pengaduan/staf/AMN-{c.pk}/"


def test_a_refused_action_is_summed_up_at_the_top_of_the_staff_case_page(users, submit):
    c = submit()
    page = staff(users[("operator", "a")])
    assert 'id="form-errors"' not in page.get(case(c)).content.decode()
    r = page.post(case(c), {"action": "note", "text": "catatan <b>tebal</b>"})
    assert r.status_code == 400
    html = r.content.decode()
    # At the top, before the case's details, and not ~3.5 screens down where the form is.
    assert checked_summary(html, before='class="cards"') == ["note_text"]
    assert "Catatan internal" in summary_of(html)


def test_the_staff_summary_links_every_field_in_error(users, submit):
    c = submit()
    r = staff(users[("operator", "a")]).post(
        case(c), {"action": "reject", "reason": "bukan-alasan", "note": "<i>x</i>"}
    )
    assert r.status_code == 400
    assert checked_summary(r.content.decode(), before='class="cards"') == [
        "reject_reason",
        "reject_note",
    ]


def test_an_error_of_the_whole_form_is_announced_once(org, submit, walk):
    """A file refused with a reply is an error of the whole reply form (the form has no file field): the
    summary at the top announces it, and the form shows it again without a second alert."""
    c = walk(submit(), "diteruskan")
    lying = SimpleUploadedFile("foto.jpg", b"bukan gambar", content_type="image/jpeg")
    r = Client().post(track(c), {"action": "reply", "text": "Tambahan", "evidence": lying})
    assert r.status_code == 400
    html = r.content.decode()
    assert html.count('role="alert"') == 1
    error = re.search(r'<div class="error">(.*?)</div>', html, re.S)
    assert error and error.group(1).strip()  # shown in the form, not announced there


def test_the_intake_page_announces_an_error_of_the_whole_form_once(org, settings):
    """Too many complaints from one device is an error of the whole form: the summary at the top
    announces it; the form repeats it quietly."""
    from .conftest import BASE

    settings.PUBLIC_FORM_RATE = (1, 600)
    data = dict(BASE, service="kab-a-ktp", kind="pengaduan")
    assert Client().post("/pengaduan/", data).status_code == 302
    r = Client().post("/pengaduan/", data)
    html = r.content.decode()
    assert r.status_code == 429 and "Terlalu banyak" in summary_of(html)
    assert html.count('role="alert"') == 1
