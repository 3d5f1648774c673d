"""Counting the SQL statements one request costs, for the tests that check a page or an API answer
costs the same whatever the number of rows it shows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries(fn) -> int:
    """The number of statements ``fn()`` (a request) ran, after checking it answered 200; a streamed
    answer (an export) is read to its end inside the count, as its rows are queried while it streams."""
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
        assert response.status_code == 200, response.content[:300]
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return len(ctx.captured_queries)
