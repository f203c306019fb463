"""The data generation: one counter that retires every cached public drawing at once.

A finished parse, a correction or a publication bumps it; every cached chart or aggregate
uses it as the cache ``version``. The cache is an optimisation: when it is unreachable,
pages are drawn without it and the error is logged, never shown.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

log = logging.getLogger(__name__)

CACHE_GENERATION_KEY = "yujue:data-generation"


def bump_generation() -> None:
    """Invalidate every cached dashboard aggregate at once (used as the cache version)."""
    try:
        try:
            cache.incr(CACHE_GENERATION_KEY)
        except ValueError:
            cache.set(CACHE_GENERATION_KEY, 2, None)
    except Exception:  # the cache backend is down: nothing cached can be served stale either
        log.warning("could not bump the data generation", exc_info=True)


def data_generation() -> int | None:
    """The current generation; None when the cache cannot be reached."""
    try:
        return cache.get_or_set(CACHE_GENERATION_KEY, 1, None)
    except Exception:
        log.warning("cache unreachable; drawing without it", exc_info=True)
        return None
