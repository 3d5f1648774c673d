"""A change of ``AMANAH_HASH_KEY`` never opens a case to a person it excludes.

Exclusions (the reported person, their superiors, a declared conflict) are stored as keyed hashes, so that
the database does not say in clear who was reported. A new key gives new hashes: the retired key stays in
``AMANAH_OLD_HASH_KEYS`` and is matched as well, ``amanah keys rehash`` moves the exclusions to the new key,
and an exclusion under a key that is configured nowhere hides its case from everyone (fail closed)."""

import logging

import pytest
from django.core.management import call_command
from django.http import Http404

pytestmark = pytest.mark.django_db

NEW_KEY = "kunci-hash-baru-" + "n" * 32


@pytest.fixture
def case(org, make_case, make_user, users):
    """A report about agency A's staff member, and two inspectors of agency A: the staff member's head of
    service (a superior, excluded) and an ordinary one."""
    o = org["a"]
    superior = make_user("inspektorat", o["agency"], employee=o["kadis"])
    report = make_case()
    return report, superior, users[("inspektorat", "a")]


def _sees(user, report) -> bool:
    from amanah.integrity import selectors, services

    listed = report.pk in set(selectors.visible_cases(user).values_list("pk", flat=True))
    try:
        services.case_for(user, report.pk)
        opened = True
    except Http404:
        opened = False
    assert listed == opened, (listed, opened)
    return listed


def _change_key(settings, *old):
    settings.HASH_KEY = NEW_KEY
    settings.OLD_HASH_KEYS = list(old)


def test_the_excluded_superior_still_cannot_see_the_case_after_a_key_change(case, settings):
    report, superior, inspector = case
    assert not _sees(superior, report) and _sees(inspector, report)
    _change_key(settings, settings.HASH_KEY)
    assert not _sees(superior, report)
    assert _sees(inspector, report)


def test_a_declared_conflict_survives_a_key_change(case, settings):
    from amanah.integrity import services

    report, _superior, inspector = case
    services.declare_conflict(inspector, report.pk)
    assert not _sees(inspector, report)
    _change_key(settings, settings.HASH_KEY)
    assert not _sees(inspector, report)


def test_a_key_changed_without_keeping_the_old_one_hides_the_case_from_everyone(
    case, settings, caplog, api_as
):
    """The operator's mistake the review found: the hash key changed (or followed a rotated secret
    key) and nothing knows the old one. The case must not open to the superior; it opens to nobody,
    with an error in the log, until the old key is put back."""
    from amanah.core import memo
    from amanah.integrity import services

    report, superior, inspector = case
    old = settings.HASH_KEY
    _change_key(settings)
    with caplog.at_level(logging.ERROR, logger="amanah.integrity.services"):
        assert not _sees(superior, report)
        assert not _sees(inspector, report)
    assert "AMANAH_OLD_HASH_KEYS" in caplog.text
    assert api_as(superior).get(f"/api/v1/integrity/cases/{report.pk}").status_code == 404
    # Nor is the case mailed to them: no handler is left.
    assert services._handlers(report) == []
    settings.OLD_HASH_KEYS = [old]
    memo.clear_all()
    assert not _sees(superior, report)
    assert _sees(inspector, report)


def test_rehash_moves_the_exclusions_to_the_new_key(case, settings, org, make_user):
    from amanah.core import crypto, memo
    from amanah.integrity import services
    from amanah.integrity.models import Exclusion

    report, superior, inspector = case
    services.declare_conflict(inspector, report.pk)
    _change_key(settings, settings.HASH_KEY)
    call_command("keys_rehash", verbosity=0)
    call_command("keys_rehash", verbosity=0)  # a second run changes nothing
    settings.OLD_HASH_KEYS = []  # the old key may now go (receipts aside)
    memo.clear_all()
    assert set(Exclusion.objects.values_list("key_id", flat=True)) == {crypto.hash_key_id()}
    assert not _sees(superior, report)
    assert not _sees(inspector, report)
    assert _sees(make_user("inspektorat", org["a"]["agency"]), report)


def test_rehash_names_cases_whose_exclusions_match_nobody(case, settings, capsys):
    """An exclusion made under a key that is not configured cannot be moved: the command says which
    cases, so that the operator looks for the old key."""
    report, _superior, _inspector = case
    _change_key(settings)
    call_command("keys_rehash")
    assert report.case_number in capsys.readouterr().err


def test_a_receipt_given_before_the_key_change_still_opens_the_case(case, settings):
    from amanah.integrity import services
    from amanah.integrity.models import Report

    report, _superior, _inspector = case
    _change_key(settings, settings.HASH_KEY)
    _token, opened = services.open_session(report.receipt, "client-1")
    assert opened.pk == report.pk
    # Used once, it is hashed under the new key and no longer needs the old one.
    assert Report.objects.get(pk=report.pk).receipt_hash == services.receipt_hash(report.receipt)
    settings.OLD_HASH_KEYS = []
    assert services.open_session(report.receipt, "client-1")[1].pk == report.pk


def test_rehash_takes_summons_keys_under_the_new_key(examined, users, settings):
    """The first and the second summons of a person are grouped by a keyed hash of the name."""
    from amanah.core.calendar import Calendar
    from amanah.integrity import services
    from amanah.integrity.models import Summons

    cal = Calendar(examined.agency)
    hearing = cal.add(cal.local_date(), 10)
    services.issue_summons(
        users[("inspektorat", "a")],
        examined.pk,
        person="Staf a (terlapor)",
        hearing_on=hearing,
        issued_on=cal.add(hearing, -8),
    )
    before = Summons.objects.get().person_key
    _change_key(settings, settings.HASH_KEY)
    call_command("keys_rehash", verbosity=0)
    after = Summons.objects.get().person_key
    assert after != before
    assert after == services.crypto.keyed_hash(
        "staf a (terlapor)", f"integrity:summons:{examined.pk}"
    )


def test_a_second_summons_after_a_key_change_follows_the_first(examined, users, settings):
    """Before ``keys rehash`` runs, the first summons' key is under the retired key: the second summons
    of the same person is still grouped with it (allowed after the missed first hearing, under the
    same key), not refused as a second summons without a first."""
    from amanah.core.calendar import Calendar
    from amanah.integrity import services
    from amanah.integrity.models import Summons

    insp = users[("inspektorat", "a")]
    cal = Calendar(examined.agency)
    missed = cal.local_date()
    first = services.issue_summons(
        insp,
        examined.pk,
        person="Staf a (terlapor)",
        hearing_on=missed,
        issued_on=cal.add(missed, -8),
    )
    services.record_attendance(insp, examined.pk, first.pk, attended=False)
    _change_key(settings, settings.HASH_KEY)
    second = services.issue_summons(
        insp,
        examined.pk,
        person="STAF A (terlapor)",
        hearing_on=cal.add(missed, 8),
        issued_on=missed,
        number=2,
    )
    assert second.person_key == Summons.objects.get(pk=first.pk).person_key
    assert services.may_decide_on_evidence(examined, second) is False  # not yet: only one absence


def test_rehash_takes_the_evidence_content_hashes_under_the_new_key(file_report, settings):
    """An evidence file's content is stored as a keyed hash, so that a copy of the database does not tell
    whether a photo someone holds is in a case. The key changes because it leaked: left under it, the
    hashes would tell exactly that to whoever holds the leaked key."""
    import hashlib

    from amanah.core import crypto, files
    from amanah.integrity.models import Evidence

    from .conftest import jpeg_with_metadata, upload

    file_report(evidence=[upload("foto.jpg", jpeg_with_metadata(), "image/jpeg")])
    stored = Evidence.objects.get().file
    content = hashlib.sha256(files.read(stored)).hexdigest()
    leaked = settings.HASH_KEY
    assert stored.sha256 == crypto.keyed_hash(content, "integrity:evidence", leaked)
    _change_key(settings, leaked)
    call_command("keys_rehash", verbosity=0)
    stored.refresh_from_db()
    assert stored.sha256 == crypto.keyed_hash(content, "integrity:evidence")
    assert stored.sha256 != crypto.keyed_hash(content, "integrity:evidence", leaked)
    call_command("keys_rehash", verbosity=0)  # a second run changes nothing
    assert Evidence.objects.get().file.sha256 == stored.sha256


def test_rehash_goes_on_past_an_evidence_file_missing_from_the_storage(
    file_report, settings, capsys
):
    from amanah.integrity.models import Evidence

    from .conftest import upload

    file_report(
        evidence=[
            upload("a.txt", b"catatan pertama", "text/plain"),
            upload("b.txt", b"catatan kedua", "text/plain"),
        ]
    )
    lost, kept = [e.file for e in Evidence.objects.order_by("file__pk")]
    before = kept.sha256
    lost.file.storage.delete(lost.file.name)
    _change_key(settings, settings.HASH_KEY)
    call_command("keys_rehash")
    kept.refresh_from_db()
    assert kept.sha256 != before
    assert "1 evidence file(s) could not be read" in capsys.readouterr().err
