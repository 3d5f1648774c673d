"""Forum writes: who may do what, what is held, what the public sees, and the audit entry of each action."""

import pytest
from django.core.exceptions import PermissionDenied

from amanah.core.models import AuditEntry
from amanah.forum import selectors, services
from amanah.forum.models import Post, Topic


def _audited(action, obj):
    return AuditEntry.objects.filter(
        action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


def test_a_citizens_topic_is_held_and_not_public_until_published(org, moderator):
    topic = services.submit_topic(
        agency=org["a"]["agency"],
        service=org["a"]["service"],
        title="  Syarat KTP-el  ",
        body="Apa syaratnya?",
        author_name="Budi",
    )
    assert topic.status == "pending" and topic.title == "Syarat KTP-el"
    assert selectors.public_topic(topic.pk) is None
    assert list(selectors.public_topics(agency=org["a"]["agency"])) == []
    entry = _audited("forum.topic_submitted", topic).get()
    assert entry.actor == "public" and entry.agency_id_ref == org["a"]["agency"].pk
    services.moderate_topic(moderator, topic, "publish")
    assert selectors.public_topic(topic.pk).pk == topic.pk
    assert _audited("forum.topic_publish", topic).get().actor == f"user:{moderator.pk}"


def test_nothing_identifying_is_stored(org):
    """The topic and post tables hold what was typed and the day: no IP address, no time of day, and no
    contact but the e-mail an asker may leave for news, which is encrypted at rest (test_notify.py)."""
    from amanah.core.crypto import EncryptedTextField

    names = {f.name for f in Topic._meta.get_fields()} | {f.name for f in Post._meta.get_fields()}
    assert not {
        n for n in names if "ip" == n or "email" in n or "address" in n or n == "created_at"
    } - {"contact_email"}
    assert isinstance(Topic._meta.get_field("contact_email"), EncryptedTextField)
    assert not {f.name for f in Post._meta.get_fields()} & {"contact_email", "contact_language"}


def test_the_audit_entries_of_a_citizens_posts_keep_only_the_day(make_topic, moderator):
    """An entry stamped to the second would date the post more finely than the post itself does; the
    citizen's entries go to the day-only chain at midnight, a moderator's decision keeps its time."""
    topic = make_topic()
    post = services.submit_reply(topic, body="Saya juga ingin tahu.")
    for action, obj in (("forum.topic_submitted", topic), ("forum.reply_submitted", post)):
        at = _audited(action, obj).get().created_at
        assert (at.hour, at.minute, at.second, at.microsecond) == (0, 0, 0, 0), action
    services.moderate_post(moderator, post, "publish")
    assert (
        _audited("forum.post_publish", post).get().chain
        != _audited("forum.reply_submitted", post).get().chain
    )


def test_a_hidden_topic_is_not_public_and_keeps_its_reason(make_topic, moderator):
    topic = make_topic()
    services.moderate_topic(moderator, topic, "hide", "Memuat nomor HP.")
    topic.refresh_from_db()
    assert topic.status == "hidden" and topic.hidden_reason == "Memuat nomor HP."
    assert topic.moderated_by == moderator and topic.moderated_at is not None
    assert selectors.public_topic(topic.pk) is None
    assert _audited("forum.topic_hide", topic).get().details["reason"] == "Memuat nomor HP."


def test_hiding_needs_a_reason(make_topic, moderator):
    topic = make_topic()
    with pytest.raises(services.ForumError) as exc:
        services.moderate_topic(moderator, topic, "hide", "  ")
    assert exc.value.fields == {"reason": "Bagian ini wajib diisi."}
    topic.refresh_from_db()
    assert topic.status == "published"
    assert not _audited("forum.topic_hide", topic).exists()


def test_a_move_the_state_does_not_allow_is_refused(make_topic, moderator):
    topic = make_topic(status="pending")
    with pytest.raises(services.ForumError) as exc:
        services.moderate_topic(moderator, topic, "lock")
    assert exc.value.status == 409 and exc.value.code == "invalid_state"
    with pytest.raises(services.ForumError) as exc:
        services.moderate_topic(moderator, topic, "delete")
    assert exc.value.code == "unknown_action"


def test_replies_are_held_and_hidden_replies_stay_hidden(make_topic, moderator):
    topic = make_topic()
    post = services.submit_reply(topic, body="Saya juga ingin tahu.", author_name="")
    assert post.status == "pending" and not post.official
    assert selectors.public_posts(topic) == []
    assert _audited("forum.reply_submitted", post).get().actor == "public"
    services.moderate_post(moderator, post, "publish")
    assert selectors.public_posts(topic) == [post]
    services.moderate_post(moderator, post, "hide", "Di luar pokok bahasan.")
    assert selectors.public_posts(topic) == []
    assert _audited("forum.post_hide", post).get().details["reason"] == "Di luar pokok bahasan."


def test_a_locked_topic_refuses_citizen_replies_but_stays_public(make_topic):
    topic = make_topic(status="locked")
    with pytest.raises(services.ForumError) as exc:
        services.submit_reply(topic, body="Halo?")
    assert exc.value.status == 409 and exc.value.code == "locked"
    assert Post.objects.count() == 0
    assert selectors.public_topic(topic.pk) is not None


@pytest.mark.parametrize("status", ["pending", "hidden"])
def test_a_topic_the_public_cannot_read_takes_no_reply(make_topic, status):
    topic = make_topic(status=status)
    with pytest.raises(services.ForumError) as exc:
        services.submit_reply(topic, body="Halo?")
    assert exc.value.status == 404


def test_official_answers_come_from_the_agencys_staff_only(org, make_topic, users):
    topic = make_topic(service=org["a"]["service"])  # the operator's role is held in a unit
    post = services.answer(users[("operator", "a")], topic, body="Syaratnya kartu keluarga.")
    assert post.official and post.status == "published" and post.author == users[("operator", "a")]
    assert (
        _audited("forum.official_answer", post).get().actor == f"user:{users[('operator', 'a')].pk}"
    )
    for user in (users[("pengelola", "b")], users[("inspektorat", "a")], users[("auditor", "a")]):
        with pytest.raises(PermissionDenied):
            services.answer(user, topic, body="Bukan jawaban resmi.")
    assert Post.objects.filter(official=True).count() == 1


def test_a_citizen_reply_is_never_official(make_topic):
    post = services.submit_reply(make_topic(), body="Jawaban resmi dari saya.")
    assert post.official is False and post.author is None


def test_official_answers_are_listed_first(make_topic, moderator):
    topic = make_topic()
    early = services.submit_reply(topic, body="Pertanyaan susulan.")
    services.moderate_post(moderator, early, "publish")
    official = services.answer(moderator, topic, body="Jawaban kami.")
    assert selectors.public_posts(topic) == [official, early]


def test_a_pending_topic_cannot_be_answered(make_topic, moderator):
    with pytest.raises(services.ForumError) as exc:
        services.answer(moderator, make_topic(status="pending"), body="Jawaban.")
    assert exc.value.status == 409


@pytest.mark.parametrize(
    "role,agency",
    [("pengelola", "b"), ("operator", "a"), ("unit", "a"), ("inspektorat", "a"), ("pimpinan", "a")],
)
def test_only_the_agencys_moderators_moderate(make_topic, users, role, agency):
    topic = make_topic(status="pending")
    post_topic = make_topic()
    post = services.submit_reply(post_topic, body="Balasan.")
    with pytest.raises(PermissionDenied):
        services.moderate_topic(users[(role, agency)], topic, "publish")
    with pytest.raises(PermissionDenied):
        services.moderate_post(users[(role, agency)], post, "publish")
    assert (
        not AuditEntry.objects.filter(action__in=["forum.topic_publish", "forum.post_publish"])
        .exclude(object_id=str(post_topic.pk))
        .exists()
    )


def test_signed_out_users_neither_moderate_nor_answer(make_topic):
    from django.contrib.auth.models import AnonymousUser

    topic = make_topic()
    with pytest.raises(PermissionDenied):
        services.moderate_topic(AnonymousUser(), topic, "hide", "x")
    with pytest.raises(PermissionDenied):
        services.answer(AnonymousUser(), topic, body="x")


def test_a_unit_scoped_role_acts_on_topics_about_its_units_services(org, make_topic, make_user):
    """An operator of the Dinas answers a topic about a service of its Bidang, not a general topic."""
    operator = make_user("operator", org["a"]["agency"], org["a"]["dinas"])
    about = make_topic(service=org["a"]["service"])
    general = make_topic()
    assert services.answer(operator, about, body="Jawaban.").official
    with pytest.raises(PermissionDenied):
        services.answer(operator, general, body="Jawaban.")


@pytest.mark.parametrize(
    "fields,field,message",
    [
        ({"title": ""}, "title", "Bagian ini wajib diisi."),
        ({"body": "x" * 5001}, "body", "Paling banyak 5000 karakter."),
        ({"body": "Lihat <script>alert(1)</script>"}, "body", "HTML"),
        ({"author_name": "a\x07b"}, "author_name", "karakter kendali"),
    ],
)
def test_typed_text_is_checked(org, fields, field, message):
    values = {"title": "Judul", "body": "Isi", "author_name": "", **fields}
    with pytest.raises(services.ForumError) as exc:
        services.submit_topic(agency=org["a"]["agency"], **values)
    assert message in exc.value.fields[field]
    assert Topic.objects.count() == 0


def test_a_service_of_another_agency_is_refused(org):
    with pytest.raises(services.ForumError) as exc:
        services.submit_topic(
            agency=org["a"]["agency"], service=org["b"]["service"], title="Judul", body="Isi"
        )
    assert exc.value.fields["service"]


def test_the_queue_holds_what_the_moderator_covers(org, make_topic, users):
    a = make_topic(status="pending")
    make_topic(status="pending", agency=org["b"]["agency"])
    topics, posts = selectors.queue(users[("pengelola", "a")])
    assert list(topics) == [a] and list(posts) == []
    assert [list(q) for q in selectors.queue(users[("operator", "a")])] == [[], []]
    assert len(selectors.queue(users[("admin", None)])[0]) == 2
