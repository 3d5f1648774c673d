"""Middleware: privacy headers for confidential pages, and enforcing staff two-factor login."""

from django.conf import settings
from django.shortcuts import redirect

NO_STORE_PREFIXES = ("/integritas/", "/api/v1/integrity/", "/staf/", "/akun/")


class PrivacyMiddleware:
    """Confidential pages are never cached by browsers or proxies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(NO_STORE_PREFIXES):
            response["Cache-Control"] = "no-store, max-age=0"
            response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


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
