"""A reporter's session and the sent form's nonce leave nothing that dates the reporter's activity: they
are rows that keep only a day, not cache entries (a file with its times and expiry by default, a Redis
key with its idle time), and the sweep removes them once their day is over."""

import datetime as dt
import glob
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from amanah.integrity import services
from amanah.integrity.models import ReporterSession, SentForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_cache(settings, tmp_path):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    yield tmp_path / "cache"
    caches["default"].clear()


def _cache_files(folder) -> dict:
    """Each cache file with its modification time."""
    return {name: os.stat(name).st_mtime for name in glob.glob(str(folder / "*.djcache"))}


def test_the_session_is_no_cache_entry_and_its_row_names_no_report_and_no_time(
    file_cache, make_case, client
):
    report = make_case()
    before = _cache_files(file_cache)
    assert client.post("/integritas/tindak-lanjut/", {"receipt": report.receipt}).status_code == 302
    assert client.get("/integritas/kasus-saya/").status_code == 200
    # Nothing written to the cache (whose entries carry the moment), not even touched.
    assert _cache_files(file_cache) == before
    (row,) = ReporterSession.objects.all()
    assert str(report.pk).encode() not in bytes(row.sealed)
    assert row.until == timezone.now().date() + dt.timedelta(days=1)
    fields = {f.name: f.get_internal_type() for f in ReporterSession._meta.get_fields()}
    assert "DateTimeField" not in fields.values()
    # The cache may be cleared (or the Redis restarted): the session stays open.
    from django.core.cache import cache

    cache.clear()
    assert client.get("/integritas/kasus-saya/").status_code == 200


def test_a_session_row_read_with_another_token_opens_nothing(make_case):
    report = make_case()
    token, _report = services.open_session(report.receipt, "203.0.113.9")
    assert services.session_report(token) == report
    other = services.SESSION_PREFIX + "x" * 43
    ReporterSession.objects.create(
        key=services._digest(other),
        sealed=ReporterSession.objects.get(key=services._digest(token)).sealed,
        until=timezone.now().date(),
    )
    assert services.session_report(other) is None


def test_the_sweep_removes_the_rows_whose_day_is_over_and_keeps_live_ones(make_case, client):
    report = make_case()
    live, _report = services.open_session(report.receipt, "203.0.113.9")
    ended, _report = services.open_session(report.receipt, "203.0.113.9")
    ReporterSession.objects.filter(key=services._digest(ended)).update(
        until=timezone.now().date() - dt.timedelta(days=1)
    )
    SentForm.objects.create(key="a" * 64, until=timezone.now().date() - dt.timedelta(days=1))
    SentForm.objects.create(key="b" * 64, until=timezone.now().date())
    call_command("integrity_sweep")
    assert list(ReporterSession.objects.values_list("key", flat=True)) == [services._digest(live)]
    assert list(SentForm.objects.values_list("key", flat=True)) == ["b" * 64]
    assert services.session_report(live) == report


def test_the_sent_form_is_remembered_with_a_day_and_no_cache_entry(file_cache, report_data, client):
    """The nonce that stops a second click filing the report twice: a cache entry written as the
    report is filed would carry that moment (its file's times, or its expiry)."""
    r = client.post("/integritas/lapor/", {**report_data(), "nonce": "sekali-kirim"})
    assert r.status_code == 200 and "tanda terima" in r.content.decode().lower()
    (row,) = SentForm.objects.all()
    assert row.until == timezone.now().date() + dt.timedelta(days=1)
    from django.core.cache import cache

    cache.clear()  # not what remembers it
    again = client.post("/integritas/lapor/", {**report_data(), "nonce": "sekali-kirim"})
    assert again.status_code == 409
