"""PP 94/2021: a second summons follows a *missed* hearing, and a second absence lets the case be decided
on the evidence. An absence, or a BAP of a summoned hearing, can therefore be recorded only from the
hearing's day on (the reported agency's calendar), or the second summons would open before the first
hearing was held."""

import pytest

pytestmark = pytest.mark.django_db
BASE = "/api/v1/integrity"


@pytest.fixture
def cal(org):
    from amanah.core.calendar import Calendar

    return Calendar(org["a"]["agency"])


def _summons(user, report, cal, *, hearing_in: int, person="Staf a (terlapor)"):
    from amanah.integrity import services

    hearing = cal.add(cal.local_date(), hearing_in)
    return services.issue_summons(
        user, report.pk, person=person, hearing_on=hearing, issued_on=cal.add(hearing, -8)
    )


def test_absence_before_the_hearing_is_refused(examined, users, api_as, cal):
    insp = users[("inspektorat", "a")]
    summons = _summons(insp, examined, cal, hearing_in=10)
    r = api_as(insp).post(
        f"{BASE}/cases/{examined.pk}/summons/{summons.pk}/attendance", {"attended": False}
    )
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["error"] == "hearing_not_held"
    assert summons.hearing_on.strftime("%d-%m-%Y") in body["message"]
    summons.refresh_from_db()
    assert summons.attended is None


def test_absence_on_the_hearing_day_is_recorded(examined, users, api_as, cal):
    insp = users[("inspektorat", "a")]
    summons = _summons(insp, examined, cal, hearing_in=0)
    assert summons.hearing_on == cal.local_date()
    r = api_as(insp).post(
        f"{BASE}/cases/{examined.pk}/summons/{summons.pk}/attendance", {"attended": False}
    )
    assert r.status_code == 200 and r.json()["attended"] is False, r.content


def test_bap_of_a_summoned_hearing_not_yet_held_is_refused(examined, users, api_as, cal):
    insp = users[("inspektorat", "a")]
    summons = _summons(insp, examined, cal, hearing_in=10)
    client = api_as(insp)
    record = {
        "held_on": cal.local_date().isoformat(),
        "examined": "Terlapor",
        "content": "Isi BAP.",
    }
    r = client.post(f"{BASE}/cases/{examined.pk}/records", {**record, "summons_id": summons.pk})
    assert r.status_code == 422 and r.json()["error"] == "hearing_not_held", r.content
    assert "summons_id" in r.json()["fields"]
    summons.refresh_from_db()
    assert summons.attended is None
    # Without a summons (a hearing held by agreement) the record is made.
    assert client.post(f"{BASE}/cases/{examined.pk}/records", record).status_code == 201
    past = _summons(insp, examined, cal, hearing_in=-1, person="Saksi loket")
    r = client.post(f"{BASE}/cases/{examined.pk}/records", {**record, "summons_id": past.pk})
    assert r.status_code == 201, r.content
    past.refresh_from_db()
    assert past.attended is True


def test_the_refusal_is_in_the_readers_language(examined, users, api_as, cal):
    from tests.i18n import client_in

    insp = users[("inspektorat", "a")]
    summons = _summons(insp, examined, cal, hearing_in=10)
    client = api_as(insp)
    client.client = client_in("en")
    r = client.post(
        f"{BASE}/cases/{examined.pk}/summons/{summons.pk}/attendance", {"attended": False}
    )
    assert r.status_code == 422
    assert r.json()["message"].startswith("An absence can be recorded only on or after")


def test_the_case_page_offers_attendance_from_the_hearing_day(examined, users, cal):
    """Before the hearing the page offers no attendance buttons (they would only be refused) and says
    from when attendance is recorded; on the day it offers both."""
    from django.test import Client

    insp = users[("inspektorat", "a")]
    later = _summons(insp, examined, cal, hearing_in=10)
    client = Client()
    client.force_login(insp)
    page = client.get(f"/integritas/staf/{examined.pk}/").content.decode()
    assert f'name="summons" value="{later.pk}"' not in page
    assert "kehadiran dicatat mulai hari pemeriksaan" in page
    today = _summons(insp, examined, cal, hearing_in=0, person="Saksi")
    page = client.get(f"/integritas/staf/{examined.pk}/").content.decode()
    assert f'name="summons" value="{today.pk}"' in page and 'name="attended" value="0"' in page


def test_attendance_before_the_hearing_is_refused(examined, users, api_as, cal):
    """'Hadir' for a hearing not yet held would drop its reminder: refused like an absence."""
    insp = users[("inspektorat", "a")]
    summons = _summons(insp, examined, cal, hearing_in=10)
    r = api_as(insp).post(
        f"{BASE}/cases/{examined.pk}/summons/{summons.pk}/attendance", {"attended": True}
    )
    assert r.status_code == 422, r.content
    assert r.json()["error"] == "hearing_not_held"
    assert r.json()["message"] == (
        "Kehadiran baru dapat dicatat pada tanggal pemeriksaan "
        f"({summons.hearing_on.strftime('%d-%m-%Y')}) atau sesudahnya."
    )
    summons.refresh_from_db()
    assert summons.attended is None


def test_attendance_posted_to_the_page_before_the_hearing_is_refused(examined, users, cal):
    from django.test import Client

    insp = users[("inspektorat", "a")]
    summons = _summons(insp, examined, cal, hearing_in=10)
    client = Client()
    client.force_login(insp)
    r = client.post(
        f"/integritas/staf/{examined.pk}/hadir/", {"summons": summons.pk, "attended": "1"}
    )
    assert r.status_code == 400
    assert "Kehadiran baru dapat dicatat pada tanggal pemeriksaan" in r.content.decode()
    summons.refresh_from_db()
    assert summons.attended is None


def test_attendance_on_the_hearing_day_is_recorded(examined, users, api_as, cal):
    insp = users[("inspektorat", "a")]
    summons = _summons(insp, examined, cal, hearing_in=0)
    r = api_as(insp).post(
        f"{BASE}/cases/{examined.pk}/summons/{summons.pk}/attendance", {"attended": True}
    )
    assert r.status_code == 200 and r.json()["attended"] is True, r.content
