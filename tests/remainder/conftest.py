"""Shared fixtures for the remainder tests: tinyBIG golden cases."""

import json
import pathlib

import numpy as np
import pytest

GOLDEN = pathlib.Path(__file__).parents[1] / "data" / "tinybig_reference.npz"


@pytest.fixture(scope="session")
def tinybig_case():
    """Returns the fields of one tinyBIG golden case (``tinybig_case("t049")``)."""
    data = np.load(GOLDEN, allow_pickle=False)

    def case(name):
        fields = {k.split("/", 1)[1]: data[k] for k in data.files if k.startswith(name + "/")}
        fields["kwargs"] = json.loads(str(fields["kwargs"]))
        assert str(fields["family"]) == "remainder"
        return fields

    return case
