"""What a transfer does to award proposals still waiting at the origin, and the transfer list a page at
a time.

A proposal is the origin's judgement of work done there; once the ASN has left, the origin's
leadership decides nothing about them, and the receiving agency's did not propose it. So an approved
transfer withdraws the proposals still waiting (status ``ditarik``, the transfer as the reason, listed
in the transfer's audit entry); the receiving agency's leadership cannot decide them (409), and may
propose anew. Decided awards are left as they are (approved ones follow the ASN)."""

import datetime as dt
import html
import re

import pytest
from django.test import Client

from amanah.core.models import AuditEntry, Employee
from amanah.personnel import models as m
from amanah.personnel import services
from amanah.personnel import views as personnel_views

from . import helpers

pytestmark = pytest.mark.django_db
P = "/api/v1/personnel"


def _request(people, org):
    return services.request_transfer(
        people["hr"],
        nip=org["b"]["staff"].nip,
        to_unit=org["a"]["bidang"],
        position="Analis Kependudukan",
        sk_number="821/45/BKPSDM/2026",
        sk_date=helpers.today() - dt.timedelta(days=3),
    )


def _award(employee, status="diusulkan", title="Pelayanan prima"):
    return m.Award.objects.create(
        employee=employee,
        kind="pelayanan",
        title=title,
        reason="Penilaian pengadu tinggi.",
        year=helpers.today().year,
        status=status,
    )


def test_approved_transfer_withdraws_the_origins_pending_proposals(people, org, api_as, make_user):
    staff = org["b"]["staff"]
    pending = _award(staff)
    approved = _award(staff, status="disetujui", title="Integritas")
    rejected = _award(staff, status="ditolak", title="Lainnya")
    t = _request(people, org)
    services.decide_transfer(people["hr_b"], t, approve=True)

    pending.refresh_from_db()
    assert pending.status == "ditarik"
    assert pending.withdrawn_for_id == t.pk
    assert pending.decided_by == people["hr_b"] and pending.decided_at is not None
    assert m.Award.objects.get(pk=approved.pk).status == "disetujui"
    assert m.Award.objects.get(pk=rejected.pk).status == "ditolak"
    entries = AuditEntry.objects.filter(action="personnel.transfer_approved")
    assert entries.count() == 2  # the trail of each agency
    assert all(e.details["awards_withdrawn"] == [pending.pk] for e in entries)

    # The receiving agency's leadership cannot decide the origin's proposal.
    leader_a = api_as(make_user("pimpinan", org["a"]["agency"]))
    r = leader_a.post(f"{P}/awards/{pending.pk}/decision", {"approve": True})
    assert r.status_code == 409 and r.json()["error"] == "award_decided"
    assert "ditarik" in r.json()["message"]
    assert m.Award.objects.get(pk=pending.pk).status == "ditarik"
    # The approved award follows the ASN; the withdrawn one is not on their profile.
    from amanah.personnel import selectors

    assert [a.pk for a in selectors.awards_of(staff)] == [approved.pk]

    # The awards page of the new agency says why the proposal was withdrawn.
    client = Client()
    client.force_login(people["hr"])
    page = client.get("/kepegawaian/penghargaan/?instansi=kab-a").content.decode()
    assert "Ditarik" in page
    assert f"Pegawai dimutasi dari {org['b']['agency'].name} sebelum usulan diputus." in page


def test_refused_transfer_leaves_the_proposals_waiting(people, org):
    pending = _award(org["b"]["staff"])
    services.decide_transfer(people["hr_b"], _request(people, org), approve=False, reason="Batal")
    pending.refresh_from_db()
    assert pending.status == "diusulkan" and pending.withdrawn_for is None


def test_transfer_lists_come_a_page_at_a_time(people, org):
    """More transfers than a page holds, into and out of agency A: each list has its own pager
    (``masuk``, ``keluar``) and no transfer is lost; paging one list keeps the other's page."""
    per_page = personnel_views.PER_PAGE
    a, b = org["a"], org["b"]
    n_in, n_out = per_page + 3, per_page + 1

    def moves(source, target, count, start):
        emps = Employee.objects.bulk_create(
            Employee(
                nip=f"1990010120150{start + i:05d}",
                name=f"Pindah {start + i:03d}",
                unit=source["bidang"],
                position="Analis",
            )
            for i in range(count)
        )
        m.Transfer.objects.bulk_create(
            m.Transfer(
                employee=e,
                from_agency=source["agency"],
                from_unit=source["bidang"],
                from_position="Analis",
                to_agency=target["agency"],
                to_unit=target["bidang"],
                position="Analis",
                sk_number=f"SK/{e.nip}",
                sk_date=helpers.today(),
            )
            for e in emps
        )

    moves(b, a, n_in, 0)
    moves(a, b, n_out, 500)
    client = Client()
    client.force_login(people["hr"])

    def names(page, heading):
        part = page.split(heading, 1)[1].split("</table>", 1)[0]
        return re.findall(r">(Pindah \d{3})</a>", part)

    def get(url):
        r = client.get(url)
        assert r.status_code == 200
        return html.unescape(r.content.decode())

    first = get("/kepegawaian/mutasi/?instansi=kab-a")
    assert len(names(first, "Mutasi masuk")) == per_page
    assert len(names(first, "Mutasi keluar")) == per_page
    links = re.findall(r'<a href="([^"]*)" rel="next">', first)
    assert len(links) == 2 and "masuk=2" in links[0] and "keluar=2" in links[1]
    assert all("instansi=kab-a" in link for link in links)
    second_in = get("/kepegawaian/mutasi/" + links[0])
    assert len(names(second_in, "Mutasi masuk")) == n_in - per_page
    assert len(names(second_in, "Mutasi keluar")) == per_page  # the other list stays on page 1
    seen_in = names(first, "Mutasi masuk") + names(second_in, "Mutasi masuk")
    assert sorted(seen_in) == [f"Pindah {i:03d}" for i in range(n_in)]
    # From page 2 of the incoming list, the outgoing one's next page keeps it.
    out_link = re.findall(r'<a href="([^"]*)" rel="next">', second_in)[-1]
    assert "masuk=2" in out_link and "keluar=2" in out_link
    second_out = get("/kepegawaian/mutasi/" + out_link)
    assert len(names(second_out, "Mutasi keluar")) == n_out - per_page
    assert 'aria-label="Halaman mutasi masuk"' in second_out
