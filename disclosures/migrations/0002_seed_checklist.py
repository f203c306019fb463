"""Seed the disclosure-completeness checklist with the standard tables and explanations.

Admins edit these afterwards; the patterns are regular expressions matched against the
document's titles and explanatory paragraphs.
"""

from django.db import migrations

from disclosures.checklist import ensure_default_checklist


def seed(apps, schema_editor):
    ensure_default_checklist(apps.get_model("disclosures", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
