"""Measures the compressed size of features with an entropy model's codec, and checks the decode."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import jax
import numpy as np

__all__ = ["CodingReport", "code_features"]


@dataclasses.dataclass(frozen=True)
class CodingReport:
    """How well a batch of features compresses.

    Attributes:
      symbols: the number of coded integers.
      compressed_bytes: the total length of the coded strings.
      bits_per_symbol: ``8 · compressed_bytes / symbols``.
      nonzero_fraction: the fraction of quantized symbols that are not zero.
      decoded_equals_quantized: whether decoding the strings gives back exactly
        the quantized features.
      encode_s: seconds spent in ``compress``.
      decode_s: seconds spent in ``decompress``.
    """

    symbols: int
    compressed_bytes: int
    bits_per_symbol: float
    nonzero_fraction: float
    decoded_equals_quantized: bool
    encode_s: float
    decode_s: float

    def asdict(self) -> dict[str, Any]:
        """The report as a JSON-serialisable dict."""
        return dataclasses.asdict(self)


def code_features(entropy_model: Any, features: jax.typing.ArrayLike) -> CodingReport:
    """Compresses ``features`` with ``entropy_model``, decodes them and compares.

    Args:
      entropy_model: an entropy model with ``quantize``, ``compress`` and
        ``decompress`` (e.g. :class:`jaxbig.entropy.PowerLawEntropyModel` with
        ``coding_rank=1``).
      features: real-valued features, shape ``(b, k)``: one coding unit per row.

    Returns:
      The :class:`CodingReport` (sizes, bits per symbol, and whether the decode is exact).
    """
    quantized = np.asarray(entropy_model.quantize(features))
    tic = time.perf_counter()
    strings = entropy_model.compress(features)
    encode_s = time.perf_counter() - tic
    tic = time.perf_counter()
    decoded = np.asarray(entropy_model.decompress(strings, quantized.shape[1:]))
    decode_s = time.perf_counter() - tic
    total = int(sum(len(s) for s in np.asarray(strings, dtype=object).reshape(-1)))
    return CodingReport(
        symbols=int(quantized.size),
        compressed_bytes=total,
        bits_per_symbol=8.0 * total / quantized.size,
        nonzero_fraction=float(np.mean(quantized != 0)),
        decoded_equals_quantized=bool(decoded.shape == quantized.shape and np.array_equal(decoded, quantized)),
        encode_s=encode_s,
        decode_s=decode_s,
    )
