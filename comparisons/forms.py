"""The comparison form: its whole state lives in the URL (GET), so a link reproduces it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosures.choices import Kind
from disclosures.labels import FIGURE_LABELS, THREE_PUBLIC_ITEMS
from disclosures.models import Department, Region, classification_level

from .queries import published_categories, regions_with_published_data

NORMALISATIONS = [
    ("amount", _("金额（万元）")),
    ("share", _("占部门本年支出合计的比例")),
    ("per_capita", _("人均（元/人，按地区常住人口）")),
    ("yoy", _("比上年增减")),
]
LEVELS = [("1", _("类")), ("2", _("款"))]


def measure_choices() -> list[tuple[str, str]]:
    choices = [(f"totals.{k}", str(v)) for k, v in FIGURE_LABELS["totals"].items()]
    # 会议费 / 培训费 are printed with the 三公 but are not part of them: no 三公 prefix.
    choices += [
        (
            f"three_public.{k}",
            f"{_('三公经费')}：{v}" if k in ("total", *THREE_PUBLIC_ITEMS) else str(v),
        )
        for k, v in FIGURE_LABELS["three_public"].items()
    ]
    return choices


class ComparisonForm(forms.Form):
    category = forms.ChoiceField(label=_("部门类别"), required=False)
    region = forms.ModelChoiceField(
        label=_("地区"),
        required=False,
        queryset=Region.objects.none(),  # set in __init__
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("或逐个选择部门"), required=False, queryset=Department.objects.published()
    )
    year = forms.CharField(
        label=_("年度"),
        required=False,
        initial="latest",
        help_text=_("四位年份，或 latest（各部门最新）"),
    )
    kind = forms.ChoiceField(label=_("预算/决算"), choices=Kind.choices, initial=Kind.BUDGET)
    code = forms.CharField(
        label=_("功能分类科目编码"),
        required=False,
        max_length=7,
        help_text=_("如 208、20801、2080101；留空则用下面的总额"),
    )
    measure = forms.ChoiceField(label=_("或总额 / 三公经费"), required=False)
    normalisation = forms.ChoiceField(
        label=_("口径"), choices=NORMALISATIONS, initial="amount", required=False
    )
    level = forms.ChoiceField(label=_("结构图层级"), choices=LEVELS, initial="1", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [(c, c) for c in published_categories()]
        self.fields["measure"].choices = [("", "—")] + measure_choices()
        # The pickers list only what has published data (a category, a region or a
        # department without any would compare nothing). Region labels are full names
        # ("四川省南充市"): the parents come in the same query.
        self.fields["region"].queryset = regions_with_published_data().filter(
            level__in=["province", "city"]
        )
        self.fields["departments"].queryset = Department.objects.published().order_by("name")

    def clean_year(self) -> int | None:
        value = (self.cleaned_data.get("year") or "latest").strip().lower()
        if value == "latest":
            return None
        if not value.isdigit() or not 1990 <= int(value) <= 2100:
            raise forms.ValidationError(_("年度须为四位年份或 latest。"))
        return int(value)

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip()
        if code and classification_level(code) is None:
            raise forms.ValidationError(_("科目编码为 3、5 或 7 位数字。"))
        return code

    def clean(self):
        data = super().clean()
        if not data.get("code") and not data.get("measure"):
            data["measure"] = "totals.expenditure_total"
        return data
