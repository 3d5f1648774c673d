"""A complaint manager narrows the inbox to one unit on the page (the API's ``unit`` already did): the
list, its pages and its export keep the choice, and the choice lists only units of the officer's scope."""

import csv
import io

import pytest
from django.test import Client

from amanah.complaints import services

pytestmark = pytest.mark.django_db


def test_the_inbox_and_its_export_narrow_to_one_unit(org, users, submit):
    a = org["a"]
    operator, manager = users[("operator", "a")], users[("pengelola", "a")]
    at_bidang = services.verify(operator, submit(title="KTP-el belum dicetak"), unit=a["bidang"])
    at_insp = services.verify(operator, submit(title="Pungutan liar di loket"), unit=a["insp"])
    client = Client()
    client.force_login(manager)
    html = client.get("/pengaduan/staf/", {"unit": "kab-a-dafduk"}).content.decode()
    assert f"AMN-{at_bidang.pk}<" in html and f"AMN-{at_insp.pk}<" not in html
    assert '<option value="kab-a-dafduk" selected>' in html  # the choice stays shown
    assert 'value="kab-a-insp"' in html and 'value="kab-b-dafduk"' not in html  # own units only
    # The export link carries the unit, and the export applies it.
    assert (
        "unit=kab-a-dafduk" in html.split('href="/pengaduan/staf/ekspor.csv', 1)[1].split('"', 1)[0]
    )
    body = b"".join(
        client.get("/pengaduan/staf/ekspor.csv", {"unit": "kab-a-dafduk"}).streaming_content
    )
    rows = list(csv.reader(io.StringIO(body.decode()[1:])))
    assert [r[0] for r in rows[1:]] == [f"AMN-{at_bidang.pk}"]


def test_a_unit_officer_chooses_among_the_units_of_their_reach(org, users):
    client = Client()
    client.force_login(users[("unit", "a")])
    html = client.get("/pengaduan/staf/").content.decode()
    units = html.split('id="f-unit"', 1)[1].split("</select>", 1)[0]
    assert 'value="kab-a-dafduk"' in units
    assert 'value="kab-a-insp"' not in units and 'value="kab-b-dafduk"' not in units
