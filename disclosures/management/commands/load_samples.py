"""Load the sample disclosures through the real upload → task → store path."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from disclosures import services
from disclosures.models import Disclosure

SAMPLES_DIR = Path(settings.BASE_DIR) / "disclosures" / "samples"


class Command(BaseCommand):
    help = (
        "Upload the five sample disclosures (disclosures/samples) as files, parse them "
        "through the task path, and optionally publish them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            default="pdf",
            choices=["pdf", "txt", "docx"],
            help="which rendering of each sample to upload (default pdf)",
        )
        parser.add_argument(
            "--publish", action="store_true", help="publish every sample that parsed"
        )
        parser.add_argument("--dir", type=Path, default=SAMPLES_DIR)
        parser.add_argument(
            "--wait",
            type=int,
            default=300,
            help="seconds to wait for workers before publishing (default 300)",
        )

    def handle(self, *args, format: str, publish: bool, dir: Path, wait: int, **options):
        base = dir / "fixtures" if format != "txt" else dir
        paths = sorted(base.glob(f"*.{format}"))
        if not paths:
            raise CommandError(f"no *.{format} samples in {base}")
        for path in paths:
            with path.open("rb") as fh:
                outcome = services.ingest_upload(fh, path.name)
            disclosure = self._wait(outcome.disclosure.pk, wait if publish else 0)
            if publish and disclosure.needs_review:
                # The demo shows every sample; any failed check is acknowledged and the
                # public pages say "published with known inconsistencies".
                services.publish(disclosure, acknowledge_errors=True)
                disclosure.refresh_from_db()
            state = "new" if outcome.created else "already loaded"
            self.stdout.write(
                f"{path.name}: {state}, {disclosure.get_status_display()} "
                f"{disclosure.detected_department} {disclosure.fiscal_year or ''}"
                f"{' ' + disclosure.error_message if disclosure.error_code else ''}"
            )

    @staticmethod
    def _wait(pk: int, seconds: int) -> Disclosure:
        """With a broker, workers parse in the background: wait so we can publish."""
        deadline = time.monotonic() + seconds
        while True:
            disclosure = Disclosure.objects.get(pk=pk)
            if disclosure.is_finished or time.monotonic() >= deadline:
                return disclosure
            time.sleep(0.5)
