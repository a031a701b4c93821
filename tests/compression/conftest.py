"""Shared fixtures for the compression tests: tinyBIG golden cases."""

import json
import pathlib

import numpy as np
import pytest

GOLDEN = pathlib.Path(__file__).parents[1] / "data" / "tinybig_reference.npz"


@pytest.fixture(scope="session")
def compression_case():
    """Returns the fields of one tinyBIG golden compression case (``compression_case("t000")``)."""
    data = np.load(GOLDEN, allow_pickle=False)

    def case(name):
        fields = {k.split("/", 1)[1]: data[k] for k in data.files if k.startswith(name + "/")}
        fields["kwargs"] = json.loads(str(fields["kwargs"]))
        assert str(fields["family"]) == "compression"
        return fields

    return case
