"""Forum reads shared by the pages and the API: what the public may read, and each moderator's queue."""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, Count, Q, When

from amanah.core import permissions
from amanah.core.models import Agency

from . import rules
from .models import Post, Topic

#: The longest search the forum takes (longer text is cut).
SEARCH_MAX = 100


def search_words(text) -> list[str]:
    return " ".join(str(text or "").split())[:SEARCH_MAX].split()


#: PostgreSQL's text-search configuration of the forum search: its snowball stemmer for Indonesian, as the
#: complaints inbox searches (``complaints.selectors.SEARCH_CONFIG``), so that "cetak" finds "dicetak" and
#: "layanan" finds "pelayanan" as SQLite's substring match does. Migration 0002's GIN index holds exactly
#: :func:`search_vector`; change both together.
SEARCH_CONFIG = "indonesian"


def search_vector():
    """The indexed document of a topic: its title (weight A, counting more) and its text (weight B)."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "body", weight="B", config=SEARCH_CONFIG
    )


def _search(qs, words):
    """``qs`` narrowed to the topics that match ``words`` and ordered by relevance, then newest.

    On PostgreSQL a full-text search of the title and the text (``websearch`` syntax: every word must
    appear, ``"…"`` for a phrase, ``-word`` to leave out, ``or``), ranked by ``ts_rank`` (a word of the
    title counts more than one of the text). On SQLite, every word as a case-insensitive substring of the
    title or the text, the topics holding more of the words in their title first."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="websearch")
        vector = search_vector()
        return (
            qs.annotate(_sv=vector)
            .filter(_sv=query)
            .annotate(relevance=SearchRank(vector, query))
            .order_by("-relevance", "-created_on", "-id")
        )
    in_title = []
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
        in_title.append(Case(When(title__icontains=word, then=1), default=0))
    relevance = sum(in_title[1:], in_title[0])
    return qs.annotate(relevance=relevance).order_by("-relevance", "-created_on", "-id")


def public_topics(*, agency=None, service=None, words=()):
    """Published and locked topics of active agencies, with the number of published replies and whether one
    of them is an official answer; narrowed to an agency and a service. Without ``words``, newest first;
    with them, the topics that match (:func:`_search`), the most relevant first."""
    qs = Topic.objects.filter(status__in=rules.PUBLIC_TOPIC_STATES, agency__is_active=True)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if service is not None:
        qs = qs.filter(service=service)
    qs = _search(qs, words) if words else qs.order_by("-created_on", "-id")
    published = Q(posts__status=rules.PUBLISHED)
    return qs.select_related("agency", "service").annotate(
        replies=Count("posts", filter=published),
        answered=Count("posts", filter=published & Q(posts__official=True)),
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
