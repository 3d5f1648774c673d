"""Forum reads shared by the pages and the API: what the public may read, and each moderator's queue."""

from __future__ import annotations

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

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
#: :func:`search_vector`, migration 0004's exactly :func:`post_search_vector` (over published posts only);
#: change them together.
SEARCH_CONFIG = "indonesian"


def search_vector():
    """The indexed document of a topic: its title (weight A, counting more) and its text (weight B)."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "body", weight="B", config=SEARCH_CONFIG
    )


def post_search_vector(weight=None):
    """The indexed document of a reply: its text. Unweighted (what the index holds and the match reads),
    its words have PostgreSQL's lowest weight, D; the rank reads an official answer's as C."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("body", config=SEARCH_CONFIG, weight=weight)


def _search(qs, words):
    """``qs`` narrowed to the topics that match ``words`` and ordered by relevance, then newest.

    A topic matches when its own title and text match, or when one of its PUBLISHED replies or official
    answers does (each is judged alone: the words are not gathered from several posts; a held or hidden
    post never makes a topic match). On PostgreSQL a full-text search (``websearch`` syntax: every word
    must appear, ``"…"`` for a phrase, ``-word`` to leave out, ``or``); the topics are found in one
    statement through the two GIN indexes (the topics' and the published posts'), and ranked by
    ``ts_rank`` of the topic (title A, text B) plus the best ``ts_rank`` among its matching published posts
    (an official answer's words C, a reply's D), so a match in the title or the question outweighs one in
    the replies. On SQLite, every word as a case-insensitive substring of the title or the text, or of one
    published post; topics matching in their own title or text first (those holding more of the words in
    their title before the others), then those matching through an official answer, then through a
    reply."""
    if connection.vendor == "postgresql":
        return _search_postgresql(qs, words)
    return _search_sqlite(qs, words)


def _search_postgresql(qs, words):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="websearch")
    vector = search_vector()
    # The ids of the matching topics and of the topics of the matching published posts: each side read
    # from its GIN index, uncorrelated (computed once, not per topic).
    by_topic = Topic.objects.annotate(_sv=vector).filter(_sv=query).values("pk")
    by_post = (
        Post.objects.filter(status=rules.PUBLISHED)
        .annotate(_pv=post_search_vector())
        .filter(_pv=query)
        .values("topic_id")
    )
    # The best rank among the topic's matching published posts (0 when only the topic matched).
    post_rank = (
        Post.objects.filter(topic=OuterRef("pk"), status=rules.PUBLISHED)
        .annotate(_pv=post_search_vector())
        .filter(_pv=query)
        .annotate(
            _rank=Case(
                When(official=True, then=SearchRank(post_search_vector("C"), query)),
                default=SearchRank(post_search_vector("D"), query),
            )
        )
        .order_by("-_rank")
        .values("_rank")[:1]
    )
    return (
        qs.filter(pk__in=by_topic.union(by_post))
        .annotate(
            relevance=SearchRank(vector, query)
            + Coalesce(Subquery(post_rank, output_field=FloatField()), Value(0.0))
        )
        .order_by("-relevance", "-created_on", "-id")
    )


def _search_sqlite(qs, words):
    in_topic, in_post, in_title = Q(), Q(), []
    for word in words:
        in_topic &= Q(title__icontains=word) | Q(body__icontains=word)
        in_post &= Q(body__icontains=word)
        in_title.append(Case(When(title__icontains=word, then=1), default=0))
    posts = Post.objects.filter(in_post, topic=OuterRef("pk"), status=rules.PUBLISHED)
    # 2 and more: the topic itself matches (plus the words in its title); 1: an official answer; 0: a reply.
    relevance = Case(
        When(in_topic, then=Value(2) + sum(in_title[1:], in_title[0])),
        When(Exists(posts.filter(official=True)), then=Value(1)),
        default=Value(0),
    )
    return (
        qs.filter(in_topic | Exists(posts))
        .annotate(relevance=relevance)
        .order_by("-relevance", "-created_on", "-id")
    )


def public_topics(*, agency=None, service=None, words=()):
    """Published and locked topics of active agencies, with the number of published replies and whether one
    of them is an official answer; narrowed to an agency and a service. Without ``words``, newest first;
    with them, the topics that match in their title, their text or a published post (:func:`_search`),
    the most relevant first."""
    qs = Topic.objects.filter(status__in=rules.PUBLIC_TOPIC_STATES, agency__is_active=True)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if service is not None:
        qs = qs.filter(service=service)
    qs = _search(qs, words) if words else qs.order_by("-created_on", "-id")
    # Correlated subqueries rather than a join with GROUP BY: a join would repeat each topic once per
    # reply, and with it the ranking of a search (computed again for every repeated row).
    published = Post.objects.filter(topic=OuterRef("pk"), status=rules.PUBLISHED).order_by()
    replies = published.values("topic").annotate(n=Count("pk")).values("n")
    # The asker's address is never shown: not read (nor decrypted) for the lists.
    return (
        qs.select_related("agency", "service")
        .defer("contact_email")
        .annotate(
            replies=Coalesce(Subquery(replies, output_field=IntegerField()), Value(0)),
            answered=Exists(published.filter(official=True)),
        )
    )


def public_topic(pk) -> Topic | None:
    """A topic the public can read: published or locked, of an agency still active (an agency taken off
    the platform has no forum page, so its topics are not reachable by number either)."""
    return (
        Topic.objects.filter(pk=pk, status__in=rules.PUBLIC_TOPIC_STATES, agency__is_active=True)
        .select_related("agency", "service__unit")
        .defer("contact_email")
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
        .defer("contact_email")
        .order_by("created_on", "id")
    )
    posts = (
        Post.objects.filter(posts_q, status=status, official=False)
        .select_related("topic__agency")
        .defer("topic__contact_email")
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
