from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "amanah.personnel"
    label = "personnel"
