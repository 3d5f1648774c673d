from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "amanah.forum"
    label = "forum"
