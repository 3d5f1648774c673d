"""The dashboard's IKM per unit links each figure to the published results of its period; the open
data carries the period's number as the last field of the ikm table."""

import csv
import datetime as dt
import io

from django.utils.formats import date_format
from django.utils.translation import override


def test_the_ikm_figure_links_to_its_periods_published_results(dataset, org, client, api):
    _p0, p1, _open = dataset["periods"]
    bidang = org["a"]["bidang"]
    rows = api.get("/api/v1/transparency/ikm", {"agency": "kab-a"}).json()["rows"]
    row = next(r for r in rows if r["unit_code"] == bidang.code)
    assert row["period_id"] == p1.pk and list(row)[-1] == "period_id"
    page = client.get("/transparansi/i/kab-a/").content.decode()
    link = f'<a href="/skm/hasil/{p1.pk}/">'
    assert link in page
    # the figure itself is the link, and it says whose results of which period it leads to
    after = page.split(link, 1)[1].split("</a>", 1)[0]
    assert after.startswith(f"{row['ikm']:.2f}".replace(".", ","))
    # (the page writes the period's end in words; the open data keeps it ISO)
    with override("id"):
        ended = date_format(dt.date.fromisoformat(row["period_end"]), "j F Y")
    assert f"hasil periode SKM {bidang.name} yang berakhir {ended}" in after
    # the published results are there
    assert client.get(f"/skm/hasil/{p1.pk}/").status_code == 200

    table = list(
        csv.reader(
            io.StringIO(
                api.get(
                    "/api/v1/transparency/ikm", {"agency": "kab-a", "format": "csv"}
                ).content.decode()
            )
        )
    )
    assert table[0][-2:] == ["trend", "period_id"]
    assert str(p1.pk) in {line[-1] for line in table[1:]}
