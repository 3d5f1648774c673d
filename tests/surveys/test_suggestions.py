"""The suggestions respondents write (saran dan masukan) are read by the unit's survey staff on the period's
staff page, newest first, a page at a time, marked as typed Indonesian text, and linked from where the
follow-up plan is written. They never appear to the public nor to roles that only read results."""

import datetime as dt
import html
import io
import re

import openpyxl
import pytest
from django.test import Client

from amanah.core.models import AuditEntry
from amanah.surveys import services, views
from amanah.surveys.models import Response

from .pdftext import pdf_text

pytestmark = pytest.mark.django_db

TEXT = "Antrean loket dua terlalu lama, tambah kursi tunggu"


def _staff(user):
    c = Client()
    c.force_login(user)
    return c


def _answer(period, suggestion):
    c = Client()
    c.get(f"/skm/s/{period.short_code}/")
    data = {f"u{i}": "2" for i in range(1, 10)}
    data["suggestion"] = suggestion
    assert c.post(f"/skm/s/{period.short_code}/", data).status_code == 302


def _shown(page: str) -> list[str]:
    """The suggestions on a staff page, in order."""
    section = page.split('id="saran"', 1)[1].split("</section>", 1)[0]
    return [html.unescape(t) for t in re.findall(r'<div lang="id">(.*?)</div>', section, re.S)]


def test_the_units_survey_staff_read_them_on_the_period_page(period, manager, users):
    _answer(period, TEXT)
    _answer(period, "")  # nothing to read
    url = f"/skm/staf/periode/{period.pk}/"
    for user in (manager, users[("operator", "a")]):
        page = _staff(user).get(url).content.decode()
        assert _shown(page) == [TEXT]
    # Roles that only read results, and the public, do not see them.
    for user in (users[("pimpinan", "a")], users[("auditor", "a")], users[("inspektorat", "a")]):
        r = _staff(user).get(url)
        assert r.status_code == 200 and TEXT not in r.content.decode()
    assert _staff(users[("unit", "b")]).get(url).status_code == 404


def test_newest_first_a_page_at_a_time(monkeypatch, period, add_answers, manager, today):
    monkeypatch.setattr(views, "SUGGESTIONS_PER_PAGE", 2)
    for k, day in enumerate((3, 1, 2)):
        add_answers(
            period,
            [[3] * 9],
            suggestion=f"saran ke-{k}",
            submitted_on=today - dt.timedelta(days=day),
        )
    add_answers(period, [[3] * 9], suggestion="saran <b>terakhir</b>", submitted_on=today)
    c = _staff(manager)
    url = f"/skm/staf/periode/{period.pk}/"
    first = c.get(url).content.decode()
    assert _shown(first) == ["saran <b>terakhir</b>", "saran ke-1"]
    assert "saran &lt;b&gt;terakhir&lt;/b&gt;" in first  # shown as text
    nxt = re.search(r'<a href="([^"]*)" rel="next">', first.split('id="saran"')[1]).group(1)
    assert html.unescape(nxt) == "?saran=2#saran"
    assert _shown(c.get(url, {"saran": 2}).content.decode()) == ["saran ke-2", "saran ke-0"]


def test_linked_from_where_the_plan_is_written(period, manager, users):
    _answer(period, TEXT)
    services.close_period(users[("admin", None)], period)
    page = _staff(manager).get(f"/skm/staf/periode/{period.pk}/").content.decode()
    form = page.split("Tambah rencana tindak lanjut", 1)[1]
    assert 'href="#saran"' in form.split("</form>", 1)[0]
    assert "Baca 1 saran responden" in form


def _sheets(r) -> dict:
    body = b"".join(r.streaming_content) if r.streaming else r.content
    wb = openpyxl.load_workbook(io.BytesIO(body))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb}


def test_in_the_staff_answers_file_for_the_survey_staff_only(
    period, add_answers, manager, users, today
):
    add_answers(period, [[3] * 9], suggestion="lama", submitted_on=today - dt.timedelta(days=2))
    add_answers(period, [[4] * 9], suggestion=TEXT, submitted_on=today, channel="kertas")
    add_answers(period, [[2] * 9])
    url = f"/skm/staf/periode/{period.pk}/jawaban.xlsx"
    r = _staff(manager).get(url)
    assert r.status_code == 200
    sheets = _sheets(r)
    assert sheets["Saran"] == [
        ("Tanggal", "Saluran", "Layanan", "Saran"),
        (dt.datetime.combine(today, dt.time()), "kertas", None, TEXT),
        (dt.datetime.combine(today - dt.timedelta(days=2), dt.time()), "web", None, "lama"),
    ]
    assert len(sheets["Jawaban"]) == 4  # every answer, with or without a suggestion
    export = AuditEntry.objects.filter(action="surveys.answers_exported").latest("seq")
    assert export.details["suggestions"] is True
    # A role that reads results gets the file without the suggestions.
    r = _staff(users[("auditor", "a")]).get(url)
    assert r.status_code == 200 and "Saran" not in _sheets(r)
    assert (
        AuditEntry.objects.filter(action="surveys.answers_exported")
        .latest("seq")
        .details["suggestions"]
        is False
    )
    page = _staff(manager).get(f"/skm/staf/periode/{period.pk}/").content.decode()
    assert url in page.split('id="saran"', 1)[1].split("</section>", 1)[0]


def _text(r) -> str:
    """What a public download says: a page or JSON as text, the cells of a spreadsheet, a PDF's text."""
    body = b"".join(r.streaming_content) if r.streaming else r.content
    if r["Content-Type"].startswith("application/pdf"):
        return pdf_text(body)
    if "spreadsheetml" in r["Content-Type"]:
        wb = openpyxl.load_workbook(io.BytesIO(body))
        return " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row)
    return body.decode()


def test_never_public(period, add_answers, users, api):
    add_answers(period, [[3] * 9] * 5, suggestion=TEXT)
    admin = users[("admin", None)]
    services.close_period(admin, period)
    services.publish_period(admin, period)
    c = Client()
    for url in (
        f"/skm/hasil/{period.pk}/",
        f"/skm/hasil/{period.pk}/jawaban.xlsx",
        f"/skm/hasil/{period.pk}/laporan.pdf",
        f"/skm/u/{period.unit.code}/hasil/",
        f"/api/v1/surveys/periods/{period.pk}/results",
        f"/api/v1/surveys/periods/{period.pk}/breakdowns",
    ):
        r = c.get(url)
        assert r.status_code == 200, url
        text = _text(r)
        assert "IKM" in text or "ikm" in text, url  # read, not empty
        assert "Antrean loket" not in text, url
    assert Response.objects.filter(suggestion=TEXT).count() == 5


# --- the API -------------------------------------------------------------------------------------------
def _suggestions_url(period):
    return f"/api/v1/surveys/periods/{period.pk}/suggestions"


def test_the_api_gives_them_to_the_units_survey_staff_a_page_at_a_time(
    period, add_answers, manager, users, api_as, org, today
):
    add_answers(period, [[3] * 9], suggestion="lama", submitted_on=today - dt.timedelta(days=2))
    add_answers(
        period,
        [[4] * 9],
        suggestion=TEXT,
        submitted_on=today,
        channel="kertas",
        service=org["a"]["service"],
    )
    add_answers(period, [[2] * 9] * 3)  # no suggestion
    add_answers(period, [[1] * 9], suggestion="tengah", submitted_on=today - dt.timedelta(days=1))
    for user in (manager, users[("pengelola", "a")], users[("operator", "a")]):
        r = api_as(user).get(_suggestions_url(period))
        assert r.status_code == 200, (user, r.content)
        data = r.json()
        assert data["count"] == 3 and data["count_more"] is False
        assert [i["suggestion"] for i in data["items"]] == [TEXT, "tengah", "lama"]
    first = data["items"][0]
    assert first == {
        "submitted_on": today.isoformat(),
        "channel": "kertas",
        "service": org["a"]["service"].code,
        "service_name": org["a"]["service"].name,
        "suggestion": TEXT,
    }
    # not tied to the answer: no id, no scores
    r = api_as(manager).get(_suggestions_url(period), {"limit": 1, "offset": 1})
    assert r.json() == {
        "count": 3,
        "count_more": False,
        "items": [
            {
                "submitted_on": (today - dt.timedelta(days=1)).isoformat(),
                "channel": "web",
                "service": None,
                "service_name": None,
                "suggestion": "tengah",
            }
        ],
    }


def test_every_page_read_through_the_api_is_audited(period, add_answers, manager, api_as):
    add_answers(period, [[3] * 9] * 3, suggestion=TEXT)
    client = api_as(manager)
    before = AuditEntry.objects.filter(action="surveys.suggestions_read").count()
    assert client.get(_suggestions_url(period), {"limit": 2, "offset": 1}).status_code == 200
    entries = AuditEntry.objects.filter(action="surveys.suggestions_read")
    assert entries.count() == before + 1
    entry = entries.latest("seq")
    assert entry.object_id == str(period.pk)
    assert entry.agency_id_ref == period.agency_id
    assert entry.details == {"offset": 1, "items": 2}
    assert entry.actor == f"user:{manager.pk}"


def test_the_api_refuses_everyone_else(period, add_answers, users, api_as, api, make_user, org):
    add_answers(period, [[3] * 9], suggestion=TEXT)
    url = _suggestions_url(period)
    # roles that only read results: they see the period, not the suggestions
    for role in ("pimpinan", "auditor", "inspektorat"):
        r = api_as(users[(role, "a")]).get(url)
        assert r.status_code == 403, role
        assert r.json()["error"] == "forbidden" and TEXT not in r.content.decode()
    # another agency, or another unit of the same agency: no such period
    other_unit = make_user("unit", org["a"]["agency"], org["a"]["insp"])
    others = (users[("unit", "b")], users[("pengelola", "b")], users[("operator", "b")], other_unit)
    for user in others:
        r = api_as(user).get(url)
        assert r.status_code == 404 and TEXT not in r.content.decode()
    assert api.get(url).status_code == 401
    assert not AuditEntry.objects.filter(action="surveys.suggestions_read").exists()


def test_the_api_operation_is_in_the_openapi_document(api):
    doc = api.get("/api/v1/openapi.json").json()
    op = doc["paths"]["/api/v1/surveys/periods/{id}/suggestions"]["get"]
    assert {"limit", "offset", "id"} <= {p["name"] for p in op["parameters"]}
    assert {"200", "401", "403", "404"} <= set(op["responses"])
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[
        1
    ]
    items = doc["components"]["schemas"][schema]["properties"]["items"]["items"]["$ref"]
    fields = doc["components"]["schemas"][items.rsplit("/", 1)[1]]["properties"]
    assert set(fields) == {"submitted_on", "channel", "service", "service_name", "suggestion"}
