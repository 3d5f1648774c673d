"""The personnel pages offer only links their reader may open. A walkthrough of the demo found menu
links answering 403 (the auditor's `disiplin/`, `impor/` and `mutasi/`; the bupati's `impor/` and
`mutasi/`) and an employee page linking back to `pegawai/`, which a superior without a staff role or
an ASN on their own page may not open. Here every demo account follows every link on the personnel
pages it can open, from `/kepegawaian/` and from its own employee page, and none answers 403."""

import html
import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve

pytestmark = pytest.mark.django_db

PER_NAME = 4  # pages followed of each URL name (the first ones found), to keep the walk short
HREF = re.compile(r'<a\s[^>]*href="([^"]+)"')


@pytest.fixture
def demo():
    from amanah.core import demo as core_demo
    from amanah.personnel import demo

    ctx = core_demo.load_organisation()
    demo.load(ctx)
    return ctx


def _walk(user) -> dict[str, int]:
    """Every personnel link reached from the account's start pages, with the status it answers."""
    client = Client()
    client.force_login(user)
    start = ["/kepegawaian/"]
    if user.employee_id:
        start.append(f"/kepegawaian/pegawai/{user.employee.nip}/")
    seen: dict[str, int] = {}
    per_name: Counter = Counter()
    queue = deque((url, None) for url in start)
    refused = {}
    while queue:
        url, origin = queue.popleft()
        if url in seen:
            continue
        response = client.get(url, follow=True)
        seen[url] = response.status_code
        if response.status_code == 403 and origin is not None:
            refused[url] = origin
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        here = response.redirect_chain[-1][0] if response.redirect_chain else url
        for href in HREF.findall(response.content.decode()):
            target = html.unescape(href)
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/kepegawaian/"):
                continue
            if parts.path == urlsplit(here).path and not parts.query:
                continue
            name = resolve(parts.path).url_name
            if target in seen or per_name[name] >= PER_NAME:
                continue
            per_name[name] += 1
            queue.append((target, here))
    return seen, refused


def test_no_personnel_link_answers_403(demo):
    walked = {}
    for email, user in demo["users"].items():
        seen, refused = _walk(user)
        assert not refused, f"{email}: links answering 403 (link → page offering it): {refused}"
        walked[email] = seen
    # The walk reached the pages in question: the auditor reads the overview, the bupati the cases,
    # the superior without a staff role a subordinate's page, and HR the transfers and imports.
    assert walked["auditor@sleman.test"]["/kepegawaian/"] == 200
    assert any(u.startswith("/kepegawaian/staf/?") for u in walked["auditor@sleman.test"])
    assert any(u.startswith("/kepegawaian/disiplin/?") for u in walked["bupati@sleman.test"])
    assert sum(u.startswith("/kepegawaian/pegawai/") for u in walked["unit@dukcapil.test"]) > 1
    assert any(u.startswith("/kepegawaian/mutasi/?") for u in walked["bkpsdm@sleman.test"])
    assert any(u.startswith("/kepegawaian/impor/?") for u in walked["bkpsdm@sleman.test"])
