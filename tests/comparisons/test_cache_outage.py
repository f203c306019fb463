"""The cache is an optimisation: with it unreachable, public pages and corrections work."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.urls import reverse

from disclosures import services
from disclosures.choices import Publication

from ..factories import make_department, make_disclosure, make_region

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def dead_cache(settings):
    settings.CACHES = DEAD_REDIS  # Django's setting_changed handler resets the cache handler


def test_pages_and_corrections_work_with_the_cache_down(dead_cache, client, staff_user):
    with pytest.raises(Exception):  # noqa: B017 - any client error proves it is down
        caches["default"].get("probe")
    dept = make_department(region=make_region("南充市", code="511300"))
    d = make_disclosure(
        dept,
        totals={"expenditure_total": "300"},
        items=[("208", "社会保障和就业支出", "300"), ("20801", "人力资源", "300")],
    )
    d.publication = Publication.PUBLISHED
    d.save()
    page = client.get(reverse("comparisons:department_detail", args=[dept.pk]))
    assert page.status_code == 200 and 'id="treemap"' in page.content.decode()
    services.correct(d, "totals.expenditure_total", "301", reason="核对", user=staff_user)
    assert d.figures.get(key="expenditure_total").value == 301
    page = client.get(reverse("comparisons:department_detail", args=[dept.pk]))
    assert "301.00" in page.content.decode()
