"""A reporter who asked for news by e-mail gets one content-free mail ("there is news, open your case
with your receipt") for every message recorded for them: the acknowledgment, the feedback that closes
the case, the finding, the referral, the custodian's decision, as for a staff message or a disclosure
request — each once."""

import pytest

pytestmark = pytest.mark.django_db
ADDRESS = "budi.pelapor@contoh.id"
REASON = "Pelapor perlu dimintai keterangan resmi sebagai saksi kunci."


@pytest.fixture
def mails_to_reporter(smtp, django_capture_on_commit_callbacks):
    """``mails_to_reporter(action)`` → the mails the reporter got from ``action()``, once committed."""

    def run(action):
        smtp.messages.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        smtp.wait(1, timeout=2)
        mails = smtp.to(ADDRESS)
        for m in mails:
            content = m["subject"] + "\n" + m["body"]
            assert "/integritas/tindak-lanjut/" in content
            assert "Budi" not in content and "WBS-" not in content
        return mails

    return run


def _assess(user, report, decision, **extra):
    from amanah.integrity import services

    return services.assess(
        user,
        report.pk,
        credibility="tinggi",
        seriousness="tinggi",
        retaliation_risk="rendah",
        decision=decision,
        **extra,
    )


def test_each_message_to_the_reporter_is_mailed_once(make_case, users, mails_to_reporter):
    from amanah.integrity import services

    insp = users[("inspektorat", "a")]
    report = make_case(may_contact="true")
    assert len(mails_to_reporter(lambda: services.acknowledge(insp, report.pk))) == 1
    assert len(mails_to_reporter(lambda: _assess(insp, report, "periksa"))) == 1
    assert len(mails_to_reporter(lambda: services.send_message(insp, report.pk, "Kapan?"))) == 1
    assert len(mails_to_reporter(lambda: services.request_disclosure(insp, report.pk, REASON))) == 1
    found = lambda: services.record_finding(  # noqa: E731
        insp, report.pk, outcome="tidak_terbukti", note="Tidak cukup bukti."
    )
    assert len(mails_to_reporter(found)) == 1
    assert len(mails_to_reporter(lambda: services.refer(insp, report.pk, body="kpk"))) == 1


def test_closing_without_examination_and_referring_at_once_are_mailed(
    make_case, users, mails_to_reporter
):
    insp = users[("inspektorat", "a")]
    closed = make_case(may_contact="true")
    close = lambda: _assess(insp, closed, "tutup", reporter_message="Ini keluhan layanan.")  # noqa: E731
    assert len(mails_to_reporter(close)) == 1
    referred = make_case(may_contact="true")
    refer = lambda: _assess(insp, referred, "rujuk", referral_body="ombudsman")  # noqa: E731
    assert len(mails_to_reporter(refer)) == 1


def test_the_custodians_decision_is_mailed(make_case, users, mails_to_reporter):
    from amanah.integrity import services

    report = make_case(may_contact="true")
    req = services.request_disclosure(users[("inspektorat", "a")], report.pk, REASON)
    services.answer_disclosure(report, req.pk, consent=True)
    decide = lambda: services.decide_disclosure(users[("kustodian", "a")], req.pk, True)  # noqa: E731
    assert len(mails_to_reporter(decide)) == 1


def test_a_reporter_who_did_not_ask_gets_no_mail(make_case, users, mails_to_reporter):
    from amanah.integrity import services

    report = make_case(may_contact=None)
    assert not report.may_contact
    assert (
        mails_to_reporter(lambda: services.acknowledge(users[("inspektorat", "a")], report.pk))
        == []
    )
