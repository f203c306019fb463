"""The classification dictionary in the database: names by edition year loaded from the
parser's data, codes printed by published disclosures, official editions imported."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from disclosures import services
from disclosures.choices import Publication
from disclosures.models import ClassificationCode, ClassificationName, NameOrigin
from disclosures.parsing import classification
from disclosures.services import dictionary

from ..factories import make_department, make_disclosure, make_region

pytestmark = pytest.mark.django_db

LAYOUTS = Path(__file__).resolve().parents[1] / "parsing" / "data"


def _code(code: str, system: str = "functional") -> ClassificationCode:
    return ClassificationCode.objects.get(system=system, code=code)


def _names(code: str, system: str = "functional") -> dict:
    return {
        (n.edition, n.origin): n.name
        for n in ClassificationName.objects.filter(code__system=system, code__code=code)
    }


# -------------------------------------------------------------------------- load_reference


def test_load_reference_loads_every_edition_name_and_can_run_again():
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert "classification codes: 1739 (1739 new), names by edition: 2251 (2251 new" in (
        out.getvalue()
    )
    assert ClassificationCode.objects.count() == 1592 + 147
    assert ClassificationName.objects.filter(origin=NameOrigin.REFERENCE).count() == 2251
    # the 2008-era rows are marked historical: 1,541 functional + 118 economic
    assert ClassificationName.objects.filter(historical=True).count() == 1541 + 118
    assert ClassificationName.objects.filter(historical=True).exclude(edition=2008).count() == 0
    assert _names("20805") == {
        (2008, "reference"): "行政事业单位离退休",
        (2017, "reference"): "行政事业单位离退休",
        (2018, "reference"): "行政事业单位离退休",
        (2019, "reference"): "行政事业单位离退休",
        (2020, "reference"): "行政事业单位养老支出",
        (2024, "reference"): "行政事业单位养老支出",
        (2026, "reference"): "行政事业单位养老支出",
    }
    name_215 = ClassificationName.objects.get(code__code="215", edition=None)
    assert name_215.variants == ["资源勘探信息等支出"]
    assert name_215.source == "gh-id:10498550278|gh-id:67462481296"
    # current names: the newest edition's (a historical name only where nothing modern has
    # the code)
    assert _code("20805").name == "行政事业单位养老支出"
    assert _code("216").name == "商业服务业等支出"
    assert _code("2080104").name == "综合业务管理"
    assert _code("30217", "economic").name == "公务接待费"
    assert _code("2080104").level == 3 and _code("2080104").parent_code == "20801"

    before = dict(ClassificationName.objects.values_list("pk", "name"))
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert "(0 new), names by edition: 2251 (0 new, 0 changed, 0 removed)" in out.getvalue()
    assert dict(ClassificationName.objects.values_list("pk", "name")) == before


def test_load_reference_restores_its_rows_and_keeps_imported_and_printed_ones():
    call_command("load_reference")
    code = _code("20805")
    reference = ClassificationName.objects.get(code=code, edition=2019)
    reference.name = "改坏了"
    reference.save()
    ClassificationName.objects.create(
        code=code, edition=2031, name="数据里没有的", origin=NameOrigin.REFERENCE
    )
    ClassificationName.objects.create(
        code=code, edition=2025, name="官方名称", origin=NameOrigin.OFFICIAL, source="x.xlsx"
    )
    code.level = 1
    code.save()
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert "(0 new, 1 changed, 1 removed)" in out.getvalue()
    assert ClassificationName.objects.get(pk=reference.pk).name == "行政事业单位离退休"
    assert not ClassificationName.objects.filter(edition=2031).exists()
    assert _names("20805")[(2025, "official")] == "官方名称"
    code.refresh_from_db()
    assert code.level == 2
    # the official 2025 name is newer than every shipped edition but 2026
    assert code.name == "行政事业单位养老支出"
    assert dictionary.names_for_years(dictionary.code_names("functional", "20805")[1], [2025]) == {
        2025: "官方名称"
    }


# ------------------------------------------------------------- which name counts for a year


def _row(edition, name, origin=NameOrigin.REFERENCE, historical=False, pk=None):
    return ClassificationName(
        pk=pk, edition=edition, name=name, origin=origin, historical=historical
    )


def test_the_name_for_a_year_follows_the_parsers_edition_rule():
    rows = [
        _row(2008, "旧名", historical=True, pk=1),
        _row(2019, "甲", pk=2),
        _row(2020, "乙", pk=3),
        _row(2020, "乙官方", NameOrigin.OFFICIAL, pk=4),
        _row(2024, "丙甲", NameOrigin.DISCLOSURE, pk=5),
        _row(2024, "丙乙", NameOrigin.DISCLOSURE, pk=6),
        _row(2024, "丙乙", NameOrigin.DISCLOSURE, pk=7),
        _row(2024, "丙", pk=8),
    ]
    name = dictionary.name_for_year
    assert name(rows, 2010) == "旧名"  # before the modern editions
    assert name(rows, 2019) == "甲"
    assert name(rows, 2020) == "乙官方"  # an official edition first
    assert name(rows, 2022) == "乙官方"
    assert name(rows, 2024) == "丙乙"  # published disclosures before the reference; majority
    assert name(rows, None) == name(rows, 2030) == "丙乙"
    assert name([rows[0]], 2024) == "旧名"  # only the historical edition has the code
    assert name([rows[0], _row(None, "无年份")], 2024) == "无年份"
    assert name([], 2024) is None
    assert dictionary.describe_names({2018: "甲", 2019: "甲", 2020: "乙"}) == (
        "科目名称随年度变化：2018—2019年为“甲”，2020年起为“乙”"
    )
    assert dictionary.describe_names({2019: "甲", 2020: "乙", 2021: "甲"}) == (
        "科目名称随年度变化：2019年为“甲”，2020年为“乙”，2021年起为“甲”"
    )
    assert dictionary.describe_names({2019: "甲", 2020: "甲"}) is None


# ---------------------------------------------------------------- codes a disclosure prints


def test_a_table_row_prints_its_code_or_not():
    printed = dictionary.code_printed
    assert printed("2080101", "行政运行", "2080101 | 行政运行 | 300.00 | 300.00")
    assert printed("216", "商业服务业等支出", "[216]商业服务业等支出 | 150.00")
    assert printed("2080101", "行政运行", "208 | 01 | 01 | 行政运行 | 300.00")
    assert printed("2080102", "一般行政管理事务", "01 | 02 | 一般行政管理事务 | 63.92")
    # found from the name by the dictionary: nothing printed before the name
    assert not printed("2080105", "劳动保障监察", "劳动保障监察 | 50.00 | 50.00")
    assert not printed("2080105", "劳动保障监察", "1.劳动保障监察 | 50.00")
    assert not printed("2080105", "劳动保障监察", "劳动保障监察 | 2080105.00")


def _publish_layout(name: str, capture) -> object:
    data = (LAYOUTS / name).read_bytes()
    with capture(execute=True):
        outcome = services.ingest_upload(io.BytesIO(data), name)
    disclosure = outcome.disclosure
    disclosure.refresh_from_db()
    services.publish(disclosure, acknowledge_errors=True)
    return disclosure


def test_publishing_adds_the_codes_its_tables_print_for_its_year(
    django_capture_on_commit_callbacks,
):
    """budget_2024_codes_by_edition.txt prints 208, 20801, 2080101, 2080104 (2008 data only)
    and 2080177 (in no edition); 劳动保障监察 is coded from the dictionary, 就业管理事务 not
    at all: neither is printed."""
    call_command("load_reference")
    disclosure = _publish_layout(
        "budget_2024_codes_by_edition.txt", django_capture_on_commit_callbacks
    )
    assert disclosure.is_published and disclosure.fiscal_year == 2024
    rows = ClassificationName.objects.filter(disclosure=disclosure)
    assert sorted(rows.values_list("code__code", "name", "edition", "origin")) == [
        ("208", "社会保障和就业支出", 2024, "disclosure"),
        ("20801", "人力资源和社会保障管理事务", 2024, "disclosure"),
        ("2080101", "行政运行", 2024, "disclosure"),
        ("2080104", "综合业务管理", 2024, "disclosure"),
        ("2080177", "新设科目", 2024, "disclosure"),
    ]
    new = _code("2080177")
    assert (new.name, new.level, new.parent_code) == ("新设科目", 3, "20801")
    # publishing again (or after a re-parse) replaces the disclosure's rows
    assert dictionary.record_printed_codes(disclosure) == 5
    assert ClassificationName.objects.filter(disclosure=disclosure).count() == 5
    # unpublished: its names no longer count
    services.unpublish(disclosure)
    current, names = dictionary.code_names("functional", "2080177")
    assert current == "新设科目" and names == []


def test_a_disclosure_printing_a_new_name_becomes_the_name_for_its_year():
    call_command("load_reference")
    dept = make_department(region=make_region())
    disclosure = make_disclosure(
        dept,
        fiscal_year=2024,
        items=[("2080106", "就业服务补贴", "30"), ("20805", "行政事业单位养老支出", "10")],
    )
    disclosure.parse_result["provenance"] = {
        "functional.department[0]": {"text": "2080106 | 就业服务补贴 | 30.00", "row": 4},
        "functional.department[1]": {"text": "行政事业单位养老支出 | 10.00", "row": 5},
    }
    disclosure.save()
    services.publish(disclosure)
    assert _names("2080106")[(2024, "disclosure")] == "就业服务补贴"
    assert (2024, "disclosure") not in _names("20805")  # coded from the name: not printed
    # a modern source beats the 2008-only name, which stays for the old years
    assert _code("2080106").name == "就业服务补贴"
    rows = dictionary.code_names("functional", "2080106")[1]
    assert dictionary.names_for_years(rows, [2010, 2020, 2024]) == {
        2010: "就业管理事务",
        2020: "就业服务补贴",
        2024: "就业服务补贴",
    }
    # superseded by a later upload that prints no such code: the name leaves the dictionary
    replacement = make_disclosure(dept, fiscal_year=2024, items=[("2080101", "行政运行", "9")])
    services.publish(replacement)
    disclosure.refresh_from_db()
    assert disclosure.publication == Publication.SUPERSEDED
    assert not ClassificationName.objects.filter(disclosure=disclosure).exists()
    assert _code("2080106").name == "就业管理事务"


# ------------------------------------------------------------------ official editions


def _xlsx(path: Path, rows) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年政府收支分类科目（节选）"])
    sheet.append(["科目编码", "科目名称", "级次"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_import_classification_from_xlsx_adds_renames_and_is_safe_to_rerun(tmp_path):
    call_command("load_reference")
    path = _xlsx(
        tmp_path / "kemu-2024.xlsx",
        [
            (208, "社会保障和就业支出", "类"),  # a number cell
            ("20805", "行政事业单位养老支出", "款"),
            ("2080108", "信息化建设支出", "项"),  # 2024: 信息化建设
            ("2080199", "其他人力资源和社会保障管理事务支出", 3),
            ("2089901", "新设试点支出", "项"),
            ("2080101", "行政运行", "类"),  # level contradicts the code
            ("20805", "重复", "款"),
            ("abc", "不是编码", ""),
            ("2080110", "", "项"),
        ],
    )
    before = ClassificationName.objects.count()
    out = io.StringIO()
    call_command("import_classification", str(path), "--edition", "2024", "--dry-run", stdout=out)
    text = out.getvalue()
    assert text.splitlines()[0] == (
        "dry run, nothing written: edition 2024 from kemu-2024.xlsx: "
        "added 1, renamed 1, unchanged 3, skipped 4"
    )
    assert "renamed 2080108: 信息化建设 → 信息化建设支出" in text
    assert "skipped row 8 (2080101): 级次与编码长度不符" in text
    assert "skipped row 9 (20805): 编码重复" in text
    assert "skipped row 10 (abc): 编码格式不对" in text
    assert "skipped row 11 (2080110): 没有名称" in text
    assert ClassificationName.objects.count() == before
    assert not ClassificationCode.objects.filter(code="2089901").exists()

    out = io.StringIO()
    call_command("import_classification", str(path), "--edition", "2024", stdout=out)
    assert "added 1, renamed 1, unchanged 3, skipped 4" in out.getvalue()
    assert ClassificationName.objects.count() == before + 5
    assert _names("2080108")[(2024, "official")] == "信息化建设支出"
    assert ClassificationName.objects.get(code__code="2080108", origin="official").source == (
        "kemu-2024.xlsx"
    )
    added = _code("2089901")
    assert (added.name, added.level, added.parent_code) == ("新设试点支出", 3, "20899")
    # the newest year's name: 2080108 has no edition after 2024, so the official name
    assert _code("2080108").name == "信息化建设支出"
    # 20805 has a 2026 source: its current name stays that year's
    assert _code("20805").name == "行政事业单位养老支出"

    out = io.StringIO()
    call_command("import_classification", str(path), "--edition", "2024", stdout=out)
    assert "added 0, renamed 0, unchanged 5, skipped 4" in out.getvalue()
    assert ClassificationName.objects.count() == before + 5


def test_import_classification_from_a_gb18030_csv_without_header(tmp_path):
    call_command("load_reference")
    path = tmp_path / "economic-2019.csv"
    path.write_bytes(
        "30217,公务接待费\n30311,代缴社会保险费,款\n313,对社会保障基金补助,类\n".encode("gb18030")
    )
    out = io.StringIO()
    call_command("import_classification", str(path), "--edition", "2019", stdout=out)
    # 30311 was 住房公积金 in the 2017 source, 313 is in no edition
    assert out.getvalue().splitlines()[0] == (
        "edition 2019 from economic-2019.csv: added 1, renamed 1, unchanged 1, skipped 0"
    )
    assert _names("30311", "economic")[(2019, "official")] == "代缴社会保险费"
    assert _code("313", "economic").level == 1
    rows = dictionary.code_names("economic", "30311")[1]
    assert dictionary.names_for_years(rows, [2017, 2019, 2024]) == {
        2017: "住房公积金",
        2019: "代缴社会保险费",
        2024: "代缴社会保险费",
    }


def test_import_classification_refuses_what_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_classification", str(tmp_path / "nope.xlsx"), "--edition", "2024")
    odd = tmp_path / "kemu.pdf"
    odd.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match="not an .xlsx or .csv"):
        call_command("import_classification", str(odd), "--edition", "2024")
    empty = tmp_path / "empty.csv"
    empty.write_text("科目编码,科目名称\n", "utf-8")
    with pytest.raises(CommandError, match="no rows"):
        call_command("import_classification", str(empty), "--edition", "2024")
    with pytest.raises(CommandError, match="not a fiscal year"):
        call_command("import_classification", str(empty), "--edition", "24")


def test_the_parser_and_the_database_agree_on_the_name_for_a_year():
    """The database applies the parser's edition rule: for every code of the shipped data
    and a spread of years, the same name."""
    call_command("load_reference")
    rows: dict = {}
    for row in ClassificationName.objects.select_related("code"):
        rows.setdefault((row.code.system, row.code.code), []).append(row)
    for (system, code), names in rows.items():
        look_up = (
            classification.functional_name
            if system == "functional"
            else classification.economic_name
        )
        for year in (2005, 2010, 2017, 2019, 2020, 2023, 2024, 2030, None):
            assert dictionary.name_for_year(names, year) == look_up(code, year), (code, year)


def test_the_admin_lists_a_codes_names_by_edition(staff_client):
    call_command("load_reference")
    changelist = staff_client.get("/admin/disclosures/classificationcode/", {"q": "离退休"})
    assert changelist.status_code == 200
    listed = {c.code for c in changelist.context["cl"].result_list}
    assert {"20805", "2080501"} <= listed  # found through a former name, once each
    assert len(changelist.context["cl"].result_list) == len(listed)
    page = staff_client.get(f"/admin/disclosures/classificationcode/{_code('20805').pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("行政事业单位离退休") >= 4 and "js-rd-2019" in html
