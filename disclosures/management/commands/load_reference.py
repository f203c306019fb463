"""Load the reference data shipped with the parser: regions (gazetteer) and the
classification dictionary. Safe to run again: rows are upserted by code."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from disclosures.choices import Classification
from disclosures.models import ClassificationCode, Region, classification_level
from disclosures.parsing import classification, gazetteer


class Command(BaseCommand):
    help = "Load administrative divisions into Region and the classification dictionary."

    def handle(self, *args, **options):
        with transaction.atomic():
            regions = self._regions()
            codes = self._classification()
        self.stdout.write(f"regions: {regions}, classification codes: {codes}")

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

    def _classification(self) -> int:
        count = 0
        for system, rows in (
            (Classification.FUNCTIONAL, classification.iter_functional()),
            (Classification.ECONOMIC, classification.iter_economic()),
        ):
            for code, name, level, parent_code in rows:
                ClassificationCode.objects.update_or_create(
                    system=system,
                    code=code,
                    defaults={
                        "name": name,
                        "level": _level(level, code),
                        "parent_code": parent_code or "",
                    },
                )
                count += 1
        return count


def _level(level: str | int, code: str) -> int:
    if isinstance(level, int):
        return level
    return {"类": 1, "款": 2, "项": 3}.get(level) or classification_level(code) or 0
