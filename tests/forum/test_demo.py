"""The forum's demo data: every agency has answered topics, and Sleman shows each moderation state."""

from amanah.core import audit
from amanah.forum import selectors
from amanah.forum.models import Post, Topic


def test_demo_topics_in_every_state(db):
    from amanah.core import demo
    from amanah.forum import demo as forum_demo

    ctx = demo.load_organisation()
    forum_demo.load(ctx)
    for agency in ctx["agencies"].values():
        public = list(selectors.public_topics(agency=agency))
        assert len(public) == 3, agency.code
        assert sum(1 for t in public if t.answered) == 2
    sleman = Topic.objects.filter(agency__code="kab-sleman")
    assert {t.status for t in sleman} == {"published", "locked", "pending", "hidden"}
    assert sleman.get(status="hidden").hidden_reason
    assert Post.objects.filter(topic__agency__code="kab-sleman", status="pending").count() == 1
    topics, posts = selectors.queue(ctx["users"]["pengelola@sleman.test"])
    assert len(topics) == 1 and len(posts) == 1
    assert audit.verify().ok
