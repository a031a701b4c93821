"""jaxbig: pure, composable JAX transforms for Reconciled Polynomial Networks and learned compression.

The families are subpackages of frozen, hashable dataclasses with pure methods:
:mod:`jaxbig.reconciliation` (parameter fabrication ψ), :mod:`jaxbig.expansion` and
:mod:`jaxbig.compression` (data transformations κ), :mod:`jaxbig.interdependence` (ξ),
:mod:`jaxbig.remainder` (π), :mod:`jaxbig.fusion`, and :mod:`jaxbig.entropy`
(the power-law entropy model and its codec). :func:`make` builds any of them by its
jaxbig or tinyBIG name. Flax NNX modules live in :mod:`jaxbig.nn`.
"""

from jaxbig import (
    compression,
    entropy,
    expansion,
    fusion,
    interdependence,
    ops,
    reconciliation,
    remainder,
)
from jaxbig.registry import entries, lookup, make

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "compression",
    "entries",
    "entropy",
    "expansion",
    "fusion",
    "interdependence",
    "lookup",
    "make",
    "ops",
    "reconciliation",
    "remainder",
]
