"""What one complainant's case may reveal to others: tracking codes (the key to a case), file names,
suggestions, and a *rahasia* identity before the case reaches its handling unit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amanah.complaints import services
from amanah.complaints.models import Complaint
from amanah.core.models import Unit

from .conftest import BASE

pytestmark = pytest.mark.django_db


def _staff(user):
    client = Client()
    client.force_login(user)
    return client


def test_rejecting_a_duplicate_does_not_hand_over_the_originals_tracking_code(
    org, users, submit, walk, api, smtp
):
    original = walk(submit(identity_mode="rahasia", description="Pungli di loket tiga."), "dijawab")
    dup = submit(name="Budi", email="budi@example.id", description="Pungli di loket tiga juga.")
    services.reject(users[("operator", "a")], dup, reason="duplikat", duplicate_of=original)
    dup.refresh_from_db()
    assert dup.duplicate_of == original and dup.status == "ditolak"
    page = Client().get(f"/pengaduan/lacak/{dup.tracking_code}/").content.decode()
    assert "Duplikat" in page and original.tracking_code not in page
    assert (
        original.tracking_code
        not in api.get(f"/api/v1/complaints/{dup.tracking_code}").content.decode()
    )
    smtp.wait(2)  # the acknowledgement and the rejection
    assert all(original.tracking_code not in m["body"] for m in smtp.to("budi@example.id"))
    # staff who may open the original still find it from the duplicate
    html = _staff(users[("operator", "a")]).get(f"/pengaduan/staf/AMN-{dup.pk}/").content.decode()
    assert f'href="/pengaduan/staf/AMN-{original.pk}/"' in html


def test_evidence_file_names_are_replaced_by_neutral_ones(org, users, api_as):
    """A file's own name often names its owner, and an *anonim* complaint collects no name at all. (Staff
    who may not open a *rahasia* case's files see only how many there are: test_rahasia_evidence_list.)"""
    for mode in ("rahasia", "anonim"):
        form = dict(BASE, service="kab-a-ktp", agency="", identity_mode=mode)
        form["evidence"] = SimpleUploadedFile(
            "KTP Siti Aminah 3404123456780001.txt", b"bukti pungli", content_type="text/plain"
        )
        assert Client().post("/pengaduan/", form).status_code == 302
    for c in Complaint.objects.all():
        (ev,) = c.evidence.select_related("file")
        assert ev.file.filename.startswith("bukti-") and ev.file.filename.endswith(".txt")
        for role in ("pimpinan", "auditor", "operator"):
            html = _staff(users[(role, "a")]).get(f"/pengaduan/staf/AMN-{c.pk}/")
            assert "Siti Aminah 3404" not in html.content.decode()
            body = api_as(users[(role, "a")]).get(f"/api/v1/staff/complaints/{c.tracking_code}")
            listed = body.json()["evidence"]
            if c.identity_mode == "rahasia" and role != "operator":
                assert listed == []  # not a handler of the case: a count only
            else:
                assert listed[0]["filename"] == ev.file.filename
    c = Complaint.objects.first()
    services.reply(
        c, text="Tambahan.", evidence=services.clean_files([SimpleUploadedFile("Siti.txt", b"x")])
    )
    assert not c.evidence.filter(file__filename__contains="Siti").exists()


def test_the_services_unit_sees_a_rahasia_identity_only_once_the_case_is_forwarded_to_it(
    org, users, submit, api_as
):
    c = submit(
        identity_mode="rahasia", evidence=services.clean_files([SimpleUploadedFile("a.txt", b"x")])
    )
    unit_officer = users[("unit", "a")]
    ev = c.evidence.get()
    assert c.unit == org["a"]["bidang"] and c.forwarded_at is None
    html = _staff(unit_officer).get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    assert "Siti Aminah" not in html and "081234567890" not in html
    assert "Identitas dirahasiakan" in html
    assert (
        api_as(unit_officer)
        .get(f"/api/v1/staff/complaints/{c.tracking_code}")
        .json()["complainant"]
        is None
    )
    url = f"/api/v1/staff/complaints/{c.tracking_code}/evidence/{ev.pk}"
    assert api_as(unit_officer).get(url).status_code == 403
    # the front office sees it all along
    assert (
        "Siti Aminah"
        in _staff(users[("operator", "a")]).get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    )
    c = services.verify(users[("operator", "a")], c, unit=org["a"]["bidang"])
    html = _staff(unit_officer).get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    assert "Siti Aminah" in html and "081234567890" in html
    assert api_as(unit_officer).get(url).status_code == 200


def test_similar_complaints_are_suggested_only_from_cases_the_viewer_may_open(org, users, submit):
    other_unit = Unit.objects.create(
        agency=org["a"]["agency"], parent=org["a"]["top"], code="kab-a-lain", name="Unit Lain"
    )
    text = {
        "title": "Pungli KTP-el di loket",
        "description": "Diminta uang untuk KTP-el loket tiga",
    }
    elsewhere = services.verify(users[("operator", "a")], submit(**text), unit=other_unit)
    visible = submit(**text)
    new = submit(**text)
    unit_officer, manager = users[("unit", "a")], users[("pengelola", "a")]
    html = _staff(unit_officer).get(f"/pengaduan/staf/AMN-{new.pk}/").content.decode()
    assert f"AMN-{visible.pk}</a>" in html and f"AMN-{elsewhere.pk}</a>" not in html
    html = _staff(manager).get(f"/pengaduan/staf/AMN-{new.pk}/").content.decode()
    assert f"AMN-{visible.pk}</a>" in html and f"AMN-{elsewhere.pk}</a>" in html


def test_an_email_with_control_characters_is_refused_at_intake(api, org):
    r = api.post(
        "/api/v1/complaints",
        dict(BASE, service="kab-a-ktp", email='"siti\x01aminah"@example.id'),
    )
    assert r.status_code == 422
    assert "email" in r.json()["fields"]
    assert not Complaint.objects.exists()


def test_a_transfer_shows_the_other_cases_code_only_to_staff_who_may_open_that_case(
    org, users, submit, api_as
):
    """The transfer step names the new case's code for the complainant, whose key it is. Staff of the
    first agency who may not open the new case (here its auditor) see the step naming the case by its
    number, in the API and on the case page; so do the second agency's staff for the first case's code;
    staff who may open both get the codes in the API's link fields."""
    c = submit()
    new = services.transfer(users[("operator", "a")], c, agency=org["b"]["agency"]).transferred_to
    for user, case, other in (
        (users[("auditor", "a")], c, new),
        (users[("pengelola", "b")], new, c),
    ):
        body = api_as(user).get(f"/api/v1/staff/complaints/{case.tracking_code}").json()
        assert other.tracking_code not in str(body)
        assert f"AMN-{other.pk}" in " ".join(e["text"] for e in body["events"])
        page = _staff(user).get(f"/pengaduan/staf/AMN-{case.pk}/").content.decode()
        assert other.tracking_code not in page
    body = api_as(users[("admin", None)]).get(f"/api/v1/staff/complaints/{c.tracking_code}").json()
    assert body["transferred_to"] == [new.tracking_code]
    assert new.tracking_code not in " ".join(e["text"] for e in body["events"])
    # The complainant's own page still gives the new code.
    assert (
        new.tracking_code in Client().get(f"/pengaduan/lacak/{c.tracking_code}/").content.decode()
    )


def test_the_similar_cases_are_compared_without_decrypting_their_complainants(
    users, submit, monkeypatch
):
    from amanah.complaints import selectors
    from amanah.core import crypto

    others = [submit(title="Pungli di loket KTP kecamatan", name=f"Warga {i}") for i in range(3)]
    c = submit(title="Pungli di loket KTP kecamatan")
    decrypted = []
    real = crypto.decrypt_text
    monkeypatch.setattr(crypto, "decrypt_text", lambda v: decrypted.append(v) or real(v))
    found = selectors.similar(users[("operator", "a")], c)
    assert {o.pk for o, _score in found} == {o.pk for o in others}
    assert decrypted == []
    # What the page and the API show of them is there without another query.
    assert all(o.title and o.status and o.tracking_code for o, _score in found)


def test_the_inbox_and_its_api_list_decrypt_no_identity(users, submit, api_as, monkeypatch):
    from django.test import Client

    from amanah.core import crypto

    cases = [submit(name=f"Warga {i}", email=f"warga{i}@example.id") for i in range(3)]
    decrypted = []
    real = crypto.decrypt_text
    monkeypatch.setattr(crypto, "decrypt_text", lambda v: decrypted.append(v) or real(v))
    manager = users[("pengelola", "a")]
    client = Client()
    client.force_login(manager)
    html = client.get("/pengaduan/staf/").content.decode()
    assert all(f"AMN-{c.pk}<" in html for c in cases)
    items = api_as(manager).get("/api/v1/staff/complaints").json()["items"]
    assert len(items) == 3
    assert decrypted == []  # names, e-mails and phones no list shows
