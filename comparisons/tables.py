"""django-tables2 tables of the public pages.

Tables declare columns only: every number they show (totals, rates, ranks, scores) is
computed by ``queries``/``compare`` before it reaches them; render methods only format.
"""

from __future__ import annotations

from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2.export import TableExport

from disclosures.choices import FigureGroup, Kind
from disclosures.labels import figure_label
from disclosures.models import Department, Disclosure, Figure, LineItem

from .exports import csv_cell, xlsx_without_formulas
from .templatetags.yujue import pct, source_title, wan

TABLE_CLASS = "table"


def department_url(disclosure: Disclosure | None) -> str | None:
    """The public department page showing this disclosure (year and kind selected)."""
    if disclosure is None or not disclosure.department_id:
        return None
    query = urlencode({"year": disclosure.fiscal_year or "", "kind": disclosure.kind})
    return f"{reverse('comparisons:department_detail', args=[disclosure.department_id])}?{query}"


def region_url(region) -> str:
    return reverse("comparisons:region_detail", args=[region.pk])


def kind_label(kind: str | None) -> str:
    return str(Kind(kind).label) if kind in Kind.values else ""


class AmountColumn(tables.Column):
    """An amount in 万元 with thousands separators; sorted numerically by the queryset."""

    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def render(self, value):
        return wan(value)

    def value(self, value):  # exports keep the exact number
        return value


class PercentColumn(tables.Column):
    """A ratio (0.95) shown as a percentage (95.0%)."""

    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def render(self, value):
        return pct(value)

    def value(self, value):
        return value


class ConfirmedColumn(tables.Column):
    """Whether a passing check stands behind the figure: a figure no check confirms is
    visibly unconfirmed, never shown as if it were verified."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("校验"))
        kwargs.setdefault("attrs", {"td": {"class": "confirmed"}})
        super().__init__(**kwargs)

    def render(self, value):
        if value:
            return format_html('<span class="ok" title="{}">✓</span>', _("已由勾稽校验确认"))
        return format_html(
            '<span class="badge unconfirmed" title="{}">{}</span>',
            _("没有任何通过的勾稽校验涉及这个数"),
            _("未核实"),
        )

    def value(self, value):  # exports: true / false
        return value


class BomTableExport(TableExport):
    """TableExport for people opening files in Excel: the CSV starts with a byte-order mark
    (so Excel reads UTF-8), and no cell can become a formula (comparisons/exports.py)."""

    def export(self):
        if self.format == self.CSV:
            for i, row in enumerate(self.dataset):
                self.dataset[i] = tuple(csv_cell(v) for v in row)
            return "\ufeff" + super().export()
        out = super().export()
        return xlsx_without_formulas(out) if self.format == self.XLSX else out


class LineItemTable(tables.Table):
    """Every line item of one disclosure: sortable, paginated, exportable."""

    scope = tables.Column(verbose_name=_("口径"))
    code = tables.Column(verbose_name=_("科目编码"))
    name = tables.Column(verbose_name=_("科目名称"))
    total = AmountColumn(verbose_name=_("合计（万元）"))
    basic = AmountColumn(verbose_name=_("基本支出"))
    project = AmountColumn(verbose_name=_("项目支出"))
    confirmed = ConfirmedColumn()
    page = tables.Column(verbose_name=_("页码"))
    source_text = tables.Column(
        verbose_name=_("原文"), orderable=False, attrs={"td": {"class": "src"}}
    )

    class Meta:
        model = LineItem
        fields = (
            "scope",
            "code",
            "name",
            "total",
            "basic",
            "project",
            "confirmed",
            "page",
            "source_text",
        )
        attrs = {"class": TABLE_CLASS, "id": "line-items"}
        per_page = 50
        order_by = ("scope", "position")


class LatestDisclosureTable(tables.Table):
    """Published disclosures, newest publication first (home page)."""

    department = tables.Column(
        verbose_name=_("部门"),
        accessor="department_label",
        linkify=lambda record: department_url(record),
    )
    region = tables.Column(
        verbose_name=_("地区"),
        accessor="department__region",
        order_by=("department__region__code", "department__region__name"),
        linkify=lambda value: region_url(value),
    )
    fiscal_year = tables.Column(verbose_name=_("年度"))
    kind = tables.Column(verbose_name=_("类型"))
    expenditure_total = AmountColumn(verbose_name=_("本年支出合计（万元）"))

    class Meta:
        model = Disclosure
        fields = ("department", "region", "fiscal_year", "kind", "expenditure_total")
        attrs = {"class": TABLE_CLASS, "id": "latest"}
        per_page = 20
        default = "—"
        empty_text = _("还没有发布的文件。")

    def render_department(self, value, record):
        if record.published_with_errors:
            return format_html(
                '{} <span class="badge warn">{}</span>', value, _("带已知不一致发布")
            )
        return value


class RegionDepartmentTable(tables.Table):
    """The departments of a region and below it, with their newest published totals."""

    name = tables.Column(
        verbose_name=_("部门"),
        linkify=lambda record: reverse("comparisons:department_detail", args=[record.pk]),
    )
    region = tables.Column(
        verbose_name=_("地区"), accessor="region__name", order_by=("region__code", "region__name")
    )
    latest = tables.Column(
        verbose_name=_("最新"), accessor="latest_year", order_by=("latest_year", "latest_kind")
    )
    expenditure_total = AmountColumn(verbose_name=_("本年支出合计（万元）"))
    grand_total = AmountColumn(verbose_name=_("收入总计（万元）"))

    class Meta:
        model = Department
        fields = ("name", "region", "latest", "expenditure_total", "grand_total")
        attrs = {"class": TABLE_CLASS, "id": "region-departments"}
        per_page = 100
        default = "—"
        empty_text = _("这个地区还没有发布的数据。")

    def render_latest(self, value, record):
        return f"{value} {kind_label(record.latest_kind)}"


class SpenderTable(tables.Table):
    """Every published line item of one functional code (classification browser)."""

    department = tables.Column(
        verbose_name=_("部门"),
        accessor="disclosure__department__name",
        linkify=lambda record: department_url(record.disclosure),
    )
    region = tables.Column(
        verbose_name=_("地区"),
        accessor="disclosure__department__region",
        order_by=("disclosure__department__region__code", "disclosure__department__region__name"),
    )
    fiscal_year = tables.Column(verbose_name=_("年度"), accessor="disclosure__fiscal_year")
    kind = tables.Column(verbose_name=_("类型"), accessor="disclosure__kind")
    scope = tables.Column(verbose_name=_("口径"))
    total = AmountColumn(verbose_name=_("金额（万元）"))

    class Meta:
        model = LineItem
        fields = ("department", "region", "fiscal_year", "kind", "scope", "total")
        attrs = {"class": TABLE_CLASS, "id": "spenders"}
        per_page = 100
        default = "—"
        empty_text = _("还没有部门公开这个科目的支出。")


class FigureTable(tables.Table):
    """Every stored figure of one disclosure with where it was read."""

    label = tables.Column(verbose_name=_("项目"), accessor="key", order_by=("group", "key"))
    value = AmountColumn(verbose_name=_("数值"))
    confirmed = ConfirmedColumn()
    source = tables.Column(
        verbose_name=_("出处"),
        accessor="page",
        order_by=("page", "pk"),
        empty_values=(),  # a figure without page or text still says so
        attrs={"td": {"class": "src"}},
    )

    class Meta:
        model = Figure
        fields = ("label", "value", "confirmed", "source")
        attrs = {"class": TABLE_CLASS, "id": "figures-table"}
        default = "—"

    def render_label(self, value, record):
        return figure_label(record.group, value)

    def render_value(self, value, record):
        if record.group == FigureGroup.ASSETS:  # a count (vehicles), not money
            return f"{value:,.0f}"
        return wan(value)

    def render_source(self, record):
        return source_title(record)


class ExecutionTable(tables.Table):
    """决算 / 预算 per functional item (rows and rates from ``queries.execution``)."""

    code = tables.Column(verbose_name=_("科目编码"))
    name = tables.Column(verbose_name=_("科目名称"))
    budget = AmountColumn(verbose_name=_("预算"))
    final = AmountColumn(verbose_name=_("决算"))
    rate = PercentColumn(verbose_name=_("执行率"))

    class Meta:
        sequence = ("code", "name", "budget", "final", "rate")
        attrs = {"class": TABLE_CLASS, "id": "execution-table"}
        default = "—"


def _comparison_row_class(record) -> str:
    classes = []
    if record.normalised is None:
        classes.append("gap")
    if record.flagged:
        classes.append("flagged")
    return " ".join(classes)


class ComparisonTable(tables.Table):
    """The comparison's rows (values, normalisation and ranks from ``compare.compare``).
    Hidden columns (kind, scope, source file) appear only in the CSV/XLSX export."""

    rank = tables.Column(verbose_name=_("排名"))
    department = tables.Column(
        verbose_name=_("部门"),
        accessor="department__name",
        linkify=lambda record: reverse(
            "comparisons:department_detail", args=[record.department.pk]
        ),
    )
    region = tables.Column(verbose_name=_("地区"), accessor="department__region__full_name")
    fiscal_year = tables.Column(verbose_name=_("年度"), accessor="disclosure__fiscal_year")
    kind = tables.Column(
        verbose_name=_("类型"), accessor="disclosure__kind", visible=False, orderable=False
    )
    value = AmountColumn(verbose_name=_("数值（万元）"))
    normalised = AmountColumn(verbose_name=_("比较口径"))
    scope = tables.Column(verbose_name=_("口径"), visible=False, orderable=False)
    notes = tables.Column(verbose_name=_("说明"), orderable=False, attrs={"td": {"class": "note"}})
    source = tables.Column(
        verbose_name=_("来源"),
        accessor="disclosure",
        orderable=False,
        exclude_from_export=True,
        default="",
        linkify=lambda record: department_url(record.disclosure),
    )
    source_file = tables.Column(
        verbose_name=_("来源文件"), accessor="disclosure__pk", visible=False, orderable=False
    )

    class Meta:
        sequence = (
            "rank",
            "department",
            "region",
            "fiscal_year",
            "kind",
            "value",
            "normalised",
            "scope",
            "notes",
            "source",
            "source_file",
        )
        attrs = {"class": TABLE_CLASS, "id": "comparison-table"}
        row_attrs = {
            "class": _comparison_row_class,
            "data-department": lambda record: record.department.name,
        }
        default = "—"

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.columns["normalised"].column.verbose_name = f"{_('比较口径')}（{unit}）"

    def render_notes(self, value):
        return "；".join(value)

    def render_source(self):
        return _("来源")

    def render_source_file(self, value):
        return f"/api/disclosures/{value}"

    def value_normalised(self, value):
        return float(value)  # as the API gives it, not 28 digits of Decimal


class CheckColumn(tables.Column):
    """One checklist item of the completeness ranking: present, stated none, missing, or
    — where the item does not apply to the disclosure's kind."""

    SYMBOLS = {"present": "✓", "stated_none": _("无（已说明）"), "missing": "✗"}

    def __init__(self, key: str, label: str):
        def check(record=None):
            return (record or {}).get("checks", {}).get(key)

        self.check = check
        super().__init__(
            verbose_name=label,
            accessor="checks",
            orderable=False,
            empty_values=(),
            attrs={
                "th": {"class": "check-col", "title": label},
                "td": {
                    "class": lambda record=None: f"state-{c.state}" if (c := check(record)) else "",
                    "title": lambda record=None: c.evidence if (c := check(record)) else "",
                },
            },
        )

    def render(self, record):
        c = self.check(record)
        return self.SYMBOLS.get(c.state, c.state) if c else "—"

    def value(self, record):
        c = self.check(record)
        return c.state if c else ""


class CompletenessTable(tables.Table):
    """Disclosures ranked by completeness, one column per checklist item (rows and scores
    from ``queries.completeness_ranking``)."""

    department = tables.Column(
        verbose_name=_("部门"), linkify=lambda record: department_url(record["disclosure"])
    )
    year = tables.Column(
        verbose_name=_("年度"),
        accessor="disclosure__fiscal_year",
        order_by=("disclosure__fiscal_year", "disclosure__kind"),
    )
    score = tables.Column(
        verbose_name=_("得分"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )

    class Meta:
        sequence = ("department", "year", "score", "...")
        attrs = {"class": TABLE_CLASS, "id": "completeness-table"}
        per_page = 50  # one column per checklist item: tables2 renders ~1.5 ms a row
        default = "—"
        empty_text = _("还没有发布的文件。")

    def __init__(self, data, checklist=(), **kwargs):
        extra = [(f"check_{item.key}", CheckColumn(item.key, item.label)) for item in checklist]
        super().__init__(data, extra_columns=extra, **kwargs)

    def render_year(self, value, record):
        return f"{value} {kind_label(record['disclosure'].kind)}"
