"""Open311 GeoReport v2 at its edges: private rows never cached, ids and codes of any length, NUL
characters, dates at the ends of the calendar, HEAD and 405, the limit on ids at once, unreadable bodies
and the shape of date-times. Each answers in the specification's error format, never a server error."""

import datetime as dt
import re
from xml.etree import ElementTree

import pytest
from django.test import Client

from amanah.complaints import open311, open311_keys, services
from amanah.complaints.models import Complaint

from .served import served

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
#: A W3C date-time as the specification's examples write it: whole seconds and an offset.
W3C = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def quiet() -> Client:
    """A client that gets the 500 a real client would, instead of the exception."""
    return Client(raise_request_exception=False)


def spec_error(r, status: int) -> str:
    """The answer is the specification's error list with ``status``; its description."""
    assert r.status_code == status, (r.status_code, r.content[:200])
    if r["Content-Type"].startswith("text/xml"):
        root = ElementTree.fromstring(r.content)
        assert root.tag == "errors" and root.find("error/code").text == str(status)
        return root.find("error/description").text
    [error] = r.json()
    assert error["code"] == status
    return error["description"]


def filing(users, **over) -> dict:
    post = {
        "api_key": open311_keys.issue("cli", "uji")[1],
        "service_code": "kab-a-ktp",
        "lat": "-7.7",
        "long": "110.4",
        "description": "Loket tutup.",
    }
    post.update(over)
    return post


def published(submit, users):
    c = submit(publish=True)
    services.set_publication(users[("pengelola", "a")], c, approve=True)
    return c


# --- Cache-Control ----------------------------------------------------------------------------------


def test_a_private_row_is_never_cached_however_it_is_asked_for(org, users, submit):
    """The tracking code opens the place, the coordinates and the replies (as status_notes): through the
    list's ``service_request_id`` as through ``requests/{code}``, the answer is no-store; so are the code a
    POST answers and ``tokens/{code}``."""
    c = submit(incident_place="Jl. Kenanga 5 RT 02", latitude=-7.7, longitude=110.4)
    services.reply(c, text="Saya Siti, hubungi 081299990000.")
    for fmt in ("json", "xml"):
        for path, query in (
            (f"requests.{fmt}", {"service_request_id": c.tracking_code}),
            (f"requests/{c.tracking_code}.{fmt}", {}),
        ):
            r = Client().get(f"{BASE}/{path}", query)
            assert "Kenanga" in r.content.decode() and "081299990000" in r.content.decode()
            assert "no-store" in r["Cache-Control"], path
        assert "no-store" in Client().get(f"{BASE}/tokens/{c.tracking_code}.{fmt}")["Cache-Control"]
    r = Client().post(f"{BASE}/requests.json", filing(users))
    assert r.status_code == 201 and "no-store" in r["Cache-Control"]


def test_the_public_list_is_not_cached_the_catalogue_may_be(org, users, submit):
    """The public list shares its address with the private look-up and must drop a complaint whose
    publication is withdrawn; the services and discovery documents hold nothing private."""
    published(submit, users)
    assert "no-store" in Client().get(f"{BASE}/requests.json")["Cache-Control"]
    for path in ("discovery.json", "services.xml", "services/kab-a-ktp.json"):
        r = Client().get(f"{BASE}/{path}")
        assert r.status_code == 200 and "no-store" not in r.get("Cache-Control", ""), path


# --- Ids and codes of any length --------------------------------------------------------------------


@pytest.mark.parametrize("digits", [20, 4400])
@pytest.mark.parametrize("kind", ["requests", "tokens"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_public_id_no_row_can_have_is_not_found(org, digits, kind, fmt):
    """More digits than a 64-bit key (or than Python converts to a number at all) name nothing."""
    r = quiet().get(f"{BASE}/{kind}/AMN-{'9' * digits}.{fmt}")
    assert "not found" in spec_error(r, 404)


@pytest.mark.parametrize("digits", [20, 4400])
def test_the_list_skips_a_public_id_no_row_can_have(org, users, submit, digits):
    c = published(submit, users)
    r = quiet().get(
        f"{BASE}/requests.json", {"service_request_id": f"AMN-{'9' * digits},AMN-{c.pk}"}
    )
    assert r.status_code == 200
    assert [row["service_request_id"] for row in r.json()] == [f"AMN-{c.pk}"]


@pytest.mark.parametrize("code", ["9" * 61, "9" * 4400, "x" * 61])
def test_a_service_code_longer_than_any_is_a_400(org, users, code):
    r = quiet().post(f"{BASE}/requests.xml", filing(users, service_code=code))
    assert "at most 60 characters" in spec_error(r, 400)
    assert not Complaint.objects.exists()


def test_an_all_digit_service_code_that_fits_but_names_nothing_is_a_404(org, users):
    r = quiet().post(f"{BASE}/requests.json", filing(users, service_code="9" * 60))
    spec_error(r, 404)
    assert not Complaint.objects.exists()


def test_the_intake_page_survives_an_all_digit_service_of_thousands_of_digits(org):
    """The service look-up Open311 shares with the intake page converts no endless number: the form
    refuses the service instead of a server error."""
    r = quiet().post("/pengaduan/", {"service": "9" * 4400, "title": "Antre", "description": "x"})
    assert r.status_code == 400 and not Complaint.objects.exists()  # the form refuses it


# --- NUL characters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "over",
    [
        {"service_code": "kab-a-ktp\x00"},
        {"jurisdiction_id": "kab-a\x00"},
        {"address_string": "Jl. Magelang\x00"},
    ],
)
def test_a_nul_character_in_a_posted_field_is_a_400_before_any_lookup(org, users, over):
    """PostgreSQL text cannot hold NUL: it would fail the service or agency query with a server error."""
    r = quiet().post(f"{BASE}/requests.json", filing(users, **over))
    assert "NUL" in spec_error(r, 400)
    assert not Complaint.objects.exists()


# --- Dates at the ends of the calendar --------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"end_date": "0001-04-01T01:00:00+05:00"},  # 90 days before: year 0 in UTC
        {"start_date": "9999-10-02T20:00:00-05:00"},  # 90 days after: year 10000 in UTC
    ],
)
def test_a_one_sided_range_leaving_the_calendar_in_utc_is_a_400(org, query):
    r = quiet().get(f"{BASE}/requests.json", query)
    assert "between the years 1 and 9999" in spec_error(r, 400)


# --- HEAD and 405 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["requests.json", "requests.xml", "services.json", "discovery.xml", "services/kab-a-ktp.json"],
)
def test_head_answers_as_get_without_a_body(org, users, submit, path):
    published(submit, users)
    head, get = served("HEAD", f"{BASE}/{path}"), served("GET", f"{BASE}/{path}")
    assert head.status_code == get.status_code == 200 and get.content and head.content == b""
    for header in ("Content-Type", "Content-Length", "Cache-Control"):
        assert head.get(header) == get.get(header), header
    assert head["Content-Length"] == str(len(get.content))
    assert Client().head(f"{BASE}/{path}").status_code == 200


def test_head_of_a_wrong_tracking_code_counts_as_a_guess(org, settings):
    settings.COMPLAINT_TRACK_RATE = (2, 600)
    for _ in range(2):
        r = served("HEAD", f"{BASE}/requests.json?service_request_id=ZZZZ-ZZZZ-ZZZZ-ZZZZ")
        assert r.status_code == 200 and r.content == b""
    assert served("HEAD", f"{BASE}/requests.json?service_request_id=x").status_code == 429


@pytest.mark.parametrize(
    "method, path, allow",
    [
        ("put", "requests.json", "GET, HEAD, POST"),
        ("delete", "requests.xml", "GET, HEAD, POST"),
        ("post", "services.json", "GET, HEAD"),
        ("put", "requests/AMN-1.xml", "GET, HEAD"),
        ("delete", "tokens/AMN-1.json", "GET, HEAD"),
        ("patch", "discovery.json", "GET, HEAD"),
    ],
)
def test_a_refused_method_says_which_are_allowed(org, method, path, allow):
    r = getattr(Client(), method)(f"{BASE}/{path}")
    spec_error(r, 405)
    assert r["Allow"] == allow


# --- At most 50 ids at once -------------------------------------------------------------------------


def test_more_ids_than_the_limit_are_refused_not_cut(org, users, submit):
    c = published(submit, users)
    limit = open311.MAX_REQUEST_IDS
    ids = [f"AMN-{900000 + i}" for i in range(limit)]
    r = Client().get(
        f"{BASE}/requests.xml", {"service_request_id": ",".join([*ids, f"AMN-{c.pk}"])}
    )
    assert f"At most {limit}" in spec_error(r, 400)
    r = Client().get(
        f"{BASE}/requests.json", {"service_request_id": ",".join([*ids[1:], f"AMN-{c.pk}"])}
    )
    assert [row["service_request_id"] for row in r.json()] == [f"AMN-{c.pk}"]


# --- Unreadable bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",  # no boundary
        "application/x-www-form-urlencoded; charset=latin-1",  # forms are UTF-8
    ],
)
def test_an_unreadable_body_is_refused_in_the_specs_format(org, fmt, content_type):
    r = quiet().post(f"{BASE}/requests.{fmt}", data=b"garbage", content_type=content_type)
    assert r["Content-Type"].startswith(open311.FORMATS[fmt])
    assert "could not be read" in spec_error(r, 400)


# --- Date-times -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_every_date_time_has_the_specs_shape_in_the_agencys_zone(org, users, submit, fmt):
    """``2010-04-14T06:37:38-08:00``: whole seconds and an offset, the agency's (WIB here), the same in
    JSON and XML, private and public rows alike."""
    c = published(submit, users)
    for ident in (c.tracking_code, f"AMN-{c.pk}"):
        r = Client().get(f"{BASE}/requests/{ident}.{fmt}")
        if fmt == "json":
            row = r.json()[0]
        else:
            row = {e.tag: e.text for e in ElementTree.fromstring(r.content).find("request")}
        for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
            assert W3C.fullmatch(row[field]), (field, row[field])
            assert dt.datetime.fromisoformat(row[field]).utcoffset() == dt.timedelta(hours=7)
        requested = dt.datetime.fromisoformat(row["requested_datetime"])
        assert requested == c.received_at.replace(microsecond=0)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_case_waiting_for_completion_has_no_expected_date_time(users, submit, walk, clock, fmt):
    """The clock is stopped while the file waits for completion: no date by which the request will be
    fulfilled holds (not the stopped verification date, passed by now; not the complainant's completion
    deadline), so ``expected_datetime`` is empty; once completed, the new verification date is given."""
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "menunggu_kelengkapan")
    clock.set(dt.date(2026, 6, 20))  # past the stopped verification date, within the 30 days

    def expected():
        r = Client().get(f"{BASE}/requests/{c.tracking_code}.{fmt}")
        assert r.status_code == 200
        if fmt == "json":
            return r.json()[0]["expected_datetime"]
        return ElementTree.fromstring(r.content).find("request/expected_datetime").text

    assert expected() is None
    c = services.complete_for(users[("operator", "a")], c, note="Fotokopi KTP sudah diterima.")
    assert c.status == "diterima" and c.verification_due > dt.date(2026, 6, 20)
    assert expected().startswith(c.verification_due.isoformat())
