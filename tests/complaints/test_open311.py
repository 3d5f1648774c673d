"""Open311 GeoReport v2: field lists in JSON and XML, errors in the spec's format, privacy."""

import datetime as dt
import json
from xml.etree import ElementTree

import pytest
from django.test import Client

from amanah.complaints import open311_keys, services
from amanah.complaints.models import Complaint

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
BASE = "/open311/v2"


def xml(r):
    return ElementTree.fromstring(r.content)


def test_discovery_and_services_json_and_xml(client, org):
    d = client.get(f"{BASE}/discovery.json").json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(d)
    assert d["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery" and root.find("endpoints/endpoint/formats/format") is not None
    services_json = client.get(f"{BASE}/services.json").json()
    assert {s["service_code"] for s in services_json} == {"kab-a-ktp", "kab-b-ktp"}
    assert all(set(s) == SERVICE_FIELDS for s in services_json)
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    for node in root.findall("service"):
        assert {child.tag for child in node} == SERVICE_FIELDS
    assert client.get(f"{BASE}/services/kab-a-ktp.json").json() == {
        "service_code": "kab-a-ktp",
        "attributes": [],
    }
    r = client.get(f"{BASE}/services/tidak-ada.xml")
    assert (
        r.status_code == 404 and xml(r).tag == "errors" and xml(r).find("error/code").text == "404"
    )


def test_post_request_then_follow_it(client, org, users):
    key = open311_keys.issue("cli", "uji")[1]
    post = {
        "api_key": key,
        "service_code": "kab-a-ktp",
        "lat": "-7.716",
        "long": "110.355",
        "description": "Lampu loket mati, antrean gelap.",
        "first_name": "Rina",
        "email": "rina@example.id",
    }
    r = client.post(f"{BASE}/requests.json", post)
    assert r.status_code == 201, r.content
    [row] = r.json()
    c = Complaint.objects.get(tracking_code=row["service_request_id"])
    assert c.channel == "api" and c.name == "Rina" and float(c.latitude) == -7.716
    got = client.get(f"{BASE}/requests/{row['service_request_id']}.json").json()
    assert set(got[0]) == REQUEST_FIELDS and got[0]["status"] == "open"
    assert "Rina" not in json.dumps(got) and "rina@example.id" not in json.dumps(got)
    root = xml(client.get(f"{BASE}/requests/{row['service_request_id']}.xml"))
    assert (
        root.tag == "service_requests" and {c.tag for c in root.find("request")} == REQUEST_FIELDS
    )
    tok = client.get(f"{BASE}/tokens/{row['service_request_id']}.json").json()
    assert tok[0]["service_request_id"] == row["service_request_id"]


@pytest.mark.parametrize(
    "over, status",
    [
        ({"api_key": "salah"}, 403),
        ({"service_code": ""}, 400),
        ({"service_code": "tidak-ada"}, 404),
        ({"lat": "", "long": ""}, 400),
        ({"lat": "utara"}, 400),
        ({"description": "<script>x</script>"}, 400),
        ({"address_string": "Jl. " + "y" * 300, "lat": "", "long": ""}, 400),
        ({"jurisdiction_id": "tidak-ada"}, 404),
        ({"jurisdiction_id": "kab-b"}, 400),  # a service of another jurisdiction
        ({"media_url": "javascript:alert(1)"}, 400),
        ({"media_url": "https://foto.example/" + "a" * 500}, 400),
    ],
)
def test_post_errors_in_spec_format(client, org, users, over, status):
    post = {
        "api_key": open311_keys.issue("cli", "uji")[1],
        "service_code": "kab-a-ktp",
        "address_string": "Jl. Magelang KM 10",
        "lat": "",
        "long": "",
        "description": "Loket tutup.",
    }
    post.update(over)
    if over.get("lat") == "":
        post["address_string"] = ""
    r = client.post(f"{BASE}/requests.xml", post)
    assert r.status_code == status
    root = xml(r)
    assert root.tag == "errors" and root.find("error/code").text == str(status)
    assert root.find("error/description").text
    assert not Complaint.objects.exists()


def test_public_list_shows_only_published_without_identity(client, org, users, submit, walk):
    shown = submit(
        publish=True, title="Antrean panjang", description="Antrean KTP sampai jalan raya."
    )
    services.set_publication(users[("pengelola", "a")], shown, approve=True)
    hidden = submit(title="Rahasia", identity_mode="rahasia", description="Pungli di loket.")
    walk(shown, "selesai")
    rows = client.get(f"{BASE}/requests.json").json()
    assert [r["service_request_id"] for r in rows] == [f"AMN-{shown.pk}"]
    assert rows[0]["status"] == "closed" and set(rows[0]) == REQUEST_FIELDS
    text = json.dumps(rows)
    assert (
        "Siti" not in text and shown.tracking_code not in text and hidden.tracking_code not in text
    )
    assert client.get(f"{BASE}/requests.json", {"status": "open"}).json() == []
    assert client.get(f"{BASE}/requests.json", {"service_code": "kab-b-ktp"}).json() == []
    assert client.get(f"{BASE}/requests/AMN-{hidden.pk}.json").status_code == 404
    assert client.get(f"{BASE}/requests.json", {"status": "dibuang"}).status_code == 400
    assert client.get(f"{BASE}/requests.json", {"start_date": "kemarin"}).status_code == 400
    root = xml(client.get(f"{BASE}/requests.xml", {"service_request_id": f"AMN-{shown.pk}"}))
    assert [r.find("service_request_id").text for r in root.findall("request")] == [
        f"AMN-{shown.pk}"
    ]


def test_public_list_shows_only_what_staff_approved_not_replies_or_place(
    client, org, users, submit, walk
):
    """Staff approve a title and description for the public list. Replies and answers written later are
    addressed to and by the person (names, numbers): the public rows carry the status as their notes, and
    neither the place nor the coordinates. Looked up by its tracking code the same request says what the
    tracking page says."""
    c = submit(publish=True, incident_place="Jl. Kenanga 5 RT 02", latitude=-7.7, longitude=110.4)
    services.set_publication(users[("pengelola", "a")], c, approve=True)
    services.reply(c, text="Saya Siti, hubungi 081299990000.")
    for fmt in ("json", "xml"):
        for query in ({}, {"service_request_id": f"AMN-{c.pk}"}):
            body = client.get(f"{BASE}/requests.{fmt}", query).content.decode()
            assert f"AMN-{c.pk}" in body
            assert "081299990000" not in body and "Kenanga" not in body and "110.4" not in body
        body = client.get(f"{BASE}/requests/AMN-{c.pk}.{fmt}").content.decode()
        assert "081299990000" not in body and "Kenanga" not in body
    row = client.get(f"{BASE}/requests.json").json()[0]
    assert row["status_notes"] == c.get_status_display()
    assert row["address"] == "" and row["lat"] is None and row["long"] is None
    own = client.get(f"{BASE}/requests/{c.tracking_code}.json").json()[0]
    assert "081299990000" in own["status_notes"] and own["address"] == "Jl. Kenanga 5 RT 02"
    assert own["lat"] == -7.7


def test_open311_follows_the_specification_where_apps_rely_on_it(client, org, users):
    """Optional description, contact details kept without a name (for the updates the app asked for),
    phone numbers as apps write them, jurisdiction_id on every list, W3C date-times with an offset, GET
    only where the specification has no POST, and its error format for unknown addresses."""
    key = open311_keys.issue("cli", "uji")[1]
    r = client.post(
        f"{BASE}/requests.json",
        {"api_key": key, "service_code": "kab-a-ktp", "lat": "-7.7", "long": "110.4"},
    )
    assert r.status_code == 201, r.content
    photo_only = Complaint.objects.get()
    assert (
        photo_only.description == org["a"]["service"].name and photo_only.identity_mode == "anonim"
    )
    r = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "service_code": "kab-a-ktp",
            "address_string": "Jl. Magelang 5",
            "description": "Loket tutup.",
            "email": "warga@example.id",
            "phone": "(0274) 123.456",
        },
    )
    assert r.status_code == 201, r.content
    c = Complaint.objects.get(tracking_code=r.json()[0]["service_request_id"])
    assert (
        c.identity_mode == "rahasia" and c.email == "warga@example.id" and c.phone == "0274 123456"
    )
    row = client.get(f"{BASE}/requests/{c.tracking_code}.json").json()[0]
    assert dt.datetime.fromisoformat(row["expected_datetime"]).utcoffset() == dt.timedelta(hours=7)
    assert client.get(f"{BASE}/requests.json", {"jurisdiction_id": "kab-b"}).json() == []
    assert client.get(f"{BASE}/requests.json", {"jurisdiction_id": "x"}).status_code == 404
    assert client.delete(f"{BASE}/requests/{c.tracking_code}.json").status_code == 405
    for url, kind in ((f"{BASE}/tidak-ada.xml", "xml"), (f"{BASE}/services", "json")):
        r = client.get(url)
        assert r.status_code == 404
        if kind == "xml":
            assert xml(r).tag == "errors"
        else:
            assert r.json()[0]["code"] == 404
    discovery = client.get(f"{BASE}/discovery.json").json()
    url = discovery["endpoints"][0]["url"]
    assert not url.endswith("/")
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}/services.json").status_code == 200
    for date in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"):
        r = client.get(f"{BASE}/requests.json", {"start_date": date})
        assert r.status_code == 400 and r.json()[0]["code"] == 400


def test_date_ranges_span_at_most_90_days(client, org, users, submit, clock):
    import datetime as dt

    cases = {}
    for day in (dt.date(2026, 1, 5), dt.date(2026, 3, 10), dt.date(2026, 6, 1)):
        clock.set(day)
        c = submit(publish=True, title=f"Antrean {day}")
        services.set_publication(users[("pengelola", "a")], c, approve=True)
        cases[day] = f"AMN-{c.pk}"

    def listed(**query):
        r = client.get(f"{BASE}/requests.json", query)
        assert r.status_code == 200, r.content
        return {row["service_request_id"] for row in r.json()}

    # end_date alone: the 90 days before it, not everything since the beginning.
    assert listed(end_date="2026-06-02T00:00:00+07:00") == {
        cases[dt.date(2026, 3, 10)],
        cases[dt.date(2026, 6, 1)],
    }
    # start_date alone: the 90 days after it.
    assert listed(start_date="2026-01-01T00:00:00+07:00") == {
        cases[dt.date(2026, 1, 5)],
        cases[dt.date(2026, 3, 10)],
    }
    too_long = client.get(
        f"{BASE}/requests.json",
        {"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-06-30T00:00:00+07:00"},
    )
    assert too_long.status_code == 400 and "90 days" in too_long.json()[0]["description"]
    backwards = client.get(
        f"{BASE}/requests.json",
        {"start_date": "2026-06-30T00:00:00+07:00", "end_date": "2026-06-01T00:00:00+07:00"},
    )
    assert backwards.status_code == 400


def test_a_media_link_is_kept_for_the_handlers_and_the_filer_only(client, org, users):
    key = open311_keys.issue("cli", "uji")[1]
    link = "https://aplikasi.example/foto/12345.jpg"
    r = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "service_code": "kab-a-ktp",
            "address_string": "Loket 2",
            "description": "Antrean tidak bergerak.",
            "first_name": "Rina",
            "media_url": link,
        },
    )
    code = r.json()[0]["service_request_id"]
    c = Complaint.objects.get(tracking_code=code)
    assert c.media_url == link
    assert client.get(f"{BASE}/requests/{code}.json").json()[0]["media_url"] == link
    Complaint.objects.filter(pk=c.pk).update(publish_requested=True)  # as if the person opted in
    services.set_publication(
        users[("pengelola", "a")], Complaint.objects.get(pk=c.pk), approve=True
    )
    public = client.get(f"{BASE}/requests/AMN-{c.pk}.json")
    assert public.status_code == 200
    assert (
        public.json()[0]["media_url"] == ""
    )  # the public row carries no link (it may show a face)
    staff = Client()
    staff.force_login(users[("operator", "a")])
    page = staff.get(f"/pengaduan/staf/{code}/", follow=True).content.decode()
    assert f'href="{link}" rel="noopener noreferrer nofollow"' in page


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "9999-12-30T00:00:00+00:00"},
        {"end_date": "0001-01-02T00:00:00+00:00"},
    ],
)
def test_a_range_reaching_past_the_calendar_is_a_400(client, org, query):
    r = client.get(f"{BASE}/requests.json", query)
    assert r.status_code == 400 and "between the years 1 and 9999" in r.json()[0]["description"]


def test_one_lookup_cannot_try_more_codes_than_the_guesses_left(client, org, settings):
    from amanah.complaints import rules

    settings.COMPLAINT_TRACK_RATE = (5, 600)
    codes = ",".join(rules.new_tracking_code() for _ in range(6))
    r = client.get(f"{BASE}/requests.json", {"service_request_id": codes})
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    few = ",".join(rules.new_tracking_code() for _ in range(3))
    assert client.get(f"{BASE}/requests.json", {"service_request_id": few}).json() == []
    # Three guesses counted: two left, so three more are refused at once.
    assert client.get(f"{BASE}/requests.json", {"service_request_id": few}).status_code == 429
