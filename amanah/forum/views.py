"""Forum pages: the public index, an agency's topics, a topic with its replies, the forms to ask and to reply,
and the moderators' queue. Everything works without JavaScript."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amanah.core import ratelimit
from amanah.core.models import Agency, Service
from amanah.core.paging import CappedPaginator

from . import rules, selectors, services
from .forms import AnswerForm, ModerateForm, ReplyForm, TopicForm
from .models import Post, Topic

#: Topics on a page of an agency's forum.
PER_PAGE = 20

#: Replies on a page of a topic (official answers first, so they are on its first page).
REPLIES_PER_PAGE = 50


def may_open_staff_area(user) -> bool:
    """Whether the moderation queue opens for ``user`` (a moderator of some agency, or the admin)."""
    return bool(getattr(user, "is_authenticated", False)) and selectors.moderates_anything(user)


def _limited(request, scope: str, form) -> bool:
    """Whether this client sent too many forum forms (``PUBLIC_FORM_RATE``); the form then keeps what was
    typed and says so at the top."""
    if ratelimit.hit(scope, ratelimit.client_ip(request), *settings.PUBLIC_FORM_RATE):
        return False
    form.is_valid()
    form.add_error(
        None,
        _(
            "Terlalu banyak kiriman dari perangkat ini. Tunggu beberapa menit lalu kirim lagi; isian Anda "
            "masih ada di bawah."
        ),
    )
    return True


def _refused(form, exc: services.ForumError) -> None:
    for field, message in exc.fields.items():
        form.add_error(field if field in form.fields else None, message)
    if not exc.fields:
        form.add_error(None, exc.message)


#: The methods of a page with a form: HEAD is answered as GET is (without the body).
FORM_METHODS = ["GET", "HEAD", "POST"]


@require_safe
def index(request):
    """Every agency with the number of topics the public can read."""
    return render(
        request,
        "forum/index.html",
        {
            "agencies": selectors.forum_agencies(),
            "moderator": may_open_staff_area(request.user),
        },
    )


def _agency(code) -> Agency:
    return get_object_or_404(Agency, code=code, is_active=True)


@require_safe
def agency_forum(request, agency):
    """An agency's published topics, newest first, narrowed by ``?layanan=`` (a service code) and
    ``?cari=`` (words of the title or the text)."""
    agency = _agency(agency)
    services_list = list(
        Service.objects.filter(unit__agency=agency, is_active=True).order_by("name")
    )
    chosen = str(request.GET.get("layanan") or "").strip()
    service = next((s for s in services_list if s.code == chosen), None)
    search = " ".join(str(request.GET.get("cari") or "").split())[: selectors.SEARCH_MAX]
    topics = selectors.public_topics(
        agency=agency, service=service, words=selectors.search_words(search)
    )
    return render(
        request,
        "forum/agency.html",
        {
            "agency": agency,
            "services": services_list,
            "service": service,
            "unknown_service": bool(chosen) and service is None,
            "search": search,
            "page": CappedPaginator(topics, PER_PAGE).get_page(request.GET.get("hal")),
            "moderator": may_open_staff_area(request.user),
        },
    )


@require_http_methods(FORM_METHODS)
def new_topic(request, agency):
    agency = _agency(agency)
    form = TopicForm(request.POST or None, agency=agency)
    if request.GET.get("layanan") and not request.POST:
        form.initial["service"] = Service.objects.filter(
            unit__agency=agency, code=request.GET["layanan"]
        ).first()
    status = 200
    if request.method == "POST":
        if _limited(request, "forum-post", form):
            status = 429
        elif form.is_valid():
            d = form.cleaned_data
            try:
                services.submit_topic(
                    agency=agency,
                    service=d["service"],
                    title=d["title"],
                    body=d["body"],
                    author_name=d["author_name"],
                )
            except services.ForumError as exc:
                _refused(form, exc)
                status = 400
            else:
                return redirect(reverse("forum:sent", args=[agency.code]) + "?jenis=topik")
        else:
            status = 400
    return render(request, "forum/new.html", {"agency": agency, "form": form}, status=status)


@require_safe
def sent(request, agency):
    """What happens next to what was just sent: it waits for a moderator."""
    agency = _agency(agency)
    topic = None
    raw = str(request.GET.get("topik") or "")
    if raw.isdecimal() and len(raw) < 19:
        topic = selectors.public_topic(int(raw))
    return render(
        request,
        "forum/sent.html",
        {"agency": agency, "reply": request.GET.get("jenis") == "balasan", "topic": topic},
    )


@require_http_methods(FORM_METHODS)
def topic(request, pk):
    """A topic the public can read with its published replies (official answers first). A citizen replies
    here (``kirim=balasan``); the agency's staff answer officially (``kirim=jawaban``)."""
    t = selectors.public_topic(pk)
    if t is None:
        raise Http404
    staff_answers = services.can_answer(request.user, t)
    reply_form = ReplyForm(request.POST if request.POST.get("kirim") == "balasan" else None)
    answer_form = AnswerForm(request.POST if request.POST.get("kirim") == "jawaban" else None)
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kirim")
        if kind == "jawaban":
            if not staff_answers:
                raise PermissionDenied
            if answer_form.is_valid():
                try:
                    services.answer(request.user, t, body=answer_form.cleaned_data["body"])
                except services.ForumError as exc:
                    _refused(answer_form, exc)
                    status = exc.status if exc.status in (400, 409) else 400
                else:
                    messages.success(request, _("Jawaban resmi sudah diterbitkan."))
                    return redirect("forum:topic", pk=t.pk)
            else:
                status = 400
        elif kind == "balasan":
            if _limited(request, "forum-post", reply_form):
                status = 429
            elif reply_form.is_valid():
                d = reply_form.cleaned_data
                try:
                    services.submit_reply(t, body=d["body"], author_name=d["author_name"])
                except services.ForumError as exc:
                    _refused(reply_form, exc)
                    status = exc.status if exc.status in (400, 409) else 400
                else:
                    return redirect(
                        reverse("forum:sent", args=[t.agency.code]) + f"?jenis=balasan&topik={t.pk}"
                    )
            else:
                status = 400
        else:
            status = 400
    return render(
        request,
        "forum/topic.html",
        {
            "topic": t,
            "posts": CappedPaginator(selectors.public_posts_query(t), REPLIES_PER_PAGE).get_page(
                request.GET.get("hal")
            ),
            "reply_form": reply_form,
            "answer_form": answer_form if staff_answers else None,
            "error_form": answer_form if answer_form.errors else reply_form,
            "takes_replies": rules.takes_citizen_replies(t.status),
            "moderator": services.can_moderate(request.user, t),
        },
        status=status,
    )


# --- staff ----------------------------------------------------------------------------------------------


@login_required
@require_safe
def staff_queue(request):
    """What waits for the signed-in moderator: held topics and replies, oldest first."""
    if not may_open_staff_area(request.user):
        raise PermissionDenied
    topics, posts = selectors.queue(request.user)
    return render(request, "forum/staff_queue.html", {"topics": topics, "posts": posts})


def _actions(table: dict, status: str) -> list[str]:
    return [a for a in table if rules.next_state(table, a, status)]


def _moderation_page(request, obj, table, template, do):
    form = ModerateForm(
        request.POST or None, actions=_actions(table, obj.status), status=obj.status
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                do(request.user, obj, form.cleaned_data["action"], form.cleaned_data["reason"])
            except services.ForumError as exc:
                _refused(form, exc)
                status = exc.status if exc.status in (400, 409) else 400
            else:
                messages.success(request, _("Keputusan moderasi sudah disimpan."))
                return redirect("forum:staff")
        else:
            status = 400
    return render(request, template, {"item": obj, "form": form}, status=status)


def _may_moderate(user, topic: Topic) -> None:
    """Refuse a moderation page as the API refuses it: 404 to someone who may neither moderate nor answer
    the topic (the page tells another agency's staff nothing, not even that a held topic or reply has this
    number), 403 to its agency's staff who answer but do not moderate."""
    if services.can_moderate(user, topic):
        return
    if services.can_answer(user, topic):
        raise PermissionDenied
    raise Http404


@login_required
@require_http_methods(FORM_METHODS)
def staff_topic(request, pk):
    t = get_object_or_404(Topic.objects.select_related("agency", "service__unit"), pk=pk)
    _may_moderate(request.user, t)
    return _moderation_page(
        request, t, rules.TOPIC_ACTIONS, "forum/staff_topic.html", services.moderate_topic
    )


@login_required
@require_http_methods(FORM_METHODS)
def staff_post(request, pk):
    post = get_object_or_404(
        Post.objects.select_related("topic__agency", "topic__service__unit"), pk=pk
    )
    _may_moderate(request.user, post.topic)
    return _moderation_page(
        request, post, rules.POST_ACTIONS, "forum/staff_post.html", services.moderate_post
    )
