"""jaxbig.data: the shipped digits, MNIST files, the function tasks and mini-batches."""

import ast
import gzip

import numpy as np
import pytest

from jaxbig.data import (DIMENSIONLESS_FEYNMAN, FEYNMAN, FUNCTIONS, batches, evaluate_formula, function_dataset,
                         load_digits, load_mnist, num_batches, read_idx)


def test_digits_split_is_stratified_deterministic_and_complete():
    a, b = load_digits(seed=3), load_digits(seed=3)
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p, q)
    assert len(a.x_train) + len(a.x_test) == 1797
    counts = np.bincount(a.y_test, minlength=10)
    totals = counts + np.bincount(a.y_train, minlength=10)
    np.testing.assert_array_equal(counts, np.round(0.2 * totals))
    assert a.x_train.dtype == np.float32 and 0.0 <= a.x_train.min() and a.x_train.max() == 1.0
    assert not np.array_equal(load_digits(seed=4).y_test, a.y_test)


def _idx(array, magic_type):
    header = bytes([0, 0, magic_type, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


@pytest.mark.parametrize("compress", [False, True])
def test_mnist_idx_files_are_read_gzipped_or_not(tmp_path, compress):
    rng = np.random.default_rng(0)
    parts = {"train": 5, "t10k": 3}
    expected = {}
    for part, size in parts.items():
        images = rng.integers(0, 256, size=(size, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size=size, dtype=np.uint8)
        expected[part] = (images, labels)
        for name, array in ((f"{part}-images-idx3-ubyte", images), (f"{part}-labels-idx1-ubyte", labels)):
            data = _idx(array, 0x08)
            if compress:
                (tmp_path / f"{name}.gz").write_bytes(gzip.compress(data))
            else:
                (tmp_path / name).write_bytes(data)
    split = load_mnist(tmp_path)
    np.testing.assert_allclose(split.x_train, expected["train"][0].reshape(5, -1) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(split.y_test, expected["t10k"][1])
    np.savez(tmp_path / "mnist.npz", x_train=expected["train"][0], y_train=expected["train"][1],
             x_test=expected["t10k"][0], y_test=expected["t10k"][1])
    np.testing.assert_array_equal(load_mnist(tmp_path / "mnist.npz").x_test, split.x_test)


def test_malformed_idx_file_is_rejected(tmp_path):
    (tmp_path / "bad").write_bytes(_idx(np.zeros((2, 3), np.uint8), 0x08)[:-1])
    with pytest.raises(ValueError, match=r"holds 17 bytes, its header \(2, 3\) needs 18"):
        read_idx(tmp_path / "bad")
    with pytest.raises(FileNotFoundError, match="has no train-images-idx3-ubyte"):
        load_mnist(tmp_path)


def test_function_tasks_evaluate_their_formulas():
    assert len(FUNCTIONS) == 34
    x, y, xt, yt = function_dataset("C.13", num=40, seed=1)
    s = np.concatenate([x, xt]).sum(1).astype(np.float64)
    np.testing.assert_allclose(np.concatenate([y, yt])[:, 0], np.exp(np.sin(s) + np.cos(s)), rtol=1e-6)
    assert x.shape == (20, 2) and 0.0 <= x.min() and x.max() <= 1.0
    x, _, _, _ = function_dataset("E.15", num=10)  # arccosh(x + y) on [0.5, 1]²
    assert x.min() >= 0.5
    with pytest.raises(ValueError, match=r"unknown task 'E.17'.*close matches"):
        function_dataset("E.17")


_ELEMENTARY = {"exp", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh",
               "arccosh", "arctanh", "sqrt", "ln", "pi"}


@pytest.mark.parametrize("collection, count", [(FEYNMAN, 100), (DIMENSIONLESS_FEYNMAN, 27)])
def test_feynman_tasks_declare_exactly_the_variables_their_formulas_use(collection, count):
    assert len(collection) == count
    for name, task in collection.items():
        used = {n.id for n in ast.walk(ast.parse(task.formula, mode="eval")) if isinstance(n, ast.Name)}
        declared = [v for v, _, _ in task.variables]
        assert used - _ELEMENTARY == set(declared) and len(set(declared)) == len(declared), name
        x, y, xt, yt = function_dataset(task, num=200, seed=2)
        assert x.shape == (100, len(declared)) and y.shape == (100, 1)
        assert np.isfinite(y).all() and np.isfinite(yt).all(), name
        low, high = np.array([v[1:] for v in task.variables]).T
        assert (x >= low - 1e-6).all() and (x <= high + 1e-6).all(), name


def test_feynman_datasets_equal_their_formulas():
    x, y, _, _ = function_dataset("I.12.11", num=50, seed=3)  # F = q (Ef + B v sin θ)
    q, ef, b, v, theta = x.astype(np.float64).T
    np.testing.assert_allclose(y[:, 0], q * (ef + b * v * np.sin(theta)), rtol=1e-5, atol=1e-4)  # x is rounded
    x, y, _, _ = function_dataset(FEYNMAN["I.6.2a"], num=50, seed=3)  # a standard normal density
    np.testing.assert_allclose(y[:, 0], np.exp(-x[:, 0].astype(np.float64) ** 2 / 2) / np.sqrt(2 * np.pi),
                               rtol=1e-5)
    x, y, _, _ = function_dataset(DIMENSIONLESS_FEYNMAN["I.12.11"], num=50)  # F = 1 + a sin θ
    np.testing.assert_allclose(y[:, 0], 1 + x[:, 0] * np.sin(x[:, 1].astype(np.float64)), rtol=1e-5)
    # tinyBIG counts 2 variables for I.18.12 but lists (and needs) 3.
    assert [v for v, _, _ in FEYNMAN["I.18.12"].variables] == ["r", "F", "theta"]


def test_formula_evaluation_refuses_anything_but_arithmetic():
    with pytest.raises(ValueError, match=r"__import__\('os'\).* is not allowed"):
        evaluate_formula("__import__('os')", x=np.ones(1))
    with pytest.raises(ValueError, match=r"'x.real' is not allowed"):
        evaluate_formula("x.real", x=np.ones(1))


def test_batches_depend_only_on_seed_and_epoch():
    x, y = np.arange(10), np.arange(10) * 2
    first = [b for b in batches((x, y), 4, seed=1, epoch=2)]
    again = [b for b in batches((x, y), 4, seed=1, epoch=2)]
    assert len(first) == num_batches(10, 4) == 2
    for (a, b), (c, d) in zip(first, again):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, 2 * a)
    other = np.concatenate([b[0] for b in batches((x,), 5, seed=1, epoch=3)])
    assert sorted(other) == list(range(10)) and not np.array_equal(other, np.concatenate([b[0] for b in first]))
