"""The complaint API's answers are what the OpenAPI document declares for them (each checked against its
schema, ``tests/core/openapi_check.py``: a key the schema does not describe fails, and so does one it
lists that is missing), and declaring them changed none: the complainant's case, the published list, the
inbox, the staff case and a timeline step are exactly what ``api`` builds for them (``public_view``,
``_summary``, ``staff_view``, ``_event``), for each identity mode and for a staff reader who may not see
who complained. ninja passes an answer through its schema and drops any key it does not list: a key left
out of a schema would be missing here, not refused."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse

from amanah.complaints import api as complaints_api
from amanah.complaints import services
from amanah.complaints.models import Complaint, ComplaintEvent
from amanah.core.files import CleanFile
from tests.core.openapi_check import answer, as_json

from .conftest import BASE

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/complaints"
STAFF = "/api/v1/staff/complaints"
#: The operations as the document names them.
TRACK = PUBLIC + "/{tracking_code}"
CASE = STAFF + "/{tracking_code}"
TEMPLATES = "/api/v1/staff/answer-templates"

IDENTITY = {"name": "Siti Aminah", "email": "siti@example.id", "phone": "081234567890"}
NO_IDENTITY = {"name": "", "email": "", "phone": ""}


def _public(c):
    return as_json(complaints_api.public_view(Complaint.objects.get(pk=c.pk)))


def _staff(user, c):
    return as_json(complaints_api.staff_view(user, Complaint.objects.get(pk=c.pk)))


def _answered(users, org, c):
    """``c`` forwarded, taken up and answered, the answer with a letter attached."""
    letter = SimpleUploadedFile("surat.txt", b"Surat jawaban", content_type="text/plain")
    c = services.verify(users[("operator", "a")], c, unit=org["a"]["bidang"])
    c = services.start(users[("unit", "a")], c)
    return services.answer(
        users[("unit", "a")],
        c,
        text="KTP-el Anda sudah dicetak dan dapat diambil di loket 3.",
        attachments=services.clean_attachments([letter]),
    )


@pytest.mark.parametrize("mode", ["biasa", "rahasia", "anonim"])
def test_the_complainants_answers_in_each_identity_mode(api, org, users, mode):
    data = dict(BASE, service="kab-a-ktp", identity_mode=mode)
    data.update(NO_IDENTITY if mode == "anonim" else {})
    created = answer(api.post(PUBLIC, data), "post", PUBLIC, 201)
    c = Complaint.objects.get(tracking_code=created["tracking_code"])
    assert created == as_json(complaints_api._created(c))
    code = c.tracking_code

    tracked = answer(api.get(f"{PUBLIC}/{code}"), "get", TRACK)
    assert tracked == _public(c)
    assert tracked["identity_mode"] == mode and tracked["can_reply"] is True
    # Never an identity for the holder of the code, whatever the mode.
    assert not {"complainant", "name", "email", "phone"} & set(tracked)
    assert IDENTITY["email"] not in json.dumps(tracked)

    replied = answer(
        api.post(f"{PUBLIC}/{code}/replies", {"text": "Nomor antrean saya 17."}),
        "post",
        TRACK + "/replies",
        201,
    )
    assert replied == _public(c)
    assert replied["timeline"][-1]["by"] == "pengadu"

    c = _answered(users, org, Complaint.objects.get(pk=c.pk))
    tracked = answer(api.get(f"{PUBLIC}/{code}"), "get", TRACK)
    assert tracked == _public(c)
    [step] = tracked["answers"]
    assert [f["filename"] for f in step["attachments"]] == [
        c.evidence.get(shared=True).file.filename
    ]
    confirmed = answer(api.post(f"{PUBLIC}/{code}/confirm", {}), "post", TRACK + "/confirm")
    assert confirmed == _public(c) and confirmed["status"] == "selesai"
    assert confirmed["can_rate"] is True and confirmed["rating"] is None
    rated = answer(
        api.post(f"{PUBLIC}/{code}/rating", {"rating": 4, "comment": "Cepat."}),
        "post",
        TRACK + "/rating",
    )
    assert rated == _public(c) and rated["rating"] == 4 and rated["can_rate"] is False


def test_the_dispute_answers_the_reopened_case(api, org, users, submit):
    c = _answered(users, org, submit())
    disputed = answer(
        api.post(f"{PUBLIC}/{c.tracking_code}/dispute", {"reason": "KTP-el belum ada di loket."}),
        "post",
        TRACK + "/dispute",
    )
    assert disputed == _public(c) and disputed["status"] != "dijawab"


def test_the_published_list_names_no_identity_and_no_code(api, api_as, users, submit):
    c = submit(publish=True)
    manager = api_as(users[("pengelola", "a")])
    approved = answer(
        manager.post(f"{STAFF}/{c.tracking_code}/publish", {"approve": True}),
        "post",
        CASE + "/publish",
    )
    assert approved == _staff(users[("pengelola", "a")], c) and approved["publish_approved"]
    page = answer(api.get(f"{PUBLIC}/published"), "get", f"{PUBLIC}/published")
    c = Complaint.objects.get(pk=c.pk)
    assert page == {
        "count": 1,
        "count_more": False,
        "items": [
            as_json(
                {
                    "id": f"AMN-{c.pk}",
                    "title": c.title,
                    "description": c.description,
                    "kind": c.kind,
                    "status": c.status,
                    "status_label": c.get_status_display(),
                    "agency": complaints_api._ref(c.agency),
                    "service": complaints_api._ref(c.service),
                    "received_at": c.received_at,
                    "closed_at": None,
                }
            )
        ],
    }
    text = json.dumps(page)
    assert c.tracking_code not in text and IDENTITY["name"] not in text


def test_the_staff_answers_through_the_workflow(api, api_as, org, users):
    operator, unit, manager = (users[(r, "a")] for r in ("operator", "unit", "pengelola"))
    op, un, mg = api_as(operator), api_as(unit), api_as(manager)
    intake = dict(
        BASE,
        service="kab-a-ktp",
        channel="datang_langsung",
        publish="on",
        evidence=[
            SimpleUploadedFile("antrean.txt", b"nomor antrean 17", content_type="text/plain")
        ],
    )
    created = answer(op.post(STAFF, intake, multipart=True), "post", STAFF, 201)
    c = Complaint.objects.get(tracking_code=created["tracking_code"])
    assert created == as_json(complaints_api._created(c))
    code, path = c.tracking_code, f"{STAFF}/{c.tracking_code}"

    page = answer(op.get(STAFF), "get", STAFF)
    assert page["items"] == [as_json(complaints_api._summary(c))]
    detail = answer(op.get(path), "get", CASE)
    assert detail == _staff(operator, c)
    assert detail["complainant"] == IDENTITY and detail["entered_by"] == operator.get_full_name()
    [ev] = detail["evidence"]
    file = answer(op.get(f"{path}/evidence/{ev['id']}"), "get", CASE + "/evidence/{evidence_id}")
    assert file == b"nomor antrean 17"

    def step(client, user, action, body):
        out = answer(client.post(f"{path}/{action}", body), "post", f"{CASE}/{action}")
        assert out == _staff(user, c), action
        return out

    step(op, operator, "request-completion", {"message": "Mohon lampirkan tanda terima."})
    step(op, operator, "complete", {"note": "Pengadu melengkapi lewat telepon."})
    step(op, operator, "verify", {"unit": "kab-a-dafduk", "tier": "normatif"})
    assert step(op, operator, "assign", {"user": unit.pk})["assignee"] == unit.get_full_name()
    step(un, unit, "start", {"note": "Dicek ke gudang blangko."})
    note = answer(
        un.post(f"{path}/notes", {"text": "Blangko habis sampai Jumat."}),
        "post",
        CASE + "/notes",
        201,
    )
    event = ComplaintEvent.objects.get(complaint=c, kind="catatan")
    assert note == as_json(complaints_api._event(event, staff=True)) and note["public"] is False
    letter = SimpleUploadedFile("surat.txt", b"Surat jawaban", content_type="text/plain")
    answered = answer(
        un.post(
            f"{path}/answer",
            {"text": "KTP-el sudah dicetak.", "attachments": [letter]},
            multipart=True,
        ),
        "post",
        CASE + "/answer",
    )
    assert answered == _staff(unit, c)
    assert [e["shared_with_complainant"] for e in answered["evidence"]] == [False, True]
    assert answered["events"][-1]["attachments"][0]["filename"].endswith(".txt")
    public = answer(api.get(f"{PUBLIC}/{code}"), "get", TRACK)
    assert public == _public(c) and len(public["answers"][0]["attachments"]) == 1
    answer(
        api.post(f"{PUBLIC}/{code}/dispute", {"reason": "Belum ada."}), "post", TRACK + "/dispute"
    )
    step(mg, manager, "escalate", {"reason": "Sudah dua kali disanggah."})
    step(mg, manager, "refer", {"note": "Diteruskan ke Ombudsman RI."})
    assert step(mg, manager, "publish", {"approve": True})["publish_approved"] is True

    # Forwarded elsewhere in the agency; rejected as a duplicate of the first case.
    moved = services.verify(operator, _new(), unit=org["a"]["bidang"])
    out = answer(
        mg.post(f"{STAFF}/{moved.tracking_code}/reassign", {"unit": "kab-a-dukcapil"}),
        "post",
        CASE + "/reassign",
    )
    assert out == _staff(manager, moved) and out["unit"]["code"] == "kab-a-dukcapil"
    dup = _new()
    out = answer(
        op.post(
            f"{STAFF}/{dup.tracking_code}/reject",
            {"reason": "duplikat", "duplicate_of": f"AMN-{c.pk}"},
        ),
        "post",
        CASE + "/reject",
    )
    assert out == _staff(operator, dup)
    assert (out["duplicate_of"], out["duplicate_of_number"]) == (code, f"AMN-{c.pk}")


def _new(**over):
    from amanah.core.models import Service

    data = dict(BASE, service=Service.objects.get(code="kab-a-ktp"), agency=None, **over)
    return services.submit(None, data, [], channel="web")


def test_the_transfer_answers_the_new_case_only_to_who_may_open_it(api_as, users, submit):
    for user, shown in ((users[("operator", "a")], False), (users[("admin", None)], True)):
        c = submit()
        out = answer(
            api_as(user).post(f"{STAFF}/{c.tracking_code}/transfer", {"agency": "kab-b"}),
            "post",
            CASE + "/transfer",
        )
        new = Complaint.objects.get(pk=c.pk).transfers.get()
        assert out == {
            **_staff(user, c),
            "new_case": new.tracking_code if shown else None,
            "new_case_number": f"AMN-{new.pk}" if shown else None,
        }
        assert out["transferred_to_numbers"] == ([f"AMN-{new.pk}"] if shown else [])


@pytest.mark.parametrize("mode", ["biasa", "rahasia", "anonim"])
def test_the_staff_case_in_each_identity_mode_for_each_reader(api_as, users, submit, mode):
    """The operator handles the case; the inspectorate reads it but handles it not, so it sees no
    *rahasia* identity and opens none of its files. Who may not see the identity gets ``complainant``
    ``null`` (the key is there, as it always was) and ``identity_hidden``."""
    c = submit(
        identity_mode=mode,
        evidence=[CleanFile("catatan.txt", "text/plain", b"nomor antrean 17")],
        **(NO_IDENTITY if mode == "anonim" else {}),
    )
    for role, sees in (("operator", mode != "anonim"), ("inspektorat", mode == "biasa")):
        user = users[(role, "a")]
        client = api_as(user)
        body = answer(client.get(f"{STAFF}/{c.tracking_code}"), "get", CASE)
        assert body == _staff(user, c), role
        assert body["complainant"] == (IDENTITY if sees else None), role
        assert body["identity_hidden"] is (mode != "biasa" and not sees), role
        withheld = mode == "rahasia" and role == "inspektorat"
        assert body["evidence_withheld"] is withheld and len(body["evidence"]) == (not withheld)
        assert body["evidence_count"] == 1
        page = answer(client.get(STAFF), "get", STAFF)
        assert page["items"] == [as_json(complaints_api._summary(c))]
        assert not {"complainant", "name", "email", "phone"} & set(page["items"][0])


def test_each_similar_case_is_named_by_its_case_number(api_as, users, submit):
    """A possible duplicate names the other case by its case number (the staff name of a case), beside
    its tracking code."""
    original = submit(
        title="KTP-el belum dicetak tiga bulan",
        description="Perekaman KTP-el sudah tiga bulan belum dicetak",
    )
    c = submit(
        title="KTP-el belum dicetak",
        description="Sudah tiga bulan perekaman KTP-el belum dicetak juga",
    )
    operator = users[("operator", "a")]
    body = answer(api_as(operator).get(f"{STAFF}/AMN-{c.pk}"), "get", CASE)
    assert body == _staff(operator, c)
    [similar] = body["similar"]
    assert similar["case_number"] == f"AMN-{original.pk}"
    assert similar["tracking_code"] == original.tracking_code
    assert set(similar) == {"case_number", "tracking_code", "title", "status", "score"}


def test_the_answer_templates(api_as, users):
    manager = api_as(users[("pengelola", "a")])
    added = answer(
        manager.post(TEMPLATES, {"agency": "kab-a", "title": "Siap", "body": "KTP siap."}),
        "post",
        TEMPLATES,
        201,
    )
    one = f"{TEMPLATES}/{added['id']}"
    listed = answer(manager.get(TEMPLATES, {"agency": "kab-a"}), "get", TEMPLATES)
    assert listed == [added]
    replaced = answer(
        manager.put(one, {"title": "Jadi", "body": "KTP jadi."}),
        "put",
        TEMPLATES + "/{template_id}",
    )
    assert replaced == {"id": added["id"], "title": "Jadi", "body": "KTP jadi."}
    changed = answer(
        manager.patch(one, {"body": "Ambil di loket 3."}), "patch", TEMPLATES + "/{template_id}"
    )
    assert changed == {"id": added["id"], "title": "Jadi", "body": "Ambil di loket 3."}


def _served(body) -> HttpResponse:
    response = HttpResponse(json.dumps(body), content_type="application/json")
    response.json = lambda: body
    return response


def test_a_case_with_a_key_dropped_or_invented_does_not_pass(api_as, users, submit):
    """The check itself: the staff case without a key it always carries (``complainant``, ``null`` for
    who may not see it; a similar case's ``case_number``), or with one more, fails."""
    submit(title="KTP-el belum dicetak tiga bulan", description="Perekaman KTP-el belum dicetak")
    c = submit(
        title="KTP-el belum dicetak", description="Perekaman KTP-el tiga bulan belum dicetak"
    )
    body = answer(
        api_as(users[("inspektorat", "a")]).get(f"{STAFF}/{c.tracking_code}"), "get", CASE
    )
    assert body["similar"]
    answer(_served(body), "get", CASE)
    without = {k: v for k, v in body.items() if k != "complainant"}
    unnumbered = {
        **body,
        "similar": [{k: v for k, v in body["similar"][0].items() if k != "case_number"}],
    }
    for changed in (
        without,
        {**body, "nik": "3404012345670001"},
        unnumbered,
        {**body, "events": [{**body["events"][0], "ip": "10.0.0.1"}]},
        {**body, "received_at": "kemarin"},
    ):
        with pytest.raises(AssertionError):
            answer(_served(changed), "get", CASE)
