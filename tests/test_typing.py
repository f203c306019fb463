"""mypy (with django-stubs) finds no type errors in the checked code.

Strictness is per module in pyproject.toml ``[tool.mypy]``: strict for the parser,
lenient elsewhere. To check more of the code, add its path to CHECKED_PATHS.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Paths given to mypy, relative to the repository root.
CHECKED_PATHS: list[str] = ["disclosures", "config", "comparisons"]

REPO = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_type_errors() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", *CHECKED_PATHS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"mypy {' '.join(CHECKED_PATHS)}:\n{done.stdout}{done.stderr}"
