"""Bench-only URLconf for ``bench/intake.py``: every Amanah URL, plus ``bench/insert/``, a bare Django view
that parses the same JSON body as the complaint intake and does one INSERT (raw SQL into ``bench_insert``,
a table ``bench/intake.py`` creates). It is the baseline the intake is compared with; it is not in ``amanah.urls``.
"""

import json

from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def insert(request):
    data = json.loads(request.body)
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO bench_insert (title, body) VALUES (%s, %s) RETURNING id",
            [data["title"], data["description"]],
        )
        (pk,) = cur.fetchone()
    return JsonResponse({"id": pk}, status=201)


urlpatterns = [
    path("bench/insert/", insert),
    path("", include("amanah.urls")),
]
