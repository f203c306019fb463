"""Score the parser on a corpus of real documents with hand-checked values.

    python -m disclosures.parsing.score DIR [--threshold 0.98] [--max-silent 0] [--verbose]
    python manage.py score_corpus DIR …          (the same, from the project)

Every document in DIR (recursively: .pdf .docx .xlsx .xls .html .htm .txt .md) that has
expected values is parsed and compared field by field. Expected values are the
``docs/extraction.md`` JSON shape, any subset of keys, in ``<name>.json`` beside the
document or in ``expected/<stem>.json`` in its folder or the folder above (the layout of
disclosures/samples). Per file it prints correct / missing / wrong, and a summary:

* **correct** — the parser gives the expected value (amounts within 0.005 万元);
* **missing** — the parser gives null where a value is expected (a person fills it);
* **wrong** — the parser gives a different value; **silent** counts the wrong values that
  no check names and whose provenance does not say "unconfirmed": those would reach a
  public page looking right, and the aim is zero.

The exit status is 1 when accuracy (correct / expected) is under ``--threshold`` or
silent wrong values exceed ``--max-silent``, so a bureau can keep a corpus of its own
province's reports and watch the parser's accuracy on it in CI.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import ParseError, parse

__all__ = ["FieldResult", "FileScore", "expected_for", "main", "score_dir", "score_document"]

SUFFIXES = {".pdf", ".docx", ".xlsx", ".xls", ".html", ".htm", ".txt", ".md"}
TOLERANCE = 0.005
FIGURE_GROUPS = ("totals", "three_public", "assets")
ITEM_GROUPS = ("functional", "economic")
ITEM_FIELDS = ("total", "basic", "project")


@dataclass(frozen=True)
class FieldResult:
    path: str
    expected: Any
    got: Any
    state: str  # "correct" | "missing" | "wrong"
    silent: bool = False  # wrong, and nothing tells a person so


@dataclass
class FileScore:
    name: str
    results: list[FieldResult] = field(default_factory=list)
    error: str | None = None  # the file could not be read at all
    confirmed: int = 0  # figures a holding check confirms (provenance)
    unconfirmed: int = 0  # figures no check confirms

    def count(self, state: str) -> int:
        return sum(1 for r in self.results if r.state == state)

    @property
    def silent(self) -> int:
        return sum(1 for r in self.results if r.silent)


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, int | float) and not isinstance(want, bool):
        return isinstance(got, int | float) and abs(float(got) - float(want)) <= TOLERANCE
    return bool(got == want)


def _flagged(path: str, got: dict[str, Any]) -> bool:
    """Whether a check or the provenance tells a person to look at ``path`` (a field path
    like ``totals.grand_total`` or ``functional.department[3]``)."""
    container = path.split("[")[0] if "[" in path else path.rsplit(".", 1)[0]
    for check in got.get("checks", []):
        where = check.get("path") or ""
        if where in (path, container):
            return True
    source = got.get("provenance", {}).get(path)
    return bool(source is not None and source.get("confirmed") is False)


def _result(path: str, want: Any, have: Any, got: dict[str, Any], flag_path: str) -> FieldResult:
    if _same(have, want):
        return FieldResult(path, want, have, "correct")
    if have is None:
        return FieldResult(path, want, have, "missing")
    return FieldResult(path, want, have, "wrong", silent=not _flagged(flag_path, got))


def score_document(got: dict[str, Any], want: dict[str, Any]) -> list[FieldResult]:
    """Compare a parsed disclosure (the JSON dict) with the expected values."""
    results: list[FieldResult] = []
    if "department" in want:
        names = [want["department"], *want.get("department_aliases", [])]
        have = got.get("department")
        if have in names:
            results.append(FieldResult("department", want["department"], have, "correct"))
        else:
            results.append(_result("department", want["department"], have, got, "department"))
    for key in ("fiscal_year", "kind"):
        if key in want:
            results.append(_result(key, want[key], got.get(key), got, key))
    for level, name in (want.get("region") or {}).items():
        if name is not None:
            have = (got.get("region") or {}).get(level)
            results.append(_result(f"region.{level}", name, have, got, "region"))
    for group in FIGURE_GROUPS:
        for key, value in (want.get(group) or {}).items():
            have = (got.get(group) or {}).get(key)
            results.append(_result(f"{group}.{key}", value, have, got, f"{group}.{key}"))
    for group in ITEM_GROUPS:
        for scope, items in (want.get(group) or {}).items():
            have_items = (got.get(group) or {}).get(scope) or []
            index = {i["code"]: n for n, i in enumerate(have_items) if i.get("code")}
            for item in items:
                code = item.get("code")
                n = index.get(code) if code else None
                mine = have_items[n] if n is not None else {}
                for part in ITEM_FIELDS:
                    if part in item and item[part] is not None:
                        path = f"{group}.{scope}.{code or item.get('name')}.{part}"
                        flag = f"{group}.{scope}[{n}]" if n is not None else f"{group}.{scope}"
                        results.append(_result(path, item[part], mine.get(part), got, flag))
    return results


def expected_for(document: Path) -> Path | None:
    """The expected-values file of ``document``, if there is one."""
    stem = document.name.split(".")[0]
    for candidate in (
        document.with_suffix(".json"),
        document.parent / "expected" / f"{stem}.json",
        document.parent.parent / "expected" / f"{stem}.json",
    ):
        if candidate.is_file():
            return candidate
    return None


def _documents(root: Path, all_documents: bool = False) -> Iterator[tuple[Path, Path | None]]:
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() in SUFFIXES and path.is_file() and "expected" not in path.parts:
            expected = expected_for(path)
            if expected is not None or all_documents:
                yield path, expected


def score_dir(root: Path, all_documents: bool = False) -> list[FileScore]:
    """Parse and score every document under ``root`` that has expected values (with
    ``all_documents``, the others too: they count only for the confirmed share)."""
    scores = []
    for path, expected in _documents(root, all_documents):
        score = FileScore(str(path.relative_to(root)))
        want = json.loads(expected.read_text("utf-8")) if expected else {}
        try:
            got = parse(path.read_bytes(), path.name).to_dict()
        except ParseError as exc:
            score.error = f"{exc.code}: {exc.message}"
            got = {}
        score.results = score_document(got, want)
        states = [v.get("confirmed") for v in got.get("provenance", {}).values()]
        score.confirmed = sum(1 for c in states if c is True)
        score.unconfirmed = sum(1 for c in states if c is False)
        scores.append(score)
    return scores


def main(argv: Sequence[str] | None = None, out: Any = None) -> int:
    out = out or sys.stdout
    ap = argparse.ArgumentParser(prog="score_corpus", description=__doc__.split("\n\n")[0])
    ap.add_argument("directory", type=Path)
    ap.add_argument("--threshold", type=float, default=0.98, help="minimum accuracy (0–1)")
    ap.add_argument("--max-silent", type=int, default=0, help="silent wrong values allowed")
    ap.add_argument("--verbose", action="store_true", help="list every missing/wrong field")
    ap.add_argument(
        "--all",
        action="store_true",
        help="also parse documents without expected values (for the confirmed share)",
    )
    args = ap.parse_args(argv)
    scores = score_dir(args.directory, all_documents=args.all)
    if not scores:
        print(f"no documents with expected values under {args.directory}", file=out)
        return 2
    width = max(len(s.name) for s in scores)
    print(f"{'file':{width}}  correct  missing  wrong  silent  confirmed", file=out)
    for s in scores:
        note = f"  unreadable: {s.error}" if s.error else ""
        print(
            f"{s.name:{width}}  {s.count('correct'):7d}  {s.count('missing'):7d}  "
            f"{s.count('wrong'):5d}  {s.silent:6d}  {s.confirmed:4d}/{s.confirmed + s.unconfirmed:<4d}"
            f"{note}",
            file=out,
        )
        if args.verbose:
            for r in s.results:
                if r.state != "correct":
                    mark = " SILENT" if r.silent else ""
                    print(f"    {r.state:7s} {r.path}: {r.got!r} ≠ {r.expected!r}{mark}", file=out)
    correct = sum(s.count("correct") for s in scores)
    total = sum(len(s.results) for s in scores)
    missing = sum(s.count("missing") for s in scores)
    wrong = sum(s.count("wrong") for s in scores)
    silent = sum(s.silent for s in scores)
    accuracy = correct / total if total else 0.0
    print(
        f"\n{len(scores)} files, {total} expected values: {correct} correct "
        f"({100 * accuracy:.1f} %), {missing} missing, {wrong} wrong ({silent} silent)",
        file=out,
    )
    stated = sum(s.confirmed + s.unconfirmed for s in scores)
    confirmed = sum(s.confirmed for s in scores)
    print(
        f"figures confirmed by a check: {confirmed} of {stated} "
        f"({100 * confirmed / stated if stated else 0:.1f} %)",
        file=out,
    )
    ok = (accuracy >= args.threshold or not total) and silent <= args.max_silent
    if not ok:
        print(
            f"FAILED: accuracy {100 * accuracy:.1f} % (threshold {100 * args.threshold:.1f} %), "
            f"{silent} silent wrong (allowed {args.max_silent})",
            file=out,
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
