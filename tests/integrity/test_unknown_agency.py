"""A report naming an agency that does not exist, or one no longer active on Amanah, is refused as the
public complaint intake refuses one: input that cannot be used (422 ``invalid_input`` naming the field in
the API, 400 on the page with the error summary and everything typed kept) — never 403, which would
say that the reporter lacked a right. Both cases get the same answer, byte for byte in the API, so it
does not tell a deactivated agency from a code that never existed."""

import pytest

from tests.error_summary import checked_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def refs(org):
    """Agency references that resolve to no active agency: a code and an id nobody has, B deactivated
    (by code and by id)."""
    b = org["b"]["agency"]
    b.is_active = False
    b.save()
    return ["tidak-ada", "999999", b.code, str(b.pk)]


@pytest.mark.parametrize("kind", ["", "gratifikasi_diri"])
def test_the_api_refuses_an_unknown_or_inactive_agency_alike(api, report_data, refs, kind):
    extra = {"kind": kind, "gift_received_on": "2026-10-01"} if kind else {}
    answers = set()
    for ref in refs:
        data = report_data(reported_agency=ref, reported_unit="", **extra)
        r = api.post("/api/v1/integrity/reports", data, multipart=True)
        assert r.status_code == 422, (ref, r.content)
        body = r.json()
        assert body["error"] == "invalid_input"
        assert body["fields"]["reported_agency"] == "Pilih instansi tempat orang itu bekerja."
        answers.add(r.content)
    assert len(answers) == 1


def test_the_page_refuses_an_unknown_or_inactive_agency_alike_and_keeps_the_text(
    client, report_data, refs
):
    from amanah.integrity.models import Report

    for ref in refs:
        data = report_data(reported_agency=ref, reported_unit="", nonce=f"n-{ref}")
        r = client.post("/integritas/lapor/", data)
        assert r.status_code == 400, ref
        page = r.content.decode()
        assert '<html lang="id"' in page
        assert "reported_agency" in " ".join(checked_summary(page))
        assert "Pilih instansi tempat orang itu bekerja." in page
        assert data["description"] in page  # nothing typed is lost
    assert not Report.objects.exists()
