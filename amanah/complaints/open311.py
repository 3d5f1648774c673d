"""Open311 GeoReport v2 adapter (http://wiki.open311.org/GeoReport_v2), in JSON and XML.

Mounted at ``/open311/v2/``: ``discovery``, ``services``, ``services/{code}``, ``requests`` (GET and
POST), ``requests/{id}`` and ``tokens/{id}``, each with a ``.json`` or ``.xml`` suffix. Existing civic
apps can file and follow complaints without custom code.

Privacy: complaints are confidential unless the complainant chose publication and staff approved it.
So the public list (``GET requests``) and public ids (``AMN-<n>``) show only published complaints;
a request filed through ``POST requests`` answers with its tracking code as ``service_request_id``,
which only the filing app (and the citizen) knows, and which opens that request like the tracking page
does (with the same guess throttling). Identity is never part of any answer.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, SubElement, tostring

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import path, re_path
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from amanah.core import files, ratelimit, tokens
from amanah.core import selectors as core_selectors
from amanah.core.models import Agency, Service

from . import open311_keys, rules, selectors, services
from .forms import IntakeForm
from .models import Channel, Complaint, ComplaintEvent, EventKind

FORMATS = {"json": "application/json", "xml": "text/xml"}
#: The Content-Type headers the specification gives for each format ("Format Support").
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
#: The most ids one ``GET requests?service_request_id=a,b,…`` may name; more is refused, never cut.
MAX_REQUEST_IDS = 50
#: The longest service code there can be (longer ones are refused before any look-up).
SERVICE_CODE_MAX = Service._meta.get_field("code").max_length
#: The largest key a database row can have (a signed 64-bit integer): ``AMN-<n>`` beyond it names nothing.
_PK_MAX = 2**63 - 1


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


# --- Rendering ---------------------------------------------------------------------------------------


_PHONE_PUNCTUATION = re.compile(r"[().]")
# A media link as apps send it: http(s), a host, no spaces.
_MEDIA_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return _w3c(value)
    # XML 1.0 cannot carry control characters; text stored before they were refused must not break the
    # whole list for every client.
    return rules.without_control(str(value))


def _w3c(moment: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """A W3C date-time as the specification writes it (``2010-04-14T06:37:38-08:00``): whole seconds and
    an offset, in ``zone`` when given."""
    if zone is not None:
        moment = moment.astimezone(zone)
    return moment.replace(microsecond=0).isoformat()


def _xml(root: str, item: str, rows: list[dict]) -> bytes:
    top = Element(root)
    for row in rows:
        node = SubElement(top, item)
        for key, value in row.items():
            if isinstance(value, list):
                holder = SubElement(node, key)
                for v in value:
                    if isinstance(v, dict):
                        child = SubElement(holder, key[:-1] if key.endswith("s") else "item")
                        for k2, v2 in v.items():
                            if isinstance(v2, list):
                                sub = SubElement(child, k2)
                                for x in v2:
                                    SubElement(sub, k2[:-1]).text = _text(x)
                            else:
                                SubElement(child, k2).text = _text(v2)
                    else:
                        SubElement(holder, key[:-1]).text = _text(v)
            else:
                SubElement(node, key).text = _text(value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(top, encoding="unicode").encode()


def _respond(fmt: str, root: str, item: str, rows: list[dict], status: int = 200):
    if fmt == "xml":
        return HttpResponse(
            _xml(root, item, rows), content_type=CONTENT_TYPES["xml"], status=status
        )
    return JsonResponse(
        rows,
        safe=False,
        status=status,
        json_dumps_params={"default": _text},
        content_type=CONTENT_TYPES["json"],
    )


def _error(fmt: str, status: int, description: str):
    rows = [{"code": status, "description": description}]
    return _respond(fmt, "errors", "error", rows, status)


def endpoint(*methods: str):
    """Format suffix check, the methods the endpoint takes (GET and HEAD, and ``methods``; any other is a
    405 with ``Allow``), the spec's error format for every refusal, and HEAD answered as GET without a body."""
    allowed = ("GET", "HEAD", *methods)

    def decorate(view):
        def wrapped(request, fmt, *args, **kwargs):
            if fmt not in FORMATS:
                response = _error("json", 404, "Format must be json or xml.")
            elif request.method not in allowed:
                response = _error(fmt, 405, f"Use {' or '.join(('GET', *methods))}.")
                response["Allow"] = ", ".join(allowed)
            else:
                response = _answer(view, request, fmt, *args, **kwargs)
            return files.without_body(response) if request.method == "HEAD" else response

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return csrf_exempt(wrapped)

    return decorate


def _answer(view, request, fmt, *args, **kwargs):
    try:
        return view(request, fmt, *args, **kwargs)
    except Open311Error as exc:
        return _error(fmt, exc.status, exc.description)
    except RequestDataTooBig:
        return _error(fmt, 413, "The request body is too large.")
    except SuspiciousOperation:  # too many fields or files: Django would not read the body
        return _error(fmt, 400, "The request could not be read (too many fields or files).")
    except (MultiPartParserError, BadRequest):  # multipart without a boundary, a form not in UTF-8
        return _error(fmt, 400, "The request body could not be read as a form.")


# --- Data --------------------------------------------------------------------------------------------


public_id = selectors.public_id


def _service_row(s: Service) -> dict:
    return {
        "service_code": s.code,
        "service_name": s.name,
        "description": s.description or s.name,
        "metadata": False,
        "type": "realtime",
        "keywords": "pengaduan",
        "group": s.unit.agency.name,
    }


def request_row(c: Complaint, *, service_request_id: str, notes: str | None = None) -> dict:
    """A GeoReport v2 service request: never an identity, never an internal note.

    Looked up by its tracking code (which only the filing app and the citizen know) the row says what the
    tracking page says: the latest public step or the answer as ``status_notes``, and the place given. A
    published complaint seen by its public id (``AMN-<n>``, the public list) shows only what staff
    approved for publication, as on the web list: no timeline text (replies and answers are written to
    and by the person, often with names and numbers) and no address or coordinates."""
    public = service_request_id != c.tracking_code
    # GeoReport v2: ``expected_datetime`` is when the request "can be expected to be fulfilled". While the
    # file waits for completion the clock is stopped and no such date holds: the stopped verification date
    # no longer counts (it is counted again once the file is completed, and would show as passed), and the
    # completion date is the complainant's deadline (missing it withdraws the case), not a date by which
    # the agency fulfils the request. So none (null, an empty element in XML), as the tracking API gives
    # ``verification_due: null`` then.
    if c.status == rules.INCOMPLETE:
        expected = None
    else:
        expected = c.resolution_due or c.response_due or c.verification_due
    zone = zoneinfo.ZoneInfo(c.agency.time_zone)  # every date-time with the agency's offset
    if public:
        notes = c.get_status_display()
    elif notes is None:
        notes = _status_notes([c])[c.pk]
    status = rules.OPEN311_STATUS[c.status]
    return {
        "service_request_id": service_request_id,
        "status": status,
        "status_notes": notes[:1000],
        "service_name": c.service.name if c.service else "",
        "service_code": c.service.code if c.service else "",
        "description": c.description,
        "agency_responsible": c.agency.name,
        "service_notice": c.get_status_display(),
        "requested_datetime": _w3c(c.received_at, zone),
        # "For requests with status=closed, this will be the date the request was closed": a rating or a
        # publication approved later does not move it.
        "updated_datetime": _w3c(
            c.closed_at if status == "closed" and c.closed_at else c.updated_at, zone
        ),
        # The end of the due day in the agency's zone.
        "expected_datetime": _w3c(dt.datetime.combine(expected, dt.time(23, 59), tzinfo=zone))
        if expected
        else None,
        "address": "" if public else c.incident_place,
        "address_id": "",
        "zipcode": "",
        "lat": float(c.latitude) if c.latitude is not None and not public else None,
        "long": float(c.longitude) if c.longitude is not None and not public else None,
        "media_url": "" if public else c.media_url,
    }


def _status_notes(cases) -> dict[int, str]:
    """For each case, what its tracking page leads with: the latest answer, else the latest public step,
    else the status (one query for all of them)."""
    answer: dict[int, str] = {}
    latest: dict[int, str] = {}
    events = ComplaintEvent.objects.filter(complaint__in=[c.pk for c in cases], public=True)
    for e in events.order_by("complaint_id", "-at", "-pk").only("complaint_id", "kind", "text"):
        latest.setdefault(e.complaint_id, e.text)
        if e.kind == EventKind.ANSWER:
            answer.setdefault(e.complaint_id, e.text)
    return {c.pk: answer.get(c.pk) or latest.get(c.pk) or c.get_status_display() for c in cases}


def _date_range(start, end):
    """GeoReport v2: the last 90 days by default, 90 days before ``end_date`` or after ``start_date``
    when only one is given, and never a range of more than 90 days."""
    span = dt.timedelta(days=90)
    if start and end:
        if end < start:
            raise Open311Error(400, "end_date is before start_date.")
        if end - start > span:
            raise Open311Error(400, "start_date and end_date may not span more than 90 days.")
        return start, end
    if not (start or end):
        return dt.datetime.now(dt.UTC) - span, None
    try:
        start, end = (end - span, end) if end else (start, start + span)
        # The database compares in UTC, where year 1 at +05:00 may be year 0.
        for bound in (start, end):
            bound.astimezone(dt.UTC)
    except OverflowError:  # 90 days before year 1 or after year 9999
        raise Open311Error(
            400, "start_date and end_date must lie between the years 1 and 9999."
        ) from None
    return start, end


def _public_pk(ident: str) -> int | None:
    """The key a public id ``AMN-<n>`` names, 0 for one no row can have (more digits than any key; no
    conversion of thousands of digits), None when ``ident`` is not a public id."""
    if not (ident.upper().startswith("AMN-") and ident[4:].isdecimal()):
        return None
    digits = ident[4:]
    if len(digits) > len(str(_PK_MAX)) or int(digits) > _PK_MAX:
        return 0
    return int(digits)


def _by_ids(request, idents) -> list[tuple[Complaint, str]]:
    """The cases of several ids at once, in the order asked, skipping the unknown ones: public ids among
    the published complaints, tracking codes under the guess throttle (each unknown code counts, as on
    its own). Two queries, whatever the number of ids."""
    asked: list[tuple[str, object]] = []
    for raw in idents:
        ident = (raw or "").strip()
        pk = _public_pk(ident)
        if pk is not None:
            asked.append(("public", pk))
        else:
            asked.append(("code", rules.normalize_tracking_code(ident)))
    pks = [key for kind, key in asked if kind == "public" and key]
    published = {c.pk: c for c in selectors.published().filter(pk__in=pks)} if pks else {}
    tracked: dict = {}
    limit, window = getattr(settings, "COMPLAINT_TRACK_RATE", (20, 600))
    who = ratelimit.client_ip(request)
    asked_codes = [key for kind, key in asked if kind == "code"]
    if asked_codes:
        # Each code asked may be a guess: one request tries no more than the guesses still allowed.
        if ratelimit.count("complaint-track", who, window) + len(asked_codes) > limit:
            ratelimit.note_refusal(window)  # Retry-After: when the window ends
            raise Open311Error(
                429, f"Too many tracking codes at once or unknown ids; ask for at most {limit}."
            )
        codes = [key for key in asked_codes if key]
        tracked = {
            c.tracking_code: c
            for c in Complaint.objects.select_related("agency", "unit", "service").filter(
                tracking_code__in=codes
            )
        }
    found = []
    for kind, key in asked:
        if kind == "public":
            if key in published:
                found.append((published[key], public_id(published[key])))
        elif key in tracked:
            found.append((tracked[key], key))
        else:
            ratelimit.hit("complaint-track", who, limit, window)
    return found


def _by_id(request, ident: str) -> tuple[Complaint, str]:
    """The case ``ident`` names, within the agency ``jurisdiction_id`` names when one is given (a case of
    another agency is not found there, and counts as a guess like an unknown code: a valid code must not
    show itself by leaving the guesses alone)."""
    ident = (ident or "").strip()
    jurisdiction = _jurisdiction(request)
    pk = _public_pk(ident)
    if pk is not None:
        qs = selectors.published(jurisdiction)
        c = qs.filter(pk=pk).first() if pk else None
        if c is None:
            raise Open311Error(404, "Service request not found or not public.")
        return c, public_id(c)
    limit, window = getattr(settings, "COMPLAINT_TRACK_RATE", (20, 600))
    who = ratelimit.client_ip(request)
    if ratelimit.reached("complaint-track", who, limit, window):
        raise Open311Error(429, "Too many unknown ids; try again later.")
    c = selectors.by_code(ident)
    if c is not None and jurisdiction is not None and c.agency_id != jurisdiction.pk:
        c = None
    if c is None:
        ratelimit.hit("complaint-track", who, limit, window)
        raise Open311Error(404, "Service request not found.")
    return c, c.tracking_code


# --- Views -------------------------------------------------------------------------------------------


@endpoint()
def discovery(request, fmt):
    base = f"{settings.SITE_URL}/open311/v2"  # clients append "/services.json"
    row = {
        "changeset": "2026-01-01T00:00:00+07:00",
        "contact": "Amanah — hubungi pengelola pengaduan instansi",
        "key_service": "API key: an Open311 key issued by the platform administrator (amanah open311-key create), not a staff API token.",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-01-01T00:00:00+07:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    if fmt == "xml":
        top = Element("discovery")
        for key in ("changeset", "contact", "key_service"):
            SubElement(top, key).text = row[key]
        eps = SubElement(top, "endpoints")
        for ep in row["endpoints"]:
            node = SubElement(eps, "endpoint")
            for key in ("specification", "url", "changeset", "type"):
                SubElement(node, key).text = ep[key]
            formats = SubElement(node, "formats")
            for f in ep["formats"]:
                SubElement(formats, "format").text = f
        body = (
            b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(top, encoding="unicode").encode()
        )
        return HttpResponse(body, content_type=CONTENT_TYPES["xml"])
    return JsonResponse(row, content_type=CONTENT_TYPES["json"])


def _jurisdiction(request) -> Agency | None:
    """The agency named by ``jurisdiction_id`` (one Amanah serves many), None when not given; an unknown
    one is a 404, as the specification says."""
    data = request.POST if request.method == "POST" else request.GET
    code = str(data.get("jurisdiction_id", "")).strip()[:60]
    if not code:
        return None
    agency = Agency.objects.filter(code=code, is_active=True).first()
    if agency is None:
        raise Open311Error(404, "Unknown jurisdiction_id.")
    return agency


def _services(request):
    qs = (
        Service.objects.filter(is_active=True, unit__is_active=True, unit__agency__is_active=True)
        .select_related("unit__agency")
        .order_by("name")
    )
    jurisdiction = _jurisdiction(request)
    if jurisdiction is not None:
        qs = qs.filter(unit__agency=jurisdiction)
    return qs


@endpoint()
def service_list(request, fmt):
    return _respond(
        fmt, "services", "service", [_service_row(s) for s in _services(request)[:1000]]
    )


@endpoint()
def service_definition(request, fmt, code):
    s = _services(request).filter(code=code).first()
    if s is None:
        raise Open311Error(404, "Unknown service_code.")
    row = {"service_code": s.code, "attributes": []}
    if fmt == "xml":
        top = Element("service_definition")
        SubElement(top, "service_code").text = s.code
        SubElement(top, "attributes")
        body = (
            b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(top, encoding="unicode").encode()
        )
        return HttpResponse(body, content_type=CONTENT_TYPES["xml"])
    return JsonResponse(row, content_type=CONTENT_TYPES["json"])


#: A date-time whose offset lost its ``+`` on the way: ``…T00:00:00+07:00`` written into a URL unencoded
#: arrives as ``…T00:00:00 07:00`` (a ``+`` in a query string is a space). Every Indonesian offset is
#: positive, so every client that forgets to encode would otherwise be refused.
_UNENCODED_PLUS = re.compile(
    r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?) (\d{2}:?\d{2})"
)
#: W3C-DTF's "complete date" (https://www.w3.org/TR/NOTE-datetime): a day without a time.
_W3C_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_dt(value, name, zone: dt.tzinfo, *, end: bool = False):
    """``start_date`` or ``end_date`` as a W3C date-time with an offset; a plain date (``2026-03-01``)
    means the start of that day (``end``: its end) in ``zone``, the zone of the agency asked about."""
    if not value:
        return None
    try:
        if _W3C_DATE.fullmatch(value):
            day = dt.date.fromisoformat(value)
            parsed = dt.datetime.combine(day, dt.time.max if end else dt.time.min, tzinfo=zone)
        else:
            unencoded = _UNENCODED_PLUS.fullmatch(value)
            if unencoded:
                value = f"{unencoded[1]}+{unencoded[2]}"
            parsed = parse_datetime(value)
        if parsed is not None and parsed.tzinfo is not None:
            parsed.astimezone(dt.UTC)  # year 1 or 9999 at an offset does not fit
    except (ValueError, OverflowError):  # well-formed but impossible, such as 30 February
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise Open311Error(
            400, f"{name} must be a W3C date (YYYY-MM-DD) or date-time with a time zone."
        )
    return parsed


def _listed(data, name: str) -> list[str]:
    """A parameter the specification lets a client "declare multiple times, comma delimited"
    (``service_code``, ``status``): every value of every ``name=``, split at commas, empty ones left out."""
    return [
        item.strip() for value in data.getlist(name) for item in value.split(",") if item.strip()
    ]


@endpoint("POST")
def requests_view(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    ids = [i for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if len(ids) > MAX_REQUEST_IDS:
        raise Open311Error(
            400, f"At most {MAX_REQUEST_IDS} service_request_id values may be asked at once."
        )
    if ids:
        found = _by_ids(request, ids)
        notes = _status_notes([c for c, sid in found if sid == c.tracking_code])
        rows = [request_row(c, service_request_id=sid, notes=notes.get(c.pk)) for c, sid in found]
        return _respond(fmt, "service_requests", "request", rows)
    qs = selectors.published()
    jurisdiction = _jurisdiction(request)
    if jurisdiction is not None:
        qs = qs.filter(agency=jurisdiction)
    codes = _listed(request.GET, "service_code")
    if codes:
        qs = qs.filter(service__code__in=codes)
    # A plain date is a day of the agency asked about (the installation's zone without one).
    zone = zoneinfo.ZoneInfo(jurisdiction.time_zone if jurisdiction else settings.TIME_ZONE)
    start = _parse_dt(request.GET.get("start_date"), "start_date", zone)
    end = _parse_dt(request.GET.get("end_date"), "end_date", zone, end=True)
    start, end = _date_range(start, end)
    qs = qs.filter(received_at__gte=start)
    if end:
        qs = qs.filter(received_at__lte=end)
    wanted = set(_listed(request.GET, "status"))
    if wanted:
        if not wanted <= {"open", "closed"}:
            raise Open311Error(400, "status must be open, closed or both.")
        statuses = [s for s, o in rules.OPEN311_STATUS.items() if o in wanted]
        qs = qs.filter(status__in=statuses)
    rows = [request_row(c, service_request_id=public_id(c)) for c in qs[:1000]]
    return _respond(fmt, "service_requests", "request", rows)


#: The bodies a POST is read from: the specification's form parameters, urlencoded or multipart.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
#: The intake form's fields by the Open311 parameters they are filled from, for the errors.
PARAMETERS = {
    "title": "description",
    "incident_place": "address_string",
    "name": "first_name/last_name",
    "service": "service_code",
}


def _create(request, fmt):
    if request.content_type and request.content_type not in FORM_TYPES:
        # A JSON or XML body holds its api_key where the form has none: say so, not "no api_key".
        raise Open311Error(
            415,
            "Send the request's parameters as a form (application/x-www-form-urlencoded or "
            "multipart/form-data), as the GeoReport v2 specification does.",
        )
    data = request.POST
    # PostgreSQL text cannot hold NUL: refused before service_code or jurisdiction_id reach a query.
    if any("\x00" in name + "".join(values) for name, values in data.lists()):
        raise Open311Error(400, "NUL characters are not allowed.")
    raw_key = data.get("api_key", "").strip()
    if raw_key.startswith(tokens.PREFIX):
        # A staff API token is a full-power credential of an account: never an integration's key.
        raise Open311Error(
            403,
            "A staff API token is not an Open311 api_key; ask the platform administrator for an "
            "Open311 key (amanah open311-key create).",
        )
    key = open311_keys.authenticate(raw_key)
    if key is None:
        raise Open311Error(403, "A valid api_key is required.")
    # Counted per integration, not per address: an app's server relays all its users from one address,
    # which the public form's per-address limit would throttle as if it were one person. A leaked key
    # files no more than this until it is revoked.
    if not ratelimit.hit("open311-key", str(key.pk), *settings.OPEN311_KEY_RATE):
        raise Open311Error(429, "Too many requests with this api_key; try again later.")
    code = data.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code is required.")
    if len(code) > SERVICE_CODE_MAX:
        raise Open311Error(400, f"service_code: at most {SERVICE_CODE_MAX} characters.")
    service = core_selectors.active_service(code)
    if service is None or service.code != code:
        raise Open311Error(404, "Unknown service_code.")
    jurisdiction = _jurisdiction(request)
    if jurisdiction is not None and service.unit.agency_id != jurisdiction.pk:
        raise Open311Error(400, "service_code does not belong to jurisdiction_id.")
    if key.agency_id is not None and service.unit.agency_id != key.agency_id:
        raise Open311Error(403, "This api_key may not file requests for this service_code.")
    lat, lon = data.get("lat", "").strip(), data.get("long", "").strip()
    address = data.get("address_string", "").strip() or data.get("address_id", "").strip()
    latitude = longitude = None
    if lat or lon:
        try:
            latitude, longitude = (
                Decimal(lat).quantize(Decimal("0.000001")),
                Decimal(lon).quantize(Decimal("0.000001")),
            )
        except (InvalidOperation, ValueError):
            raise Open311Error(400, "lat and long must be decimal degrees.") from None
        if not (latitude.is_finite() and longitude.is_finite()):
            raise Open311Error(400, "lat and long must be decimal degrees.")
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise Open311Error(400, "lat/long out of range.")
    if latitude is None and not address:
        raise Open311Error(400, "A location is required: lat and long, or address_string.")
    if len(address) > 200:
        raise Open311Error(400, "address_string: at most 200 characters.")
    media_url = data.get("media_url", "").strip()
    if media_url and (
        len(media_url) > 500
        or not _MEDIA_URL.fullmatch(media_url)
        or rules.contains_control(media_url)
    ):
        raise Open311Error(400, "media_url: an http or https URL of at most 500 characters.")
    # The specification makes the description optional (a photo and a place may be the whole report).
    description = data.get("description", "").strip() or service.name
    name = " ".join(
        p for p in (data.get("first_name", "").strip(), data.get("last_name", "").strip()) if p
    )
    email = data.get("email", "").strip()
    phone = _PHONE_PUNCTUATION.sub("", data.get("phone", "")).strip()
    if name:
        mode = "biasa"
    elif email or phone:
        # A contact without a name: kept for the updates the app asked for, seen only by the handlers.
        mode, name = "rahasia", str(_("Pelapor melalui aplikasi (tanpa nama)"))
    else:
        mode = "anonim"
    form = IntakeForm(
        {
            "service": code,
            "title": description.split("\n")[0][:80],
            "description": description,
            "incident_place": address,
            "identity_mode": mode,
            "name": name,
            "email": email,
            "phone": phone,
            "kind": "pengaduan",
        },
        None,
        validate_only=True,
    )
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise Open311Error(400, f"{PARAMETERS.get(field, field)}: {' '.join(errors)}")
    values = form.service_data()
    values.update(latitude=latitude, longitude=longitude, media_url=media_url)
    try:
        c = services.submit(None, values, [], channel=Channel.API, open311_key=key)
    except services.ComplaintError as exc:
        raise Open311Error(400, exc.text) from None
    row = {
        "service_request_id": c.tracking_code,
        "service_notice": c.get_status_display(),
        "account_id": "",
    }
    return _respond(fmt, "service_requests", "request", [row], 201)


@endpoint()
def request_detail(request, fmt, ident):
    c, sid = _by_id(request, ident)
    return _respond(fmt, "service_requests", "request", [request_row(c, service_request_id=sid)])


@endpoint()
def token_detail(request, fmt, token):
    """Requests get their id at once, so a token is the id itself (the tracking code)."""
    c, sid = _by_id(request, token)
    return _respond(
        fmt, "service_requests", "request", [{"service_request_id": sid, "token": token}]
    )


@csrf_exempt
def not_found(request, rest=""):
    """Any other address under /open311/v2/: the specification's error format, not the site's page."""
    response = _error("xml" if rest.endswith(".xml") else "json", 404, "No such Open311 resource.")
    return files.without_body(response) if request.method == "HEAD" else response


urlpatterns = [
    path("discovery.<str:fmt>", discovery, name="open311-discovery"),
    path("services.<str:fmt>", service_list, name="open311-services"),
    path("services/<str:code>.<str:fmt>", service_definition, name="open311-service"),
    path("requests.<str:fmt>", requests_view, name="open311-requests"),
    path("requests/<str:ident>.<str:fmt>", request_detail, name="open311-request"),
    path("tokens/<str:token>.<str:fmt>", token_detail, name="open311-token"),
    re_path(r"^(?P<rest>.*)$", not_found),
]
