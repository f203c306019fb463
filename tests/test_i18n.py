"""The English catalogue is complete, not fuzzy, and the compiled .mo matches the .po."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from ._po import parse_po, placeholders


@pytest.fixture
def po_path(settings) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_is_complete_and_not_fuzzy(po_path):
    assert po_path.exists(), "run makemessages -l en"
    entries = parse_po(po_path)
    assert len(entries) > 100, "the catalogue looks truncated"
    problems = []
    for e in entries:
        label = e["msgid"][:60] or "(header)"
        if "fuzzy" in e["flags"]:
            problems.append(f"fuzzy: {label}")
        if e["msgid"] == "":
            continue
        msgstrs = [v for k, v in e.items() if k == "msgstr" or k.startswith("msgstr[")]
        if "msgid_plural" in e and len(msgstrs) < 2:
            problems.append(f"plural forms missing: {label}")
        if not msgstrs or any(not s.strip() for s in msgstrs):
            problems.append(f"untranslated: {label}")
            continue
        wanted = placeholders(e["msgid"])
        for s in msgstrs:
            got = placeholders(s)
            if got != wanted:
                problems.append(f"placeholders {got} != {wanted}: {label}")
    assert not problems, "\n".join(problems)


def test_compiled_mo_matches_the_po(po_path, tmp_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), "run compilemessages"
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed; only the runtime check applies")
    fresh = tmp_path / "django.mo"
    subprocess.run(
        [msgfmt, "--check-format", "-o", str(fresh), str(po_path)], check=True, timeout=60
    )
    with mo_path.open("rb") as committed, fresh.open("rb") as compiled:
        assert (
            gettext.GNUTranslations(committed)._catalog
            == gettext.GNUTranslations(compiled)._catalog
        ), "django.mo is stale: run compilemessages"


def test_english_is_served_at_runtime():
    # Called through an alias so that makemessages does not collect these test strings.
    english = translation.gettext
    with translation.override("en"):
        assert english("下载原文件") == "Download the original file"
        assert english("简体中文") == "简体中文"
        assert english("English") == "English"
        assert english("带已知不一致发布") == "Published with known inconsistencies"
        assert english("第 %(page)s 页") % {"page": 3} == "page 3"
    with translation.override("zh-hans"):
        assert english("下载原文件") == "下载原文件"
