"""Members whose parameter matrix is fabricated by a reconciliation function ψ."""

from __future__ import annotations

from typing import Any, ClassVar

import jax
import jax.numpy as jnp

from jaxbig.base import Fabrication
from jaxbig.interdependence._base import InterdependenceBase, named_errors
from jaxbig.reconciliation import IdentityReconciliation


class FabricatedBase(InterdependenceBase):
    """Builds a ``(n, D)`` parameter matrix with a member of :mod:`jaxbig.reconciliation`.

    Subclasses name the fabrication class and the fields passed on to it; the
    parameter layout, ``calculate_l``, ``init`` and the structured ``product`` are
    the fabrication's, so tinyBIG's ``(1, l)`` weights load as they are. The
    Kronecker members' ``q`` defaults to ``p`` (as tinyBIG).
    """

    #: The parameter fabrication ψ, and the fields passed on to it.
    _FABRICATION: ClassVar[type[Fabrication]] = IdentityReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if "q" in self._FABRICATION_FIELDS and getattr(self, "q") is None:
            object.__setattr__(self, "q", getattr(self, "p"))
        self.calculate_l()  # validates ψ's hyperparameters against the sizes (p | d, ...)

    def _fabrication_shape(self) -> tuple[int, int]:
        """``(n, D)`` of the fabricated matrix."""
        raise NotImplementedError

    def fabrication(self) -> Fabrication:
        """The reconciliation function ψ that builds the parameter matrix from ``w``."""
        kwargs = {name: getattr(self, name) for name in self._FABRICATION_FIELDS}
        with named_errors(self):
            return self._FABRICATION(**kwargs)

    def calculate_l(self) -> int:
        """The number of parameters, ``ψ.calculate_l(n, D)``.

        Raises:
          ValueError: if ψ does not fit the sizes (e.g. ``p`` does not divide ``d``).
        """
        with named_errors(self):
            return self.fabrication().calculate_l(*self._fabrication_shape())

    def init(self, key: jax.Array, *, dtype: Any = jnp.float32) -> Any:
        """Draws the parameters: ``ψ.init(key, n, D)``.

        Args:
          key: a PRNG key.
          dtype: floating dtype of the trained parameters.

        Returns:
          ``w`` of shape ``(l,)``, uniform in ``±1/√D``; for random matrix adaption,
          ``FixedRandomParams(w, key_data)`` (the key data of the fixed matrices).
        """
        with named_errors(self):
            return self.fabrication().init(key, *self._fabrication_shape(), dtype=dtype)

    def _product(self, w: Any, z: jax.Array) -> jax.Array:
        """``z @ ψ(w).T`` through ψ's structured product."""
        with named_errors(self):
            return self.fabrication().product(w, z, *self._fabrication_shape())

    def _matrix(self, w: Any) -> jax.Array:
        """ψ(w), shape ``(n, D)``."""
        with named_errors(self):
            return self.fabrication().apply(w, *self._fabrication_shape())
