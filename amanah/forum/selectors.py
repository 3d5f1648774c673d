"""Forum reads shared by the pages and the API: what the public may read, and each moderator's queue."""

from __future__ import annotations

from django.db.models import Count, Q

from amanah.core import permissions
from amanah.core.models import Agency

from . import rules
from .models import Post, Topic

#: The longest search the forum takes (longer text is cut).
SEARCH_MAX = 100


def search_words(text) -> list[str]:
    return " ".join(str(text or "").split())[:SEARCH_MAX].split()


def public_topics(*, agency=None, service=None, words=()):
    """Published and locked topics of active agencies, newest first, with the number of published replies and whether one of
    them is an official answer; narrowed to an agency, a service and topics whose title or text holds every
    word (``icontains``: the same on SQLite and PostgreSQL)."""
    qs = Topic.objects.filter(status__in=rules.PUBLIC_TOPIC_STATES, agency__is_active=True)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if service is not None:
        qs = qs.filter(service=service)
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    published = Q(posts__status=rules.PUBLISHED)
    return (
        qs.select_related("agency", "service")
        .annotate(
            replies=Count("posts", filter=published),
            answered=Count("posts", filter=published & Q(posts__official=True)),
        )
        .order_by("-created_on", "-id")
    )


def public_topic(pk) -> Topic | None:
    """A topic the public can read: published or locked, of an agency still active (an agency taken off
    the platform has no forum page, so its topics are not reachable by number either)."""
    return (
        Topic.objects.filter(pk=pk, status__in=rules.PUBLIC_TOPIC_STATES, agency__is_active=True)
        .select_related("agency", "service__unit")
        .first()
    )


def public_posts_query(topic: Topic):
    """The published replies of a topic: the official answers first, then the others, each oldest first
    (a query, so that the page and the API can take one window of a long discussion)."""
    return Post.objects.filter(topic=topic, status=rules.PUBLISHED).order_by(
        "-official", "created_on", "id"
    )


def public_posts(topic: Topic) -> list[Post]:
    """Every published reply of a topic, in :func:`public_posts_query`'s order."""
    return list(public_posts_query(topic))


def forum_agencies():
    """Active agencies with how many topics the public can read in each."""
    return Agency.objects.filter(is_active=True).annotate(
        topics=Count("forum_topics", filter=Q(forum_topics__status__in=rules.PUBLIC_TOPIC_STATES))
    )


def _covered(user, prefix: str = "") -> Q | None:
    """The filter of what ``user`` moderates (``prefix`` leads from the row to its topic); None: nothing."""
    agencies, units = permissions.coverage(user, rules.MODERATE_ROLES)
    if agencies is None:
        return Q()
    q = Q(**{f"{prefix}agency_id__in": agencies})
    if units:
        q |= Q(**{f"{prefix}service__unit_id__in": units})
    return q if agencies or units else None


def moderates_anything(user) -> bool:
    return _covered(user) is not None


def queue(user, *, status: str = rules.PENDING):
    """The topics and replies in ``status`` that ``user`` moderates, oldest first (the queue's order), as
    two queries, so that the page and the API page through each (none for a user who moderates nothing)."""
    topics_q, posts_q = _covered(user), _covered(user, "topic__")
    if topics_q is None:
        return Topic.objects.none(), Post.objects.none()
    topics = (
        Topic.objects.filter(topics_q, status=status)
        .select_related("agency", "service")
        .order_by("created_on", "id")
    )
    posts = (
        Post.objects.filter(posts_q, status=status, official=False)
        .select_related("topic__agency")
        .order_by("created_on", "id")
    )
    return topics, posts


def hidden_official_answers(topic: Topic) -> list[Post]:
    """The official answers of ``topic`` a moderator hid, newest decision first, with who hid them: shown to
    the agency's staff on the topic page (never to the public), so that hiding the agency's own answer is
    seen by those who answer for it."""
    return list(
        Post.objects.filter(topic=topic, official=True, status=rules.HIDDEN)
        .select_related("moderated_by")
        .order_by("-moderated_at", "-id")
    )
