"""Shared helpers for the interdependence tests: data and tinyBIG golden cases."""

import json
import pathlib

import numpy as np
import pytest

GOLDEN = pathlib.Path(__file__).parents[1] / "data" / "tinybig_reference.npz"


@pytest.fixture(scope="session")
def make_data():
    """Returns ``make_data(shape, seed=0)``: deterministic standard-normal float32 data."""

    def make(shape, seed=0, dtype=np.float32):
        return np.random.default_rng(seed).standard_normal(shape).astype(dtype)

    return make


@pytest.fixture(scope="session")
def tinybig_case():
    """Returns the fields of one tinyBIG golden case (``tinybig_case("t043")``)."""
    archive = np.load(GOLDEN, allow_pickle=False)

    def case(name):
        fields = {k.split("/", 1)[1]: archive[k] for k in archive.files if k.startswith(name + "/")}
        fields["kwargs"] = json.loads(str(fields["kwargs"]))
        assert str(fields["family"]) == "interdependence"
        return fields

    return case
