"""Tracking codes, Open311 ids and tokens never reach the application log (amanah/core/logmask.py)."""

import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_csrf_refusal_on_tracking_page_does_not_log_the_code(submit, caplog):
    c = submit()
    client = Client(enforce_csrf_checks=True)  # e.g. an expired CSRF cookie on a shared phone
    with caplog.at_level(logging.WARNING):
        r = client.post(f"/pengaduan/lacak/{c.tracking_code}/", {"action": "reply", "text": "halo"})
    assert r.status_code == 403
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert c.tracking_code not in logged, logged


def test_server_error_on_tracking_page_does_not_log_the_code(submit, caplog, monkeypatch):
    from amanah.complaints import selectors

    c = submit()
    monkeypatch.setattr(selectors, "by_code", lambda code: 1 / 0)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.WARNING):
        r = client.get(f"/pengaduan/lacak/{c.tracking_code}/")
    assert r.status_code == 500
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert c.tracking_code not in logged, logged


def test_django_security_children_and_server_lines_are_masked(caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("django.security.csrf").warning(
            "Forbidden (%s): %s",
            "CSRF cookie not set.",
            "/api/v1/complaints/ABCD-EFGH-JKMN-PQRS/replies",
        )
        logging.getLogger("django.server").critical(
            '"%s" %s %s', "GET /open311/v2/requests/ABCD-EFGH-JKMN-PQRS.json HTTP/1.1", "200", "12"
        )
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert "ABCD-EFGH-JKMN-PQRS" not in logged, logged
    assert "/api/v1/complaints/***/replies" in logged
    assert "/open311/v2/requests/***.json" in logged


@pytest.mark.parametrize(
    "text, expected",
    [
        ("/pengaduan/lacak/R04G-AAAA-BBBB-CCCC/", "/pengaduan/lacak/***/"),
        (
            "/pengaduan/lacak/r04gaaaabbbbcccc/tanda-terima.pdf",
            "/pengaduan/lacak/***/tanda-terima.pdf",
        ),
        ("/pengaduan/lacak/X/lampiran/3/", "/pengaduan/lacak/***/lampiran/3/"),
        ("/pengaduan/lacak/?code=R04G-AAAA", "/pengaduan/lacak/?code=***"),
        ("/pengaduan/lacak/lupa/", "/pengaduan/lacak/lupa/"),
        ("/pengaduan/staf/R04G-AAAA/", "/pengaduan/staf/***/"),
        ("/pengaduan/staf/baru/", "/pengaduan/staf/baru/"),
        ("/api/v1/complaints/R04G-AAAA", "/api/v1/complaints/***"),
        ("/api/v1/complaints/published?limit=5", "/api/v1/complaints/published?limit=5"),
        ("/open311/v2/tokens/R04G-AAAA.xml", "/open311/v2/tokens/***.xml"),
        (
            "/open311/v2/requests.json?service_request_id=A,B&x=1",
            "/open311/v2/requests.json?service_request_id=***&x=1",
        ),
        ("/open311/v2/services.json", "/open311/v2/services.json"),
    ],
)
def test_mask(text, expected):
    from amanah.core.logmask import mask

    assert mask(text) == expected


def test_gunicorn_error_log_is_masked(caplog):
    from gunicorn.config import Config

    from amanah.cli import GUNICORN_OPTIONS
    from amanah.core.logmask import GunicornLogger

    assert (
        GUNICORN_OPTIONS[GUNICORN_OPTIONS.index("--logger-class") + 1]
        == "amanah.core.logmask.GunicornLogger"
    )
    log = GunicornLogger(Config())
    log.error_log.propagate = True  # so that caplog sees it
    try:
        with caplog.at_level(logging.ERROR, logger="gunicorn.error"):
            log.exception("Error handling request %s", "/pengaduan/lacak/R04G-AAAA-BBBB-CCCC/")
    finally:
        log.error_log.propagate = False
    assert "/pengaduan/lacak/***/" in caplog.text
    assert "R04G-AAAA-BBBB-CCCC" not in caplog.text
