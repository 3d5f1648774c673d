"""Bench-only settings for ``bench/intake.py``: Amanah's settings unchanged except ``ROOT_URLCONF``.

Selected with ``DJANGO_SETTINGS_MODULE=baseline_settings`` and ``bench/`` on ``PYTHONPATH``; never part of the
shipped product.
"""

from amanah.settings import *  # noqa: F403

ROOT_URLCONF = "baseline_urls"
