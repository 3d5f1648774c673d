"""When an ASN files an SKP objection (page or API), the rater and the official who must decide it
(the official directly above the rater; without one, HR of the agency) get a short e-mail through
a real SMTP server, after the commit. The e-mail links to the SKP page and never carries the
reason text."""

import time

from amanah.personnel import services

from . import helpers

P = "/api/v1/personnel"
SITE = "https://amanah.example.id"
REASON = "Realisasi saya 99 persen, bukan 90 persen seperti tercatat (rahasia-789)."


def _rated(org, people):
    skp = helpers.skp(org["a"]["staff"])
    services.rate_skp(people["kabid"], skp, hasil_kerja="sesuai", perilaku="sesuai")
    return skp


def _no_reason(messages):
    for m in messages:
        assert "rahasia-789" not in m["raw"] and "99 persen" not in m["raw"]


def test_api_objection_mails_the_rater_and_the_official_above_them(
    people, api_as, org, smtp, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    skp = _rated(org, people)  # the rating's own mail to the ASN was never committed here
    with django_capture_on_commit_callbacks(execute=True):
        r = api_as(people["asn"]).post(f"{P}/skp/{skp.pk}/objection", {"reason": REASON})
    assert r.status_code == 201, r.content
    messages = smtp.wait(2)
    time.sleep(0.2)  # nothing else arrives
    assert len(smtp.messages) == 2
    assert sorted(to for m in messages for to in m["to"]) == ["kabid@a.test", "kadis@a.test"]
    url = f"{SITE}/kepegawaian/skp/{skp.pk}/"
    (to_rater,) = smtp.to("kabid@a.test")
    (to_official,) = smtp.to("kadis@a.test")
    name = org["a"]["staff"].name
    assert to_rater["subject"] == f"Keberatan atas penilaian SKP yang Anda berikan: {name}"
    assert to_official["subject"] == f"Keberatan SKP menunggu keputusan Anda: {name}"
    for m in (to_rater, to_official):
        assert url in m["body"] and org["a"]["staff"].name in m["body"]
        assert "Tahun" in m["body"]  # the period
    assert "berwenang memutuskannya" in to_official["body"]
    _no_reason(messages)
    # The official who got the mail is the one who may decide it.
    r = api_as(people["kadis"]).post(f"{P}/skp/{skp.pk}/objection-response", {"response": "Tetap"})
    assert r.status_code == 200


def test_page_objection_mails_too_and_hr_decides_without_an_official_above(
    people, org, client, smtp, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    a = org["a"]
    # The rater's own superior has no e-mail address: HR of the agency decides, and is told.
    a["kadis"].email = ""
    a["kadis"].save()
    hr_b = people["hr_b"]  # HR of another agency is never told
    skp = _rated(org, people)
    client.force_login(people["asn"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/kepegawaian/saya/skp/{skp.pk}/keberatan/", {"text": REASON})
    assert r.status_code == 302
    messages = smtp.wait(2)
    time.sleep(0.2)
    assert len(smtp.messages) == 2
    assert sorted(to for m in messages for to in m["to"]) == sorted(
        ["kabid@a.test", people["hr"].email]
    )
    assert not smtp.to(hr_b.email) and not smtp.to("staf@a.test")
    assert smtp.to(people["hr"].email)[0]["subject"] == (
        f"Keberatan SKP menunggu keputusan Anda: {a['staff'].name}"
    )
    assert f"{SITE}/kepegawaian/skp/{skp.pk}/" in smtp.to(people["hr"].email)[0]["body"]
    _no_reason(messages)


def test_refused_objection_sends_nothing(
    people, api_as, org, smtp, django_capture_on_commit_callbacks
):
    skp = _rated(org, people)
    asn = api_as(people["asn"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert asn.post(f"{P}/skp/{skp.pk}/objection", {"reason": "kurang"}).status_code == 422
        assert (
            api_as(people["hr"]).post(f"{P}/skp/{skp.pk}/objection", {"reason": REASON}).status_code
            == 403
        )
    assert callbacks == []
    time.sleep(0.2)
    assert smtp.messages == []


def test_deciders_follow_who_may_answer(people, org):
    skp = _rated(org, people)
    assert services.objection_deciders(skp) == ["kadis@a.test"]
    skp.rater = org["a"]["sekda"]  # the top of the agency: nobody above, so HR
    assert services.objection_deciders(skp) == [people["hr"].email]
