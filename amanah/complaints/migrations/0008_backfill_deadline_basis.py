"""Fill ``deadline_basis`` for the cases that were open before it existed, so that a closure added after
the upgrade moves their due dates too (``services.recount_deadlines``).

Each due date is given the start the services count it from (receipt, forwarding, answer) and the number
of working days of the agency's rules, and only when that start and number give exactly the date the case
holds. A date that came from a resumed clock, a dispute or a change of unit gives another date; it keeps no
basis and is left as it is (such a case is counted again from its next stage on)."""

from django.conf import settings
from django.db import migrations

OPEN = ["diterima", "menunggu_kelengkapan", "diteruskan", "diproses", "dijawab"]


def backfill(apps, schema_editor):
    from amanah.complaints import rules
    from amanah.core.calendar import Calendar

    Complaint = apps.get_model("complaints", "Complaint")
    calendars, configs = {}, {}
    qs = Complaint.objects.filter(status__in=OPEN, deadline_basis={}).select_related("agency")
    for c in qs.iterator(chunk_size=2000):
        agency = c.agency
        if agency.pk not in calendars:
            calendars[agency.pk] = Calendar(agency)
            configs[agency.pk] = rules.merged_config(
                getattr(settings, "COMPLAINT_RULES", None), (agency.options or {}).get("complaints")
            )
        cal, cfg = calendars[agency.pk], configs[agency.pk]
        candidates = {
            "verification_due": (c.received_at, cfg["verification_days"]),
            "response_due": (c.forwarded_at, cfg["response_days"]),
            "resolution_due": (c.forwarded_at, cfg["tiers"].get(c.tier)),
            "auto_close_due": (c.answered_at, cfg["auto_close_days"]),
        }
        basis = {}
        for field, (moment, days) in candidates.items():
            due = getattr(c, field)
            if due is None or moment is None or days is None:
                continue
            start = cal.local_date(moment)
            if cal.add(start, days) == due:
                basis[field] = [start.isoformat(), days]
        if basis:
            c.deadline_basis = basis
            c.save(update_fields=["deadline_basis"])


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0007_inbox_and_published_indexes"),
        ("core", "0004_service_name_index"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
