"""A test client that chose a language in the menu (Amanah ignores the browser's Accept-Language)."""

from django.conf import settings
from django.test import Client


def client_in(language: str, **kwargs) -> Client:
    client = Client(**kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client
