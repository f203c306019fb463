"""The team's shared folder beside the repository (``../shared``), whose samples and format
description the repository keeps copies of; the sync tests compare the copies with it."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

# Skip only where ../shared is absent (a checkout on its own, e.g. CI); where it exists,
# anything missing from it or different is a failure.
requires_shared = pytest.mark.skipif(
    not SHARED.exists(), reason="../shared is not beside the repository"
)


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def differences(ours: Path, theirs: Path) -> list[str]:
    """How the repository's copy ``ours`` differs from ``theirs`` in ../shared (two files
    or two folders compared byte for byte); empty when identical."""
    if ours.is_file() or theirs.is_file():
        if not theirs.is_file():
            return [f"missing in ../shared: {theirs}"]
        if not ours.is_file():
            return [f"missing in the repository: {ours.relative_to(REPO)}"]
        return [] if filecmp.cmp(ours, theirs, shallow=False) else [str(ours.relative_to(REPO))]
    mine, shared = set(_files(ours)), set(_files(theirs))
    return (
        [f"only in the repository: {p}" for p in sorted(mine - shared)]
        + [f"only in ../shared: {p}" for p in sorted(shared - mine)]
        + [
            f"different: {p}"
            for p in sorted(mine & shared)
            if not filecmp.cmp(ours / p, theirs / p, shallow=False)
        ]
    )
