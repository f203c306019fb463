"""Every kind of check the parser can raise has a plain explanation for the review screen."""

from __future__ import annotations

import re
from pathlib import Path

from disclosures.labels import RULE_EXPLANATIONS

PARSING = Path(__file__).resolve().parents[2] / "disclosures" / "parsing"
# Check("warning", "rule", …) possibly over several lines, or Check(…, rule="…")
CHECK = re.compile(r'Check\(\s*(?:severity=)?"(?:error|warning|info)",\s*(?:rule=)?"([a-z_]+)"')


def test_every_rule_the_parser_raises_is_explained():
    rules = set()
    for path in PARSING.rglob("*.py"):
        rules |= set(CHECK.findall(path.read_text("utf-8")))
    assert len(rules) > 20, "the scan no longer finds the checks"
    missing = sorted(rules - set(RULE_EXPLANATIONS))
    assert not missing, f"add an explanation to disclosures/labels.py for {missing}"
