"""The 8×8 handwritten digits shipped with jaxbig, and user-supplied MNIST files."""

from __future__ import annotations

import gzip
import importlib.resources
import pathlib
from typing import NamedTuple

import numpy as np

__all__ = ["Split", "load_digits", "load_mnist", "read_idx"]


class Split(NamedTuple):
    """A train/test split of a classification data set.

    Attributes:
      x_train: float32 features, shape ``(n_train, m)``, scaled to [0, 1].
      y_train: int32 labels, shape ``(n_train,)``.
      x_test: float32 features, shape ``(n_test, m)``.
      y_test: int32 labels, shape ``(n_test,)``.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def _stratified(labels: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Train and test indices with ``round(test_fraction · count)`` test examples per class."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in np.unique(labels):
        index = rng.permutation(np.flatnonzero(labels == label))
        cut = int(round(test_fraction * len(index)))
        test.append(index[:cut])
        train.append(index[cut:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def load_digits(*, test_fraction: float = 0.2, seed: int = 0) -> Split:
    """The UCI optical-recognition handwritten digits: 1,797 images of 8×8 pixels, 10 classes.

    The images ship inside jaxbig (``jaxbig/data/digits.npz``, extracted by
    ``tools/extract_digits.py``); nothing is downloaded. Pixels (0..16) are scaled
    to [0, 1] and flattened to 64 features. The split is stratified by class and
    depends only on ``seed``.

    Args:
      test_fraction: the fraction of each class held out for testing.
      seed: seed of the split.

    Returns:
      A :class:`Split` (with the defaults: 1,438 training and 359 test images).

    Raises:
      ValueError: if ``test_fraction`` is not in (0, 1).

    References:
      Alpaydin, E. and Kaynak, C. "Optical Recognition of Handwritten Digits",
      UCI Machine Learning Repository, 1998, doi:10.24432/C50P49 (CC BY 4.0).

    >>> split = load_digits()
    >>> split.x_train.shape, split.x_test.shape, split.y_test.dtype
    ((1438, 64), (359, 64), dtype('int32'))
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"load_digits: test_fraction={test_fraction} must be in (0, 1)")
    with importlib.resources.files("jaxbig.data").joinpath("digits.npz").open("rb") as file:
        archive = np.load(file)
        images, labels = archive["images"], archive["labels"]
    x = images.reshape(len(images), -1).astype(np.float32) / 16.0
    y = labels.astype(np.int32)
    train, test = _stratified(y, test_fraction, seed)
    return Split(x[train], y[train], x[test], y[test])


_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str | pathlib.Path) -> np.ndarray:
    """Reads an IDX file (the format of the MNIST distribution), gzipped or not.

    Raises:
      ValueError: if the header is not a valid IDX header or the data is truncated.
    """
    raw = pathlib.Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if len(raw) < 4 or raw[:2] != b"\x00\x00" or raw[2] not in _IDX_TYPES:
        raise ValueError(f"read_idx: {path} is not an IDX file (bad magic number {raw[:4].hex()})")
    ndim = raw[3]
    header = 4 + 4 * ndim
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    expected = header + int(np.prod(shape)) * dtype.itemsize
    if len(raw) != expected:
        raise ValueError(f"read_idx: {path} holds {len(raw)} bytes, its header {shape} needs {expected}")
    return np.frombuffer(raw, dtype, offset=header).reshape(shape)


_MNIST_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}


def load_mnist(path: str | pathlib.Path) -> Split:
    """MNIST (or Fashion-MNIST) from files you supply; nothing is downloaded.

    Args:
      path: a directory holding the four IDX files of the distribution
        (``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
        ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``, each optionally
        ending in ``.gz``), or an ``.npz`` file with arrays ``x_train``,
        ``y_train``, ``x_test``, ``y_test`` (the layout of Keras' ``mnist.npz``).

    Returns:
      A :class:`Split` with pixels scaled to [0, 1] and flattened to 784 features.

    Raises:
      FileNotFoundError: if a file is missing.
      ValueError: if a file is malformed or images and labels do not match.
    """
    path = pathlib.Path(path)
    if path.is_dir():
        arrays = {}
        for key, name in _MNIST_FILES.items():
            candidates = [path / name, path / f"{name}.gz", path / name.replace("-idx", ".idx")]
            found = next((c for c in candidates if c.exists()), None)
            if found is None:
                raise FileNotFoundError(f"load_mnist: {path} has no {name} (or {name}.gz)")
            arrays[key] = read_idx(found)
    elif path.suffix == ".npz":
        with np.load(path) as archive:
            missing = sorted(set(_MNIST_FILES) - set(archive.files))
            if missing:
                raise ValueError(f"load_mnist: {path} lacks arrays {missing}")
            arrays = {key: archive[key] for key in _MNIST_FILES}
    else:
        raise FileNotFoundError(f"load_mnist: {path} is neither a directory of IDX files nor an .npz file")
    for part in ("train", "test"):
        x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
        if len(x) != len(y) or x.ndim < 2 or y.ndim != 1:
            raise ValueError(f"load_mnist: {part} images {x.shape} and labels {y.shape} do not match")
    scale = 255.0 if np.issubdtype(arrays["x_train"].dtype, np.integer) else 1.0

    def features(x: np.ndarray) -> np.ndarray:
        return (x.reshape(len(x), -1).astype(np.float32) / scale).astype(np.float32)

    return Split(features(arrays["x_train"]), arrays["y_train"].astype(np.int32),
                 features(arrays["x_test"]), arrays["y_test"].astype(np.int32))
