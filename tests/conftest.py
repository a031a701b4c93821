"""Shared test configuration and fixtures."""

import json
import os
import pathlib

import hypothesis
import numpy as np
import pytest

# Deterministic, bounded property tests: CI must neither flake nor run long.
hypothesis.settings.register_profile(
    "jaxbig", deadline=None, max_examples=60, derandomize=True, print_blob=True
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "jaxbig"))

TINYBIG_GOLDEN = pathlib.Path(__file__).parent / "data" / "tinybig_reference.npz"


@pytest.fixture(scope="session")
def tinybig_case():
    """Returns ``case(name, family)``: the fields of one tinyBIG golden case.

    ``kwargs`` is decoded from JSON; ``family`` must be the case's family, so a
    test never silently reads a case of another family.
    """
    archive = np.load(TINYBIG_GOLDEN, allow_pickle=False)

    def case(name, family):
        fields = {k.split("/", 1)[1]: archive[k] for k in archive.files if k.startswith(name + "/")}
        fields["kwargs"] = json.loads(str(fields["kwargs"]))
        if str(fields["family"]) != family:
            raise LookupError(f"golden case {name} is {fields['family']}, not {family}")
        return fields

    return case
