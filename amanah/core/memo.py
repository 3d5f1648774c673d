"""Per-process memory of rarely changing reference data read on every complaint: the service catalogue
and the non-working days of the calendar.

A :class:`Memo` is emptied in the process that saves or deletes one of the models it depends on (at once,
through ``post_save``/``post_delete``), and every entry expires after ``REFERENCE_CACHE_SECONDS`` (default
60), so a change made on another app server is seen there within that time. ``0`` turns the memory off.
Entries are shared by the threads of a process and must be treated as read-only.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save

_MISSING = object()
_ALL: list[Memo] = []


class Memo:
    def __init__(self, name: str, depends_on: tuple[str, ...], max_entries: int = 4096):
        self.name = name
        self.depends_on = depends_on
        self.max_entries = max_entries
        self._data: dict = {}
        self._lock = threading.Lock()
        _ALL.append(self)

    @staticmethod
    def ttl() -> float:
        return float(getattr(settings, "REFERENCE_CACHE_SECONDS", 60))

    def get(self, key, compute):
        """The remembered value for ``key``, or ``compute()`` (remembered unless it is None)."""
        ttl = self.ttl()
        if ttl <= 0:
            return compute()
        now = time.monotonic()
        hit = self._data.get(key, _MISSING)
        if hit is not _MISSING and hit[0] > now:
            return hit[1]
        value = compute()
        if value is not None:
            with self._lock:
                if len(self._data) >= self.max_entries:
                    self._data.clear()
                self._data[key] = (now + ttl, value)
        return value

    def clear(self, **_signal_kwargs) -> None:
        with self._lock:
            self._data.clear()


def clear_all() -> None:
    """Forget everything (tests, and after bulk imports that bypass ``save()``)."""
    for memo in _ALL:
        memo.clear()


def connect() -> None:
    """Wire each memo to the saves and deletes of the models it depends on (from ``CoreConfig.ready``)."""
    for memo in _ALL:
        for label in memo.depends_on:
            uid = f"memo:{memo.name}:{label}"
            post_save.connect(memo.clear, sender=label, dispatch_uid=uid + ":save", weak=False)
            post_delete.connect(memo.clear, sender=label, dispatch_uid=uid + ":delete", weak=False)
