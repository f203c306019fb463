"""The classification dictionary in the database: codes and the name each edition year gave.

* :func:`load_reference_dictionary` — the dictionary shipped with the parser
  (``disclosures/parsing/data/classification``: public documents by edition year, the
  2008-era edition as historical rows) into :class:`ClassificationCode` and
  :class:`ClassificationName`; safe to run again (``manage.py load_reference``).
* :func:`record_printed_codes` — when a disclosure is published, the codes its own tables
  print join the dictionary with that disclosure as their source, for its fiscal year.
* :func:`import_edition` / :func:`read_edition_file` — an official edition an admin has
  (xlsx/csv: code, name, optional level; ``manage.py import_classification``).
* :func:`name_for_year`, :func:`names_for_years`, :func:`names_by_year` — which name counts
  for a year, for the public pages.

Which name counts for a fiscal year: the nearest edition at or before it, the parser's one
definition (``classification.edition_rank``: the newest for a later year; a historical row
only when no modern one has the code, for a 2017+ year); within one edition year an official
edition, then published disclosures (the name most of them print), then the shipped
reference. A disclosure's names count while it is published. ``ClassificationCode.name`` is
the name for the newest year (:func:`refresh_current_names`).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext as _

from ..choices import Classification, Origin
from ..models import (
    ClassificationCode,
    ClassificationName,
    Disclosure,
    NameOrigin,
    classification_level,
    parent_code,
    published_q,
)
from ..parsing import classification as parser_dictionary

_ORIGIN_ORDER = {NameOrigin.OFFICIAL: 0, NameOrigin.DISCLOSURE: 1, NameOrigin.REFERENCE: 2}


# ------------------------------------------------------------------------------ reading


def live_names(
    codes: Iterable[ClassificationCode] | None = None,
) -> QuerySet[ClassificationName]:
    """Names that count: the shipped and imported ones, and those of published disclosures."""
    qs = ClassificationName.objects.filter(Q(disclosure=None) | published_q("disclosure__"))
    if codes is not None:
        qs = qs.filter(code__in=codes)
    return qs


def _rank(row: ClassificationName, year: int | None) -> tuple[tuple[int, int], int]:
    return (
        parser_dictionary.edition_rank(row.edition, year, historical=row.historical),
        _ORIGIN_ORDER[NameOrigin(row.origin)],
    )


def name_for_year(rows: Sequence[ClassificationName], year: int | None) -> str | None:
    """The name ``rows`` (one code's live names) give for a fiscal year (None = newest)."""
    if not rows:
        return None
    top = min(_rank(r, year) for r in rows)
    # several published disclosures of the year: the name most of them print, else the first
    best = Counter(r.name for r in sorted(rows, key=lambda r: r.pk or 0) if _rank(r, year) == top)
    return best.most_common(1)[0][0]


def code_names(system: str, code: str) -> tuple[str | None, list[ClassificationName]]:
    """A code's current name (None when not in the dictionary) and its live names, in one
    query (the public pages count their queries)."""
    live = ExpressionWrapper(
        Q(names__disclosure=None) | published_q("names__disclosure__"),
        output_field=BooleanField(),
    )
    fields = ("pk", "edition", "name", "origin", "historical")
    found = (
        ClassificationCode.objects.filter(system=system, code=code)
        .annotate(live=live)
        .values("name", "live", *(f"names__{f}" for f in fields))
    )
    current: str | None = None
    rows = []
    for row in found:
        current = row["name"]
        if row["names__pk"] is not None and row["live"]:
            rows.append(ClassificationName(**{f: row[f"names__{f}"] for f in fields}))
    return current, rows


def names_for_years(rows: Sequence[ClassificationName], years: Iterable[int]) -> dict[int, str]:
    """{year: the name ``rows`` give for that year} for the years that have one."""
    out = {}
    for year in sorted(set(years)):
        name = name_for_year(rows, year)
        if name is not None:
            out[year] = name
    return out


def describe_names(names: dict[int, str]) -> str | None:
    """ "科目名称随年度变化：2017—2019年为“行政事业单位离退休”，2020年起为“行政事业单位养老支出”"
    for {year: name} that differ across the years; None when one name covers them all."""
    if len(set(names.values())) < 2:
        return None
    spans: list[tuple[int, int, str]] = []
    for year in sorted(names):
        if spans and spans[-1][2] == names[year]:
            spans[-1] = (spans[-1][0], year, names[year])
        else:
            spans.append((year, year, names[year]))
    parts = []
    for i, (first, last, name) in enumerate(spans):
        if i == len(spans) - 1:
            when = _("%(year)s年起") % {"year": first}
        elif first == last:
            when = _("%(year)s年") % {"year": first}
        else:
            when = _("%(first)s—%(last)s年") % {"first": first, "last": last}
        parts.append(_("%(when)s为“%(name)s”") % {"when": when, "name": name})
    return _("科目名称随年度变化：%(spans)s") % {"spans": _("，").join(parts)}


@dataclass
class PrintedName:
    """One name of a code in one edition year, and every source that printed it."""

    name: str
    origins: list[str] = field(default_factory=list)  # NameOrigin values, best first
    sources: list[str] = field(default_factory=list)  # shipped source keys, imported files
    disclosures: list[Disclosure] = field(default_factory=list)
    historical: bool = False


@dataclass
class EditionNames:
    """The names printed for a code in one edition year (None = undated sources)."""

    year: int | None
    name: str  # the one that counts for the year
    names: list[PrintedName]
    historical: bool  # only the historical (2008-era) edition has it
    renamed_from: str | None = None  # the previous dated year's name, when it differs


def names_by_year(code: ClassificationCode) -> list[EditionNames]:
    """What each edition year printed for a code, oldest first, undated sources last; a year
    whose name differs from the previous year's says so."""
    rows = list(
        live_names([code])
        .select_related("disclosure", "disclosure__department")
        .order_by("edition", "pk")
    )
    by_year: dict[int | None, list[ClassificationName]] = defaultdict(list)
    for row in rows:
        by_year[row.edition].append(row)
    out: list[EditionNames] = []
    previous: str | None = None
    for year in sorted(by_year, key=lambda y: (y is None, y or 0)):
        group = sorted(by_year[year], key=lambda r: (_ORIGIN_ORDER[NameOrigin(r.origin)], r.pk))
        printed: dict[str, PrintedName] = {}
        for row in group:
            entry = printed.setdefault(row.name, PrintedName(row.name, historical=row.historical))
            entry.historical = entry.historical and row.historical
            if row.origin not in entry.origins:
                entry.origins.append(row.origin)
            if row.disclosure is not None:
                entry.disclosures.append(row.disclosure)
            elif row.source:
                entry.sources += [s for s in row.source.split("|") if s not in entry.sources]
            for variant in row.variants or []:
                if variant not in printed:
                    printed[variant] = PrintedName(variant, historical=row.historical)
                printed[variant].sources += [
                    s for s in row.source.split("|") if s and s not in printed[variant].sources
                ]
        name = name_for_year(group, year) or group[0].name
        ordered = sorted(printed.values(), key=lambda p: p.name != name)
        edition = EditionNames(
            year=year,
            name=name,
            names=ordered,
            historical=all(r.historical for r in group),
        )
        if year is not None:
            if previous is not None and previous != name:
                edition.renamed_from = previous
            previous = name
        out.append(edition)
    return out


# --------------------------------------------------------------------- current names


def refresh_current_names(codes: Iterable[ClassificationCode]) -> int:
    """Set each code's ``name`` to its name for the newest year; returns how many changed."""
    codes = list(codes)
    rows: dict[int, list[ClassificationName]] = defaultdict(list)
    for row in live_names(codes):
        rows[row.code_id].append(row)
    changed = []
    for code in codes:
        name = name_for_year(rows.get(code.pk, []), None)
        if name and name[:128] != code.name:
            code.name = name[:128]
            changed.append(code)
    ClassificationCode.objects.bulk_update(changed, ["name"], batch_size=500)
    return len(changed)


def _new_code(system: str, code: str, name: str) -> ClassificationCode:
    return ClassificationCode(
        system=system,
        code=code,
        name=name[:128],
        level=classification_level(code) or 0,
        parent_code=parent_code(code) or "",
    )


# --------------------------------------------------------------- the shipped dictionary


@dataclass
class LoadSummary:
    codes: int = 0
    codes_added: int = 0
    names: int = 0
    names_added: int = 0
    names_changed: int = 0
    names_removed: int = 0


def load_reference_dictionary() -> LoadSummary:
    """Upsert the parser's dictionary: every code (level, parent) and every (code, edition)
    name as a reference row. Rows the data no longer has are removed; imported official
    editions and disclosures' names are kept. Current names are recomputed."""
    summary = LoadSummary()
    existing = {(c.system, c.code): c for c in ClassificationCode.objects.all()}
    wanted: list[tuple[str, str, str]] = [
        (str(Classification.FUNCTIONAL), code, name)
        for code, name, _l, _p in parser_dictionary.iter_functional()
    ] + [
        (str(Classification.ECONOMIC), code, name)
        for code, name, _l, _p in parser_dictionary.iter_economic()
    ]
    new: list[ClassificationCode] = []
    moved: list[ClassificationCode] = []
    for system, code, name in wanted:
        have_code = existing.get((system, code))
        if have_code is None:
            new.append(_new_code(system, code, name))
            continue
        level, up = classification_level(code) or 0, parent_code(code) or ""
        if (have_code.level, have_code.parent_code) != (level, up):
            have_code.level, have_code.parent_code = level, up
            moved.append(have_code)
    for created in ClassificationCode.objects.bulk_create(new, batch_size=1000):
        existing[(created.system, created.code)] = created
    ClassificationCode.objects.bulk_update(moved, ["level", "parent_code"], batch_size=500)
    summary.codes, summary.codes_added = len(wanted), len(new)

    current = {
        (r.code_id, r.edition): r
        for r in ClassificationName.objects.filter(origin=NameOrigin.REFERENCE, disclosure=None)
    }
    keep: set[int] = set()
    create: list[ClassificationName] = []
    update: list[ClassificationName] = []
    for edition_row in parser_dictionary.iter_editions():
        code_row = existing[(edition_row.kind, edition_row.code)]
        values: dict[str, Any] = {
            "name": edition_row.name[:128],
            "variants": list(edition_row.variants),
            "source": "|".join(edition_row.sources)[:255],
            "historical": edition_row.historical,
        }
        have = current.get((code_row.pk, edition_row.edition))
        summary.names += 1
        if have is None:
            create.append(
                ClassificationName(
                    code=code_row,
                    edition=edition_row.edition,
                    origin=NameOrigin.REFERENCE,
                    **values,
                )
            )
            continue
        keep.add(have.pk)
        if any(getattr(have, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(have, k, v)
            update.append(have)
    ClassificationName.objects.bulk_create(create, batch_size=1000)
    ClassificationName.objects.bulk_update(
        update, ["name", "variants", "source", "historical"], batch_size=500
    )
    stale = [r.pk for r in current.values() if r.pk not in keep]
    ClassificationName.objects.filter(pk__in=stale).delete()
    summary.names_added, summary.names_changed, summary.names_removed = (
        len(create),
        len(update),
        len(stale),
    )
    refresh_current_names(ClassificationCode.objects.all())
    return summary


# ------------------------------------------------------------- codes disclosures print

_AMOUNT = re.compile(r"\d[\d,]*\.\d+")


def code_printed(code: str, name: str, text: str) -> bool:
    """Whether a table row's text (cells joined with " | ") prints ``code`` before the
    name: whole ("2080101", "[216]"), or in 类/款/项 cells ("208 | 01 | 01"; "01 | 01"
    under a 类 row above). A code the parser found from the name alone is not printed."""
    head = text.split(name, 1)[0] if name and name in text else text
    tokens = re.findall(r"\d+", _AMOUNT.sub(" ", head))
    if code in tokens:
        return True
    joined = "".join(t if len(t) > 2 else t.zfill(2) for t in tokens)
    return len(joined) >= 4 and (joined == code or code.endswith(joined))


def _printed_items(disclosure: Disclosure) -> dict[tuple[str, str], str]:
    """{(system, code): name} of the codes the disclosure's own tables print, as read."""
    result = disclosure.parse_result or {}
    provenance: dict[str, Any] = result.get("provenance") or {}
    found: dict[tuple[str, str], str] = {}
    items = disclosure.line_items.filter(origin=Origin.PARSER).exclude(code=None)
    for item in items.order_by("classification", "scope", "position"):
        path = f"{item.classification}.{item.scope}[{item.position}]"
        source = provenance.get(path) or {}
        parsed = (result.get(item.classification) or {}).get(item.scope) or []
        read = parsed[item.position] if item.position < len(parsed) else {}
        if (read.get("code"), read.get("name")) != (item.code, item.name):
            continue  # not what the parser read there
        if source.get("row") is None or source.get("derived"):
            continue  # prose, or computed: the code came from the dictionary
        if item.code and code_printed(item.code, item.name, source.get("text") or ""):
            found.setdefault((item.classification, item.code), item.name)
    return found


def record_printed_codes(disclosure: Disclosure) -> int:
    """The codes a published disclosure's tables print join the dictionary, with the
    disclosure as source for its fiscal year (codes not yet in it are added). Run again
    after a re-parse: the disclosure's rows are replaced. Returns the number of names."""
    with transaction.atomic():
        old_codes = list(ClassificationCode.objects.filter(names__disclosure=disclosure).distinct())
        ClassificationName.objects.filter(disclosure=disclosure).delete()
        printed = _printed_items(disclosure) if disclosure.fiscal_year else {}
        codes = {
            (c.system, c.code): c
            for c in ClassificationCode.objects.filter(code__in={code for _s, code in printed})
        }
        added = [
            _new_code(system, code, name)
            for (system, code), name in printed.items()
            if (system, code) not in codes
        ]
        for row in ClassificationCode.objects.bulk_create(added):
            codes[(row.system, row.code)] = row
        ClassificationName.objects.bulk_create(
            [
                ClassificationName(
                    code=codes[key],
                    edition=disclosure.fiscal_year,
                    name=name[:128],
                    origin=NameOrigin.DISCLOSURE,
                    disclosure=disclosure,
                )
                for key, name in printed.items()
            ]
        )
        # rows of disclosures no longer published (superseded, unpublished) are tidied
        gone = ClassificationName.objects.filter(origin=NameOrigin.DISCLOSURE).exclude(
            published_q("disclosure__")
        )
        stale_codes = list(ClassificationCode.objects.filter(names__in=gone).distinct())
        gone.delete()
        refresh_current_names({*old_codes, *codes.values(), *stale_codes})
    return len(printed)


# ------------------------------------------------------------------ official editions


@dataclass(frozen=True)
class EditionRow:
    code: str
    name: str
    level: int | None = None
    line: int = 0  # row number in the file, for messages


@dataclass
class ImportSummary:
    edition: int
    added: list[tuple[str, str, str]] = field(default_factory=list)  # system, code, name
    renamed: list[tuple[str, str, str, str]] = field(default_factory=list)  # +old name
    unchanged: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # line, code, reason
    dry_run: bool = False


_LEVEL_WORDS = {"类": 1, "款": 2, "项": 3}
_HEADER = {
    "code": re.compile(r"编码|代码|^code$|科目号", re.I),
    "name": re.compile(r"名称|^name$", re.I),
    "level": re.compile(r"级次|层级|级别|^level$", re.I),
}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "".join(str(value).split())


def read_edition_file(path: Path | str, data: bytes | None = None) -> list[EditionRow]:
    """Rows of an official edition file: .xlsx (first sheet) or .csv (UTF-8 or GB18030),
    columns code, name and optionally level (类/款/项 or 1/2/3), found by their header
    (编码/代码/code, 名称/name, 级次/层级/level) or, without a header, in that order."""
    path = Path(path)
    raw = data if data is not None else path.read_bytes()
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        table = [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    elif path.suffix.lower() in (".csv", ".txt", ".tsv"):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        dialect = "excel-tab" if "\t" in text.splitlines()[0] else "excel"
        table = [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]
    else:
        raise ValueError(f"not an .xlsx or .csv file: {path.name}")
    columns = {"code": 0, "name": 1, "level": 2}
    start = 0
    for i, row in enumerate(table[:20]):
        found = {
            key: j
            for key, pattern in _HEADER.items()
            for j, cell in enumerate(row)
            if cell and pattern.search(cell)
        }
        if "code" in found and "name" in found:
            columns, start = {"level": -1, **found}, i + 1
            break
    rows = []
    for number, row in enumerate(table[start:], start + 1):
        cells = {k: (row[j] if 0 <= j < len(row) else "") for k, j in columns.items()}
        if not cells["code"] and not cells["name"]:
            continue
        text = cells["level"]
        level = _LEVEL_WORDS.get(text) or (int(text) if text.isdigit() else None)
        rows.append(EditionRow(cells["code"], cells["name"], level, number))
    return rows


def _system_of(code: str) -> str | None:
    level = classification_level(code)
    if level is None:
        return None
    if code[0] == "2":
        return Classification.FUNCTIONAL
    if code[0] in "35" and level < 3:
        return Classification.ECONOMIC
    return None


def import_edition(
    rows: Iterable[EditionRow],
    edition: int,
    *,
    source: str,
    dry_run: bool = False,
    system: str | None = None,
) -> ImportSummary:
    """Add an official edition: each (code, name) becomes the code's official name for
    ``edition``. A code not in the dictionary is *added*; one whose name for that year was
    different is *renamed*; the rest *unchanged*. Rows with a malformed code, a level that
    contradicts the code, no name or a repeated code are skipped. Nothing is written with
    ``dry_run``."""
    summary = ImportSummary(edition=edition, dry_run=dry_run)
    accepted: dict[tuple[str, str], str] = {}
    for row in rows:
        code = row.code
        kind = system or _system_of(code)
        if not code.isdigit() or kind is None or classification_level(code) is None:
            summary.skipped.append((row.line, code, _("编码格式不对")))
            continue
        if not row.name:
            summary.skipped.append((row.line, code, _("没有名称")))
            continue
        if row.level is not None and row.level != classification_level(code):
            summary.skipped.append((row.line, code, _("级次与编码长度不符")))
            continue
        if (kind, code) in accepted:
            summary.skipped.append((row.line, code, _("编码重复")))
            continue
        accepted[(kind, code)] = row.name
    existing = {
        (c.system, c.code): c
        for c in ClassificationCode.objects.filter(code__in={c for _s, c in accepted})
    }
    names: dict[int, list[ClassificationName]] = defaultdict(list)
    for name_row in live_names(list(existing.values())):
        names[name_row.code_id].append(name_row)
    for (kind, code), name in accepted.items():
        have = existing.get((kind, code))
        if have is None:
            summary.added.append((kind, code, name))
            continue
        before = name_for_year(names.get(have.pk, []), edition)
        if before is not None and parser_dictionary.normalise_name(
            before
        ) != parser_dictionary.normalise_name(name):
            summary.renamed.append((kind, code, before, name))
        else:
            summary.unchanged.append((kind, code, name))
    if dry_run:
        return summary
    with transaction.atomic():
        created = ClassificationCode.objects.bulk_create(
            [_new_code(kind, code, name) for kind, code, name in summary.added]
        )
        for new_code in created:
            existing[(new_code.system, new_code.code)] = new_code
        official = {
            r.code_id: r
            for r in ClassificationName.objects.filter(
                origin=NameOrigin.OFFICIAL,
                edition=edition,
                disclosure=None,
                code__in=list(existing.values()),
            )
        }
        create: list[ClassificationName] = []
        update: list[ClassificationName] = []
        for key, name in accepted.items():
            code_row = existing[key]
            have_row = official.get(code_row.pk)
            if have_row is None:
                create.append(
                    ClassificationName(
                        code=code_row,
                        edition=edition,
                        name=name[:128],
                        origin=NameOrigin.OFFICIAL,
                        source=source[:255],
                    )
                )
            elif (have_row.name, have_row.source) != (name[:128], source[:255]):
                have_row.name, have_row.source = name[:128], source[:255]
                update.append(have_row)
        ClassificationName.objects.bulk_create(create, batch_size=1000)
        ClassificationName.objects.bulk_update(update, ["name", "source"], batch_size=500)
        refresh_current_names([existing[k] for k in accepted])
    return summary
