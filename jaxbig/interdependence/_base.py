"""Shared machinery of the interdependence family: orientation, shape checks, mixing.

Every member is built with ``b, m`` and an ``interdependence_type``. An *attribute*
function (aliases ``column``, ``right``) mixes the ``m`` columns of ``x (b, m)`` with
``A (m, m')``: ``apply = x @ A``. An *instance* function (aliases ``row``, ``left``)
mixes the ``b`` rows with ``A (b, b')``: ``apply = A.T @ x``. The dimension that A
mixes is ``d`` (``m`` or ``b``) and its output size ``d'`` (``m'`` or ``b'``).

Data-dependent members compute A from the vectors being related: the columns of
``x`` (attribute) or its rows (instance). tinyBIG's ``forward`` hands ``x.T`` to
``calculate_A`` for instance functions; jaxbig's ``calculate_A`` always takes
``x (b, m)`` as it is and orients it itself.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import Fabrication, Interdependence, check_int, check_matrix, check_vector
from jaxbig.ops import apply_functions, resolve_functions

ATTRIBUTE = "attribute"
INSTANCE = "instance"

#: tinyBIG's spellings of the two interdependence types.
TYPE_ALIASES = {
    "attribute": ATTRIBUTE,
    "column": ATTRIBUTE,
    "right": ATTRIBUTE,
    "attribute_interdependence": ATTRIBUTE,
    "instance": INSTANCE,
    "row": INSTANCE,
    "left": INSTANCE,
    "instance_interdependence": INSTANCE,
}


def normalize_type(owner: Any, value: Any) -> str:
    """``'attribute'`` or ``'instance'`` for any of tinyBIG's spellings.

    Raises:
      ValueError: naming ``owner`` and the accepted names.
    """
    if isinstance(value, str) and value in TYPE_ALIASES:
        return TYPE_ALIASES[value]
    raise ValueError(
        f"{type(owner).__name__}: interdependence_type={value!r} is not one of "
        f"'attribute' (aliases 'column', 'right', 'attribute_interdependence') or "
        f"'instance' (aliases 'row', 'left', 'instance_interdependence')"
    )


def compute_dtype(dtype: Any) -> Any:
    """The dtype statistics are computed in: at least float32 (bfloat16 is promoted)."""
    dtype = jnp.dtype(dtype)
    if not jnp.issubdtype(dtype, jnp.floating):
        return jnp.dtype(jnp.float32)
    return jnp.promote_types(dtype, jnp.float32)


def output_dtype(x: jax.Array) -> Any:
    """The dtype of a result computed from ``x``: ``x``'s if floating, else float32."""
    return x.dtype if jnp.issubdtype(x.dtype, jnp.floating) else jnp.dtype(jnp.float32)


@dataclasses.dataclass(frozen=True)
class InterdependenceBase(Interdependence):
    """Fields and checks shared by every member (not registered itself).

    Args:
      b: number of instances (rows of ``x``).
      m: number of attributes (columns of ``x``).
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before a data-dependent A is
        computed (names or hashable callables, see :func:`jaxbig.ops.resolve_functions`).
      postprocess_functions: functions applied to A once it is computed, e.g.
        ``"softmax"`` (row-wise, along A's last axis).
    """

    b: int
    m: int
    _: dataclasses.KW_ONLY
    interdependence_type: str = ATTRIBUTE
    preprocess_functions: Any = ()
    postprocess_functions: Any = ()

    #: Whether ``calculate_A`` reads ``x`` (set by subclasses).
    require_data = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "b", check_int(self, "b", self.b, minimum=1))
        object.__setattr__(self, "m", check_int(self, "m", self.m, minimum=1))
        object.__setattr__(
            self, "interdependence_type", normalize_type(self, self.interdependence_type)
        )
        for name in ("preprocess_functions", "postprocess_functions"):
            object.__setattr__(self, name, resolve_functions(self, name, getattr(self, name)))

    # -- orientation --------------------------------------------------------------

    @property
    def is_attribute(self) -> bool:
        """Whether the function mixes attributes (columns) rather than instances."""
        return self.interdependence_type == ATTRIBUTE

    @property
    def _d(self) -> int:
        """The size of the mixed dimension: ``m`` (attribute) or ``b`` (instance)."""
        return self.m if self.is_attribute else self.b

    def _d_prime(self) -> int:
        """The output size ``d'`` of the mixed dimension (square by default)."""
        return self._d

    def calculate_l(self) -> int:
        """The number of learnable parameters (0 for data-only and constant functions)."""
        return 0

    def calculate_b_prime(self, b: int | None = None) -> int:
        """The number of output instances ``b'``.

        Args:
          b: the number of input instances; defaults to ``self.b``.

        Returns:
          ``b'``: ``calculate_b_prime`` of an attribute function returns ``b``
          unchanged; an instance function returns its A's column count.

        Raises:
          ValueError: if an instance function is asked about a ``b`` other than its own.
        """
        if not self.is_attribute:
            self._check_own_size("b", b, self.b)
            return self._d_prime()
        return self.b if b is None else check_int(self, "b", b, minimum=1)

    def calculate_m_prime(self, m: int | None = None) -> int:
        """The number of output attributes ``m'``.

        Args:
          m: the number of input attributes; defaults to ``self.m``.

        Returns:
          ``m'``: an attribute function returns its A's column count; an instance
          function returns ``m`` unchanged.

        Raises:
          ValueError: if an attribute function is asked about an ``m`` other than its own.
        """
        if self.is_attribute:
            self._check_own_size("m", m, self.m)
            return self._d_prime()
        return self.m if m is None else check_int(self, "m", m, minimum=1)

    def _check_own_size(self, name: str, given: int | None, own: int) -> None:
        if given is not None and check_int(self, name, given, minimum=1) != own:
            raise self._error(
                f"{name}={given} differs from the {name}={own} this "
                f"{self.interdependence_type} function was built with"
            )

    # -- checks -------------------------------------------------------------------

    def _check_x(self, x: Any) -> jax.Array:
        """``x`` as a 2-D array whose mixed dimension has size ``d``."""
        x = check_matrix(self, x)
        if self.is_attribute and x.shape[1] != self.m:
            raise self._error(f"x must have shape (b, {self.m}) (m={self.m}), got {x.shape}")
        if not self.is_attribute and x.shape[0] != self.b:
            raise self._error(f"x must have shape ({self.b}, m) (b={self.b}), got {x.shape}")
        return x

    def _require_x(self, x: Any) -> jax.Array:
        if x is None:
            raise self._error("calculate_A needs the data x (b, m)")
        return self._check_x(x)

    def _check_no_params(self, w: Any) -> None:
        if w is not None and np.size(w) != 0:
            raise self._error(f"takes no parameters (l = 0), got w of shape {np.shape(w)}")

    def _check_w(self, w: Any) -> jax.Array:
        return check_vector(self, w, self.calculate_l())

    # -- data orientation and mixing ----------------------------------------------

    def _vectors(self, x: jax.Array) -> jax.Array:
        """The vectors A relates, as rows: ``x.T`` (attribute, ``(m, b)``) or ``x``."""
        x = apply_functions(self.preprocess_functions, x)
        return x.T if self.is_attribute else x

    def _postprocess(self, a: jax.Array) -> jax.Array:
        return apply_functions(self.postprocess_functions, a)

    def _mix(self, a: jax.Array, x: jax.Array) -> jax.Array:
        """``x @ A`` (attribute) or ``A.T @ x`` (instance), in ``x``'s dtype."""
        a = a.astype(output_dtype(x))
        return x @ a if self.is_attribute else a.T @ x

    def apply(self, w: Any, x: jax.typing.ArrayLike) -> jax.Array:
        """ξ applied to the data: ``x @ A`` (attribute) or ``A.T @ x`` (instance).

        Args:
          w: the parameters, shape ``(l,)`` (``None`` or empty when ``l = 0``).
          x: the data, shape ``(b, m)``.

        Returns:
          ``(b, m')`` for an attribute function, ``(b', m)`` for an instance function.

        Raises:
          ValueError: if ``x`` or ``w`` has the wrong shape.
        """
        x = self._check_x(x)
        return self._mix(self.calculate_A(w, x), x)


def _static_dtype(x: Any) -> Any:
    """The dtype of a constant A: ``x``'s when given and floating, else float32."""
    return jnp.dtype(jnp.float32) if x is None else output_dtype(jnp.asarray(x))


class StaticBase(InterdependenceBase):
    """A data-free, parameter-free A, given by subclasses as a NumPy array (float64).

    The matrix depends on hyperparameters only, so it is built with NumPy at trace
    time and enters a jitted computation as a constant.
    """

    def _matrix(self) -> np.ndarray:
        raise NotImplementedError

    def calculate_A(self, w: Any = None, x: jax.typing.ArrayLike | None = None) -> jax.Array:
        """The constant matrix A.

        Args:
          w: ignored; must be ``None`` or empty (there are no parameters).
          x: optional data ``(b, m)``; only its dtype is used.

        Returns:
          A, ``(m, m')`` (attribute) or ``(b, b')`` (instance), in ``x``'s dtype
          (float32 without ``x``).

        Raises:
          ValueError: if ``w`` is not empty or ``x`` has the wrong shape.
        """
        self._check_no_params(w)
        if x is not None:
            x = self._check_x(x)
        return self._postprocess(jnp.asarray(self._matrix(), dtype=_static_dtype(x)))

    def _structured(self, x: jax.Array) -> jax.Array | None:
        """``apply`` without forming A, or ``None`` to use the dense product."""
        return None

    def apply(self, w: Any, x: jax.typing.ArrayLike) -> jax.Array:
        """``x @ A`` (attribute, ``(b, m')``) or ``A.T @ x`` (instance, ``(b', m)``).

        Args:
          w: ignored; must be ``None`` or empty.
          x: the data, shape ``(b, m)``.

        Raises:
          ValueError: if ``w`` is not empty or ``x`` has the wrong shape.
        """
        self._check_no_params(w)
        x = self._check_x(x)
        fast = None if self.postprocess_functions else self._structured(x)
        return fast if fast is not None else self._mix(self.calculate_A(None, x), x)


@contextlib.contextmanager
def named_errors(owner: Any) -> Iterator[None]:
    """Prefixes ValueErrors raised by a wrapped function (a fabrication) with ``owner``'s name."""
    try:
        yield
    except ValueError as error:
        raise owner._error(str(error)) from error


def transposed_product(
    fabrication: Fabrication, w: Any, y: jax.Array, n: int, D: int
) -> jax.Array:
    """``y @ ψ(w)`` for ``y (rows, n)``: the transpose of ``fabrication.product``.

    ``product(w, z, n, D) = z @ ψ(w).T`` is linear in ``z``; its transpose, taken
    with :func:`jax.linear_transpose`, maps ``y`` to ``y @ ψ(w)`` through the same
    structured operations (for a low-rank ψ: ``(y A) B``; for a Kronecker ψ: the
    transposed blockwise contractions), so ψ(w) is never formed.

    Returns:
      ``(rows, D)``, dtype of ``y``.
    """
    spec = jax.ShapeDtypeStruct((y.shape[0], D), y.dtype)
    (out,) = jax.linear_transpose(lambda z: fabrication.product(w, z, n, D), spec)(y)
    return out
