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
    },
    "assets": {"vehicles": _("公务用车（辆）")},
}


def figure_label(group: str, key: str) -> str:
    return str(FIGURE_LABELS.get(group, {}).get(key, key))
