"""Answer templates: the services that change and remove one, the staff page that manages them and the
API operations, each scoped to the template's agency and open to its complaint managers only."""

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from amanah.complaints import services
from amanah.complaints.models import AnswerTemplate, ComplaintEvent
from amanah.core import audit
from amanah.core.models import AuditEntry
from tests.tables import assert_stacked

pytestmark = pytest.mark.django_db

PAGE = "/pengaduan/staf/templat/"


@pytest.fixture
def template(org, users):
    return services.save_template(
        users[("pengelola", "a")],
        org["a"]["agency"],
        title="KTP siap",
        body="KTP-el Anda sudah dapat diambil di loket 3.",
    )


@pytest.fixture
def other(org, users):
    return services.save_template(
        users[("pengelola", "b")], org["b"]["agency"], title="Di B", body="Teks instansi B."
    )


def _page(user):
    client = Client()
    client.force_login(user)
    return client


# --- Services ------------------------------------------------------------------------------------------


def test_update_template_cleans_the_text_and_is_audited(users, template):
    t = services.update_template(
        users[("pengelola", "a")], template, title="  KTP   sudah  siap ", body=" Silakan ambil. "
    )
    t.refresh_from_db()
    assert (t.title, t.body) == ("KTP sudah siap", "Silakan ambil.")
    entry = AuditEntry.objects.filter(action="complaints.template_updated").get()
    assert entry.agency_id_ref == template.agency_id and entry.object_id == str(t.pk)
    assert audit.verify().ok


@pytest.mark.parametrize(
    "title, body, code",
    [
        ("", "Teks", "required"),
        ("<b>KTP</b>", "Teks", "markup"),
        ("KTP", "x" * 5001, "too_long"),
        ("KTP", "Teks\x07", "control_character"),
    ],
)
def test_update_template_refuses_bad_text_and_keeps_the_old(users, template, title, body, code):
    with pytest.raises(services.ComplaintError) as exc:
        services.update_template(users[("pengelola", "a")], template, title=title, body=body)
    assert exc.value.code == code
    template.refresh_from_db()
    assert template.title == "KTP siap"
    assert not AuditEntry.objects.filter(action="complaints.template_updated").exists()


@pytest.mark.parametrize("who", [("operator", "a"), ("unit", "a"), ("pengelola", "b")])
def test_only_a_manager_of_the_templates_agency_changes_or_removes_it(users, template, who):
    with pytest.raises(PermissionDenied):
        services.update_template(users[who], template, title="Lain", body="Lain")
    with pytest.raises(PermissionDenied):
        services.delete_template(users[who], template)
    template.refresh_from_db()
    assert template.title == "KTP siap"


def test_delete_template_is_audited_and_leaves_sent_answers(users, template, submit, walk):
    c = walk(submit(), "diproses")
    services.answer(users[("unit", "a")], c, text=template.body)
    services.delete_template(users[("pengelola", "a")], template)
    assert not AnswerTemplate.objects.exists()
    entry = AuditEntry.objects.filter(action="complaints.template_deleted").get()
    assert entry.agency_id_ref == template.agency_id and entry.details["title"] == "KTP siap"
    answered = ComplaintEvent.objects.filter(complaint=c, action="answer").get()
    assert answered.text == "KTP-el Anda sudah dapat diambil di loket 3."
    assert audit.verify().ok


# --- The staff page ------------------------------------------------------------------------------------


def test_the_page_lists_the_agencys_templates_in_a_stacked_table(users, template, other):
    r = _page(users[("pengelola", "a")]).get(PAGE)
    assert r.status_code == 200
    page = html.unescape(r.content.decode())
    assert "KTP siap" in page and "KTP-el Anda sudah dapat diambil" in page
    assert "Di B" not in page
    (table,) = assert_stacked(r.content.decode(), at_least=1)
    assert table["region"] == "Daftar templat"


def test_the_inbox_links_the_page_for_managers_only(users):
    assert PAGE in _page(users[("pengelola", "a")]).get("/pengaduan/staf/").content.decode()
    assert PAGE not in _page(users[("operator", "a")]).get("/pengaduan/staf/").content.decode()


@pytest.mark.parametrize("role", ["operator", "unit", "pimpinan", "auditor"])
def test_roles_that_may_not_manage_get_403(users, template, role):
    client = _page(users[(role, "a")])
    assert client.get(PAGE).status_code == 403
    r = client.post(PAGE, {"action": "delete", "template": template.pk, "confirm": "1"})
    assert r.status_code == 403 and AnswerTemplate.objects.filter(pk=template.pk).exists()


def test_add_edit_and_delete_on_the_page(users, template):
    client = _page(users[("pengelola", "a")])
    r = client.post(PAGE, {"action": "add", "title": "Blangko habis", "body": "Blangko kosong."})
    assert r.status_code == 302
    assert AnswerTemplate.objects.filter(title="Blangko habis").exists()
    r = client.post(
        PAGE, {"action": "edit", "template": template.pk, "title": "KTP jadi", "body": "Ambil."}
    )
    assert r.status_code == 302
    template.refresh_from_db()
    assert (template.title, template.body) == ("KTP jadi", "Ambil.")
    # Deleting asks first, naming the template; only the confirmation removes it.
    r = client.post(PAGE, {"action": "delete", "template": template.pk})
    assert r.status_code == 200 and "Hapus templat “KTP jadi”?" in html.unescape(r.content.decode())
    assert AnswerTemplate.objects.filter(pk=template.pk).exists()
    r = client.post(PAGE, {"action": "delete", "template": template.pk, "confirm": "1"})
    assert r.status_code == 302 and not AnswerTemplate.objects.filter(pk=template.pk).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "complaints.template_saved",
        "complaints.template_updated",
        "complaints.template_deleted",
    } <= actions


def test_a_refused_form_keeps_the_text_and_sums_up_the_errors(users, template):
    client = _page(users[("pengelola", "a")])
    r = client.post(PAGE, {"action": "add", "title": "", "body": "Teks yang saya ketik panjang"})
    page = html.unescape(r.content.decode())
    assert r.status_code == 400 and 'id="form-errors"' in page
    assert "Teks yang saya ketik panjang" in page and 'href="#baru-title"' in page
    r = client.post(
        PAGE,
        {"action": "edit", "template": template.pk, "title": "Judul baru", "body": "<b>tebal</b>"},
    )
    page = html.unescape(r.content.decode())
    assert r.status_code == 400 and 'id="form-errors"' in page
    assert f'href="#templat-{template.pk}-body"' in page and "HTML" in page
    assert "Judul baru" in page and "<details open>" in page
    template.refresh_from_db()
    assert template.title == "KTP siap"


def test_another_agencys_template_is_not_found(users, other):
    client = _page(users[("pengelola", "a")])
    r = client.post(PAGE, {"action": "edit", "template": other.pk, "title": "X", "body": "Y"})
    assert r.status_code == 404
    r = client.post(PAGE, {"action": "delete", "template": other.pk, "confirm": "1"})
    assert r.status_code == 404
    assert client.get(PAGE, {"instansi": "kab-b"}).status_code == 404
    other.refresh_from_db()
    assert other.title == "Di B"


def test_a_manager_of_several_agencies_picks_one(org, users, make_user, template, other):
    from amanah.core.models import RoleAssignment

    both = users[("pengelola", "a")]
    RoleAssignment.objects.create(user=both, role="pengelola", agency=org["b"]["agency"])
    client = _page(both)
    page = html.unescape(client.get(PAGE).content.decode())
    assert 'name="instansi"' in page and "KTP siap" not in page and "Di B" not in page
    page = html.unescape(client.get(PAGE, {"instansi": "kab-b"}).content.decode())
    assert "Di B" in page and "KTP siap" not in page
    r = client.post(PAGE + "?instansi=kab-b", {"action": "add", "title": "B2", "body": "Teks."})
    assert r.status_code == 302 and r["Location"].endswith("?instansi=kab-b")
    assert AnswerTemplate.objects.get(title="B2").agency == org["b"]["agency"]


# --- The API -------------------------------------------------------------------------------------------


def _path(t):
    return f"/api/v1/staff/answer-templates/{t.pk}"


def test_api_replaces_changes_and_removes_a_template(api_as, users, template):
    manager = api_as(users[("pengelola", "a")])
    r = manager.put(_path(template), {"title": "KTP jadi", "body": "Silakan ambil."})
    assert r.status_code == 200 and r.json() == {
        "id": template.pk,
        "title": "KTP jadi",
        "body": "Silakan ambil.",
    }
    r = manager.patch(_path(template), {"body": "Ambil di loket 2."})
    assert r.status_code == 200 and r.json()["title"] == "KTP jadi"
    assert r.json()["body"] == "Ambil di loket 2."
    r = manager.put(_path(template), {"title": "KTP", "body": "<script>x</script>"})
    assert r.status_code == 422 and r.json()["error"] == "markup" and "body" in r.json()["fields"]
    assert manager.delete(_path(template)).status_code == 204
    assert not AnswerTemplate.objects.exists()
    assert manager.delete(_path(template)).status_code == 404


def test_api_keeps_each_agency_to_its_own_templates(api_as, users, template, other):
    manager = api_as(users[("pengelola", "a")])
    assert manager.put(_path(other), {"title": "X", "body": "Y"}).status_code == 404
    assert manager.patch(_path(other), {"title": "X"}).status_code == 404
    assert manager.delete(_path(other)).status_code == 404
    operator = api_as(users[("operator", "a")])
    r = operator.delete(_path(template))
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    assert AnswerTemplate.objects.count() == 2


def test_each_rows_actions_are_short_on_screen_and_named_in_full(users, template):
    """On a 320 px phone the actions cell holds two short words ("Ubah", "Hapus…") stacked in one block,
    not a title-long button squeezed letter by letter; screen readers hear which template each acts on,
    the visible word first."""
    import re

    page = html.unescape(_page(users[("pengelola", "a")]).get(PAGE).content.decode())
    summary = re.search(r'<summary aria-label="([^"]*)">([^<]*)</summary>', page)
    button = re.search(r'<button type="submit" aria-label="([^"]*)">([^<]*)</button>', page)
    assert summary.groups() == (f"Ubah templat “{template.title}”", "Ubah")
    assert button.groups() == (f"Hapus templat “{template.title}”…", "Hapus…")
    cell = re.search(r'<td data-label="Ubah atau hapus">(.*?)</td>', page, re.S).group(1)
    assert cell.startswith("<div>") and cell.endswith("</div>")  # one block in the flex cell
