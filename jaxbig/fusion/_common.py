"""What every fusion shares: the optional ``dims``, pre/post-processing, input checks."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import Fusion, check_int
from jaxbig.ops import apply_functions, resolve_functions


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProcessedFusion(Fusion):
    """Base of the fusions: optional fixed ``dims`` and tinyBIG's pre/post-processing.

    Args:
      dims: the input widths ``(n_1, …, n_k)`` the fusion is built for (tinyBIG's
        constructor argument). Optional: the methods take ``dims`` too, and when
        both are given they must agree.
      preprocess_functions: functions applied to the inputs before fusing (to the
        stacked ``(k, b, n)`` inputs when all shapes are equal, else to each).
      postprocess_functions: functions applied to the fused output.
    """

    dims: tuple[int, ...] | None = None
    preprocess_functions: tuple[Any, ...] = ()
    postprocess_functions: tuple[Any, ...] = ()

    def __post_init__(self) -> None:
        if self.dims is not None:
            object.__setattr__(self, "dims", self._check_dims(self.dims))
        for name in ("preprocess_functions", "postprocess_functions"):
            object.__setattr__(self, name, resolve_functions(self, name, getattr(self, name)))

    # -- dims -----------------------------------------------------------------------

    def _check_dims(self, dims: Any) -> tuple[int, ...]:
        if isinstance(dims, (str, bytes)) or not isinstance(dims, Sequence) or not dims:
            raise self._error(f"dims must be a non-empty sequence of widths, got {dims!r}")
        return tuple(check_int(self, "dims entry", d, minimum=1) for d in dims)

    def _dims(self, dims: Any = None) -> tuple[int, ...]:
        """``dims`` validated, defaulting to (and checked against) the built-in ``dims``."""
        if dims is None:
            if self.dims is None:
                raise self._error("dims is required (pass dims, or build the fusion with dims=...)")
            return self.dims
        dims = self._check_dims(dims)
        if self.dims is not None and dims != self.dims:
            raise self._error(f"inputs of widths dims={dims} differ from its dims={self.dims}")
        return dims

    def _equal_width(self, dims: Any = None) -> int:
        """The common width of ``dims``, or a ValueError naming the widths."""
        dims = self._dims(dims)
        if any(d != dims[0] for d in dims):
            raise self._error(f"inputs must have equal widths, got dims={dims}")
        return dims[0]

    # -- inputs ---------------------------------------------------------------------

    def _inputs(self, xs: Any) -> tuple[list[jax.Array] | jax.Array, tuple[int, ...]]:
        """Checks ``xs`` and returns it (a stacked array stays stacked) with its widths."""
        if isinstance(xs, (jax.Array, np.ndarray)):
            if xs.ndim != 3 or xs.shape[0] == 0:
                raise self._error(
                    f"xs must be a sequence of (b, n_i) arrays or one (k, b, n) array, "
                    f"got an array of shape {xs.shape}"
                )
            xs = jnp.asarray(xs)
            dims = (xs.shape[2],) * xs.shape[0]
        else:
            if isinstance(xs, (str, bytes)) or not isinstance(xs, Sequence) or not xs:
                raise self._error(
                    f"xs must be a non-empty sequence of (b, n_i) arrays, got {type(xs).__name__}"
                )
            shapes = [tuple(np.shape(x)) for x in xs]
            if any(len(s) != 2 for s in shapes) or len({s[0] for s in shapes}) != 1:
                raise self._error(
                    f"xs must be (b, n_i) arrays with one batch size b, got shapes {shapes}"
                )
            xs = [jnp.asarray(x) for x in xs]
            dims = tuple(s[1] for s in shapes)
        self._dims(dims)
        return xs, dims

    def _stacked(self, xs: Any) -> jax.Array:
        """The pre-processed inputs stacked to ``(k, b, n)``; widths must be equal."""
        xs, dims = self._inputs(xs)
        self._equal_width(dims)
        stacked = xs if isinstance(xs, jax.Array) else jnp.stack(xs)
        return apply_functions(self.preprocess_functions, stacked)

    def _listed(self, xs: Any) -> list[jax.Array]:
        """The pre-processed inputs as a list of ``(b, n_i)`` arrays (any widths)."""
        xs, dims = self._inputs(xs)
        if not self.preprocess_functions:
            return list(xs)
        if len(set(dims)) == 1:
            stacked = xs if isinstance(xs, jax.Array) else jnp.stack(xs)
            return list(apply_functions(self.preprocess_functions, stacked))
        return [apply_functions(self.preprocess_functions, x) for x in xs]

    def _output(self, fused: jax.Array) -> jax.Array:
        return apply_functions(self.postprocess_functions, fused)


@dataclasses.dataclass(frozen=True, kw_only=True)
class ElementwiseFusion(ProcessedFusion):
    """Base of the fusions of equal-width inputs, combined entry by entry.

    Subclasses implement :meth:`_combine`, mapping the stacked ``(k, b, n)`` inputs
    (and the parameters) to ``(b, n)``.
    """

    def calculate_n(self, dims: tuple[int, ...] | None = None) -> int:
        """The output width: the common input width.

        Raises:
          ValueError: if the widths in ``dims`` differ, naming them.
        """
        return self._equal_width(dims)

    def calculate_l(self, dims: tuple[int, ...] | None = None) -> int:
        """The number of parameters: 0."""
        self._equal_width(dims)
        return 0

    def _combine(self, params: Any, stacked: jax.Array) -> jax.Array:
        raise NotImplementedError

    def apply(self, params: Any, xs: Any) -> jax.Array:
        """Fuses ``k`` inputs of equal width entry by entry.

        Args:
          params: the parameters from :meth:`init` (``None`` for parameter-free fusions).
          xs: a sequence of ``k`` arrays of shape ``(b, n)``, or one array of shape
            ``(k, b, n)``.

        Returns:
          The fused array, shape ``(b, n)``.

        Raises:
          ValueError: if the inputs are not ``(b, n)`` arrays of one batch size and
            one width (naming the widths), or do not match ``dims``.
        """
        return self._output(self._combine(params, self._stacked(xs)))


def check_no_params(owner: Fusion, params: Any) -> None:
    """Parameter-free fusions accept ``None`` (or an empty vector) as params."""
    if params is not None and np.size(params) != 0:
        raise owner._error(f"takes no parameters (l = 0), got params of shape {np.shape(params)}")
