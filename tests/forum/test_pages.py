"""Forum pages: reading, asking and replying without JavaScript, refusals that keep what was typed, the
message after sending, and the staff's moderation and official answer pages."""

import re

import pytest
from django.test import Client

from amanah.forum import services
from amanah.forum.models import Post, Topic
from tests.error_summary import checked_summary


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def client():
    return Client()


def test_the_index_lists_agencies_and_links_each_forum(client, org, make_topic):
    make_topic()
    r = client.get("/forum/")
    assert r.status_code == 200
    page = r.content.decode()
    assert 'href="/forum/kab-a/"' in page and 'href="/forum/kab-b/"' in page


def test_an_agencys_forum_lists_published_topics_only(client, org, make_topic):
    shown = make_topic(title="Jadwal loket Sabtu")
    make_topic(status="pending", title="Masih ditahan")
    make_topic(status="hidden", title="Disembunyikan moderator")
    make_topic(agency=org["b"]["agency"], title="Topik instansi lain")
    page = client.get("/forum/kab-a/").content.decode()
    assert shown.title in page
    for hidden in ("Masih ditahan", "Disembunyikan moderator", "Topik instansi lain"):
        assert hidden not in page


def test_the_service_filter_and_the_search_narrow_the_list(client, org, make_topic):
    make_topic(title="Syarat KTP-el hilang", service=org["a"]["service"])
    make_topic(title="Jam buka kantor", body="Kapan kantor buka pada hari libur?")
    by_service = _text(client.get("/forum/kab-a/", {"layanan": org["a"]["service"].code}))
    assert "Syarat KTP-el hilang" in by_service and "Jam buka kantor" not in by_service
    by_word = _text(client.get("/forum/kab-a/", {"cari": "LIBUR"}))
    assert "Jam buka kantor" in by_word and "Syarat KTP-el hilang" not in by_word
    unknown = client.get("/forum/kab-a/", {"layanan": "tidak-ada"})
    assert unknown.status_code == 200 and "tidak dikenal" in _text(unknown)


def test_an_empty_search_says_nothing_matched_not_that_there_are_no_topics(client, org, make_topic):
    make_topic(title="Jam buka kantor")
    r = _text(client.get("/forum/kab-a/", {"cari": "paspor"}))
    assert "Tidak ada topik yang cocok" in r and "Belum ada topik" not in r
    assert "Belum ada topik" in _text(client.get("/forum/kab-b/"))


def test_what_citizens_typed_is_escaped_on_every_page(client, org, make_topic, moderator):
    """The forms refuse markup, but rows can come from elsewhere (an import, the admin, an old version):
    the pages escape whatever a title, a text, a name or a reason holds."""
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    topic = make_topic()
    Topic.objects.filter(pk=topic.pk).update(title=evil, body=evil, author_name=evil)
    held = Topic.objects.create(
        agency=org["a"]["agency"],
        title=evil,
        body=evil,
        author_name=evil,
        created_on=topic.created_on,
    )
    post = Post.objects.create(
        topic=topic, body=evil, author_name=evil, status="published", created_on=topic.created_on
    )
    Topic.objects.filter(pk=held.pk).update(status="hidden", hidden_reason=evil)
    client.force_login(moderator)
    pending = Post.objects.create(
        topic=topic, body=evil, author_name=evil, created_on=topic.created_on
    )
    paths = ["/forum/kab-a/", f"/forum/topik/{topic.pk}/", "/forum/staf/"]
    paths += [f"/forum/staf/topik/{held.pk}/", f"/forum/staf/balasan/{post.pk}/"]
    paths += [f"/forum/staf/balasan/{pending.pk}/", f"/forum/kab-a/terkirim/?topik={topic.pk}"]
    for path in paths:
        page = client.get(path).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;alert(1)" in page or path.endswith(f"?topik={topic.pk}"), path


def test_a_moderator_sees_an_official_answer_marked_as_such(client, make_topic, moderator):
    post = services.answer(moderator, make_topic(), body="Jawaban kami.")
    client.force_login(moderator)
    page = client.get(f"/forum/staf/balasan/{post.pk}/").content.decode()
    assert 'aria-label="Jawaban resmi"' in page and 'aria-label="Balasan warga"' not in page


def test_pending_and_hidden_topics_are_not_found(client, make_topic):
    for status in ("pending", "hidden"):
        assert client.get(f"/forum/topik/{make_topic(status=status).pk}/").status_code == 404
    assert client.get("/forum/topik/99999999999999999999/").status_code == 404


def test_an_inactive_agencys_topics_are_not_public(client, api, org, make_topic):
    topic = make_topic()
    agency = org["a"]["agency"]
    agency.is_active = False
    agency.save(update_fields=["is_active"])
    assert client.get(f"/forum/topik/{topic.pk}/").status_code == 404
    r = client.post(f"/forum/topik/{topic.pk}/", {"kirim": "balasan", "body": "Halo"})
    assert r.status_code == 404
    assert api.get(f"/api/v1/forum/topics/{topic.pk}").status_code == 404
    assert api.get("/api/v1/forum/topics").json()["count"] == 0
    r = api.post(f"/api/v1/forum/topics/{topic.pk}/replies", {"body": "Halo"})
    assert r.status_code == 404 and not Post.objects.exists()


def test_a_citizen_asks_without_an_account_and_learns_it_waits(client, org):
    r = client.post(
        "/forum/kab-a/baru/",
        {
            "service": org["a"]["service"].pk,
            "title": "Syarat KTP-el",
            "body": "Apa syaratnya?",
            "author_name": "",
        },
    )
    assert r.status_code == 302 and r["Location"] == "/forum/kab-a/terkirim/?jenis=topik"
    topic = Topic.objects.get()
    assert topic.status == "pending" and topic.service == org["a"]["service"]
    sent = _text(client.get(r["Location"]))
    assert "menunggu moderasi" in sent.lower()
    assert "Jangan tulis data pribadi" in sent
    assert 'href="/pengaduan/"' in client.get(r["Location"]).content.decode()


@pytest.mark.parametrize(
    "fields,field,message",
    [
        ({"title": "", "body": "Isi yang saya ketik"}, "title", "Bagian ini wajib diisi."),
        (
            {"title": "x" * 201, "body": "Isi yang saya ketik"},
            "title",
            "Paling banyak 200 karakter",
        ),
        (
            {"title": "Judul", "body": "Isi yang saya ketik <b>tebal</b>"},
            "body",
            "tidak boleh berisi HTML",
        ),
    ],
)
def test_a_refused_topic_keeps_what_was_typed(client, org, fields, field, message):
    r = client.post("/forum/kab-a/baru/", {"author_name": "Budi Samaran", **fields})
    assert r.status_code == 400
    page = r.content.decode()
    assert f"#id_{field}" in "".join(f"#{t}" for t in checked_summary(page))
    assert message in page
    assert "Budi Samaran" in page
    kept = fields["body"].replace("<", "&lt;").replace(">", "&gt;")
    assert kept in page
    assert Topic.objects.count() == 0


def test_too_many_posts_from_one_device_are_refused_keeping_the_text(client, org, settings):
    settings.PUBLIC_FORM_RATE = (1, 600)
    data = {"title": "Judul pertama", "body": "Isi pertama"}
    assert client.post("/forum/kab-a/baru/", data).status_code == 302
    r = client.post("/forum/kab-a/baru/", {"title": "Judul kedua", "body": "Isi kedua"})
    assert r.status_code == 429
    page = r.content.decode()
    assert "Terlalu banyak kiriman" in page and "Isi kedua" in page and "Judul kedua" in page
    assert Topic.objects.count() == 1


def test_official_answers_are_marked_and_listed_first(client, make_topic, moderator):
    topic = make_topic()
    reply = services.submit_reply(topic, body="Balasan warga lebih dulu.")
    services.moderate_post(moderator, reply, "publish")
    services.answer(moderator, topic, body="Ini jawaban instansi.")
    page = client.get(f"/forum/topik/{topic.pk}/").content.decode()
    assert page.index("Jawaban resmi") < page.index("Ini jawaban instansi.")
    assert page.index("Ini jawaban instansi.") < page.index("Balasan warga lebih dulu.")
    assert 'class="post official"' in page


def test_a_reply_is_held_and_the_person_is_told(client, make_topic):
    topic = make_topic()
    r = client.post(
        f"/forum/topik/{topic.pk}/", {"kirim": "balasan", "body": "Saya juga.", "author_name": ""}
    )
    assert r.status_code == 302
    assert r["Location"] == f"/forum/kab-a/terkirim/?jenis=balasan&topik={topic.pk}"
    assert Post.objects.get().status == "pending"
    sent = _text(client.get(r["Location"]))
    assert "Balasan Anda sudah kami terima" in sent and "Kembali ke topik" in sent
    assert "Saya juga." not in _text(client.get(f"/forum/topik/{topic.pk}/"))


def test_a_refused_reply_keeps_what_was_typed(client, make_topic):
    topic = make_topic()
    r = client.post(
        f"/forum/topik/{topic.pk}/",
        {"kirim": "balasan", "body": "x" * 5001, "author_name": "Samaran"},
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert checked_summary(page) == ["id_body"]
    assert "x" * 5001 in page and "Samaran" in page


def test_a_locked_topic_shows_no_reply_form_and_refuses_one(client, make_topic):
    topic = make_topic(status="locked")
    page = client.get(f"/forum/topik/{topic.pk}/").content.decode()
    assert 'name="kirim" value="balasan"' not in page and "dikunci" in page
    r = client.post(f"/forum/topik/{topic.pk}/", {"kirim": "balasan", "body": "Halo"})
    assert r.status_code == 409 and "Halo" in r.content.decode()
    assert Post.objects.count() == 0


def test_a_citizen_cannot_post_an_official_answer(client, make_topic):
    topic = make_topic()
    page = client.get(f"/forum/topik/{topic.pk}/").content.decode()
    assert 'value="jawaban"' not in page
    r = client.post(f"/forum/topik/{topic.pk}/", {"kirim": "jawaban", "body": "Palsu"})
    assert r.status_code == 403
    assert Post.objects.count() == 0


def test_staff_answer_on_the_topic_page(client, make_topic, moderator):
    topic = make_topic()
    client.force_login(moderator)
    assert 'value="jawaban"' in client.get(f"/forum/topik/{topic.pk}/").content.decode()
    r = client.post(f"/forum/topik/{topic.pk}/", {"kirim": "jawaban", "body": "Jawaban kami."})
    assert r.status_code == 302
    post = Post.objects.get()
    assert post.official and post.status == "published" and post.author == moderator


def test_staff_of_another_agency_get_no_answer_form(client, make_topic, users):
    topic = make_topic()
    client.force_login(users[("pengelola", "b")])
    assert 'value="jawaban"' not in client.get(f"/forum/topik/{topic.pk}/").content.decode()
    r = client.post(f"/forum/topik/{topic.pk}/", {"kirim": "jawaban", "body": "Bukan kami."})
    assert r.status_code == 403


def test_the_moderation_queue_and_decisions(client, make_topic, moderator):
    topic = make_topic(status="pending", title="Topik yang menunggu")
    client.force_login(moderator)
    queue = client.get("/forum/staf/").content.decode()
    assert "Topik yang menunggu" in queue and f"/forum/staf/topik/{topic.pk}/" in queue
    r = client.post(f"/forum/staf/topik/{topic.pk}/", {"action": "hide", "reason": ""})
    assert r.status_code == 400
    assert checked_summary(r.content.decode()) == ["id_reason"]
    r = client.post(f"/forum/staf/topik/{topic.pk}/", {"action": "publish", "reason": ""})
    assert r.status_code == 302
    topic.refresh_from_db()
    assert topic.status == "published"
    assert "Topik yang menunggu" not in client.get("/forum/staf/").content.decode()


def test_a_reply_is_moderated_on_its_own_page(client, make_topic, moderator):
    post = services.submit_reply(make_topic(), body="Balasan yang menunggu.")
    client.force_login(moderator)
    assert "Balasan yang menunggu." in client.get("/forum/staf/").content.decode()
    r = client.post(f"/forum/staf/balasan/{post.pk}/", {"action": "hide", "reason": "Iklan."})
    assert r.status_code == 302
    post.refresh_from_db()
    assert post.status == "hidden" and post.hidden_reason == "Iklan."


@pytest.mark.parametrize(
    "role,agency,status",
    [("operator", "a", 403), ("pengelola", "b", 404), ("auditor", "a", 404)],
)
def test_the_moderation_pages_refuse_others(client, org, make_topic, users, role, agency, status):
    """Like the API: the agency's staff who answer but do not moderate get 403; anyone else gets the 404
    of a number that does not exist, so that another agency's held topics and replies cannot be counted."""
    service = org["a"]["service"]  # offered by the unit where agency A's operator works
    topic = make_topic(status="pending", service=service)
    post = services.submit_reply(make_topic(service=service), body="Balasan yang menunggu.")
    client.force_login(users[(role, agency)])
    for path in (f"/forum/staf/topik/{topic.pk}/", f"/forum/staf/balasan/{post.pk}/"):
        assert client.get(path).status_code == status
        r = client.post(path, {"action": "publish"})
        assert r.status_code == status
    missing = max(topic.pk, post.pk) + 100
    assert client.get(f"/forum/staf/topik/{missing}/").status_code == 404
    topic.refresh_from_db()
    post.refresh_from_db()
    assert topic.status == "pending" and post.status == "pending"


@pytest.mark.parametrize("signed_in", [False, True])
def test_head_is_answered_like_get_and_other_methods_are_refused(
    client, make_topic, moderator, signed_in
):
    topic = make_topic()
    held = make_topic(status="pending")
    paths = ["/forum/", "/forum/kab-a/", "/forum/kab-a/baru/", "/forum/kab-a/terkirim/"]
    paths.append(f"/forum/topik/{topic.pk}/")
    if signed_in:
        client.force_login(moderator)
        paths += ["/forum/staf/", f"/forum/staf/topik/{held.pk}/"]
    for path in paths:
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"" and head["Content-Type"] == get["Content-Type"], path
        assert client.put(path).status_code == 405, path
    for path in ("/forum/", "/forum/kab-a/", "/forum/kab-a/terkirim/"):
        assert client.post(path).status_code == 405, path


def test_the_queue_asks_to_sign_in(client):
    r = client.get("/forum/staf/")
    assert r.status_code == 302 and "/akun/masuk/" in r["Location"]


def test_the_pages_need_no_script(client, make_topic):
    topic = make_topic()
    for url in ("/forum/", "/forum/kab-a/", "/forum/kab-a/baru/", f"/forum/topik/{topic.pk}/"):
        page = client.get(url).content.decode()
        assert "<script" not in page, url


def test_the_pages_read_in_english(client, make_topic):
    topic = make_topic()
    client.cookies["amanah_lang"] = "en"
    page = client.get(f"/forum/topik/{topic.pk}/").content.decode()
    assert "Forum rules" in page and "Aturan forum" not in page


def test_the_main_menu_links_the_forum(client, db):
    menu = client.get("/").content.decode().split('aria-label="Menu utama"')[1].split("</nav>")[0]
    assert '<a href="/forum/">Forum warga</a>' in menu


def test_a_long_discussion_is_paged_with_the_official_answer_first(
    client, api, make_topic, moderator
):
    topic = make_topic()
    official = services.answer(moderator, topic, body="Jawaban resmi kami.")
    Post.objects.bulk_create(
        Post(
            topic=topic, body=f"Balasan nomor {i}.", status="published", created_on=topic.created_on
        )
        for i in range(55)
    )
    first = client.get(f"/forum/topik/{topic.pk}/")
    text = _text(first)
    assert first.content.decode().count('<article class="post') == 50
    assert "56 balasan" in text and "Jawaban resmi kami." in text and "Balasan nomor 48." in text
    assert "Balasan nomor 49." not in text and "?hal=2" in first.content.decode()
    second = _text(client.get(f"/forum/topik/{topic.pk}/", {"hal": 2}))
    assert "Balasan nomor 49." in second and "Balasan nomor 54." in second
    assert "Jawaban resmi kami." not in second
    assert client.get(f"/forum/topik/{topic.pk}/", {"hal": "x"}).status_code == 200
    body = api.get(f"/api/v1/forum/topics/{topic.pk}", {"limit": 10, "offset": 50}).json()
    assert body["replies"] == 56 and body["answered"] is True
    assert [p["body"] for p in body["posts"]] == [f"Balasan nomor {i}." for i in range(49, 55)]
    whole = api.get(f"/api/v1/forum/topics/{topic.pk}").json()
    assert len(whole["posts"]) == 56 and whole["posts"][0]["id"] == official.pk


def test_the_decisions_are_named_for_the_items_state(client, make_topic, moderator):
    """Publishing a locked topic unlocks it and publishing a hidden one brings it back: the choices say
    so instead of a bare "Terbitkan"."""
    client.force_login(moderator)
    locked = _text(client.get(f"/forum/staf/topik/{make_topic(status='locked').pk}/"))
    assert "Buka kunci (topik menerima balasan warga lagi)" in locked
    hidden = _text(client.get(f"/forum/staf/topik/{make_topic(status='hidden').pk}/"))
    assert "Terbitkan lagi" in hidden and "Buka kunci" not in hidden
    pending = _text(client.get(f"/forum/staf/topik/{make_topic(status='pending').pk}/"))
    assert "Terbitkan" in pending and "Terbitkan lagi" not in pending


def test_the_queue_says_how_many_wait_and_pages_each_list(
    client, make_topic, moderator, monkeypatch
):
    """Each of the queue's lists says how many wait and is paged on its own (it stopped at 200 in
    silence); a page of one list keeps the other's page in its links."""
    from amanah.forum import views

    monkeypatch.setattr(views, "QUEUE_PER_PAGE", 2)
    held = [make_topic(status="pending", title=f"Topik menunggu nomor {n}") for n in (1, 2, 3)]
    published = make_topic()
    for n in (1, 2, 3):
        services.submit_reply(published, body=f"Balasan menunggu nomor {n}")
    client.force_login(moderator)
    page = _text(client.get("/forum/staf/"))
    assert "3 topik menunggu. Ini nomor 1–2." in page and "3 balasan menunggu." in page
    assert "nomor 1" in page and "Topik menunggu nomor 3" not in page
    raw = client.get("/forum/staf/?hal_balasan=2").content.decode()
    assert 'href="?hal_balasan=2&amp;hal_topik=2#held-topics" rel="next"' in raw
    second = client.get("/forum/staf/?hal_balasan=2&hal_topik=2")
    text = _text(second)
    assert "Topik menunggu nomor 3" in text and "Topik menunggu nomor 1" not in text
    assert "Balasan menunggu nomor 3" in text and "Balasan menunggu nomor 1" not in text
    assert f"/forum/staf/topik/{held[2].pk}/" in second.content.decode()


def test_the_queue_says_when_more_wait_than_it_counts(client, make_topic, moderator, settings):
    settings.LIST_COUNT_CAP = 2
    for _n in range(3):
        make_topic(status="pending")
    client.force_login(moderator)
    assert "Lebih dari 2 topik menunggu." in _text(client.get("/forum/staf/"))


def test_a_reply_sent_without_the_forms_name_is_taken_as_the_only_form_shown(client, make_topic):
    """A POST that leaves out ``kirim`` (the hidden field naming the form) from someone shown only the
    reply form is that reply, not a bare 400."""
    topic = make_topic()
    r = client.post(f"/forum/topik/{topic.pk}/", {"body": "Saya juga.", "author_name": "Samaran"})
    assert r.status_code == 302
    assert r["Location"] == f"/forum/kab-a/terkirim/?jenis=balasan&topik={topic.pk}"
    post = Post.objects.get()
    assert post.body == "Saya juga." and post.status == "pending" and not post.official


def test_staff_shown_both_forms_are_asked_which_they_meant(client, make_topic, moderator):
    """Staff see the answer form and the reply form: without ``kirim`` neither is sent, the page says
    why in Indonesian and what was typed waits in both forms."""
    topic = make_topic()
    client.force_login(moderator)
    r = client.post(f"/forum/topik/{topic.pk}/", {"body": "Teks yang saya ketik."})
    assert r.status_code == 400 and Post.objects.count() == 0
    page = r.content.decode()
    assert checked_summary(page) == []
    assert "Belum jelas apakah ini balasan warga atau jawaban resmi instansi" in _text(r)
    assert page.count("Teks yang saya ketik.") == 2
    # The two forms' text fields are told apart (they shared id="id_body").
    assert page.count('id="id_body"') == 1 and page.count('id="jawaban_body"') == 1
    assert 'for="jawaban_body"' in page


def test_staff_on_a_locked_topic_answer_without_the_forms_name(client, make_topic, moderator):
    topic = make_topic(status="locked")
    client.force_login(moderator)
    r = client.post(f"/forum/topik/{topic.pk}/", {"body": "Jawaban terakhir kami."})
    assert r.status_code == 302
    post = Post.objects.get()
    assert post.official and post.status == "published"


def test_a_hidden_official_answer_is_audited_and_shown_to_the_agencys_staff(
    client, org, make_topic, moderator, users
):
    """A moderator may hide the agency's own official answer (there is no editing or deleting): the
    reason is required and audited with the answer marked official, and the agency's staff, not the
    public, see it with its reason and who hid it on the topic page."""
    from amanah.core.audit import actor_label
    from amanah.core.models import AuditEntry

    topic = make_topic(service=org["a"]["service"])  # offered by the unit where A's operator works
    answerer = users[("operator", "a")]
    post = services.answer(moderator, topic, body="Jawaban yang keliru.")
    client.force_login(moderator)
    page = client.get(f"/forum/topik/{topic.pk}/").content.decode()
    assert f"/forum/staf/balasan/{post.pk}/" in page  # a moderator reaches it from the topic
    r = client.post(f"/forum/staf/balasan/{post.pk}/", {"action": "hide", "reason": ""})
    assert r.status_code == 400
    r = client.post(
        f"/forum/staf/balasan/{post.pk}/", {"action": "hide", "reason": "Jam layanan salah."}
    )
    assert r.status_code == 302
    entry = AuditEntry.objects.get(action="forum.post_hide", object_id=str(post.pk))
    assert entry.details["official"] is True and entry.details["reason"] == "Jam layanan salah."
    assert entry.actor == actor_label(moderator)
    public = _text(Client().get(f"/forum/topik/{topic.pk}/"))
    assert "Jawaban yang keliru." not in public and "Jam layanan salah." not in public
    staff = Client()
    staff.force_login(answerer)
    seen = _text(staff.get(f"/forum/topik/{topic.pk}/"))
    assert "Jawaban resmi yang disembunyikan" in seen
    assert "Jawaban yang keliru." in seen and "Alasan: Jam layanan salah." in seen
    assert f"disembunyikan oleh {moderator.get_full_name() or moderator.email}" in seen
    other = Client()
    other.force_login(users[("operator", "b")])
    assert "Jawaban yang keliru." not in _text(other.get(f"/forum/topik/{topic.pk}/"))
