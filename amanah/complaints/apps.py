from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class ComplaintsConfig(AppConfig):
    name = "amanah.complaints"
    label = "complaints"

    def ready(self):
        from . import services

        pre_save.connect(
            services.closure_saving, sender="core.Closure", dispatch_uid="complaints:calendar:pre"
        )
        for signal in (post_save, post_delete):
            signal.connect(
                services.calendar_changed,
                sender="core.Closure",
                dispatch_uid=f"complaints:calendar:{signal is post_save}",
            )
