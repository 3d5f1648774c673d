"""Forum tables: a topic per agency (optionally about one of its services) and the posts replying to it.

A citizen writes without an account: what is stored is what they typed (a title, a text and, if they
chose, a display name and an e-mail address for news of their question, sealed) and the day it was sent,
never an IP or a time of day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amanah.core.crypto import EncryptedTextField
from amanah.core.models import Agency, ChoiceLabels, Service

from . import rules


class Status(models.TextChoices):
    PENDING = rules.PENDING, _("Menunggu moderasi")
    PUBLISHED = rules.PUBLISHED, _("Terbit")
    HIDDEN = rules.HIDDEN, _("Disembunyikan")
    LOCKED = rules.LOCKED, _("Dikunci")


class PostStatus(models.TextChoices):
    PENDING = rules.PENDING, _("Menunggu moderasi")
    PUBLISHED = rules.PUBLISHED, _("Terbit")
    HIDDEN = rules.HIDDEN, _("Disembunyikan")


class Moderated(models.Model):
    """What a moderator did last: who, when, and why a hidden item was hidden."""

    hidden_reason = models.CharField(max_length=rules.REASON_MAX, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Topic(ChoiceLabels, Moderated):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="forum_topics")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="forum_topics"
    )
    title = models.CharField(max_length=rules.TITLE_MAX)
    body = models.TextField()
    author_name = models.CharField(max_length=rules.NAME_MAX, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_on = models.DateField()
    #: The address the asker left to be told when the question is published, hidden or answered
    #: officially: encrypted at rest, never shown to staff or in the API, and erased when the topic is
    #: locked, by the unsubscribe link of a mail, or by ``forum_sweep`` after ``FORUM_CONTACT_DAYS``.
    contact_email = EncryptedTextField(blank=True)
    #: The language of the page the question was asked on (``id`` or ``en``): the mails' language.
    contact_language = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "-created_on"], name="forum_topic_list"),
            # The sweep's look-up: the few topics that still hold an address, by age.
            models.Index(
                fields=["created_on"], condition=~Q(contact_email=""), name="forum_topic_contact"
            ),
        ]
        verbose_name = _("topik forum")
        verbose_name_plural = _("topik forum")

    def __str__(self):
        return self.title


class Post(ChoiceLabels, Moderated):
    """A reply. ``official`` marks the agency's own answer ("Jawaban resmi"), written by its staff
    (``author``); a citizen's reply has no author account and is never official."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    body = models.TextField()
    author_name = models.CharField(max_length=rules.NAME_MAX, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    official = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=PostStatus.choices, default=PostStatus.PENDING)
    created_on = models.DateField()

    class Meta:
        ordering = ["created_on", "id"]
        indexes = [models.Index(fields=["topic", "status"], name="forum_post_topic")]
        verbose_name = _("balasan forum")
        verbose_name_plural = _("balasan forum")

    def __str__(self):
        return f"{self.topic_id}#{self.pk}"
