"""Direct computations over the raw tables, independent of the rollups, for comparison."""

import datetime as dt
import statistics
from collections import Counter

from django.utils import timezone

from amanah.complaints import rules as crules
from amanah.complaints.models import Complaint
from amanah.core.calendar import Calendar


def local(moment, agency):
    return Calendar(agency).local_date(moment)


def complaints_in(scope_filter):
    return [c for c in Complaint.objects.select_related("agency").all() if scope_filter(c)]


def national(c):
    """The national figures count a transferred complaint once: by the receiving agency's linked case,
    not by the original closed as transferred (dialihkan)."""
    return c.status != crules.TRANSFERRED


def summary(cs, start, end):
    """The figures of complaints ``cs``; "past the deadline" and "overdue now" by each complaint's
    agency's own date (WIB, WITA or WIT), as the agency's dashboard counts them."""
    now = timezone.now()
    received = [c for c in cs if start <= local(c.received_at, c.agency) <= end]
    closed = [
        c
        for c in cs
        if c.status in crules.CLOSED_STATUSES
        and c.closed_at
        and start <= local(c.closed_at, c.agency) <= end
    ]
    on_time = late = missed = 0
    response_days = []
    for c in cs:
        transferred = c.status == crules.TRANSFERRED
        moment = c.first_response_at or (
            c.closed_at if c.status in crules.CLOSED_STATUSES and not transferred else None
        )
        answered = local(moment, c.agency) if moment else None
        if (
            transferred
            and answered is None
            and c.closed_at
            and c.response_due
            and local(c.closed_at, c.agency) <= c.response_due
        ):
            continue  # transferred by the response due date: out of the deadline share
        if answered and start <= answered <= end:
            response_days.append(
                Calendar(c.agency).between(local(c.received_at, c.agency), answered)
            )
        if c.response_due and start <= c.response_due <= end:
            if answered is None:
                missed += c.response_due < local(now, c.agency)
            elif answered <= c.response_due:
                on_time += 1
            else:
                late += 1
    closure_days = [
        Calendar(c.agency).between(local(c.received_at, c.agency), local(c.closed_at, c.agency))
        for c in closed
    ]
    ratings = [c.rating for c in closed if c.rating]
    base = on_time + late + missed
    return {
        "complaints_received": len(received),
        "complaints_closed": len(closed),
        "answered_on_time": on_time,
        "answered_late": late,
        "not_answered_past_deadline": missed,
        "answered_within_deadline_pct": round(100 * on_time / base, 1) if base else None,
        "median_days_to_first_response": statistics.median(response_days)
        if response_days
        else None,
        "median_days_to_closure": statistics.median(closure_days) if closure_days else None,
        "open": sum(1 for c in cs if c.is_open),
        "overdue": sum(1 for c in cs if c.is_open and c.is_overdue_on(local(now, c.agency))),
        "ratings": len(ratings),
        "mean_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
        "by_kind": Counter(c.kind for c in received),
        "by_status": Counter(c.status for c in received),
        "by_channel": Counter(c.channel for c in received),
        "by_service": Counter(c.service_id for c in received if c.service_id),
        "rating_hist": Counter(ratings),
        "received_by_month": Counter(
            local(c.received_at, c.agency).strftime("%Y-%m") for c in received
        ),
    }


def period(days=150):
    end = timezone.localdate()
    return end - dt.timedelta(days=days), end
