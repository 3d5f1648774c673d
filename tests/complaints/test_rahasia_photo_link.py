"""The Open311 photo link (``media_url``) of a *rahasia* complaint may show the complainant: it opens
exactly where the case's evidence opens (selectors.may_open_evidence) — for its handlers at the case's
stage, on the staff case page and in the staff API's detail alike."""

import pytest

from amanah.core.files import CleanFile

pytestmark = pytest.mark.django_db
PHOTO = "https://app.contoh.id/foto/wajah-pelapor-123.jpg"
READERS = ("operator", "pengelola", "unit", "inspektorat", "pimpinan", "auditor")


def _seen(user, c, client, api_as) -> dict:
    client.force_login(user)
    evidence = client.get(f"/pengaduan/staf/AMN-{c.pk}/bukti/{c.evidence.get().pk}/")
    page = client.get(f"/pengaduan/staf/AMN-{c.pk}/")
    assert page.status_code == 200
    detail = api_as(user).get(f"/api/v1/staff/complaints/{c.tracking_code}")
    assert detail.status_code == 200
    return {
        "evidence": evidence.status_code == 200,
        "page": PHOTO in page.content.decode(),
        "api": detail.json()["media_url"],
    }


def _filed(submit, **identity):
    return submit(
        evidence=[CleanFile("foto.txt", "text/plain", b"bukti")], media_url=PHOTO, **identity
    )


def test_a_rahasia_photo_link_is_shown_only_where_the_evidence_opens(
    users, submit, walk, client, api_as
):
    c = _filed(submit, identity_mode="rahasia", name="Pelapor", email="warga@contoh.id")
    # Not yet forwarded: the front office handles it; the unit the complainant chose does not yet.
    handlers = {"operator", "pengelola"}
    for role in READERS:
        seen = _seen(users[(role, "a")], c, client, api_as)
        shown = role in handlers
        assert seen == {"evidence": shown, "page": shown, "api": PHOTO if shown else None}, role
    c = walk(c, "diteruskan")
    handlers |= {"unit"}
    for role in READERS:
        seen = _seen(users[(role, "a")], c, client, api_as)
        shown = role in handlers
        assert seen == {"evidence": shown, "page": shown, "api": PHOTO if shown else None}, role


def test_a_named_complaints_photo_link_is_shown_to_every_reader(users, submit, client, api_as):
    c = _filed(submit, identity_mode="biasa", name="Warga")
    for role in READERS:
        seen = _seen(users[(role, "a")], c, client, api_as)
        assert seen == {"evidence": True, "page": True, "api": PHOTO}, role
