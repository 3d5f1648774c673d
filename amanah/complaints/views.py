"""Pages of the complaint desk: public intake and tracking (no JavaScript needed), the published
list, and the staff inbox, case page and assisted intake. Thin: every change goes through services."""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe

from amanah.core import calendar, files, paging, permissions, ratelimit
from amanah.core import selectors as core_selectors
from amanah.core.models import Agency, Service, Unit, User
from amanah.core.paging import CappedPaginator

from . import exports, forms, receipt, rules, selectors, services
from .models import Channel, EventKind, Status

STATUS_HELP = {
    rules.RECEIVED: gettext_lazy(
        "Petugas memeriksa kelengkapan pengaduan Anda dan meneruskannya ke unit yang berwenang."
    ),
    rules.INCOMPLETE: gettext_lazy(
        "Petugas meminta Anda melengkapi pengaduan. Batas waktu verifikasi berhenti sampai Anda "
        "melengkapinya."
    ),
    rules.IN_PROGRESS: gettext_lazy("Unit sedang menangani pengaduan Anda."),
}


def _status_help(c, today) -> str | None:
    """What the case's status means for the person, with the agency's own numbers of working days, and
    what a deadline passed on ``today`` means before the sweeper has come round to it."""
    gone = selectors.lapsed(c, today)
    if gone == "completion":
        return _(
            "Batas waktu melengkapi pengaduan sudah lewat, sehingga pengaduan dianggap dicabut. "
            "Silakan ajukan pengaduan baru bila masalahnya belum selesai."
        )
    if gone == "auto_close":
        return _(
            "Batas waktu menanggapi jawaban sudah lewat: jawaban dianggap diterima dan pengaduan "
            "ditutup otomatis. Anda masih dapat mengonfirmasi dan memberi nilai."
        )
    cfg = services.config(c.agency)
    if c.status == rules.FORWARDED:
        days = cfg["response_days"]
        return ngettext(
            "Pengaduan sudah diteruskan ke unit yang menangani. Unit wajib menanggapi dalam "
            "%(days)d hari kerja.",
            "Pengaduan sudah diteruskan ke unit yang menangani. Unit wajib menanggapi dalam "
            "%(days)d hari kerja.",
            days,
        ) % {"days": days}
    if c.status == rules.ANSWERED:
        days = cfg["auto_close_days"]
        return ngettext(
            "Unit sudah menjawab. Konfirmasikan bila masalah selesai, atau sampaikan sanggahan. Tanpa "
            "tanggapan, pengaduan ditutup otomatis setelah %(days)d hari kerja.",
            "Unit sudah menjawab. Konfirmasikan bila masalah selesai, atau sampaikan sanggahan. Tanpa "
            "tanggapan, pengaduan ditutup otomatis setelah %(days)d hari kerja.",
            days,
        ) % {"days": days}
    return STATUS_HELP.get(c.status)


# The most services an intake page lists (``AMANAH_INTAKE_SERVICE_LIST_LIMIT``). A national installation
# has tens of thousands: with no agency chosen and nothing searched the page then lists none and asks for
# the agency or a search first (a short GET form) — a cheap phone on a slow line should not download a
# list nobody can scroll.
SERVICE_LIST_LIMIT = settings.INTAKE_SERVICE_LIST_LIMIT
# The most services listed for one agency chosen (or a search within it): a ministry's whole catalogue.
AGENCY_SERVICE_LIST_LIMIT = 2000


def _scope_agency(request) -> Agency | None:
    """The agency whose services the intake page lists: the agency of the service chosen (a ``?layanan=``
    link from a QR code, or the form sent back with an error), else the agency chosen (``?instansi=`` or the
    form), else none (every service, when there are no more than :data:`SERVICE_LIST_LIMIT`)."""
    data = request.POST if request.method == "POST" else request.GET
    service = str(data.get("service") or request.GET.get("layanan") or "")[:60]
    found = core_selectors.active_service(service) if service else None
    if found is not None:
        return found.unit.agency
    agency = str(data.get("agency") or request.GET.get("instansi") or "")[:60]
    return core_selectors.active_agency(agency) if agency else None


#: The longest service search the intake page accepts (longer text is cut).
SERVICE_SEARCH_MAX = 100


def _service_search(request) -> str:
    """The words typed in the intake page's service search (``?cari=``, GET only)."""
    if request.method != "GET":
        return ""
    return " ".join(str(request.GET.get("cari") or "").split())[:SERVICE_SEARCH_MAX]


def _service_choices(agency=None, search: str = "", agency_ids=None, unit_ids=frozenset()):
    """The service list of an intake page: ``(choices, truncated, found)``. With ``search``, only the
    services that match it (``found`` is how many were listed); when none match, every service of the
    scope, so that the person can still choose (``found`` is then 0). ``agency_ids`` and ``unit_ids``:
    only the services of those agencies and of those units (an officer records complaints only where
    their role reaches; ``permissions.coverage``)."""

    limit = (
        SERVICE_LIST_LIMIT if agency is None else max(SERVICE_LIST_LIMIT, AGENCY_SERVICE_LIST_LIMIT)
    )

    def listed(words):
        qs = core_selectors.active_services(words, agency)
        if agency_ids is not None:
            qs = qs.filter(Q(unit__agency_id__in=agency_ids) | Q(unit_id__in=unit_ids))
        return list(qs.order_by("unit__agency__name", "name")[: limit + 1])

    found = None
    if search:
        matching = listed(search)
        found = len(matching[:limit])
    if not found:
        matching = listed("")
    truncated = len(matching) > limit
    if truncated and agency is None and not found:
        # The whole national catalogue, cut at an arbitrary place, would help nobody.
        return [("", _("— Cari layanan atau pilih instansi di atas dulu —"))], True, found
    choices = [("", _("— Pilih layanan —"))] + [
        (s.code, f"{s.name} — {s.unit.agency.name}") for s in matching[:limit]
    ]
    return choices, truncated, found


def _agency_choices(agency_ids=None):
    qs = Agency.objects.filter(is_active=True)
    if agency_ids is not None:
        qs = qs.filter(pk__in=agency_ids)
    return [("", _("— Pilih instansi —"))] + [(a.code, a.name) for a in qs]


def _page_form(form, agency=None, search: str = "", agency_ids=None, unit_ids=None, reach=None):
    """Show services and agencies as lists on the page (the API takes codes or ids); with ``agency``, only
    that agency's services, and the agency chosen; with ``search``, only the services matching it. Sets
    ``form.scope`` (the agency), ``form.search`` and ``form.services_found`` (the search and how many
    services it listed, None without a search) and ``form.services_truncated`` (the list is cut) for the
    picker above the form. ``agency_ids`` limits both lists to those agencies (None: all)."""
    from django import forms as djforms

    units = unit_ids or set()
    if agency is not None and agency_ids is not None and agency.pk not in agency_ids:
        if not Unit.objects.filter(agency=agency, pk__in=units).exists():
            agency = None
    form.scope, form.search = agency, search
    choices, form.services_truncated, form.services_found = _service_choices(
        agency, search, agency_ids, units
    )
    # The service a QR link named, or the one sent back with an error, stays chosen even where the list
    # was cut before it.
    wanted = str((form.data if form.is_bound else form.initial).get("service") or "")
    extra = core_selectors.active_service(wanted) if wanted else None
    in_reach = extra is not None and (
        agency_ids is None or extra.unit.agency_id in agency_ids or extra.unit_id in units
    )
    if in_reach and (agency is None or extra.unit.agency_id == agency.pk):
        if all(code != extra.code for code, _label in choices):
            choices.insert(1, (extra.code, f"{extra.name} — {extra.unit.agency.name}"))
        if not form.is_bound:
            form.initial["service"] = extra.code  # a link may name it by id: the list shows codes
    form.services_listed = len(choices) - 1
    form.fields["service"].widget = djforms.Select(choices=choices)
    # Only the agency, without a service: where the role reaches the whole agency. The picker above
    # the form lists every agency the officer records for (``reach``), unit-scoped roles included.
    agencies = _agency_choices(agency_ids)
    chosen = [pair for pair in agencies[1:] if agency is not None and pair[0] == agency.code]
    sent = str(form.data.get("agency") or "") if form.is_bound else ""
    if sent and (agency is None or sent != agency.code):
        # The agency sent back with an error (one the chosen service does not belong to, say) stays
        # chosen, so that the person sees which choice the error is about.
        chosen += [pair for pair in agencies[1:] if pair[0] == sent]
    # With an agency chosen the form's own list holds just that one (the picker above changes it): the
    # national list a second time would cost a phone some 30 KB for nothing.
    form.fields["agency"].widget = djforms.Select(
        choices=[agencies[0], *chosen] if chosen else agencies
    )
    form.picker_agencies = agencies if reach == agency_ids else _agency_choices(reach)
    if form.services_found == 1 and not form.is_bound and not form.initial.get("service"):
        form.initial["service"] = choices[1][0]  # the one service the search found, chosen already
    if agency is not None and not form.is_bound:
        form.initial.setdefault("agency", agency.code)
    return form


# --- Public ----------------------------------------------------------------------------------------


def _form_key(form, *scope) -> str:
    """The submission key of an intake form's one-time token and what was typed (none when the page sent
    no token): the same form sent again is one complaint, the form changed and sent again another."""
    token = form.cleaned_data.get("submission")
    if not token:
        return ""
    content = services.content_fingerprint(form.service_data(), form.clean_evidence_files)
    return services.submission_key(*scope, token, content)


# A page with its own one-time token: the browser may keep it (so that Back restores what was typed), a
# shared cache must not hand it to others.
@cache_control(private=True)
@require_http_methods(["GET", "POST"])
def new(request):
    """The public intake form. On any error the page comes back with everything typed kept (files must
    be chosen again, which the error says)."""
    initial = {"service": request.GET.get("layanan", "")[:60]}
    scope = _scope_agency(request)
    form = _page_form(
        forms.IntakeForm(request.POST or None, request.FILES or None, initial=initial),
        scope,
        _service_search(request),
    )
    status = 200
    if request.method == "POST":
        if _throttled(
            request,
            "complaint-intake",
            form,
            _("Terlalu banyak pengaduan dari perangkat ini. Coba lagi beberapa menit lagi."),
        ):
            status = 429
        elif form.is_valid():
            try:
                c = services.submit(
                    None,
                    form.service_data(),
                    form.clean_evidence_files,
                    channel=Channel.WEB,
                    key=_form_key(form, "web"),
                )
            except services.ComplaintError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.text)
                status = 400
            else:
                if c.replayed:
                    messages.info(
                        request,
                        _(
                            "Pengaduan ini sudah terkirim sebelumnya dengan kode lacak %(code)s, "
                            "sehingga tidak dikirim lagi. Untuk pengaduan lain, buka formulir baru."
                        )
                        % {"code": c.tracking_code},
                    )
                request.session["complaint_new"] = c.tracking_code
                return redirect("complaints:track", code=c.tracking_code)
        else:
            status = 400
        if "evidence" not in form.errors and request.FILES and status != 200:
            form.add_error(
                "evidence",
                _("Demi keamanan, pilih kembali berkas bukti Anda sebelum mengirim ulang."),
            )
    # What happens next, in the chosen agency's own numbers of days (the platform's before one is chosen).
    deadlines = services.config(scope)
    return render(
        request, "complaints/new.html", {"form": form, "deadlines": deadlines}, status=status
    )


def track_form(request):
    form = forms.TrackForm(request.GET or None)
    if request.GET and form.is_valid():
        code = rules.normalize_tracking_code(form.cleaned_data["code"])
        if code:
            return redirect("complaints:track", code=code)
        form.add_error(
            "code", _("Kode lacak tidak sah. Periksa kembali 16 huruf/angka pada kode Anda.")
        )
    return render(
        request, "complaints/track_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _throttled(request, scope: str, form, refusal) -> bool:
    """Whether this client sent the public form of ``scope`` too often (``PUBLIC_FORM_RATE``); if so
    the form keeps what was typed and says ``refusal`` at the top."""
    if ratelimit.hit(scope, ratelimit.client_ip(request), *settings.PUBLIC_FORM_RATE):
        return False
    form.is_valid()  # keeps the values and their own errors
    form.add_error(None, refusal)
    return True


@require_http_methods(["GET", "POST"])
def resend_codes(request):
    """A lost tracking code, sent again to the e-mail address or phone the complaint was filed with. The
    page answers the same whether or not any complaint has that contact."""
    form = forms.ResendForm(request.POST or None)
    sms = services.sms_enabled()
    if sms:
        form.fields["contact"].widget.attrs.pop("inputmode", None)  # a number or an address
    else:
        form.fields["contact"].label = _("Email yang Anda isi saat mengadu")
    status = 200
    if request.method == "POST":
        if _throttled(
            request,
            "complaint-resend-client",
            form,
            _("Terlalu banyak permintaan dari perangkat ini. Coba lagi beberapa menit lagi."),
        ):
            status = 429
        elif form.is_valid():
            try:
                services.resend_codes(form.cleaned_data["contact"])
            except services.ComplaintError as exc:
                form.add_error("contact", exc.text)
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "Jika ada pengaduan yang diajukan dengan kontak itu, kode lacaknya sudah kami "
                        "kirim ke sana. Periksa email (juga folder spam) atau SMS Anda."
                    )
                    if sms
                    else _(
                        "Jika ada pengaduan yang diajukan dengan alamat itu, kode lacaknya sudah kami "
                        "kirim ke sana. Periksa email Anda, juga folder spam."
                    ),
                )
                return redirect("complaints:resend-codes")
        else:
            status = 400
    context = {"form": form, "sms": sms}
    response = render(request, "complaints/resend_codes.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _tracked_or_error(request, code):
    limit, window = getattr(settings, "COMPLAINT_TRACK_RATE", (20, 600))
    ident = ratelimit.client_ip(request)
    if ratelimit.reached("complaint-track", ident, limit, window):
        return None, 429
    c = selectors.by_code(code)
    if c is None:
        ratelimit.hit("complaint-track", ident, limit, window)
        return None, 404
    return c, 200


#: The field of each tracking-page form that holds the person's own words.
TYPED_FIELD = {"reply": "text", "confirm": "comment", "dispute": "reason", "rate": "comment"}


def _handed_back(form, field: str, refusal: str = "") -> tuple[str, str]:
    """For a form that is no longer on the page (the case moved on): the refusal to say at the top (the
    one given, else the form's first error) and the words typed in ``field``, to hand back."""
    errors = form.errors.get(NON_FIELD_ERRORS) or [e for v in form.errors.values() for e in v]
    return refusal or (errors[0] if errors else ""), (form.data.get(field) or "").strip()


def _offered(c, action: str, today=None) -> bool:
    """Whether the tracking page offers the form for ``action`` in the case's current state (as the API
    does: ``selectors.complainant_offers``)."""
    return selectors.complainant_offers(c, today or selectors.today_for(c))[action]


def _track_action(request, c, action: str, form) -> tuple[int, str]:
    """Carry out one tracking-page form. Returns the page's status (302 when done) and a refusal for the
    top of the page; an error of the form itself is added to the form."""
    if selectors.acting_staff(request):
        form.is_valid()
        return 403, _(
            "Anda masuk sebagai petugas. Petugas tidak dapat membalas, mengonfirmasi, menyanggah atau "
            "menilai atas nama pengadu; keluar dari akun petugas bila Anda pengadunya."
        )
    if not ratelimit.hit(
        "complaint-reply", ratelimit.client_ip(request), *settings.PUBLIC_FORM_RATE
    ):
        form.is_valid()  # keeps the values and their own errors
        return 429, _(
            "Terlalu banyak kiriman dari perangkat ini. Tunggu beberapa menit lalu kirim lagi; isian "
            "Anda masih ada di bawah."
        )
    if not form.is_valid():
        return 400, ""
    data = form.cleaned_data
    try:
        if action == "reply":
            clean = services.clean_files(request.FILES.getlist("evidence"))
            key = services.reply_key(c, data["submission"], data["text"], clean)
            services.reply(c, text=data["text"], evidence=clean, key=key)
            done = _("Tanggapan Anda sudah dikirim.")
        elif action == "confirm":
            services.confirm(c, rating=data["rating"], comment=data["comment"])
            done = _("Terima kasih. Pengaduan Anda selesai.")
        elif action == "dispute":
            services.dispute(c, reason=data["reason"])
            done = _("Sanggahan Anda sudah dikirim; pengaduan dibuka kembali.")
        else:
            services.rate(c, rating=data["rating"], comment=data["comment"])
            done = _("Terima kasih atas penilaian Anda.")
    except services.ComplaintError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        return (409 if exc.status == 409 else 400), ""
    except rules.TransitionError as exc:
        return 409, services.transition_text(exc)
    messages.success(request, done)
    return 302, ""


def _not_tracked(request, code, status, error=None, kept=""):
    """The tracking form again, saying why the code opened nothing (unknown, or too many wrong codes),
    with the words of a form sent from the case's page (``kept``) handed back."""
    form = forms.TrackForm({"code": code[:40]})
    form.is_valid()
    form.add_error(
        "code",
        error
        or (
            _("Terlalu banyak kode yang salah. Coba lagi beberapa menit lagi.")
            if status == 429
            else _("Kode lacak tidak ditemukan. Periksa kembali kode Anda.")
        ),
    )
    return render(
        request, "complaints/track_form.html", {"form": form, "kept": kept}, status=status
    )


def _receipt_response(c) -> HttpResponse:
    response = HttpResponse(receipt.receipt_pdf(c), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{receipt.filename(c)}"'
    response["Cache-Control"] = "no-store"
    return response


def _tracked_download(request, code, scope: str, rate, refusal):
    """``(case, None)`` for a download by tracking code, or ``(None, the page saying why not)``: a wrong
    code counts as a guess, like the tracking page, and each client gets ``rate`` downloads of ``scope``
    per window. A HEAD counts as a GET does: it is answered with the same status (a 429 where the GET
    would get one), and a wrong code guessed by HEAD is a guess all the same."""
    c, status = _tracked_or_error(request, code)
    if c is None:
        return None, _not_tracked(request, code, status)
    if not ratelimit.hit(scope, ratelimit.client_ip(request), *rate):
        return None, _not_tracked(request, code, 429, refusal)
    return c, None


@files.head_as_get
@require_safe
def track_receipt(request, code):
    """The receipt as a PDF, for whoever holds the tracking code. A HEAD prints it too (its length is
    known only then), and so counts as a download."""
    # Printing a PDF costs the server a good half second: a few per client and window are plenty.
    c, refused = _tracked_download(
        request,
        code,
        "complaint-receipt",
        settings.COMPLAINT_RECEIPT_RATE,
        _("Terlalu banyak unduhan tanda terima dari perangkat ini. Coba lagi beberapa menit lagi."),
    )
    return refused or _receipt_response(c)


@files.head_as_get
@require_safe
def track_attachment(request, code, attachment_id):
    """A file the agency attached to its answer, for whoever holds the tracking code. A HEAD gets the
    headers of the download without reading the file, and is not audited as a download."""
    c, refused = _tracked_download(
        request,
        code,
        "complaint-attachment",
        settings.COMPLAINT_ATTACHMENT_RATE,
        _("Terlalu banyak unduhan lampiran dari perangkat ini. Coba lagi beberapa menit lagi."),
    )
    if refused:
        return refused
    try:
        stored, data = services.open_attachment(c, attachment_id, read=request.method != "HEAD")
    except services.ComplaintError:
        raise Http404 from None
    return files.download_response(stored, data)


@files.head_as_get
@require_http_methods(["GET", "HEAD", "POST"])
def track(request, code):
    """The tracking page and its forms. A HEAD is answered as a GET (a wrong code is a guess all the
    same) without a body, and leaves the session's note of a newly filed case for the GET that shows it."""
    c, status = _tracked_or_error(request, code)
    action = request.POST.get("action", "")
    if c is None:
        # Too many wrong codes from this address (often an office's or a carrier's, shared): what the
        # holder of a good code typed on the case's page is handed back rather than lost.
        field = TYPED_FIELD.get(action)
        kept = (request.POST.get(field) or "").strip() if field and request.method == "POST" else ""
        return _not_tracked(request, code, status, kept=kept)
    reply_form = forms.ReplyForm(request.POST if action == "reply" else None)
    confirm_form = forms.ConfirmForm(request.POST if action == "confirm" else None)
    dispute_form = forms.DisputeForm(request.POST if action == "dispute" else None)
    rate_form = forms.RateForm(request.POST if action == "rate" else None)
    target = {
        "reply": reply_form,
        "confirm": confirm_form,
        "dispute": dispute_form,
        "rate": rate_form,
    }.get(action)
    status, refusal, kept = 200, "", ""
    if request.method == "POST" and target is not None:
        status, refusal = _track_action(request, c, action, target)
        if status == 302:
            return redirect("complaints:track", code=c.tracking_code)
        c = selectors.by_code(c.tracking_code)  # as it is now: the refusal may have changed it
        if not _offered(c, action):
            # The case moved on while the page was open (answered, closed, rated): the form is no longer
            # on the page, so its error is said at the top and the words typed are handed back.
            refusal, kept = _handed_back(target, TYPED_FIELD[action], refusal)
    take = request.session.get if request.method == "HEAD" else request.session.pop
    is_new = take("complaint_new", None) == c.tracking_code
    today = selectors.today_for(c)
    offers = selectors.complainant_offers(c, today)
    context = {
        "c": c,
        "timeline": selectors.public_timeline(c),
        "is_new": is_new,
        "recoverable": is_new and services.code_recoverable(c),
        "status_help": _status_help(c, today),
        "is_overdue": c.is_overdue_on(today),
        "reply_form": reply_form,
        "confirm_form": confirm_form,
        "dispute_form": dispute_form,
        "rate_form": rate_form,
        # A signed-in officer reads the page as the person does, without the person's forms.
        "as_staff": (as_staff := selectors.acting_staff(request)),
        "can_reply": offers["reply"] and not as_staff,
        "can_confirm": offers["confirm"] and not as_staff,
        "can_dispute": offers["dispute"] and not as_staff,
        "can_rate": offers["rate"] and not as_staff,
        "survey_url": services._survey_link(c) if c.status == Status.CLOSED else None,
        "form_errors": status != 200,
        # The form sent and refused, still on the page: its errors are summed up at the top (focused,
        # announced, each linking to its field) unless a refusal already says why there.
        "error_form": target if status != 200 and not refusal else None,
        # A browser never sends a file back: a refused reply asks for the chosen files again, as the
        # intake pages do, or the corrected reply would go without them.
        "reply_file_again": action == "reply" and status != 200 and bool(request.FILES),
        "refusal": refusal,
        "kept": kept,
    }
    # Times as the agency's office reads them (WIB, WITA or WIT), with the zone named on the page.
    context["zone"] = c.agency.get_time_zone_display()
    with timezone.override(c.agency.time_zone):
        response = render(request, "complaints/track.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def published(request):
    """The published complaints, of every agency or of one (``?instansi=``, its code or id, as the API's
    ``agency``). An agency nobody has (a mistyped code, an old link) is a 404 that says so, as the API's
    ``unknown_agency`` — never every agency's list shown as if it were that agency's."""
    ref = str(request.GET.get("instansi") or "").strip()[:60]
    agency = core_selectors.agency_by_ref(ref) if ref else None
    context = {"agency": agency, "agencies": Agency.objects.filter(is_active=True)}
    if ref and agency is None:
        context["unknown_agency"] = _(
            "Instansi yang diminta tidak dikenal. Pilih instansi dari daftar di bawah."
        )
        return render(request, "complaints/published.html", context, status=404)
    context["page"] = Paginator(selectors.published(agency), 20).get_page(request.GET.get("hal"))
    return render(request, "complaints/published.html", context)


# --- Staff -------------------------------------------------------------------------------------------


def may_open_staff_area(user) -> bool:
    """Whether the staff inbox opens for ``user`` (a role that views complaints, anywhere): the check
    its pages refuse by, and the one the staff home asks before it lists the inbox."""
    return bool(permissions.scopes(user, rules.VIEW_ROLES))


def _require_viewer(user):
    if not may_open_staff_area(user):
        raise PermissionDenied


def _inbox_filters(g) -> dict:
    """The inbox's filters from its query string (the page's Indonesian parameter names). A status,
    channel or order the page does not know is left out, the choice's default taken instead, as its list
    shows it (:func:`_choice_errors` says so at the field)."""
    errors = _choice_errors(g)
    status = g.get("status", "open")
    return {
        # "semua": every status (an empty value would be too, but the page's own choice names it).
        "status": "open" if "status" in errors else "" if status == "semua" else status,
        "overdue": g.get("terlambat") == "1",
        "due_soon": g.get("segera") == "1",
        "service": g.get("layanan", "")[:60],
        "unit": g.get("unit", "")[:60],
        "channel": "" if "saluran" in errors else g.get("saluran", ""),
        "q": g.get("q", "")[:200],
        "mine": g.get("saya") == "1",
        "date_from": _date(g.get("dari")),
        "date_to": _date(g.get("sampai")),
        "order": "due" if g.get("urut") == "tenggat" else "",
    }


def _shown(value: str) -> str:
    """A value typed into the address, as an error message quotes it (not the whole of a long one)."""
    return value if len(value) <= 40 else value[:40] + "…"


def _choice_errors(g) -> dict:
    """What is wrong with the inbox's choices (status, channel, order), by parameter: a value the page
    does not offer (an edited address, an old bookmark) would list no case, as if none matched."""
    errors = {}
    status = g.get("status", "")
    named, unknown = rules.status_filter(status[:200])
    if status not in ("", "semua") and (len(status) > 200 or unknown or not named):
        errors["status"] = _(
            "Status “%(value)s” tidak dikenal, jadi saringan ini tidak dipakai: yang tampil "
            "pengaduan yang masih terbuka."
        ) % {"value": _shown(status)}
    channel = g.get("saluran", "")
    if channel and channel not in rules.CHANNELS:
        errors["saluran"] = _(
            "Saluran “%(value)s” tidak dikenal, jadi saringan ini tidak dipakai: yang tampil "
            "semua saluran."
        ) % {"value": _shown(channel)}
    order = g.get("urut", "")
    if order not in ("", "tenggat"):
        errors["urut"] = _("Urutan “%(value)s” tidak dikenal: yang tampil terbaru lebih dulu.") % {
            "value": _shown(order)
        }
    return errors


def _date_errors(g, filters) -> dict:
    """What is wrong with the inbox's dates, by parameter: one that is not a date is left out of the
    filter, and the page says so at its field rather than listing cases as if nothing had been typed."""
    errors = {}
    for name, key in (("dari", "date_from"), ("sampai", "date_to")):
        if g.get(name) and filters[key] is None:
            day = _parsed(g[name])
            problem = calendar.out_of_years(day) if day else None
            errors[name] = (
                _("%(problem)s Saringan tanggal ini tidak dipakai.") % {"problem": problem}
                if problem
                else _("Tanggal tidak sah (TTTT-BB-HH); saringan tanggal ini tidak dipakai.")
            )
    if filters["date_from"] and filters["date_to"] and filters["date_to"] < filters["date_from"]:
        errors["sampai"] = _("Tanggal akhir sebelum tanggal awal, jadi tidak ada yang cocok.")
    return errors


@never_cache
@login_required
def inbox(request):
    _require_viewer(request.user)
    g = request.GET
    filters = _inbox_filters(g)
    qs = selectors.inbox(request.user, **filters)
    page = CappedPaginator(qs, 25).get_page(g.get("hal"))
    today = selectors.today_by_zone()
    rows = [(c, c.is_overdue_on(today(c))) for c in page]
    can_intake = bool(permissions.scopes(request.user, rules.INTAKE_ROLES))
    can_manage_templates = _managed_agencies(request.user).exists()
    return render(
        request,
        "complaints/staff_inbox.html",
        {
            "page": page,
            "rows": rows,
            "g": g,
            "statuses": Status.choices,
            "channels": Channel.choices,
            # The services of the officer's own agencies (a national list would leave theirs out).
            "services": _inbox_services(request.user),
            # The units the officer's cases may sit at: a complaint manager narrows to one of them.
            "units": _inbox_units(request.user),
            "can_intake": can_intake,
            "can_manage_templates": can_manage_templates,
            # What the page cannot use, said at its field (the other filters stay as typed).
            "filter_errors": {**_choice_errors(g), **_date_errors(g, filters)},
            "export_query": g.urlencode(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def inbox_export(request, fmt):
    """The cases of the inbox's current filter as XLSX or CSV (``exports``), audited; a filter matching
    more than ``COMPLAINT_EXPORT_MAX_ROWS`` cases goes back to the inbox with a request to narrow it."""
    _require_viewer(request.user)
    if fmt not in exports.FORMATS:
        raise Http404
    filters = _inbox_filters(request.GET)
    qs = selectors.inbox(request.user, **filters)
    limit = settings.COMPLAINT_EXPORT_MAX_ROWS
    rows, more = paging.count_capped(qs, limit)  # one capped count, not a full one
    if more:
        messages.error(
            request,
            _(
                "Saringan ini memuat lebih dari %(limit)s pengaduan. Persempit saringan (misalnya rentang "
                "tanggal) lalu ekspor lagi."
            )
            % {"limit": formats.number_format(limit, force_grouping=True)},
        )
        return redirect(reverse("complaints:inbox") + "?" + request.GET.urlencode())
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(qs), content_type=exports.FORMATS[fmt])
    else:
        # Built before it is audited: an export that failed is not recorded as made.
        response = HttpResponse(
            exports.xlsx_bytes(qs, _("Pengaduan")), content_type=exports.FORMATS[fmt]
        )
    services.record_export(request.user, fmt=fmt, filters=filters, rows=rows)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(fmt)}"'
    return response


def _inbox_services(user):
    qs = Service.objects.filter(is_active=True).select_related("unit").order_by("name")
    agencies = permissions.agency_ids(user, rules.VIEW_ROLES)
    if agencies is not None:
        qs = qs.filter(unit__agency_id__in=agencies)
    return qs[:SERVICE_LIST_LIMIT]


def _inbox_units(user):
    """The units of the inbox's unit filter: those of the officer's agencies, or the units (and those
    below them) a unit-scoped role covers; at most :data:`SERVICE_LIST_LIMIT`, by agency and name."""
    agencies, units = permissions.coverage(user, rules.VIEW_ROLES)
    qs = Unit.objects.select_related("agency").order_by("agency__name", "name", "pk")
    if agencies is not None:
        qs = qs.filter(Q(agency_id__in=agencies) | Q(pk__in=units))
    return qs[:SERVICE_LIST_LIMIT]


def _parsed(value):
    """The date typed (YYYY-MM-DD), or None when nothing or no date was typed."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _date(value):
    """A date typed in a filter, or None when it is not one or lies outside the calendar's years."""
    day = _parsed(value)
    return day if day is None or calendar.out_of_years(day) is None else None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request):
    if not permissions.scopes(request.user, rules.INTAKE_ROLES):
        raise PermissionDenied
    # Only the agencies the officer records complaints for (another agency's would be refused on
    # sending); with one agency, its services are listed from the start.
    agency_ids, unit_ids = permissions.coverage(request.user, rules.INTAKE_ROLES)
    reach = permissions.agency_ids(request.user, rules.INTAKE_ROLES)
    scope = _scope_agency(request)
    if scope is None and reach is not None and len(reach) == 1:
        scope = core_selectors.active_agency(str(next(iter(reach))))
    form = _page_form(
        forms.AssistedIntakeForm(request.POST or None, request.FILES or None),
        scope,
        _service_search(request),
        agency_ids,
        unit_ids,
        reach,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                c = services.submit(
                    request.user,
                    form.service_data(),
                    form.clean_evidence_files,
                    channel=form.cleaned_data["channel"],
                    received_at=form.cleaned_data.get("received_at"),
                    key=_form_key(form, "staff", request.user.pk),
                )
            except services.ComplaintError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.text)
            except PermissionDenied:
                form.add_error(
                    "service",
                    _("Anda tidak berwenang mencatat pengaduan untuk layanan/instansi ini."),
                )
            else:
                if c.replayed:
                    messages.info(
                        request,
                        _(
                            "Pengaduan ini sudah tercatat sebelumnya dengan kode lacak %(code)s, "
                            "sehingga tidak dicatat lagi. Untuk pengaduan lain, buka formulir baru."
                        )
                        % {"code": c.tracking_code},
                    )
                else:
                    messages.success(
                        request,
                        _("Pengaduan tercatat. Berikan kode lacak %(code)s kepada pengadu.")
                        % {"code": c.tracking_code},
                    )
                return redirect(staff_case_url(c))
        status = 400
        if "evidence" not in form.errors and request.FILES:
            form.add_error(
                "evidence", _("Demi keamanan, pilih kembali berkas bukti sebelum mengirim ulang.")
            )
    return render(request, "complaints/staff_new.html", {"form": form}, status=status)


def _managed_agencies(user):
    """The agencies whose answer templates ``user`` manages (complaint manager agency-wide; every
    agency for a platform admin), by name."""
    ids, _units = permissions.coverage(user, [rules.MANAGER])
    qs = Agency.objects.order_by("name")
    return qs if ids is None else qs.filter(pk__in=ids)


def _template_forms(templates, bound=None):
    """One edit form per template (ids of its own, so the labels and the error summary's links point at
    the right fields); ``bound`` is the refused one, kept with what was typed."""
    return [
        (
            t,
            bound
            if bound is not None and bound.template_id == t.pk
            else forms.TemplateForm(
                initial={"title": t.title, "body": t.body}, auto_id=f"templat-{t.pk}-%s"
            ),
        )
        for t in templates
    ]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def staff_templates(request):
    """The answer templates of one agency, for its complaint managers: list, add, change, remove. A
    manager of several agencies picks one (``?instansi=``); the forms post to the page itself."""
    agencies = list(_managed_agencies(request.user))
    if not agencies:
        raise PermissionDenied
    chosen = str(request.GET.get("instansi") or "")[:60]
    agency = None
    if chosen:
        agency = core_selectors.agency_by_ref(chosen)
        if agency not in agencies:
            raise Http404
    elif len(agencies) == 1:
        agency = agencies[0]
    add_form = forms.TemplateForm(auto_id="baru-%s")
    bound, confirm, status = None, None, 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "add":
            if agency is None:
                raise Http404
            form = add_form = forms.TemplateForm(request.POST, auto_id="baru-%s")
            target = agency
        elif action in ("edit", "delete"):
            chosen_id = str(request.POST.get("template") or "")
            t = selectors.template_for_staff(
                request.user, int(chosen_id) if chosen_id.isdecimal() else None
            )
            target = t.agency
            form = forms.TemplateForm(request.POST, auto_id=f"templat-{t.pk}-%s")
            form.template_id = t.pk
        else:
            raise Http404
        done = reverse("complaints:staff-templates") + "?instansi=" + target.code
        if action == "delete":
            if request.POST.get("confirm") == "1":
                services.delete_template(request.user, t)
                messages.success(request, _("Templat “%(title)s” dihapus.") % {"title": t.title})
                return redirect(done)
            confirm = t  # a second step: the page asks again, with the template named
            if agency is None or agency.pk != t.agency_id:
                agency = t.agency
        else:
            if form.is_valid():
                data = form.cleaned_data
                try:
                    if action == "add":
                        services.save_template(
                            request.user, agency, title=data["title"], body=data["body"]
                        )
                    else:
                        services.update_template(
                            request.user, t, title=data["title"], body=data["body"]
                        )
                except services.ComplaintError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.text)
                else:
                    messages.success(
                        request,
                        _("Templat ditambahkan.") if action == "add" else _("Templat diperbarui."),
                    )
                    return redirect(done)
            status = 400
            if action == "edit":
                bound = form
                if agency is None or agency.pk != t.agency_id:
                    agency = t.agency
    templates = list(selectors.templates_of(agency)) if agency is not None else []
    return render(
        request,
        "complaints/staff_templates.html",
        {
            "agency": agency,
            "agencies": agencies if len(agencies) > 1 else None,
            "add_form": add_form,
            "rows": _template_forms(templates, bound),
            "error_form": bound if bound is not None else (add_form if add_form.errors else None),
            "confirm": confirm,
        },
        status=status,
    )


ACTION_FORMS = {
    "verify": forms.VerifyForm,
    "reject": forms.RejectForm,
    "transfer": forms.TransferForm,
    "reassign_unit": forms.ReassignForm,
    "answer": forms.AnswerForm,
    "request_completion": forms.CompletionRequestForm,
    "note": forms.InternalNoteForm,
    "start": forms.StepMessageForm,
    "escalate": forms.EscalateForm,
    "refer": forms.StepMessageForm,
    "complete": forms.CompletionRecordForm,
}
#: Forms whose choices are the case's agency's own (units, answer templates).
AGENCY_FORMS = (forms.VerifyForm, forms.AnswerForm, forms.ReassignForm)
#: The field of each action form that holds the officer's own words.
ACTION_TEXT = {"verify": "note", "reject": "note", "transfer": "note", "reassign_unit": "note"}


def _form_kwargs(form_class, c) -> dict:
    """What an action form of case ``c`` is made with: its agency's choices, and for a move to another
    unit the unit it is at (not offered)."""
    kwargs = {"agency": c.agency} if form_class in AGENCY_FORMS else {}
    if form_class is forms.ReassignForm:
        kwargs["current"] = c.unit
    return kwargs


def _run(user, c, action, data, form=None):
    if action == "verify":
        return services.verify(user, c, unit=data["unit"], tier=data["tier"], note=data["note"])
    if action == "reject":
        original = (
            selectors.viewable_by_code(user, data["duplicate_of"]) if data["duplicate_of"] else None
        )
        if data["duplicate_of"] and original is None:
            raise services.ComplaintError(
                _("Nomor pengaduan asli tidak ditemukan."), "unknown", "duplicate_of", 422
            )
        return services.reject(
            user, c, reason=data["reason"], duplicate_of=original, note=data["note"]
        )
    if action == "transfer":
        return services.transfer(user, c, agency=data["agency"], note=data["note"])
    if action == "reassign_unit":
        return services.reassign_unit(user, c, unit=data["unit"], note=data["note"])
    if action == "answer":
        return services.answer(
            user,
            c,
            text=data["text"] or data["template"].body,
            attachments=getattr(form, "clean_attachment_files", None),
        )
    if action == "request_completion":
        return services.request_completion(user, c, message=data["text"])
    if action == "complete":
        return services.complete_for(user, c, note=data["text"])
    if action == "start":
        return services.start(user, c, note=data["text"])
    if action == "escalate":
        return services.escalate(user, c, reason=data["text"])
    if action == "refer":
        return services.refer(user, c, note=data["text"])
    if action == "note":
        return services.add_note(user, c, text=data["text"])
    raise Http404


def _by_number(request, c, code, name, **kwargs):
    """A redirect to the same staff address by the case's number when it was opened (GET or HEAD) by
    any other reference, its tracking code above all (an old e-mail's link, a bookmark): the code is
    the complainant's key, and an address stays in the browser's history, the server's log and the
    Referer of the next request. None when the address already names the number. A POST by code (a
    form of a page opened before) is served where it is, and its answer goes on by number."""
    number = selectors.case_number(c)
    if request.method not in ("GET", "HEAD") or code == number:
        return None
    url = reverse(f"complaints:{name}", kwargs={"code": number, **kwargs})
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url)


def _staff_login_required(view):
    """``login_required`` for a staff address that names a case (``code``). Signed out, an address by the
    case number sends to the login with ``next`` back to it; any other address (a tracking code, the old
    form of these addresses, or anything else) with ``next`` pointing at the inbox: the code would
    otherwise travel on in the login's address (the browser's history, the server's log), and it is not
    looked up, so the answer is the same whether such a case exists or not."""
    guarded = login_required(view)

    @functools.wraps(view)
    def wrapper(request, code, *args, **kwargs):
        if not request.user.is_authenticated and rules.case_pk(code) is None:
            return redirect_to_login(reverse("complaints:inbox"))
        return guarded(request, code, *args, **kwargs)

    return wrapper


@never_cache
@_staff_login_required
@require_http_methods(["GET", "POST"])
def staff_case(request, code):
    c = selectors.for_staff(request.user, code)
    if moved := _by_number(request, c, code, "staff-case"):
        return moved
    allowed = selectors.allowed_actions(request.user, c)
    action = request.POST.get("action", "")
    bound = {}
    status, refusal, kept = 200, "", ""
    if request.method == "POST":
        if action == "assign":
            chosen = request.POST.get("user", "")
            user = User.objects.filter(pk=int(chosen)).first() if chosen.isdecimal() else None
            try:
                services.assign(request.user, c, user=user)
                messages.success(request, _("Pengaduan ditugaskan."))
            except services.ComplaintError as exc:
                messages.error(request, exc.text)
            except rules.TransitionError as exc:  # the case closed while the page was open
                messages.error(request, services.transition_text(exc))
            return redirect(staff_case_url(c))
        if action == "publish":
            try:
                services.set_publication(
                    request.user, c, approve=request.POST.get("approve") == "1"
                )
                messages.success(request, _("Status publikasi diperbarui."))
            except services.ComplaintError as exc:
                messages.error(request, exc.text)
            return redirect(staff_case_url(c))
        form_class = ACTION_FORMS.get(action)
        if form_class is None:
            raise Http404
        form = form_class(
            request.POST, request.FILES, auto_id=f"{action}_%s", **_form_kwargs(form_class, c)
        )
        bound[action] = form
        status = 400
        if form.is_valid():
            try:
                _run(request.user, c, action, form.cleaned_data, form)
            except services.ComplaintError as exc:
                # The services name the text after their own argument (message, note, reason).
                field = exc.field if exc.field in form.fields else None
                if field is None and exc.field and "text" in form.fields:
                    field = "text"
                form.add_error(field, exc.text)
                status = 409 if exc.status == 409 else 400
            except rules.TransitionError as exc:
                form.add_error(None, services.transition_text(exc))
                status = 409
            else:
                messages.success(request, _("Tersimpan."))
                if not selectors.can_view(request.user, selectors.by_staff_ref(code)):
                    # Forwarded (or moved) to a unit beyond the officer's own: done, and no longer
                    # theirs to open, so back to the inbox rather than to a page that is not found.
                    messages.info(
                        request,
                        _("Pengaduan %(code)s kini di luar lingkup Anda.")
                        % {"code": selectors.case_number(c)},
                    )
                    return redirect("complaints:inbox")
                return redirect(staff_case_url(c))
        if action == "answer" and request.FILES and "attachments" not in form.errors:
            # A browser never sends a chosen file back: say so, or the answer goes out without it.
            form.add_error(
                "attachments",
                _("Demi keamanan, pilih kembali berkas lampiran sebelum mengirim ulang."),
            )
        # The case may have moved on meanwhile (another officer, another tab): read it again, and when
        # the action is no longer offered, say why at the top and hand the words typed back.
        c = selectors.for_staff(request.user, code)
        allowed = selectors.allowed_actions(request.user, c)
        if action not in allowed:
            refusal, kept = _handed_back(form, ACTION_TEXT.get(action, "text"))
    action_forms = {}
    for name in allowed:
        if name in ACTION_FORMS:
            form_class = ACTION_FORMS[name]
            kwargs = _form_kwargs(form_class, c)
            initial = (
                {"unit": c.unit_id, "tier": services.config(c.agency)["default_tier"].get(c.kind)}
                if name == "verify"
                else {}
            )
            action_forms[name] = bound.get(name) or form_class(
                initial=initial, auto_id=f"{name}_%s", **kwargs
            )
    evidence = list(c.evidence.select_related("file"))
    # A rahasia case's files may name the complainant ("KTP_Budi_Santoso.jpg"): who may not open them
    # sees how many there are, not their names.
    may_open = selectors.may_open_evidence(request.user, c)
    context = {
        "c": c,
        "events": selectors.staff_timeline(c, request.user),
        "show_identity": selectors.can_see_identity(request.user, c),
        "evidence": evidence if may_open else [],
        "evidence_count": len(evidence),
        "may_open_evidence": may_open,
        # The photo link of a rahasia case opens only where its evidence does.
        "media_url": c.media_url if may_open else "",
        "allowed": allowed,
        "action_forms": action_forms,
        "similar": selectors.similar(request.user, c) if c.status == Status.RECEIVED else [],
        "duplicate_of": c.duplicate_of
        if c.duplicate_of_id and selectors.can_view(request.user, c.duplicate_of)
        else None,
        "is_overdue": c.is_overdue_on(selectors.today_for(c)),
        # The days to complete the file are over (the sweep has not withdrawn it yet): recording the
        # completion is no longer offered, and the page says why.
        "completion_lapsed": selectors.lapsed(c, selectors.today_for(c)) == "completion",
        "legal": selectors.statutory(c) if c.is_open else None,
        "refusal": refusal,
        "kept": kept,
        "form_errors": status != 200,
        # The action form sent and refused, open on the page: its errors are summed up at the top.
        "error_form": bound.get(action) if status != 200 and not refusal else None,
        "templates": selectors.templates_of(c.agency),
        "assignees": selectors.assignable(c) if "assign" in allowed else [],
        # Withdrawing stays possible; approving a case rejected as spam or improper is not.
        "can_publish": "publish" in allowed
        and c.publish_requested
        and (c.publish_approved or c.reject_reason != "spam"),
        "EventKind": EventKind,
        "action_labels": ACTION_LABELS,
    }
    with timezone.override(c.agency.time_zone):  # times as the agency's office reads them
        return render(request, "complaints/staff_case.html", context, status=status)


ACTION_LABELS = {
    "verify": gettext_lazy("Verifikasi dan teruskan ke unit"),
    "request_completion": gettext_lazy("Minta kelengkapan (tunda)"),
    "complete": gettext_lazy("Catat kelengkapan dari pengadu"),
    "transfer": gettext_lazy("Bukan wewenang: alihkan ke instansi lain"),
    "reassign_unit": gettext_lazy("Pindahkan ke unit lain"),
    "reject": gettext_lazy("Tolak / arsipkan"),
    "start": gettext_lazy("Mulai tangani"),
    "answer": gettext_lazy("Kirim jawaban"),
    "escalate": gettext_lazy("Eskalasi"),
    "refer": gettext_lazy("Rujuk ke Ombudsman RI"),
    "note": gettext_lazy("Catatan internal"),
}


@_staff_login_required
@files.head_as_get
@require_safe
def staff_receipt(request, code):
    """The receipt of a case the officer may open, to print and hand to the complainant (HEAD: the same
    headers, no body)."""
    c = selectors.for_staff(request.user, code)
    return _by_number(request, c, code, "staff-receipt") or _receipt_response(c)


@never_cache
@_staff_login_required
@files.head_as_get
@require_safe
def staff_evidence(request, code, evidence_id):
    """One evidence file of a case, for staff who may open it; the download is audited. A HEAD gets the
    download's headers after the same checks, without reading the file, and is not audited."""
    c = selectors.for_staff(request.user, code)
    if moved := _by_number(request, c, code, "staff-evidence", evidence_id=evidence_id):
        return moved
    try:
        stored, data = services.open_evidence(
            request.user, c, evidence_id, read=request.method != "HEAD"
        )
    except services.ComplaintError:
        raise Http404 from None
    return files.download_response(stored, data)


def staff_case_url(c):
    """The staff page of a case, by its number: an address stays in the browser's history, the server's
    log and whatever it is pasted into, so it never holds the tracking code (the complainant's key)."""
    return reverse("complaints:staff-case", kwargs={"code": selectors.case_number(c)})
