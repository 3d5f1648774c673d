"""Staff endpoints of the forum API for the authorisation matrix (tests/core/test_authz_matrix.py). Every
topic is about agency A's service, which its Bidang offers, so that the unit-scoped roles cover it."""

from tests.authz import Case

MODERATE = {"pengelola"}
ANSWER = {"pengelola", "operator", "unit"}


def _topic(org, status="pending"):
    from amanah.core.models import User
    from amanah.forum import services

    topic = services.submit_topic(
        agency=org["a"]["agency"], service=org["a"]["service"], title="Judul", body="Isi"
    )
    if status != "pending":
        admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
            "authz-forum@test.id", "sandi-rahasia-123"
        )
        services.moderate_topic(admin, topic, "publish")
    return topic


def _moderate_topic(org):
    return {"params": {"id": _topic(org).pk}, "body": {"action": "publish"}}


def _moderate_post(org):
    from amanah.forum import services

    post = services.submit_reply(_topic(org, "published"), body="Balasan")
    return {"params": {"id": post.pk}, "body": {"action": "hide", "reason": "Iklan."}}


def _answer(org):
    return {"params": {"id": _topic(org, "published").pk}, "body": {"body": "Jawaban resmi."}}


CASES = [
    # Any moderator may open the queue (it lists only what they moderate); others are refused.
    Case("get", "/api/v1/forum/staff/queue", MODERATE, cross_agency=MODERATE),
    Case("post", "/api/v1/forum/staff/topics/{id}/moderation", MODERATE, _moderate_topic),
    Case("post", "/api/v1/forum/staff/posts/{id}/moderation", MODERATE, _moderate_post),
    Case("post", "/api/v1/forum/staff/topics/{id}/answers", ANSWER, _answer),
]
