"""Each rule has one definition. A copied filter is where bugs hide: the old copies of
"published" (status="published" in six places) hid the bug that took published data off
the public site during a re-parse. These greps keep the copies from coming back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = [
    p
    for app in ("disclosures", "comparisons", "config")
    for p in (REPO / app).rglob("*.py")
    if "migrations" not in p.parts and "samples" not in p.parts
]

# rule → (pattern, the files allowed to spell it out)
RULES = {
    "published": (
        re.compile(r"""["']published["']|publication(__\w+)?\s*=\s*Publication\.PUBLISHED"""),
        {"disclosures/models.py", "disclosures/choices.py", "disclosures/services/publishing.py"},
    ),
    "region subtree": (
        re.compile(r"region__parent__parent(_id)?(__in)?\s*="),
        {"disclosures/models.py"},
    ),
    "level of a code": (
        re.compile(r"\{\s*3\s*:\s*1\s*,\s*5\s*:\s*2|len\(code\)\s*(==|in)\s*[\(\{]?\s*[357]"),
        {"disclosures/parsing/classification.py"},
    ),
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_a_rule_is_written_once(rule):
    pattern, allowed = RULES[rule]
    copies = []
    for path in SOURCES:
        rel = path.relative_to(REPO).as_posix()
        if rel in allowed:
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if pattern.search(line) and not line.lstrip().startswith("#"):
                copies.append(f"{rel}:{number}: {line.strip()}")
    assert not copies, f"'{rule}' is spelt out again; call the one definition:\n" + "\n".join(
        copies
    )


def test_the_guard_finds_a_copy():
    pattern, _ = RULES["published"]
    assert pattern.search('Department.objects.filter(disclosures__status="published")')
    assert pattern.search("qs.filter(publication=Publication.PUBLISHED)")
    assert RULES["region subtree"][0].search("Q(region__parent__parent=r)")
    assert RULES["level of a code"][0].search("level = {3: 1, 5: 2, 7: 3}.get(len(c))")
