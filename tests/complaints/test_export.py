"""The inbox as a spreadsheet (XLSX and CSV): the filter's cases in the officer's scope, no identity and no
free text but the title, formulas never executed, every export audited, a too-large filter refused."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client

from amanah.core.models import AuditEntry
from tests.i18n import client_in

pytestmark = pytest.mark.django_db

IDENTITY = ("Siti Aminah", "siti@example.id", "081234567890")


def signed_in(user, client=None):
    client = client or Client()
    client.force_login(user)
    return client


def read_xlsx(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    return ws, [[c.value for c in row] for row in ws.iter_rows()]


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # so that Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(body[1:])))


def test_xlsx_holds_the_filtered_cases_of_the_scope(submit, walk, users, clock):
    clock.set(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC))  # 09:00 WIB
    open_case = submit(title="Masih terbuka")
    walk(submit(title="Sudah selesai"), "selesai")
    r = signed_in(users[("operator", "a")]).get("/pengaduan/staf/ekspor.xlsx?status=open")
    assert r["Content-Disposition"].startswith('attachment; filename="pengaduan-')
    ws, rows = read_xlsx(r)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Nomor pengaduan", "Diterima", "Zona waktu"]
    assert [row[0] for row in body] == [f"AMN-{open_case.pk}"]
    row = dict(zip(header, body[0], strict=True))
    assert row["Diterima"] == dt.datetime(2026, 3, 2, 9, 0)  # a real date cell, agency time
    assert row["Zona waktu"] == "WIB" and row["Judul"] == "Masih terbuka"
    assert row["Batas verifikasi"] == dt.datetime.combine(open_case.verification_due, dt.time())
    assert row["Status"] == open_case.get_status_display()
    assert row["Melewati tenggat"] == "tidak"
    assert ws["B2"].is_date and ws["L2"].is_date


def test_overdue_column_and_filter(submit, users, clock):
    clock.set(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC))
    c = submit()
    clock.set(dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.UTC))  # long past the 3 working days
    client = signed_in(users[("operator", "a")])
    _ws, rows = read_xlsx(client.get("/pengaduan/staf/ekspor.xlsx?terlambat=1"))
    assert [r[0] for r in rows[1:]] == [f"AMN-{c.pk}"]
    assert dict(zip(rows[0], rows[1], strict=True))["Melewati tenggat"] == "ya"


def test_another_agencys_cases_never_leave(submit, users):
    submit()
    _ws, rows = read_xlsx(signed_in(users[("operator", "b")]).get("/pengaduan/staf/ekspor.xlsx"))
    assert rows[1:] == []


@pytest.mark.parametrize("mode", ["biasa", "rahasia"])
def test_no_identity_and_no_description(submit, users, mode):
    c = submit(identity_mode=mode)
    client = signed_in(users[("pengelola", "a")])
    for fmt in ("xlsx", "csv"):
        r = client.get(f"/pengaduan/staf/ekspor.{fmt}")
        if fmt == "xlsx":
            _ws, rows = read_xlsx(r)
        else:
            rows = read_csv(r)
        cells = " ".join(str(v) for row in rows for v in row if v is not None)
        assert f"AMN-{c.pk}" in cells
        # The tracking code is the complainant's key to their case: a spreadsheet that goes round an
        # office must not hand it to whoever reads it.
        for secret in (*IDENTITY, c.description, c.tracking_code):
            assert secret not in cells, (fmt, secret)


def test_a_title_is_never_a_formula(submit, users):
    c = submit(title='=HYPERLINK("http://127.0.0.1:9/","klik")')
    client = signed_in(users[("operator", "a")])
    ws, rows = read_xlsx(client.get("/pengaduan/staf/ekspor.xlsx"))
    title_col = rows[0].index("Judul") + 1
    cell = ws.cell(row=2, column=title_col)
    assert cell.data_type == "s" and cell.value == c.title
    rows = read_csv(client.get("/pengaduan/staf/ekspor.csv"))
    assert rows[1][rows[0].index("Judul")] == "'" + c.title


def test_csv_has_the_same_columns_and_plain_dates(submit, users):
    c = submit()
    rows = read_csv(signed_in(users[("operator", "a")]).get("/pengaduan/staf/ekspor.csv"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Nomor pengaduan"] == f"AMN-{c.pk}"
    assert row["Batas verifikasi"] == c.verification_due.isoformat()
    assert len(row["Diterima"]) == len("2026-03-02 09:00")


def test_every_export_is_audited_without_the_search_words(submit, users):
    submit()
    officer = users[("operator", "a")]
    r = signed_in(officer).get("/pengaduan/staf/ekspor.csv?q=KTP&saluran=web")
    assert len(read_csv(r)) == 2
    entry = AuditEntry.objects.filter(action="complaints.export").get()
    assert entry.actor == f"user:{officer.pk}"
    assert entry.details["format"] == "csv" and entry.details["rows"] == 1
    assert entry.details["channel"] == "web" and entry.details["q"] is True
    assert "KTP" not in str(entry.details)


def test_too_large_a_filter_is_sent_back_to_narrow(submit, users, settings):
    settings.COMPLAINT_EXPORT_MAX_ROWS = 2
    for i in range(3):
        submit(title=f"Kasus {i}")
    client = signed_in(users[("operator", "a")])
    r = client.get("/pengaduan/staf/ekspor.xlsx?saluran=web", follow=True)
    assert r.redirect_chain[0][0] == "/pengaduan/staf/?saluran=web"
    assert "lebih dari 2 pengaduan" in r.content.decode()
    assert not AuditEntry.objects.filter(action="complaints.export").exists()
    settings.COMPLAINT_EXPORT_MAX_ROWS = 3
    _ws, rows = read_xlsx(client.get("/pengaduan/staf/ekspor.xlsx"))
    assert len(rows) == 4


def test_headers_follow_the_page_language(submit, users):
    submit()
    client = signed_in(users[("operator", "a")], client_in("en"))
    _ws, rows = read_xlsx(client.get("/pengaduan/staf/ekspor.xlsx"))
    assert rows[0][:2] == ["Complaint number", "Received"]


def test_who_may_export(submit, users):
    submit()
    assert Client().get("/pengaduan/staf/ekspor.csv").status_code == 302  # sign in first
    for role in ("auditor", "pimpinan", "unit", "inspektorat"):
        assert signed_in(users[(role, "a")]).get("/pengaduan/staf/ekspor.csv").status_code == 200
    assert (
        signed_in(users[("kepegawaian", "a")]).get("/pengaduan/staf/ekspor.csv").status_code == 403
    )
    assert signed_in(users[("operator", "a")]).get("/pengaduan/staf/ekspor.pdf").status_code == 404


def test_inbox_links_the_export_with_its_filter(submit, users):
    page = signed_in(users[("operator", "a")]).get("/pengaduan/staf/?status=closed&saluran=web")
    html = page.content.decode()
    assert 'href="/pengaduan/staf/ekspor.xlsx?status=closed&amp;saluran=web"' in html
    assert 'href="/pengaduan/staf/ekspor.csv?status=closed&amp;saluran=web"' in html


def test_a_name_with_a_control_character_does_not_break_the_export(submit, users, org):
    unit = org["a"]["bidang"]
    unit.name = "Bidang\x0bPendaftaran"  # a vertical tab pasted from a document into the admin
    unit.save()
    submit()
    client = signed_in(users[("operator", "a")])
    _ws, rows = read_xlsx(client.get("/pengaduan/staf/ekspor.xlsx"))
    assert dict(zip(rows[0], rows[1], strict=True))["Unit"] == "BidangPendaftaran"
    assert "\x0b" not in str(read_csv(client.get("/pengaduan/staf/ekspor.csv")))


@pytest.mark.parametrize("title", ["#N/A", "#DIV/0!"])
def test_a_title_like_a_spreadsheet_error_stays_text(submit, users, title):
    submit(title=title)
    ws, rows = read_xlsx(signed_in(users[("operator", "a")]).get("/pengaduan/staf/ekspor.xlsx"))
    cell = ws.cell(row=2, column=rows[0].index("Judul") + 1)
    assert cell.data_type == "s" and cell.value == title


@pytest.mark.parametrize("zone", ["Asia/Jayapura", "Asia/Jakarta"])
def test_the_date_filters_read_each_day_in_the_agencys_own_time_zone(
    submit, users, org, clock, api_as, zone
):
    """Received at 23:30 WIB on 5 March, which in a WIT agency is 01:30 on 6 March: its page, its export
    row and its list say the 6th, so the inbox, the API and the export find it under the 6th, not the 5th
    (and under the 5th in a WIB agency, with nothing moved there)."""
    import zoneinfo

    agency = org["a"]["agency"]
    agency.time_zone = zone
    agency.save()
    clock.set(dt.datetime(2026, 3, 5, 23, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta")))
    c = submit()
    local_day = "2026-03-06" if zone == "Asia/Jayapura" else "2026-03-05"
    other_day = "2026-03-05" if zone == "Asia/Jayapura" else "2026-03-06"
    manager = users[("pengelola", "a")]

    def api_codes(day, **extra):
        params = {k: v for k, v in {"date_from": day, "date_to": day, **extra}.items() if v}
        r = api_as(manager).get("/api/v1/staff/complaints", params)
        return [i["tracking_code"] for i in r.json()["items"]]

    def export_codes(query):
        rows = read_csv(signed_in(manager).get(f"/pengaduan/staf/ekspor.csv?{query}"))
        return [row[0] for row in rows[1:]]

    def inbox_lists(query):
        return (
            f"AMN-{c.pk}<" in signed_in(manager).get(f"/pengaduan/staf/?{query}").content.decode()
        )

    assert api_codes(local_day) == [c.tracking_code]
    assert api_codes(other_day) == []
    assert api_codes(local_day, date_to=None) == [c.tracking_code]  # from that day on
    assert export_codes(f"dari={local_day}&sampai={local_day}") == [f"AMN-{c.pk}"]
    assert export_codes(f"dari={other_day}&sampai={other_day}") == []
    assert inbox_lists(f"dari={local_day}&sampai={local_day}")
    assert not inbox_lists(f"dari={other_day}&sampai={other_day}")


def test_the_inbox_shows_the_time_received_as_the_agencys_office_reads_it(
    submit, users, org, clock
):
    import zoneinfo

    agency = org["a"]["agency"]
    agency.time_zone = "Asia/Jayapura"
    agency.save()
    clock.set(dt.datetime(2026, 3, 5, 23, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta")))
    submit()
    page = signed_in(users[("pengelola", "a")]).get("/pengaduan/staf/").content.decode()
    assert "6 Mar 2026 01:30 WIT" in page and "5 Mar 2026 23:30" not in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("dari=2026-13-40", "dari", "Tanggal tidak sah"),
        ("sampai=kemarin", "sampai", "Tanggal tidak sah"),
        ("dari=2026-03-06&sampai=2026-03-01", "sampai", "Tanggal akhir sebelum tanggal awal"),
    ],
)
def test_a_date_the_inbox_cannot_use_is_said_at_its_field(submit, users, query, field, message):
    submit()
    page = signed_in(users[("pengelola", "a")]).get(f"/pengaduan/staf/?{query}").content.decode()
    box = f'<div class="error" id="f-{field}_error" role="alert"><p>{message}'
    assert box in page
    assert f'aria-invalid="true" aria-describedby="f-{field}_error"' in page
    other = "sampai" if field == "dari" else "dari"
    assert f'id="f-{other}_error"' not in page


def test_good_dates_give_the_inbox_no_error(submit, users):
    submit()
    page = signed_in(users[("pengelola", "a")]).get(
        "/pengaduan/staf/?dari=2026-03-01&sampai=2026-03-06"
    )
    assert "_error" not in page.content.decode().split("<main", 1)[1].split("</form>", 1)[0]


def test_a_paused_case_has_no_verification_date_in_the_export_or_on_its_page(
    submit, walk, users, clock
):
    """While the file waits for completion the verification clock is stopped: the export and the staff
    case page do not give its old date (as the API gives null), the page says the clock is stopped."""
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "menunggu_kelengkapan")
    old = c.verification_due
    clock.set(dt.date(2026, 6, 20))
    client = signed_in(users[("operator", "a")])
    _ws, rows = read_xlsx(client.get("/pengaduan/staf/ekspor.xlsx"))
    column = rows[0].index("Batas verifikasi")
    [row] = [r for r in rows[1:] if r[0] == f"AMN-{c.pk}"]
    assert row[column] in (None, "")
    page = client.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    assert "jam berhenti sampai berkas lengkap" in page
    assert old.strftime("%-d %b %Y") not in page.split("Verifikasi", 1)[1].split("</dd>", 1)[0]
