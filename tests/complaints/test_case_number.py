"""Staff name a case by its number (``AMN-<n>``), never by its tracking code: the code is the
complainant's key (whoever holds it may reply, confirm or dispute in their name), and the inbox, its
addresses, the staff e-mails and the export go round an office. The number opens nothing by itself."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amanah.complaints import rules, services

pytestmark = pytest.mark.django_db


def _page(user):
    client = Client()
    client.force_login(user)
    return client


def test_case_numbers_are_read_forgivingly_and_only_as_numbers():
    assert rules.case_number(42) == "AMN-42"
    assert rules.case_pk("AMN-42") == rules.case_pk(" amn-42 ") == 42
    for ref in (
        "42",
        "AMN-",
        "AMN-0",
        "AMN-4x",
        "AMN-٤٢",
        "AMN-" + "9" * 30,
        "7KQ2-M9XD-4HTA-0RZB",
    ):
        assert rules.case_pk(ref) is None, ref


def test_the_case_page_opens_by_number_and_its_links_carry_no_code(users, submit):
    c = submit()
    number = f"AMN-{c.pk}"
    r = _page(users[("operator", "a")]).get(f"/pengaduan/staf/{number}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert f"<title>{number}" in html.replace("\n", "")
    assert f'href="/pengaduan/staf/{number}/tanda-terima.pdf"' in html
    # The code is on the page once, folded away, for handing to the complainant themselves.
    assert html.count(c.tracking_code) == 1
    assert html.index('id="tracking-code"') < html.index(c.tracking_code)
    # An old link (an e-mail sent before) still opens the case, by moving on to its number.
    old = _page(users[("operator", "a")]).get(f"/pengaduan/staf/{c.tracking_code}/", follow=True)
    assert old.status_code == 200 and old.redirect_chain == [(f"/pengaduan/staf/{number}/", 302)]
    receipt = _page(users[("operator", "a")]).get(f"/pengaduan/staf/{number}/tanda-terima.pdf")
    assert receipt.status_code == 200


def test_the_number_opens_nothing_for_the_public_nor_outside_the_scope(users, submit):
    c = submit()
    assert Client().get(f"/pengaduan/lacak/AMN-{c.pk}/").status_code == 404
    assert _page(users[("operator", "b")]).get(f"/pengaduan/staf/AMN-{c.pk}/").status_code == 404
    missing = _page(users[("operator", "a")]).get(f"/pengaduan/staf/AMN-{c.pk + 1000}/")
    assert missing.status_code == 404


def test_an_action_goes_back_to_the_page_by_number(users, submit):
    c = submit()
    r = _page(users[("operator", "a")]).post(
        f"/pengaduan/staf/AMN-{c.pk}/", {"action": "note", "text": "Cek ke loket 3."}
    )
    assert r.status_code == 302 and r.url == f"/pengaduan/staf/AMN-{c.pk}/"


def test_the_inbox_search_finds_a_case_by_number(users, submit):
    wanted, other = submit(title="KTP-el belum dicetak"), submit(title="Antrean panjang")
    client = _page(users[("operator", "a")])
    html = client.get("/pengaduan/staf/", {"q": f"amn-{wanted.pk}"}).content.decode()
    assert f"AMN-{wanted.pk}<" in html and f"AMN-{other.pk}<" not in html
    # The tracking code a complainant reads out on the phone still finds it too.
    html = client.get("/pengaduan/staf/", {"q": wanted.tracking_code}).content.decode()
    assert f"AMN-{wanted.pk}<" in html and f"AMN-{other.pk}<" not in html


def test_the_similar_cases_and_the_original_are_named_by_number(users, submit):
    original = submit(title="Pungli di loket KTP kecamatan", description="Diminta uang 50 ribu.")
    dup = submit(title="Pungli di loket KTP kecamatan", description="Diminta uang 50 ribu.")
    client = _page(users[("operator", "a")])
    html = client.get(f"/pengaduan/staf/AMN-{dup.pk}/").content.decode()
    assert f'href="/pengaduan/staf/AMN-{original.pk}/">AMN-{original.pk}</a>' in html
    assert original.tracking_code not in html
    r = client.post(
        f"/pengaduan/staf/AMN-{dup.pk}/",
        {"action": "reject", "reason": "duplikat", "duplicate_of": f"AMN-{original.pk}"},
    )
    assert r.status_code == 302
    dup.refresh_from_db()
    assert dup.duplicate_of == original
    html = client.get(f"/pengaduan/staf/AMN-{dup.pk}/").content.decode()
    assert f'<dd id="duplicate-of"><a href="/pengaduan/staf/AMN-{original.pk}/">' in html
    assert original.tracking_code not in html


def test_staff_mail_names_the_case_by_number(
    smtp, org, users, submit, django_capture_on_commit_callbacks
):
    users[("unit", "a")].email = "unit-a@test.id"
    users[("unit", "a")].save()
    with django_capture_on_commit_callbacks(execute=True):
        c = submit()
        services.verify(users[("operator", "a")], c, unit=org["a"]["bidang"])
        services.assign(users[("pengelola", "a")], c, user=users[("unit", "a")])
    mails = smtp.to("unit-a@test.id")
    assert len(mails) == 2
    for m in mails:
        assert m["subject"].endswith(f": AMN-{c.pk}")
        assert f"/pengaduan/staf/AMN-{c.pk}/" in m["body"]
        assert c.tracking_code not in m["subject"] + m["body"]


def test_a_closed_case_is_found_by_its_number_or_code_from_the_default_list(users, submit, walk):
    """The inbox lists open cases by default: a number or a code typed in the search names one case,
    which is found closed or not (it used to answer "no match" until the officer thought of the status)."""
    closed, open_case = walk(submit(), "selesai"), submit()
    client = _page(users[("pengelola", "a")])
    for ref in (f"AMN-{closed.pk}", closed.tracking_code):
        html = client.get("/pengaduan/staf/", {"q": ref}).content.decode()
        assert f"AMN-{closed.pk}<" in html and f"AMN-{open_case.pk}<" not in html, ref
    assert f"AMN-{closed.pk}<" not in client.get("/pengaduan/staf/").content.decode()
    # Every status at once, as the status list offers it.
    html = client.get("/pengaduan/staf/", {"status": "semua"}).content.decode()
    assert f"AMN-{closed.pk}<" in html and f"AMN-{open_case.pk}<" in html
    assert '<option value="semua" selected>' in html


def test_a_staff_address_by_tracking_code_moves_to_the_number(users, submit):
    """The code is the complainant's key: a staff page, receipt or evidence download opened by it (an
    old e-mail's link, a bookmark) answers with a redirect to the same address by number, so that the
    code leaves the browser's history, the next request's Referer and the rest of the server's log."""
    upload = SimpleUploadedFile("foto.txt", b"bukti pengadu", content_type="text/plain")
    c = submit(evidence=services.clean_files([upload]))
    ev = c.evidence.get()
    number, code = f"AMN-{c.pk}", c.tracking_code
    client = _page(users[("operator", "a")])
    page, receipt, download = "", "tanda-terima.pdf", f"bukti/{ev.pk}/"
    for old, rest, methods in (
        (code, page, ("get",)),  # the case page answers GET and POST
        (f"amn-{c.pk}", page, ("get",)),
        (code, receipt, ("get", "head")),
        (code, download, ("get", "head")),
    ):
        for method in methods:
            r = getattr(client, method)(f"/pengaduan/staf/{old}/{rest}")
            assert (r.status_code, r.get("Location")) == (
                302,
                f"/pengaduan/staf/{number}/{rest}",
            ), (method, old, rest)
    # The query string goes along.
    r = client.get(f"/pengaduan/staf/{code}/", {"x": "1"})
    assert r["Location"] == f"/pengaduan/staf/{number}/?x=1"
    assert client.get(f"/pengaduan/staf/{number}/bukti/{ev.pk}/").content == b"bukti pengadu"
    # Outside the officer's scope a code is not found, as before: no redirect tells that it exists.
    assert _page(users[("operator", "b")]).get(f"/pengaduan/staf/{code}/").status_code == 404


def test_a_form_posted_by_tracking_code_still_acts_and_goes_on_by_number(users, submit):
    """A case page opened before the change posts its forms to the address by code: they still work."""
    c = submit()
    r = _page(users[("operator", "a")]).post(
        f"/pengaduan/staf/{c.tracking_code}/", {"action": "note", "text": "Cek ke loket 3."}
    )
    assert r.status_code == 302 and r.url == f"/pengaduan/staf/AMN-{c.pk}/"
    assert c.events.filter(text="Cek ke loket 3.").exists()


def test_the_staff_api_names_each_case_by_number_and_opens_it_by_either(api_as, users, submit):
    c = submit()
    client = api_as(users[("operator", "a")])
    [item] = client.get("/api/v1/staff/complaints").json()["items"]
    assert item["case_number"] == f"AMN-{c.pk}"
    for ref in (f"AMN-{c.pk}", c.tracking_code):
        r = client.get(f"/api/v1/staff/complaints/{ref}")
        assert r.status_code == 200 and r.json()["case_number"] == f"AMN-{c.pk}", ref
