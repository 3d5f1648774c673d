from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amanah.core"
    label = "core"
    verbose_name = "Amanah core"

    def ready(self):
        from django.db.models import fields
        from django.utils.translation import gettext_lazy

        from . import calendar, checks, memo, selectors  # noqa: F401 - defines the memos and checks

        # The empty choice of every select that has no label of its own: Django's own has no Indonesian
        # translation, so Indonesian pages showed "- Select an option -".
        fields.BLANK_CHOICE_LABEL = gettext_lazy("— Pilih —")

        memo.connect()
