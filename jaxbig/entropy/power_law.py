"""The power-law entropy model of TensorFlow Compression, as a pure function."""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import Function, check_float, check_int
from jaxbig.entropy.codec import check_shape, check_unit_size, decode_batch, encode_batch
from jaxbig.ops.rounding import round_st
from jaxbig.registry import register

__all__ = ["PowerLawEntropyModel"]

FORMULA = "penalty(x) = Σ log((|x| + α) / α) over the coding_rank innermost axes"

#: Bottleneck dtypes the model accepts.
_DTYPES = ("float16", "bfloat16", "float32", "float64")


@functools.partial(jax.jit, static_argnames=("rank",))
def _penalty(x: jax.Array, alpha: float, rank: int) -> jax.Array:
    # |x| written as x·sign(x): the same value, but the derivative at 0 is sign(0) = 0 as in
    # TF (jnp.abs differentiates to 1 there).
    magnitude = x * jnp.sign(x)
    return jnp.sum(jnp.log((magnitude + alpha) / alpha), axis=tuple(range(x.ndim - rank, x.ndim)))


@jax.jit
def _symbols(x: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``round(x)`` as int32 (garbage where it is not an int32), and ``min(x)``, ``max(x)``.

    Rounding is monotonic, so every rounded value is a finite int32 exactly when the
    rounded extremes are; min and max propagate NaN. (Rounding inside the codec's
    kernels instead measured slower: it crowds their registers.)
    """
    return jnp.round(x).astype(jnp.int32), jnp.min(x), jnp.max(x)


@register(family="entropy", formula=FORMULA)
@dataclasses.dataclass(frozen=True)
class PowerLawEntropyModel(Function):
    """Entropy model for power-law distributed integers: rounding, a rate penalty and a gamma code.

    penalty(x) = Σ log((|x| + α) / α) over the coding_rank innermost axes, where
    ``x`` is the bottleneck tensor, α is ``alpha`` and the ``coding_rank`` innermost
    axes form one coding unit. The penalty encourages a symmetrised power law, for
    which the Elias gamma code — code length ``1 + 2 floor(log2 v)`` for a positive
    integer ``v`` — is close to optimal; ``alpha > 0`` removes the singularity at
    zero and keeps its gradient useful.

    ``quantize`` rounds (ties to even) with a straight-through gradient;
    ``compress`` rounds and codes every coding unit with the run-length gamma code
    of :mod:`jaxbig.entropy.codec`, byte for byte as TFC does, so strings move
    freely between TFC and jaxbig; ``decompress`` inverts it. Gradients follow TF's
    conventions: the derivative of ``|x|`` at 0 is 0.

    Args:
      coding_rank: number of innermost axes that form one coding unit (≥ 0). Each
        unit is compressed to its own string; the axes to the left are batch axes.
      alpha: the regulariser α > 0 of the penalty.
      bottleneck_dtype: the floating dtype of the bottleneck — ``"float16"``,
        ``"bfloat16"``, ``"float32"`` or ``"float64"`` (the last one needs
        ``jax_enable_x64``) — to which inputs are cast. ``None`` (default) keeps the
        input's floating dtype (float32 for integer inputs and for ``decompress``).

    Raises:
      ValueError: if ``coding_rank < 0``, ``alpha <= 0``, or the dtype is not one of
        the above (or is float64 without ``jax_enable_x64``).

    References:
      Elias, P. "Universal codeword sets and representations of the integers",
      IEEE Trans. Inf. Theory 21(2), 1975. TensorFlow Compression 2.14,
      ``tfc.entropy_models.PowerLawEntropyModel``.

    >>> import jax.numpy as jnp
    >>> em = PowerLawEntropyModel(coding_rank=1)
    >>> x = jnp.array([[0.2, -3.4, 1.6], [0.0, 0.0, 7.5]])
    >>> y, rate = em(x)
    >>> y
    Array([[ 0., -3.,  2.],
           [ 0.,  0.,  8.]], dtype=float32)
    >>> rate.shape
    (2,)
    >>> strings = em.compress(x)
    >>> strings.shape, strings.dtype
    ((2,), dtype('O'))
    >>> em.decompress(strings, (3,))
    Array([[ 0., -3.,  2.],
           [ 0.,  0.,  8.]], dtype=float32)
    """

    coding_rank: int
    alpha: float = 0.01
    bottleneck_dtype: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "coding_rank", check_int(self, "coding_rank", self.coding_rank, minimum=0))
        object.__setattr__(self, "alpha", check_float(self, "alpha", self.alpha, minimum=0.0, strict_minimum=True))
        if self.bottleneck_dtype is not None:
            try:
                name = jnp.dtype(self.bottleneck_dtype).name
            except TypeError:
                name = None
            if name not in _DTYPES:
                raise self._error(
                    f"bottleneck_dtype={self.bottleneck_dtype!r} is not one of {', '.join(_DTYPES)}"
                )
            object.__setattr__(self, "bottleneck_dtype", name)
            self._dtype()

    # ------------------------------------------------------------------ helpers

    def _dtype(self, x: Any = None) -> Any:
        """The dtype the bottleneck is cast to (see ``bottleneck_dtype``)."""
        name = self.bottleneck_dtype
        if name is None:
            dtype = getattr(x, "dtype", None)
            if dtype is None and x is not None:
                dtype = np.asarray(x).dtype
            if dtype is None or not jnp.issubdtype(dtype, jnp.floating):
                return jnp.dtype(jnp.float32)
            return jax.dtypes.canonicalize_dtype(dtype)  # float64 → float32 without x64
        if name == "float64" and not jax.config.jax_enable_x64:
            raise self._error("bottleneck_dtype='float64' needs jax_enable_x64 (jax.config.update)")
        return jnp.dtype(name)

    def _bottleneck(self, x: jax.typing.ArrayLike) -> jax.Array:
        """``x`` cast to the bottleneck dtype, checked to have a whole coding unit."""
        x = jnp.asarray(x, self._dtype(x))
        if x.ndim < self.coding_rank:
            raise self._error(
                f"the bottleneck must have at least coding_rank={self.coding_rank} axes, got shape {x.shape}"
            )
        return x

    # --------------------------------------------------------------- the model

    def quantize(self, x: jax.typing.ArrayLike) -> jax.Array:
        """Rounds to integers (ties to even) with a straight-through gradient.

        Args:
          x: the bottleneck, any shape.

        Returns:
          ``round(x)``, same shape, in the bottleneck dtype; ``jax.grad`` sees the identity.
        """
        return round_st(jnp.asarray(x, self._dtype(x)))

    def penalty(self, x: jax.typing.ArrayLike) -> jax.Array:
        """The rate penalty of every coding unit (formula in the class docstring).

        Args:
          x: the bottleneck, shape ``batch + unit`` with ``len(unit) = coding_rank``.

        Returns:
          The penalty, shape ``batch``, in the bottleneck dtype.

        Raises:
          ValueError: if ``x`` has fewer than ``coding_rank`` axes.
        """
        return _penalty(self._bottleneck(x), self.alpha, self.coding_rank)

    def __call__(self, x: jax.typing.ArrayLike) -> tuple[jax.Array, jax.Array]:
        """``(quantize(x), penalty(x))``: the training-time outputs of the bottleneck."""
        x = self._bottleneck(x)
        return self.quantize(x), self.penalty(x)

    def compress(self, x: jax.typing.ArrayLike) -> np.ndarray:
        """Rounds and codes every coding unit as a run-length gamma string.

        Args:
          x: the bottleneck, shape ``batch + unit`` with ``len(unit) = coding_rank``.

        Returns:
          A NumPy object array of shape ``batch`` holding one ``bytes`` per unit:
          what TFC's ``compress`` returns for the same values.

        Raises:
          ValueError: if ``x`` has fewer than ``coding_rank`` axes, or a rounded
            value is NaN, infinite or outside the int32 range (it could not be coded).
        """
        x = self._bottleneck(x)
        batch = x.shape[: x.ndim - self.coding_rank]
        n = math.prod(x.shape[x.ndim - self.coding_rank :])
        check_unit_size(type(self).__name__, n)
        strings = np.empty(math.prod(batch), dtype=object)
        if x.size:
            symbols, low, high = _symbols(x)
            low, high = float(low), float(high)
            if not (math.isfinite(low) and math.isfinite(high) and round(low) >= -(2**31) and round(high) < 2**31):
                raise self._error(
                    f"compress: the bottleneck must round to finite int32 values, got values in [{low}, {high}]"
                )
            strings[:] = encode_batch(symbols.reshape(strings.size, n))
        else:
            strings[:] = [b""] * strings.size
        return strings.reshape(batch)

    def decompress(self, strings: Any, code_shape: Sequence[int]) -> jax.Array:
        """Decodes strings made by :meth:`compress` (or by TFC).

        Args:
          strings: ``bytes`` or an array-like (a NumPy object array, nested lists) of
            ``bytes``, shape ``batch``.
          code_shape: the shape of one coding unit (``coding_rank`` non-negative ints).

        Returns:
          The quantised bottleneck, shape ``batch + code_shape``, in the bottleneck
          dtype (float32 when ``bottleneck_dtype`` is None).

        Raises:
          CorruptDataError: (a ValueError) if a string does not decode — truncated,
            a gamma code wider than 31 bits, a zero run past the end of its unit;
            it names the string's batch index and the reason.
          ValueError: if ``code_shape`` does not have ``coding_rank`` entries, or
            ``strings`` are not bytes (NumPy fixed-width ``S`` arrays are rejected:
            they drop trailing zero bytes, which codes contain).
        """
        owner = type(self).__name__
        code_shape = check_shape(owner, code_shape)
        if len(code_shape) != self.coding_rank:
            raise self._error(f"code_shape {code_shape} must have coding_rank={self.coding_rank} entries")
        dtype = self._dtype()
        strings = _string_array(owner, strings)
        n, size = math.prod(code_shape), strings.size
        check_unit_size(owner, n)
        shape = strings.shape + code_shape
        if n == 0 or size == 0:
            return jnp.zeros(shape, dtype)
        out = decode_batch(owner, strings.ravel().tolist(), n, strings.shape)
        return _finish(out, size * n, shape, dtype)

    # ------------------------------------------------------------------ config

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as plain Python values."""
        return {"coding_rank": self.coding_rank, "alpha": self.alpha, "bottleneck_dtype": self.bottleneck_dtype}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> PowerLawEntropyModel:
        """The model built from :meth:`get_config`'s output."""
        return cls(**config)


def _string_array(owner: str, strings: Any) -> np.ndarray:
    """``strings`` as a NumPy object array (rejecting fixed-width byte arrays)."""
    if isinstance(strings, np.ndarray) and strings.dtype.kind in "SU":
        raise ValueError(
            f"{owner}: strings must be an object array of bytes; a NumPy {strings.dtype} array "
            "drops trailing zero bytes"
        )
    if isinstance(strings, (bytes, bytearray, memoryview)):
        out = np.empty((), dtype=object)
        out[()] = bytes(strings)
        return out
    return np.asarray(strings, dtype=object)


@functools.partial(jax.jit, static_argnames=("size", "shape", "dtype"))
def _unpack(out: jax.Array, size: int, shape: tuple[int, ...], dtype: Any) -> jax.Array:
    return out[:size].reshape(shape).astype(dtype)


def _finish(out: jax.Array, size: int, shape: tuple[int, ...], dtype: Any) -> jax.Array:
    """The first ``size`` decoded symbols as the bottleneck, on the default device."""
    return jax.device_put(_unpack(out, size, shape, dtype), jax.devices()[0])
