"""Re-queue disclosures that are stuck, failed, or (with --all) every stored file."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand

from disclosures import services
from disclosures.choices import Status
from disclosures.models import Disclosure


class Command(BaseCommand):
    help = "Re-queue stuck disclosures; --failed adds failed ones, --all re-parses everything."

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true")
        parser.add_argument("--all", action="store_true")
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            help="seconds in queued/parsing before a row counts as stuck",
        )

    def handle(self, *args, failed: bool, all: bool, older_than: int | None, **options):
        requeued = services.sweep_stuck(
            timedelta(seconds=older_than) if older_than is not None else None
        )
        extra = Disclosure.objects.none()
        if all:
            extra = Disclosure.objects.exclude(status__in=[Status.QUEUED, Status.PARSING])
        elif failed:
            extra = Disclosure.objects.filter(status=Status.FAILED)
        for disclosure in extra:
            services.reparse(disclosure)
            requeued.append(disclosure.pk)
        self.stdout.write(f"re-queued {len(requeued)} disclosure(s)")
