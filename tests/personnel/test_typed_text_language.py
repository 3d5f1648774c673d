"""What people typed into the personnel pages (a mentoring pair's goals and sessions, an award's name
and reason) is Indonesian on an English page too: it carries ``lang="id"`` (WCAG 3.1.2)."""

import datetime as dt

import pytest

from amanah.personnel import services
from tests.html_lang import languages_of
from tests.i18n import client_in

from . import helpers

pytestmark = pytest.mark.django_db

GOALS = "Menguasai verifikasi berkas SIAK"
TOPIC = "Verifikasi dokumen KK"
OUTCOME = "Mampu memverifikasi KK sendiri"
AWARD = "Pegawai Teladan Pelayanan"
REASON = "Tidak pernah terlambat melayani pemohon selama setahun."


@pytest.fixture
def typed(people, org):
    a = org["a"]
    pair = services.start_mentoring(
        people["hr"],
        mentor=a["kabid"],
        mentee=a["staff"],
        goals=GOALS,
        start=helpers.today() - dt.timedelta(days=10),
    )
    services.add_session(
        people["kabid"], pair, held_on=helpers.today(), topic=TOPIC, outcome=OUTCOME
    )
    award = services.propose_award(
        people["hr"],
        a["staff"],
        kind="pelayanan",
        title=AWARD,
        reason=REASON,
        year=helpers.today().year,
    )
    services.decide_award(
        people["pimpinan"], award, approve=True
    )  # the profile shows approved ones
    return a


def _english(user, path):
    client = client_in("en")
    client.force_login(user)
    page = client.get(path)
    assert page.status_code == 200, path
    page = page.content.decode()
    assert '<html lang="en">' in page
    return page


def test_the_profile_marks_the_goals_and_the_award_as_indonesian(typed, people):
    page = _english(people["hr"], f"/kepegawaian/pegawai/{typed['staff'].nip}/")
    for text in (GOALS, AWARD, REASON):
        assert languages_of(page, text) == {"id"}, text


def test_the_mentoring_page_marks_the_goals_and_sessions_as_indonesian(typed, people):
    page = _english(people["kabid"], "/kepegawaian/mentoring/")
    for text in (GOALS, TOPIC, OUTCOME):
        assert languages_of(page, text) == {"id"}, text
    page = _english(people["kabid"], "/kepegawaian/saya/")
    assert languages_of(page, GOALS) == {"id"}


def test_the_awards_page_marks_the_name_and_reason_as_indonesian(typed, people):
    page = _english(people["hr"], "/kepegawaian/penghargaan/")
    for text in (AWARD, REASON):
        assert languages_of(page, text) == {"id"}, text
