"""The data generation: one counter that retires every cached public drawing at once.

A finished parse, a correction or a publication bumps it; every cached chart or aggregate
uses it as the cache ``version``. The cache is an optimisation: when it is unreachable,
pages are drawn without it and the error is logged, never shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar, cast

from django.core.cache import cache

log = logging.getLogger(__name__)

CACHE_GENERATION_KEY = "yujue:data-generation"
T = TypeVar("T")


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


def cached(key: str, compute: Callable[[], T], timeout: int = 3600) -> T:
    """``compute()``'s result, cached under ``key`` for the current data generation.

    With the cache down the result is computed and returned all the same: a page never
    fails because an optimisation did."""
    generation = data_generation()
    if generation is None:
        return compute()
    try:
        hit = cache.get(key, version=generation)
    except Exception:
        log.warning("cache read failed for %s", key, exc_info=True)
        return compute()
    if hit is not None:
        return cast(T, hit)
    value = compute()
    try:
        cache.set(key, value, timeout=timeout, version=generation)
    except Exception:
        log.warning("cache write failed for %s", key, exc_info=True)
    return value
