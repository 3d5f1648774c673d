"""Apps add synthetic data to ``amanah seed`` by defining ``seed(command, rng, agencies, **options)``
in their ``seed.py``."""

import importlib

APPS = ["complaints", "surveys", "integrity", "personnel", "transparency"]


def run_extensions(command, **kwargs):
    for app in APPS:
        try:
            module = importlib.import_module(f"amanah.{app}.seed")
        except ModuleNotFoundError:
            continue
        module.seed(command, **kwargs)
