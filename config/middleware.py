"""Simplified Chinese is the default language; English is chosen with the switch only."""

from __future__ import annotations


class IgnoreAcceptLanguageMiddleware:
    """Drop the browser's Accept-Language so LocaleMiddleware falls back to LANGUAGE_CODE
    (zh-hans) unless the visitor picked a language with the switch (a cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
