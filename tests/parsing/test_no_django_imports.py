"""The parser is a pure library: importing and running it never loads Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from pathlib import Path
import disclosures.parsing as parsing
sample = sorted(Path("disclosures/samples").glob("*.txt"))[0]
result = parsing.parse(sample.read_bytes(), sample.name)
assert result.department, "the sample did not parse"
bad = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print("DJANGO:" + ",".join(bad))
"""


def test_importing_and_parsing_leaves_django_unloaded() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "DJANGO:\n" in done.stdout or done.stdout.strip() == "DJANGO:", done.stdout
