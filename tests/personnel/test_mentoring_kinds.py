"""The kinds of a mentoring pair carry Indonesian labels on Indonesian pages (the English term in
brackets, as ASN know it) and the English terms from the catalogue in the English interface."""

from amanah.personnel.models import Mentoring
from tests.i18n import client_in

from . import helpers


def _page(people, org, language):
    a = org["a"]
    Mentoring.objects.create(
        mentor=a["kabid"], mentee=a["staff"], goals="SIAK", start=helpers.today()
    )
    Mentoring.objects.create(
        mentor=a["kadis"],
        mentee=a["staff"],
        kind="coaching",
        goals="Pelayanan",
        start=helpers.today(),
    )
    client = client_in(language)
    client.force_login(people["hr"])
    return client.get("/kepegawaian/mentoring/").content.decode()


def test_indonesian_page_names_the_kinds_in_indonesian(people, org):
    page = _page(people, org, "id")
    assert "Pendampingan (mentoring)" in page and "Pembimbingan (coaching)" in page
    # the form's choices too
    assert '<option value="coaching">Pembimbingan (coaching)</option>' in page


def test_english_page_names_the_kinds_in_english(people, org):
    page = _page(people, org, "en")
    assert "Pendampingan" not in page and "Pembimbingan" not in page
    assert "Mentoring ·" in page and "Coaching ·" in page


def test_indonesian_heading_and_menu_in_indonesian(people, org):
    page = _page(people, org, "id")
    assert "<h1>Pendampingan dan pembimbingan</h1>" in page
    assert "Mentoring dan coaching" not in page
    assert "<h1>Mentoring and coaching</h1>" in _page(people, org, "en")
