"""Keep secret keys out of the logs.

A complaint's tracking code opens its page to whoever holds it, and so does an Open311
``service_request_id`` or token; the stop link of a mail (a whistleblower's news, a forum asker's) acts
for its reader. Django's request logger (``Forbidden (CSRF cookie not set.): /pengaduan/lacak/<code>/``,
``Internal Server Error: …``), its security logger, the development server's request lines and
gunicorn's error log all name the path of the request; this filter replaces the code in such a path (and
in a ``?code=``/``service_request_id=``/``token=`` query) with ``***``, in a record's message and in each
of its arguments, before any handler formats it."""

import logging
import re

MASK = "***"

#: Each pattern's first group is kept, what follows it (the secret) replaced by MASK.
_PATTERNS = (
    # The public tracking page, its receipt and attachments (not the form at lacak/ nor lacak/lupa/).
    re.compile(r"(/pengaduan/lacak/)(?!lupa(?:/|\b))[^/?#\s\"'<>]+"),
    # A staff page of one complaint carries the same code.
    re.compile(r"(/pengaduan/staf/)(?!(?:baru|templat|ekspor)\b)[^/?#\s\"'<>]+"),
    # The JSON API's tracking endpoints (not the public list).
    re.compile(r"(/api/v1/complaints/)(?!published\b)[^/?#\s\"'<>]+"),
    # Open311: requests/<id>.<fmt>, tokens/<token>.<fmt>; the format suffix stays.
    re.compile(r"(/open311/v2/(?:requests|tokens)/)[^/?#\s\"'<>.]+"),
    # A whistleblower's answer to a request to see their identity names the request, a row of their case:
    # with the line's time, it would say when they acted (the page and the API).
    re.compile(r"(/integritas/kasus-saya/identitas/)[^/?#\s\"'<>]+"),
    re.compile(r"(/api/v1/integrity/me/disclosures/)[^/?#\s\"'<>]+"),
    # The stop link of a whistleblower's news mails: a secret that stops their news.
    re.compile(r"(/integritas/kabar/berhenti/)[^/?#\s\"'<>]+"),
    # The unsubscribe link of the mails to a forum asker: its signed token erases their address.
    re.compile(r"(/forum/kabar/berhenti/)[^/?#\s\"'<>]+"),
    # The tracking form (?code=), Open311 lookups (?service_request_id=a,b) and any ?token=.
    re.compile(r"([?&](?:code|service_request_id|token|receipt)=)[^&#\s\"'<>]+", re.I),
)


def mask(text: str) -> str:
    """``text`` with every tracking code, Open311 id or token in a path or query replaced by MASK."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


def _mask_arg(arg):
    if isinstance(arg, str):
        return mask(arg)
    if isinstance(arg, bytes):
        return mask(arg.decode("utf-8", "replace"))
    return arg


class MaskSecretsFilter(logging.Filter):
    """Mask tracking codes, Open311 ids and tokens in a record's message and arguments (never drops it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        args = record.args
        if isinstance(args, tuple):
            record.args = tuple(_mask_arg(a) for a in args)
        elif isinstance(args, dict):
            record.args = {k: _mask_arg(v) for k, v in args.items()}
        return True


try:  # gunicorn is a dependency of `amanah serve`/`demo`; tests may run without it.
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover
    _GunicornLogger = None

if _GunicornLogger is not None:

    class GunicornLogger(_GunicornLogger):
        """gunicorn's logger (``--logger-class``) with the filter on its error log ("Error handling
        request /pengaduan/lacak/<code>/") and its access log, should one be turned on."""

        def setup(self, cfg):
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                if not any(isinstance(f, MaskSecretsFilter) for f in log.filters):
                    log.addFilter(MaskSecretsFilter())
