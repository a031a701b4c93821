"""Extracts the 8×8 handwritten digits shipped as ``jaxbig/data/digits.npz``.

The data is the test set of the UCI "Optical Recognition of Handwritten Digits"
data set (E. Alpaydin, C. Kaynak, 1998; CC BY 4.0): 1,797 images of 8×8 pixels
with integer values 0..16, and their labels 0..9. scikit-learn ships the same
data as ``sklearn/datasets/data/digits.csv.gz`` (one row per image: 64 pixels in
row-major order, then the label). This script reads that file and writes the
compact archive jaxbig uses, so jaxbig never downloads anything at run time and
never depends on scikit-learn.

Run once at development time, from the repository root::

    python tools/extract_digits.py                       # finds an installed scikit-learn
    python tools/extract_digits.py path/to/digits.csv.gz # or a file you point to
    python tools/extract_digits.py scikit_learn-*.whl    # or a downloaded wheel
                                                         # (pip download --no-deps scikit-learn)

The output holds ``images`` (uint8, shape (1797, 8, 8)) and ``labels`` (uint8,
shape (1797,)), compressed with ``numpy.savez_compressed``.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import io
import pathlib
import sys
import zipfile

import numpy as np

MEMBER = "sklearn/datasets/data/digits.csv.gz"
OUT = pathlib.Path(__file__).resolve().parents[1] / "jaxbig" / "data" / "digits.npz"


def _read_source(source: str | None) -> bytes:
    if source is None:
        spec = importlib.util.find_spec("sklearn")
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit(
                "scikit-learn is not installed: pass the path of digits.csv.gz or of a "
                "scikit-learn wheel (pip download --no-deps scikit-learn)"
            )
        root = pathlib.Path(list(spec.submodule_search_locations)[0]).parent
        return (root / MEMBER).read_bytes()
    path = pathlib.Path(source)
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            return wheel.read(MEMBER)
    return path.read_bytes()


def parse(csv_gz: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Parses scikit-learn's digits.csv.gz into ``(images, labels)`` as uint8 arrays."""
    table = np.loadtxt(io.BytesIO(gzip.decompress(csv_gz)), delimiter=",", dtype=np.int64)
    if table.shape != (1797, 65):
        raise ValueError(f"expected a (1797, 65) table, got {table.shape}")
    pixels, labels = table[:, :64], table[:, 64]
    if pixels.min() < 0 or pixels.max() > 16 or labels.min() < 0 or labels.max() > 9:
        raise ValueError("pixels must lie in 0..16 and labels in 0..9")
    return pixels.reshape(-1, 8, 8).astype(np.uint8), labels.astype(np.uint8)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", help="digits.csv.gz or a scikit-learn wheel")
    parser.add_argument("--out", default=str(OUT), help=f"output file (default {OUT})")
    args = parser.parse_args(argv)
    images, labels = parse(_read_source(args.source))
    np.savez_compressed(args.out, images=images, labels=labels)
    counts = np.bincount(labels, minlength=10)
    print(f"wrote {args.out}: images {images.shape} uint8, labels per class {counts.tolist()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
