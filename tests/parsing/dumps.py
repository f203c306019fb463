"""Split a text dump (tab-separated table rows, '#' headings) into the pieces a converter
to another format needs."""

from __future__ import annotations

from collections.abc import Iterator


def pieces(text: str) -> Iterator[tuple[str, object]]:
    """Yield ("heading", text), ("paragraph", text) or ("table", rows) in document order."""
    rows: list[list[str]] = []
    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            yield "table", rows
            rows = []
        if line.strip():
            yield ("heading" if line.startswith("#") else "paragraph"), line.lstrip("#").strip()
    if rows:
        yield "table", rows
