"""Matching what a document names to records: departments and regions."""

from __future__ import annotations

from django.db import connection

from .. import parsing
from ..choices import RegionLevel
from ..models import Department, Region

MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}


def ensure_region(region: parsing.types.Region) -> Region | None:
    """The Region row for a parsed region: by division code when the gazetteer is loaded,
    else found or created by names (province → city → county)."""
    if region.code:
        found = Region.objects.filter(code=region.code).first()
        if found is not None:
            return found
    parent: Region | None = None
    for level, name in (
        (RegionLevel.PROVINCE, region.province),
        (RegionLevel.CITY, region.city),
        (RegionLevel.COUNTY, region.county),
    ):
        if not name or (parent is not None and parent.name == name):
            continue  # 重庆市 is both province and city: one row
        parent, _created = Region.objects.get_or_create(
            parent=parent, name=name, defaults={"level": level}
        )
    if parent is not None and region.code and not parent.code:
        parent.code = region.code
        parent.save(update_fields=["code"])
    return parent


def department_category(name: str, region: Region | None) -> str:
    """The kind of department, e.g. 人力资源和社会保障局, from its name minus the place."""
    rest = name
    chain: list[str] = []
    node = region
    while node is not None:
        chain.insert(0, node.name)
        node = node.parent
    for part in chain:
        if rest.startswith(part):
            rest = rest[len(part) :]
    return rest[:64]


def match_department(name: str | None, region: parsing.types.Region) -> Department | None:
    """The department a parsed name refers to: by name or alias, else a new record."""
    if not name:
        return None
    found = find_department(name)
    if found is not None:
        return found
    place = ensure_region(region)
    return Department.objects.create(
        name=name[:128], region=place, category=department_category(name, place)
    )


def find_department(text: str) -> Department | None:
    """An existing department by exact name or alias (the review screen's suggestion box)."""
    text = (text or "").strip()
    if not text:
        return None
    found = Department.objects.filter(name=text).first()
    if found is not None:
        return found
    if connection.vendor == "postgresql":  # jsonb containment uses the GIN-able operator
        return Department.objects.filter(aliases__contains=[text]).first()
    # SQLite (the embedded default) has no JSON containment lookup: aliases are few.
    return next((d for d in Department.objects.exclude(aliases=[]) if text in d.aliases), None)


def find_region(text: str) -> Region | None:
    """A region by its full name ("重庆市南岸区", "四川省南充市") or a unique short name."""
    text = (text or "").strip()
    if not text:
        return None
    candidates = list(Region.objects.filter(name=text).select_related("parent", "parent__parent"))
    if len(candidates) == 1:
        return candidates[0]
    for region in Region.objects.filter(
        name__in=[text[i:] for i in range(len(text))]
    ).select_related("parent", "parent__parent"):
        if region.full_name == text or "".join(r.name for r in region.ancestors_and_self()) == text:
            return region
    return None
