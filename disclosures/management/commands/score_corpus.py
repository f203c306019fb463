"""manage.py score_corpus DIR: the parser's accuracy on a folder of documents with expected
values (see disclosures/parsing/score.py and the README)."""

from __future__ import annotations

import io

from django.core.management.base import BaseCommand, CommandError, CommandParser

from disclosures.parsing import score


class Command(BaseCommand):
    help = "Score the parser on documents with hand-checked values (<name>.json beside each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory")
        parser.add_argument("--threshold", type=float, default=0.98)
        parser.add_argument("--max-silent", type=int, default=0)
        parser.add_argument("--verbose", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        argv = [str(options["directory"]), "--threshold", str(options["threshold"])]
        argv += ["--max-silent", str(options["max_silent"])]
        if options["verbose"]:
            argv.append("--verbose")
        report = io.StringIO()
        status = score.main(argv, out=report)
        self.stdout.write(report.getvalue(), ending="")
        if status:
            raise CommandError(
                "the corpus scores under the threshold (see above)", returncode=status
            )
