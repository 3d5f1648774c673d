"""Reads shared by the pages, the API, the Open311 adapter and the dashboard."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.lookups import LessThan, Range
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amanah.core import permissions
from amanah.core.calendar import MAX_YEAR, MIN_YEAR, Calendar
from amanah.core.forms import MAX_ID
from amanah.core.models import Agency, RoleAssignment, Service, Unit, User

from . import rules
from .models import (
    PUBLISHED,
    AnswerTemplate,
    Complaint,
    ComplaintEvent,
    Evidence,
    IdentityMode,
    stage_due_expression,
)

#: Status values of open and of closed cases (contract with transparency).
OPEN_STATUSES = set(rules.OPEN_STATUSES)
CLOSED_STATUSES = set(rules.CLOSED_STATUSES)


def by_code(code: str) -> Complaint | None:
    """A case by its tracking code as typed (forgiving case, dashes and look-alike letters)."""
    normal = rules.normalize_tracking_code(code)
    if normal is None:
        return None
    return (
        Complaint.objects.select_related("agency", "unit", "service")
        .filter(tracking_code=normal)
        .first()
    )


def _scope_q(user, roles) -> Q | None:
    """A filter for the cases a user may see with ``roles``; ``None`` = everything."""
    q = Q(pk__in=[])
    for agency_id, unit_id in permissions.scopes(user, roles):
        if agency_id is None and unit_id is None:
            return None
        if unit_id is None:
            q |= Q(agency_id=agency_id)
        else:
            q |= Q(agency_id=agency_id, unit_id__in=Unit.objects.get(pk=unit_id).descendant_ids())
    return q


def visible_to(user) -> QuerySet[Complaint]:
    qs = Complaint.objects.select_related("agency", "unit", "service", "assignee")
    q = _scope_q(user, rules.VIEW_ROLES)
    return qs if q is None else qs.filter(q)


def can_view(user, complaint) -> bool:
    return permissions.has_role(
        user, rules.VIEW_ROLES, agency=complaint.agency, unit=complaint.unit
    )


def by_staff_ref(ref: str) -> Complaint | None:
    """A case by its number (``AMN-<n>``, what staff pages, exports and e-mails name it by) or by its
    tracking code as typed. Only for staff: the public pages open a case by its tracking code alone
    (:func:`by_code`), since the number is no secret."""
    pk = rules.case_pk(ref)
    if pk is None:
        return by_code(ref)
    return Complaint.objects.select_related("agency", "unit", "service").filter(pk=pk).first()


def viewable_by_code(user, code: str) -> Complaint | None:
    """A case by its number or tracking code (:func:`by_staff_ref`) among those ``user`` may view;
    ``None`` when unknown *or* outside the user's scope, so the two are answered alike (a reference typed
    into a staff form must not tell whether a case exists in another agency or unit)."""
    c = by_staff_ref(code)
    return c if c is not None and can_view(user, c) else None


def for_staff(user, code: str) -> Complaint:
    """The case for a staff page or API call, by number or tracking code; 404 when unknown *or* outside
    the user's scope (so the existence of other agencies' cases is not revealed)."""
    c = viewable_by_code(user, code)
    if c is None:
        raise Http404
    return c


def templates_of(agency) -> QuerySet:
    """An agency's answer templates, by title."""
    return AnswerTemplate.objects.filter(agency=agency).order_by("title", "pk")


def template_for_staff(user, pk) -> AnswerTemplate:
    """An answer template by id for a staff page or API call; 404 when unknown *or* of an agency where
    the user handles no complaints (so other agencies' templates are not revealed). Whether they may
    change it is the service's question."""
    if not isinstance(pk, int) or not 0 < pk < 2**63:  # no id of any row (nor one SQLite can bind)
        raise Http404
    t = AnswerTemplate.objects.select_related("agency").filter(pk=pk).first()
    if t is None:
        raise Http404
    ids = permissions.agency_ids(user, rules.HANDLER_ROLES)
    if ids is not None and t.agency_id not in ids:
        raise Http404
    return t


def can_see_identity(user, complaint) -> bool:
    """*biasa*: every staff reader of the case; *rahasia*: only its handlers (the unit once the case is
    forwarded to it, see :func:`rules.identity_roles`); *anonim*: nobody."""
    if complaint.identity_mode == IdentityMode.ANONIM:
        return False
    if complaint.identity_mode == IdentityMode.RAHASIA:
        return permissions.has_role(
            user,
            rules.identity_roles(complaint.forwarded_at is not None),
            agency=complaint.agency,
            unit=complaint.unit,
        )
    return can_view(user, complaint)


def allowed_actions(user, complaint) -> list[str]:
    """The staff actions of the transition table open to this user on this case now. Escalating is not
    among them once the case is at the top of the ladder, nor recording the complainant's completion
    once the days to complete the file are over (the file counts as withdrawn, and the service would
    withdraw it rather than record it, even before the sweep has come round): the service would refuse
    them."""
    out = []
    forwarded = complaint.forwarded_at is not None
    for action, t in rules.TRANSITIONS.items():
        staff = rules.staff_roles_for(action, forwarded=forwarded)
        if not staff or complaint.status not in t.sources:
            continue
        if action == "escalate" and complaint.escalation_level >= max(rules.ESCALATION_TARGETS):
            continue
        if action == "complete" and rules.completion_lapsed(
            complaint.status, complaint.completion_due, today_for(complaint)
        ):
            continue
        if permissions.has_role(user, staff, agency=complaint.agency, unit=complaint.unit):
            out.append(action)
    return out


def _with_files(events, shared_only: bool):
    """``events`` with each step's attached files in ``files`` (one query for all of them)."""
    files = Evidence.objects.select_related("file").order_by("pk")
    if shared_only:
        files = files.filter(shared=True)
    return events.prefetch_related(Prefetch("attachments", queryset=files, to_attr="files"))


def public_timeline(complaint) -> list[ComplaintEvent]:
    """The steps the holder of the tracking code sees, each with the files the agency shared with it."""
    return list(_with_files(complaint.events.filter(public=True).order_by("at", "pk"), True))


#: A transfer's steps name the other case by its tracking code, which the complainant needs on their page
#: (services.transfer). Staff read the same steps naming it by its case number: the sentence said for
#: the complainant and the one shown to staff, with the same parameters.
STAFF_WORDING = {
    "Dialihkan dari %(agency)s (kode %(code)s).": gettext_noop(
        "Dialihkan dari %(agency)s (pengaduan %(code)s)."
    ),
    "Bukan wewenang instansi ini; dialihkan ke %(agency)s dengan kode lacak baru %(code)s.": (
        gettext_noop(
            "Bukan wewenang instansi ini; dialihkan ke %(agency)s sebagai pengaduan %(code)s."
        )
    ),
}


def staff_timeline(complaint, user) -> list[ComplaintEvent]:
    """The whole timeline, internal notes included, as ``user`` may read it. A transfer's steps name the
    other case's tracking code (the complainant needs it on their page); that code is also the
    complainant's key to the other case (to read it, reply, confirm or dispute in their name), so staff
    read those steps naming the other case by its case number (``AMN-<n>``) instead: in memory, for this
    reader, also for steps recorded before (they are shown from their stored sentence and parameters);
    the stored step keeps its text."""
    events = list(_with_files(complaint.events.select_related("actor").order_by("at", "pk"), False))
    linked = list(complaint.transfers.all())
    if complaint.transferred_from_id:
        linked.append(complaint.transferred_from)
    numbers = {o.tracking_code: case_number(o) for o in linked}
    if not numbers:
        return events

    def swap(text):
        for code, number in numbers.items():
            text = text.replace(code, number)
        return text

    for e in events:
        parts = e.text_parts or []
        worded = [
            {
                **part,
                "id": STAFF_WORDING[part["id"]],
                "params": {**part["params"], "code": numbers[part["params"]["code"]]},
            }
            if part.get("id") in STAFF_WORDING and (part.get("params") or {}).get("code") in numbers
            else part
            for part in parts
        ]
        if worded != parts:
            e.text_parts = worded
            e.text = swap(e.text)  # what records.shown falls back to
        if any(code in e.shown_text for code in numbers):
            # A step without parts (recorded before they were kept) or any other sentence that quotes
            # the code: the code is replaced where it stands. Its pieces keep telling what a person
            # typed from what the system said.
            e.masked_pieces = [(swap(piece), typed) for piece, typed in e.shown_pieces]
            e.text, e.text_parts = swap(e.shown_text), None
    return events


def today_for(complaint) -> dt.date:
    return Calendar(complaint.agency).local_date()


def complainant_offers(c: Complaint, today: dt.date) -> dict[str, bool]:
    """Which of the complainant's steps (``reply``, ``confirm``, ``dispute``, ``rate``) the tracking page
    and the API offer on ``today`` (the agency's local date). A deadline that has passed counts whether
    or not the sweeper has come round yet, as the services count it: after the 30 days to complete a
    file it counts as withdrawn (no completing it), and after the automatic-closure date an answer counts
    as accepted (no disputing it; confirming, with a rating, still closes it)."""
    return {
        "reply": c.status in rules.TRANSITIONS["reply"].sources
        and not rules.completion_lapsed(c.status, c.completion_due, today),
        "confirm": c.status in rules.TRANSITIONS["confirm"].sources,
        "dispute": c.status in rules.TRANSITIONS["dispute"].sources
        and not rules.auto_close_lapsed(c.status, c.auto_close_due, today),
        "rate": c.status in rules.TRANSITIONS["rate"].sources and c.rating is None,
    }


def lapsed(c: Complaint, today: dt.date) -> str:
    """``"completion"`` or ``"auto_close"`` when that deadline of the case has passed on ``today`` and the
    sweeper has not acted on it yet; else ``""``."""
    if rules.completion_lapsed(c.status, c.completion_due, today):
        return "completion"
    if rules.auto_close_lapsed(c.status, c.auto_close_due, today):
        return "auto_close"
    return ""


def acting_staff(request) -> bool:
    """Whether a request comes from a member of staff (a signed-in account with a role, or a valid API
    token). Staff see tracking codes at work; the complainant's own steps (reply, confirm, dispute, rate)
    are refused to them, so that nobody at the agency closes or rates a case in the person's name."""
    from amanah.core import tokens

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and permissions.user_roles(user):
        return True
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return tokens.authenticate(header[7:].strip()) is not None
    return False


def statutory(complaint) -> dict:
    """The UU 25/2009 limits of a case in calendar days (``rules.statutory_limits``), and whether its
    working-day deadlines go past them: ``answer_due``, ``decision_due`` (None until forwarded),
    ``first_answer_late`` (the case's first response is due after the legal limit for an answer) and
    ``decision_late`` (its resolution target is after the legal limit for a decision)."""
    from . import services

    cal = Calendar(complaint.agency)
    received = cal.local_date(complaint.received_at)
    complete_on = None
    if complaint.forwarded_at:
        # Verified, so the file is complete, and has been since the complainant last completed it (a
        # request for completion) or else since it was received.
        completed = (
            complaint.events.filter(action="complete").order_by("-at").values_list("at", flat=True)
        ).first()
        complete_on = cal.local_date(completed) if completed else received
    cfg = services.config(complaint.agency)
    answer_due, decision_due = rules.statutory_limits(received, complete_on, cfg)
    first_due = complaint.response_due or complaint.verification_due
    return {
        "answer_days": cfg["statutory_answer_days"],
        "decision_days": cfg["statutory_decision_days"],
        "answer_due": answer_due,
        "decision_due": decision_due,
        "first_answer_late": bool(
            first_due and complaint.first_response_at is None and first_due > answer_due
        ),
        "decision_late": bool(
            decision_due and complaint.resolution_due and complaint.resolution_due > decision_due
        ),
    }


def today_in(zone: str) -> dt.date:
    """Today's date in the time zone ``zone`` (an agency's ``time_zone``; the site's when empty)."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(zone or settings.TIME_ZONE))


def today_by_zone():
    """``today(complaint)`` for a list of cases: the date in each case's agency time zone (a WIT case is
    overdue an hour or two before a WIB one), computed once per zone."""
    dates: dict = {}

    def today(complaint) -> dt.date:
        zone = complaint.agency.time_zone
        if zone not in dates:
            dates[zone] = today_in(zone)
        return dates[zone]

    return today


#: PostgreSQL's text-search configuration for the inbox search (its snowball stemmer for Indonesian).
SEARCH_CONFIG = "indonesian"


def _by_reference(qs, q: str):
    """``qs`` narrowed to the case ``q`` names when it is a case number or a tracking code; else None."""
    q = q.strip()[:200]
    pk = rules.case_pk(q)
    if pk is not None:
        return qs.filter(pk=pk)
    code = rules.normalize_tracking_code(q) if q else None
    return qs.filter(tracking_code=code) if code else None


def _search(qs, q: str):
    q = q.strip()[:200]
    if not q:
        return qs
    found = _by_reference(qs, q)
    if found is not None:
        return found
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # Words by their Indonesian stem ("cetak" finds "dicetak", "layanan" finds "pelayanan"), as
        # SQLite's substring match finds them too. The GIN index of migration 0016 holds exactly this
        # expression; change both together.
        vector = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
            "description", weight="B", config=SEARCH_CONFIG
        )
        return qs.annotate(_sv=vector).filter(
            _sv=SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        )
    for word in q.split()[:8]:
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return qs


#: The inbox's filters by code or id: the relation and the table its code is looked up in.
_REFERENCED = {"agency": Agency, "unit": Unit, "service": Service}


def _ids_of(relation: str, ref) -> list[int]:
    """The ids of the ``relation`` rows that ``ref`` names: by code, or by id when it is a number (at most
    two rows, codes being unique), read from that small table before the complaints are."""
    ref = str(ref)
    cond = Q(code=ref)
    if ref.isdecimal() and int(ref) <= MAX_ID:  # a longer number is no id (SQLite would overflow)
        cond |= Q(pk=int(ref))
    return sorted(_REFERENCED[relation].objects.filter(cond).values_list("pk", flat=True))


def _in_ids(relation: str, ids: list[int]) -> Q:
    """``relation_id`` among ``ids``: ``relation_id = <id>`` for one, the very condition the
    ``complaint_{agency,unit}_stage_due`` and ``*_received`` indexes lead with (an OR with a join to the
    agency's code, or an ``IN`` list, is not), so that an admin filtering by one agency reads that agency's
    index as its manager does."""
    if len(ids) == 1:
        return Q(**{f"{relation}_id": ids[0]})
    return Q(**{f"{relation}_id__in": ids})


def _scope_agencies(user, within=None) -> QuerySet[Agency]:
    """The agencies whose cases ``user`` may see (a few rows: never read through the complaints); only
    those among the ids ``within`` when given (the agencies an inbox filter leaves)."""
    ids = permissions.agency_ids(user, rules.VIEW_ROLES)
    agencies = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
    return agencies if within is None else agencies.filter(pk__in=within)


def _zones_of(user, within=None) -> set[str]:
    """The time zones of the agencies whose cases ``user`` may see (a handful: WIB, WITA, WIT), read from
    the agency table: asking the complaints which zones they are in read every case of the filter.
    ``within`` as for :func:`_scope_agencies`."""
    agencies = _scope_agencies(user, within)
    return set(agencies.values_list("time_zone", flat=True).distinct().order_by())


def _received_between(zones, date_from, date_to) -> Q:
    """Received from ``date_from`` to ``date_to`` (either may be None), each day as the agency's office
    reads it (WIB, WITA or WIT), as the case page and the export show the time: a case received at 01:30
    WIT on the 6th is found under the 6th, not under the 5th as the server's WIB would have it. One range
    on ``received_at`` per time zone in ``zones``, which its index serves."""
    # Days outside the calendar's years (0001-01-01, 9999-12-31) would overflow the shift to UTC or the
    # day after. The pages and the API refuse them; any other caller gets what they mean: a bound before
    # the first year or after the last one leaves the range open on that side, or empty.
    if (date_from and date_from.year > MAX_YEAR) or (date_to and date_to.year < MIN_YEAR):
        return Q(pk__in=[])
    if date_from and date_from.year < MIN_YEAR:
        date_from = None
    if date_to and date_to.year > MAX_YEAR:
        date_to = None
    by_zone = Q(pk__in=[])
    for zone in zones:
        tz = zoneinfo.ZoneInfo(zone or settings.TIME_ZONE)
        cond = Q(agency__time_zone=zone)
        if date_from:
            cond &= Q(received_at__gte=dt.datetime.combine(date_from, dt.time.min, tz))
        if date_to:
            end = date_to + dt.timedelta(days=1)
            cond &= Q(received_at__lt=dt.datetime.combine(end, dt.time.min, tz))
        by_zone |= cond
    return by_zone


def _stage_due_lookup(lookup: str, bound) -> Q:
    """``stage_due_expression() <lookup> bound``; NULL (no running clock) matches neither lookup."""
    cls = {"lt": LessThan, "range": Range}[lookup]
    return Q(cls(stage_due_expression(), bound))


def _stage_due_in(bounds: dict, lookup: str) -> Q:
    """The due date of the case's current stage (:func:`models.stage_due_expression`, NULL when its clock
    does not run) ``lookup`` (``lt`` a day, or ``range`` of two days) the bound of its group: ``bounds``
    maps each bound to the condition naming its cases (their agencies, or their agencies' time zones),
    and the groups together cover every case in the user's scope.

    Written as one range on the expression the ``complaint_{agency,unit}_stage_due`` indexes hold (the
    loosest bound of all groups), so that an agency's or a unit's page is read from the index; when the
    groups' bounds differ, each case is then held to its own group's bound as well."""
    if not bounds:
        return Q(pk__in=[])
    if lookup == "lt":
        loosest = max(bounds)
    else:
        loosest = (min(lo for lo, _ in bounds), max(hi for _, hi in bounds))
    cond = _stage_due_lookup(lookup, loosest)
    if len(bounds) > 1:
        own = Q(pk__in=[])
        for bound, group in bounds.items():
            own |= group if bound == loosest else group & _stage_due_lookup(lookup, bound)
        cond &= own
    return cond


#: The encrypted identity of a complaint, which lists never show.
IDENTITY_FIELDS = ("name", "email", "phone")


def inbox(
    user,
    *,
    status="",
    overdue=False,
    due_soon=False,
    service="",
    channel="",
    unit="",
    agency="",
    date_from=None,
    date_to=None,
    q="",
    mine=False,
    order="",
) -> QuerySet[Complaint]:
    """The staff inbox: cases in the user's scope, filtered. ``overdue``/``due_soon`` compare the due
    date of each case's current stage with today in the case's agency's time zone (WIB/WITA/WIT).
    Newest first; ``order="due"`` puts the nearest due date of the current stage first (the most
    overdue at the top), cases whose stage has no clock (paused, answered, closed) after them. A search
    for a case number or a tracking code names one case: it is found whatever the other filters say (a
    closed case looked up from the default list of open ones). A list shows no identity, so the
    complainants' names, e-mails and phones are not read (nor decrypted, row by row)."""
    qs = visible_to(user).defer(*IDENTITY_FIELDS)
    found = _by_reference(qs, q)
    if found is not None:
        return found.order_by("-received_at", "-pk")
    if status:
        # Parts that name no status are refused by the page and the API (``rules.status_filter``).
        qs = qs.filter(status__in=rules.status_filter(status)[0])
    # The agencies the filters leave (None: every one in the user's scope). The deadline and date
    # filters then compare only with their bounds: an admin's inbox filtered to one agency gets that
    # agency's single range, as its manager's does, not every agency's bounds joined by OR.
    within = None
    if service:
        qs = qs.filter(_in_ids("service", _ids_of("service", service)))
    if channel:
        qs = qs.filter(channel=channel)
    if agency:
        within = _ids_of("agency", agency)
        qs = qs.filter(_in_ids("agency", within))
    if unit:
        units = _ids_of("unit", unit)
        qs = qs.filter(_in_ids("unit", units))
        of_units = set(Unit.objects.filter(pk__in=units).values_list("agency_id", flat=True))
        within = sorted(of_units if within is None else of_units.intersection(within))
    if date_from or date_to:
        qs = qs.filter(_received_between(_zones_of(user, within), date_from, date_to))
    if mine:
        qs = qs.filter(assignee=user)

    if overdue:
        # Before today in each agency's time zone. Zones whose today is the latest share one bound;
        # the others (for an hour or two a day WIT is a day ahead of WIB) are checked case by case.
        by_day: dict[dt.date, list[str]] = {}
        for zone in _zones_of(user, within):
            by_day.setdefault(today_in(zone), []).append(zone)
        qs = qs.filter(
            _stage_due_in(
                {day: Q(agency__time_zone__in=zones) for day, zones in by_day.items()}, "lt"
            )
        )
    if due_soon:
        # As the sweeper warns: within the agency's ``due_soon_days`` working days of its own calendar
        # (its closures included). Agencies with the same window share it.
        by_window: dict[tuple[dt.date, dt.date], list[int]] = {}
        for agency in _scope_agencies(user, within):
            cal = Calendar(agency)
            today = cal.local_date()
            days = rules.merged_config(
                getattr(settings, "COMPLAINT_RULES", None), (agency.options or {}).get("complaints")
            )["due_soon_days"]
            by_window.setdefault((today, cal.add(today, days)), []).append(agency.pk)
        qs = qs.filter(
            _stage_due_in({w: Q(agency_id__in=ids) for w, ids in by_window.items()}, "range")
        )
    qs = _search(qs, q)
    if order == "due":
        # The expression the ``complaint_{agency,unit}_stage_due`` indexes hold, in their order (NULLs
        # last, as a B-tree keeps them ascending): a page is read from the index, not sorted.
        return qs.order_by(stage_due_expression().asc(nulls_last=True), "received_at", "pk")
    return qs.order_by("-received_at", "-pk")


#: The inbox's orders: newest first, or nearest due date of the current stage first.
ORDERS = ("", "due")


def similar(user, complaint, limit: int = 5) -> list[tuple[Complaint, float]]:
    """Possible duplicates for the verifier: same service (or same agency when none), received within
    the agency's ``similar_days`` (30 by default) before it, with similar words in title and
    description; only cases ``user`` may open (a suggestion names a case's title and tracking code)."""
    from . import services

    days = services.config(complaint.agency)["similar_days"]
    since = complaint.received_at - dt.timedelta(days=days)
    qs = (
        visible_to(user)
        .filter(agency=complaint.agency, received_at__gte=since)
        .exclude(pk=complaint.pk)
    )
    if complaint.service_id:
        qs = qs.filter(service_id=complaint.service_id)
    text = f"{complaint.title} {complaint.description}"
    scored = []
    # Only what the comparison and the suggestion need: the other complainants' identities are not
    # decrypted (up to 300 rows on every opening of a new case's page) for nothing.
    others = qs.select_related(None).only("pk", "tracking_code", "title", "description", "status")
    for other in others.order_by("-received_at")[:300]:
        score = rules.similarity(text, f"{other.title} {other.description}")
        if score >= 0.2:
            scored.append((other, score))
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]


def covering_roles(agency, roles, unit=None) -> QuerySet[RoleAssignment]:
    """Active accounts' assignments of ``roles`` in ``agency`` that cover ``unit``: agency-wide ones, and
    those on the unit or a unit above it (only agency-wide ones without a unit)."""
    units = [unit.pk, *(u.pk for u in unit.ancestors())] if unit is not None else []
    return (
        RoleAssignment.objects.filter(role__in=list(roles), agency=agency, user__is_active=True)
        .filter(Q(unit__isnull=True) | Q(unit_id__in=units))
        .select_related("user")
    )


def assignable(complaint, limit: int = 100) -> QuerySet[User]:
    """The officers a case may be assigned to: those who handle it at its stage and whose role covers
    its unit — before forwarding the front office only (the service refuses anyone else)."""
    roles = rules.identity_roles(complaint.forwarded_at is not None)
    covering = covering_roles(complaint.agency, roles, complaint.unit)
    return User.objects.filter(pk__in=covering.values("user_id")).order_by("full_name")[:limit]


def published(agency=None) -> QuerySet[Complaint]:
    """Complaints the complainant chose to publish and staff approved (never *rahasia*)."""
    # The same condition as the partial indexes that serve this list (``models.PUBLISHED``).
    qs = Complaint.objects.filter(PUBLISHED).select_related("agency", "service", "unit")
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("-received_at", "-pk")  # the pk breaks ties, so that paging is stable


def case_number(complaint) -> str:
    """The number staff know a case by (``AMN-<n>``, :func:`rules.case_number`): in the inbox, the
    export, the staff pages' addresses and the staff e-mails. Never the tracking code there: that code
    is the complainant's key (it opens their page and lets its holder reply, confirm or dispute), and a
    list, a spreadsheet or an e-mail travels round an office."""
    return rules.case_number(complaint.pk)


def public_id(complaint) -> str:
    """The id under which a published complaint is shown to everyone: its case number (``AMN-<n>``).
    Never the tracking code: that code opens the complainant's page and lets its holder reply, confirm
    or dispute."""
    return case_number(complaint)


def shared_attachment(complaint, attachment_id: int) -> Evidence | None:
    """A file the agency attached to a public step of ``complaint`` (an answer), which the holder of the
    tracking code may download; never the complainant's own evidence. Reading it here is not a download:
    ``services.open_attachment`` reads the file and audits that."""
    return complaint.evidence.select_related("file").filter(pk=attachment_id, shared=True).first()


def may_open_evidence(user, complaint) -> bool:
    """Whether a staff reader of ``complaint`` may open what the complainant sent with it: the evidence
    files and the Open311 photo link (``media_url``). Every reader may, except on a *rahasia* case,
    where only its handlers may (:func:`rules.identity_roles`): it may identify the complainant."""
    if complaint.identity_mode != IdentityMode.RAHASIA:
        return True
    return permissions.has_role(
        user,
        rules.identity_roles(complaint.forwarded_at is not None),
        agency=complaint.agency,
        unit=complaint.unit,
    )


def evidence_for_staff(user, complaint, evidence_id: int) -> Evidence | None:
    """One evidence file of ``complaint`` that ``user`` may open, or None when the case has no such file.
    ``PermissionDenied`` unless the user may view the case, and for a *rahasia* case unless the user
    handles it (its evidence may identify the complainant). Looking it up is not a download:
    ``services.open_evidence`` reads the file and audits that."""
    if not permissions.has_role(
        user, rules.VIEW_ROLES, agency=complaint.agency, unit=complaint.unit
    ):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))
    if not may_open_evidence(user, complaint):
        raise PermissionDenied(_("Bukti pengaduan rahasia hanya dapat dibuka petugas penanganan."))
    return complaint.evidence.select_related("file").filter(pk=evidence_id).first()
