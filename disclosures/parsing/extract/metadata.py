"""Department name, region, fiscal year and kind (预算/决算) of a disclosure.

The department is found by voting: titles ("南充市人力资源和社会保障局", "2024年南岸区
人力资源和社会保障局财政拨款收支总表"), "单位：…" lines and the start of clauses in the
text each propose a name; names are grouped by their core (the name without its place
prefix) and the best-supported core wins, written with the longest place prefix the
document gives it. Abbreviations are expanded (人社局 → 人力资源和社会保障局).

What precedes a name is not part of it: heading numbers ("第二部分", "一、"), field labels
("部门：", "单位名称：", "编制单位：", also inside a line like "编制单位：某局 单位：万元")
and years (2024年, "2 0 2 4 年", 二〇二四年) are stripped; a clause that starts with a verb
("负责应由某省人民检察院承办的…") names someone else and proposes nothing. A name cut
short ("某省人大常委" for 某省人大常委会办公厅) is completed from the words that follow it
or counted towards the longer name the document gives. The chosen name must end like a
department (局/委/办/院/厅/部/会/站/中心/办公室/所/队/馆/校/处/室 …); otherwise the
department is null with a ``department_unknown`` check.

The region comes from the department's name through the gazetteer. When that name holds
no full administrative name, places named in headings, the running header or table
captions are used (and failing those, in the body), only when they all name one place
(a county and its city agree; two counties do not), with a ``region_from_context`` check
saying where the place was read.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..normalize import (
    clean_text,
    compact,
    detect_kind,
    expand_department,
    fiscal_year_votes,
    normalise_years,
)
from ..types import Check, Document, Paragraph, Region, Source, Table

__all__ = ["Metadata", "read_metadata"]

_SUFFIX = (
    r"(?:局|委员会|办公室|厅|委|院|中心|署|馆|所|站|队|部|联合会|工会|协会|合作社|学校|幼儿园)"
)
# How a department's name may end (a title or a labelled field, anchored at its end).
# Wider than _SUFFIX, which finds the shortest name at the start of a clause and so must
# not stop at the 会 of 社会 or the 办 of 办理.
_END = (
    r"(?:局|委员会|办公室|办公厅|厅|委|院|中心|署|馆|所|站|队|部|(?<![社机大])会|"
    r"(?<![承举创开主协督代包])办|处|室|校|社|团|幼儿园)"
)
_END_CHAR = re.compile("[局委办院厅部会站心室所队馆校处社团署园]")
# Heading numbers in front of a title: "第二部分", "一、", "（三）", "1.", "附件2：".
_HEADING_NUMBER = re.compile(
    r"^(?:第[一二三四五六七八九十\d]+(?:部分|章|节|篇)|[一二三四五六七八九十]+[、.．]|"
    r"[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|(?:附件|附表)\d*[:：、.．]?)"
)
# Verbs and function words a clause about duties starts with: what follows names another
# body ("负责应由某省人民检察院承办的…"), not the department.
_VERB_START = (
    "负责",
    "应由",
    "承担",
    "承办",
    "组织",
    "指导",
    "贯彻",
    "执行",
    "拟订",
    "拟定",
    "制定",
    "制订",
    "协调",
    "管理",
    "推进",
    "开展",
    "参与",
    "参加",
    "完成",
    "落实",
    "监督",
    "配合",
    "做好",
    "加强",
    "依据",
    "依照",
    "牵头",
    "审核",
    "编制",
    "研究",
    "起草",
    "统筹",
    "办理",
    "受理",
    "综合",
    "建立",
    "健全",
    "完善",
    "实施",
    "促进",
    "提供",
    "支持",
    "协助",
    "会同",
    "按照",
    "根据",
    "接受",
    "指派",
    "代管",
    "联系",
)
# A name cut short: 常委 is a member, 常委会 the body; and the rest of a name whose start
# stood on the line before ("会办公厅" of "某省人大常委 / 会办公厅").
_CUT_SHORT = re.compile(r"常委$")
_FRAGMENT_START = "会厅局委室处署办部院"
# Words that finish a name a clause cut at its first 委/办: 委|员会, 委|会, 办|公室 …
_CONTINUATION = {
    "委": re.compile(r"(?:员会|会)(?:办公厅|办公室)?"),
    "办": re.compile(r"公厅|公室"),
}
# A field label before a name in a caption line or a table header cell.
_LABELLED = re.compile(
    r"(?:编制单位|编报单位|填报单位|报送单位|单位名称|部门名称|部门[(（]单位[)）](?:名称)?|"
    r"预算单位|预算部门|部门|单位)\s*[:：]\s*"
    r"([\u4e00-\u9fff（）()]{2,40}?)(?=\s|$|[|，,；;、]|(?:金额)?单位\s*[:：]|\d|"
    r"编制|填报|日期)"
)
# Report words that follow the department in a title line.
_REPORT_WORDS = re.compile(
    r"(?:20\d{2}\s*年度?|部门预算|部门决算|单位预算|单位决算|预算|决算|财政拨款|一般公共预算|收支|"
    r"收入|支出|情况说明|编制说明|信息公开|公开|项目|绩效|目录|“三公”|三公|政府性基金|国有资本|"
    r"[（(]?(?:汇总|本级|合并)).*$"
)
_LEADING_JUNK = re.compile(
    r"^(?:\d+[-—－]?|[\d.、．]+|单位名称|编制单位|编报单位|填报单位|报送单位|编制部门|"
    r"预算单位|预算部门|部门名称|部门\(单位\)(?:名称)?|单位|部门)[:：]?"
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


def _not_a_department(name: str) -> str | None:
    """Why ``name`` cannot be a department's name, or None when it can."""
    if not re.fullmatch(r"[\u4e00-\u9fff（）()]{2,40}" + _END, name):
        return "不以局、委、办、院、厅、部、会、中心、办公室等结尾"
    if _HEADING_NUMBER.match(name):
        return "以标题编号开头"
    if name.startswith(_VERB_START) or name.startswith(_BAD_START):
        return "以动词或介词开头"
    if _CUT_SHORT.search(name) or name[0] in _FRAGMENT_START:
        return "名称不完整"
    if _NOT_DEPARTMENT.search(name):
        return "是党委、政府或人大、政协本身"
    if len(_core(name)) < 3:
        return "只有地名"
    return None


def _complete(clause: str, end: int) -> int:
    """Where a name found at the start of ``clause`` really ends: a clause cut at the
    first 委 of 委员会 or the 办 of 办公室 goes on to the end of the word."""
    continuation = _CONTINUATION.get(clause[end - 1]) if end else None
    if continuation is not None:
        m = continuation.match(clause, end)
        if m:
            return m.end()
    return end


def _candidates(document: Document) -> list[tuple[str, int, Source]]:
    """(name, weight, source) proposals for the department."""
    out: list[tuple[str, int, Source]] = []
    blocks = document.blocks
    for k, block in enumerate(blocks):
        if isinstance(block, Table):
            # "单位：市人力资源和社会保障局", "313-重庆市南岸区…局" inside tables.
            for i, row in enumerate(block.rows[:4]):
                for cell in row:
                    names = _labelled_names(cell) or [n for n in [_title_name(cell)] if n]
                    for name in names:
                        out.append((name, 2, Source(cell, block.page, block.index, i)))
            continue
        assert isinstance(block, Paragraph)
        text = compact(normalise_years(block.text))
        labelled = _labelled_names(block.text)
        if labelled:
            # "编制单位：某局  单位：万元": the caption names the department outright.
            out.extend((n, 3, Source(block.text, block.page, block.index)) for n in labelled)
            continue
        if len(text) <= 60:
            title = _title_name(text)
            following = blocks[k + 1] if k + 1 < len(blocks) else None
            if isinstance(following, Paragraph):
                # A title broken over two lines: "中共某市委 / 组织部2024年部门预算",
                # "某省人大常委 / 会办公厅2023年部门决算", "某市人力资源和社会 /
                # 保障局2024年部门预算": the whole name when the lines make one.
                joined = text + compact(normalise_years(following.text))
                whole = _title_name(joined) if len(joined) <= 60 else None
                if whole and (title is None or (whole != title and whole.startswith(title))):
                    title = whole
            if title:
                out.append((title, 3, Source(block.text, block.page, block.index)))
                continue
        for clause in re.split(r"[，,。；;：:（）()《》“”\"、\s]", text):
            clause = _LEADING_WORDS.sub("", clause)
            m = _NAME_AT_START.match(clause)
            if not m:
                continue
            name = expand_department(clause[: _complete(clause, m.end(1))])
            if len(name) >= 5 and _not_a_department(name) is None:
                out.append((name, 1, Source(block.text[:80], block.page, block.index)))
    return out


def _labelled_names(text: str) -> list[str]:
    """Names given after a field label: "部门：某局", "编制单位：某局 单位：万元"."""
    if "：" not in text and ":" not in text:
        return []
    names = []
    for m in _LABELLED.finditer(clean_text(normalise_years(text))):
        name = _title_name(m.group(1))
        if name:
            names.append(name)
    return names


def _title_name(text: str) -> str | None:
    """The department named by a title-like line, or None."""
    if not _END_CHAR.search(text):
        return None  # most table cells: no word a department's name ends with
    t = compact(normalise_years(text))
    # The year first: "2023年南京市…" must not lose "2023" to the number-prefix rule and
    # leave "年南京市…".
    t = re.sub(r"^20\d{2}年度?", "", t)
    t = _HEADING_NUMBER.sub("", t)
    t = _LEADING_JUNK.sub("", t)
    t = re.sub(r"^20\d{2}年度?", "", t)
    t = _LEADING_WORDS.sub("", t)
    t = _REPORT_WORDS.sub("", t)
    if not _END_CHAR.search(t[-1:]):
        return None
    name = expand_department(t)
    return name if _not_a_department(name) is None else None


def _rejected(document: Document) -> tuple[str, str] | None:
    """The first name a field label gives ("部门：某省人大常委") that is not a
    department's name, and why (for the check that says the department is unknown)."""
    for block in document.blocks:
        texts = (
            [c for row in block.rows[:4] for c in row if c]
            if isinstance(block, Table)
            else [block.text]
        )
        for text in texts:
            for m in _LABELLED.finditer(clean_text(normalise_years(text))):
                name = expand_department(m.group(1))
                reason = _not_a_department(name)
                if reason and re.search(_END + "$", name):
                    return name, reason
    return None


def _unknown(message: str) -> list[Check]:
    return [Check("error", "department_unknown", message, "department")]


def _department(document: Document) -> tuple[str | None, Source | None, list[Check]]:
    cands = _candidates(document)
    weight: Counter[str] = Counter()
    members: dict[str, list[tuple[str, int, Source]]] = defaultdict(list)
    for name, w, src in cands:
        core = _core(name)
        if len(core) < 3:
            continue
        weight[core] += w
        members[core].append((name, w, src))
    if not weight:
        rejected = _rejected(document)
        if rejected:
            name, reason = rejected
            return None, None, _unknown(f"读到的部门名称“{name}”{reason}，不能采用，请人工填写。")
        return None, None, _unknown("没有找到部门名称，请人工填写。")
    # A name cut short counts for the longer one the document gives ("人大常委会" for
    # "人大常委会办公厅" is a different body and stays apart; "政府办" for "政府办公室"
    # is the same).
    for short in list(weight):
        continuation = _CONTINUATION.get(short[-1])
        longer = [
            c
            for c in weight
            if c != short
            and c.startswith(short)
            and continuation is not None
            and continuation.fullmatch(c[len(short) :])
        ]
        if len(longer) == 1:
            weight[longer[0]] += weight.pop(short)
            members[longer[0]].extend(members.pop(short))
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
    why = _not_a_department(name)
    if why is not None:  # pragma: no cover - candidates are checked when proposed
        return None, None, _unknown(f"读到的部门名称“{name}”{why}，请人工填写。")
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
            if isinstance(block, Paragraph) and str(year) in normalise_years(block.text):
                source = Source(block.text[:80], block.page, block.index)
                break
    kind = detect_kind(titles, (b.text for b in document.blocks if isinstance(b, Paragraph)))
    return year, kind, source


# ---------------------------------------------------------------------------- region

_PLACE_WHERE = {
    "header": "页眉",
    "heading": "标题",
    "caption": "表格标题",
    "body": "正文",
}


def _places(document: Document) -> dict[str, list[tuple[str, Source]]]:
    """Texts that may name the department's place, by where they stand: the running
    header (a short line repeated on several pages), headings (short lines), table
    captions (short lines right above a table, a table's first rows) and the body."""
    paragraphs = [b for b in document.blocks if isinstance(b, Paragraph)]
    counts = Counter(compact(p.text) for p in paragraphs)
    out: dict[str, list[tuple[str, Source]]] = {k: [] for k in _PLACE_WHERE}
    blocks = document.blocks
    for k, block in enumerate(blocks):
        if isinstance(block, Table):
            for i, row in enumerate(block.rows[:3]):
                for cell in row:
                    if cell and len(compact(cell)) <= 60:
                        out["caption"].append((cell, Source(cell, block.page, block.index, i)))
            continue
        assert isinstance(block, Paragraph)
        text = compact(block.text)
        source = Source(block.text[:80], block.page, block.index)
        if len(text) > 40 or text.endswith(("。", "；", ";")):
            out["body"].append((block.text, source))  # a sentence
        elif counts[text] >= 2 and document.pages and document.pages > 1:
            out["header"].append((block.text, source))
        elif any(isinstance(b, Table) for b in blocks[k + 1 : k + 4]):
            out["caption"].append((block.text, source))
        else:
            out["heading"].append((block.text, source))
    return out


def _region_from_context(document: Document) -> tuple[Region, list[Check]]:
    """The place headings, the running header or captions name (else the body), when
    they all name one place; a check says where it was read, or why it was not."""
    try:
        from ..gazetteer import by_code, contains, mentions
    except ImportError:  # the gazetteer is optional for the rest of the parser
        return Region(), []
    places = _places(document)
    context = " ".join(compact(t) for t, _ in places["heading"] + places["header"])
    tiers = (("header", "heading", "caption"), ("body",))
    for tier in tiers:
        found: list[tuple[str, str, str, Source]] = []  # (names, code, where, source)
        for where in tier:
            for text, source in places[where]:
                for names, code in mentions(text, context):
                    found.append((names, code, where, source))
        if not found:
            continue
        # The most specific place; every other mention must be it or contain it.
        codes = {code for _, code, _, _ in found}
        inner = [c for c in codes if all(contains(o, c) for o in codes)]
        if not inner:
            shown = "、".join(dict.fromkeys(names for names, _, _, _ in found))
            return Region(), [
                Check(
                    "warning",
                    "region_unknown",
                    f"部门名称中没有地名，文件中又提到多个地区（{shown}），"
                    "无法确定所属地区，请在审核页面指定。",
                    "region",
                )
            ]
        code = inner[0]
        region = by_code(code)
        if region is None:  # pragma: no cover - mentions only gives known codes
            continue
        if tier == ("body",) and region.city is None and region.county is None:
            # A province named in the running text ("按照《某省…办法》") says too little.
            continue
        names, _, where, source = next(f for f in found if f[1] == code)
        body = tier == ("body",)
        return region, [
            Check(
                "warning" if body else "info",
                "region_from_context",
                f"部门名称中没有地名，所属地区取自{_PLACE_WHERE[where]}中的“{names}”"
                f"（“{source.text[:40]}”），请核对。",
                "region",
            )
        ]
    return Region(), []


def _region(document: Document, department: str | None) -> tuple[Region, list[Check]]:
    context = " ".join(compact(b.text) for b in document.blocks[:40] if isinstance(b, Paragraph))
    region = _locate(department, context)
    if region.province is not None or region.city is not None or region.county is not None:
        return region, []
    # A name that holds a place the gazetteer cannot single out (鼓楼区) stays unknown:
    # the document's other places would be a guess.
    named = bool(department) and _names_a_place(department or "")
    checks: list[Check] = []
    if not named:
        region, checks = _region_from_context(document)
        if region.province is not None:
            return region, checks
    if not checks:
        checks.append(
            Check(
                "warning",
                "region_unknown",
                f"无法从部门名称“{department or '（未知）'}”确定所属地区"
                "（省/市/县），请在审核页面指定。",
                "region",
            )
        )
    return region, checks


def _names_a_place(name: str) -> bool:
    try:
        from ..gazetteer import names_a_place
    except ImportError:  # pragma: no cover - the gazetteer is optional
        return False
    return names_a_place(name)


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
    region, region_checks = _region(document, department)
    checks.extend(region_checks)
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
