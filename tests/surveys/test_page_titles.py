"""Each questionnaire names its unit (and service) in its title and heading, so that two open surveys, or
the survey list and a survey, are told apart by their titles (WCAG 2.4.2)."""

import datetime as dt
import html
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def title_and_h1(page: str) -> tuple[str, str]:
    title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
    h1 = html.unescape(
        re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1))
    )
    return title, h1


def test_each_survey_page_has_its_own_title(org, make_period, today):
    bidang = org["a"]["bidang"]
    unit_wide = make_period(start=today - dt.timedelta(days=10))
    ktp = make_period(start=today - dt.timedelta(days=1), service=org["a"]["service"])
    index = title_and_h1(Client().get("/skm/").content.decode())
    whole = title_and_h1(Client().get(f"/skm/s/{unit_wide.short_code}/").content.decode())
    one = title_and_h1(Client().get(f"/skm/s/{ktp.short_code}/").content.decode())
    via_unit = title_and_h1(Client().get(f"/skm/u/{bidang.code}/", follow=True).content.decode())
    assert whole == (
        f"Survei Kepuasan Masyarakat — {bidang.name} · Amanah",
        f"Survei Kepuasan Masyarakat: {bidang.name}",
    )
    assert one == (
        f"Survei Kepuasan Masyarakat — {bidang.name} — Penerbitan KTP-el · Amanah",
        f"Survei Kepuasan Masyarakat: {bidang.name} — Penerbitan KTP-el",
    )
    assert via_unit == whole
    assert len({index[0], whole[0], one[0]}) == 3 and len({index[1], whole[1], one[1]}) == 3


def test_a_refused_answer_keeps_the_unit_in_the_title(org, period):
    r = Client().post(f"/skm/s/{period.short_code}/", {"u1": "3"})
    assert r.status_code == 400
    title, _ = title_and_h1(r.content.decode())
    assert title == f"Kesalahan: Survei Kepuasan Masyarakat — {period.unit.name} · Amanah"
