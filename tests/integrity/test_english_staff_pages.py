"""Staff pages in English name the assessment levels, the disclosure request's state and the reporter's
answer, and the attendance in the referral file, in English — not by their Indonesian codes."""

import pytest

from tests.i18n import client_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_under_examination(make_case, users, org):
    """Assessed (tinggi, sedang, rendah), a disclosure request waiting, a missed hearing and a summons
    whose hearing is still to come."""
    from amanah.core.calendar import Calendar
    from amanah.integrity import services

    u = users[("inspektorat", "a")]
    r = make_case()
    services.assess(
        u,
        r.pk,
        credibility="tinggi",
        seriousness="sedang",
        retaliation_risk="rendah",
        decision="periksa",
    )
    services.request_disclosure(u, r.pk, "Pelapor perlu dimintai keterangan resmi sebagai saksi.")
    cal = Calendar(org["a"]["agency"])
    today = cal.local_date()
    held = services.issue_summons(
        u, r.pk, person="Saksi loket", hearing_on=cal.add(today, -1), issued_on=cal.add(today, -9)
    )
    services.record_attendance(u, r.pk, held.pk, False)
    services.issue_summons(
        u, r.pk, person="Saksi arsip", hearing_on=cal.add(today, 8), issued_on=today
    )
    return r


def _page(user, path, language="en"):
    c = client_in(language)
    c.force_login(user)
    return c.get(path).content.decode()


def test_the_case_page_in_english_names_the_assessment_levels(case_under_examination, users):
    html = _page(users[("inspektorat", "a")], f"/integritas/staf/{case_under_examination.pk}/")
    line = next(l for l in html.splitlines() if "Credibility:" in l)  # noqa: E741
    assert "tinggi" not in line and "sedang" not in line and "rendah" not in line, line
    assert "Credibility: High" in line and "Seriousness: Moderate" in line


def test_the_case_page_in_english_names_the_disclosure_state(case_under_examination, users):
    html = _page(users[("inspektorat", "a")], f"/integritas/staf/{case_under_examination.pk}/")
    assert "menunggu" not in html
    assert "Awaiting decision" in html and "Awaiting the reporter" in html


def test_the_referral_file_in_english_says_attendance_in_english(case_under_examination, users):
    path = f"/integritas/staf/{case_under_examination.pk}/ekspor/"
    html = _page(users[("inspektorat", "a")], path)
    assert "tidak hadir" not in html and "belum" not in html
    assert "(did not attend)" in html and "(attendance not yet recorded)" in html
    indonesian = _page(users[("inspektorat", "a")], path, "id")
    assert "(tidak hadir)" in indonesian and "(kehadiran belum dicatat)" in indonesian
