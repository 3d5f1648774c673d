from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "amanah.transparency"
    label = "transparency"

    def ready(self):
        from . import signals

        signals.connect()
