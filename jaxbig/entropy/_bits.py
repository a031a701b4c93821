"""Bit-level helpers shared by the run-length gamma encoder and decoder (private).

The codec kernels work on 64-bit words, so they are traced and run with 64-bit
types enabled (:func:`x64`) on the host CPU (:func:`to_cpu`), whatever the user's
``jax_enable_x64`` setting and default device are: coding is a host-side step that
turns arrays into ``bytes`` and back.

Conventions (TFC's ``BitWriter``/``BitReader``): bits are numbered in stream order
and packed least significant bit first, so bit ``k`` of the stream is bit ``k % 8``
of byte ``k // 8``, and a little-endian 64-bit word holds stream bits ``64 q …
64 q + 63`` with stream bit ``64 q`` as its least significant bit. An Elias gamma
code of ``v ≥ 1`` with ``w = bit_width(v)`` is ``w - 1`` zeros, a one, then the
``w - 1`` low bits of ``v``, least significant first; as an integer whose bit 0 is
the first bit written it equals ``((2 v + 1) << (w - 1)) ^ (1 << (2 w - 1))``.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

#: Largest magnitude the gamma code of an int32 carries (TFC codes INT32_MIN as INT32_MIN + 1).
INT32_MAX = 2**31 - 1
#: Longest gamma code that decodes to an int32: 30 zeros, a one, 30 low bits.
MAX_GAMMA_WIDTH = 31


@contextlib.contextmanager
def x64() -> Iterator[None]:
    """Traces and runs the enclosed codec kernels with 64-bit types."""
    with jax.enable_x64(True):
        yield


@functools.cache
def cpu() -> jax.Device:
    """The host CPU device the codec kernels run on."""
    return jax.local_devices(backend="cpu")[0]


def to_cpu(x: jax.typing.ArrayLike) -> jax.Array:
    """``x`` as an array on the host CPU (a no-op for arrays already there)."""
    return jax.device_put(x, cpu())


def aligned_zeros(shape: int | tuple[int, ...], dtype: object) -> np.ndarray:
    """A zeroed NumPy array whose data is 64-byte aligned.

    XLA on the CPU adopts such host memory without copying (:func:`to_cpu`).
    """
    dtype = np.dtype(dtype)
    count = int(np.prod(shape))
    raw = np.zeros(count * dtype.itemsize + 64, np.uint8)
    skip = -raw.ctypes.data % 64
    return raw[skip : skip + count * dtype.itemsize].view(dtype).reshape(shape)


def floor_log2(v: jax.Array) -> jax.Array:
    """``floor(log2(v))`` for int32 ``v ≥ 1``, as int64.

    Read from the exponent of the exact int32 → float64 conversion: unlike
    count-leading-zeros (or an int64 conversion) this vectorises on AVX2 CPUs.
    """
    bits = lax.bitcast_convert_type(v.astype(jnp.int32).astype(jnp.float64), jnp.int64)
    return (bits >> 52) - 1023


def gamma_code(v: jax.Array) -> tuple[jax.Array, jax.Array]:
    """The Elias gamma code of int32 ``v ≥ 1``: ``(bits, length)``, both int64.

    ``bits`` holds the code with its first bit in bit 0 (see the module docstring);
    ``length = 2 floor(log2 v) + 1``.
    """
    e = floor_log2(v)
    v = v.astype(jnp.int64)
    return (((v << 1) | 1) << e) ^ (jnp.int64(1) << (e + e + 1)), e + e + 1


def funnel(lo: jax.Array, hi: jax.Array, s: jax.Array) -> jax.Array:
    """Bits ``s … s + 63`` of the 128-bit value ``hi:lo`` (uint64, ``0 ≤ s ≤ 63``)."""
    one = jnp.uint64(1)
    return (lo >> s) | ((hi << one) << (jnp.uint64(63) - s))


def count_trailing_zeros(x: jax.Array) -> jax.Array:
    """Trailing zero bits of a uint64 (64 for zero), as uint64: the gamma code's unary prefix."""
    return lax.population_count(~x & (x - jnp.uint64(1)))


def bucket(size: int) -> int:
    """``size`` rounded up to ``m · 2**e`` with ``8 ≤ m ≤ 16``: at most 12.5 % padding.

    Static array sizes are bucketed so that a stream of differently sized inputs
    compiles a kernel per bucket, not per size.
    """
    if size <= 16:
        return max(size, 1)
    step = 1 << (size.bit_length() - 4)
    return -(-size // step) * step
