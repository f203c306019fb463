"""Formatting for amounts (万元 with thousands separators), shares and sources."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def wan(value) -> str:
    """An amount in 万元: 11,540.71 (two decimals, thousands separators); — for null."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def pct(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value) * 100:,.1f}%"


@register.simple_tag
def source_title(figure) -> str:
    """Where a figure was read, in words: page and source text."""
    parts = []
    if getattr(figure, "origin", "parser") != "parser":
        parts.append(_("人工更正"))
    if figure.page:
        parts.append(_("第 %(page)s 页") % {"page": figure.page})
    if figure.source_text:
        parts.append(figure.source_text)
    return " · ".join(parts) or _("出处未记录")
