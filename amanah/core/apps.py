from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amanah.core"
    label = "core"
    verbose_name = "Amanah core"

    def ready(self):
        from . import calendar, checks, memo, selectors  # noqa: F401 - defines the memos and checks

        memo.connect()
