"""Load the reference data shipped with the parser: regions (gazetteer) and the
classification dictionary with the name each edition year gave (ClassificationName).
Safe to run again: rows are upserted by code (and by code and edition year)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from disclosures.models import Region
from disclosures.parsing import gazetteer
from disclosures.services.dictionary import load_reference_dictionary


class Command(BaseCommand):
    help = "Load administrative divisions into Region and the classification dictionary."

    def handle(self, *args, **options):
        with transaction.atomic():
            regions = self._regions()
            dictionary = load_reference_dictionary()
        self.stdout.write(
            f"regions: {regions}, classification codes: {dictionary.codes} "
            f"({dictionary.codes_added} new), names by edition: {dictionary.names} "
            f"({dictionary.names_added} new, {dictionary.names_changed} changed, "
            f"{dictionary.names_removed} removed)"
        )

    def _regions(self) -> int:
        existing = {r.code: r for r in Region.objects.exclude(code=None)}
        rows = list(gazetteer.iter_divisions())
        for level in ("province", "city", "county"):  # parents before children
            new = []
            for code, name, row_level, parent_code in rows:
                if row_level != level:
                    continue
                parent = existing.get(parent_code) if parent_code else None
                region = (
                    existing.get(code)
                    or Region.objects.filter(parent=parent, name=name, code=None).first()
                )  # made by a parse earlier
                if region is None:
                    new.append(Region(code=code, name=name, level=level, parent=parent))
                    continue
                if (region.code, region.name, region.level, region.parent_id) != (
                    code,
                    name,
                    level,
                    parent.pk if parent else None,
                ):
                    region.code, region.name, region.level, region.parent = (
                        code,
                        name,
                        level,
                        parent,
                    )
                    region.save()
                existing[code] = region
            for region in Region.objects.bulk_create(new, batch_size=1000):
                existing[region.code] = region
        return len(rows)
