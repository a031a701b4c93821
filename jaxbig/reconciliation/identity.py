"""The identity reconciliation (``w`` reshaped) and its masked variant."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import check_float, check_matrix
from jaxbig.reconciliation._layout import Shape, _Structured
from jaxbig.reconciliation.params import MaskingParams
from jaxbig.registry import register

__all__ = ["IdentityReconciliation", "MaskingReconciliation"]


class _Full(_Structured):
    """A fabrication whose ``w`` is the whole ``(n, D)`` matrix, row-major."""

    def _layout(self, n: int, D: int) -> tuple[Shape, ...]:
        return (self._check_nD(n, D),)


@register(
    family="reconciliation",
    tinybig="identity_reconciliation",
    formula="ψ(w) = reshape(w) = W ∈ ℝ^{n×D}",
)
@dataclasses.dataclass(frozen=True)
class IdentityReconciliation(_Full):
    """Identity reconciliation: ``w`` reshaped to the ``(n, D)`` matrix.

    ψ(w) = reshape(w) = W ∈ ℝ^{n×D}

    where ``w`` of length ``l = n·D`` is reshaped row-major. ``product`` is the
    plain ``x @ Wᵀ``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/basic_reconciliation.py`` (``identity_reconciliation``).
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> psi = IdentityReconciliation()
    >>> psi.calculate_l(2, 3)
    6
    >>> psi.apply(jnp.arange(6.0), 2, 3)
    Array([[0., 1., 2.],
           [3., 4., 5.]], dtype=float32)
    """

    def apply(self, w: Any, n: int, D: int) -> jax.Array:
        (W,) = self._parts(w, n, D)
        return W

    def product(self, w: Any, x: jax.typing.ArrayLike, n: int, D: int) -> jax.Array:
        (W,) = self._parts(w, n, D)
        x = check_matrix(self, x, D)
        return x @ W.astype(x.dtype).T


@register(
    family="reconciliation",
    tinybig="masking_reconciliation",
    formula="ψ(w) = M ⊙ reshape(w), M_ij ~ Bernoulli(p)",
)
@dataclasses.dataclass(frozen=True)
class MaskingReconciliation(_Full):
    """Masking reconciliation: ``w`` reshaped to ``(n, D)`` times a random binary mask.

    ψ(w) = M ⊙ reshape(w), M_ij ~ Bernoulli(p)

    where ``w`` of length ``l = n·D`` is reshaped row-major, ``⊙`` is the
    elementwise product and the mask ``M ∈ {0, 1}^{n×D}`` keeps each entry with
    probability ``p`` (so about ``p·n·D`` parameters are in use).

    Parameters are :class:`~jaxbig.reconciliation.MaskingParams` ``(w, mask)``: the
    boolean mask is drawn by :meth:`init` and is a buffer, never trained. With
    ``fixed_mask=False`` (tinyBIG's redrawn mask) every call must pass ``key=`` and
    draws a fresh mask from it; ``key=`` may also be given with ``fixed_mask=True``
    to draw the mask for a plain ``w`` (e.g. tinyBIG weights, whose mask tinyBIG
    does not store).

    Args:
      p: the probability that an entry is kept, in ``[0, 1]``.
      fixed_mask: whether the mask drawn at :meth:`init` is kept (``True``) or a
        new mask is drawn at every call from the ``key`` argument (``False``).

    Raises:
      ValueError: if ``p`` is outside ``[0, 1]`` or ``fixed_mask`` is not a bool.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/basic_reconciliation.py`` (``masking_reconciliation``).
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.

    >>> import jax, jax.numpy as jnp
    >>> psi = MaskingReconciliation(p=0.5)
    >>> params = psi.init(jax.random.key(0), 2, 3)
    >>> params.w.shape, params.mask.shape, params.mask.dtype
    ((6,), (2, 3), dtype('bool'))
    >>> psi.apply(params, 2, 3).shape
    (2, 3)
    """

    p: float = 0.5
    fixed_mask: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "p", check_float(self, "p", self.p, minimum=0.0, maximum=1.0))
        self._bool("fixed_mask")

    def _draw_mask(self, key: jax.Array, n: int, D: int) -> jax.Array:
        return jax.random.bernoulli(key, self.p, (n, D))

    def init(self, key: jax.Array, n: int, D: int, *, dtype: Any = jnp.float32) -> MaskingParams:
        """Draws ``w`` (uniform in ±1/√D) and the fixed mask ``M``.

        Args:
          key: a PRNG key.
          n: output dimension.
          D: expansion-space dimension.
          dtype: floating dtype of ``w``.

        Returns:
          ``MaskingParams(w, mask)``: ``w`` of shape ``(n·D,)``, ``mask`` boolean ``(n, D)``.
        """
        key_w, key_mask = jax.random.split(key)
        return MaskingParams(super().init(key_w, n, D, dtype=dtype), self._draw_mask(key_mask, n, D))

    def apply(self, w: Any, n: int, D: int, *, key: jax.Array | None = None) -> jax.Array:
        """ψ(w) = M ⊙ reshape(w).

        Args:
          w: ``MaskingParams(w, mask)``, or a plain ``(n·D,)`` / ``(1, n·D)`` vector
            together with ``key``.
          n: output dimension.
          D: expansion-space dimension.
          key: a PRNG key to draw the mask from at this call; required when
            ``fixed_mask=False`` or when ``w`` carries no mask.

        Returns:
          Shape ``(n, D)``, dtype of ``w``.

        Raises:
          ValueError: if ``w`` has another length, the mask is not a boolean
            ``(n, D)`` array, or a needed ``key`` is missing.
        """
        params_w, mask = (w.w, w.mask) if isinstance(w, MaskingParams) else (w, None)
        (W,) = self._parts(params_w, n, D)
        if key is not None:
            mask = self._draw_mask(key, n, D)
        elif not self.fixed_mask:
            raise self._error("fixed_mask=False draws a new mask at every call: pass key=")
        elif mask is None:
            raise self._error(
                "w carries no mask: pass MaskingParams(w, mask) (see init) or key= to draw one"
            )
        mask_shape, mask_dtype = tuple(np.shape(mask)), jnp.result_type(mask)
        if mask_shape != (n, D) or mask_dtype != jnp.bool_:
            raise self._error(
                f"mask must be boolean of shape ({n}, {D}), got {mask_dtype} of shape {mask_shape}"
            )
        return W * jnp.asarray(mask).astype(W.dtype)

    def product(
        self, w: Any, x: jax.typing.ArrayLike, n: int, D: int, *, key: jax.Array | None = None
    ) -> jax.Array:
        """``x @ (M ⊙ W)ᵀ`` (the mask is elementwise, so ``M ⊙ W`` is formed once).

        Args:
          w: as in :meth:`apply`.
          x: the input, shape ``(b, D)``.
          n: output dimension.
          D: expansion-space dimension.
          key: as in :meth:`apply`.

        Returns:
          Shape ``(b, n)``, dtype of ``x``.

        Raises:
          ValueError: as :meth:`apply`, or if ``x`` is not of shape ``(b, D)``.
        """
        x = check_matrix(self, x, D)
        return x @ self.apply(w, n, D, key=key).astype(x.dtype).T
