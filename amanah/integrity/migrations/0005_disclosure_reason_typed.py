"""The notice that tells a reporter about a disclosure request quotes the official's reason inside a
system sentence. Notices stored before ``said()`` could name a parameter as typed text get the mark
now (``"typed": ["r"]``), so that their pages show the reason marked Indonesian, as typed, like the
notices written since. The stored text and every other part stay as they are."""

import json

from django.db import migrations

#: The start of that sentence's msgid (integrity.services.request_disclosure).
ASKED = "Pemeriksa meminta izin untuk melihat identitas Anda dengan alasan: %(r)s."


def mark_reason_typed(apps, schema_editor):
    Message = apps.get_model("integrity", "Message")
    for message in Message.objects.exclude(body_parts="").only("pk", "body_parts").iterator():
        try:
            parts = json.loads(message.body_parts)
        except ValueError:
            continue
        changed = False
        for part in parts if isinstance(parts, list) else []:
            if (
                isinstance(part, dict)
                and str(part.get("id", "")).startswith(ASKED)
                and "r" in (part.get("params") or {})
                and "typed" not in part
            ):
                part["typed"] = ["r"]
                changed = True
        if changed:
            message.body_parts = json.dumps(parts, ensure_ascii=False)
            message.save(update_fields=["body_parts"])


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0004_exclusion_key_id"),
    ]

    operations = [migrations.RunPython(mark_reason_typed, migrations.RunPython.noop)]
