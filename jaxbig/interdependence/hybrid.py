"""Hybrid interdependence: several interdependence matrices fused into one."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import Fusion, Interdependence
from jaxbig.interdependence._base import InterdependenceBase, named_errors
from jaxbig.ops import apply_functions
from jaxbig.registry import register

__all__ = ["HybridInterdependence"]


@register(
    family="interdependence",
    tinybig="hybrid_interdependence",
    formula="ξ(X | w) = fusion(ξ_1(X | w_1), …, ξ_k(X | w_k))",
)
@dataclasses.dataclass(frozen=True)
class HybridInterdependence(InterdependenceBase):
    """Hybrid interdependence: the fusion of several interdependence matrices.

    ``ξ(X | w) = fusion(ξ_1(X | w_1), …, ξ_k(X | w_k))``: each member computes its
    ``A_i ∈ ℝ^{d×d'_i}`` and a jaxbig fusion (e.g. :class:`~jaxbig.fusion.ProdFusion`
    for the Hadamard product of a graph and an attention matrix, or a weighted
    sum) combines them column-wise into ``A ∈ ℝ^{d×d'}``,
    ``d' = fusion.calculate_n((d'_1, …, d'_k))``.

    Parameters are a tuple ``(w_1, …, w_k, w_fusion)`` (what :meth:`init` returns;
    ``w_i`` is empty for a parameter-free member, ``w_fusion`` is ``None`` for a
    parameter-free fusion). A flat vector of length ``l = Σ l_i + l_fusion`` (tinyBIG's
    layout, split in that order) is accepted too when every part is a flat vector.

    Args:
      b: number of instances.
      m: number of attributes.
      interdependence_functions: a non-empty sequence of jaxbig interdependence
        functions built with the same ``b``, ``m`` and ``interdependence_type``.
      fusion_function: a jaxbig fusion.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the members see it.
      postprocess_functions: functions applied to the fused A.

    Raises:
      ValueError: if the members are missing, not interdependence functions, or
        built for other sizes or another type; if the fusion is missing or does not
        fit the members' widths.

    References:
      tinyBIG, ``tinybig/interdependence/hybrid_interdependence.py``
      (``hybrid_interdependence``); RPN 2, arXiv:2411.11162.

    >>> import jax, jax.numpy as jnp
    >>> from jaxbig.fusion import SummationFusion
    >>> from jaxbig.interdependence import ChainInterdependence, ParameterizedInterdependence
    >>> f = HybridInterdependence(3, 2, interdependence_type="instance", fusion_function=SummationFusion(),
    ...     interdependence_functions=(ChainInterdependence(3, 2), ParameterizedInterdependence(3, 2,
    ...     interdependence_type="instance")))
    >>> params = f.init(jax.random.key(0))
    >>> f.calculate_l(), f.apply(params, jnp.ones((3, 2))).shape
    (9, (3, 2))
    """

    _: dataclasses.KW_ONLY
    interdependence_functions: Any = ()
    fusion_function: Any = None

    def __post_init__(self) -> None:
        super().__post_init__()
        members = self.interdependence_functions
        members = (members,) if isinstance(members, Interdependence) else tuple(members)
        if not members:
            raise self._error("interdependence_functions must hold at least one function")
        own = (self.b, self.m, self.interdependence_type)
        for member in members:
            if not isinstance(member, InterdependenceBase):
                raise self._error(f"{member!r} is not a jaxbig interdependence function")
            theirs = (member.b, member.m, member.interdependence_type)
            if theirs != own:
                raise self._error(
                    f"member {type(member).__name__} has (b, m, type)={theirs}, expected {own}"
                )
        object.__setattr__(self, "interdependence_functions", members)
        if not isinstance(self.fusion_function, Fusion):
            raise self._error(f"fusion_function must be a jaxbig fusion, got {self.fusion_function!r}")
        self._d_prime()

    @property
    def require_data(self) -> bool:  # type: ignore[override]
        """Whether any member reads the data."""
        return any(getattr(f, "require_data", True) for f in self.interdependence_functions)

    def _dims(self) -> tuple[int, ...]:
        return tuple(f._d_prime() for f in self.interdependence_functions)

    def _d_prime(self) -> int:
        with named_errors(self):
            return self.fusion_function.calculate_n(self._dims())

    def _sizes(self) -> tuple[int, ...]:
        with named_errors(self):
            return tuple(f.calculate_l() for f in self.interdependence_functions) + (
                self.fusion_function.calculate_l(self._dims()),)

    def calculate_l(self) -> int:
        """``Σ l_i + l_fusion``."""
        return sum(self._sizes())

    def init(self, key: jax.Array, *, dtype: Any = jnp.float32) -> tuple[Any, ...]:
        """Draws ``(w_1, …, w_k, w_fusion)`` from independent keys."""
        keys = jax.random.split(key, len(self.interdependence_functions) + 1)
        with named_errors(self):
            members = tuple(f.init(k, dtype=dtype) for f, k in zip(self.interdependence_functions, keys))
            return members + (self.fusion_function.init(keys[-1], self._dims(), dtype=dtype),)

    def _split(self, w: Any) -> tuple[Any, ...]:
        sizes = self._sizes()
        if isinstance(w, (tuple, list)):
            if len(w) != len(sizes):
                raise self._error(f"params must have {len(sizes)} parts (members, then fusion), got {len(w)}")
            return tuple(w)
        shape = tuple(np.shape(w))
        if shape not in ((sum(sizes),), (1, sum(sizes))):
            raise self._error(
                f"w must be the tuple from init or a flat vector of shape ({sum(sizes)},), got shape {shape}"
            )
        flat = jnp.reshape(jnp.asarray(w), (-1,))
        bounds = np.cumsum((0,) + sizes)
        parts = [flat[bounds[i]:bounds[i + 1]] for i in range(len(sizes))]
        if sizes[-1] == 0:
            parts[-1] = None
        return tuple(parts)

    def calculate_A(self, w: Any, x: jax.typing.ArrayLike | None = None) -> jax.Array:
        """The fused interdependence matrix.

        Args:
          w: ``(w_1, …, w_k, w_fusion)`` from :meth:`init`, or the flat ``(l,)`` vector.
          x: the data ``(b, m)``, needed when a member reads it.

        Returns:
          A, ``(m, m')`` (attribute) or ``(b, b')`` (instance).

        Raises:
          ValueError: if ``w`` or ``x`` has the wrong shape or a member needs ``x``.
        """
        parts = self._split(w)
        if x is not None:
            x = apply_functions(self.preprocess_functions, self._check_x(x))
        with named_errors(self):
            matrices = [f.calculate_A(p, x) for f, p in zip(self.interdependence_functions, parts)]
            dtype = jnp.result_type(*matrices)
            fused = self.fusion_function.apply(parts[-1], [a.astype(dtype) for a in matrices])
        return self._postprocess(fused)
