"""The outline of a document: titles, table names and explanatory sentences.

Kept with a parse so completeness (which standard tables and explanations a disclosure
contains) can be judged against an editable checklist without re-reading the file.
"""

from __future__ import annotations

from .types import Document, Paragraph, Table

MAX_LINES = 3000
MAX_CHARS = 240


def outline(document: Document) -> tuple[str, ...]:
    """Every paragraph (trimmed) and the first non-empty cells of every table's top rows."""
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            text = " ".join(block.text.split())
            if text:
                lines.append(text[:MAX_CHARS])
        elif isinstance(block, Table):
            for row in block.rows[:2]:
                text = " ".join(c.strip() for c in row if c and c.strip())
                if text:
                    lines.append(text[:MAX_CHARS])
        if len(lines) >= MAX_LINES:
            break
    return tuple(lines)
