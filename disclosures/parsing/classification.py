"""Government expenditure classification (政府收支分类科目): code ↔ name look-ups by edition.

Pure Python (no Django). Functional classification (支出功能分类: 类 3 digits, 款 5, 项 7) and
economic classification (部门预算支出经济分类 301-399 and the few 政府预算支出经济分类 501-599
codes found; 类 3 digits, 款 5). The data is ``data/classification/`` — a byte-for-byte copy of
the team's ``../shared/classification`` (its README says where every row comes from):
``functional.tsv`` and ``economic.tsv`` (one row per code: newest name, other names, sources)
and ``by_edition.tsv`` (the name each edition year printed, with its sources).

WARNING: the dictionary is PARTIAL (see :data:`SOURCE`): no complete machine-readable edition
of the Ministry of Finance's list could be found. ``None`` from a look-up therefore means "not
in this dictionary", not "not a valid code"; callers must not reject codes because of it.

Editions. Names change between editions (20805 行政事业单位离退休 → 行政事业单位养老支出 from
2020), so every look-up is made for a fiscal year: the name comes from the nearest edition at or
before that year (the newest edition for a year after it; the oldest known one after it for a
code no earlier edition has). The 2008-era edition (:data:`HISTORICAL_EDITIONS`, vendor demo
data) is *historical*: for a document of a modern year (:data:`MODERN_FROM` on) it only counts
for a code no modern edition has — it names a code a document prints, and (only when
:data:`HISTORICAL_NAMES_FOR_MODERN_YEARS` is on) maps a name to a code within a known parent
when no modern edition disagrees — and never replaces a modern name. One definition of that
order: :func:`edition_rank`, which the Django side uses too.

The year is an argument of each look-up, or set for a whole extraction with
``with edition(fiscal_year): …``; without either, look-ups use the newest edition.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = [
    "FILES",
    "HISTORICAL_EDITIONS",
    "HISTORICAL_NAMES_FOR_MODERN_YEARS",
    "MODERN_FROM",
    "SOURCE",
    "EditionName",
    "economic_name",
    "edition",
    "edition_rank",
    "edition_years",
    "editions",
    "functional_code_for_name",
    "functional_name",
    "is_known_functional",
    "iter_economic",
    "iter_editions",
    "iter_functional",
    "load",
    "normalise_name",
]

SOURCE = (
    "PARTIAL dictionary (1,592 functional codes: 26 类, 221 款, 1,345 项; 147 economic codes) "
    "assembled from public documents: 2017-2019 Jiangsu and 2024/2026 Shanghai Putuo department "
    "budgets and final accounts, Yujue's sample disclosures (2019-2024), archived web pages, and "
    "the 2008-era edition in a vendor's demo data (1,444 functional and 44 economic rows known "
    "only from it: historical). Every row names its source in data/classification/. No complete "
    "machine-readable edition of the MOF 《政府收支分类科目》 was found: most current 款/项 "
    "and the 2018+ economic 类 307-313/399 and 503-599 are missing"
)

_DATA = ("data", "classification")
_LEVELS = {3: "类", 5: "款", 7: "项"}
FUNCTIONAL, ECONOMIC = "functional", "economic"

HISTORICAL_EDITIONS = frozenset({2008})
"""Editions known only from the 2008-era vendor data (README of data/classification): valid
for documents before :data:`MODERN_FROM`, a last resort after it."""


@dataclass(frozen=True, slots=True)
class EditionName:
    """The name one edition (year of the documents that printed it; None = undated source)
    gives a code, the other spellings printed that year, and the sources."""

    kind: str  # "functional" | "economic"
    code: str
    edition: int | None
    name: str
    variants: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def historical(self) -> bool:
        return self.edition in HISTORICAL_EDITIONS

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)

    @property
    def normalised(self) -> frozenset[str]:
        return frozenset(normalise_name(n) for n in self.names)


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    name: str  # the name in the newest edition that has the code
    aliases: tuple[str, ...]
    sources: tuple[str, ...]


_Listed = tuple[str, str, str, str | None]  # code, name, level (类/款/项), parent code


@dataclass(frozen=True, slots=True)
class _Tables:
    functional: dict[str, _Entry]
    economic: dict[str, _Entry]
    editions: dict[tuple[str, str], tuple[EditionName, ...]]  # (kind, code) → oldest first
    functional_by_name: dict[str, tuple[str, ...]]  # any name any edition gave → codes
    years: tuple[int, ...]  # dated editions, ascending
    # (kind, year) → {code: the edition naming it for that year}, filled as asked
    by_year: dict[tuple[str, int | None], dict[str, EditionName]] = field(default_factory=dict)
    # (kind, year, historical) → the rows iter_functional/iter_economic yield
    listed: dict[tuple[str, int | None, bool], tuple[_Listed, ...]] = field(default_factory=dict)


_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Full-width → half-width (NFKC), brackets unified to （）, spaces removed."""
    text = unicodedata.normalize("NFKC", name)
    text = _SPACES.sub("", text)
    return text.replace("(", "（").replace(")", "）")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x for x in cell.split("|") if x)


def _rows(text: str) -> Iterator[list[str]]:
    for line in text.splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


FILES = ("functional.tsv", "economic.tsv", "by_edition.tsv")


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    folder = resources.files(__package__).joinpath(*_DATA)
    return load({name: folder.joinpath(name).read_text("utf-8") for name in FILES})


def load(texts: Mapping[str, str]) -> _Tables:
    """The dictionary from the contents of :data:`FILES` (the data folder's, or a made-up
    one in tests). Raises ValueError when a code has no edition row."""
    codes: dict[str, dict[str, _Entry]] = {FUNCTIONAL: {}, ECONOMIC: {}}
    for file in FILES[:2]:
        for kind, code, name, aliases, sources in _rows(texts[file]):
            codes[kind][code] = _Entry(code, name, _split(aliases), _split(sources))
    editions: dict[tuple[str, str], list[EditionName]] = {}
    for kind, year, code, name, variants, sources in _rows(texts[FILES[2]]):
        edition = int(year) if year.isdigit() else None
        row = EditionName(kind, code, edition, name, _split(variants), _split(sources))
        editions.setdefault((kind, code), []).append(row)
    missing = [(k, c) for k in codes for c in codes[k] if (k, c) not in editions]
    if missing:
        raise ValueError(f"codes without an edition row in {FILES[2]}: {missing[:5]}")
    by_name: dict[str, set[str]] = {}
    for code, entry in codes[FUNCTIONAL].items():
        rows = editions[(FUNCTIONAL, code)]
        for n in {*(n for r in rows for n in r.names), entry.name, *entry.aliases}:
            by_name.setdefault(normalise_name(n), set()).add(code)
    years = sorted({r.edition for rows in editions.values() for r in rows if r.edition})
    return _Tables(
        codes[FUNCTIONAL],
        codes[ECONOMIC],
        {k: tuple(sorted(v, key=_chronological)) for k, v in editions.items()},
        {k: tuple(sorted(v)) for k, v in by_name.items()},
        tuple(years),
    )


def _chronological(row: EditionName) -> tuple[bool, int]:
    return (row.edition is None, row.edition or 0)


def edition_years() -> tuple[int, ...]:
    """The dated editions in the dictionary, ascending (2008, 2017, …)."""
    return _tables().years


MODERN_FROM = 2017
"""The first modern edition year: from this fiscal year on, historical editions are a last
resort (checked against the data by the tests)."""


_NEWEST = 10_000  # the year "None" stands for: after every edition


def edition_rank(
    edition: int | None, year: int | None, *, historical: bool | None = None
) -> tuple[int, int]:
    """Sort key of an edition for a document of ``year`` (None = the newest): smaller is
    better. Dated editions at or before the year come first, nearest first; then dated
    editions after it, nearest first; then undated sources; a historical edition comes
    last for a modern year. ``historical`` overrides the edition-year test (the Django side
    marks rows itself)."""
    target = _NEWEST if year is None else year
    old = edition in HISTORICAL_EDITIONS if historical is None else historical
    if old and target >= MODERN_FROM:
        return (3, 0)
    if edition is None:
        return (2, 0)
    if edition <= target:
        return (0, target - edition)
    return (1, edition - target)


_YEAR: ContextVar[int | None] = ContextVar("classification_year", default=None)


@contextmanager
def edition(year: int | None) -> Iterator[None]:
    """Within the block, look-ups without an explicit year are made for ``year`` (a
    disclosure's fiscal year; None = the newest edition)."""
    token = _YEAR.set(year)
    try:
        yield
    finally:
        _YEAR.reset(token)


def _year(year: int | None) -> int | None:
    return year if year is not None else _YEAR.get()


def _clean_code(code: str | int | None) -> str:
    return "".join(str(code or "").split())


def editions(code: str | int, kind: str = FUNCTIONAL) -> tuple[EditionName, ...]:
    """Every edition's name for a code, oldest first, undated sources last."""
    return _tables().editions.get((kind, _clean_code(code)), ())


def _named_for_year(kind: str, year: int | None) -> dict[str, EditionName]:
    """Every code of ``kind`` with the edition that names it for ``year``."""
    tables = _tables()
    named = tables.by_year.get((kind, year))
    if named is None:
        named = {
            code: min(rows, key=lambda r: edition_rank(r.edition, year))
            for (k, code), rows in tables.editions.items()
            if k == kind
        }
        tables.by_year[(kind, year)] = named
    return named


def _for_year(kind: str, code: str | int, year: int | None) -> EditionName | None:
    return _named_for_year(kind, _year(year)).get(_clean_code(code))


def functional_name(code: str | int, year: int | None = None) -> str | None:
    """Name of a 支出功能分类 code (3, 5 or 7 digits) for a fiscal year (default: the
    :func:`edition` in effect, else the newest), or None if not in the dictionary."""
    row = _for_year(FUNCTIONAL, code, year)
    return row.name if row else None


def economic_name(code: str | int, year: int | None = None) -> str | None:
    """Name of an economic classification code (3 or 5 digits; 3xx 部门, 5xx 政府) for a
    fiscal year, or None."""
    row = _for_year(ECONOMIC, code, year)
    return row.name if row else None


def is_known_functional(code: str | int) -> bool:
    """The code is in some edition of the dictionary (a historical one counts)."""
    return _clean_code(code) in _tables().functional


HISTORICAL_NAMES_FOR_MODERN_YEARS = False
"""The default of :func:`functional_code_for_name`'s ``historical``: whether a name known
only from a historical edition maps to its code for a modern year. Off: the data's README
calls those rows unverified for 2018+ documents and the parser never guesses, so such a
name stays code-less with a check for a person (who sees the code on the review screen).
The rule itself is written and tested; switching it on changes what the samples' narrative
items resolve to (their expected values must say so first)."""


def functional_code_for_name(
    name: str,
    parent_code: str | None = None,
    year: int | None = None,
    *,
    historical: bool | None = None,
) -> str | None:
    """The functional code whose name is ``name`` for a fiscal year, only when exactly one
    matches; None otherwise.

    With ``parent_code`` (a 类 or 款 code) only codes under that parent count: many 项
    names repeat across 款 (行政运行, 一般行政管理事务, 其他…支出), so without a parent
    they are ambiguous and give None.

    In order, the first kind of match that exists decides (and must be unique):

    1. the name the year's edition gives the code (its nearest edition, :func:`edition_rank`);
    2. a name a modern edition gave the code in another year (a document printing last
       year's name: 行政事业单位离退休 for 20805 in 2020). A name only a historical edition
       gave a code that modern editions name otherwise never maps for a modern year (216
       粮油物资储备… became 商业服务业等支出).

    For a modern year, a code known only from a historical edition is *unverified* (the
    modern editions found are far from complete: it may still exist under that name). One
    that has the name makes the look-up give None, unless ``historical`` (default
    :data:`HISTORICAL_NAMES_FOR_MODERN_YEARS`) — then it counts as a match, found only
    within a known parent (or as a 类), and must be the only match.

    For a year before :data:`MODERN_FROM` the historical edition is the year's edition.
    """
    wanted = normalise_name(name)
    candidates = _tables().functional_by_name.get(wanted, ())
    if parent_code:
        parent = _clean_code(parent_code)
        candidates = tuple(c for c in candidates if c.startswith(parent) and c != parent)
    target = _year(year)
    modern = (target if target is not None else _NEWEST) >= MODERN_FROM
    current: list[str] = []
    former: list[str] = []
    unverified: list[str] = []
    named = _named_for_year(FUNCTIONAL, target)
    for code in candidates:
        best = named[code]
        if modern and best.historical:  # no modern edition has the code
            unverified.append(code)
        elif wanted in best.normalised:
            current.append(code)
        elif any(wanted in r.normalised and not (modern and r.historical) for r in editions(code)):
            former.append(code)
    found = current or former
    if unverified:
        if historical is None:
            historical = HISTORICAL_NAMES_FOR_MODERN_YEARS
        if not historical:
            return None  # a code of that name may still exist: the modern list is partial
        if not (parent_code or found or all(len(c) == 3 for c in unverified)):
            return None
        found = found + unverified
    return found[0] if len(found) == 1 else None


def _iter(kind: str, year: int | None, historical: bool | None) -> Iterator[_Listed]:
    tables = _tables()
    target = _year(year)
    if historical is None:
        historical = HISTORICAL_NAMES_FOR_MODERN_YEARS
    key = (kind, target, historical)
    listed = tables.listed.get(key)
    if listed is None:
        table = tables.functional if kind == FUNCTIONAL else tables.economic
        named = _named_for_year(kind, target)
        shown = set(table)
        if target is not None and target >= MODERN_FROM and not historical:
            # Unverified codes only where they make a modern name ambiguous.
            verified = {c for c in table if not named[c].historical}
            modern_names = {n for c in verified for n in named[c].normalised}
            shown = verified | {c for c in table if named[c].normalised & modern_names}
        listed = tuple(
            (
                code,
                named[code].name,
                _LEVELS.get(len(code), ""),
                code[:-2] if len(code) > 3 else None,
            )
            for code in sorted(shown)
        )
        tables.listed[key] = listed
    return iter(listed)


def iter_functional(
    year: int | None = None, *, historical: bool | None = None
) -> Iterator[tuple[str, str, str, str | None]]:
    """Yield ``(code, name, level, parent_code)``; level is 类, 款 or 项.

    Without a year (argument or :func:`edition` in effect): every code, by its newest name.
    For a year, by the year's name, the codes a name may map to in that year (see
    :func:`functional_code_for_name`): for a modern year without ``historical``, a code
    known only from a historical edition is listed only when a modern code has its name, so
    that the name is ambiguous, never the only answer."""
    return _iter(FUNCTIONAL, year, historical)


def iter_economic(
    year: int | None = None, *, historical: bool | None = None
) -> Iterator[tuple[str, str, str, str | None]]:
    """Yield ``(code, name, level, parent_code)`` of the economic codes; level 类 or 款
    (a year as in :func:`iter_functional`)."""
    return _iter(ECONOMIC, year, historical)


def iter_editions() -> Iterator[EditionName]:
    """Every (kind, code, edition) name of the dictionary, functional first, by code."""
    tables = _tables()
    for key in sorted(tables.editions):
        yield from tables.editions[key]


LEVEL_BY_LENGTH = {3: 1, 5: 2, 7: 3}


def classification_level(code: str | None) -> int | None:
    """1 for a 类 (3 digits), 2 for a 款 (5), 3 for a 项 (7); None for anything else.

    The one definition of a code's level, used by the parser, the stored line items and
    the public pages alike."""
    if not code or not code.isdigit():
        return None
    return LEVEL_BY_LENGTH.get(len(code))


def parent_code(code: str) -> str | None:
    """The code one level up (2080101 → 20801 → 208), None for a 类."""
    level = classification_level(code)
    return code[:-2] if level and level > 1 else None
