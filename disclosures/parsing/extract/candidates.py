"""Candidates for one figure, from tables and prose, and how one is chosen.

Every extractor proposes :class:`Candidate` values with a rank (lower is more
trustworthy): a row of the department's 收支总表 outranks the 财政拨款 table (its
funding-source rows; its totals only where all funds are 财政拨款), which outranks a
sentence. The best-ranked candidate wins; a sentence that disagrees with
the table figure raises a ``prose_vs_table`` check, two tables of the same standing
that disagree raise ``tables_disagree``. Nothing is averaged or guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..types import Check, Source

__all__ = ["RANK_PROSE", "RANK_PROSE_WEAK", "Candidate", "Pool"]

RANK_TABLE = 1
RANK_TABLE_FISCAL = 2
RANK_PROSE = 3
# A sentence about a narrower scope (财政拨款, 一般公共预算) or outside the section
# where the figure belongs: used only when nothing better exists, never compared.
RANK_PROSE_WEAK = 5

_TOLERANCE = Decimal("0.005")


@dataclass(frozen=True, slots=True)
class Candidate:
    key: str  # "totals.grand_total", "three_public.total", "assets.vehicles"
    value: Decimal
    rank: int
    source: Source
    origin: str  # "table" | "prose"


class Pool:
    """Collects candidates per key and resolves them."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[Candidate]] = defaultdict(list)
        self.checks: list[Check] = []

    def add(self, key: str, value: Decimal | None, rank: int, source: Source, origin: str) -> None:
        if value is None:
            return
        self._by_key[key].append(Candidate(key, value, rank, source, origin))

    def has(self, key: str, max_rank: int = 99) -> bool:
        return any(c.rank <= max_rank for c in self._by_key.get(key, ()))

    def best(self, key: str) -> Candidate | None:
        cands = self._by_key.get(key)
        if not cands:
            return None
        # Stable sort: ties keep document order (the first statement wins).
        return sorted(cands, key=lambda c: c.rank)[0]

    def value(self, key: str) -> Decimal | None:
        best = self.best(key)
        return best.value if best else None

    def candidates(self, key: str) -> list[Candidate]:
        return list(self._by_key.get(key, ()))

    def discard(self, key: str) -> None:
        self._by_key.pop(key, None)

    def keys(self) -> list[str]:
        return list(self._by_key)

    def corroborated(self) -> set[str]:
        """Keys whose chosen value is stated again, independently (another table cell or
        a sentence elsewhere), with the same amount: the two statements confirm it."""
        out: set[str] = set()
        for key, cands in self._by_key.items():
            best = self.best(key)
            if best is None or key.startswith("_"):
                continue
            where = (best.source.page, best.source.block, best.source.row, best.source.text)
            for other in cands:
                elsewhere = (other.source.page, other.source.block, other.source.row)
                if (
                    other is not best
                    and abs(other.value - best.value) <= _TOLERANCE
                    and (*elsewhere, other.source.text) != where
                ):
                    out.add(key)
                    break
        return out

    def resolve(self) -> tuple[dict[str, Decimal], dict[str, Source]]:
        """Choose one value per key; record disagreements as checks."""
        values: dict[str, Decimal] = {}
        sources: dict[str, Source] = {}
        for key, cands in self._by_key.items():
            best = self.best(key)
            assert best is not None
            values[key] = best.value
            sources[key] = best.source
            reported: set[Decimal] = set()
            # Internal keys ("_fiscal.grand_total") report on the figure they mirror.
            path = "totals." + key.split(".", 1)[1] if key.startswith("_") else key
            scope = "财政拨款" if key.startswith("_fiscal") else ""
            for other in cands:
                if other is best or abs(other.value - best.value) <= _TOLERANCE:
                    continue
                if other.value in reported:
                    continue
                if best.origin == "table" and other.origin == "prose" and other.rank <= RANK_PROSE:
                    reported.add(other.value)
                    self.checks.append(
                        Check(
                            "warning",
                            "prose_vs_table",
                            f"说明文字写{scope} {_fmt(other.value)} 万元（“{_short(other.source.text)}”），"
                            f"表格为 {_fmt(best.value)} 万元；采用表格数。",
                            path,
                        )
                    )
                elif best.origin == other.origin and best.rank == other.rank:
                    reported.add(other.value)
                    rule = "tables_disagree" if best.origin == "table" else "prose_disagree"
                    self.checks.append(
                        Check(
                            "warning",
                            rule,
                            f"同一数字有两个不同的值：{_fmt(best.value)}（采用，"
                            f"“{_short(best.source.text)}”）与 {_fmt(other.value)}"
                            f"（“{_short(other.source.text)}”）。",
                            path,
                        )
                    )
        return values, sources


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
