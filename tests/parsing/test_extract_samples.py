"""Every sample, in every format, parses to the values a careful reader takes from it.

The expected values are disclosures/samples/expected/<id>.json. Text dumps and the
DOCX/PDF fixtures must match every stated key exactly; the XLSX fixtures hold only the
published tables (no narrative), so a figure stated only in prose may be null there —
but never a different number.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from disclosures.parsing import parse

SAMPLES = Path(__file__).resolve().parents[2] / "disclosures" / "samples"
TOL = 0.005
_READER_MODULES = {"docx": "docx", "pdf": "pdf", "xlsx": "xlsx"}


def _cases() -> list:
    cases = [pytest.param(p, id=p.name) for p in sorted(SAMPLES.glob("*.txt"))]
    for ext in ("docx", "pdf", "xlsx"):
        cases += [
            pytest.param(p, id=p.name) for p in sorted((SAMPLES / "fixtures").glob(f"*.{ext}"))
        ]
    return cases


def _expected(path: Path) -> dict:
    sample_id = path.name.split(".")[0]
    return json.loads((SAMPLES / "expected" / f"{sample_id}.json").read_text("utf-8"))


def _parse(path: Path):
    ext = path.suffix.lstrip(".")
    if ext in _READER_MODULES:
        try:
            importlib.import_module(f"disclosures.parsing.readers.{_READER_MODULES[ext]}")
        except ImportError:
            pytest.skip(f"the {ext} reader is not written yet")
    return parse(path.read_bytes(), path.name).to_dict()


def _close(got, want) -> bool:
    if want is None or got is None:
        return got is want
    return abs(float(got) - float(want)) <= TOL


@pytest.mark.parametrize("path", _cases())
def test_sample_parses_to_expected_values(path: Path) -> None:
    got, want = _parse(path), _expected(path)
    tables_only = path.suffix == ".xlsx"
    problems: list[str] = []

    names = [want["department"], *want.get("department_aliases", [])]
    if tables_only:
        # A workbook without a title sheet may not name the department at all.
        if got["department"] is not None and got["department"] not in names:
            problems.append(f"department {got['department']!r} not in {names}")
    elif got["department"] not in names:
        problems.append(f"department {got['department']!r} not in {names}")
    for key in ("fiscal_year", "kind"):
        if got[key] != want[key]:
            problems.append(f"{key}: {got[key]!r} != {want[key]!r}")
    assert got["unit"] == "万元"

    for group in ("totals", "three_public", "assets"):
        for key, value in want.get(group, {}).items():
            have = got[group].get(key)
            if tables_only and have is None:
                continue
            if not _close(have, value):
                problems.append(f"{group}.{key}: {have!r} != {value!r}")
        for key, have in got[group].items():
            if key not in want.get(group, {}) and have is not None:
                problems.append(f"{group}.{key}: {have!r} is not stated in the document")

    complete = set(want.get("complete_scopes", []))
    for group in ("functional", "economic"):
        for scope, items in want.get(group, {}).items():
            have = got[group].get(scope, [])
            by_code = {i["code"]: i for i in have if i["code"]}
            for item in items:
                mine = by_code.get(item["code"])
                if mine is None:
                    problems.append(f"{group}.{scope}: missing {item['code']} {item['name']}")
                    continue
                for field in ("name", "total", "basic", "project"):
                    if field not in item:
                        continue
                    ok = (
                        (mine[field] == item[field])
                        if field == "name"
                        else _close(mine[field], item[field])
                    )
                    if not ok:
                        problems.append(
                            f"{group}.{scope}.{item['code']}.{field}: "
                            f"{mine[field]!r} != {item[field]!r}"
                        )
            wanted = {i["code"] for i in items}
            extra = [i for i in have if i["code"] not in wanted]
            if scope in complete:
                if extra:
                    problems.append(f"{group}.{scope}: unexpected items {extra}")
                if [i["code"] for i in have] != [i["code"] for i in items]:
                    problems.append(f"{group}.{scope}: order differs")
            else:
                # Extra items are allowed only as code-less rows a person must assign.
                wrong = [i for i in extra if i["code"] is not None]
                if wrong:
                    problems.append(f"{group}.{scope}: unexpected coded items {wrong}")
                uncoded = [i for i in extra if i["code"] is None]
                flagged = [c for c in got["checks"] if c["rule"] == "code_missing"]
                if len(flagged) < len(uncoded):
                    problems.append(f"{group}.{scope}: code-less items without a check")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", [p for p in _cases() if p.values[0].suffix != ".xlsx"])
def test_sample_region_matches_gazetteer(path: Path) -> None:
    try:
        importlib.import_module("disclosures.parsing.gazetteer")
    except ImportError:
        pytest.skip("the gazetteer is not written yet")
    got, want = _parse(path), _expected(path)
    assert got["region"] == want["region"]
    if want["region"] == {"province": None, "city": None, "county": None}:
        assert any(c["rule"] == "region_unknown" for c in got["checks"])


@pytest.mark.parametrize("path", [p for p in _cases() if p.values[0].suffix == ".txt"])
def test_every_output_figure_has_provenance(path: Path) -> None:
    got = _parse(path)
    for group in ("totals", "three_public", "assets"):
        for key, value in got[group].items():
            if value is not None:
                assert f"{group}.{key}" in got["provenance"], f"{group}.{key}"
    for group in ("functional", "economic"):
        for scope, items in got[group].items():
            for i in range(len(items)):
                assert f"{group}.{scope}[{i}]" in got["provenance"]
    if got["department"]:
        assert "department" in got["provenance"]
