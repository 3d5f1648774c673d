"""Middleware: privacy headers for confidential pages, staff two-factor login, the page language, API
error formats and the wait after a rate-limit refusal."""

import re
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, resolve_url
from django.utils import translation
from django.utils.translation import gettext as _

from . import ratelimit

# Pages that carry a reporter's, complainant's or employee's data, whoever asks for them.
NO_STORE_PREFIXES = (
    "/integritas/",
    "/api/v1/integrity/",
    "/staf/",
    "/akun/",
    "/pengaduan/lacak/",
    "/pengaduan/staf/",
    "/api/v1/complaints",  # also POST /api/v1/complaints, whose 201 answer carries the new tracking code
    "/api/v1/staff/",
    "/skm/staf/",
    "/kepegawaian/",
    "/transparansi/pimpinan/",
    # Open311: a request looked up by its tracking code (``requests/{code}``, ``requests.json?
    # service_request_id={code}``), the code a POST answers, ``tokens/{code}``; the public list too, which
    # shares the address and drops a complaint whose publication is withdrawn. The catalogue
    # (``discovery``, ``services``) may be cached.
    "/open311/v2/requests",
    "/open311/v2/tokens/",
    # A forum asker's unsubscribe page: its address is the signed token that erases their e-mail.
    "/forum/kabar/",
)

# Addresses that may carry a tracking code, an Open311 id or token or a forum asker's unsubscribe token, or
# which a whistleblower opens: a request from them (a stylesheet, the receipt, an attachment, a link) must
# not name them in its Referer. The APIs
# send none at all. The pages send only the site's origin ("strict-origin"), not "no-referrer": under
# no-referrer a browser sends "Origin: null" with the page's own POST forms (a reply, a confirmation), and
# Django's CSRF check refuses that origin.
REFERRER_POLICIES = (
    ("/open311/v2/", "no-referrer"),
    ("/api/v1/complaints", "no-referrer"),
    ("/api/v1/integrity/", "no-referrer"),
    ("/pengaduan/lacak/", "strict-origin"),
    ("/pengaduan/staf/", "strict-origin"),
    ("/integritas/", "strict-origin"),
    ("/forum/kabar/", "strict-origin"),
)


class PrivacyMiddleware:
    """Confidential pages are never cached by browsers or proxies.

    Besides the prefixes above, every answer to a signed-in user or to a request carrying an API
    token is private: a shared computer at a service counter must not show it from its cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            request.path.startswith(NO_STORE_PREFIXES)
            or "Authorization" in request.headers
            or (user is not None and user.is_authenticated)
        ):
            response["Cache-Control"] = "no-store, max-age=0"
            response["Pragma"] = "no-cache"
        for prefix, policy in REFERRER_POLICIES:
            if request.path.startswith(prefix):
                response["Referrer-Policy"] = policy
                break
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


#: POSTed fields never shown again on the session-ended login page: secrets and one-time values.
SECRET_FIELD = re.compile(
    r"csrf|passw|token|secret|nonce|(^|[-_])(otp|totp|key|code|pin)($|[-_])", re.I
)


def now_seconds() -> int:
    """The clock of the staff session's limits (seconds since the epoch)."""
    return int(time.time())


class StaffSessionMiddleware:
    """A staff session ends after ``SESSION_COOKIE_AGE`` seconds without activity, and at the latest
    ``SESSION_MAX_SECONDS`` after signing in, however active.

    The idle clock is moved on at most once every :func:`refresh_seconds` (a session write, not one per
    request). A form POSTed after the session ended would be redirected to the login page and the text
    typed into it lost; the login page is shown instead (401), saying that the session ended and
    showing the text fields that were sent, read-only, to copy after signing in again. Nothing is sent
    again by itself, and files, passwords, codes and tokens are never shown."""

    LOGIN_AT = "amanah_login_at"
    SEEN_AT = "amanah_seen_at"

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def refresh_seconds() -> int:
        return max(1, min(300, settings.SESSION_COOKIE_AGE // 10))

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._keep_alive(request)
        response = self.get_response(request)
        if (
            request.method == "POST"
            and response.status_code == 302
            and "HX-Request" not in request.headers
            and not request.user.is_authenticated
            and urlsplit(response.get("Location", "")).path == resolve_url(settings.LOGIN_URL)
        ):
            from .views import session_ended_login

            return session_ended_login(request)
        return response

    def _keep_alive(self, request):
        session, now = request.session, now_seconds()
        login_at = session.get(self.LOGIN_AT)
        if not isinstance(login_at, int):
            session[self.LOGIN_AT] = login_at = now
        left = settings.SESSION_MAX_SECONDS - (now - login_at)
        if left <= 0:
            logout(request)  # request.user is now anonymous: the view answers as to a stranger
            return
        seen = session.get(self.SEEN_AT)
        if not isinstance(seen, int) or now - seen >= self.refresh_seconds():
            session[self.SEEN_AT] = now  # saved, and the cookie sent again with a new lifetime
            session.set_expiry(max(1, min(settings.SESSION_COOKIE_AGE, left)))


class TwoFactorMiddleware:
    """With AMANAH_REQUIRE_2FA, a staff session without a verified second factor may only reach
    the login, two-factor and logout pages."""

    ALLOWED = ("/akun/", "/static/", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and not request.session.get("amanah_2fa")
            and not request.path.startswith(self.ALLOWED)
        ):
            return redirect("core:totp-setup" if not user.totp_enabled else "core:login")
        return self.get_response(request)


class NulByteMiddleware:
    """Refuse text containing NUL characters with a clear 400 instead of a database error.

    PostgreSQL text cannot hold U+0000 and no legitimate query parameter or JSON string needs it.
    Form bodies are left to the forms (Django's form fields refuse NUL) and, in the API, to the
    database-error handler: parsing them here would defeat the views' own too-large answers."""

    JSON_NUL = b"\\u0000"

    def __init__(self, get_response):
        self.get_response = get_response

    def _fields_with_nul(self, request) -> list[str]:
        """Names of the query parameters (or "path"/"body") that contain a NUL character."""
        fields = ["path"] if "\x00" in request.path else []
        fields += [k or "query" for k, v in request.GET.items() if "\x00" in k + v]
        if (
            request.method in ("POST", "PUT", "PATCH")
            and request.content_type == "application/json"
        ):
            try:
                body = request.body
            except Exception:  # too large: the view answers that itself
                return fields
            if self.JSON_NUL in body.lower() or b"\x00" in body:
                fields.append("body")
        return fields

    def __call__(self, request):
        fields = self._fields_with_nul(request)
        if fields:
            # Answered above SiteLocaleMiddleware: in the reader's language, chosen the same way.
            with translation.override(reader_language(request)):
                message = _("Masukan berisi karakter NUL yang tidak diizinkan.")
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "error": "invalid_characters",
                        "message": message,
                        "fields": {name: message for name in fields},
                    },
                    status=400,
                )
            if request.path.startswith("/open311/"):  # GeoReport v2's own error format
                if request.path.endswith(".xml"):
                    body = (
                        '<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>400</code>'
                        "<description>NUL characters are not allowed.</description></error></errors>"
                    )
                    return HttpResponseBadRequest(body, content_type="text/xml; charset=utf-8")
                return JsonResponse(
                    [{"code": 400, "description": "NUL characters are not allowed."}],
                    status=400,
                    safe=False,
                )
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class ApiErrorMiddleware:
    """Under ``/api/`` every answer is JSON: an unknown address (Django's 404 page), a method the
    operation does not take (django-ninja's plain-text 405), or any other refusal or failure answered by
    Django's own pages (a 400 for a request it cannot read, a 500) become ``{error, message, fields}`` like
    every other refusal of the API, keeping the ``Allow`` header."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _code_and_message(status: int) -> tuple[str, str]:
        from .api_utils import MESSAGES, THROTTLED

        if status == 404:
            return "not_found", _("Alamat API tidak dikenal.")
        if status == 405:
            return "method_not_allowed", _("Metode ini tidak diterima di alamat ini.")
        if status in (401, 403, 413):
            code = {401: "unauthorized", 403: "forbidden", 413: "too_large"}[status]
            return code, str(MESSAGES[code])
        if status == 429:
            return "throttled", str(THROTTLED)
        if status >= 500:
            return "server_error", str(MESSAGES["server_error"])
        return "bad_request", str(MESSAGES["bad_request"])

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            # In the reader's language even when the refusal came before SiteLocaleMiddleware ran.
            with translation.override(reader_language(request)):
                code, message = self._code_and_message(response.status_code)
            out = JsonResponse(
                {"error": code, "message": message, "fields": {}}, status=response.status_code
            )
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if response.has_header(header):
                    out[header] = response[header]
            return out
        return response


class SiteLocaleMiddleware(LocaleMiddleware):
    """Amanah answers in Bahasa Indonesia unless the reader chose English in the language menu.

    Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language`` when no language was chosen,
    so a citizen whose phone is set to English would land on English pages, and an API client would get
    messages half in one language (Amanah's own) and half in the other (the form's). Here only the
    reader's own choice counts: the ``amanah_lang`` cookie set by the language menu."""

    def process_request(self, request):
        translation.activate(reader_language(request))
        request.LANGUAGE_CODE = translation.get_language()


def reader_language(request) -> str:
    """The reader's language: the one chosen in the language menu (the ``amanah_lang`` cookie) when the
    site has it, else the site's own (Bahasa Indonesia). For SiteLocaleMiddleware and for the answers
    given above it."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    try:
        language = translation.get_supported_language_variant(chosen) if chosen else None
    except LookupError:
        language = None
    return language or settings.LANGUAGE_CODE


class RetryAfterMiddleware:
    """A refusal for too many requests (429) says when to try again (``Retry-After``, in seconds): the end
    of the rate-limit window that refused it. Apps and Open311 clients can then wait instead of hammering."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = ratelimit._retry_after.set(None)
        try:
            response = self.get_response(request)
            seconds = ratelimit.retry_after()
            if response.status_code == 429 and seconds and not response.has_header("Retry-After"):
                response["Retry-After"] = str(seconds)
            return response
        finally:
            ratelimit._retry_after.reset(token)
