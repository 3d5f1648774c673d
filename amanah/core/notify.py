"""Notifications: e-mail sent by the background worker, never inside the request.

Apps call :func:`email` from their services; the message is queued as a Django task that runs only if
the transaction commits (:mod:`amanah.core.queue`), so a rolled-back change sends nothing and a slow mail
server never slows a page. Recipients, subject and body are encrypted in the task's arguments like the
identity columns (:mod:`amanah.core.crypto`): a complainant's address or the title of a confidential
complaint is never stored in clear in the task table, where finished tasks stay until they are pruned.
"""

from __future__ import annotations

from .queue import after_commit


def email(to: str | list[str], subject: str, body: str) -> None:
    """Queue one plain-text e-mail to ``to`` (address or list) once the current transaction commits."""
    from .tasks import seal_email, send_sealed_email

    recipients = [to] if isinstance(to, str) else [t for t in to if t]
    if not recipients:
        return
    after_commit(send_sealed_email, seal_email(recipients, str(subject), str(body)))
