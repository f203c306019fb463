"""Seed the disclosure-completeness checklist with the standard tables and explanations.

Admins edit these afterwards; the patterns are regular expressions matched against the
document's titles and explanatory paragraphs.
"""

from django.db import migrations

ITEMS = [
    ("income_expenditure_summary", "收支总表",
     r"收支(预算|决算)?总(表|体)|收入支出(预算|决算)?总表", ""),
    ("income_table", "收入总表", r"(部门)?收入(预算|决算)(总)?表|部门收入总表", ""),
    ("expenditure_table", "支出总表", r"(部门)?支出(预算|决算)(总)?表|部门支出总表", ""),
    ("fiscal_summary", "财政拨款收支总表", r"财政拨款收(入)?支(出)?(预算|决算)?总表", ""),
    ("general_budget_expenditure", "一般公共预算支出表",
     r"一般公共预算(财政拨款)?支出(预算|决算)?(情况)?表", ""),
    ("general_budget_basic", "一般公共预算基本支出表",
     r"一般公共预算(财政拨款)?基本支出(预算|决算)?(情况)?表", ""),
    ("three_public", "三公经费表", r"三公.{0,8}(表|情况说明|情况)",
     r"三公.{0,12}(为零|为0|为 0|没有|无)"),
    ("government_fund", "政府性基金表",
     r"政府性基金(预算)?(财政拨款)?(收入)?(支出)?(预算|决算)?(情况)?表",
     r"(没有|无|未安排|不涉及).{0,16}政府性基金|政府性基金.{0,24}(为零|为0|没有|无|空表)"),
    ("state_capital", "国有资本经营表",
     r"国有资本经营(预算)?(财政拨款)?(收入)?(支出)?(预算|决算)?(情况)?表",
     r"(没有|无|未安排|不涉及).{0,16}国有资本经营|国有资本经营.{0,24}(为零|为0|没有|无|空表)"),
    ("operating_expenses", "机关运行经费", r"机关运行经费", ""),
    ("procurement", "政府采购", r"政府采购", ""),
    ("state_assets", "国有资产", r"国有资产|资产占用", ""),
    ("performance", "绩效目标", r"绩效目标|绩效评价|绩效管理|绩效自评", ""),
    ("glossary", "名词解释", r"名词解释|名词说明", ""),
]


def seed(apps, schema_editor):
    ChecklistItem = apps.get_model("disclosures", "ChecklistItem")
    for position, (key, label, patterns, statements) in enumerate(ITEMS):
        ChecklistItem.objects.update_or_create(
            key=key, defaults={"label": label, "patterns": patterns,
                               "statement_patterns": statements, "position": position})


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0003_checklist_outline")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
