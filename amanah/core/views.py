import re
from urllib.parse import urlsplit

import pyotp
import segno
from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from . import middleware, permissions, services
from .forms import LoginForm, TotpForm
from .models import Service


def home(request):
    return render(request, "core/home.html")


def login_view(request):
    form = LoginForm(request.POST or None)
    error = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_attempt(
                request,
                form.cleaned_data["email"],
                form.cleaned_data["password"],
                form.cleaned_data["code"],
            )
        except services.LoginError as exc:
            error = str(exc)
            status = 429 if exc.code == "throttled" else 400
        else:
            login(request, user)
            request.session["amanah_2fa"] = bool(user.totp_enabled)
            # The session's absolute limit counts from now (StaffSessionMiddleware).
            request.session[middleware.StaffSessionMiddleware.LOGIN_AT] = middleware.now_seconds()
            request.session.set_expiry(None)
            nxt = request.GET.get("next", "")
            if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
                return redirect(nxt)
            if settings.REQUIRE_2FA and not user.totp_enabled:
                return redirect("core:totp-setup")
            return redirect("core:staff-home")
    elif request.method == "POST":
        status = 400
    return render(request, "core/login.html", {"form": form, "error": error}, status=status)


#: Posted values that are a choice (a small id or level, a tick box), not something typed: not shown
#: again. Longer numbers are typed (an NIP, an amount) and are shown.
_CHOSEN_VALUE = re.compile(r"\d{1,3}|on|true|false|", re.I)


def typed_fields(request) -> list[dict]:
    """The text fields of ``request.POST`` worth giving back to the person: neither secrets
    (:data:`middleware.SECRET_FIELD`) nor bare choices; files are never among them."""
    typed = []
    for name, values in request.POST.lists():
        if middleware.SECRET_FIELD.search(name):
            continue
        for value in values:
            if not _CHOSEN_VALUE.fullmatch(value.strip()):
                typed.append({"id": f"typed-{len(typed) + 1}", "name": name, "value": value})
    return typed


def session_ended_login(request):
    """The login page for a form POSTed after the staff session ended (``StaffSessionMiddleware``): it
    says so and shows, read-only, what was typed in the form, to copy. Signing in leads back to the page
    of the form (a GET, the page it was sent from when the browser says which): nothing is sent again by
    itself."""
    nxt = request.get_full_path()
    came_from = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(came_from, {request.get_host()}):
        parts = urlsplit(came_from)
        if parts.path not in ("", "/"):  # an origin alone (strict-origin pages) says nothing
            nxt = parts.path + (f"?{parts.query}" if parts.query else "")
    return render(
        request,
        "core/login.html",
        {
            "form": LoginForm(),
            "error": None,
            "session_ended": True,
            "typed": typed_fields(request),
            "action": f"{reverse('core:login')}?{urlencode({'next': nxt})}",
            "idle_minutes": max(1, settings.SESSION_COOKIE_AGE // 60),
        },
        status=401,
    )


@require_POST
def logout_view(request):
    logout(request)
    return redirect("core:home")


def admin_login(request, extra_context=None):
    """The Django admin signs in through Amanah's own login (throttled, with the second factor); its own
    form would take the password alone and count no failures."""
    nxt = request.GET.get("next", "/admin/")
    if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
        nxt = "/admin/"
    return redirect(f"{reverse('core:login')}?{urlencode({'next': nxt})}")


@login_required
def totp_setup(request):
    if request.user.totp_enabled and not request.session.get("amanah_2fa"):
        # Replacing an authenticator needs the one already set up: a session signed in with the
        # password alone must not swap in a second factor of its own.
        return redirect(
            f"{reverse('core:login')}?{urlencode({'next': reverse('core:totp-setup')})}"
        )
    secret = request.session.get("totp_secret") or pyotp.random_base32()
    request.session["totp_secret"] = secret
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.enable_totp(request.user, secret, form.cleaned_data["code"]):
            request.session["amanah_2fa"] = True
            request.session.pop("totp_secret", None)
            return redirect("core:staff-home")
        form.add_error("code", _("Kode salah. Periksa jam ponsel Anda dan coba lagi."))
    uri = pyotp.TOTP(secret).provisioning_uri(name=request.user.email, issuer_name="Amanah")
    # An image with a name: a screen reader says what the code is for and where its key is written, instead
    # of passing over an unnamed picture.
    label = _("Kode QR untuk aplikasi autentikator. Kuncinya tertulis di bawah kode ini.")
    svg = segno.make(uri).svg_inline(scale=4)
    qr_svg = svg.replace("<svg ", format_html('<svg role="img" aria-label="{}" ', label), 1)
    return render(
        request,
        "core/totp_setup.html",
        {"form": form, "secret": secret, "qr_svg": qr_svg},
        status=400 if form.errors else 200,
    )


#: The staff home's menu: each app's staff page (URL name), its name, and the function its view refuses
#: by (``may_open_staff_area`` of the app's views), so that the menu lists exactly the pages that open.
STAFF_AREAS = (
    ("complaints:inbox", gettext_lazy("Kotak masuk pengaduan"), "amanah.complaints.views"),
    ("integrity:staff-list", gettext_lazy("Kasus integritas"), "amanah.integrity.views"),
    ("surveys:staff", gettext_lazy("Survei kepuasan (SKM)"), "amanah.surveys.views"),
    ("personnel:home", gettext_lazy("Kepegawaian"), "amanah.personnel.views"),
    ("forum:staff", gettext_lazy("Moderasi forum warga"), "amanah.forum.views"),
    ("transparency:leadership", gettext_lazy("Dasbor pimpinan"), "amanah.transparency.views"),
)


def staff_areas(user) -> list[dict]:
    """The entries of :data:`STAFF_AREAS` whose page opens for ``user``, as ``{"url", "label"}``."""
    return [
        {"url": reverse(name), "label": label}
        for name, label, module in STAFF_AREAS
        if import_string(f"{module}.may_open_staff_area")(user)
    ]


@login_required
def staff_home(request):
    roles = permissions.user_roles(request.user)
    agencies = permissions.staff_agencies(request.user)
    assignments = request.user.roles.select_related("agency", "unit")
    return render(
        request,
        "core/staff_home.html",
        {
            "roles": roles,
            "agencies": agencies,
            "assignments": assignments,
            "areas": staff_areas(request.user),
        },
    )


def service_list(request):
    q = request.GET.get("q", "")[:200]
    qs = Service.objects.filter(is_active=True).select_related("unit__agency")
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(unit__name__icontains=q) | Q(unit__agency__name__icontains=q)
        )
    return render(request, "core/services.html", {"services": qs[:100], "q": q})


def bad_request(request, exception=None):
    """The 400 page. Django answers a form it refused to read (more files than
    ``DATA_UPLOAD_MAX_NUMBER_FILES``, too many fields, a body over its size limit) before any view runs, so
    nothing typed can be kept: the page says what happened."""
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent

    if isinstance(exception, TooManyFilesSent):
        n = settings.UPLOAD_MAX_FILES
        reason = ngettext(
            "Terlalu banyak berkas dalam satu kiriman (paling banyak %(n)d berkas bukti), sehingga "
            "isian tidak dapat dibaca. Kembali, lalu kirim lagi dengan berkas yang lebih sedikit.",
            "Terlalu banyak berkas dalam satu kiriman (paling banyak %(n)d berkas bukti), sehingga "
            "isian tidak dapat dibaca. Kembali, lalu kirim lagi dengan berkas yang lebih sedikit.",
            n,
        ) % {"n": n}
    elif isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        reason = _(
            "Kiriman terlalu besar sehingga isian tidak dapat dibaca. Kembali, lalu kirim lagi dengan "
            "teks yang lebih pendek atau berkas yang lebih kecil."
        )
    else:
        reason = ""
    return render(request, "400.html", {"reason": reason}, status=400)
