"""Formatting for amounts (万元 with thousands separators), shares and sources."""

from __future__ import annotations

import base64
import hashlib
import re
from decimal import Decimal
from functools import lru_cache

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
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


# What plotly's to_html(full_html=False) writes that the Content-Security-Policy refuses:
# bare inline <script> elements, and size style attributes on the two <div>s before the
# first one (the layout's own height draws the same figure; app.css gives the width).
# Figure data cannot contain these strings: plotly writes <, > and / in its JSON as
# \u003c, \u003e and \u002f.
_PLOTLY_SCRIPT = "<script>"
_PLOTLY_SIZE = re.compile(r' style="height:[\w.%]+; width:[\w.%]+;"')


@register.simple_tag(takes_context=True)
def chart(context, html: str | None) -> SafeString:
    """A figure drawn by plotly's ``to_html`` (``comparisons.views._html``), fit for the
    Content-Security-Policy: its inline scripts carry this response's nonce and its
    elements lose their style attributes. Applied while rendering, because drawings are
    cached across requests and a nonce belongs to one response."""
    if not html:
        return mark_safe("")
    request = context.get("request")
    nonce = getattr(request, "csp_nonce", None) if request is not None else None
    script = f'<script nonce="{escape(str(nonce))}">' if nonce is not None else _PLOTLY_SCRIPT
    divs, found, rest = str(html).partition(_PLOTLY_SCRIPT)
    return mark_safe(
        _PLOTLY_SIZE.sub("", divs)
        + (script if found else "")
        + rest.replace(_PLOTLY_SCRIPT, script)
    )


@register.simple_tag
def sri(name: str) -> str:
    """The Subresource Integrity value (``sha384-…``) of the static file ``name`` as it is
    served at ``{% static name %}``: the collected file under a hashed URL (its source-map
    comment rewritten by collectstatic), else the source the finders serve."""
    return _integrity(static(name), name)


@lru_cache(maxsize=64)
def _integrity(url: str, name: str) -> str:
    stored = url.removeprefix(settings.STATIC_URL).split("?", 1)[0]
    if stored != name:  # a hashed URL: the manifest storage's collected file
        with staticfiles_storage.open(stored) as f:
            content = f.read()
    else:
        source = finders.find(name)
        if not source:
            raise ValueError(f"static file {name!r} not found")
        with open(source, "rb") as f:
            content = f.read()
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()
