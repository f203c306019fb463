"""disclosures/samples must stay identical to ../shared/samples (the team's source of truth)."""

from ._shared import REPO, SHARED, differences, requires_shared


@requires_shared
def test_repo_samples_are_identical_to_shared_samples():
    assert differences(REPO / "disclosures" / "samples", SHARED / "samples") == [], (
        "re-sync: rm -rf disclosures/samples && cp -r ../shared/samples disclosures/samples"
    )
