"""django-tables2 tables of the public pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from disclosures.models import LineItem


class AmountColumn(tables.Column):
    """An amount in 万元 with thousands separators; sorted numerically by the queryset."""

    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def render(self, value):
        return f"{value:,.2f}"

    def value(self, value):  # exports keep the exact number
        return value


class LineItemTable(tables.Table):
    """Every line item of one disclosure: sortable, paginated, exportable."""

    scope = tables.Column(verbose_name=_("口径"))
    code = tables.Column(verbose_name=_("科目编码"))
    name = tables.Column(verbose_name=_("科目名称"))
    total = AmountColumn(verbose_name=_("合计（万元）"))
    basic = AmountColumn(verbose_name=_("基本支出"))
    project = AmountColumn(verbose_name=_("项目支出"))
    page = tables.Column(verbose_name=_("页码"))
    source_text = tables.Column(
        verbose_name=_("原文"), orderable=False, attrs={"td": {"class": "src"}}
    )

    class Meta:
        model = LineItem
        fields = ("scope", "code", "name", "total", "basic", "project", "page", "source_text")
        attrs = {"class": "table", "id": "line-items"}
        per_page = 50
        order_by = ("scope", "position")
