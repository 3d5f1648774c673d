"""What the personnel mails say, read through a real SMTP server as the ASN and the officials read them on
a phone: the remedy against a sanction and its last day written as people read a date (or that a light
sanction has none), a link to the page where they act, a subject that says which SKP or whose objection,
and one mail to one person for one event."""

import re
import time

import pytest
from django.utils import formats, translation

from amanah.personnel import services

from . import helpers

pytestmark = pytest.mark.django_db
SITE = "https://amanah.example.id"


def _decide(people, case, official, level, sanction, capture):
    with capture(execute=True):
        services.decide_case(
            people["hr"],
            case,
            proven=True,
            official=official,
            decision_number="800/12",
            decided_on=helpers.today(),
            level=level,
            sanction=sanction,
            delivered_on=helpers.today(),
        )
    case.refresh_from_db()
    return case


def test_a_light_sanction_is_mailed_without_a_remedy_it_does_not_have(
    org, people, smtp, settings, django_capture_on_commit_callbacks
):
    """PP 94/2021: no upaya administratif against a hukuman disiplin ringan. The mail said "may be filed
    until -"."""
    settings.SITE_URL = SITE
    a = org["a"]
    case = helpers.examined_case(a["staff"], team=[a["kabid"], a["inspektur"], a["kadis"]])
    case = _decide(
        people, case, a["kadis"], "ringan", "teguran_lisan", django_capture_on_commit_callbacks
    )
    assert case.appeal_due is None
    (mail,) = smtp.wait(1)
    assert mail["to"] == ["staf@a.test"]
    assert "Teguran lisan" in mail["body"]
    assert "tidak dapat diajukan upaya administratif" in mail["body"]
    assert "sampai -" not in mail["body"] and "dapat diajukan sampai" not in mail["body"]
    assert f"{SITE}/kepegawaian/disiplin/{case.number}/" in mail["body"]


def test_a_sanction_open_to_objection_names_the_remedy_and_its_last_day_as_people_read_it(
    org, people, smtp, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    a = org["a"]
    case = helpers.examined_case(a["staff"], team=helpers.exam_team(a))
    case = _decide(
        people, case, a["kadis"], "sedang", "tukin_25_6", django_capture_on_commit_callbacks
    )
    due = case.appeal_due
    with translation.override("id"):
        written = formats.date_format(due, "j F Y")  # as the pages write a date
        weekday = formats.date_format(due, "l")
    (mail,) = smtp.wait(1)
    assert f"Keberatan dapat diajukan paling lambat {written}." in mail["body"]
    assert weekday not in mail["body"]
    assert due.isoformat() not in mail["body"]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", mail["body"])
    assert f"{SITE}/kepegawaian/disiplin/{case.number}/" in mail["body"]


def test_the_rating_mail_names_the_period_and_links_to_the_skp(
    org, people, smtp, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    skp = helpers.skp(org["a"]["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        services.rate_skp(people["kabid"], skp, hasil_kerja="sesuai", perilaku="sesuai")
    (mail,) = smtp.wait(1)
    assert mail["subject"] == f"SKP Anda untuk {skp.period.name} sudah dinilai"
    assert f"{SITE}/kepegawaian/skp/{skp.pk}/" in mail["body"]


def test_a_rater_deciding_as_hr_gets_one_mail_when_their_addresses_differ_in_case(
    org, people, smtp, settings, django_capture_on_commit_callbacks
):
    """The rater's directory address and their HR account's differ only in case: they are the rater and
    a decider, but one person, told once (as the rater)."""
    settings.SITE_URL = SITE
    a = org["a"]
    a["kadis"].email = ""  # nobody above the rater with an address: HR decides
    a["kadis"].save()
    hr = people["hr"]
    a["kabid"].email = hr.email.upper()
    a["kabid"].save()
    skp = helpers.skp(a["staff"])
    services.rate_skp(people["kabid"], skp, hasil_kerja="sesuai", perilaku="sesuai")
    with django_capture_on_commit_callbacks(execute=True):
        services.object_skp(people["asn"], skp, text="Realisasi saya tidak tercatat dengan benar.")
    smtp.wait(1)
    time.sleep(0.3)  # nothing else arrives
    assert len(smtp.messages) == 1
    (mail,) = smtp.messages
    assert mail["to"][0].casefold() == hr.email.casefold()
    assert mail["subject"] == f"Keberatan atas penilaian SKP yang Anda berikan: {a['staff'].name}"
