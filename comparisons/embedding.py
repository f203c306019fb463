"""The one response other sites may put in a frame: the comparison chart with ``embed=1``.

Every other response carries ``X-Frame-Options: DENY`` (XFrameOptionsMiddleware) and the
Content-Security-Policy's ``frame-ancestors 'none'`` (settings.CONTENT_SECURITY_POLICY).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse


def frameable(response: HttpResponse) -> HttpResponse:
    """Let the sites in ``YUJUE_EMBED_ANCESTORS`` (default ``*``: any) frame ``response``."""
    response.xframe_options_exempt = True  # no X-Frame-Options header at all
    # What django-csp's @csp_replace sets: this response's frame-ancestors only.
    setattr(response, "_csp_replace", {"frame-ancestors": list(settings.YUJUE_EMBED_ANCESTORS)})  # noqa: B010
    return response
