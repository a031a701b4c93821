"""The function protocol shared by every jaxbig family, and the checks that guard it.

Every jaxbig function is a frozen, hashable dataclass that holds only static
hyperparameters (validated in ``__post_init__``) and exposes pure methods. Because
the object is hashable it can be a static argument of :func:`jax.jit`; because its
parameters are plain arrays or pytrees, ``vmap`` over an ensemble of parameters and
sharding need nothing special. Randomness happens only in ``init(key, ...)``.

The families and their methods:

============================  =======================================  ==========================
family                        shape calculators                        params / function
============================  =======================================  ==========================
fabrication ψ                 ``calculate_l(n, D)``                    ``init(key, n, D)``;
(:class:`Fabrication`)                                                 ``apply(w, n, D)`` → (n, D);
                                                                       ``product(w, x, n, D)`` → (b, n)
transformation κ              ``calculate_D(m)``                       ``init(key, m)``;
(:class:`Transformation`)                                              ``apply(params, x)`` → (b, D)
interdependence ξ             ``calculate_l()``,                       ``init(key)``;
(:class:`Interdependence`)    ``calculate_b_prime(b)``,                ``calculate_A(w, x)``;
                              ``calculate_m_prime(m)``                 ``apply(w, x)``
remainder π                   ``calculate_l(n, m)``                    ``init(key, n, m)``;
(:class:`Remainder`)                                                   ``apply(w, x, n)`` → (b, n)
fusion                        ``calculate_n(dims)``,                   ``init(key, dims)``;
(:class:`Fusion`)             ``calculate_l(dims)``                    ``apply(params, xs)``
============================  =======================================  ==========================

Parameter pytrees follow one rule, relied on by :mod:`jaxbig.nn`: floating-point
leaves are trainable; integer and boolean leaves (a fixed random mask, the key data
of fixed random matrices) are buffers that training never changes. Use
:func:`is_trainable_leaf` to split them.

Checks raise :class:`ValueError` whose message names the function, the rule and the
values, e.g. ``"DuplicatedDiagonalPadding: p=3 must divide n=10"``.
"""

from __future__ import annotations

import abc
import math
import numbers
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

__all__ = [
    "Fabrication",
    "Function",
    "Fusion",
    "Interdependence",
    "Remainder",
    "Transformation",
    "check_bool",
    "check_divides",
    "check_float",
    "check_int",
    "check_matrix",
    "check_one_of",
    "check_vector",
    "is_trainable_leaf",
]


def _owner_name(owner: Any) -> str:
    if isinstance(owner, str):
        return owner
    if isinstance(owner, type):
        return owner.__name__
    return type(owner).__name__


def check_bool(owner: Any, name: str, value: Any) -> bool:
    """Returns ``value`` as a Python bool, or raises a ValueError naming ``owner``.

    Raises:
      ValueError: if ``value`` is not a bool (NumPy bools are accepted; ints are not).
    """
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{_owner_name(owner)}: {name} must be a bool, got {value!r}")
    return bool(value)


def check_int(owner: Any, name: str, value: Any, *, minimum: int | None = None) -> int:
    """Returns ``value`` as a Python int, or raises a ValueError naming ``owner``.

    Args:
      owner: the function (or its name) that owns the hyperparameter.
      name: the hyperparameter's name, e.g. ``"p"``.
      value: the value given by the user.
      minimum: the smallest allowed value, if any.

    Raises:
      ValueError: if ``value`` is not an integer (bools are rejected) or is below
        ``minimum``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(
            f"{_owner_name(owner)}: {name} must be an integer, got {value!r}"
        )
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{_owner_name(owner)}: {name}={value} must be >= {minimum}")
    return value


def check_float(
    owner: Any,
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_minimum: bool = False,
) -> float:
    """Returns ``value`` as a finite Python float, or raises a ValueError.

    Args:
      owner: the function (or its name) that owns the hyperparameter.
      name: the hyperparameter's name.
      value: the value given by the user.
      minimum: the lower bound, if any.
      maximum: the upper bound (inclusive), if any.
      strict_minimum: whether the lower bound is exclusive.

    Raises:
      ValueError: if ``value`` is not a finite real number or is out of range.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{_owner_name(owner)}: {name} must be a real number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{_owner_name(owner)}: {name}={value} must be finite")
    if minimum is not None:
        if strict_minimum and value <= minimum:
            raise ValueError(f"{_owner_name(owner)}: {name}={value} must be > {minimum}")
        if not strict_minimum and value < minimum:
            raise ValueError(f"{_owner_name(owner)}: {name}={value} must be >= {minimum}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{_owner_name(owner)}: {name}={value} must be <= {maximum}")
    return value


def check_one_of(owner: Any, name: str, value: Any, allowed: tuple[str, ...]) -> str:
    """Returns ``value`` if it is one of ``allowed``, or raises a ValueError listing them."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(
            f"{_owner_name(owner)}: {name}={value!r} is not one of {', '.join(map(repr, allowed))}"
        )
    return value


def check_divides(owner: Any, p_name: str, p: int, n_name: str, n: int) -> int:
    """Returns ``n // p``, or raises a ValueError when ``p`` does not divide ``n``.

    Raises:
      ValueError: ``"<owner>: p=3 must divide n=10"`` when ``n % p != 0``.
    """
    if p <= 0 or n % p != 0:
        raise ValueError(f"{_owner_name(owner)}: {p_name}={p} must divide {n_name}={n}")
    return n // p


def check_vector(owner: Any, w: Any, length: int, name: str = "w") -> jax.Array:
    """Checks that ``w`` is a flat parameter vector of the given length.

    tinyBIG stores parameters as ``(1, l)``; that layout is accepted too and
    flattened, so tinyBIG weights load as they are.

    Args:
      owner: the function (or its name) that consumes ``w``.
      w: the parameter vector, shape ``(l,)`` or ``(1, l)``.
      length: the required length ``l``.
      name: the argument's name in messages.

    Returns:
      ``w`` as a ``jax.Array`` of shape ``(l,)``.

    Raises:
      ValueError: if ``w`` has another shape.
    """
    shape = tuple(np.shape(w))
    if shape == (length,):
        return jnp.asarray(w)
    if shape == (1, length):
        return jnp.reshape(jnp.asarray(w), (length,))
    raise ValueError(
        f"{_owner_name(owner)}: {name} must have shape ({length},) (l = calculate_l), "
        f"got shape {shape}"
    )


def check_matrix(
    owner: Any, x: Any, width: int | None = None, name: str = "x", *, floating: bool = False
) -> jax.Array:
    """Checks that ``x`` is a 2-D array, optionally of a given width.

    Args:
      owner: the function (or its name) that consumes ``x``.
      x: the input, shape ``(b, width)``.
      width: the required number of columns, if fixed.
      name: the argument's name in messages.
      floating: whether to cast integer or boolean input to the default float
        dtype (floating input keeps its dtype).

    Returns:
      ``x`` as a ``jax.Array``.

    Raises:
      ValueError: if ``x`` is not 2-D or has the wrong width.
    """
    shape = tuple(np.shape(x))
    if len(shape) != 2:
        expected = f"(b, {width})" if width is not None else "(b, m)"
        raise ValueError(
            f"{_owner_name(owner)}: {name} must be 2-D of shape {expected}, got shape {shape}"
        )
    if width is not None and shape[1] != width:
        raise ValueError(
            f"{_owner_name(owner)}: {name} must have shape (b, {width}), got shape {shape}"
        )
    x = jnp.asarray(x)
    if floating and not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(jnp.result_type(float))
    return x


def is_trainable_leaf(leaf: Any) -> bool:
    """Whether a parameter leaf is trained: floating point leaves are, others are buffers."""
    return jnp.issubdtype(jnp.result_type(leaf), jnp.floating)


class Function(abc.ABC):
    """Root of every jaxbig function: a frozen dataclass of static hyperparameters.

    Subclasses are decorated with ``@dataclasses.dataclass(frozen=True)`` and
    registered with :func:`jaxbig.registry.register`, which records their family.
    """

    def _error(self, message: str) -> ValueError:
        """A ValueError whose message starts with this function's class name."""
        return ValueError(f"{type(self).__name__}: {message}")


class Fabrication(Function):
    """Parameter fabrication (reconciliation) ψ: ℝ^l → ℝ^{n×D}.

    Subclasses implement :meth:`calculate_l` and :meth:`apply`, and override
    :meth:`product` wherever the structure of ψ(w) allows a product that never
    materialises the ``(n, D)`` matrix.

    References:
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.
    """

    @abc.abstractmethod
    def calculate_l(self, n: int, D: int) -> int:
        """The length ``l`` of the flat parameter vector ``w`` for an ``(n, D)`` output.

        Raises:
          ValueError: if ``n`` or ``D`` is not a positive integer, or the function's
            hyperparameters do not fit them (e.g. ``p`` does not divide ``n``).
        """

    def init(self, key: jax.Array, n: int, D: int, *, dtype: Any = jnp.float32) -> Any:
        """Draws initial parameters: ``w`` of shape ``(l,)``, uniform in ±1/√D.

        Functions with fixed random draws (a mask, fixed random matrices) return a
        NamedTuple whose field ``w`` is that vector and whose other leaves are
        integer or boolean buffers.

        Args:
          key: a PRNG key.
          n: output dimension.
          D: expansion-space dimension.
          dtype: floating dtype of ``w``.

        Returns:
          The parameters, ``(l,)`` (or the NamedTuple described above).
        """
        l = self.calculate_l(n, D)
        bound = 1.0 / math.sqrt(D)
        return jax.random.uniform(key, (l,), dtype, minval=-bound, maxval=bound)

    @abc.abstractmethod
    def apply(self, w: Any, n: int, D: int) -> jax.Array:
        """ψ(w): the fabricated parameter matrix of shape ``(n, D)``."""

    def product(self, w: Any, x: jax.typing.ArrayLike, n: int, D: int) -> jax.Array:
        """``x @ ψ(w).T`` for ``x`` of shape ``(b, D)``, returning ``(b, n)``.

        This generic fallback materialises ψ(w); structured members override it.

        Raises:
          ValueError: if ``x`` is not of shape ``(b, D)``.
        """
        x = check_matrix(self, x, D)
        return x @ self.apply(w, n, D).T.astype(x.dtype)


class Transformation(Function):
    """Data transformation κ: ℝ^m → ℝ^D (an expansion when D > m, a compression when D < m).

    References:
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.
    """

    @abc.abstractmethod
    def calculate_D(self, m: int) -> int:
        """The output width ``D`` for inputs of width ``m``."""

    def init(self, key: jax.Array, m: int, *, dtype: Any = jnp.float32) -> Any:
        """Parameters of κ for inputs of width ``m``; ``None`` for parameter-free functions."""
        del key, m, dtype
        return None

    @abc.abstractmethod
    def apply(self, params: Any, x: jax.typing.ArrayLike) -> jax.Array:
        """κ(x): maps ``x`` of shape ``(b, m)`` to ``(b, D)``."""


class Interdependence(Function):
    """Interdependence ξ: a matrix A that mixes attributes (columns) or instances (rows).

    Attribute interdependence multiplies on the right, ``x @ A`` with A of shape
    ``(m, m')``; instance interdependence on the left, ``A.T @ x`` with A of shape
    ``(b, b')``. Members are dataclasses constructed with ``b, m``, optional
    ``b_prime`` / ``m_prime`` and ``interdependence_type``.

    References:
      Zhang, J. "RPN 2: On Interdependence Function Learning Towards Unifying and
      Advancing CNN, RNN, GNN, and Transformer", arXiv:2411.11162, 2024.
    """

    @abc.abstractmethod
    def calculate_l(self) -> int:
        """The length of the flat parameter vector ``w`` (0 for data-only functions)."""

    @abc.abstractmethod
    def calculate_b_prime(self, b: int | None = None) -> int:
        """The number of output instances b'."""

    @abc.abstractmethod
    def calculate_m_prime(self, m: int | None = None) -> int:
        """The number of output attributes m'."""

    def init(self, key: jax.Array, *, dtype: Any = jnp.float32) -> jax.Array:
        """Draws ``w`` of shape ``(l,)`` (empty for data-only functions)."""
        l = self.calculate_l()
        return jax.random.uniform(key, (l,), dtype, minval=-1.0, maxval=1.0) / math.sqrt(max(l, 1))

    @abc.abstractmethod
    def calculate_A(self, w: Any, x: jax.typing.ArrayLike | None = None) -> jax.Array:
        """The interdependence matrix: ``(m, m')`` for attribute, ``(b, b')`` for instance."""

    @abc.abstractmethod
    def apply(self, w: Any, x: jax.typing.ArrayLike) -> jax.Array:
        """``x @ A`` (attribute, ``(b, m')``) or ``A.T @ x`` (instance, ``(b', m)``)."""


class Remainder(Function):
    """Remainder π: ℝ^m → ℝ^n, the residual term added to an RPN head's output.

    References:
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.
    """

    @abc.abstractmethod
    def calculate_l(self, n: int, m: int) -> int:
        """The number of parameters for an ``m → n`` remainder (0 when parameter-free)."""

    def init(self, key: jax.Array, n: int, m: int, *, dtype: Any = jnp.float32) -> Any:
        """Draws parameters of length ``calculate_l(n, m)``, uniform in ±1/√m."""
        l = self.calculate_l(n, m)
        bound = 1.0 / math.sqrt(m)
        return jax.random.uniform(key, (l,), dtype, minval=-bound, maxval=bound)

    @abc.abstractmethod
    def apply(self, w: Any, x: jax.typing.ArrayLike, n: int) -> jax.Array:
        """π(x): maps ``x`` of shape ``(b, m)`` to ``(b, n)``."""


class Fusion(Function):
    """Fusion: combines a sequence of ``(b, n_i)`` arrays (channels or heads) into one.

    References:
      Zhang, J. "RPN 2", arXiv:2411.11162, 2024.
    """

    @abc.abstractmethod
    def calculate_n(self, dims: tuple[int, ...]) -> int:
        """The output width for inputs of widths ``dims``."""

    @abc.abstractmethod
    def calculate_l(self, dims: tuple[int, ...]) -> int:
        """The number of parameters for inputs of widths ``dims`` (0 when parameter-free)."""

    def init(self, key: jax.Array, dims: tuple[int, ...], *, dtype: Any = jnp.float32) -> Any:
        """Parameters for inputs of widths ``dims``; ``None`` for parameter-free fusions."""
        del key, dims, dtype
        return None

    @abc.abstractmethod
    def apply(self, params: Any, xs: Any) -> jax.Array:
        """Fuses ``xs``, a sequence of ``(b, n_i)`` arrays, into ``(b, calculate_n(dims))``."""
