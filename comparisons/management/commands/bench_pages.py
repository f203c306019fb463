"""Time the public pages against whatever data is loaded (e.g. the demo): a benchmark that
prints figures, not a test that asserts them."""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from disclosures.models import Department, Disclosure, LineItem, Region


class Command(BaseCommand):
    help = "Request every kind of public page N times and print median server time and queries."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=10)

    def handle(self, *args, repeat: int, **options):
        published = Disclosure.objects.published()
        department = Department.objects.filter(disclosures__in=published).first()
        code = (
            LineItem.objects.filter(
                disclosure__in=published, code__isnull=False, classification="functional"
            )
            .values_list("code", flat=True)
            .first()
        )
        region = Region.objects.filter(departments__disclosures__in=published).first()
        pages = [
            ("home", "/"),
            ("search", "/?q=人力资源"),
            ("compare", "/compare/?kind=budget&year=latest&code=208&normalisation=share"),
            ("completeness", "/completeness/"),
            ("classification", "/classification/"),
        ]
        if department:
            pages.append(("department", f"/departments/{department.pk}/"))
            pages.append(("api department list", "/api/departments"))
            first = published.filter(department=department).first()
            assert first is not None  # the department was picked for a published disclosure
            pages.append(("api disclosure", f"/api/disclosures/{first.pk}"))
        if code:
            pages.append(("classification code", f"/classification/{code}/"))
        if region:
            pages.append(("region", f"/regions/{region.pk}/"))
        client = Client(HTTP_HOST="localhost")
        self.stdout.write(f"{'page':24} {'median ms':>10} {'max ms':>8} {'queries':>8}  url")
        for name, url in pages:
            times = []
            for _ in range(repeat):
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            self.stdout.write(
                f"{name:24} {statistics.median(times):10.1f} {max(times):8.1f} "
                f"{len(queries):8d}  {url}"
            )
