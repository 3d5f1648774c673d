"""Forum writes: one function per use case, each in one transaction with its permission check and audit
entry. A citizen's topic or reply is held (``pending``) until a moderator publishes it; a staff member's
official answer is published at once under the agency's name."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amanah.core import audit, notify, permissions
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


#: The longest e-mail address taken (RFC 5321's limit on a path).
EMAIL_MAX = 254


def _contact(email: str) -> str:
    """The stripped address for news of a question ("" for none), or a refusal naming the field."""
    email = (email or "").strip()
    if not email:
        return ""
    try:
        if len(email) > EMAIL_MAX:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        message = _("Tulis alamat e-mail yang lengkap, misalnya nama@contoh.id, atau kosongkan.")
        raise ForumError("invalid_input", message, 422, {"email": message}) from None
    return email


def _mail_language(language: str) -> str:
    """``en`` for a page read in English, else the site's Indonesian."""
    return "en" if str(language or "").lower().startswith("en") else "id"


@transaction.atomic
def submit_topic(
    *,
    agency: Agency,
    title: str,
    body: str,
    author_name: str = "",
    service: Service | None = None,
    email: str = "",
    language: str = "",
) -> Topic:
    """A citizen's question, held for moderation. Nothing but what was typed and the day is stored: the
    audit entry, too, keeps only the day (``coarse_time``), as it would otherwise date the post to the
    second. ``email`` (optional) is where the asker is told that the question was published, hidden or
    answered officially, in ``language`` (that of the page they asked on): kept encrypted, never shown,
    and erased on lock, by a mail's unsubscribe link or after ``FORUM_CONTACT_DAYS``; the audit entry says
    only whether one was left."""
    if service is not None and service.unit.agency_id != agency.pk:
        message = _("Layanan ini bukan layanan instansi yang dipilih.")
        raise ForumError("unknown_service", message, 422, {"service": message})
    try:
        contact = _contact(email)
        problems = {}
    except ForumError as exc:
        contact, problems = "", exc.fields
    try:
        text = _checked(
            {
                "title": (title, rules.TITLE_MAX, True),
                "body": (body, rules.BODY_MAX, True),
                "author_name": (author_name, rules.NAME_MAX, False),
            }
        )
    except ForumError as exc:
        problems = {**exc.fields, **problems}
    if problems:
        raise ForumError("invalid_input", next(iter(problems.values())), 422, problems)
    topic = Topic.objects.create(
        agency=agency,
        service=service,
        created_on=_today(agency),
        contact_email=contact,
        contact_language=_mail_language(language) if contact else "",
        **text,
    )
    audit.record(
        "public",
        "forum.topic_submitted",
        topic,
        {"service": service.code if service else None, "news_by_email": bool(contact)},
        agency_id=agency.pk,
        coarse_time=True,
    )
    return topic


# --- news for the asker ------------------------------------------------------------------------------------

#: What the unsubscribe links are signed for (a token of another purpose does not open them).
STOP_SALT = "amanah.forum.contact-stop"


def contact_stop_token(topic: Topic) -> str:
    """The secret of the unsubscribe link in the mails to the asker of ``topic``: the topic's number signed
    with the site's secret key, so that nobody can make one for another topic. It only erases the address."""
    return signing.dumps(topic.pk, salt=STOP_SALT)


def topic_by_stop_token(token: str) -> Topic | None:
    """The topic whose asker's address ``token`` erases, or None (forged, or the address already gone)."""
    try:
        pk = signing.loads(str(token or "")[:200], salt=STOP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Topic.objects.filter(pk=pk).exclude(contact_email="").first()


def _erase_contact(topic: Topic) -> None:
    topic.contact_email = ""
    topic.contact_language = ""
    Topic.objects.filter(pk=topic.pk).update(contact_email="", contact_language="")


@transaction.atomic
def stop_news(token: str) -> bool:
    """The asker follows the unsubscribe link of a mail: the address is erased (True), or there was
    nothing to erase (False). Audited as the asker's other actions are, with the day only."""
    topic = topic_by_stop_token(token)
    if topic is None:
        return False
    topic = Topic.objects.select_for_update(of=("self",)).get(pk=topic.pk)
    if not topic.contact_email:
        return False
    _erase_contact(topic)
    audit.record(
        "public",
        "forum.contact_erased",
        topic,
        {"why": "unsubscribed"},
        agency_id=topic.agency_id,
        coarse_time=True,
    )
    return True


def _expired(now: dt.datetime) -> Q:
    """Topics whose asker's address is due for erasing at ``now``: asked ``FORUM_CONTACT_DAYS`` days or
    more before the agency's own date (``created_on`` is that date too), so that an agency in WIT is not
    an hour or two behind, nor one in WIB ahead, at the turn of the day."""
    zones = (
        Topic.objects.exclude(contact_email="")
        .order_by()
        .values_list("agency__time_zone", flat=True)
        .distinct()
    )
    days = dt.timedelta(days=settings.FORUM_CONTACT_DAYS)
    due = Q(pk__in=[])
    for zone in zones:
        today = timezone.localtime(now, zoneinfo.ZoneInfo(zone or settings.TIME_ZONE)).date()
        due |= Q(agency__time_zone=zone, created_on__lte=today - days)
    return due


def erase_expired_contacts(now: dt.datetime | None = None) -> int:
    """Erase the addresses of the topics asked ``FORUM_CONTACT_DAYS`` ago or earlier, counted in each
    agency's time zone as the day a topic was asked is (each with an audit entry without the address);
    returns how many. Run by ``forum_sweep``; safe to run again."""
    due = _expired(now or timezone.now())
    done = 0
    expired = Topic.objects.exclude(contact_email="").filter(due)
    for pk in list(expired.values_list("pk", flat=True)):
        with transaction.atomic():
            topic = (
                Topic.objects.select_for_update(of=("self",))
                .exclude(contact_email="")
                .filter(due, pk=pk)
                .first()
            )
            if topic is None:
                continue
            _erase_contact(topic)
            audit.record(
                "system",
                "forum.contact_erased",
                topic,
                {"why": "retention", "days": settings.FORUM_CONTACT_DAYS},
                agency_id=topic.agency_id,
            )
            done += 1
    return done


def _site(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _tell_asker(topic: Topic, event: str) -> None:
    """Queue the mail to the asker of ``topic`` about ``event`` (``published``, ``hidden`` or
    ``answered``), in the language they asked in, once the transaction commits; nothing without an
    address. The address, subject and text travel sealed (``core.notify.email``)."""
    if not topic.contact_email:
        return
    language = topic.contact_language or settings.LANGUAGE_CODE
    # The unsubscribe page opens in the mail's language (its address ends in it).
    stop = _site(reverse("forum:stop-in", args=[contact_stop_token(topic), language]))
    link = _site(reverse("forum:topic", args=[topic.pk]))
    values = {"title": topic.title, "agency": topic.agency.name, "url": link}
    with translation.override(language):
        if event == "published":
            subject = _("Pertanyaan Anda terbit di forum")
            lines = [
                _("Pertanyaan Anda “%(title)s” sudah terbit di forum %(agency)s: %(url)s") % values,
                _("Kami memberi tahu Anda lagi bila instansi menjawabnya secara resmi."),
            ]
        elif event == "hidden":
            subject = _("Pertanyaan Anda tidak ditampilkan di forum")
            lines = [
                _("Moderator %(agency)s tidak menampilkan pertanyaan Anda “%(title)s” di forum.")
                % values,
                _("Alasannya: %(reason)s") % {"reason": topic.hidden_reason},
                _(
                    "Forum tidak menerima data pribadi (nama lengkap, NIK, nomor HP, alamat) dan "
                    "tulisan yang tidak sopan. Masalah Anda sendiri dengan suatu layanan dapat Anda "
                    "sampaikan lewat Pengaduan: %(url)s"
                )
                % {"url": _site(reverse("complaints:new"))},
            ]
        else:
            subject = _("Pertanyaan Anda dijawab resmi")
            lines = [
                _("%(agency)s menjawab resmi pertanyaan Anda “%(title)s”. Baca jawabannya: %(url)s")
                % values
            ]
        lines.append(
            _(
                "Tidak ingin menerima kabar lagi? Buka %(url)s lalu tekan “Hapus alamat saya”. "
                "Alamat e-mail Anda juga dihapus dengan sendirinya setelah topik dikunci atau "
                "%(days)d hari setelah Anda bertanya."
            )
            % {"url": stop, "days": settings.FORUM_CONTACT_DAYS}
        )
        notify.email(topic.contact_email, str(subject), "\n\n".join(str(line) for line in lines))


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
    _tell_asker(topic, "answered")
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
    before = topic.status
    _moderate(actor, topic, rules.TOPIC_ACTIONS, action, reason)
    details = {"status": topic.status, "reason": topic.hidden_reason or None}
    if topic.status == rules.LOCKED and topic.contact_email:
        # A locked topic is closed: nothing more to tell its asker, so the address goes.
        _erase_contact(topic)
        details["contact_erased"] = True
    audit.record(actor, f"forum.topic_{action}", topic, details, agency_id=topic.agency_id)
    if topic.status == rules.PUBLISHED and before in (rules.PENDING, rules.HIDDEN):
        _tell_asker(topic, "published")
    elif topic.status == rules.HIDDEN and before != rules.HIDDEN:
        _tell_asker(topic, "hidden")
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
    before = post.status
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
    if post.official and post.status == rules.PUBLISHED and before != rules.PUBLISHED:
        _tell_asker(topic, "answered")  # a hidden official answer published again
    return post
