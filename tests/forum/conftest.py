import pytest


@pytest.fixture
def moderator(users):
    """Agency A's complaint manager (role ``pengelola``, agency-wide): moderates and answers."""
    return users[("pengelola", "a")]


@pytest.fixture
def make_topic(org):
    """``make_topic(status=…, **fields)``: a citizen's topic of agency A, moved to ``status`` by A's admin."""
    from amanah.forum import services

    def make(status="published", agency=None, moderator=None, **fields):
        from amanah.core.models import User

        fields.setdefault("title", "Syarat membuat KTP-el")
        fields.setdefault("body", "Apa saja syarat membuat KTP-el untuk pertama kali?")
        topic = services.submit_topic(agency=agency or org["a"]["agency"], **fields)
        admin = moderator or User.objects.filter(is_superuser=True).first()
        if admin is None:
            admin = User.objects.create_superuser("super@test.id", "sandi-rahasia-123")
        if status in ("published", "locked"):
            services.moderate_topic(admin, topic, "publish")
        if status == "locked":
            services.moderate_topic(admin, topic, "lock")
        if status == "hidden":
            services.moderate_topic(admin, topic, "hide", "Memuat data pribadi.")
        topic.refresh_from_db()
        return topic

    return make
