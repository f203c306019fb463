"""Every reason a file is refused is a code with parameters, worded in Chinese and English.

``err.code`` names the reason (a key of ``errors.MESSAGES``), ``err.params`` fills its
template and ``str(err)`` is the Chinese message. The English is the ``msgstr`` of the
Chinese template in ``locale/en/LC_MESSAGES/django.po``, applied when the message is shown.
"""

from __future__ import annotations

import ast
import io
import json
import pickle
import random
import re
import zipfile
from pathlib import Path

import pytest

from disclosures.parsing import ParseError, detect_format, parse
from disclosures.parsing.errors import GENERIC_MESSAGE, MESSAGES, placeholders, render_message
from disclosures.parsing.readers import _OTHER_SIGNATURES

from .._po import EN_PO, parse_po
from .._po import placeholders as printf_placeholders
from .pdfs import ONE_PAGE, make_pdf

PACKAGE = Path(__file__).resolve().parents[2] / "disclosures" / "parsing"
SAMPLE_PDFS = sorted((PACKAGE.parent / "samples" / "fixtures").glob("000_*.pdf"))
CJK = re.compile(r"[\u4e00-\u9fff]")

# Set by disclosures/services.py (missing file, time limit, crash, sweep, killed worker),
# never raised by the parser itself.
SERVICE_CODES = {
    "file_missing",
    "timeout",
    "crashed",
    "gave_up",
    "too_large_or_malformed",
    "legacy",
}


def _encryptedmake_pdf() -> bytes:
    encrypt = (
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"
    )
    ident = b"<00112233445566778899aabbccddeeff>"
    return make_pdf(ONE_PAGE + [encrypt], b"/Encrypt 4 0 R /ID [" + ident + b" " + ident + b"] ")


def _truncatedmake_pdf() -> bytes:
    data = SAMPLE_PDFS[0].read_bytes() if SAMPLE_PDFS else make_pdf(ONE_PAGE)
    return data[: len(data) // 2]


def _plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return buf.getvalue()


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

# name: (bytes, file name, expected code, expected params)
BAD_FILES: dict[str, tuple[bytes, str, str, dict[str, object]]] = {
    "empty": (b"", "empty.pdf", "empty_file", {}),
    "blank": (b"   \n\t ", "blank.txt", "empty_file", {}),
    "png": (
        b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200),
        "scan.pdf",
        "image_file",
        {"kind": "PNG"},
    ),
    "jpeg": (b"\xff\xd8\xff\xe0" + bytes(100), "budget.pdf", "image_file", {"kind": "JPEG"}),
    "rar": (b"Rar!\x1a\x07\x00" + bytes(100), "budget.rar", "archive_file", {"kind": "RAR"}),
    "webp": (
        b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(100),
        "scan.webp",
        "image_file",
        {"kind": "WEBP"},
    ),
    "random bytes": (
        random.Random(20240101).randbytes(4096),
        "budget.docx",
        "unknown_file_type",
        {},
    ),
    "truncated pdf": (_truncatedmake_pdf(), "cut.pdf", "truncated_pdf", {}),
    "corrupt pdf": (
        b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n",
        "bad.pdf",
        "damaged_pdf",
        {},
    ),
    "encrypted pdf": (_encryptedmake_pdf(), "secret.pdf", "encrypted", {}),
    "pdf without text": (make_pdf(ONE_PAGE), "scan.pdf", "scanned_pdf", {}),
    "broken zip": (b"PK\x03\x04" + bytes(64), "broken.docx", "damaged_archive", {}),
    "plain zip": (_plain_zip(), "budget.docx", "zip_file", {}),
    "old word doc": (
        _OLE + "WordDocument".encode("utf-16-le"),
        "budget.doc",
        "old_word_file",
        {},
    ),
    "encrypted office": (
        _OLE + "EncryptedPackage".encode("utf-16-le"),
        "budget.xlsx",
        "encrypted",
        {},
    ),
    "unknown ole": (_OLE + bytes(512), "budget.xls", "old_office_file", {}),
    "unfilled template": (
        "# XX市XX局\n\n## 20XX年部门预算\n\n收入总计\t××\n".encode(),
        "template.txt",
        "unfilled_template",
        {},
    ),
    "not a disclosure": (
        "第一章\n\n天色已晚，他走进了小屋。\n".encode(),
        "novel.txt",
        "not_a_disclosure",
        {},
    ),
}


def _english_catalogue() -> dict[str, dict]:
    return {e["msgid"]: e for e in parse_po(EN_PO) if e["msgid"]}


def _english(code: str, params: dict[str, object] | None) -> str:
    catalogue = _english_catalogue()
    return render_message(code, params, lambda msgid: catalogue[msgid]["msgstr"])


@pytest.mark.parametrize("data,name,code,params", BAD_FILES.values(), ids=list(BAD_FILES.keys()))
def test_a_refused_file_says_why_in_chinese_and_in_english(
    data: bytes, name: str, code: str, params: dict[str, object]
) -> None:
    with pytest.raises(ParseError) as caught:
        parse(data, name)
    err = caught.value
    assert (err.code, err.params) == (code, params), str(err)
    assert str(err) == err.message == render_message(code, params)
    assert str(err).strip() and CJK.search(str(err)), str(err)
    english = _english(err.code, err.params)
    assert re.search(r"[A-Za-z]{3}", english), english
    assert not CJK.search(english), english


def test_an_image_is_named_in_english_too() -> None:
    with pytest.raises(ParseError) as caught:
        parse(b"\x89PNG\r\n\x1a\n" + bytes(64), "scan.pdf")
    assert "图片（PNG）" in str(caught.value)
    assert "image (PNG)" in _english(caught.value.code, caught.value.params)


@pytest.mark.parametrize(
    "magic,code,kind", _OTHER_SIGNATURES, ids=[c + "-" + (k or "") for _, c, k in _OTHER_SIGNATURES]
)
def test_each_known_wrong_file_type_gets_its_own_code(
    magic: bytes, code: str, kind: str | None
) -> None:
    with pytest.raises(ParseError) as caught:
        detect_format(magic + bytes(64), "budget.pdf")
    assert caught.value.code == code
    assert caught.value.params == ({"kind": kind} if kind else {})


# ------------------------------------------------------------------ ParseError itself


def test_an_error_keeps_its_code_and_params_and_reads_in_chinese() -> None:
    err = ParseError("damaged_sheet", sheet="表一")
    assert err.code == "damaged_sheet"
    assert err.params == {"sheet": "表一"}
    assert str(err) == err.message == "文件已损坏：工作表“表一”无法读取。"
    assert err.args == (err.message,)
    assert json.loads(json.dumps(err.params)) == err.params


def test_an_unknown_code_fails_at_once() -> None:
    with pytest.raises(KeyError, match="damaged_shet"):
        ParseError("damaged_shet", sheet="表一")


@pytest.mark.parametrize(
    "params",
    [{}, {"sheet": "表一", "extra": 1}, {"sheets": "表一"}],
    ids=["missing", "extra", "typo"],
)
def test_parameters_must_match_the_template(params: dict[str, str | int]) -> None:
    with pytest.raises(ValueError, match="damaged_sheet"):
        ParseError("damaged_sheet", **params)


def test_parameters_must_be_plain_json_values() -> None:
    with pytest.raises(TypeError):
        ParseError("timeout", limit=object())  # type: ignore[arg-type]


def test_an_error_survives_pickling() -> None:
    # Celery and multiprocessing pickle exceptions; the default would call ParseError(message).
    original = ParseError("timeout", limit=300)
    err = pickle.loads(pickle.dumps(original))
    assert (err.code, err.params, str(err)) == ("timeout", {"limit": 300}, str(original))
    assert "300" in str(err)


def test_a_stored_row_with_an_unknown_code_gets_a_generic_message() -> None:
    message = render_message("no_such_code", {"x": 1})
    assert "no_such_code" in message and CJK.search(message)
    assert "no_such_code" in _english("no_such_code", None)


def test_a_stored_row_with_missing_params_still_renders() -> None:
    assert render_message("timeout", None) == render_message("timeout", {"limit": "…"})
    assert render_message("gave_up", {}).startswith("解析 … 次")
    assert render_message("encrypted", None) == MESSAGES["encrypted"]


def test_the_message_goes_through_the_given_translation() -> None:
    seen: list[str] = []

    def translate(msgid: str) -> str:
        seen.append(msgid)
        return "took more than %(limit)s s"

    assert render_message("timeout", {"limit": 240}, translate) == "took more than 240 s"
    assert seen == [MESSAGES["timeout"]]


def test_a_broken_translation_falls_back_to_chinese() -> None:
    assert render_message("timeout", {"limit": 9}, lambda s: "%(secs)d s") == render_message(
        "timeout", {"limit": 9}
    )


# ------------------------------------------------------------------ the catalogue


def test_every_message_has_an_english_translation_with_the_same_placeholders() -> None:
    catalogue = _english_catalogue()
    problems = []
    for code, template in [*MESSAGES.items(), ("(generic)", GENERIC_MESSAGE)]:
        entry = catalogue.get(template)
        if entry is None:
            problems.append(f"{code}: not in {EN_PO.name}")
            continue
        english = entry["msgstr"]
        if not english.strip() or "fuzzy" in entry["flags"]:
            problems.append(f"{code}: untranslated or fuzzy")
        if CJK.search(english):
            problems.append(f"{code}: English contains Chinese: {english}")
        if printf_placeholders(english) != printf_placeholders(template):
            problems.append(f"{code}: placeholders differ: {english}")
        if placeholders(template) and "python-format" not in entry["flags"]:
            problems.append(f"{code}: lacks the python-format flag")
        if not placeholders(template) and "%" in template:
            problems.append(f"{code}: a bare % in a template without parameters")
    assert problems == [], "\n".join(problems)


def test_every_template_uses_only_named_string_placeholders() -> None:
    for code, template in MESSAGES.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code), code
        assert CJK.search(template), code
        named = {f"%({name})s" for name in placeholders(template)}
        assert set(printf_placeholders(template)) == named, code


# ------------------------------------------------------------------ raise sites


def _parse_error_calls() -> list[tuple[Path, ast.Call]]:
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name == "ParseError":
                    calls.append((path, node))
    return calls


# The one raise site whose code is a variable: the table of wrong file types, which
# test_each_known_wrong_file_type_gets_its_own_code raises entry by entry.
DYNAMIC_SITES = {("readers/__init__.py", "code")}


def test_every_parse_error_in_the_package_uses_a_known_code_and_its_parameters() -> None:
    calls = _parse_error_calls()
    assert len(calls) >= 25  # the scan really finds the raises
    problems = []
    for path, node in calls:
        where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
        first = node.args[0] if node.args else None
        if isinstance(first, ast.Name) and (str(path.relative_to(PACKAGE)), first.id) in (
            DYNAMIC_SITES
        ):
            continue
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            problems.append(f"{where}: the code is not a string literal")
            continue
        if len(node.args) != 1:
            problems.append(f"{where}: a message passed beside the code")
        if first.value not in MESSAGES:
            problems.append(f"{where}: unknown code {first.value!r}")
            continue
        given = {k.arg for k in node.keywords}
        if given != placeholders(MESSAGES[first.value]):
            problems.append(
                f"{where}: {first.value} takes {sorted(placeholders(MESSAGES[first.value]))}"
            )
    assert problems == [], "\n".join(problems)


def test_every_parser_code_is_raised_somewhere() -> None:
    literal = {
        node.args[0].value
        for _, node in _parse_error_calls()
        if node.args and isinstance(node.args[0], ast.Constant)
    }
    from_table = {code for _, code, _ in _OTHER_SIGNATURES}
    unused = set(MESSAGES) - SERVICE_CODES - literal - from_table
    assert unused == set(), f"codes nothing raises: {sorted(unused)}"
    assert SERVICE_CODES <= set(MESSAGES)
