"""The tracking page's newer states on the narrowest phone (320 px), without JavaScript: a reply refused
because others on the same address guessed wrong codes hands the typed words back in a box that fits
the screen; an answered case past its automatic-closure date offers confirmation but no dispute."""

import datetime as dt

import pytest

from .test_long_words import assert_no_sideways_scroll

pytestmark = pytest.mark.e2e

TEXT = "Nomor antrean saya A-123 di loket 3; petugasnya bernama Budi dan meminta uang tambahan."


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 640}, locale="id-ID"
    )
    yield context.new_page()
    context.close()


def test_a_reply_refused_by_the_wrong_code_limit_is_handed_back_on_a_phone(
    phone, live_server, org, users, settings
):
    from amanah.complaints import services
    from tests.complaints.conftest import BASE, advance

    settings.COMPLAINT_TRACK_RATE = (3, 600)
    c = services.submit(None, dict(BASE, service=org["a"]["service"]), [], channel="web")
    advance(c, "diproses", users, org)
    phone.goto(f"{live_server.url}/pengaduan/lacak/{c.tracking_code}/")
    phone.get_by_label("Tambahan informasi atau tanggapan").fill(TEXT)
    other = phone.context.new_page()
    for _ in range(3):  # someone else behind the same address
        other.goto(f"{live_server.url}/pengaduan/lacak/0000-0000-0000-0000/")
    other.close()
    phone.get_by_role("button", name="Kirim", exact=True).click()
    box = phone.locator("textarea#teks-anda")
    assert box.input_value() == TEXT
    assert "tidak hilang" in phone.locator("main").inner_text()
    assert_no_sideways_scroll(phone)


def test_an_answer_past_its_closing_date_offers_confirmation_only_on_a_phone(
    phone, live_server, org, users
):
    from amanah.complaints import services
    from amanah.complaints.models import Complaint
    from tests.complaints.conftest import BASE, advance

    c = services.submit(None, dict(BASE, service=org["a"]["service"]), [], channel="web")
    c = advance(c, "dijawab", users, org)
    Complaint.objects.filter(pk=c.pk).update(auto_close_due=dt.date(2020, 1, 1))
    phone.goto(f"{live_server.url}/pengaduan/lacak/{c.tracking_code}/")
    main = phone.locator("main").inner_text()
    assert "jawaban dianggap diterima" in main
    assert phone.get_by_role("button", name="Ya, selesai").count() == 1
    assert phone.get_by_role("button", name="Belum, sampaikan sanggahan").count() == 0
    assert_no_sideways_scroll(phone)
