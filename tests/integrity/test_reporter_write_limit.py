"""The reporter's writes (replies and evidence, retaliation reports, answers to a disclosure request) are
limited per client (INTEGRITY_REPLY_RATE, one count for the pages and the API): each may carry files and
mails every handler. A refusal is 429: in the API ``throttled`` with Retry-After, on the page a specific
message with what was typed kept."""

import pytest

from amanah.integrity.models import Message

pytestmark = pytest.mark.django_db
BASE = "/api/v1/integrity"
REASON = "Pelapor adalah saksi kunci dan perlu dimintai keterangan resmi."
TEXT = "Saya dipindah ke kecamatan terpencil seminggu setelah melapor; ini rinciannya."


@pytest.fixture(autouse=True)
def limit(settings):
    settings.INTEGRITY_REPLY_RATE = (3, 600)


def _from_reporter(report) -> int:
    return Message.objects.filter(report=report, direction=Message.Direction.FROM_REPORTER).count()


def test_api_writes_are_throttled_before_anything_is_stored(make_case, reporter):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = make_case()
    me = reporter(report.receipt)
    assert me.post(f"{BASE}/me/messages", {"body": "satu"}).status_code == 201
    assert (
        me.post(f"{BASE}/me/retaliation", {"kind": "mutasi", "description": "dua"}).status_code
        == 201
    )
    f = SimpleUploadedFile("n.txt", b"catatan", content_type="text/plain")
    r = me.post(f"{BASE}/me/evidence", {"body": "tiga", "evidence": [f]}, multipart=True)
    assert r.status_code == 201
    stored = _from_reporter(report)
    f = SimpleUploadedFile("n.txt", b"catatan", content_type="text/plain")
    r = me.post(f"{BASE}/me/evidence", {"body": "empat", "evidence": [f]}, multipart=True)
    assert r.status_code == 429, r.content
    assert r.json()["error"] == "throttled" and r["Retry-After"].isdigit()
    assert me.post(f"{BASE}/me/messages", {"body": "lima"}).status_code == 429
    assert _from_reporter(report) == stored
    assert report.evidence.count() == 1
    assert me.get(f"{BASE}/me").status_code == 200  # reading the case is not a write


def test_page_reply_refused_keeps_the_text(make_case, client):
    report = make_case()
    assert client.post("/integritas/tindak-lanjut/", {"receipt": report.receipt}).status_code == 302
    for i in range(3):
        assert (
            client.post("/integritas/kasus-saya/balas/", {"body": f"pesan {i}"}).status_code == 302
        )
    r = client.post("/integritas/kasus-saya/balas/", {"body": TEXT})
    assert r.status_code == 429
    html = r.content.decode()
    assert "Terlalu banyak kiriman dari sambungan ini." in html
    assert TEXT in html
    r = client.post("/integritas/kasus-saya/pembalasan/", {"kind": "mutasi", "description": TEXT})
    assert r.status_code == 429 and TEXT in r.content.decode()
    assert _from_reporter(report) == 3


def test_page_and_api_share_the_count(make_case, client, reporter):
    report = make_case()
    me = reporter(report.receipt)
    for i in range(3):
        assert me.post(f"{BASE}/me/messages", {"body": f"pesan {i}"}).status_code == 201
    client.post("/integritas/tindak-lanjut/", {"receipt": report.receipt})
    assert client.post("/integritas/kasus-saya/balas/", {"body": TEXT}).status_code == 429


def test_disclosure_answer_is_throttled(make_case, users, client, settings):
    from amanah.integrity import services

    report = make_case()
    req = services.request_disclosure(users[("inspektorat", "a")], report.pk, REASON)
    client.post("/integritas/tindak-lanjut/", {"receipt": report.receipt})
    for i in range(3):
        client.post("/integritas/kasus-saya/balas/", {"body": f"pesan {i}"})
    r = client.post(f"/integritas/kasus-saya/identitas/{req.pk}/setuju/")
    assert r.status_code == 429
    assert "Tunggu beberapa menit lalu jawab lagi." in r.content.decode()
    req.refresh_from_db()
    assert req.consent != "setuju"
