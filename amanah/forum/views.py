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
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
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

#: Held topics, and held replies, on a page of the moderation queue (each list paged on its own).
QUEUE_PER_PAGE = 50


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
    ``?cari=`` (words of the title, the text or a published reply)."""
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
                    email=d["email"],
                    language=get_language(),
                )
            except services.ForumError as exc:
                _refused(form, exc)
                status = 400
            else:
                news = "&kabar=1" if d["email"] else ""
                return redirect(reverse("forum:sent", args=[agency.code]) + "?jenis=topik" + news)
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
        {
            "agency": agency,
            "reply": request.GET.get("jenis") == "balasan",
            "news": request.GET.get("kabar") == "1" and request.GET.get("jenis") != "balasan",
            "topic": topic,
        },
    )


@csrf_exempt
@require_http_methods(FORM_METHODS)
def stop_news(request, token, language=None):
    """The unsubscribe link of a mail to an asker. Opening it (a person, or a mail scanner that follows
    every link) only shows a button; pressing it (POST) erases the address. It carries no CSRF token on
    purpose: the signed link is the only credential, and all it can do is erase one address. The page
    names neither the topic nor the address. The mails' links end in the mail's language (``…/en/``), so
    that the page, its button's answer and a link already used read as the mail did, whatever language
    the browser's cookie chose; a link without one (mails sent before) follows the cookie."""
    language = language or get_language()
    with translation.override(language):
        if request.method == "POST":
            state = "stopped" if services.stop_news(token) else "unknown"
        else:
            state = "confirm" if services.topic_by_stop_token(token) is not None else "unknown"
        response = render(
            request, "forum/stop.html", {"state": state}, status=404 if state == "unknown" else 200
        )
    response["Content-Language"] = language
    return response


def _sent_form(request, staff_answers: bool, takes_replies: bool) -> str | None:
    """Which form of a topic page a POST sent: its ``kirim`` (``balasan`` or ``jawaban``). Without it (a
    client or an old copy of the page that leaves the field out), the form the person was shown, when
    there was only one: the reply form for the public, the answer form for staff on a locked topic, and
    for the public on a locked topic the reply, which is then refused as locked. A value of neither counts
    as none. None: someone shown both forms did not say which."""
    if request.method != "POST":
        return None
    kind = request.POST.get("kirim")
    if kind in ("balasan", "jawaban"):
        return kind
    if not staff_answers:
        return "balasan"
    return None if takes_replies else "jawaban"


@require_http_methods(FORM_METHODS)
def topic(request, pk):
    """A topic the public can read with its published replies (official answers first). A citizen replies
    here (``kirim=balasan``); the agency's staff answer officially (``kirim=jawaban``)."""
    t = selectors.public_topic(pk)
    if t is None:
        raise Http404
    staff_answers = services.can_answer(request.user, t)
    takes_replies = rules.takes_citizen_replies(t.status)
    kind = _sent_form(request, staff_answers, takes_replies)
    reply_form = ReplyForm(request.POST if kind == "balasan" else None)
    answer_form = AnswerForm(request.POST if kind == "jawaban" else None, auto_id="jawaban_%s")
    status, unsent = 200, ""
    if request.method == "POST":
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
            # Not told which form was sent, by someone shown both: neither is sent, and what was typed
            # waits in both, so that the person presses the button of the one they meant.
            typed = {k: request.POST.get(k, "") for k in ("body", "author_name")}
            reply_form.initial.update(typed)
            answer_form.initial["body"] = typed["body"]
            unsent = _(
                "Belum jelas apakah ini balasan warga atau jawaban resmi instansi, jadi belum "
                "dikirim. Teks Anda ada di kedua formulir di bawah; tekan tombol formulir yang Anda "
                "maksud."
            )
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
            "unsent": unsent,
            "takes_replies": takes_replies,
            "moderator": services.can_moderate(request.user, t),
            "hidden_answers": selectors.hidden_official_answers(t) if staff_answers else (),
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
    return render(
        request,
        "forum/staff_queue.html",
        {
            "topics": _named_page(request, topics, "hal_topik"),
            "posts": _named_page(request, posts, "hal_balasan"),
        },
    )


def _named_page(request, qs, param: str):
    """The page (``?<param>=``) of one of the queue's two lists, each paged on its own; ``prev_query`` and
    ``next_query`` set ``param`` to the page before and after (``forum/_pager_named.html`` keeps the
    other list's page in the address)."""
    page = CappedPaginator(qs, QUEUE_PER_PAGE).get_page(request.GET.get(param))
    page.prev_query = {param: page.previous_page_number()} if page.has_previous() else None
    page.next_query = {param: page.next_page_number()} if page.has_next() else None
    return page


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
