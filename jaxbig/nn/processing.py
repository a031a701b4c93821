"""Data-processing steps of RPN heads as NNX modules (activations, norms, dropout).

tinyBIG lets a head process its input and output, and a transformation its input
and output, with lists of PyTorch functions and modules, written in configs as
``{"function_class": "torch.nn.LayerNorm", "function_parameters": {...}}`` or as
names (``"relu"``, ``"torch.nn.functional.sigmoid"``). :func:`make_process` builds
one such step as an NNX module for inputs of a known width:

==============================================  ========================================
tinyBIG / PyTorch                               jaxbig
==============================================  ========================================
``torch.nn.LayerNorm`` (affine)                 :class:`flax.nnx.LayerNorm` (eps 1e-5)
``torch.nn.BatchNorm1d``                        :class:`flax.nnx.BatchNorm` (momentum
                                                ``1 - momentum``, eps 1e-5)
``torch.nn.Dropout``, ``"dropout"``             :class:`flax.nnx.Dropout`
``torch.nn.ReLU``, ``"relu"``, ``Sigmoid``,     :class:`Activation` over the ``jax.nn``
``GELU``, ``SiLU``, ``Softmax(dim)``, ...       function (:mod:`jaxbig.ops.functions`)
an ``nnx.Module`` or a hashable callable        used as it is
==============================================  ========================================

PyTorch's bookkeeping keywords ``device``, ``dtype`` and ``inplace`` are accepted
and ignored. Other unknown names or keywords raise a ``ValueError`` that names
where the step was given and lists close matches.
"""

from __future__ import annotations

import difflib
import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jax
from flax import nnx

from jaxbig.nn.specs import function_config
from jaxbig.ops import apply_functions, resolve_functions

__all__ = ["Activation", "ProcessSpec", "make_process", "make_processes", "run_processes"]

#: One processing step: a module, a hashable callable, a name or a tinyBIG function config.
ProcessSpec = Any

_IGNORED = frozenset({"device", "dtype", "inplace", "name"})


class Activation(nnx.Module):
    """A parameter-free function applied elementwise (or along the last axis) as a module.

    Args:
      functions: one function or a sequence, each a hashable callable or a name
        that :func:`jaxbig.ops.resolve_functions` knows (``"relu"``,
        ``"torch.nn.GELU"``, ``"torch.nn.functional.sigmoid"``).

    >>> import jax.numpy as jnp
    >>> Activation("torch.nn.ReLU")(jnp.array([-1.0, 2.0]))
    Array([0., 2.], dtype=float32)
    """

    def __init__(self, functions: Any):
        self.functions = resolve_functions("Activation", "functions", functions)

    def __call__(self, x: jax.Array) -> jax.Array:
        """Applies the functions left to right to ``x`` of any shape."""
        return apply_functions(self.functions, x)


def _width(where: str, cls: str, key: str, value: Any, features: int) -> None:
    shape = tuple(value) if isinstance(value, Sequence) else (value,)
    if shape != (features,):
        raise ValueError(
            f"{where}: {cls} {key}={value!r} does not match the width {features} of its input"
        )


def _layer_norm(where, features, rngs, *, normalized_shape=None, eps=1e-5,
                elementwise_affine=True, bias=True):
    if normalized_shape is not None:
        _width(where, "LayerNorm", "normalized_shape", normalized_shape, features)
    return nnx.LayerNorm(features, epsilon=eps, use_scale=elementwise_affine,
                         use_bias=elementwise_affine and bias, rngs=rngs)


def _batch_norm(where, features, rngs, *, num_features=None, eps=1e-5, momentum=0.1,
                affine=True, track_running_stats=True):
    if num_features is not None:
        _width(where, "BatchNorm1d", "num_features", num_features, features)
    if not track_running_stats:
        raise ValueError(f"{where}: BatchNorm1d track_running_stats=False is not supported")
    if momentum is None:
        raise ValueError(f"{where}: BatchNorm1d momentum=None (cumulative average) is not supported")
    return nnx.BatchNorm(features, momentum=1.0 - momentum, epsilon=eps, use_scale=affine,
                         use_bias=affine, rngs=rngs)


def _dropout(where, features, rngs, *, p=0.5):
    del features
    if not 0.0 <= p < 1.0:
        raise ValueError(f"{where}: Dropout p={p} must be in [0, 1)")
    return nnx.Dropout(p, rngs=rngs)


# Stateful modules: name as tinyBIG writes it -> builder(where, features, rngs, **kwargs).
_MODULES: dict[str, Callable[..., nnx.Module]] = {
    "LayerNorm": _layer_norm,
    "BatchNorm1d": _batch_norm,
    "Dropout": _dropout,
    "dropout": _dropout,
}

# Activations with keywords: canonical name -> (jax.nn function, {PyTorch keyword: its keyword}).
_KEYWORD_ACTIVATIONS: dict[str, tuple[Callable[..., jax.Array], dict[str, str]]] = {
    "leaky_relu": (jax.nn.leaky_relu, {"negative_slope": "negative_slope"}),
    "softmax": (jax.nn.softmax, {"dim": "axis"}),
    "log_softmax": (jax.nn.log_softmax, {"dim": "axis"}),
    "elu": (jax.nn.elu, {"alpha": "alpha"}),
    "celu": (jax.nn.celu, {"alpha": "alpha"}),
}


def _activation(where: str, name: str, params: Mapping[str, Any]) -> Activation:
    (canonical,) = resolve_functions(where, "function_class", name)
    if not params:
        return Activation(canonical)
    if canonical in ("gelu", "gelu_tanh") and set(params) == {"approximate"}:
        return Activation("gelu_tanh" if params["approximate"] == "tanh" else "gelu")
    function, accepted = _KEYWORD_ACTIVATIONS.get(canonical, (None, {}))
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise ValueError(
            f"{where}: {name} has no keyword {unknown[0]!r}"
            f"{_close(unknown[0], accepted)} (accepted: {', '.join(sorted(accepted)) or 'none'})"
        )
    kwargs = {accepted[k]: (-1 if v is None else v) for k, v in params.items()}
    return Activation(functools.partial(function, **kwargs))


def _close(word: str, candidates: Any) -> str:
    matches = difflib.get_close_matches(word, list(candidates), n=3, cutoff=0.6)
    return f"; close matches: {', '.join(matches)}" if matches else ""


def make_process(spec: ProcessSpec, features: int, *, rngs: nnx.Rngs,
                 where: str = "process") -> nnx.Module:
    """Builds one processing step for inputs of shape ``(b, features)``.

    Args:
      spec: an ``nnx.Module`` (used as it is), a hashable callable, a name
        (``"relu"``, ``"torch.nn.LayerNorm"``, ``"dropout"``), or a tinyBIG function
        config ``{"function_class": ..., "function_parameters": {...}}``.
      features: the width of the step's input (for norms).
      rngs: random streams for parameters and dropout.
      where: where the step was given (for error messages), e.g. a config path.

    Returns:
      The step as an ``nnx.Module``.

    Raises:
      ValueError: for an unknown name or keyword, or a norm whose declared width
        differs from ``features``.

    >>> from flax import nnx
    >>> type(make_process({"function_class": "torch.nn.LayerNorm",
    ...                    "function_parameters": {"normalized_shape": 4}}, 4,
    ...                   rngs=nnx.Rngs(0))).__name__
    'LayerNorm'
    """
    if isinstance(spec, nnx.Module):
        return spec
    if not isinstance(spec, (str, Mapping)):
        if callable(spec):
            return Activation(spec)
        raise ValueError(f"{where}: expected a module, callable, name or function config, got {spec!r}")
    name, params = function_config(spec, where)
    params = {k: v for k, v in params.items() if k not in _IGNORED}
    builder = _MODULES.get(name.rsplit(".", 1)[-1])
    if builder is None:
        return _activation(where, name, params)
    accepted = [p.name for p in inspect.signature(builder).parameters.values()
                if p.kind is inspect.Parameter.KEYWORD_ONLY]
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise ValueError(
            f"{where}: {name} has no keyword {unknown[0]!r}{_close(unknown[0], accepted)} "
            f"(accepted: {', '.join(accepted)})"
        )
    return builder(where, features, rngs, **params)


def make_processes(specs: ProcessSpec | Sequence[ProcessSpec] | None, features: int, *,
                   rngs: nnx.Rngs, where: str = "process") -> nnx.List:
    """Builds a list of processing steps, all for inputs of width ``features``.

    Args:
      specs: ``None``, one step, or a sequence of steps (see :func:`make_process`).
      features: the width of the input (processing steps keep the width).
      rngs: random streams.
      where: where the list was given, for messages; entries get ``[i]`` appended.

    Returns:
      An ``nnx.List`` of modules, applied left to right by :func:`run_processes`.
    """
    if specs is None:
        return nnx.List([])
    if isinstance(specs, (str, Mapping, nnx.Module)) or callable(specs):
        specs = [specs]
    return nnx.List([make_process(s, features, rngs=rngs, where=f"{where}[{i}]")
                     for i, s in enumerate(specs)])


def run_processes(steps: Sequence[nnx.Module], x: jax.Array) -> jax.Array:
    """Applies processing steps left to right."""
    for step in steps:
        x = step(x)
    return x
