"""The nine standard competencies of PermenPANRB 38/2017 (national, agency empty)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from amanah.personnel.rules import STANDARD_COMPETENCIES

    Competency = apps.get_model("personnel", "Competency")
    for code, type_, name in STANDARD_COMPETENCIES:
        Competency.objects.get_or_create(agency=None, code=code, defaults={"type": type_, "name": name})


def backwards(apps, schema_editor):
    from amanah.personnel.rules import STANDARD_COMPETENCIES

    Competency = apps.get_model("personnel", "Competency")
    Competency.objects.filter(agency=None, code__in=[c for c, _t, _n in STANDARD_COMPETENCIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("personnel", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
