"""docs/extraction.md must stay identical to ../shared/docs/EXTRACTION.md, the format
description the team keeps in ../shared."""

from ._shared import REPO, SHARED, differences, requires_shared


@requires_shared
def test_the_format_description_is_identical_to_the_shared_one():
    assert differences(REPO / "docs" / "extraction.md", SHARED / "docs" / "EXTRACTION.md") == [], (
        "re-sync: cp ../shared/docs/EXTRACTION.md docs/extraction.md"
    )
