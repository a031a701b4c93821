"""ops.combinations: lexicographic r-combinations against itertools."""

import itertools

import numpy as np
import pytest

from jaxbig.ops import combinations, num_combinations


@pytest.mark.parametrize("m, r", [(0, 1), (1, 1), (4, 1), (5, 2), (6, 3), (4, 4), (3, 5)])
@pytest.mark.parametrize("with_replacement", [False, True])
def test_rows_equal_itertools(m, r, with_replacement):
    make = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    expected = np.array(list(make(range(m), r)), dtype=np.int64).reshape(-1, r)
    got = combinations(m, r, with_replacement=with_replacement)
    np.testing.assert_array_equal(got, expected)
    assert len(got) == num_combinations(m, r, with_replacement=with_replacement)


def test_bad_sizes_are_named():
    with pytest.raises(ValueError, match=r"combinations: r=0 must be >= 1"):
        combinations(3, 0)
