"""Government expenditure classification (政府收支分类科目): code ↔ name look-ups.

Pure Python (no Django). Functional classification (支出功能分类: 类 3 digits, 款 5, 项 7) and
economic classification (部门预算支出经济分类 301-399 and the few 政府预算支出经济分类 501-599
codes found; 类 3 digits, 款 5). The data is ``data/classification.tsv``.

WARNING: the dictionary is PARTIAL (see :data:`SOURCE` and the data file's header): it
holds the codes found in Yujue's sample disclosures and in public code excerpts, not the
Ministry of Finance's complete list (no complete machine-readable edition could be
found). ``None`` from a look-up therefore means
"not in this dictionary", not "not a valid code"; callers must not reject codes because of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = [
    "SOURCE",
    "economic_name",
    "functional_code_for_name",
    "functional_name",
    "is_known_functional",
    "iter_economic",
    "iter_functional",
    "normalise_name",
]

SOURCE = (
    "PARTIAL dictionary (150 codes) built from Yujue's sample disclosures "
    "(disclosures/samples/expected, 2019-2024 人社局 budgets/final accounts) and public GitHub "
    "files found with the search tool's index (a 2024 budget-row test fixture; a 部门预算支出经济分类 "
    "301xx-310xx table; a 类-code → 支出 row mapping 201-221; budget-system mock/test data); "
    "every row names its source in data/classification.tsv. No complete machine-readable edition "
    "of the MOF 《政府收支分类科目》 was found, so most 款/项 and 304-399/5xx codes are missing"
)

_DATA_FILE = "classification.tsv"
_LEVELS = {3: "类", 5: "款", 7: "项"}


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Tables:
    functional: dict[str, _Entry]
    economic: dict[str, _Entry]
    functional_by_name: dict[str, tuple[str, ...]]


_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Full-width → half-width (NFKC), brackets unified to （）, spaces removed."""
    text = unicodedata.normalize("NFKC", name)
    text = _SPACES.sub("", text)
    return text.replace("(", "（").replace(")", "）")


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    functional: dict[str, _Entry] = {}
    economic: dict[str, _Entry] = {}
    by_name: dict[str, list[str]] = {}
    text = resources.files(__package__).joinpath("data", _DATA_FILE).read_text("utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        kind, code, name, aliases, _sources = line.split("\t")
        entry = _Entry(code, name, tuple(a for a in aliases.split("|") if a))
        if kind == "functional":
            functional[code] = entry
            for n in {normalise_name(name), *(normalise_name(a) for a in entry.aliases)}:
                by_name.setdefault(n, []).append(code)
        else:
            economic[code] = entry
    return _Tables(functional, economic, {k: tuple(sorted(v)) for k, v in by_name.items()})


def _clean_code(code: str | int | None) -> str:
    return "".join(str(code or "").split())


def functional_name(code: str | int) -> str | None:
    """Name of a 支出功能分类 code (3, 5 or 7 digits), or None if not in the dictionary."""
    entry = _tables().functional.get(_clean_code(code))
    return entry.name if entry else None


def economic_name(code: str | int) -> str | None:
    """Name of an economic classification code (3 or 5 digits; 3xx 部门, 5xx 政府), or None."""
    entry = _tables().economic.get(_clean_code(code))
    return entry.name if entry else None


def is_known_functional(code: str | int) -> bool:
    return _clean_code(code) in _tables().functional


def functional_code_for_name(name: str, parent_code: str | None = None) -> str | None:
    """The functional code whose name (or alias) is ``name``, only when exactly one matches.

    With ``parent_code`` (a 类 or 款 code) only codes under that parent count. Many 项
    names repeat across 款 (行政运行, 一般行政管理事务), so without a parent they are
    usually ambiguous and give None.
    """
    codes = _tables().functional_by_name.get(normalise_name(name), ())
    if parent_code:
        parent = _clean_code(parent_code)
        codes = tuple(c for c in codes if c.startswith(parent) and c != parent)
    return codes[0] if len(codes) == 1 else None


def _iter(table: dict[str, _Entry]) -> Iterator[tuple[str, str, str, str | None]]:
    for code in sorted(table):
        level = _LEVELS.get(len(code), "")
        parent = code[:-2] if len(code) > 3 else None
        yield code, table[code].name, level, parent


def iter_functional() -> Iterator[tuple[str, str, str, str | None]]:
    """Yield ``(code, name, level, parent_code)``; level is 类, 款 or 项."""
    return _iter(_tables().functional)


def iter_economic() -> Iterator[tuple[str, str, str, str | None]]:
    """Yield ``(code, name, level, parent_code)`` of the economic codes; level 类 or 款."""
    return _iter(_tables().economic)


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
