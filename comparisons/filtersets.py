"""django-filter FilterSets of the public side, shared by the pages and the JSON API.

Each filter is defined once here; the pages bind them to ``request.GET`` and the API binds
them to its validated query parameters (``api.query_schema`` derives the documented
parameters from these classes), so a filter cannot mean one thing on a page and another
in the API.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from disclosures.choices import Kind, Scope
from disclosures.models import Department, Disclosure, LineItem, Region

from . import queries


class InRegionFilter(django_filters.ModelChoiceFilter):
    """A region and everything below it, through the queryset's own ``.in_region``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("地区"))
        kwargs.setdefault("queryset", Region.objects.all())
        kwargs.setdefault("empty_label", "—")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.in_region(value) if value else qs


def _published_category_choices() -> list[tuple[str, str]]:
    return [(c, c) for c in queries.published_categories()]


def _regions_with_published_data(request) -> QuerySet[Region]:
    return queries.regions_with_published_data()


class DepartmentFilterSet(django_filters.FilterSet):
    """Departments by a search text, category and region (with everything below it)."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    category = django_filters.CharFilter(label=_("部门类别"))
    region = InRegionFilter()

    class Meta:
        model = Department
        fields = ["q", "category", "region"]

    def search(self, queryset, name, value):
        return queries.departments_matching(queryset, value)


class LineItemFilterSet(django_filters.FilterSet):
    """Line items by year, kind, code prefix (208 gives every 208xxxxx), scope, the
    department's category and region."""

    year = django_filters.NumberFilter(label=_("年度"), field_name="disclosure__fiscal_year")
    kind = django_filters.ChoiceFilter(
        label=_("类型"), field_name="disclosure__kind", choices=Kind.choices
    )
    code = django_filters.CharFilter(label=_("科目编码"), lookup_expr="startswith")
    scope = django_filters.ChoiceFilter(label=_("口径"), choices=Scope.choices)
    category = django_filters.CharFilter(
        label=_("部门类别"), field_name="disclosure__department__category"
    )
    region = InRegionFilter()

    class Meta:
        model = LineItem
        fields = ["year", "kind", "code", "scope", "category", "region"]


class DisclosureFilterSet(django_filters.FilterSet):
    """Published disclosures by department category and region (the completeness ranking).
    Both are pickers of what has published data."""

    category = django_filters.ChoiceFilter(
        label=_("部门类别"),
        field_name="department__category",
        choices=_published_category_choices,
        empty_label="—",
    )
    region = InRegionFilter(queryset=_regions_with_published_data)

    class Meta:
        model = Disclosure
        fields = ["category", "region"]


def filtered(filterset: django_filters.FilterSet) -> QuerySet:
    """The filtered rows; none at all when a value is invalid, never silently everything
    (django-filter on its own skips an invalid filter)."""
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()
