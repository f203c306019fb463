"""django-tables2 classes of the disclosures app."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Disclosure


class DisclosureTable(tables.Table):
    original_name = tables.Column(verbose_name=_("文件"), linkify=True)
    department = tables.Column(verbose_name=_("部门"), accessor="department__name", default="—")
    status = tables.TemplateColumn(
        template_name="disclosures/_status_cell.html",
        verbose_name=_("状态"),
        order_by=("status",),
        attrs={"td": {"class": "status"}},
    )
    created_at = tables.DateTimeColumn(verbose_name=_("上传时间"), format="Y-m-d H:i")

    class Meta:
        model = Disclosure
        fields = (
            "original_name",
            "department",
            "fiscal_year",
            "kind",
            "format",
            "status",
            "created_at",
        )
        attrs = {"class": "table", "id": "disclosure-table"}
        row_attrs = {"data-id": lambda record: record.pk}
        empty_text = _("还没有上传的文件。")
