"""Import an official edition of 《政府收支分类科目》: ``import_classification PATH --edition YEAR``.

PATH is an .xlsx (first sheet) or .csv file with the columns code, name and optionally level
(类/款/项 or 1/2/3), found by their header (科目编码/代码/code, 科目名称/name, 级次/level) or,
without a header, in that order. Each code gets the file's name as its official name for
YEAR; a summary says how many codes were added, renamed and unchanged (and which rows were
skipped, why). ``--dry-run`` only prints the summary. Safe to run again.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disclosures.choices import Classification
from disclosures.services.dictionary import import_edition, read_edition_file


class Command(BaseCommand):
    help = "Import an official classification edition (xlsx/csv: code, name, optional level)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--edition", type=int, required=True, help="the year the edition applies to"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change, write nothing"
        )
        parser.add_argument(
            "--system",
            choices=Classification.values,
            help="force the classification (default: from each code: 2… functional, "
            "3…/5… economic)",
        )
        parser.add_argument(
            "--verbose-rows", action="store_true", help="list every added and renamed code"
        )

    def handle(self, *args, path: Path, edition: int, dry_run: bool, system, **options):
        if not 1990 <= edition <= 2100:
            raise CommandError(f"--edition {edition}: not a fiscal year")
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            rows = read_edition_file(path)
        except (ValueError, OSError) as error:
            raise CommandError(str(error)) from error
        if not rows:
            raise CommandError(f"{path}: no rows with a code and a name")
        summary = import_edition(rows, edition, source=path.name, dry_run=dry_run, system=system)
        prefix = "dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}edition {edition} from {path.name}: "
            f"added {len(summary.added)}, renamed {len(summary.renamed)}, "
            f"unchanged {len(summary.unchanged)}, skipped {len(summary.skipped)}"
        )
        for _system, code, old, new in summary.renamed:
            self.stdout.write(f"  renamed {code}: {old} → {new}")
        if options["verbose_rows"]:
            for _system, code, name in summary.added:
                self.stdout.write(f"  added {code} {name}")
        for line, code, reason in summary.skipped:
            self.stdout.write(f"  skipped row {line} ({code or '—'}): {reason}")
