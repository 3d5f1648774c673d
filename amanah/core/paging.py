"""Counting long lists without reading them whole.

An exact ``COUNT(*)`` of a national inbox reads every matching row (about 0.6 s per million complaints on
PostgreSQL), on every page view. A list of people's cases needs no more than "more than 10 000": the
count stops there (``SELECT count(*) FROM (… LIMIT 10 001)``), and the pager offers as many pages."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator


def count_capped(qs, cap: int | None = None) -> tuple[int, bool]:
    """``(count, more)``: the number of rows up to ``cap`` (``LIST_COUNT_CAP``), and whether there are
    more."""
    cap = cap or settings.LIST_COUNT_CAP
    n = qs.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


class CappedPaginator(Paginator):
    """A :class:`~django.core.paginator.Paginator` whose count stops at ``LIST_COUNT_CAP``; ``more`` says
    whether it stopped there."""

    more = False

    @cached_property
    def count(self) -> int:
        n, self.more = count_capped(self.object_list)
        return n
