from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "amanah.integrity"
    label = "integrity"
