"""Forum writes: one function per use case, each in one transaction with its permission check and audit
entry. A citizen's topic or reply is held (``pending``) until a moderator publishes it; a staff member's
official answer is published at once under the agency's name."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amanah.core import audit, permissions
from amanah.core.calendar import Calendar
from amanah.core.models import Agency, Service

from . import rules
from .models import Post, Topic


class ForumError(Exception):
    """A refused action: a machine code, a message for people, an HTTP-like status and field messages."""

    def __init__(self, code: str, message: str, status: int = 422, fields: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields or {}


def text_message(problem: str, max_length: int) -> str:
    """The Indonesian message (in the reader's language) for a :func:`rules.text_problem` code."""
    if problem == "required":
        return _("Bagian ini wajib diisi.")
    if problem == "too_long":
        return _("Paling banyak %(n)d karakter.") % {"n": max_length}
    if problem == "markup":
        return _(
            "Teks tidak boleh berisi HTML atau skrip (misalnya <b> atau <script>). Hapus tanda itu lalu "
            "kirim lagi; teks Anda yang lain tetap ada."
        )
    return _("Teks berisi karakter kendali yang tidak terlihat. Hapus lalu kirim lagi.")


def _checked(fields: dict[str, tuple[str, int, bool]]) -> dict[str, str]:
    """The stripped texts of ``fields`` (name → (text, max length, required)), or a refusal naming every
    field that is wrong."""
    out, errors = {}, {}
    for name, (text, max_length, required) in fields.items():
        text = (text or "").strip()
        problem = rules.text_problem(text, max_length, required=required)
        if problem:
            errors[name] = text_message(problem, max_length)
        out[name] = text
    if errors:
        raise ForumError("invalid_input", next(iter(errors.values())), 422, errors)
    return out


def _today(agency) -> object:
    return Calendar(agency).local_date()


def _unit(topic: Topic):
    """The unit a unit-scoped role must cover to act on ``topic``: its service's unit (None: agency-wide)."""
    return topic.service.unit if topic.service_id else None


def can_moderate(user, topic: Topic) -> bool:
    return permissions.has_role(user, rules.MODERATE_ROLES, agency=topic.agency, unit=_unit(topic))


def can_answer(user, topic: Topic) -> bool:
    return permissions.has_role(user, rules.ANSWER_ROLES, agency=topic.agency, unit=_unit(topic))


@transaction.atomic
def submit_topic(
    *, agency: Agency, title: str, body: str, author_name: str = "", service: Service | None = None
) -> Topic:
    """A citizen's question, held for moderation. Nothing but what was typed and the day is stored: the
    audit entry, too, keeps only the day (``coarse_time``), as it would otherwise date the post to the
    second."""
    if service is not None and service.unit.agency_id != agency.pk:
        message = _("Layanan ini bukan layanan instansi yang dipilih.")
        raise ForumError("unknown_service", message, 422, {"service": message})
    text = _checked(
        {
            "title": (title, rules.TITLE_MAX, True),
            "body": (body, rules.BODY_MAX, True),
            "author_name": (author_name, rules.NAME_MAX, False),
        }
    )
    topic = Topic.objects.create(agency=agency, service=service, created_on=_today(agency), **text)
    audit.record(
        "public",
        "forum.topic_submitted",
        topic,
        {"service": service.code if service else None},
        agency_id=agency.pk,
        coarse_time=True,
    )
    return topic


@transaction.atomic
def submit_reply(topic: Topic, *, body: str, author_name: str = "") -> Post:
    """A citizen's reply to a published topic, held for moderation (its audit entry keeps only the day)."""
    topic = Topic.objects.select_for_update(of=("self",)).select_related("agency").get(pk=topic.pk)
    if not rules.takes_citizen_replies(topic.status):
        if topic.status == rules.LOCKED:
            raise ForumError("locked", _("Topik ini dikunci dan tidak menerima balasan lagi."), 409)
        raise ForumError("not_found", _("Topik tidak ditemukan."), 404)
    text = _checked(
        {"body": (body, rules.BODY_MAX, True), "author_name": (author_name, rules.NAME_MAX, False)}
    )
    post = Post.objects.create(topic=topic, created_on=_today(topic.agency), **text)
    audit.record(
        "public",
        "forum.reply_submitted",
        post,
        {"topic": topic.pk},
        agency_id=topic.agency_id,
        coarse_time=True,
    )
    return post


@transaction.atomic
def answer(actor, topic: Topic, *, body: str) -> Post:
    """The agency's official answer ("Jawaban resmi"), by its staff; published at once."""
    topic = (
        Topic.objects.select_for_update(of=("self",))
        .select_related("agency", "service__unit")
        .get(pk=topic.pk)
    )
    permissions.require(actor, rules.ANSWER_ROLES, agency=topic.agency, unit=_unit(topic))
    if not rules.takes_official_answers(topic.status):
        raise ForumError(
            "invalid_state",
            _("Topik ini belum terbit atau disembunyikan; belum dapat dijawab."),
            409,
        )
    text = _checked({"body": (body, rules.BODY_MAX, True)})
    post = Post.objects.create(
        topic=topic,
        body=text["body"],
        author=actor,
        author_name=(actor.get_full_name() or "")[: rules.NAME_MAX],
        official=True,
        status=rules.PUBLISHED,
        created_on=_today(topic.agency),
        moderated_by=actor,
        moderated_at=timezone.now(),
    )
    audit.record(
        actor, "forum.official_answer", post, {"topic": topic.pk}, agency_id=topic.agency_id
    )
    return post


def _moderate(actor, obj, actions: dict, action: str, reason: str):
    reason = (reason or "").strip()
    if action not in actions:
        message = _("Tindakan tidak dikenal.")
        raise ForumError("unknown_action", message, 422, {"action": message})
    target = rules.next_state(actions, action, obj.status)
    if target is None:
        raise ForumError(
            "invalid_state",
            _("Tindakan ini tidak dapat dilakukan pada status sekarang (%(status)s).")
            % {"status": obj.get_status_display()},
            409,
        )
    if target == rules.HIDDEN:
        reason = _checked({"reason": (reason, rules.REASON_MAX, True)})["reason"]
    obj.status = target
    obj.hidden_reason = reason if target == rules.HIDDEN else ""
    obj.moderated_by = actor
    obj.moderated_at = timezone.now()
    obj.save(update_fields=["status", "hidden_reason", "moderated_by", "moderated_at"])
    return obj


@transaction.atomic
def moderate_topic(actor, topic: Topic, action: str, reason: str = "") -> Topic:
    """Publish, hide (with a reason the public is not shown) or lock a topic."""
    topic = (
        Topic.objects.select_for_update(of=("self",))
        .select_related("agency", "service__unit")
        .get(pk=topic.pk)
    )
    permissions.require(actor, rules.MODERATE_ROLES, agency=topic.agency, unit=_unit(topic))
    _moderate(actor, topic, rules.TOPIC_ACTIONS, action, reason)
    audit.record(
        actor,
        f"forum.topic_{action}",
        topic,
        {"status": topic.status, "reason": topic.hidden_reason or None},
        agency_id=topic.agency_id,
    )
    return topic


@transaction.atomic
def moderate_post(actor, post: Post, action: str, reason: str = "") -> Post:
    """Publish or hide (with a reason) a reply, also the agency's official answer: with no editing or
    deleting, hiding is how an answer that is wrong or holds personal data comes down. Its audit entry says
    whether the reply was official, and the agency's staff see a hidden official answer with its reason on
    the topic page (docs/forum.md)."""
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("topic__agency", "topic__service__unit")
        .get(pk=post.pk)
    )
    topic = post.topic
    permissions.require(actor, rules.MODERATE_ROLES, agency=topic.agency, unit=_unit(topic))
    _moderate(actor, post, rules.POST_ACTIONS, action, reason)
    audit.record(
        actor,
        f"forum.post_{action}",
        post,
        {
            "topic": topic.pk,
            "status": post.status,
            "reason": post.hidden_reason or None,
            "official": post.official,
        },
        agency_id=topic.agency_id,
    )
    return post
