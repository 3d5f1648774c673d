"""The audit chain: appended by services, tamper-evident, consecutive under concurrent writers."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from amanah.core import audit
from amanah.core.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]


def _db_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _amanah(*args) -> subprocess.CompletedProcess:
    """The real ``amanah`` command, run against the test database."""
    env = {**os.environ, "AMANAH_DATABASE_URL": _db_url()}
    return subprocess.run(
        [str(Path(sys.executable).parent / "amanah"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _chain(n=4):
    for i in range(n):
        audit.record("system", "test.step", None, {"i": i})


def _sql(statement, params=()):
    with connection.cursor() as cur:
        cur.execute(statement, params)


TABLE = AuditEntry._meta.db_table


@pytest.mark.django_db(transaction=True)
def test_verify_passes_on_an_intact_chain():
    _chain()
    result = _amanah("audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "4 entries" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_edited_entry_is_named():
    _chain()
    _sql(f"UPDATE {TABLE} SET action = %s WHERE seq = 3", ["test.forged"])
    result = _amanah("audit", "verify")
    assert result.returncode != 0
    assert "#3 was edited" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_deleted_entry_is_named():
    _chain()
    _sql(f"DELETE FROM {TABLE} WHERE seq = 2")
    result = _amanah("audit", "verify")
    assert result.returncode != 0
    assert "#2 is missing" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_reordered_entries_are_named():
    _chain()
    _sql(f"UPDATE {TABLE} SET seq = -2 WHERE seq = 2")
    _sql(f"UPDATE {TABLE} SET seq = 2 WHERE seq = 3")
    _sql(f"UPDATE {TABLE} SET seq = 3 WHERE seq = -2")
    result = _amanah("audit", "verify")
    assert result.returncode != 0
    assert "#2 does not follow" in result.stderr


@pytest.mark.django_db
def test_truncated_tail_is_detected():
    _chain()
    AuditEntry.objects.filter(seq=4).delete()
    result = audit.verify()
    assert not result.ok and "published head is #4" in result.message


@pytest.mark.django_db
def test_service_functions_write_entries(org, users):
    import datetime as dt

    from amanah.core.services import add_closure

    before = audit.head()["seq"]
    add_closure(users[("pengelola", "a")], org["a"]["agency"], dt.date(2026, 12, 3), "Rapat")
    entry = AuditEntry.objects.get(seq=before + 1)
    assert entry.action == "core.closure_added"
    assert entry.actor == f"user:{users[('pengelola', 'a')].pk}"
    assert entry.agency_id_ref == org["a"]["agency"].pk


@pytest.mark.django_db
def test_head_api_publishes_the_latest_entry(api):
    _chain(2)
    body = api.get("/api/v1/audit/head").json()
    last = AuditEntry.objects.order_by("-seq").first()
    assert body == {"seq": last.seq, "hash": last.hash}


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_consecutive_entries():
    """Eight threads, each with its own database connection, append at the same time."""
    writers, per_writer = 8, 15
    barrier = threading.Barrier(writers)
    errors = []

    def work(w):
        try:
            barrier.wait(timeout=30)
            for i in range(per_writer):
                audit.record("system", "test.concurrent", None, {"w": w, "i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, writers * per_writer + 1))
    assert audit.verify().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_from_separate_processes():
    """Four separate processes (real ``amanah manage shell`` runs) append to the chain at once."""
    code = "from amanah.core import audit\nfor i in range(20): audit.record('system', 'test.proc', None, {'i': i})"
    env = {**os.environ, "AMANAH_DATABASE_URL": _db_url()}
    procs = [
        subprocess.Popen(
            [str(Path(sys.executable).parent / "amanah"), "manage", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    assert AuditEntry.objects.count() == 80
    assert audit.verify().ok


@pytest.mark.django_db
def test_details_are_stored_as_hashed_plain_or_not():
    import datetime as dt
    import decimal

    plain = {"n": 1, "ok": True, "none": None, "f": 1.5, "s": "teks"}
    rich = {"on": dt.date(2026, 12, 1), "amount": decimal.Decimal("1.50"), "ids": [3, 1]}
    a = audit.record("system", "test.plain", None, plain)
    b = audit.record("system", "test.rich", None, rich)
    stored = {e.action: e for e in AuditEntry.objects.all()}
    assert stored["test.plain"].details == plain
    assert stored["test.rich"].details == {"on": "2026-12-01", "amount": "1.50", "ids": [3, 1]}
    for entry, mine in ((stored["test.plain"], a), (stored["test.rich"], b)):
        assert audit.compute_hash(entry) == entry.hash == mine.hash
    assert audit.verify().ok


@pytest.mark.django_db
def test_an_entry_made_at_a_local_time_verifies_after_the_database_gives_it_back_in_utc(
    monkeypatch,
):
    """A clock in WIB (tests, a server run with a local zone) must not break the chain: the hash is taken
    over the time in UTC, as PostgreSQL returns it."""
    import datetime as dt
    import zoneinfo

    from django.utils import timezone

    wib = dt.datetime(2026, 6, 1, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))
    monkeypatch.setattr(timezone, "now", lambda: wib)
    audit.record(None, "test.local_time", None, {"n": 1})
    entry = AuditEntry.objects.get(action="test.local_time")
    assert entry.created_at == wib  # the same instant
    assert audit.verify().ok


def _rewrite_from(seq: int) -> None:
    """Edit entry ``seq`` and recompute every hash from it on, the head's too: a rewrite of history that
    the chain alone cannot show."""
    from amanah.core.models import AuditHead

    prev = (
        AuditEntry.objects.get(chain=audit.MAIN_CHAIN, seq=seq - 1).hash
        if seq > 1
        else audit.GENESIS
    )
    for entry in AuditEntry.objects.filter(chain=audit.MAIN_CHAIN, seq__gte=seq).order_by("seq"):
        if entry.seq == seq:
            entry.details = {"i": "diubah"}
        entry.prev_hash = prev
        entry.hash = prev = audit.compute_hash(entry)
        entry.save()
    AuditHead.objects.filter(pk=audit.MAIN_CHAIN).update(hash=prev)


@pytest.mark.django_db(transaction=True)
def test_a_published_head_is_found_in_the_chain():
    _chain()
    published = audit.head()
    _chain(2)
    result = _amanah("audit", "verify", "--published", f"{published['seq']}:{published['hash']}")
    assert result.returncode == 0, result.stderr
    assert "published head(s) in the chain: #4" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_a_rewritten_history_passes_alone_but_not_against_a_published_head():
    _chain()
    published = audit.head()
    _rewrite_from(2)
    assert _amanah("audit", "verify").returncode == 0  # consistent in itself
    import json

    result = _amanah("audit", "verify", "--published", json.dumps(published))
    assert result.returncode != 0
    assert "entry #4 does not have the published hash" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_a_published_head_after_the_restored_chain_is_reported_as_lost():
    """A backup from before the head was published, restored: the chain is intact but shorter."""
    from amanah.core.models import AuditHead

    _chain()
    published = audit.head()
    AuditEntry.objects.filter(chain=audit.MAIN_CHAIN, seq__gte=3).delete()
    AuditHead.objects.filter(pk=audit.MAIN_CHAIN).update(
        seq=2, hash=AuditEntry.objects.get(chain=audit.MAIN_CHAIN, seq=2).hash
    )
    assert _amanah("audit", "verify").returncode == 0
    result = _amanah("audit", "verify", "--published", f"{published['seq']}:{published['hash']}")
    assert result.returncode != 0
    assert "the published head #4 is not in the chain, which ends at #2" in result.stderr
    bad = _amanah("audit", "verify", "--published", "vier")
    assert bad.returncode != 0 and "give SEQ:HASH" in bad.stderr
