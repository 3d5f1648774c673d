"""A published period's public answers file is kept in the file storage under a name that carries the
file's layout version and the minimum group. When either changes, the next download builds a new file and
the period's older ones are deleted; the hourly sweep deletes every kept file no longer handed out (of
another version or minimum, of a period no longer published or deleted)."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client

from amanah.surveys import reports, services
from amanah.surveys.models import SurveyPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_period, add_answers, org, users, today):
    admin = users[("admin", None)]

    def make(key="a", back=0):
        p = make_period(
            unit=org[key]["bidang"],
            start=today - dt.timedelta(days=20 + back),
            end=today - dt.timedelta(days=1 + back),
        )
        add_answers(p, [[3] * 9] * 6, gender="L")
        services.close_period(admin, p)
        return services.publish_period(admin, p)

    return make


def _kept() -> set[str]:
    try:
        return set(default_storage.listdir(reports.ANSWERS_DIR)[1])
    except FileNotFoundError:
        return set()


def _download(p):
    r = Client().get(f"/skm/hasil/{p.pk}/jawaban.xlsx")
    assert r.status_code == 200
    b"".join(r.streaming_content)
    return reports.public_answers_name(p).rsplit("/", 1)[-1]


def test_a_new_file_replaces_the_periods_older_ones(published, settings, monkeypatch):
    p, other = published("a"), published("b")
    first, kept_other = _download(p), _download(other)
    assert _kept() == {first, kept_other}
    settings.SKM_MIN_GROUP = 3  # another minimum group: another file
    second = _download(p)
    assert second != first and _kept() == {second, kept_other}
    monkeypatch.setattr(reports, "PUBLIC_ANSWERS_VERSION", reports.PUBLIC_ANSWERS_VERSION + 1)
    third = _download(p)
    assert third not in (first, second)
    # the other period's file is left to the sweep (its own next download would replace it)
    assert _kept() == {third, kept_other}
    assert _download(p) == third and _kept() == {third, kept_other}


def test_the_sweep_deletes_every_file_no_longer_handed_out(published, users, monkeypatch):
    p, other, withdrawn = published("a"), published("b"), published("a", back=30)
    current = {_download(p), _download(other)}
    folder = reports.ANSWERS_DIR
    stale = {
        f"{p.pk}-0-v1-k5.xlsx",  # an older layout
        f"{p.pk}-0-v{reports.PUBLIC_ANSWERS_VERSION}-k3.xlsx",  # another minimum group
        f"{SurveyPeriod.objects.order_by('-pk').first().pk + 100}-0-v2-k5.xlsx",  # deleted period
        _download(withdrawn),  # a period no longer published (as by an administrator's hand)
    }
    SurveyPeriod.objects.filter(pk=withdrawn.pk).update(status="closed")
    for name in stale:
        if not default_storage.exists(f"{folder}/{name}"):
            default_storage.save(f"{folder}/{name}", ContentFile(b"old"))
    default_storage.save(f"{folder}/README.txt", ContentFile(b"not ours"))
    assert _kept() == current | stale | {"README.txt"}
    out = io.StringIO()
    call_command("skm_sweep", stdout=out)
    assert "deleted 4 stale answers file(s)" in out.getvalue()
    assert _kept() == current | {"README.txt"}
    assert reports.remove_stale_answers_files() == 0
    # a new layout: every kept file is stale
    monkeypatch.setattr(reports, "PUBLIC_ANSWERS_VERSION", reports.PUBLIC_ANSWERS_VERSION + 1)
    assert reports.remove_stale_answers_files() == 2
    assert _kept() == {"README.txt"}
