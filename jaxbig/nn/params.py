"""Function parameters as NNX variables: trainable ``Param`` leaves and ``Buffer`` leaves.

The pure families return parameter pytrees from ``init``; :mod:`jaxbig.base` fixes
the rule that splits them: floating-point leaves are trained, integer and boolean
leaves (a fixed random mask, the key data of fixed random matrices) are buffers.
:func:`to_variables` wraps such a pytree for an :class:`flax.nnx.Module`, turning
each trainable leaf into an :class:`flax.nnx.Param` and every other leaf into a
:class:`Buffer`, so ``nnx.grad(..., wrt=nnx.Param)`` and optimizers built with
``wrt=nnx.Param`` never touch buffers. :func:`read` turns it back into the pytree
the family's ``apply`` expects.
"""

from __future__ import annotations

from typing import Any

import jax
from flax import nnx

from jaxbig.base import is_trainable_leaf

__all__ = ["Buffer", "ParamTree", "count_params", "read", "to_variables"]


class Buffer(nnx.Variable):
    """A non-trainable parameter leaf: integer or boolean data that training never changes."""


class ParamTree(nnx.Module):
    """A parameter pytree with more than one leaf, stored as a list of variables.

    Args:
      tree: the pytree returned by a family's ``init`` (e.g. a NamedTuple of a
        weight vector and the key data of a fixed random matrix).
    """

    def __init__(self, tree: Any):
        leaves, self.treedef = jax.tree.flatten(tree)
        self.leaves = nnx.List([_variable(leaf) for leaf in leaves])

    def __call__(self) -> Any:
        """The pytree, with the current values of its leaves."""
        return jax.tree.unflatten(self.treedef, [v[...] for v in self.leaves])


def _variable(leaf: Any) -> nnx.Variable:
    return nnx.Param(leaf) if is_trainable_leaf(leaf) else Buffer(leaf)


def to_variables(tree: Any) -> nnx.Variable | ParamTree | None:
    """Wraps a parameter pytree for storage on a module.

    Args:
      tree: ``None`` (a parameter-free function), one array, or a pytree of arrays.

    Returns:
      ``None``, a single :class:`flax.nnx.Param` / :class:`Buffer`, or a
      :class:`ParamTree`.
    """
    leaves = jax.tree.leaves(tree)
    if not leaves:
        return None
    if len(leaves) == 1 and leaves[0] is tree:
        return _variable(tree)
    return ParamTree(tree)


def read(stored: nnx.Variable | ParamTree | None) -> Any:
    """The pytree stored by :func:`to_variables` (``None`` stays ``None``)."""
    if stored is None:
        return None
    if isinstance(stored, ParamTree):
        return stored()
    return stored[...]


def count_params(module: nnx.Module) -> int:
    """The number of trainable scalars (``nnx.Param`` leaves) of a module.

    >>> from flax import nnx
    >>> count_params(nnx.Linear(3, 2, rngs=nnx.Rngs(0)))
    8
    """
    return sum(int(x.size) for x in jax.tree.leaves(nnx.state(module, nnx.Param)))
