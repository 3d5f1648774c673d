"""An officer whose session ended while filling in a form on a case gets the login page with what they
typed; signing in there leads back to the case page (the form's address answers a GET with the page of
the form), not to a refusal of the GET."""

import re

import pytest
from django.test import Client

from amanah.integrity import services
from amanah.integrity.models import Message

pytestmark = pytest.mark.django_db

TYPED = "Mohon dijelaskan kapan tepatnya pungutan itu diminta dan kepada siapa uangnya diserahkan."


def _sign_in_from(page) -> str:
    """Where the session-ended login ``page``'s form posts: the login, with ``next``."""
    action = re.search(r'<form[^>]*action="([^"]*akun/masuk[^"]*)"', page).group(1)
    return action.replace("&amp;", "&")


def test_signing_in_again_after_a_case_form_leads_to_the_case(users, make_case):
    insp = users[("inspektorat", "a")]
    report = make_case()
    client = Client()  # the session has ended: nobody is signed in
    r = client.post(
        f"/integritas/staf/{report.pk}/pesan/",
        {"message-body": TYPED, "message-question": "on"},
        headers={"referer": "http://testserver/"},  # strict-origin: the origin alone
    )
    assert r.status_code == 401
    page = r.content.decode()
    assert TYPED in page  # shown, to copy
    login = _sign_in_from(page)
    r = client.post(login, {"email": insp.email, "password": "sandi-rahasia-123"})
    assert r.status_code == 302
    r = client.get(r["Location"])
    assert r.status_code == 302 and r["Location"] == f"/integritas/staf/{report.pk}/"
    assert client.get(r["Location"]).status_code == 200
    # Nothing was sent by itself.
    assert not Message.objects.filter(report=report, body=TYPED).exists()


def test_a_conflict_or_a_decision_form_leads_back_to_its_list(users, examined):
    custodian = users[("kustodian", "a")]
    services.request_disclosure(
        users[("inspektorat", "a")], examined.pk, "Keterangan pelapor diperlukan untuk pemeriksaan."
    )
    request = examined.disclosures.get()
    client = Client()
    client.force_login(custodian)
    r = client.get(f"/integritas/staf/identitas/{request.pk}/putuskan/")
    assert r.status_code == 302 and r["Location"] == "/integritas/staf/identitas/"
    r = client.get(f"/integritas/staf/{examined.pk}/konflik/")
    assert r.status_code == 302 and r["Location"] == "/integritas/staf/"
    request.refresh_from_db()
    assert request.state == "menunggu"  # nothing decided
    assert examined.exclusions.filter(reason="dinyatakan").count() == 0  # nothing declared
    # Still only POST does anything; an unknown action is no page.
    assert client.put(f"/integritas/staf/{examined.pk}/konflik/").status_code == 405
    assert client.get(f"/integritas/staf/{examined.pk}/entah/").status_code == 404
