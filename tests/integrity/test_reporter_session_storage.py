"""A reporter's session leaves no timed link to their report in the cache (a folder of files by default),
and the sweep removes the entries that have expired."""

import glob
import pickle
import time
import zlib

import pytest
from django.core.management import call_command

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


def _entries(folder) -> list:
    found = []
    for name in glob.glob(str(folder / "*.djcache")):
        with open(name, "rb") as f:
            expiry = pickle.load(f)
            found.append((name, expiry, pickle.loads(zlib.decompress(f.read()))))
    return found


def test_the_session_entry_does_not_name_the_report_and_still_opens_it(
    file_cache, make_case, client
):
    report = make_case()
    assert client.post("/integritas/tindak-lanjut/", {"receipt": report.receipt}).status_code == 302
    values = [value for _name, _expiry, value in _entries(file_cache)]
    assert values, "the session is in the cache"
    for value in values:
        assert value != report.pk and str(report.pk).encode() not in pickle.dumps(value)
    assert client.get("/integritas/kasus-saya/").status_code == 200


def test_a_session_entry_read_with_another_token_opens_nothing(file_cache, make_case):
    from django.core.cache import cache

    from amanah.integrity import services

    report = make_case()
    token, _report = services.open_session(report.receipt, "203.0.113.9")
    assert services.session_report(token) == report
    other = services.SESSION_PREFIX + "x" * 43
    cache.set(services._session_key(other), cache.get(services._session_key(token)))
    assert services.session_report(other) is None


def test_the_sweep_removes_expired_entries_and_keeps_live_ones(file_cache, settings, make_case):
    from amanah.integrity import services

    report = make_case()
    settings.INTEGRITY_SESSION_SECONDS = 1
    services.open_session(report.receipt, "203.0.113.9")
    settings.INTEGRITY_SESSION_SECONDS = 900
    live, _report = services.open_session(report.receipt, "203.0.113.9")
    before = len(_entries(file_cache))
    time.sleep(1.1)
    call_command("integrity_sweep")
    assert len(_entries(file_cache)) == before - 1
    assert services.session_report(live) == report


def test_the_sent_form_is_remembered_until_a_midnight_not_for_exactly_a_day(
    file_cache, report_data, client
):
    """The nonce that stops a second click filing the report twice expires at a midnight: an expiry
    24 hours after the report would give away when it was filed."""
    import datetime as dt

    from django.core.cache import caches

    from amanah.integrity import views

    filed = time.time()
    r = client.post("/integritas/lapor/", {**report_data(), "nonce": "sekali-kirim"})
    assert r.status_code == 200 and "tanda terima" in r.content.decode().lower()
    with open(caches["default"]._key_to_file(views._nonce_key("sekali-kirim")), "rb") as f:
        expiry = pickle.load(f)
    at = dt.datetime.fromtimestamp(expiry, dt.UTC)
    assert (at.hour, at.minute, at.second) == (0, 0, 0) and at.microsecond < 200_000
    assert (
        dt.timedelta(days=1)
        <= at - dt.datetime.fromtimestamp(filed, dt.UTC)
        <= dt.timedelta(days=2)
    )
    again = client.post("/integritas/lapor/", {**report_data(), "nonce": "sekali-kirim"})
    assert again.status_code == 409
