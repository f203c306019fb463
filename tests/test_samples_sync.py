"""disclosures/samples must stay identical to ../shared/samples (the team's source of truth)."""

import filecmp

import pytest

from .conftest import SAMPLES, SHARED_SAMPLES


def _files(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


@pytest.mark.skipif(not SHARED_SAMPLES.exists(), reason="../shared/samples is not beside the repo")
def test_repo_samples_are_identical_to_shared_samples():
    ours, theirs = _files(SAMPLES), _files(SHARED_SAMPLES)
    assert ours == theirs, "file lists differ: re-sync disclosures/samples from ../shared/samples"
    different = [
        str(p) for p in ours if not filecmp.cmp(SAMPLES / p, SHARED_SAMPLES / p, shallow=False)
    ]
    assert different == [], f"re-sync these from ../shared/samples: {different}"
