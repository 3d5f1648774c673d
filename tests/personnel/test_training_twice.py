"""The same completed training recorded twice (a retried API request, the form sent again) is refused as
the import refuses the row (same ASN, activity and completion date), so its JP count once: 409
``training_exists`` on ``completed_on`` in the API, the form again with the error at the date on the page."""

import datetime as dt
from decimal import Decimal

from amanah.personnel.models import Training

from . import helpers

P = "/api/v1/personnel"
ALREADY = "sudah tercatat untuk pegawai ini pada tanggal yang sama"


def test_same_training_posted_twice_counts_once(people, api_as, org):
    hr = api_as(people["hr"])
    nip = org["a"]["staff"].nip
    day = helpers.today() - dt.timedelta(days=3)
    body = {"title": "Pelatihan Pelayanan Prima", "jp": 12, "completed_on": day.isoformat()}
    assert hr.post(f"{P}/employees/{nip}/trainings", body).status_code == 201
    r = hr.post(f"{P}/employees/{nip}/trainings", body | {"title": " Pelatihan Pelayanan Prima "})
    assert r.status_code == 409, r.status_code
    assert r.json()["error"] == "training_exists"
    assert ALREADY in r.json()["fields"]["completed_on"]
    total = hr.get(f"{P}/employees/{nip}/development", {"year": day.year}).json()["jp_total"]
    assert Decimal(total) == 12 and Training.objects.count() == 1
    # Another date, or another activity on the same date, is another training.
    other_day = body | {"completed_on": (day - dt.timedelta(days=1)).isoformat()}
    assert hr.post(f"{P}/employees/{nip}/trainings", other_day).status_code == 201
    other = body | {"title": "Pelatihan Anti Korupsi"}
    assert hr.post(f"{P}/employees/{nip}/trainings", other).status_code == 201
    # Another ASN may have done the same course that day.
    assert hr.post(f"{P}/employees/{org['a']['kabid'].nip}/trainings", body).status_code == 201


def test_a_catalogue_programme_recorded_twice_is_refused(people, api_as, org):
    hr = api_as(people["hr"])
    helpers.program("e-learning-integritas", jp=8)
    body = {"program": "e-learning-integritas", "completed_on": helpers.today().isoformat()}
    url = f"{P}/employees/{org['a']['staff'].nip}/trainings"
    assert hr.post(url, body).status_code == 201
    assert hr.post(url, body).status_code == 409
    assert Training.objects.count() == 1


def test_page_refuses_the_same_training_at_its_date_and_keeps_the_values(people, org, client):
    nip = org["a"]["staff"].nip
    day = (helpers.today() - dt.timedelta(days=2)).isoformat()
    data = {
        "title": "Kursus menulis surat dinas",
        "jp": "6",
        "category": "teknis",
        "method": "pelatihan",
        "completed_on": day,
    }
    client.force_login(people["hr"])
    assert client.post(f"/kepegawaian/pegawai/{nip}/pelatihan/", data).status_code == 302
    r = client.post(f"/kepegawaian/pegawai/{nip}/pelatihan/", data)
    assert r.status_code == 400
    page = r.content.decode()
    assert ALREADY in helpers.field_error(page, "id_completed_on")
    assert 'value="Kursus menulis surat dinas"' in page
    assert Training.objects.count() == 1
