"""Pages of the whistleblowing channel (/integritas/) and of the case handlers (/integritas/staf/).

The reporter's pages use no Django session (a session row would carry a timestamp): the follow-up
is a short-lived random token in an HttpOnly, SameSite=Strict cookie limited to /integritas/, the
same token the API hands out. The receipt travels only in POST bodies and is shown once.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from amanah.core import documents, files, permissions, ratelimit
from amanah.core.calendar import Calendar
from amanah.core.models import Role, User
from amanah.core.paging import CappedPaginator

from . import forms, rules, selectors, services
from .models import DisclosureRequest, Report, ViolationType

COOKIE = "wbs"


# --- public -----------------------------------------------------------------------------------


def index(request):
    return render(
        request,
        "integrity/index.html",
        {"types": ViolationType.choices, "deadlines": services.deadlines()},
    )


def _report_page(request, form_class, template):
    """Shared by the violation report and the gratification self-report. The pages state the
    configured deadlines (``deadlines``: rules.DEADLINES with the INTEGRITY_DEADLINES setting)."""
    deadlines = services.deadlines()
    if request.method != "POST":
        return render(
            request,
            template,
            {
                "form": form_class(),
                "nonce": secrets.token_urlsafe(16),
                "error": "",
                "evidence_error": "",
                "deadlines": deadlines,
            },
        )
    try:
        request.POST  # noqa: B018 — parse now, so an oversized body is answered here
    except RequestDataTooBig:
        error = _(
            "Kiriman terlalu besar. Persingkat teks atau kirim berkas besar satu per satu "
            "(paling besar %(mb)s MB per berkas)."
        ) % {"mb": files.max_megabytes()}
        return render(
            request,
            template,
            {
                "form": form_class(),
                "nonce": secrets.token_urlsafe(16),
                "error": error,
                "evidence_error": "",
                "deadlines": deadlines,
            },
            status=413,
        )
    nonce = request.POST.get("nonce", "")[:64] or secrets.token_urlsafe(16)
    if services.form_sent(nonce):
        # A refresh or a second click: the report is already in; the receipt is not shown again.
        return render(request, "integrity/already_sent.html", status=409)
    uploads = request.FILES.getlist("evidence")
    if request.POST.get("show_units"):
        # Not a report yet: the same form, with what was typed, listing the chosen agency's units.
        again = _("Berkas bukti perlu dipilih ulang sebelum mengirim lagi.") if uploads else ""
        return render(
            request,
            template,
            {
                "form": form_class(initial=request.POST.dict()),
                "nonce": nonce,
                "evidence_error": again,
                "error": "",
                "deadlines": deadlines,
            },
        )
    form = form_class(request.POST)
    status = 400
    evidence_error = ""  # the files are not a form field (they are checked by the service)
    limit, window = settings.PUBLIC_FORM_RATE
    if not ratelimit.hit("integrity-report", ratelimit.client_ip(request), limit, window):
        form.add_error(
            None,
            _("Terlalu banyak laporan dari sambungan ini. Tunggu beberapa menit lalu kirim lagi."),
        )
        status = 429
    elif form.is_valid():
        try:
            report, receipt = services.submit_report(form.cleaned_data, uploads)
        except services.InvalidInput as exc:
            if "evidence" in exc.fields:
                evidence_error = exc.fields["evidence"]
            else:
                form.add_error(None, exc.message)
        else:
            services.remember_sent_form(nonce)
            return render(
                request,
                "integrity/receipt.html",
                {
                    "receipt": rules.format_receipt(receipt),
                    "report": report,
                    "deadlines": deadlines,
                },
            )
    if uploads:
        form.add_error(None, _("Berkas bukti perlu dipilih ulang sebelum mengirim lagi."))
    return render(
        request,
        template,
        {
            "form": form,
            "nonce": nonce,
            "evidence_error": evidence_error,
            "error": "",
            "deadlines": deadlines,
        },
        status=status,
    )


def report_new(request):
    return _report_page(request, forms.ReportForm, "integrity/report_form.html")


def gratification_new(request):
    return _report_page(request, forms.GratificationForm, "integrity/gratification_form.html")


def follow_up(request):
    """Asks for the receipt and opens the session. The page that says a session ended while the reporter
    was writing posts here too, with what they typed (``resume``: ``balas`` or ``pembalasan``): once the
    receipt opens the case, that is sent as if the session had never ended."""
    form = forms.ReceiptForm(request.POST or None)
    status = 200
    resume = request.POST.get("resume", "") if request.method == "POST" else ""
    if resume not in RESUMABLE:
        resume = ""
    if request.method == "POST":
        status = 400
        raw = request.POST.get("receipt", "")
        try:
            token, report = services.open_session(raw, ratelimit.client_ip(request))
        except services.SessionError as exc:
            form = forms.ReceiptForm({"receipt": ""})  # never echo a receipt back into the page
            form.is_valid()
            form.errors["receipt"] = form.error_class([exc.message])
            status = exc.status if exc.status in (400, 401, 429) else 400
            if resume:  # what was typed stays on the page, in the form, for the next try
                return _session_ended(request, resume, receipt_form=form, status=status)
        else:
            if resume:
                response = RESUMABLE[resume](request, report)
            else:
                response = redirect("integrity:my-case")
            response.set_cookie(
                COOKIE,
                token,
                # The server ends the session after a while without activity, or at its limit.
                max_age=services.session_max_seconds(),
                path="/integritas/",
                httponly=True,
                samesite="Strict",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
    return render(request, "integrity/follow_up.html", {"form": form}, status=status)


def _session_ended(request, resume="", receipt_form=None, status=401):
    """The session ended (401). When it ended while the reporter was sending a reply or a retaliation
    report, the page asks for the receipt again in a form that holds what they typed and posts it to
    the follow-up page, which sends it once the case is open: nothing typed is lost, and nothing is
    kept on the server meanwhile. Files cannot be carried over: they are chosen again there."""
    typed = None
    if resume:
        typed_form = {
            "balas": forms.ReplyForm,
            "pembalasan": forms.RetaliationForm,
            "kontak": forms.ContactForm,
        }[resume]
        typed = typed_form(
            initial={name: request.POST.get(name, "") for name in typed_form.base_fields}
        )
    return render(
        request,
        "integrity/session_ended.html",
        {
            "resume": resume,
            "typed": typed,
            "form": receipt_form or forms.ReceiptForm(),
            "had_files": bool(request.FILES.getlist("evidence")),
            "session_minutes": services.session_seconds() // 60,
        },
        status=status,
    )


def _reporter_report(request):
    return services.session_report(request.COOKIES.get(COOKIE, ""))


def my_case(request):
    report = _reporter_report(request)
    if report is None:
        return _session_ended(request)
    return _render_case(request, report)


def _render_case(
    request,
    report,
    reply_form=None,
    retaliation_form=None,
    disclosure_error="",
    status=200,
    evidence_error="",
    contact_form=None,
    contact_error="",
):
    return render(
        request,
        "integrity/my_case.html",
        {
            "case": _with_pieces(selectors.reporter_view(report), report),
            "reply_form": reply_form or forms.ReplyForm(),
            "retaliation_form": retaliation_form or forms.RetaliationForm(),
            "contact_form": contact_form or forms.ContactForm(),
            "contact_error": contact_error,
            # The form sent and refused: its errors are summed up at the top of the page.
            "error_form": reply_form or retaliation_form or contact_form,
            # The reply's files are not a form field (the service checks them): a refusal of one
            # is shown at the file input and leads there from the summary.
            "evidence_error": evidence_error,
            "disclosure_error": disclosure_error,
            "session_minutes": services.session_seconds() // 60,
        },
        status=status,
    )


def _write_allowed(request) -> bool:
    """Count one write of the reporter (reply, retaliation report, answer to a disclosure request)
    against ``INTEGRITY_REPLY_RATE``, shared with the API; False once the limit is reached."""
    return services.reporter_write_allowed(ratelimit.client_ip(request))


def _throttled_message(*, typed: bool = True) -> str:
    if not typed:
        return _(
            "Terlalu banyak kiriman dari sambungan ini. Tunggu beberapa menit lalu jawab lagi."
        )
    return _(
        "Terlalu banyak kiriman dari sambungan ini. Tunggu beberapa menit lalu kirim lagi; yang "
        "Anda tulis masih ada di formulir."
    )


@require_POST
def my_case_reply(request):
    report = _reporter_report(request)
    if report is None:
        return _session_ended(request, "balas")
    return _reply(request, report)


def _reply(request, report):
    form = forms.ReplyForm(request.POST)
    uploads = request.FILES.getlist("evidence")
    evidence_error = ""
    status = 400
    if not _write_allowed(request):
        form.add_error(None, _throttled_message())
        status = 429
    elif form.is_valid():
        try:
            services.reporter_reply(report, form.cleaned_data["body"], uploads)
        except services.InvalidInput as exc:
            evidence_error = exc.fields.get("evidence", "")
            for field, message in exc.fields.items():
                if field in form.fields:
                    form.add_error(field, message)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            return redirect("integrity:my-case")
    if uploads:
        form.add_error(None, _("Berkas bukti perlu dipilih ulang sebelum mengirim lagi."))
    return _render_case(
        request, report, reply_form=form, status=status, evidence_error=evidence_error
    )


@require_POST
def my_case_retaliation(request):
    report = _reporter_report(request)
    if report is None:
        return _session_ended(request, "pembalasan")
    return _retaliation(request, report)


def _retaliation(request, report):
    form = forms.RetaliationForm(request.POST)
    status = 400
    if not _write_allowed(request):
        form.add_error(None, _throttled_message())
        status = 429
    elif form.is_valid():
        try:
            services.report_retaliation(
                report, form.cleaned_data["kind"], form.cleaned_data["description"]
            )
        except services.InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("integrity:my-case")
    return _render_case(request, report, retaliation_form=form, status=status)


@require_POST
def my_case_disclosure(request, pk, answer):
    """The reporter consents to (``setuju``) or objects to (``keberatan``) a request to see their
    identity."""
    report = _reporter_report(request)
    if report is None:
        return _session_ended(request)
    if answer not in ("setuju", "keberatan"):
        raise Http404
    if not _write_allowed(request):
        return _render_case(
            request, report, disclosure_error=_throttled_message(typed=False), status=429
        )
    try:
        services.answer_disclosure(report, pk, consent=answer == "setuju")
    except services.InvalidInput as exc:
        return _render_case(request, report, disclosure_error=exc.message, status=409)
    return redirect("integrity:my-case")


@require_POST
def my_case_contact(request):
    """The reporter gives a new contact for the news about their report (and agrees to be contacted)."""
    report = _reporter_report(request)
    if report is None:
        return _session_ended(request, "kontak")
    return _contact(request, report)


def _contact(request, report):
    form = forms.ContactForm(request.POST)
    status = 400
    if not _write_allowed(request):
        form.add_error(None, _throttled_message())
        status = 429
    elif form.is_valid():
        services.change_contact(report, form.cleaned_data["contact"])
        return redirect(reverse("integrity:my-case") + "#contact")
    return _render_case(request, report, contact_form=form, status=status)


@require_POST
def my_case_contact_remove(request):
    """The reporter stops the news about their report: the contact they gave is erased."""
    report = _reporter_report(request)
    if report is None:
        return _session_ended(request)
    if not _write_allowed(request):
        return _render_case(
            request, report, contact_error=_throttled_message(typed=False), status=429
        )
    services.remove_contact(report)
    return redirect(reverse("integrity:my-case") + "#contact")


@csrf_exempt
def news_stop(request, token):
    """The stop link of a news mail to the reporter. Opening it (GET: a person, or a mail scanner
    following every link) only shows a button; a POST — that button, or a mail program's one-click
    unsubscribe (RFC 8058, ``List-Unsubscribe-Post``), which carries no CSRF token — erases the contact.
    The page says nothing of the case, and the link opens nothing else."""
    if request.method == "POST":
        state = "stopped" if services.stop_news_by_link(token) else "unknown"
    elif request.method in ("GET", "HEAD"):
        state = "confirm" if services.news_stop_report(token) is not None else "unknown"
    else:
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "integrity/news_stop.html",
        {"state": state},
        status=404 if state == "unknown" else 200,
    )


#: The writes that a session ending while the reporter typed carries over (``follow_up``'s ``resume``).
RESUMABLE = {"balas": _reply, "pembalasan": _retaliation, "kontak": _contact}


@require_POST
def reporter_logout(request):
    services.close_session(request.COOKIES.get(COOKIE, ""))
    response = redirect("integrity:index")
    response.delete_cookie(COOKIE, path="/integritas/")
    return response


def statistics(request):
    quarters = selectors.recent_quarters()
    asked = request.GET.get("quarter", "")
    period = selectors.parse_quarter(asked) if asked else None
    error = ""
    if asked and period is None:
        # Said on the page (400), as the API says it (invalid_quarter); the latest quarter is shown.
        error = _("Triwulan ditulis TTTT-Qn (misalnya 2026-Q3) dan harus sudah berakhir.")
    stats = selectors.statistics(quarter=period)

    def labelled(field: str, key: str):
        """(label, count) rows: the page shows each choice's name, the API its code."""
        names = dict(Report._meta.get_field(field).choices)
        hidden = _("disembunyikan")
        return [
            (names.get(code, code), hidden if n == rules.HIDDEN_COUNT else n)
            for code, n in stats[key].items()
        ]

    tables = [
        (_("Menurut jenis pelanggaran"), _("Jenis"), labelled("violation_type", "by_type")),
        (_("Menurut tahap"), _("Tahap"), labelled("status", "by_status")),
        (_("Menurut hasil"), _("Hasil"), labelled("outcome", "by_outcome")),
        (
            _("Menurut tingkat hukuman disiplin"),
            _("Tingkat"),
            labelled("sanction_level", "by_sanction_level"),
        ),
    ]
    return render(
        request,
        "integrity/statistics.html",
        {
            "stats": stats,
            "tables": tables,
            "start": dt.date.fromisoformat(stats["period"]["start"]),
            "end": dt.date.fromisoformat(stats["period"]["end"]),
            "quarters": quarters,
            "error": error,
            # Counts below this are hidden (rules.mask_count) and the national figures add up the
            # agencies with at least this many reports: the page's note says so with the same number.
            "small": rules.SMALL_COUNT,
            "small_top": rules.SMALL_COUNT - 1,
            # Summed up at the top of the page, leading to the list of quarters.
            "quarter_errors": (
                [{"anchor": "quarter", "label": _("Triwulan"), "message": error}] if error else []
            ),
        },
        status=400 if error else 200,
    )


# --- staff ------------------------------------------------------------------------------------


STAFF_LIST_PER_PAGE = 50


#: The roles that open the staff list of integrity cases (each sees the cases its selectors allow).
STAFF_ROLES = (Role.INSPECTORATE, Role.CUSTODIAN, Role.LEADERSHIP)


def may_open_staff_area(user) -> bool:
    """Whether the staff list of integrity cases opens for ``user``: the check the list refuses by, and
    the one the staff home asks before it lists the integrity cases."""
    return bool(permissions.scopes(user, STAFF_ROLES))


@login_required
def staff_list(request):
    if not may_open_staff_area(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")[:20]
    cases = selectors.visible_cases(request.user, status=status)
    page = CappedPaginator(cases, STAFF_LIST_PER_PAGE).get_page(request.GET.get("hal"))
    return render(
        request,
        "integrity/staff_list.html",
        {
            "page": page,
            "status": status,
            "statuses": services.Status.choices,
            "protected": selectors.protected_cases(request.user)[:50],
            "disclosures": selectors.pending_disclosures(request.user).filter(state="menunggu")[
                :50
            ],
        },
    )


def _with_pieces(view: dict, report) -> dict:
    """A case read for a page: its messages tell what a person typed from what the system said."""
    return {**view, "messages": selectors.with_pieces(view["messages"], report)}


def _case_context(request, report, **extra):
    detail = _with_pieces(selectors.case_detail(report), report)
    investigators = User.objects.filter(
        roles__role=Role.INSPECTORATE, roles__agency=report.handling_agency, is_active=True
    ).distinct()
    excluded = services.exclusion_test(report)  # everyone, while an exclusion's key is unknown
    investigators = [u for u in investigators if not excluded(u)]
    identity = None
    if report.disclosures.filter(
        requested_by=request.user,
        state=DisclosureRequest.State.APPROVED,
        consent=DisclosureRequest.Consent.GIVEN,
    ).exists():
        identity = services.reveal_identity(request.user, report.pk)
    ctx = {
        "case": report,
        "detail": detail,
        "actions": rules.allowed_actions(report.status),
        "may_ask_consent": rules.may_ask_consent(report.status),
        "investigators": investigators,
        "identity": identity,
        "summons_rows": services.summons_decisions(report),
        # Attendance is recorded from the hearing's day on (in the reported agency's calendar).
        "hearing_today": Calendar(report.agency).local_date(),
        "forms": {
            "ack": forms.MessageForm(prefix="ack"),
            "assess": forms.AssessForm(prefix="assess"),
            "plan": forms.PlanForm(prefix="plan", initial={"plan": report.examination_plan}),
            "summons": forms.SummonsForm(prefix="summons"),
            "bap": forms.BapForm(prefix="bap"),
            "finding": forms.FindingForm(prefix="finding"),
            "referral": forms.ReferralForm(prefix="referral"),
            "message": forms.MessageForm(prefix="message"),
            "disclosure": forms.DisclosureForm(prefix="disclosure"),
            "reported": forms.ReportedForm(prefix="reported"),
        },
        "sanction_label": _(rules.sanction_label(report.sanction)) if report.sanction else "",
    }
    ctx["forms"].update(extra.pop("forms", {}))
    ctx.update(extra)
    return ctx


@login_required
def staff_case(request, pk):
    report = services.case_for(request.user, pk)
    return render(request, "integrity/staff_case.html", _case_context(request, report))


def _still_visible(user, pk) -> bool:
    try:
        services.case_for(user, pk)
    except Http404:
        return False
    return True


def _number(value) -> int | None:
    """An id from a form, or None when it is not a whole number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


#: Where the error summary leads for a refused action that has no Django form of its own: the
#: control's id, when the page still offers that action (``rules.allowed_actions``) after the refusal.
ERROR_ANCHORS = {"terima": ("acknowledge", "id_ack-body"), "tugaskan": ("assign", "assign-user")}


#: The actions the case page posts to ``staf/<pk>/<action>/``.
STAFF_ACTIONS = frozenset(
    {
        "terima",
        "nilai",
        "tugaskan",
        "terlapor",
        "rencana",
        "panggil",
        "hadir",
        "bap",
        "temuan",
        "rujuk",
        "pesan",
        "identitas",
        "konflik",
    }
)


def _back_to_the_form(request, where):
    """An action's address read with GET: where signing in again leads after the staff session ended
    while a form was being filled in (the login page's ``next``, which shows what was typed, to copy).
    Nothing is done; the person lands on the page of the form (``where``) to send it again. Any other
    method is refused as before (405)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["POST"])
    return redirect(*where)


@login_required
def staff_action(request, pk, action):
    if action not in STAFF_ACTIONS:
        raise Http404
    if request.method != "POST":
        if (
            action == "konflik"
        ):  # declared from the case page or from a list: the list opens for all
            return _back_to_the_form(request, ("integrity:staff-list",))
        return _back_to_the_form(request, ("integrity:staff-case", pk))
    if action == "konflik":
        # Open to everyone who sees the case (services.declare_conflict checks who): the inspectorate
        # from the case page, a custodian from the list of disclosure requests, leadership from the
        # list of protected cases; each goes back to a list that no longer shows it.
        services.declare_conflict(request.user, pk)
        if request.POST.get("back") == "identitas":
            return redirect("integrity:staff-disclosures")
        return redirect("integrity:staff-list")
    report = services.case_for(request.user, pk)
    user = request.user
    bound = None
    try:
        if action == "terima":
            services.acknowledge(user, pk, request.POST.get("ack-body", ""))
        elif action == "nilai":
            bound = ("assess", forms.AssessForm(request.POST, prefix="assess"))
            if bound[1].is_valid():
                services.assess(user, pk, **bound[1].cleaned_data)
        elif action == "tugaskan":
            # An id that is not a number names nobody: refused as any unsuitable account is.
            chosen = _number(request.POST.get("user"))
            investigator = User.objects.filter(pk=chosen).first() if chosen else None
            services.assign(user, pk, investigator, lead=bool(request.POST.get("lead")))
        elif action == "terlapor":
            bound = ("reported", forms.ReportedForm(request.POST, prefix="reported"))
            if bound[1].is_valid():
                services.name_reported_employee(user, pk, bound[1].cleaned_data["nip"])
                if not _still_visible(user, pk):
                    # Named themselves or someone they report to, or the case went up a level.
                    return redirect("integrity:staff-list")
        elif action == "rencana":
            bound = ("plan", forms.PlanForm(request.POST, prefix="plan"))
            if bound[1].is_valid():
                services.set_plan(user, pk, bound[1].cleaned_data["plan"])
        elif action == "panggil":
            bound = ("summons", forms.SummonsForm(request.POST, prefix="summons"))
            if bound[1].is_valid():
                services.issue_summons(user, pk, **bound[1].cleaned_data)
        elif action == "hadir":
            services.record_attendance(
                user, pk, request.POST.get("summons"), request.POST.get("attended") == "1"
            )
        elif action == "bap":
            bound = ("bap", forms.BapForm(request.POST, prefix="bap"))
            if bound[1].is_valid():
                services.record_bap(user, pk, **bound[1].cleaned_data)
        elif action == "temuan":
            bound = ("finding", forms.FindingForm(request.POST, prefix="finding"))
            if bound[1].is_valid():
                services.record_finding(user, pk, **bound[1].cleaned_data)
        elif action == "rujuk":
            bound = ("referral", forms.ReferralForm(request.POST, prefix="referral"))
            if bound[1].is_valid():
                services.refer(user, pk, **bound[1].cleaned_data)
        elif action == "pesan":
            bound = ("message", forms.MessageForm(request.POST, prefix="message"))
            if bound[1].is_valid():
                services.send_message(
                    user,
                    pk,
                    bound[1].cleaned_data["body"],
                    question=bound[1].cleaned_data["question"],
                )
        elif action == "identitas":
            bound = ("disclosure", forms.DisclosureForm(request.POST, prefix="disclosure"))
            if bound[1].is_valid():
                services.request_disclosure(user, pk, bound[1].cleaned_data["reason"])
        else:
            raise Http404
    except services.InvalidInput as exc:
        form = bound[1] if bound else None
        if form is not None:
            for field, msg in exc.fields.items():
                form.add_error(field if field in form.fields else None, msg)
            if not exc.fields:
                form.add_error(None, exc.message)
        report = services.case_for(user, pk)
        if form is not None:  # the form holds the refusal: summed up at the top with its fields
            ctx = _case_context(request, report, forms={bound[0]: form}, error_form=form)
        else:  # an action without a form of its own: the refusal leads to its control
            ctx = _case_context(request, report, error=exc.message)
            offered, anchor = ERROR_ANCHORS.get(action, ("", ""))
            ctx["error_anchor"] = anchor if offered in ctx["actions"] else ""
        return render(request, "integrity/staff_case.html", ctx, status=400)
    if bound and not bound[1].is_valid():
        ctx = _case_context(request, report, forms={bound[0]: bound[1]}, error_form=bound[1])
        return render(request, "integrity/staff_case.html", ctx, status=400)
    return redirect("integrity:staff-case", pk=pk)


@login_required
def staff_evidence(request, pk, evidence_id):
    report = services.case_for(request.user, pk)
    ev = report.evidence.select_related("file").filter(pk=evidence_id).first()
    if ev is None:
        raise Http404
    services.record_read(request.user, report, "evidence_viewed", {"evidence": ev.pk})
    response = HttpResponse(files.read(ev.file), content_type=ev.file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, ev.file.filename)
    return response


@login_required
def staff_export(request, pk):
    """The referral case file (HTML to print, or PDF with ``?format=pdf``), without the reporter."""
    report = services.case_for(request.user, pk)
    services.record_read(request.user, report, "case_exported")
    ctx = {
        "case": report,
        "detail": selectors.export_case(report),
        "types": dict(ViolationType.choices),
    }
    if request.GET.get("format") == "pdf":
        html = render_to_string("integrity/export.html", ctx, request=request)
        pdf = documents.pdf(html)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report.case_number}.pdf"'
        return response
    return render(request, "integrity/export.html", ctx)


@login_required
def staff_disclosures(request, error="", status=200):
    if not permissions.scopes(request.user, [Role.CUSTODIAN]):
        raise PermissionDenied
    return render(
        request,
        "integrity/staff_disclosures.html",
        {"requests": selectors.pending_disclosures(request.user)[:200], "error": error},
        status=status,
    )


@login_required
def staff_decide(request, pk):
    if request.method != "POST":
        return _back_to_the_form(request, ("integrity:staff-disclosures",))
    try:
        services.decide_disclosure(request.user, pk, request.POST.get("approve") == "1")
    except services.InvalidInput as exc:
        return staff_disclosures(request, error=exc.message, status=409)
    return redirect("integrity:staff-disclosures")
