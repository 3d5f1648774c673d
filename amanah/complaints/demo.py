"""Demo data for this app; called by ``amanah.core.demo.load`` after the organisation exists."""


def load(ctx):
    return None
