"""The unsubscribe link of a forum asker's mails (``/forum/kabar/berhenti/<token>/``) is a secret: whoever
holds it erases the asker's address. It must not reach the application's log (amanah/core/logmask.py),
nor nginx's access log as docs/deploy.md configures it."""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from amanah.forum import services
from tests.core.test_deploy_doc_logs import _formats, _nginx

pytestmark = pytest.mark.django_db

ASKER = "warga.penanya@example.id"


def _ask(org):
    return services.submit_topic(
        agency=org["a"]["agency"],
        title="Syarat membuat KTP-el",
        body="Apa saja syarat membuat KTP-el untuk pertama kali?",
        email=ASKER,
    )


def _link(topic):
    token = services.contact_stop_token(topic)
    return token, reverse("forum:stop", args=[token])


def test_the_masking_hides_the_token_of_a_real_link(org):
    from amanah.core.logmask import mask

    token, path = _link(_ask(org))
    assert path.startswith("/forum/kabar/berhenti/")
    line = mask(f"Internal Server Error: {path}")
    assert token not in line
    assert line == "Internal Server Error: /forum/kabar/berhenti/***/"
    # the forum's other pages keep their paths
    assert mask("/forum/topik/12/") == "/forum/topik/12/"
    assert mask("/forum/kab-a/baru/") == "/forum/kab-a/baru/"


def test_a_server_error_on_the_stop_page_does_not_log_the_token(org, monkeypatch, caplog):
    token, path = _link(_ask(org))

    def broken(_token):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "topic_by_stop_token", broken)
    with caplog.at_level(logging.WARNING):
        r = Client(raise_request_exception=False).get(path)
    assert r.status_code == 500
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert "/forum/kabar/berhenti/***/" in logged, logged
    assert token not in logged, logged


def test_the_nginx_site_logs_the_stop_link_without_its_path():
    nginx = _nginx()
    formats = _formats(nginx)
    without_path = {name for name, fmt in formats.items() if "$uri" not in fmt}
    quiet = []
    for regex, body in re.findall(r"location ~ (\S+) \{(.*?)\n\s*\}", nginx, re.S):
        logged = re.search(r"access_log\s+(?:off|\S+\s+(\w+));", body)
        if logged and (logged.group(1) is None or logged.group(1) in without_path):
            quiet.append(re.compile(regex))
    path = "/forum/kabar/berhenti/MQ:1aBcDe:xYz-123_abc/"
    assert any(r.match(path) for r in quiet), path
    # the rest of the forum keeps its paths in the log
    assert not any(r.match("/forum/topik/12/") for r in quiet)
