from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amanah.core"
    label = "core"
    verbose_name = "Amanah core"
