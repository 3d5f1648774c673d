"""Input at the edges: wrong JSON types, dates at the limits of the range, yes/no answers, control
characters, impossible dates and numbers in Open311, time zones around midnight, the workflow's corner
cases (duplicates of duplicates, a file completed too late, a reply to an answer), inactive agencies and
units, and bodies Django refuses to read. None may give a server error, and none may be misread."""

import datetime as dt
import zoneinfo
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amanah.complaints import open311_keys, rules, services
from amanah.complaints.models import Complaint

from .conftest import BASE

pytestmark = pytest.mark.django_db
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")
STAFF = {
    "channel": "telepon",
    "service": "kab-a-ktp",
    "title": "Telepon",
    "description": "Isi pengaduan lewat telepon.",
    "identity_mode": "anonim",
}


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.PUBLIC_FORM_RATE = (10000, 600)


def _quiet(client):
    client.client.raise_request_exception = False
    return client


@pytest.mark.parametrize("value", [20260101, True, 1.5])
def test_a_number_or_boolean_as_incident_date_is_a_field_error(api, org, value):
    r = _quiet(api).post("/api/v1/complaints", dict(BASE, service="kab-a-ktp", incident_date=value))
    assert r.status_code == 422 and "incident_date" in r.json()["fields"]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("value", [1767225600, 1.5, True])
def test_a_number_as_received_at_is_a_field_error(api_as, users, org, value):
    client = _quiet(api_as(users[("operator", "a")]))
    r = client.post("/api/v1/staff/complaints", dict(STAFF, received_at=value))
    assert r.status_code == 422 and "received_at" in r.json()["fields"]


def test_a_received_time_before_the_calendar_is_refused_not_a_server_error(api_as, users, org):
    client = _quiet(api_as(users[("operator", "a")]))
    for value in ("0001-01-01T00:00:00+14:00", "1900-01-01T00:00:00+07:00"):
        r = client.post("/api/v1/staff/complaints", dict(STAFF, received_at=value))
        assert r.status_code == 422 and r.json()["error"] == "too_old", value
    page = Client(raise_request_exception=False)
    page.force_login(users[("operator", "a")])
    r = page.post(
        "/pengaduan/staf/baru/",
        dict(
            BASE, service="kab-a-ktp", agency="", channel="telepon", received_at="0001-01-01T00:00"
        ),
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "terlalu lama" in html and BASE["description"] in html  # what was typed is kept
    with pytest.raises(services.ComplaintError) as caught:
        services.submit(
            users[("operator", "a")],
            {**BASE, "service": org["a"]["service"]},
            channel="telepon",
            received_at=dt.datetime(1989, 12, 31, tzinfo=WIT),
        )
    assert caught.value.code == "too_old"
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("no", False), ("0", False), ("off", False), ("tidak", False), ("false", False), (0, False)]
    + [(False, False), ("", False), ("ya", True), ("1", True), ("on", True), (True, True)],
)
def test_publication_consent_reads_yes_and_no_as_they_are_meant(api, org, value, expected):
    """A privacy consent: "no" or "0" must never opt the person in."""
    r = api.post("/api/v1/complaints", dict(BASE, service="kab-a-ktp", publish=value))
    assert r.status_code == 201, r.content
    assert Complaint.objects.get().publish_requested is expected


@pytest.mark.parametrize("value", ["mungkin", "2", "yes please"])
def test_an_unclear_publication_answer_is_a_field_error(api, org, value):
    for multipart in (False, True):
        r = api.post(
            "/api/v1/complaints",
            dict(BASE, service="kab-a-ktp", publish=value),
            multipart=multipart,
        )
        assert r.status_code == 422 and "publish" in r.json()["fields"]
    assert not Complaint.objects.exists()


def test_the_pages_checkbox_still_opts_in(org):
    r = Client().post("/pengaduan/", dict(BASE, service="kab-a-ktp", agency="", publish="on"))
    assert r.status_code == 302 and Complaint.objects.get().publish_requested


def test_open311_refuses_impossible_numbers_and_dates_in_its_own_format(org, users):
    client = Client(raise_request_exception=False)
    key = open311_keys.issue("cli", "uji")[1]
    for lat in ("NaN", "Infinity", "-inf"):
        r = client.post(
            "/open311/v2/requests.xml",
            {"api_key": key, "service_code": "kab-a-ktp", "lat": lat, "long": "110"},
        )
        assert r.status_code == 400 and ElementTree.fromstring(r.content).tag == "errors", lat
    for date in ("2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z"):
        r = client.get("/open311/v2/requests.xml", {"start_date": date})
        assert r.status_code == 400 and ElementTree.fromstring(r.content).tag == "errors", date
    r = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "kab-a-ktp",
            "address_string": "Jl. " + "y" * 300,
            "description": "Loket tutup.",
        },
    )
    assert r.status_code == 400 and "address_string" in r.json()[0]["description"]
    assert not Complaint.objects.exists()


def test_control_characters_are_refused_and_never_reach_open311_xml(api, org, submit):
    r = api.post(
        "/api/v1/complaints", dict(BASE, service="kab-a-ktp", description="Loket\x0btutup\x01")
    )
    assert r.status_code == 422 and "description" in r.json()["fields"]
    assert "kendali" in r.json()["fields"]["description"]
    ok = api.post(
        "/api/v1/complaints", dict(BASE, service="kab-a-ktp", description="Baris satu\n\tdua\r\n")
    )
    assert ok.status_code == 201  # tabs and line breaks are text
    # a text stored before the rule (written here behind the service's back) still gives valid XML
    c = Complaint.objects.get()
    Complaint.objects.filter(pk=c.pk).update(description="Lama\x1bteks")
    xml = Client().get(f"/open311/v2/requests/{c.tracking_code}.xml").content
    assert ElementTree.fromstring(xml).find("request/description").text == "Lamateks"


def test_todays_incident_in_an_eastern_agency_is_not_in_the_future(api, org, clock):
    org["a"]["agency"].time_zone = "Asia/Jayapura"
    org["a"]["agency"].save()
    clock.set(dt.datetime(2026, 6, 11, 1, 30, tzinfo=WIT))  # still 10 June in Jakarta
    r = api.post("/api/v1/complaints", dict(BASE, service="kab-a-ktp", incident_date="2026-06-11"))
    assert r.status_code == 201, r.content
    r = api.post("/api/v1/complaints", dict(BASE, service="kab-a-ktp", incident_date="2026-06-12"))
    assert r.status_code == 422 and "incident_date" in r.json()["fields"]


def test_the_staff_list_says_overdue_in_the_agencys_time_zone(api_as, org, users, submit, clock):
    org["a"]["agency"].time_zone = "Asia/Jayapura"
    org["a"]["agency"].save()
    clock.set(dt.date(2026, 6, 1))
    c = submit()
    Complaint.objects.filter(pk=c.pk).update(verification_due=dt.date(2026, 6, 3))
    clock.set(dt.datetime(2026, 6, 4, 0, 30, tzinfo=WIT))  # 3 June in Jakarta, 4 June in Jayapura
    client = api_as(users[("pengelola", "a")])
    items = client.get("/api/v1/staff/complaints", {"overdue": "true"}).json()["items"]
    assert [i["tracking_code"] for i in items] == [c.tracking_code] and items[0]["is_overdue"]
    page = Client()
    page.force_login(users[("pengelola", "a")])
    assert "(terlambat)" in page.get("/pengaduan/staf/").content.decode()


def test_an_answered_case_is_confirmed_or_disputed_not_replied_to(clock, submit, walk):
    clock.set(dt.date(2026, 6, 1))
    c = walk(submit(), "dijawab")
    assert "reply" not in [a for a, t in rules.TRANSITIONS.items() if c.status in t.sources]
    with pytest.raises(rules.TransitionError):
        services.reply(c, text="Belum, di loket 3 KTP saya tidak ada.")
    services.dispute(c, reason="Belum, di loket 3 KTP saya tidak ada.")
    c.refresh_from_db()
    assert c.status == "diproses"


def test_completing_a_file_after_its_deadline_withdraws_it_even_before_the_sweep(
    clock, submit, users
):
    clock.set(dt.date(2026, 6, 1))
    c, other = submit(), submit()
    for case in (c, other):
        services.request_completion(users[("operator", "a")], case, message="Lampirkan nomor.")
    clock.set(dt.date(2026, 7, 15))
    for complete in (
        lambda: services.reply(c, text="Ini nomornya 123"),
        lambda: services.complete_for(users[("operator", "a")], other, note="Lewat telepon."),
    ):
        with pytest.raises(services.ComplaintError) as caught:
            complete()
        assert caught.value.code == "completion_lapsed"
    for case in (c, other):
        case.refresh_from_db()
        assert case.status == "dicabut" and case.close_reason == "tidak_dilengkapi"


def test_completing_on_the_last_day_still_resumes(clock, submit, users):
    clock.set(dt.date(2026, 6, 1))
    c = submit()
    services.request_completion(users[("operator", "a")], c, message="Lampirkan nomor antrean.")
    c.refresh_from_db()
    clock.set(c.completion_due)
    services.reply(c, text="Ini nomornya 123")
    c.refresh_from_db()
    assert c.status == "diterima"


def test_a_duplicate_is_linked_to_the_original_not_to_another_duplicate(submit, users):
    operator = users[("operator", "a")]
    original, first, second = submit(title="asli"), submit(title="dua"), submit(title="tiga")
    services.reject(operator, first, reason="duplikat", duplicate_of=original)
    with pytest.raises(services.ComplaintError) as caught:
        services.reject(operator, original, reason="duplikat", duplicate_of=first)  # a cycle
    assert caught.value.code == "duplicate_of_duplicate"
    # The original by its number: its tracking code is its complainant's key.
    assert f"AMN-{original.pk}." in str(caught.value.text)
    assert original.tracking_code not in str(caught.value.text)
    with pytest.raises(services.ComplaintError):
        services.reject(operator, second, reason="duplikat", duplicate_of=first)
    services.reject(operator, second, reason="duplikat", duplicate_of=original)
    original.refresh_from_db()
    assert original.status == "diterima"


def test_inactive_agencies_and_units_take_no_complaints(api, api_as, submit, users, org):
    c = submit()
    org["b"]["agency"].is_active = False
    org["b"]["agency"].save()
    r = api.post("/api/v1/complaints", dict(BASE, service="kab-b-ktp"))
    assert r.status_code == 422 and "service" in r.json()["fields"]
    manager = api_as(users[("pengelola", "a")])
    r = manager.post(f"/api/v1/staff/complaints/{c.tracking_code}/transfer", {"agency": "kab-b"})
    assert r.status_code == 422 and r.json()["error"] == "inactive_agency"
    org["a"]["dinas"].is_active = False
    org["a"]["dinas"].save()
    r = manager.post(
        f"/api/v1/staff/complaints/{c.tracking_code}/verify", {"unit": "kab-a-dukcapil"}
    )
    assert r.status_code == 422
    org["a"]["bidang"].is_active = False
    org["a"]["bidang"].save()
    r = api.post("/api/v1/complaints", dict(BASE, service="kab-a-ktp"))  # its unit is inactive
    assert r.status_code == 422 and "service" in r.json()["fields"]
    assert Complaint.objects.count() == 1


def _files(n):
    return [SimpleUploadedFile(f"c{i}.txt", b"catatan %d" % i, "text/plain") for i in range(n)]


def test_a_body_with_more_files_than_django_reads_gets_a_specific_answer(api, org, settings):
    r = _quiet(api).post(
        "/api/v1/complaints", dict(BASE, service="kab-a-ktp", evidence=_files(101)), multipart=True
    )
    assert r.status_code == 422 and r["Content-Type"].startswith("application/json")
    assert r.json()["error"] == "too_many_files"
    r = Client(raise_request_exception=False).post(
        "/pengaduan/", dict(BASE, service="kab-a-ktp", agency="", evidence=_files(101))
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert (
        f"paling banyak {settings.UPLOAD_MAX_FILES} berkas" in html and '<html lang="id">' in html
    )
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    "query",
    [{"sampai": "9999-12-31"}, {"dari": "0001-01-01"}, {"layanan": "99999999999999999999"}],
)
def test_the_inbox_and_its_export_take_dates_and_ids_at_the_ends_of_the_range(users, submit, query):
    """A date at the end of the calendar overflowed the day after, or the shift to UTC; a service id
    longer than any database id overflowed SQLite: the page names the calendar's years at the field and
    lists as if the date had not been typed, the export answers, nothing is a server error."""
    c = submit()
    client = Client(raise_request_exception=False)
    client.force_login(users[("pengelola", "a")])
    page = client.get("/pengaduan/staf/", query)
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    if "layanan" in query:
        assert f"AMN-{c.pk}<" not in html  # no service has that code or id
    else:
        assert "Tanggal harus antara tahun 1990 dan 2100" in html and f"AMN-{c.pk}<" in html
    assert client.get("/pengaduan/staf/ekspor.csv", query).status_code == 200


@pytest.mark.parametrize("name", ["date_from", "date_to"])
def test_the_staff_list_refuses_a_date_outside_the_calendar(api_as, users, name):
    r = api_as(users[("operator", "a")]).get(
        "/api/v1/staff/complaints", {name: "9999-12-31" if name == "date_to" else "0001-01-01"}
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_date"
    assert name in r.json()["fields"]


def test_the_file_limit_is_counted_in_the_readers_language(org, settings):
    """With a limit of one file the English refusal says "file", not "files"."""
    from tests.i18n import client_in

    settings.UPLOAD_MAX_FILES = 1
    client = client_in("en")
    client.raise_request_exception = False
    r = client.post(
        "/api/v1/complaints",
        dict(BASE, service="kab-a-ktp", evidence=_files(101)),
        headers={"accept-language": "en"},
    )
    assert r.status_code == 422
    assert r.json()["fields"]["evidence"] == "At most 1 evidence file."
    settings.UPLOAD_MAX_FILES = 5
    r = client.post("/api/v1/complaints", dict(BASE, service="kab-a-ktp", evidence=_files(101)))
    assert r.json()["fields"]["evidence"] == "At most 5 evidence files."


def test_the_page_refusing_too_many_files_counts_them_in_the_readers_language(org, settings):
    from tests.i18n import client_in

    settings.UPLOAD_MAX_FILES = 1
    client = client_in("en")
    client.raise_request_exception = False
    r = client.post("/pengaduan/", dict(BASE, service="kab-a-ktp", agency="", evidence=_files(101)))
    assert r.status_code == 400
    assert "(at most 1 evidence file)" in r.content.decode()
