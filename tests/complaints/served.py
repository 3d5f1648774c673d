"""Answers as the application hands them to the web server, for HEAD tests: through every middleware,
since Django's test client empties a HEAD's body itself and so could not tell whether the application
sent one."""

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.test import Client, RequestFactory

#: The headers a download's HEAD must share with its GET.
DOWNLOAD_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Content-Length",
    "X-Content-Type-Options",
    "Cache-Control",
)


def served(method: str, path: str, ip: str = "127.0.0.1", client: Client | None = None, **headers):
    """``method`` on ``path`` from ``ip``; ``client``: a test client whose session (a signed-in user) the
    request carries; ``headers``: more of the request's META (``HTTP_AUTHORIZATION=…``)."""
    cookies = {}
    if client is not None:
        cookies["HTTP_COOKIE"] = f"{settings.SESSION_COOKIE_NAME}={client.session.session_key}"
    handler = BaseHandler()
    handler.load_middleware()
    request = getattr(RequestFactory(), method.lower())(path, REMOTE_ADDR=ip, **cookies, **headers)
    return handler.get_response(request)
