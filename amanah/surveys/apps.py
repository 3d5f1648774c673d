from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "amanah.surveys"
    label = "surveys"
