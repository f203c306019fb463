"""Publication is its own state, apart from the parse state; failures are stored as codes.

Before, one ``status`` held both (``published``/``superseded`` were statuses), so a
re-parse of a published disclosure took it off the public site. Existing rows map as:
needs_review → parsed; published → parsed + publication published; superseded → parsed +
publication superseded. A stored failure text becomes the code ``legacy`` with the old
Chinese text as its parameter, so nothing said to a user is lost.
"""

from django.db import migrations, models
from django.db.models import Q


def forwards(apps, schema_editor):
    Disclosure = apps.get_model("disclosures", "Disclosure")
    Disclosure.objects.filter(status="superseded").update(status="parsed", publication="superseded")
    Disclosure.objects.filter(status="published").update(status="parsed", publication="published")
    Disclosure.objects.filter(published=True, publication="draft").update(publication="published")
    Disclosure.objects.filter(status="needs_review").update(status="parsed")
    for row in Disclosure.objects.exclude(error=""):
        row.error_code = "legacy"
        row.error_params = {"text": row.error}
        row.save(update_fields=["error_code", "error_params"])


def backwards(apps, schema_editor):
    Disclosure = apps.get_model("disclosures", "Disclosure")
    Disclosure.objects.filter(status="parsed", publication="draft").update(status="needs_review")
    Disclosure.objects.filter(status="parsed", publication="published").update(
        status="published", published=True
    )
    Disclosure.objects.filter(status="parsed", publication="superseded").update(
        status="superseded", published=True
    )
    for row in Disclosure.objects.exclude(error_code=""):
        row.error = (row.error_params or {}).get("text", row.error_code)
        row.save(update_fields=["error"])


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0002_seed_checklist")]

    operations = [
        migrations.AddField(
            model_name="disclosure",
            name="publication",
            field=models.CharField(
                choices=[
                    ("draft", "未发布"),
                    ("published", "已发布"),
                    ("superseded", "已被替换"),
                ],
                db_index=True,
                default="draft",
                max_length=16,
                verbose_name="发布状态",
            ),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="error_code",
            field=models.CharField(
                blank=True,
                help_text="见 disclosures/parsing/errors.py；说明文字在显示时按语言翻译",
                max_length=48,
                verbose_name="失败原因代码",
            ),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="error_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="失败原因参数"),
        ),
        migrations.AlterField(
            model_name="disclosure",
            name="status",
            field=models.CharField(
                choices=[
                    ("uploaded", "已上传"),
                    ("queued", "排队中"),
                    ("parsing", "解析中"),
                    ("parsed", "已解析"),
                    ("failed", "失败"),
                ],
                db_index=True,
                default="uploaded",
                max_length=16,
                verbose_name="解析状态",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="disclosure", name="published"),
        migrations.RemoveField(model_name="disclosure", name="error"),
        migrations.RemoveField(model_name="disclosure", name="error_en"),
        migrations.AddConstraint(
            model_name="disclosure",
            constraint=models.UniqueConstraint(
                condition=Q(publication="published"),
                fields=("department", "fiscal_year", "kind"),
                name="disclosure_one_published_per_department_year_kind",
            ),
        ),
    ]
