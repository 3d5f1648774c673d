from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "amanah.complaints"
    label = "complaints"
