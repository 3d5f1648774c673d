"""Open311 GeoReport v2 read against the specification (http://wiki.open311.org/GeoReport_v2): the
parameters it lets a client repeat or comma-separate, the body a POST is sent as, ``jurisdiction_id`` on the
single-request methods, and errors that name the parameters the client sent."""

import pytest
from django.test import Client

from amanah.complaints import open311_keys, services
from amanah.complaints.models import Complaint

from .test_open311_edges import spec_error

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def publish(submit, users, org, key):
    c = submit(publish=True, service=org[key]["service"])
    services.set_publication(users[("pengelola", key)], c, approve=True)
    return c


def ids(r) -> list[str]:
    assert r.status_code == 200, r.content[:300]
    return sorted(row["service_request_id"] for row in r.json())


# --- GET requests: repeated and comma-separated parameters -------------------------------------------


def test_service_code_and_status_may_be_repeated_as_well_as_comma_separated(org, users, submit):
    """The specification: service_code and status "can be declared multiple times, comma delimited".
    ``?service_code=a&service_code=b`` asks for both, not only the last one."""
    a, b = publish(submit, users, org, "a"), publish(submit, users, org, "b")
    both = sorted([f"AMN-{a.pk}", f"AMN-{b.pk}"])
    url = f"{BASE}/requests.json"
    assert ids(Client().get(url, {"service_code": "kab-a-ktp,kab-b-ktp"})) == both
    assert ids(Client().get(url, {"service_code": ["kab-a-ktp", "kab-b-ktp"]})) == both
    assert ids(Client().get(url, {"status": ["open", "closed"]})) == both
    assert ids(Client().get(url, {"status": "open,"})) == both  # an empty item is no status
    assert ids(Client().get(url, {"status": ["closed", "closed"]})) == []
    assert "status must be open, closed" in spec_error(
        Client().get(url, {"status": ["open", "pending"]}), 400
    )


# --- POST requests: the body is a form ---------------------------------------------------------------


def filing(**over) -> dict:
    post = {
        "api_key": open311_keys.issue("cli", "uji")[1],
        "service_code": "kab-a-ktp",
        "address_string": "Jl. Magelang 5",
        "description": "Loket tutup.",
    }
    post.update(over)
    return post


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", lambda post: __import__("json").dumps(post)),
        (
            "text/xml",
            lambda post: (
                "<request>" + "".join(f"<{k}>{v}</{k}>" for k, v in post.items()) + "</request>"
            ),
        ),
    ],
)
def test_a_body_that_is_not_a_form_is_named_as_such(org, fmt, content_type, body):
    """The specification's POST takes form parameters. A JSON or XML body carries its api_key where the
    form has none: the answer says to send a form (415), not that the key is missing (403)."""
    r = Client().post(f"{BASE}/requests.{fmt}", body(filing()), content_type=content_type)
    assert "application/x-www-form-urlencoded" in spec_error(r, 415)
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("multipart", [True, False])
def test_a_form_is_taken_urlencoded_or_multipart(org, multipart):
    from urllib.parse import urlencode

    if multipart:
        r = Client().post(f"{BASE}/requests.json", filing())
    else:
        r = Client().post(
            f"{BASE}/requests.json",
            urlencode(filing()),
            content_type="application/x-www-form-urlencoded; charset=utf-8",
        )
    assert r.status_code == 201, r.content


# --- POST requests: errors name the parameters sent --------------------------------------------------


@pytest.mark.parametrize(
    ("over", "named"),
    [
        ({"description": "<script>x</script> loket tutup"}, "description: "),
        ({"first_name": "<b>Budi</b>"}, "first_name/last_name: "),
        ({"address_string": "<i>Jl. Magelang</i>"}, "address_string: "),
    ],
)
def test_a_refused_value_is_named_by_its_open311_parameter(org, over, named):
    """The intake form's own field names (title, name, incident_place) mean nothing to an Open311 app."""
    r = Client().post(f"{BASE}/requests.json", filing(**over))
    assert spec_error(r, 400).startswith(named)
    assert not Complaint.objects.exists()


# --- jurisdiction_id on requests/{id} and tokens/{id} ------------------------------------------------


@pytest.mark.parametrize("kind", ["requests", "tokens"])
def test_a_single_request_is_looked_up_within_its_jurisdiction(org, users, submit, kind, settings):
    """``jurisdiction_id`` names the agency asked (as on services and the list): a request of another
    agency is not found there, an unknown jurisdiction is a 404 as the specification says."""
    mine = submit()
    public = publish(submit, users, org, "a")
    for ident in (mine.tracking_code, f"AMN-{public.pk}"):
        url = f"{BASE}/{kind}/{ident}.json"
        assert Client().get(url, {"jurisdiction_id": "kab-a"}).status_code == 200
        assert Client().get(url).status_code == 200
        assert "not found" in spec_error(Client().get(url, {"jurisdiction_id": "kab-b"}), 404)
        assert spec_error(Client().get(url, {"jurisdiction_id": "kab-x"}), 404) == (
            "Unknown jurisdiction_id."
        )


def test_a_code_asked_in_another_jurisdiction_counts_as_a_guess(org, submit, settings):
    """Otherwise a valid code would show itself by not using up the guesses an unknown one does."""
    settings.COMPLAINT_TRACK_RATE = (2, 600)
    c = submit()
    url = f"{BASE}/requests/{c.tracking_code}.json"
    for _ in range(2):
        spec_error(Client().get(url, {"jurisdiction_id": "kab-b"}), 404)
    r = Client().get(url, {"jurisdiction_id": "kab-a"})
    assert r.status_code == 429 and int(r["Retry-After"]) > 0


# --- updated_datetime of a closed request ------------------------------------------------------------


def test_a_closed_request_is_updated_when_it_was_closed(org, users, submit, walk, clock):
    """The specification: "For requests with status=closed, this will be the date the request was
    closed." A rating or a publication approved after the closure does not move it."""
    import datetime as dt

    clock.set(dt.date(2026, 3, 2))
    c = submit(publish=True)
    clock.set(dt.datetime(2026, 3, 20, 9, 15, 7, tzinfo=dt.UTC))
    c = walk(c, "selesai")
    assert c.status == "selesai" and c.closed_at is not None
    clock.set(dt.date(2026, 4, 6))
    services.set_publication(users[("pengelola", "a")], c, approve=True)
    c.refresh_from_db()
    assert c.updated_at > c.closed_at
    for ident in (c.tracking_code, f"AMN-{c.pk}"):
        [row] = Client().get(f"{BASE}/requests/{ident}.json").json()
        assert row["status"] == "closed"
        assert row["updated_datetime"] == "2026-03-20T16:15:07+07:00", ident
    [row] = Client().get(f"{BASE}/requests.json", {"start_date": "2026-03-01"}).json()
    assert row["updated_datetime"] == "2026-03-20T16:15:07+07:00"


# --- Content types -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("json", "application/json; charset=utf-8"), ("xml", "text/xml; charset=utf-8")],
)
def test_every_answer_has_the_specs_content_type(org, users, submit, fmt, content_type):
    """ "Format Support": JSON is ``application/json; charset=utf-8``, XML ``text/xml; charset=utf-8``,
    for answers and errors alike."""
    c = submit()
    public = publish(submit, users, org, "a")
    client = Client()
    answers = [
        client.get(f"{BASE}/discovery.{fmt}"),
        client.get(f"{BASE}/services.{fmt}"),
        client.get(f"{BASE}/services/kab-a-ktp.{fmt}"),
        client.get(f"{BASE}/requests.{fmt}"),
        client.get(f"{BASE}/requests/{c.tracking_code}.{fmt}"),
        client.get(f"{BASE}/requests/AMN-{public.pk}.{fmt}"),
        client.get(f"{BASE}/tokens/{c.tracking_code}.{fmt}"),
        client.post(f"{BASE}/requests.{fmt}", filing()),
        client.get(f"{BASE}/services/tidak-ada.{fmt}"),  # 404
        client.get(f"{BASE}/requests.{fmt}", {"status": "pending"}),  # 400
        client.post(f"{BASE}/requests.{fmt}", filing(api_key="o311_salah")),  # 403
        client.delete(f"{BASE}/requests.{fmt}"),  # 405
        client.get(f"{BASE}/tidak-ada.{fmt}"),  # 404 outside any method
    ]
    assert [r.status_code for r in answers] == [200] * 7 + [201, 404, 400, 403, 405, 404]
    assert {r["Content-Type"] for r in answers} == {content_type}


# --- Identity ---------------------------------------------------------------------------------------


def test_no_open311_answer_names_a_rahasia_or_anonim_complainant(org, users, submit):
    """Whatever asks (the tracking code, the list by id, the token, the POST's own answer), in either
    format: no name, e-mail or phone of a rahasia complainant, nor anything of an anonim one."""
    web = submit(identity_mode="rahasia")  # Siti Aminah, siti@example.id, 081234567890
    anonim = submit(identity_mode="anonim", name="Budi Santoso", email="budi@example.id")
    assert anonim.name == "" and anonim.email == ""
    posted = Client().post(
        f"{BASE}/requests.json", filing(email="warga@example.id", phone="0274 556677")
    )
    assert posted.status_code == 201
    app = Complaint.objects.get(tracking_code=posted.json()[0]["service_request_id"])
    assert app.identity_mode == "rahasia"
    secrets = [
        "Siti",
        "Aminah",
        "siti@example.id",
        "081234567890",
        "Budi",
        "budi@example.id",
        "warga@example.id",
        "556677",
        app.name,  # the placeholder name of an app's contact without a name
    ]
    codes = [web.tracking_code, anonim.tracking_code, app.tracking_code]
    bodies = [posted.content.decode()]
    for fmt in ("json", "xml"):
        bodies.append(
            Client().get(f"{BASE}/requests.{fmt}", {"service_request_id": ",".join(codes)}).content
        )
        for code in codes:
            bodies.append(Client().get(f"{BASE}/requests/{code}.{fmt}").content)
            bodies.append(Client().get(f"{BASE}/tokens/{code}.{fmt}").content)
    text = "\n".join(b if isinstance(b, str) else b.decode() for b in bodies)
    assert all(code in text for code in codes)
    assert [s for s in secrets if s in text] == []
