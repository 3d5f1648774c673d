"""On a 360 px phone: a citizen asks a question without an account, a moderator publishes it, the agency's
staff answer it officially, and the citizen reads the answer marked "Jawaban resmi"."""

import pytest

from tests.e2e.staff import sign_in
from tests.forum.conftest import make_topic  # noqa: F401 (a citizen's topic, moved to a state)

pytestmark = pytest.mark.e2e


def _fits(p):
    assert p.evaluate("document.documentElement.scrollWidth") <= 360


def test_question_moderation_and_official_answer_on_a_phone(
    page, browser, live_server, org, make_user
):
    from amanah.forum.models import Topic

    manager = make_user("pengelola", org["a"]["agency"], email="forum@kab-a.go.id")

    # A citizen asks, about a service, under a pseudonym.
    page.goto(page.base_url + "/forum/")
    page.get_by_role("link", name=org["a"]["agency"].name).click()
    page.get_by_role("link", name="Ajukan pertanyaan baru").click()
    _fits(page)
    page.get_by_label("Tentang layanan (tidak wajib)").select_option(label="Penerbitan KTP-el")
    page.get_by_label("Judul pertanyaan").fill("Apakah KTP-el bisa diambil hari Sabtu?")
    page.get_by_label("Pertanyaan atau pendapat Anda").fill("Saya bekerja Senin sampai Jumat.")
    page.get_by_label("Nama tampilan (tidak wajib)").fill("Pekerja")
    page.get_by_role("button", name="Kirim pertanyaan").click()
    page.wait_for_url("**/terkirim/**")
    said = page.locator("main").inner_text()
    assert "menunggu moderasi" in said.lower() and "Jangan tulis data pribadi" in said
    _fits(page)
    topic = Topic.objects.get()
    assert topic.status == "pending"

    # The moderator publishes it from the queue.
    staff = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    desk = staff.new_page()
    sign_in(desk, page.base_url, manager.email)
    desk.goto(page.base_url + "/forum/staf/")
    desk.get_by_role("link", name="Apakah KTP-el bisa diambil hari Sabtu?").click()
    desk.get_by_label("Terbitkan").check()
    desk.get_by_role("button", name="Simpan keputusan").click()
    desk.wait_for_url("**/forum/staf/")
    assert "Tidak ada topik yang menunggu" in desk.locator("main").inner_text()

    # The staff answer officially on the topic's page.
    desk.goto(page.base_url + f"/forum/topik/{topic.pk}/")
    desk.get_by_label("Jawaban resmi instansi").fill("Loket buka Sabtu pukul 08.00–12.00.")
    desk.get_by_role("button", name="Terbitkan jawaban resmi").click()
    desk.wait_for_load_state()
    staff.close()

    # The citizen finds the topic again and sees the answer marked.
    page.goto(page.base_url + "/forum/kab-a/")
    page.get_by_role("link", name="Apakah KTP-el bisa diambil hari Sabtu?").click()
    _fits(page)
    answer = page.locator("article.post.official")
    assert answer.count() == 1
    assert "Jawaban resmi" in answer.inner_text()
    assert "Loket buka Sabtu pukul 08.00–12.00." in answer.inner_text()
    assert "Pekerja" in page.locator("main").inner_text()


def test_every_public_page_fits_a_320_px_phone_without_javascript(
    browser,
    live_server,
    org,
    make_topic,  # noqa: F811 (the fixture imported above)
):
    """The narrowest phones, scripts off: the lists, a topic with long unbroken words, the question form
    refused with its error summary, and the page after sending fit the screen and still work."""
    word = "Permohonan" * 19
    topic = make_topic(title=word, body=f"{word} {word}", service=org["a"]["service"])
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, locale="id-ID", java_script_enabled=False
    )
    p = context.new_page()
    base = live_server.url

    def fits():
        assert p.evaluate("document.documentElement.scrollWidth") <= 320, p.url

    for path in ("/forum/", "/forum/kab-a/", f"/forum/topik/{topic.pk}/", "/forum/kab-a/baru/"):
        p.goto(base + path)
        fits()
    p.get_by_role("button", name="Kirim pertanyaan").click()
    assert p.locator(".error-summary, [role=alert]").first.is_visible()
    fits()
    p.get_by_label("Judul pertanyaan").fill(word)
    p.get_by_label("Pertanyaan atau pendapat Anda").fill(word)
    p.get_by_role("button", name="Kirim pertanyaan").click()
    p.wait_for_url("**/terkirim/**")
    fits()
    context.close()
