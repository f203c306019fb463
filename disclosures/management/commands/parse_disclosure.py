"""manage.py parse_disclosure PATH [--json]: print what the parser reads from one file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disclosures import parsing


class Command(BaseCommand):
    help = "Parse one disclosure file and print the disclosure/1 JSON on standard output."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--json", action="store_true", help="print JSON (the default and only output format)"
        )
        parser.add_argument("--indent", type=int, default=1)

    def handle(self, *args, path: Path, indent: int, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
        try:
            result = parsing.parse(data, path.name)
        except parsing.ParseError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=indent) + "\n")
