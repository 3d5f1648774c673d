"""Amanah's SMTP mailer: Django's, with one change.

Django greets the mail server (``EHLO``) with the name of the machine it runs on, such as
``amanah-worker-3.dinas.internal``. That name then sits in the first ``Received:`` header of every mail a
complainant gets, telling strangers how the agency's network is laid out, and a relay that checks the
greeting against DNS may score a name nobody can resolve as spam. Amanah greets with the same domain its
Message-IDs use (:func:`amanah.core.tasks.message_domain`: the public site's host, else the sender's
domain) and falls back to the machine's name only when neither is a public name.
"""

from __future__ import annotations

from django.core.mail.backends import smtp


class SmtpBackend(smtp.EmailBackend):
    @property
    def connection_class(self):
        base = super().connection_class

        def connect(host, port, **params):
            from .tasks import message_domain

            params["local_hostname"] = message_domain()
            return base(host, port, **params)

        return connect
