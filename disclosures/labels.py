"""Plain names for the keys of EXTRACTION.md, shown beside stored figures."""

from django.utils.translation import gettext_lazy as _

FIGURE_LABELS = {
    "totals": {
        "income_total": _("本年收入合计"),
        "carryover_income": _("上年结转（年初结转和结余）"),
        "grand_total": _("收入总计 / 支出总计"),
        "expenditure_total": _("本年支出合计"),
        "carryforward": _("结转下年（年末结转和结余）"),
        "general_public_budget_income": _("一般公共预算拨款收入"),
        "government_fund_income": _("政府性基金预算拨款收入"),
        "state_capital_income": _("国有资本经营预算拨款收入"),
        "basic_expenditure": _("基本支出"),
        "project_expenditure": _("项目支出"),
        "personnel_expenditure": _("人员经费"),
        "public_expenditure": _("公用经费"),
        "operating_expenditure": _("机关运行经费"),
        "procurement_total": _("政府采购"),
    },
    "three_public": {
        "total": _("三公经费合计"),
        "overseas": _("因公出国（境）费"),
        "vehicle_purchase": _("公务用车购置费"),
        "vehicle_operation": _("公务用车运行维护费"),
        "reception": _("公务接待费"),
        "meetings": _("会议费"),
        "training": _("培训费"),
    },
    "assets": {"vehicles": _("公务用车（辆）")},
}


# The three_public keys whose sum is the 三公 total (a chart stacks these and no other):
# 会议费 and 培训费 are printed beside them in many tables but are not 三公.
THREE_PUBLIC_ITEMS = ("overseas", "vehicle_purchase", "vehicle_operation", "reception")


def figure_label(group: str, key: str) -> str:
    return str(FIGURE_LABELS.get(group, {}).get(key, key))


# What each kind of check means, in plain words. The check's own message gives the
# figures (quoting the document, so it stays in the document's language).
RULE_EXPLANATIONS = {
    "children_sum": _("上级科目的金额不等于下级科目之和。"),
    "basic_plus_project": _("基本支出加项目支出不等于合计。"),
    "totals_sum": _("总计不等于各组成部分之和。"),
    "three_public_sum": _("三公经费合计不等于各项之和。"),
    "functional_vs_total": _("功能分类各类之和与本年支出合计不一致。"),
    "economic_vs_total": _("经济分类各类之和与基本支出合计不一致。"),
    "grand_total_mismatch": _("收入总计与支出总计不相等。"),
    "income_total_includes_carryover": _("表中的本年收入合计含上年结转，未作为本年收入采用。"),
    "prose_vs_table": _("说明文字中的数字与表格不一致，采用表格数字。"),
    "prose_disagree": _("说明文字中同一数字前后不一致。"),
    "tables_disagree": _("两张表格中的同一数字不一致。"),
    "three_public_table_layout": _("三公经费表的栏目不完整，分项取自说明文字。"),
    "three_public_table_sum": _("三公经费表中一行的合计与各栏之和不符。"),
    "table_scope_unknown": _("一张科目表没有标题，无法判断口径，未读取。"),
    "unit_assumed": _("表格没有写明金额单位，按万元读取。"),
    "code_missing": _("科目名称没有编码，字典中也找不到唯一对应的编码，请指定。"),
    "code_not_in_dictionary": _("有科目编码不在分类字典中（编码按文件原样保留）。"),
    "classification_unavailable": _("分类字典不可用，科目名称未能对应编码。"),
    "region_unknown": _("无法确定所属地区，请在审核页指定。"),
    "department_unknown": _("没有找到部门名称，请在审核页指定。"),
    "department_ambiguous": _("文件中出现多个部门名称，请确认。"),
    "fiscal_year_unknown": _("没有找到预算/决算年度，请指定。"),
    "kind_unknown": _("无法判断是预算还是决算，请指定。"),
    "repeated_block": _("文件中有重复的内容，已只读取一次。"),
    "no_figures": _("文件中没有读到任何金额。"),
    "fiscal_only": _("只有财政拨款收支表，部门全部资金的总额不能由它代替，未填。"),
    "fiscal_exceeds_all_funds": _(
        "财政拨款部分大于部门全部资金的对应总额，两张表至少有一张读错或印错。"
    ),
    "outside_classification": _("这一行（如预留机动经费）计入合计，但不属于任何功能分类科目。"),
    "summed_unit_blocks": _("表格按单位分块列出，部门数由各单位数相加得出（与合计行一致）。"),
    "flattened_rows_realigned": _("网页转成的文字表格中有行的栏目错位，已按唯一可能的读法重排。"),
    "flattened_row_ambiguous": _("网页转成的文字表格中有一行无法确定各数属于哪一栏，金额未读取。"),
    "traditional_script_converted": _("文件是繁体字，已转换为简体后读取。"),
    "reading_annotations_removed": _("文件中字后的注音（如“預(yù)”）已去掉后读取。"),
    "traditional_script_unconverted": _("文件是繁体字，但繁简转换组件不可用，可能漏读。"),
    "region_from_context": _("地区取自文件的标题、页眉或表格说明，而不是部门名称，请确认。"),
    "ocr_unconfirmed": _("这个数由扫描图片文字识别（OCR）读出，没有任何校验确认，请对照原文核对。"),
}


def rule_explanation(rule: str) -> str:
    return str(RULE_EXPLANATIONS.get(rule, ""))
