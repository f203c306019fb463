"""The default disclosure-completeness checklist: the standard tables and explanations of a
department budget or final account. Loaded by a migration; admins edit it afterwards."""

from __future__ import annotations

DEFAULT_ITEMS = [
    (
        "income_expenditure_summary",
        "收支总表",
        r"收支(预算|决算)?总(表|体)|收入支出(预算|决算)?总表",
        "",
    ),
    ("income_table", "收入总表", r"收入(预算|决算)?总表|(部门|单位)收入(预算|决算)?表", ""),
    (
        "expenditure_table",
        "支出总表",
        r"(?<!拨款)(?<!基本)(?<!项目)支出(预算|决算)?总表|(部门|单位)支出(预算|决算)?表",
        "",
    ),
    ("fiscal_summary", "财政拨款收支总表", r"财政拨款收(入)?支(出)?(预算|决算)?总表", ""),
    (
        "general_budget_expenditure",
        "一般公共预算支出表",
        r"一般公共预算(财政拨款)?支出(预算|决算)?(情况)?表",
        "",
    ),
    (
        "general_budget_basic",
        "一般公共预算基本支出表",
        r"一般公共预算(财政拨款)?基本支出(预算|决算)?(情况)?表",
        "",
    ),
    (
        "three_public",
        "三公经费表",
        r"三公.{0,8}(表|情况说明|情况)",
        r"三公[^，。；]{0,12}(为零|为0|为 0|没有|无)",
    ),
    (
        "government_fund",
        "政府性基金表",
        r"政府性基金(预算)?(财政拨款)?(收入)?(支出)?(预算|决算)?(情况)?表",
        r"(没有|无|未安排|不涉及)[^，。；]{0,16}政府性基金|政府性基金[^，。；]{0,20}(为零|为0|为 0|没有|无|空表)",
    ),
    (
        "state_capital",
        "国有资本经营表",
        r"国有资本经营(预算)?(财政拨款)?(收入)?(支出)?(预算|决算)?(情况)?表",
        r"(没有|无|未安排|不涉及)[^，。；]{0,16}国有资本经营|国有资本经营[^，。；]{0,20}(为零|为0|为 0|没有|无|空表)",
    ),
    ("operating_expenses", "机关运行经费", r"机关运行经费", ""),
    ("procurement", "政府采购", r"政府采购", ""),
    ("state_assets", "国有资产", r"国有资产|资产占用", ""),
    ("performance", "绩效目标", r"绩效目标|绩效评价|绩效管理|绩效自评", ""),
    ("glossary", "名词解释", r"名词解释|名词说明", ""),
]


def ensure_default_checklist(model=None) -> int:
    """Create the default items that are missing (existing ones are left as admins set them)."""
    if model is None:
        from .models import ChecklistItem as model
    created = 0
    for position, (key, label, patterns, statements) in enumerate(DEFAULT_ITEMS):
        _, made = model.objects.get_or_create(
            key=key,
            defaults={
                "label": label,
                "patterns": patterns,
                "statement_patterns": statements,
                "position": position,
            },
        )
        created += made
    return created
