"""Department name, region, fiscal year and kind (预算/决算) of a disclosure.

The department is found by voting: titles ("南充市人力资源和社会保障局", "2024年南岸区
人力资源和社会保障局财政拨款收支总表"), "单位：…" lines and the start of clauses in the
text each propose a name; names are grouped by their core (the name without its place
prefix) and the best-supported core wins, written with the longest place prefix the
document gives it. Abbreviations are expanded (人社局 → 人力资源和社会保障局).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..normalize import compact, detect_kind, expand_department, fiscal_year_votes
from ..types import Check, Document, Paragraph, Region, Source, Table

__all__ = ["Metadata", "read_metadata"]

_SUFFIX = (
    r"(?:局|委员会|办公室|厅|委|院|中心|署|馆|所|站|队|部|联合会|工会|协会|合作社|学校|幼儿园)"
)
# Report words that follow the department in a title line.
_REPORT_WORDS = re.compile(
    r"(?:20\d{2}\s*年度?|部门预算|部门决算|单位预算|单位决算|预算|决算|财政拨款|一般公共预算|收支|"
    r"收入|支出|情况说明|编制说明|信息公开|公开|项目|绩效|目录|“三公”|三公|政府性基金|国有资本).*$"
)
_LEADING_JUNK = re.compile(
    r"^(?:\d+[-—－]?|[\d.、．]+|单位名称|编制单位|编制部门|预算单位|部门名称|"
    r"部门\(单位\)名称|单位|部门)[:：]?"
)
_PLACE_PREFIX = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,8}?(?:省|自治区|市|自治州|州|地区|盟|县|自治县|区|旗|新区))*"
)
_NAME_AT_START = re.compile(r"^([\u4e00-\u9fff]{2,24}?" + _SUFFIX + r")")
_BAD_START = (
    "我",
    "本",
    "全",
    "各",
    "该",
    "其",
    "对",
    "由",
    "在",
    "按",
    "经",
    "与",
    "为",
    "向",
    "从",
)
# Words that open a clause before the department ("现将…局", "纳入…局", "2020年，…局").
_LEADING_WORDS = re.compile(
    r"^(?:20\d{2}年(?:度)?|截至|截止|纳入|现将|反映|根据|按照|关于|包括|属于|隶属|会同|配合|协助|"
    r"报请|提请|经|由|将|对|在)+"
)
_NOT_DEPARTMENT = re.compile(r"(?:党委|市委|县委|区委|省委|政府|人大|政协|纪委|财政局关于)$")


@dataclass(frozen=True, slots=True)
class Metadata:
    department: str | None
    region: Region
    fiscal_year: int | None
    kind: str | None
    sources: dict[str, Source]
    checks: tuple[Check, ...]


def _core(name: str) -> str:
    prefix = _PLACE_PREFIX.match(name)
    return name[prefix.end() :] if prefix else name


def _candidates(document: Document) -> list[tuple[str, int, Source]]:
    """(name, weight, source) proposals for the department."""
    out: list[tuple[str, int, Source]] = []
    for block in document.blocks:
        if isinstance(block, Table):
            # "单位：市人力资源和社会保障局", "313-重庆市南岸区…局" inside tables.
            for i, row in enumerate(block.rows[:4]):
                for cell in row:
                    name = _title_name(cell)
                    if name:
                        out.append((name, 2, Source(cell, block.page, block.index, i)))
            continue
        assert isinstance(block, Paragraph)
        text = compact(block.text)
        if len(text) <= 60:
            name = _title_name(text)
            if name:
                out.append((name, 3, Source(block.text, block.page, block.index)))
                continue
        for clause in re.split(r"[，,。；;：:（）()《》“”\"、\s]", text):
            clause = _LEADING_WORDS.sub("", clause)
            m = _NAME_AT_START.match(clause)
            if m and not m.group(1).startswith(_BAD_START):
                name = expand_department(m.group(1))
                if len(name) >= 5 and not _NOT_DEPARTMENT.search(name):
                    out.append((name, 1, Source(block.text[:80], block.page, block.index)))
    return out


def _title_name(text: str) -> str | None:
    """The department named by a title-like line, or None."""
    t = compact(text)
    # The year first: "2023年南京市…" must not lose "2023" to the number-prefix rule and
    # leave "年南京市…".
    t = re.sub(r"^20\d{2}年度?", "", t)
    t = _LEADING_JUNK.sub("", t)
    t = re.sub(r"^20\d{2}年度?", "", t)
    t = _LEADING_WORDS.sub("", t)
    t = _REPORT_WORDS.sub("", t)
    if not re.fullmatch(r"[\u4e00-\u9fff（）()]{2,30}" + _SUFFIX, t):
        return None
    if t.startswith(_BAD_START) or _NOT_DEPARTMENT.search(t):
        return None
    name = expand_department(t)
    return name if len(_core(name)) >= 3 else None


def _department(document: Document) -> tuple[str | None, Source | None, list[Check]]:
    cands = _candidates(document)
    if not cands:
        return (
            None,
            None,
            [Check("error", "department_unknown", "没有找到部门名称，请人工填写。", "department")],
        )
    weight: Counter[str] = Counter()
    members: dict[str, list[tuple[str, int, Source]]] = defaultdict(list)
    for name, w, src in cands:
        core = _core(name)
        if len(core) < 3:
            continue
        weight[core] += w
        members[core].append((name, w, src))
    if not weight:
        return (
            None,
            None,
            [Check("error", "department_unknown", "没有找到部门名称，请人工填写。", "department")],
        )
    ranked = weight.most_common(2)
    core = ranked[0][0]
    checks: list[Check] = []
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        checks.append(
            Check(
                "warning",
                "department_ambiguous",
                f"部门名称不确定：{core} 或 {ranked[1][0]}，请核对。",
                "department",
            )
        )
    # The longest place prefix the document gives this department ("南充市" over "市").
    name, _, src = max(members[core], key=lambda m: (len(m[0]), m[1]))
    return name, src, checks


def _year_and_kind(document: Document) -> tuple[int | None, str | None, Source | None]:
    titles: list[str] = []
    weighted: list[tuple[str, int]] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            text = block.text
            short = len(compact(text)) <= 50
            if short:
                titles.append(text)
            weighted.append((text, 5 if short else 1))
    votes = fiscal_year_votes(weighted)
    year = votes.most_common(1)[0][0] if votes else None
    source = None
    if year is not None:
        for block in document.blocks:
            if isinstance(block, Paragraph) and str(year) in block.text:
                source = Source(block.text[:80], block.page, block.index)
                break
    kind = detect_kind(titles, (b.text for b in document.blocks if isinstance(b, Paragraph)))
    return year, kind, source


def _locate(department: str | None, context: str) -> Region:
    if not department:
        return Region()
    try:
        from ..gazetteer import locate
    except ImportError:  # the gazetteer is optional for the rest of the parser
        return Region()
    return locate(department, context=context)


def read_metadata(document: Document) -> Metadata:
    """Department, region, fiscal year and kind, with sources and checks."""
    checks: list[Check] = []
    sources: dict[str, Source] = {}
    department, dep_source, dep_checks = _department(document)
    checks.extend(dep_checks)
    if dep_source:
        sources["department"] = dep_source
    context = " ".join(compact(b.text) for b in document.blocks[:40] if isinstance(b, Paragraph))
    region = _locate(department, context)
    if region.province is None and region.city is None and region.county is None:
        checks.append(
            Check(
                "warning",
                "region_unknown",
                f"无法从部门名称“{department or '（未知）'}”确定所属地区"
                "（省/市/县），请在审核页面指定。",
                "region",
            )
        )
    year, kind, year_source = _year_and_kind(document)
    if year is None:
        checks.append(
            Check("error", "fiscal_year_unknown", "没有找到预算/决算年度。", "fiscal_year")
        )
    elif year_source:
        sources["fiscal_year"] = year_source
    if kind is None:
        checks.append(Check("error", "kind_unknown", "无法判断是部门预算还是部门决算。", "kind"))
    return Metadata(department, region, year, kind, sources, tuple(checks))
