"""The forum API: public reads of published topics, held writes, staff moderation and official answers, each
answer checked against the schema the OpenAPI document declares (tests/core/openapi_check.py)."""

import pytest

from amanah.forum import services
from amanah.forum.models import Post, Topic
from tests.core.openapi_check import answer

TOPICS = "/api/v1/forum/topics"
TOPIC = "/api/v1/forum/topics/{id}"


def test_the_public_list_holds_published_topics_only(api, org, make_topic):
    shown = make_topic(service=org["a"]["service"])
    make_topic(status="pending")
    make_topic(status="hidden")
    body = answer(api.get(TOPICS, {"agency": "kab-a"}), "get", TOPICS)
    assert body["count"] == 1 and [t["id"] for t in body["items"]] == [shown.pk]
    item = body["items"][0]
    assert item["service"] == org["a"]["service"].code and item["author_name"] == "Warga"
    assert item["replies"] == 0 and item["answered"] is False


def test_the_list_filters_by_service_and_words_and_pages(api, org, make_topic):
    make_topic(title="Antrean panjang", service=org["a"]["service"])
    for i in range(3):
        make_topic(title=f"Pertanyaan umum {i}")
    by_service = answer(api.get(TOPICS, {"service": org["a"]["service"].code}), "get", TOPICS)
    assert [t["title"] for t in by_service["items"]] == ["Antrean panjang"]
    by_word = answer(api.get(TOPICS, {"q": "UMUM", "limit": 2}), "get", TOPICS)
    assert by_word["count"] == 3 and len(by_word["items"]) == 2
    second = answer(api.get(TOPICS, {"q": "umum", "limit": 2, "offset": 2}), "get", TOPICS)
    assert len(second["items"]) == 1


def test_unknown_agency_or_service_is_refused(api, org):
    r = api.get(TOPICS, {"agency": "tidak-ada"})
    assert r.status_code == 422 and r.json()["error"] == "unknown_agency"
    r = api.get(TOPICS, {"service": "tidak-ada"})
    assert r.status_code == 422 and r.json()["fields"]["service"]


def test_a_service_of_another_agency_is_refused_not_an_empty_list(api, org, make_topic):
    """With ``agency``, ``service`` must be one of its services: a code of another agency's service is
    a mistake to name, not a search that found nothing."""
    make_topic(agency=org["b"]["agency"], service=org["b"]["service"])
    path = TOPICS
    r = api.get(path, {"agency": "kab-a", "service": org["b"]["service"].code})
    body = answer(r, "get", path, 422)
    assert (
        body["error"] == "unknown_service" and "bukan layanan instansi" in body["fields"]["service"]
    )
    ok = answer(
        api.get(path, {"agency": "kab-b", "service": org["b"]["service"].code}), "get", path
    )
    assert ok["count"] == 1


def test_an_overlong_search_is_refused_with_its_field(api, org, make_topic):
    make_topic(title="Antrean panjang")
    r = api.get(TOPICS, {"q": "antrean " + "x" * 100})
    body = answer(r, "get", TOPICS, 400)
    assert body["error"] == "query_too_long" and "100" in body["fields"]["q"]
    assert answer(api.get(TOPICS, {"q": "a" * 100}), "get", TOPICS)["count"] == 0


def test_a_topic_with_its_published_posts_official_first(api, make_topic, moderator):
    topic = make_topic()
    held = services.submit_reply(topic, body="Masih ditahan.")
    reply = services.submit_reply(topic, body="Balasan warga.")
    services.moderate_post(moderator, reply, "publish")
    official = services.answer(moderator, topic, body="Jawaban resmi kami.")
    body = answer(api.get(f"{TOPICS}/{topic.pk}"), "get", TOPIC)
    assert [p["id"] for p in body["posts"]] == [official.pk, reply.pk]
    assert body["posts"][0]["official"] is True and body["answered"] is True
    assert held.pk not in [p["id"] for p in body["posts"]]


@pytest.mark.parametrize("status", ["pending", "hidden"])
def test_a_topic_the_public_cannot_read_is_not_found(api, make_topic, status):
    r = api.get(f"{TOPICS}/{make_topic(status=status).pk}")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    assert api.get(f"{TOPICS}/{2**63}").status_code == 404


def test_a_question_is_held(api, org):
    r = api.post(
        TOPICS,
        {
            "agency": "kab-a",
            "service": org["a"]["service"].code,
            "title": "Syarat KTP-el",
            "body": "Apa syaratnya?",
        },
    )
    body = answer(r, "post", TOPICS, 201)
    assert body["status"] == "pending"
    topic = Topic.objects.get()
    assert topic.pk == body["id"] and topic.service == org["a"]["service"]
    assert api.get(f"{TOPICS}/{topic.pk}").status_code == 404


@pytest.mark.parametrize(
    "fields,field,code",
    [
        ({"title": ""}, "title", "invalid_input"),
        ({"body": "x" * 5001}, "body", "invalid_input"),
        ({"body": "<script>alert(1)</script>"}, "body", "invalid_input"),
        ({"service": "kab-b-ktp"}, "service", "unknown_service"),
        ({"agency": "tidak-ada"}, "agency", "unknown_agency"),
    ],
)
def test_a_bad_question_gets_field_errors(api, org, fields, field, code):
    r = api.post(TOPICS, {"agency": "kab-a", "title": "Judul", "body": "Isi", **fields})
    body = answer(r, "post", TOPICS, 422)
    assert body["error"] == code and body["fields"][field]
    assert Topic.objects.count() == 0


def test_a_reply_is_held_and_a_locked_topic_refuses_one(api, make_topic):
    path = "/api/v1/forum/topics/{id}/replies"
    topic = make_topic()
    body = answer(
        api.post(f"{TOPICS}/{topic.pk}/replies", {"body": "Saya juga."}), "post", path, 201
    )
    assert body["status"] == "pending" and Post.objects.get().pk == body["id"]
    locked = make_topic(status="locked")
    r = api.post(f"{TOPICS}/{locked.pk}/replies", {"body": "Halo"})
    assert answer(r, "post", path, 409)["error"] == "locked"
    r = api.post(f"{TOPICS}/{make_topic(status='pending').pk}/replies", {"body": "Halo"})
    assert answer(r, "post", path, 404)["error"] == "not_found"


def test_public_writes_are_rate_limited(api, org, settings):
    settings.PUBLIC_FORM_RATE = (1, 600)
    data = {"agency": "kab-a", "title": "Judul", "body": "Isi"}
    assert api.post(TOPICS, data).status_code == 201
    r = api.post(TOPICS, data)
    assert answer(r, "post", TOPICS, 429)["error"] == "throttled" and r["Retry-After"]
    assert Topic.objects.count() == 1


def test_staff_queue_and_moderation(api_as, make_topic, moderator, users):
    queue_path = "/api/v1/forum/staff/queue"
    mod_path = "/api/v1/forum/staff/topics/{id}/moderation"
    topic = make_topic(status="pending")
    staff = api_as(moderator)
    body = answer(staff.get(queue_path), "get", queue_path)
    assert [t["id"] for t in body["topics"]["items"]] == [topic.pk]
    url = f"/api/v1/forum/staff/topics/{topic.pk}/moderation"
    r = staff.post(url, {"action": "hide"})
    assert answer(r, "post", mod_path, 422)["fields"]["reason"]
    r = staff.post(url, {"action": "frobnicate"})
    assert answer(r, "post", mod_path, 422)["fields"]["action"]
    body = answer(staff.post(url, {"action": "publish"}), "post", mod_path)
    assert body == {"id": topic.pk, "status": "published", "hidden_reason": ""}
    r = staff.post(url, {"action": "publish"})
    assert answer(r, "post", mod_path, 409)["error"] == "invalid_state"
    # an answerer who does not moderate is refused; another agency's staff do not see the topic
    r = api_as(users[("unit", "a")]).post(url, {"action": "lock"})
    assert answer(r, "post", mod_path, 404)["error"] == "not_found"
    r = api_as(users[("pengelola", "b")]).post(url, {"action": "lock"})
    assert answer(r, "post", mod_path, 404)["error"] == "not_found"


def test_staff_moderate_a_reply(api_as, make_topic, moderator):
    path = "/api/v1/forum/staff/posts/{id}/moderation"
    post = services.submit_reply(make_topic(), body="Balasan.")
    r = api_as(moderator).post(
        f"/api/v1/forum/staff/posts/{post.pk}/moderation", {"action": "hide", "reason": "Iklan."}
    )
    assert answer(r, "post", path)["status"] == "hidden"
    r = api_as(moderator).post(
        f"/api/v1/forum/staff/posts/{post.pk}/moderation", {"action": "lock"}
    )
    assert answer(r, "post", path, 422)["fields"]["action"]


def test_a_moderator_role_is_needed(api_as, org, make_topic, users):
    path = "/api/v1/forum/staff/topics/{id}/moderation"
    topic = make_topic(status="pending", service=org["a"]["service"])
    r = api_as(users[("operator", "a")]).post(
        f"/api/v1/forum/staff/topics/{topic.pk}/moderation", {"action": "publish"}
    )
    assert answer(r, "post", path, 403)["error"] == "forbidden"


def test_official_answer(api_as, api, make_topic, moderator, users):
    path = "/api/v1/forum/staff/topics/{id}/answers"
    topic = make_topic()
    url = f"/api/v1/forum/staff/topics/{topic.pk}/answers"
    body = answer(api_as(moderator).post(url, {"body": "Jawaban kami."}), "post", path, 201)
    assert body["official"] is True
    assert answer(api_as(moderator).post(url, {"body": ""}), "post", path, 422)["fields"]["body"]
    r = api_as(users[("pengelola", "b")]).post(url, {"body": "Bukan kami."})
    assert answer(r, "post", path, 404)["error"] == "not_found"
    assert answer(api.post(url, {"body": "x"}), "post", path, 401)["error"] == "unauthorized"
    assert Post.objects.filter(official=True).count() == 1


def test_the_queue_is_for_moderators(api_as, users):
    path = "/api/v1/forum/staff/queue"
    r = api_as(users[("auditor", "a")]).get(path)
    assert answer(r, "get", path, 403)["error"] == "forbidden"


def test_the_page_and_the_api_share_one_rate_limit(api, org, make_topic, settings):
    """Asking and replying, on the page or through the API, count together for one client."""
    from django.test import Client

    settings.PUBLIC_FORM_RATE = (2, 600)
    topic = make_topic()
    page = Client()
    r = page.post("/forum/kab-a/baru/", {"title": "Judul", "body": "Isi"})
    assert r.status_code == 302
    assert api.post(f"{TOPICS}/{topic.pk}/replies", {"body": "Balasan"}).status_code == 201
    r = page.post(f"/forum/topik/{topic.pk}/", {"kirim": "balasan", "body": "Lagi"})
    assert r.status_code == 429 and "Lagi" in r.content.decode()
    assert api.post(TOPICS, {"agency": "kab-a", "title": "J", "body": "I"}).status_code == 429
    assert Topic.objects.count() == 2 and Post.objects.count() == 1


def test_a_citizen_cannot_make_a_reply_official_or_published(api, make_topic):
    topic = make_topic()
    path = f"{TOPICS}/{topic.pk}/replies"
    data = {"body": "Saya petugas.", "official": True, "status": "published", "author": 1}
    assert answer(api.post(path, data), "post", "/api/v1/forum/topics/{id}/replies", 201)
    post = Post.objects.get()
    assert not post.official and post.status == "pending" and post.author_id is None


def test_the_staff_queue_is_paged_with_a_count(api_as, make_topic, moderator):
    """Each list of the queue says how many wait and holds those from ``offset`` on, at most ``limit``
    (it stopped at 200 without saying so)."""
    path = "/api/v1/forum/staff/queue"
    held = [make_topic(status="pending", title=f"Topik {n}") for n in range(3)]
    post = services.submit_reply(make_topic(), body="Balasan.")
    staff = api_as(moderator)
    body = answer(staff.get(path, {"limit": 2}), "get", path)
    assert body["topics"]["count"] == 3 and body["topics"]["count_more"] is False
    assert [t["id"] for t in body["topics"]["items"]] == [held[0].pk, held[1].pk]
    assert body["posts"]["count"] == 1 and [p["id"] for p in body["posts"]["items"]] == [post.pk]
    body = answer(staff.get(path, {"limit": 2, "offset": 2}), "get", path)
    assert [t["id"] for t in body["topics"]["items"]] == [held[2].pk]
    assert body["posts"] == {"count": 1, "count_more": False, "items": []}


def _head(client, path, params=None):
    return client.client.head(path, params or {}, headers=client._headers(None))


def test_the_read_operations_answer_head_as_get(api, api_as, make_topic, moderator, users):
    """HEAD is answered as GET is, refusals included, without a body (it was 405)."""
    topic = make_topic()
    make_topic(status="pending")
    staff = api_as(moderator)
    reads = [
        (api, TOPICS, {"agency": "kab-a"}),
        (api, TOPIC.format(id=topic.pk), {}),
        (api, TOPIC.format(id=topic.pk + 100), {}),  # 404
        (api, TOPICS, {"q": "x" * 101}),  # 400
        (api, TOPICS, {"agency": "tidak-ada"}),  # 422
        (staff, "/api/v1/forum/staff/queue", {"limit": 1}),
        (api_as(users[("auditor", "a")]), "/api/v1/forum/staff/queue", {}),  # 403
        (api, "/api/v1/forum/staff/queue", {}),  # 401
    ]
    statuses = []
    for client, path, params in reads:
        get, head = client.get(path, params), _head(client, path, params)
        assert head.status_code == get.status_code, (path, params)
        assert head.content == b"", path
        assert head["Content-Type"] == get["Content-Type"], path
        assert int(head["Content-Length"]) == len(get.content), path
        statuses.append(get.status_code)
    assert statuses == [200, 200, 404, 400, 422, 200, 403, 401]


def test_each_list_of_the_queue_has_its_own_window(api_as, make_topic, moderator):
    """A moderator goes through the held replies while staying on the first page of topics: each list takes
    its own limit and offset (one pair paged both, so the second page of replies skipped topics too)."""
    path = "/api/v1/forum/staff/queue"
    held = [make_topic(status="pending", title=f"Topik {n}") for n in range(3)]
    published = make_topic()
    replies = [services.submit_reply(published, body=f"Balasan {n}.") for n in range(4)]
    staff = api_as(moderator)
    body = answer(
        staff.get(path, {"topics_limit": 1, "posts_limit": 2, "posts_offset": 2}), "get", path
    )
    assert [t["id"] for t in body["topics"]["items"]] == [held[0].pk]
    assert [p["id"] for p in body["posts"]["items"]] == [replies[2].pk, replies[3].pk]
    assert body["topics"]["count"] == 3 and body["posts"]["count"] == 4
    # The shared pair still gives both lists their default; a list's own parameter wins over it.
    body = answer(staff.get(path, {"limit": 1, "offset": 1, "topics_offset": 2}), "get", path)
    assert [t["id"] for t in body["topics"]["items"]] == [held[2].pk]
    assert [p["id"] for p in body["posts"]["items"]] == [replies[1].pk]
    # Out of range: brought within 1 … 200 as every list is.
    body = answer(staff.get(path, {"topics_limit": 0, "posts_limit": 500}), "get", path)
    assert len(body["topics"]["items"]) == 1 and len(body["posts"]["items"]) == 4
    # The parameters are documented in the OpenAPI document.
    params = {
        p["name"]
        for p in staff.get("/api/v1/openapi.json").json()["paths"][path]["get"]["parameters"]
    }
    assert {"topics_limit", "topics_offset", "posts_limit", "posts_offset"} <= params
