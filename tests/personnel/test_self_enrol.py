"""The ASN enrols themself in an open programme from the self-service page: national programmes and
their own agency's, active ones only; errors in Indonesian beside the field, the choice kept."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from amanah.core.models import AuditEntry
from amanah.personnel import services
from amanah.personnel.models import Training

from . import helpers

URL = "/kepegawaian/saya/"
POST = "/kepegawaian/saya/pendaftaran/"


def _program(code, agency=None, active=True):
    return helpers.program(code, agency, jp=16, competency_type="teknis", active=active)


def test_asn_enrols_in_an_open_programme(people, org, client):
    a, b = org["a"], org["b"]
    national = _program("nasional")
    own = _program("milik-a", agency=a["agency"])
    foreign = _program("milik-b", agency=b["agency"])
    closed = _program("ditutup", agency=a["agency"], active=False)
    client.force_login(people["asn"])
    html = client.get(URL).content.decode()
    assert '<label for="id_ikut-program">' in html
    assert national.title in html and own.title in html
    assert foreign.title not in html and closed.title not in html

    # Nothing chosen: the Indonesian error sits beside the field.
    r = client.post(POST, {"ikut-program": ""})
    assert r.status_code == 400
    assert (
        helpers.field_error(r.content.decode(), "id_ikut-program")
        == "Bidang ini tidak boleh kosong."
    )
    # Another agency's or a closed programme cannot be chosen.
    for p in (foreign, closed):
        r = client.post(POST, {"ikut-program": p.pk})
        assert r.status_code == 400 and "pilihan yang valid" in helpers.field_error(
            r.content.decode(), "id_ikut-program"
        )
    assert not Training.objects.exists()

    r = client.post(POST, {"ikut-program": own.pk})
    assert r.status_code == 302 and r["Location"] == URL
    t = Training.objects.get()
    assert (t.employee, t.program, t.status, t.jp) == (a["staff"], own, "terdaftar", 16)
    entry = AuditEntry.objects.get(action="personnel.training_enrolled")
    assert entry.object_id == str(t.pk) and entry.agency_id_ref == a["agency"].pk
    html = client.get(URL).content.decode()
    assert f"Anda terdaftar di {own.title}." in html and "sejak" in html
    assert '<strong id="jp-total">0,0</strong>' in html  # JP count once completed

    # Twice: the service's message beside the field, the choice kept.
    r = client.post(POST, {"ikut-program": own.pk})
    html = r.content.decode()
    assert r.status_code == 400
    assert helpers.field_error(html, "id_ikut-program") == "Pegawai sudah terdaftar di program ini."
    assert f'<option value="{own.pk}" selected>' in html
    assert Training.objects.count() == 1


def test_self_enrolment_is_only_for_oneself(people, org, client, make_user):
    program = _program("nasional")
    # An account without an ASN record has no self-service page to enrol from.
    client.force_login(people["hr"])
    assert client.post(POST, {"ikut-program": program.pk}).status_code == 404
    # A supervisor enrolling from their own page enrols themself, never their staff.
    client.force_login(people["kabid"])
    assert client.post(POST, {"ikut-program": program.pk}).status_code == 302
    assert [t.employee for t in Training.objects.all()] == [org["a"]["kabid"]]
    # The service lets the ASN enrol themself, but not a colleague.
    services.enrol(people["asn"], org["a"]["staff"], program)
    with pytest.raises(PermissionDenied):
        services.enrol(people["asn"], people["colleague_emp"], program)
    assert Training.objects.count() == 2


def test_self_service_page_ids_stay_unique_with_the_enrol_form(people, org, client):
    _program("nasional")
    client.force_login(people["asn"])
    html = client.get(URL).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for target in re.findall(r'<label for="([^"]+)"', html):
        assert target in ids, target
