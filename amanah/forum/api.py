"""Forum API under /api/v1/forum: the public reads published topics and sends questions and replies (held
for moderation); staff with a token answer officially and moderate."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.constants import NOT_SET
from ninja.decorators import decorate_view
from pydantic import Field

from amanah.core import files, paging
from amanah.core.api_utils import ApiError, PublicWrites, declare_refusals, staff_auth
from amanah.core.models import Agency, Service
from amanah.core.paging import Page
from amanah.core.records import translated

from . import rules, selectors, services
from .forms import ModerateForm, ReplyForm, TopicForm
from .models import Post, Topic

router = Router(tags=["forum"])

HELD = "pending"


def _raise(exc: services.ForumError):
    raise ApiError(exc.status, exc.code, exc.message, exc.fields)


def _head(path: str, response, auth=NOT_SET):
    """Register a view as the HEAD operation of ``path``, beside its GET, as complaints does: answered as
    the GET is (status, headers and the length of the body it would have) without a body
    (``files.head_as_get``), and left out of the schema, where the GET's description says HEAD is
    answered. ``response`` is the GET's schema, so that the body measured is the GET's."""

    def register(view):
        wrapped = decorate_view(files.head_as_get)(view)
        return router.api_operation(
            ["HEAD"], path, auth=auth, response=response, include_in_schema=False
        )(wrapped)

    return register


def _form_errors(form) -> None:
    """Refuse a body its form refuses: 422 with one message per field."""
    fields = {name: " ".join(str(m) for m in errs) for name, errs in form.errors.items()}
    if "__all__" in fields:
        fields["body" if "body" not in fields else "__all__"] = fields.pop("__all__")
    raise ApiError(422, "invalid_input", next(iter(fields.values())), fields)


def _author(name: str) -> str:
    return name or translated(rules.ANONYMOUS_NAME)


class TopicOut(Schema):
    id: int
    agency: str = Field(description="Agency code")
    service: str | None = Field(description="Service code, when the topic is about one service")
    title: str
    body: str
    author_name: str = Field(description="The name the citizen chose to show, else “Warga”")
    status: str = Field(description="`published` or `locked` (locked: no new citizen replies)")
    created_on: dt.date
    replies: int = Field(description="Published replies")
    answered: bool = Field(description="An official answer of the agency is among them")


class PostOut(Schema):
    id: int
    body: str
    author_name: str
    official: bool = Field(description="The agency's official answer (“Jawaban resmi”)")
    created_on: dt.date


class TopicDetailOut(TopicOut):
    posts: list[PostOut] = Field(
        description="Published replies, official answers first: those from `offset` on, at most `limit`"
    )


class HeldOut(Schema):
    id: int
    status: str = Field(description="`pending`: waits for a moderator before anyone can read it")
    message: str


def _topic_out(t: Topic, replies: int | None = None, answered: bool | None = None) -> dict:
    return {
        "id": t.pk,
        "agency": t.agency.code,
        "service": t.service.code if t.service_id else None,
        "title": t.title,
        "body": t.body,
        "author_name": _author(t.author_name),
        "status": t.status,
        "created_on": t.created_on,
        "replies": getattr(t, "replies", 0) if replies is None else replies,
        "answered": bool(getattr(t, "answered", 0)) if answered is None else answered,
    }


def _post_out(p: Post) -> dict:
    return {
        "id": p.pk,
        "body": p.body,
        "author_name": p.author_name if p.official else _author(p.author_name),
        "official": p.official,
        "created_on": p.created_on,
    }


def _id(id: int) -> int:
    """``id`` when a row can have it, else 0 (no row): SQLite cannot even look up a larger number."""
    return id if 0 < id < 2**63 else 0


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code, is_active=True).first()
    if agency is None:
        message = _("Instansi tidak dikenal.")
        raise ApiError(422, "unknown_agency", message, {"agency": message})
    return agency


@router.get(
    "/topics", response=Page[TopicOut], summary="Published topics, newest or most relevant first"
)
def list_topics(
    request, agency: str = "", service: str = "", q: str = "", limit: int = 20, offset: int = 0
):
    """Topics the public can read, newest first, narrowed by agency code, service code (of that agency,
    when both are given) and words of the title, the text or a published reply or official answer (``q``,
    at most ``SEARCH_MAX`` characters; on PostgreSQL a full-text search with Indonesian stems,
    ``"phrase"``, ``-word`` and ``or``), the most relevant first. HEAD is answered too, with the same
    status and headers and no body."""
    return _list_topics(agency, service, q, limit, offset)


@_head("/topics", Page[TopicOut])
def list_topics_head(
    request, agency: str = "", service: str = "", q: str = "", limit: int = 20, offset: int = 0
):
    return _list_topics(agency, service, q, limit, offset)


def _list_topics(agency: str, service: str, q: str, limit: int, offset: int) -> dict:
    if len(q) > selectors.SEARCH_MAX:
        raise ApiError(
            400,
            "query_too_long",
            _("Kata kunci paling panjang %(n)d karakter.") % {"n": selectors.SEARCH_MAX},
            field="q",
        )
    chosen_agency = _agency(agency) if agency else None
    chosen_service = None
    if service:
        services_qs = Service.objects.filter(code=service)
        if chosen_agency is not None:
            services_qs = services_qs.filter(unit__agency=chosen_agency)
        chosen_service = services_qs.first()
        if chosen_service is None:
            message = (
                _("Layanan ini bukan layanan instansi yang dipilih.")
                if chosen_agency is not None and Service.objects.filter(code=service).exists()
                else _("Layanan tidak dikenal.")
            )
            raise ApiError(422, "unknown_service", message, {"service": message})
    qs = selectors.public_topics(
        agency=chosen_agency, service=chosen_service, words=selectors.search_words(q)
    )
    return paging.page(qs, limit, offset, lambda rows: [_topic_out(t) for t in rows])


@router.get("/topics/{id}", response=TopicDetailOut, summary="A published topic with its replies")
def get_topic(request, id: int, limit: int = 100, offset: int = 0):
    """The topic with the published replies from ``offset`` on, at most ``limit`` (≤ 200); ``replies``
    counts them all, so a client pages with ``offset`` until it has that many. HEAD is answered too, with
    the same status and headers and no body."""
    return _topic_detail(id, limit, offset)


@_head("/topics/{id}", TopicDetailOut)
def get_topic_head(request, id: int, limit: int = 100, offset: int = 0):
    return _topic_detail(id, limit, offset)


def _topic_detail(id: int, limit: int, offset: int) -> dict:
    t = selectors.public_topic(id) if _id(id) else None
    if t is None:
        raise ApiError(404, "not_found", _("Topik tidak ditemukan."))
    limit, offset = paging.window(limit, offset)
    posts = selectors.public_posts_query(t)
    out = _topic_out(t, posts.count(), posts.filter(official=True).exists())
    out["posts"] = [_post_out(p) for p in posts[offset : offset + limit]]
    return out


class TopicIn(Schema):
    agency: str = Field(description="Agency code")
    service: str | None = Field(None, description="Service code of the agency (optional)")
    title: str = Field(description=f"At most {rules.TITLE_MAX} characters, no HTML")
    body: str = Field(description=f"At most {rules.BODY_MAX} characters, no HTML")
    author_name: str = Field("", description="A display name or pseudonym (optional)")
    email: str = Field(
        "",
        description="Optional: an e-mail address to be told when the question is published, hidden (with "
        "the moderator's reason) or answered officially, in the language of the request's "
        "messages (English with the `amanah_lang` cookie set to `en`). Kept encrypted, never shown in any answer, erased when the topic is "
        "locked, by the unsubscribe link of a mail, or after `AMANAH_FORUM_CONTACT_DAYS`",
    )


@router.post(
    "/topics",
    response={201: HeldOut},
    summary="Ask a question (held for moderation)",
    throttle=[PublicWrites("forum-post")],
)
def create_topic(request, payload: TopicIn):
    agency = _agency(payload.agency)
    data = payload.model_dump()
    service = None
    if payload.service:
        service = Service.objects.filter(code=payload.service, unit__agency=agency).first()
        if service is None:
            message = _("Layanan ini bukan layanan instansi yang dipilih.")
            raise ApiError(422, "unknown_service", message, {"service": message})
        data["service"] = service.pk
    form = TopicForm(data, agency=agency)
    if not form.is_valid():
        _form_errors(form)
    d = form.cleaned_data
    try:
        topic = services.submit_topic(
            agency=agency,
            service=service,
            title=d["title"],
            body=d["body"],
            author_name=d["author_name"],
            email=d["email"],
            language=get_language(),
        )
    except services.ForumError as exc:
        _raise(exc)
    return Status(201, {"id": topic.pk, "status": topic.status, "message": _("Menunggu moderasi.")})


class ForumReplyIn(Schema):
    body: str = Field(description=f"At most {rules.BODY_MAX} characters, no HTML")
    author_name: str = Field("", description="A display name or pseudonym (optional)")


@router.post(
    "/topics/{id}/replies",
    response={201: HeldOut},
    summary="Reply to a published topic (held for moderation)",
    throttle=[PublicWrites("forum-post")],
)
def create_reply(request, id: int, payload: ForumReplyIn):
    t = selectors.public_topic(id) if _id(id) else None
    if t is None:
        raise ApiError(404, "not_found", _("Topik tidak ditemukan."))
    form = ReplyForm(payload.model_dump())
    if not form.is_valid():
        _form_errors(form)
    try:
        post = services.submit_reply(
            t, body=form.cleaned_data["body"], author_name=form.cleaned_data["author_name"]
        )
    except services.ForumError as exc:
        _raise(exc)
    return Status(201, {"id": post.pk, "status": post.status, "message": _("Menunggu moderasi.")})


# --- staff -------------------------------------------------------------------------------------------------


class QueueTopicOut(Schema):
    id: int
    agency: str
    service: str | None
    title: str
    body: str
    author_name: str
    status: str
    created_on: dt.date


class QueuePostOut(Schema):
    id: int
    topic: int
    body: str
    author_name: str
    status: str
    created_on: dt.date


class QueueOut(Schema):
    topics: Page[QueueTopicOut] = Field(
        description="Held topics, oldest first: how many wait, and those from `topics_offset` on, at most "
        "`topics_limit`"
    )
    posts: Page[QueuePostOut] = Field(
        description="Held replies, oldest first: how many wait, and those from `posts_offset` on, at most "
        "`posts_limit`"
    )


def _queue_topic(t: Topic) -> dict:
    return {
        "id": t.pk,
        "agency": t.agency.code,
        "service": t.service.code if t.service_id else None,
        "title": t.title,
        "body": t.body,
        "author_name": t.author_name,
        "status": t.status,
        "created_on": t.created_on,
    }


def _queue_post(p: Post) -> dict:
    return {
        "id": p.pk,
        "topic": p.topic_id,
        "body": p.body,
        "author_name": p.author_name,
        "status": p.status,
        "created_on": p.created_on,
    }


class QueueQuery(Schema):
    """The window of each of the queue's two lists. ``limit`` and ``offset`` are what a list takes when
    its own parameter is not given (and all that older clients send)."""

    topics_limit: int | None = Field(
        None, description="Held topics on this page (≤ 200); `limit` when not given"
    )
    topics_offset: int | None = Field(
        None, description="Held topics skipped before this page; `offset` when not given"
    )
    posts_limit: int | None = Field(
        None, description="Held replies on this page (≤ 200); `limit` when not given"
    )
    posts_offset: int | None = Field(
        None, description="Held replies skipped before this page; `offset` when not given"
    )
    limit: int = Field(50, description="The default of `topics_limit` and `posts_limit`")
    offset: int = Field(0, description="The default of `topics_offset` and `posts_offset`")


def _own(value: int | None, default: int) -> int:
    return default if value is None else value


def _staff_queue(request, q: QueueQuery) -> dict:
    if not selectors.moderates_anything(request.auth):
        raise ApiError(403, "forbidden", _("Anda tidak berwenang memoderasi forum."))
    topics, posts = selectors.queue(request.auth)
    return {
        "topics": paging.page(
            topics,
            _own(q.topics_limit, q.limit),
            _own(q.topics_offset, q.offset),
            lambda rows: [_queue_topic(t) for t in rows],
        ),
        "posts": paging.page(
            posts,
            _own(q.posts_limit, q.limit),
            _own(q.posts_offset, q.offset),
            lambda rows: [_queue_post(p) for p in rows],
        ),
    }


@router.get(
    "/staff/queue", response=QueueOut, auth=staff_auth, summary="What waits for moderation (staff)"
)
def staff_queue(request, q: Query[QueueQuery]):
    """Held topics and held replies of the agencies (and units) where the caller moderates, each list
    paged on its own: ``topics_limit``/``topics_offset`` and ``posts_limit``/``posts_offset`` (a limit
    ≤ 200), each falling back to ``limit`` (50 unless asked) and ``offset``, so that a moderator can go
    through the held replies while staying on the first page of topics. 403 for an account that
    moderates nowhere. HEAD is answered too, with the same status and headers and no body."""
    return _staff_queue(request, q)


@_head("/staff/queue", QueueOut, auth=staff_auth)
def staff_queue_head(request, q: Query[QueueQuery]):
    return _staff_queue(request, q)


class ModerateIn(Schema):
    action: str = Field(description="`publish`, `hide` or `lock` (topics only)")
    reason: str = Field("", description=f"Required to hide; at most {rules.REASON_MAX} characters")


class ModeratedOut(Schema):
    id: int
    status: str
    hidden_reason: str


def _moderated(request, obj, table, do, payload: ModerateIn) -> dict:
    form = ModerateForm(payload.model_dump(), actions=tuple(table))
    if not form.is_valid():
        _form_errors(form)
    try:
        obj = do(request.auth, obj, form.cleaned_data["action"], form.cleaned_data["reason"])
    except services.ForumError as exc:
        _raise(exc)
    return {"id": obj.pk, "status": obj.status, "hidden_reason": obj.hidden_reason}


def _staff_topic(request, id: int) -> Topic:
    """A topic by id for staff: 404 for one that does not exist or that the caller may not act on."""
    t = Topic.objects.select_related("agency", "service__unit").filter(pk=_id(id)).first()
    if t is None or not (
        services.can_moderate(request.auth, t) or services.can_answer(request.auth, t)
    ):
        raise ApiError(404, "not_found", _("Topik tidak ditemukan."))
    return t


@router.post(
    "/staff/topics/{id}/moderation",
    response=ModeratedOut,
    auth=staff_auth,
    summary="Publish, hide or lock a topic (staff)",
)
def moderate_topic(request, id: int, payload: ModerateIn):
    t = _staff_topic(request, id)
    return _moderated(request, t, rules.TOPIC_ACTIONS, services.moderate_topic, payload)


@router.post(
    "/staff/posts/{id}/moderation",
    response=ModeratedOut,
    auth=staff_auth,
    summary="Publish or hide a reply (staff)",
)
def moderate_post(request, id: int, payload: ModerateIn):
    post = (
        Post.objects.select_related("topic__agency", "topic__service__unit")
        .filter(pk=_id(id))
        .first()
    )
    if post is None or not (
        services.can_moderate(request.auth, post.topic)
        or services.can_answer(request.auth, post.topic)
    ):
        raise ApiError(404, "not_found", _("Balasan tidak ditemukan."))
    return _moderated(request, post, rules.POST_ACTIONS, services.moderate_post, payload)


class OfficialAnswerIn(Schema):
    body: str = Field(description=f"At most {rules.BODY_MAX} characters, no HTML")


@router.post(
    "/staff/topics/{id}/answers",
    response={201: PostOut},
    auth=staff_auth,
    summary="Post the agency's official answer (staff; published at once)",
)
def answer(request, id: int, payload: OfficialAnswerIn):
    t = _staff_topic(request, id)
    try:
        post = services.answer(request.auth, t, body=payload.body)
    except services.ForumError as exc:
        _raise(exc)
    return Status(201, _post_out(post))


#: The refusals beyond those of the token and the input (``core.api_utils.declare_refusals``).
declare_refusals(
    router,
    {
        "list_topics": {400: "`q` longer than 100 characters (`query_too_long`)"},
        "get_topic": (404,),
        "create_reply": (404, 409),
        "create_topic": (422,),
    },
    staff=(403, 404),
    writes=(409, 422),
)
