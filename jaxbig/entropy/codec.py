"""The run-length Elias gamma code of TensorFlow Compression, byte for byte.

:func:`run_length_gamma_encode` and :func:`run_length_gamma_decode` document the
format and the decoder's rules: those of TFC 2.14.1's ``RunLengthGammaEncode`` /
``RunLengthGammaDecode`` kernels and their ``BitWriter`` / ``BitReader``, so that
strings move freely between TFC and jaxbig. Decoding damaged data raises
:class:`CorruptDataError` where TFC's decoder fails, and never reads past the data,
hangs or crashes. The batch helpers here serve
:class:`jaxbig.entropy.PowerLawEntropyModel`, which codes many strings in one go.

References:
  Elias, P. "Universal codeword sets and representations of the integers",
  IEEE Trans. Inf. Theory 21(2), 1975. https://doi.org/10.1109/TIT.1975.1055349
  TensorFlow Compression, ``cc/kernels/run_length_gamma_kernels.cc`` and
  ``cc/lib/bit_coder.cc``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.entropy._decode import MAX_STRING_BYTES, decode_units, diagnose
from jaxbig.entropy._encode import encode_units

__all__ = ["CorruptDataError", "run_length_gamma_decode", "run_length_gamma_encode"]

#: Largest number of symbols a coding unit may have (its zero run plus one must fit 31 bits).
MAX_UNIT_SIZE = 2**31 - 2


class CorruptDataError(ValueError):
    """A run-length gamma string that TFC's decoder would reject too.

    Attributes:
      reason: ``"truncated"`` (the data ends inside a code), ``"gamma_width"`` (a
        gamma code of a value wider than 31 bits) or ``"run_past_end"`` (a zero run
        that ends after the last symbol).
      index: the position of the string in the batch (``None`` for a single string).
      bit: the bit at which the problem was found.
    """

    def __init__(self, message: str, *, reason: str, index: Any = None, bit: int | None = None):
        super().__init__(message)
        self.reason = reason
        self.index = index
        self.bit = bit


def check_symbols(owner: str, symbols: Any) -> jax.Array:
    """``symbols`` as an int32 array, or a ValueError when they are not int32 values.

    Integer arrays of any width are accepted when every value fits int32.
    """
    dtype = getattr(symbols, "dtype", None)
    if dtype is None:
        symbols = np.asarray(symbols)
        dtype = symbols.dtype
    if not jnp.issubdtype(dtype, jnp.integer) or jnp.issubdtype(dtype, jnp.bool_):
        raise ValueError(f"{owner}: symbols must be an integer array, got dtype {dtype}")
    if jnp.iinfo(dtype).bits > 32 or jnp.iinfo(dtype).max > 2**31 - 1:
        if symbols.size and (int(symbols.min()) < -(2**31) or int(symbols.max()) > 2**31 - 1):
            raise ValueError(
                f"{owner}: symbols must lie in the int32 range [-2**31, 2**31 - 1], got values in "
                f"[{int(symbols.min())}, {int(symbols.max())}]"
            )
    return jnp.asarray(symbols, jnp.int32) if isinstance(symbols, jax.Array) else np.asarray(symbols, np.int32)


def check_unit_size(owner: str, n: int) -> None:
    """Raises a ValueError when a coding unit has more symbols than the code can count."""
    if n > MAX_UNIT_SIZE:
        raise ValueError(f"{owner}: a coding unit has {n} symbols, more than the {MAX_UNIT_SIZE} the code supports")


def encode_batch(symbols: Any) -> list[bytes]:
    """One string per row of int32 ``symbols`` of shape ``(U, n)``."""
    U, n = symbols.shape
    if U == 0:
        return []
    if n == 0:
        return [b""] * U
    return encode_units(symbols)


def decode_batch(owner: str, strings: Sequence[Any], n: int, index_shape: tuple[int, ...] | None) -> jax.Array:
    """Decodes ``len(strings)`` strings of ``n`` symbols each (``n ≥ 1``, at least one string).

    Returns:
      An int32 buffer (on the CPU) whose first ``len(strings) · n`` entries are the symbols.

    Raises:
      ValueError: if an element is not a bytes-like object or is too long.
      CorruptDataError: naming the first string that does not decode and why.
    """
    try:
        data = b"".join(strings)
    except TypeError as error:
        kinds = sorted({type(s).__name__ for s in strings if not isinstance(s, (bytes, bytearray, memoryview))})
        raise ValueError(f"{owner}: strings must be bytes, got {', '.join(kinds)}") from error
    ends = np.cumsum(np.fromiter(map(len, strings), np.int64, len(strings)))
    lengths = np.diff(ends, prepend=0)
    if lengths.max() > MAX_STRING_BYTES:
        raise ValueError(f"{owner}: a string of {int(lengths.max())} bytes exceeds the {MAX_STRING_BYTES} supported")
    out, failure = decode_units(data, ends, n)
    if failure is not None:
        unit, bit, element = failure
        string = data[ends[unit] - lengths[unit] : ends[unit]]
        reason, at, why = diagnose(string, n, bit, element)
        if index_shape is None:
            where, index = "", None
        else:
            index = tuple(int(k) for k in np.unravel_index(unit, index_shape))
            where = f" string {index}:"
        raise CorruptDataError(f"{owner}:{where} corrupt data: {why}", reason=reason, index=index, bit=at)
    return out


def run_length_gamma_encode(symbols: jax.typing.ArrayLike) -> bytes:
    """Codes an int32 array as one run-length gamma string, exactly as TFC does.

    The format:

    * Symbols are int32, read in C order.
    * Bits are packed least significant bit first: bit ``k`` of the stream is bit
      ``k % 8`` of byte ``k // 8``. The last byte is padded with zero bits.
    * The Elias gamma code of ``v ≥ 1`` of bit width ``w`` is ``w - 1`` zeros, a one,
      then the ``w - 1`` low bits of ``v``, least significant first: 1 → ``1``,
      2 → ``010``, 3 → ``011``, 6 → ``00101``.
    * Each nonzero symbol ``s`` is coded as ``gamma(z + 1)``, where ``z`` is the
      number of zeros since the previous nonzero symbol (or the start), then a sign
      bit (1 when ``s > 0``), then ``gamma(|s|)``. INT32_MIN cannot be coded and is
      coded as INT32_MIN + 1.
    * Zeros after the last nonzero symbol are coded as ``gamma(z + 1)``. So ``n``
      zeros code as ``gamma(n + 1)`` and an empty array as the empty string.

    Args:
      symbols: an integer array of any shape with values in the int32 range, read
        in C order.

    Returns:
      The code, identical to TFC's ``run_length_gamma_encode``.

    Raises:
      ValueError: if ``symbols`` is not an integer array, has values outside the
        int32 range, or more than ``2**31 - 2`` elements.

    >>> import numpy as np
    >>> run_length_gamma_encode(np.array([-6, 3, 0, 0]))  # TFC's own test vector
    b'\\xd1m'
    """
    symbols = check_symbols("run_length_gamma_encode", symbols)
    check_unit_size("run_length_gamma_encode", symbols.size)
    return encode_batch(symbols.reshape(1, -1))[0]


def run_length_gamma_decode(data: bytes, shape: Sequence[int]) -> np.ndarray:
    """Decodes a run-length gamma string (format: :func:`run_length_gamma_encode`) as TFC does.

    Decoding reads one token (zero run, sign, magnitude) after the other and stops
    as soon as all ``n = prod(shape)`` symbols are known — right after the value of
    the last one, or after a zero run that ends exactly at the end — and ignores
    whatever follows (trailing bits and bytes are not checked; nothing at all is
    read when ``n = 0``). It fails, like TFC's decoder, when the data ends inside a
    code (padding bits count as data), when a gamma code has more than 30 leading
    zeros (a value wider than 31 bits), or when a zero run reaches past the last
    symbol.

    Args:
      data: the code (bytes-like).
      shape: the shape of the coded array.

    Returns:
      The int32 NumPy array of that shape — what TFC's ``run_length_gamma_decode``
      returns for the same bytes.

    Raises:
      CorruptDataError: if TFC's decoder rejects ``data`` too (truncated data, a
        gamma code wider than 31 bits, a zero run past the end); its ``reason``
        says which.
      ValueError: if ``data`` is not bytes-like or ``shape`` is not a shape.

    >>> run_length_gamma_decode(b'\\xd1m', (2, 2))
    array([[-6,  3],
           [ 0,  0]], dtype=int32)
    """
    shape = check_shape("run_length_gamma_decode", shape)
    n = math.prod(shape)
    check_unit_size("run_length_gamma_decode", n)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ValueError(f"run_length_gamma_decode: data must be bytes, got {type(data).__name__}")
    if n == 0:
        return np.zeros(shape, np.int32)
    out = decode_batch("run_length_gamma_decode", [bytes(data)], n, None)
    return np.asarray(out)[:n].reshape(shape)


def check_shape(owner: str, shape: Any) -> tuple[int, ...]:
    """``shape`` as a tuple of non-negative ints, or a ValueError."""
    try:
        dims = tuple(shape)
    except TypeError:
        dims = None
    if dims is None or not all(isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d >= 0 for d in dims):
        raise ValueError(f"{owner}: shape must be a sequence of non-negative integers, got {shape!r}")
    return tuple(int(d) for d in dims)
