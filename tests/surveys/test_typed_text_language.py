"""An agency's follow-up plans (the action, who is responsible, the progress note) are typed in
Indonesian: on an English page they carry ``lang="id"`` (WCAG 3.1.2)."""

import datetime as dt

import pytest

from amanah.surveys import services
from tests.html_lang import languages_of
from tests.i18n import client_in

pytestmark = pytest.mark.django_db

ANSWERS = [[3, 3, 2, 4, 3, 3, 4, 2, 3], [4, 3, 3, 4, 3, 4, 4, 3, 2], [3, 2, 2, 4, 4, 3, 3, 3, 3]]
ACTION = "Tambah loket pada jam sibuk"
OWNER = "Kabid Dafduk"
NOTE = "Loket kedua sudah dibuka pada hari Senin."


@pytest.fixture
def published(period, add_answers, users):
    add_answers(period, ANSWERS, gender="P", age=30, education="SMA", occupation="Swasta")
    admin = users[("admin", None)]
    services.close_period(admin, period)
    plan = services.add_plan(
        admin, period, element="U3", action=ACTION, owner=OWNER, due=dt.date(2027, 3, 31)
    )
    services.report_progress(admin, plan, progress=50, note=NOTE)
    return services.publish_period(admin, period, analysis="Waktu penyelesaian paling rendah.")


@pytest.mark.parametrize("staff", [False, True])
def test_the_follow_up_plans_are_marked_indonesian(published, users, staff):
    client = client_in("en")
    path = f"/skm/hasil/{published.pk}/"
    if staff:
        client.force_login(users[("admin", None)])
        path = f"/skm/staf/periode/{published.pk}/"
    page = client.get(path)
    assert page.status_code == 200, path
    page = page.content.decode()
    assert '<html lang="en">' in page
    for text in (ACTION, OWNER, NOTE):
        assert languages_of(page, text) == {"id"}, text
