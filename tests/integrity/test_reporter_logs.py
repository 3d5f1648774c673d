"""A reporter's answer to a request to see their identity names the request (a row of their case) in its
address: no log line, whose time would say when they acted, keeps that address whole."""

import logging
import re
import textwrap
from pathlib import Path

import pytest
from django.test import Client

from amanah.integrity import services

pytestmark = pytest.mark.django_db

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


class _Kept(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def test_a_failed_answer_is_logged_without_the_request_id(examined, users, monkeypatch):
    insp = users[("inspektorat", "a")]
    request = services.request_disclosure(
        insp, examined.pk, "Keterangan pelapor diperlukan untuk pemeriksaan."
    )
    client = Client(raise_request_exception=False)
    assert (
        client.post("/integritas/tindak-lanjut/", {"receipt": examined.receipt}).status_code == 302
    )

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "answer_disclosure", broken)
    kept = _Kept()
    logger = logging.getLogger("django.request")
    logger.addHandler(kept)
    try:
        r = client.post(f"/integritas/kasus-saya/identitas/{request.pk}/setuju/")
    finally:
        logger.removeHandler(kept)
    assert r.status_code == 500
    logged = "\n".join(kept.lines)
    assert "/integritas/kasus-saya/identitas/" in logged
    assert str(request.pk) not in logged


def test_the_nginx_site_logs_the_reporters_api_calls_without_their_path():
    nginx = "\n".join(
        textwrap.dedent(b) for b in re.findall(r"```nginx\n(.*?)```", DEPLOY.read_text(), re.S)
    )
    formats = dict(re.findall(r"log_format\s+(\w+)\s+'([^']*)'", nginx))
    without_path = {name for name, fmt in formats.items() if "$uri" not in fmt}
    quiet = [
        re.compile(regex)
        for regex, body in re.findall(r"location ~ (\S+) \{(.*?)\n\s*\}", nginx, re.S)
        if (m := re.search(r"access_log\s+(?:off|\S+\s+(\w+));", body))
        and (m.group(1) is None or m.group(1) in without_path)
    ]
    path = "/api/v1/integrity/me/disclosures/8123456789012345/consent"
    assert any(r.match(path) for r in quiet)
