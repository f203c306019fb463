"""django-filter classes of the disclosures app."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Kind, Publication, Status
from .models import Disclosure


class DisclosureFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    status = django_filters.ChoiceFilter(label=_("解析状态"), choices=Status.choices)
    publication = django_filters.ChoiceFilter(label=_("发布状态"), choices=Publication.choices)
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Kind.choices)
    fiscal_year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = Disclosure
        fields = ["q", "status", "publication", "kind", "fiscal_year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(original_name__icontains=value)
            | Q(department__name__icontains=value)
            | Q(detected_department__icontains=value)
        )
