"""tinyBIG-style lists of data-processing functions (activations, pre/post-processing).

tinyBIG lets remainders, fusions and expansions carry a list of functions
(``activation_functions``, ``preprocess_functions``, ``postprocess_functions``) that
are applied in order. Each entry is a callable or a name: ``"relu"``, or a path as
tinyBIG's configs write it (``"torch.nn.functional.gelu"``, ``"torch.nn.GELU"``).

jaxbig keeps such a list as a static hyperparameter: :func:`resolve_functions`
validates it once (in ``__post_init__``) and returns a hashable tuple whose names
stay readable in the object's ``repr``; :func:`apply_functions` applies it. Names
resolve to the JAX function with the same semantics as PyTorch's default (e.g.
``"gelu"`` is the exact, erf-based GELU, as ``torch.nn.functional.gelu``).
Functions with state or randomness (dropout, batch norm) are rejected: they belong
in the model (``flax.nnx.Dropout``, ``flax.nnx.BatchNorm``).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Sequence
from typing import Any, Union

import jax
import jax.numpy as jnp

from jaxbig.base import _owner_name

__all__ = ["FunctionSpec", "apply_functions", "resolve_functions"]

#: A function list as tinyBIG accepts it: ``None``, one function, or a sequence.
FunctionSpec = Union[None, str, Callable[..., Any], Sequence[Union[str, Callable[..., Any]]]]

# Name -> JAX function, with PyTorch's defaults where the two libraries differ.
_FUNCTIONS: dict[str, Callable[[jax.Array], jax.Array]] = {
    "identity": lambda x: x,
    "relu": jax.nn.relu,
    "relu6": jax.nn.relu6,
    "sigmoid": jax.nn.sigmoid,
    "tanh": jnp.tanh,
    "gelu": functools.partial(jax.nn.gelu, approximate=False),
    "gelu_tanh": functools.partial(jax.nn.gelu, approximate=True),
    "silu": jax.nn.silu,
    "swish": jax.nn.silu,
    "mish": jax.nn.mish,
    "softplus": jax.nn.softplus,
    "softsign": jax.nn.soft_sign,
    "elu": jax.nn.elu,
    "celu": jax.nn.celu,
    "selu": jax.nn.selu,
    "leaky_relu": jax.nn.leaky_relu,
    "log_sigmoid": jax.nn.log_sigmoid,
    "hard_tanh": jax.nn.hard_tanh,
    "hard_sigmoid": jax.nn.hard_sigmoid,
    "hard_swish": jax.nn.hard_swish,
    "softmax": jax.nn.softmax,
    "log_softmax": jax.nn.log_softmax,
    "layer_norm": functools.partial(jax.nn.standardize, axis=-1, epsilon=1e-5),
    "exp": jnp.exp,
}

# PyTorch spellings (functional names and module class names, lower-cased).
_SYNONYMS = {
    "logsigmoid": "log_sigmoid",
    "hardtanh": "hard_tanh",
    "hardsigmoid": "hard_sigmoid",
    "hardswish": "hard_swish",
    "leakyrelu": "leaky_relu",
    "logsoftmax": "log_softmax",
    "layernorm": "layer_norm",
    "soft_sign": "softsign",
}

_STATEFUL = ("dropout", "batch_norm", "batchnorm", "batchnorm1d", "batchnorm2d", "batchnorm3d")


def _canonical_name(owner: Any, field: str, name: str) -> str:
    key = name.rsplit(".", 1)[-1].lower()
    key = _SYNONYMS.get(key, key)
    if key in _FUNCTIONS:
        return key
    if key in _STATEFUL:
        raise ValueError(
            f"{_owner_name(owner)}: {field} entry {name!r} has state or randomness; "
            "put it in the model (flax.nnx.Dropout / flax.nnx.BatchNorm) instead"
        )
    close = difflib.get_close_matches(key, list(_FUNCTIONS) + list(_SYNONYMS), n=3, cutoff=0.6)
    hint = f"; close matches: {', '.join(close)}" if close else ""
    raise ValueError(
        f"{_owner_name(owner)}: {field} entry {name!r} is not a known function{hint} "
        f"(known: {', '.join(sorted(_FUNCTIONS))}; or pass a hashable callable)"
    )


def resolve_functions(owner: Any, field: str, spec: FunctionSpec) -> tuple[Any, ...]:
    """Validates a function list and returns it as a hashable tuple.

    Args:
      owner: the function object (or its name) that holds the list, for messages.
      field: the hyperparameter's name, e.g. ``"activation_functions"``.
      spec: ``None``, one function, or a sequence of functions; each function is a
        hashable callable or a name (``"relu"``, ``"torch.nn.functional.relu"``,
        ``"torch.nn.ReLU"``).

    Returns:
      A tuple of canonical names (str) and callables, applied left to right.

    Raises:
      ValueError: naming ``owner`` and ``field`` for an unknown name, a stateful
        function, or an unhashable callable.

    >>> resolve_functions("Demo", "activation_functions", ["torch.nn.GELU", "tanh"])
    ('gelu', 'tanh')
    """
    if spec is None:
        return ()
    items = (spec,) if isinstance(spec, str) or callable(spec) else tuple(spec)
    resolved = []
    for item in items:
        if isinstance(item, str):
            resolved.append(_canonical_name(owner, field, item))
        elif callable(item):
            try:
                hash(item)
            except TypeError:
                raise ValueError(
                    f"{_owner_name(owner)}: {field} entry {item!r} must be hashable "
                    "(a function, not e.g. a list-holding object)"
                ) from None
            resolved.append(item)
        else:
            raise ValueError(
                f"{_owner_name(owner)}: {field} entries must be names or callables, got {item!r}"
            )
    return tuple(resolved)


def apply_functions(functions: tuple[Any, ...], x: jax.Array) -> jax.Array:
    """Applies a tuple from :func:`resolve_functions` to ``x``, left to right.

    Args:
      functions: the resolved tuple (may be empty).
      x: the array to process, any shape.

    Returns:
      The processed array (``x`` itself when ``functions`` is empty).

    >>> apply_functions(("relu", "exp"), jnp.array([-1.0, 0.0]))
    Array([1., 1.], dtype=float32)
    """
    for f in functions:
        x = _FUNCTIONS[f](x) if isinstance(f, str) else f(x)
    return x
