"""Many complaints filed at once over HTTP-level views: all succeed, codes are distinct, the audit
chain verifies. Runs on SQLite (WAL, IMMEDIATE transactions) and on PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from amanah.complaints.models import Complaint
from amanah.core import audit

N = 24


@pytest.mark.django_db(transaction=True)
def test_concurrent_intake(org, settings):
    settings.PUBLIC_FORM_RATE = (1000, 60)
    payload = {
        "service": "kab-a-ktp",
        "title": "Antrean",
        "description": "Antrean tidak bergerak.",
        "identity_mode": "anonim",
    }

    def post(i):
        try:
            r = Client().post(
                "/api/v1/complaints",
                dict(payload, title=f"Antrean {i}"),
                content_type="application/json",
            )
            return r.status_code, r.json().get("tracking_code")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(post, range(N)))
    assert [s for s, _c in results] == [201] * N, results
    codes = {c for _s, c in results}
    assert len(codes) == N and Complaint.objects.count() == N
    assert audit.verify().ok
