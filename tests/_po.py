"""Reading the gettext catalogue in tests (used by test_i18n and the parser's message test)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EN_PO = REPO / "locale" / "en" / "LC_MESSAGES" / "django.po"

PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def _unquote(line: str) -> str:
    body = line.strip()
    assert body.startswith('"') and body.endswith('"'), f"not a PO string: {line!r}"
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), body[1:-1])


def parse_po(path: Path) -> list[dict]:
    """A tiny PO reader: one dict per active entry (obsolete `#~` entries are skipped), with
    its flags, msgid, optional msgid_plural, and msgstr / msgstr[N] keys."""
    entries: list[dict] = []
    for block in re.split(r"\n\s*\n", path.read_text("utf-8").strip()):
        entry: dict = {"flags": set()}
        key = None
        for ln in block.splitlines():
            if ln.startswith("#~"):
                continue
            if ln.startswith("#,"):
                entry["flags"] |= {f.strip() for f in ln[2:].split(",") if f.strip()}
            elif ln.startswith("#"):
                continue
            elif ln.startswith('"'):
                entry[key] += _unquote(ln)
            else:
                key, _, rest = ln.partition(" ")
                entry[key] = _unquote(rest)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def placeholders(text: str) -> list[str]:
    """The printf-style placeholders of a message, sorted, without ``%%``."""
    return sorted(set(PLACEHOLDER.findall(text)) - {"%%"})
