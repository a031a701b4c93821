"""Resolves the functions of an RPN head from objects, names or tinyBIG function configs.

A head's component may be given as a jaxbig function object, as a name that
:func:`jaxbig.make` knows (``"taylor_expansion"``, ``"TaylorExpansion"``,
``"tinybig.expansion.taylor_expansion"``), or as a tinyBIG function config::

    {"function_class": "tinybig.expansion.taylor_expansion",
     "function_parameters": {"d": 2,
                             "postprocess_function_configs": [
                                 {"function_class": "torch.nn.LayerNorm",
                                  "function_parameters": {"normalized_shape": 4160}}]}}

tinyBIG's function configs carry, besides the function's hyperparameters, settings
that in jaxbig belong to the head that owns the function rather than to the pure
function: processing modules with parameters (``preprocess_function_configs``,
``postprocess_function_configs``, ``activation_function_configs``), the bias switch
``enable_bias`` (the bias lives in the head, as in tinyBIG), and bookkeeping
(``require_parameters``, ``require_data``). :func:`resolve`
separates them — unless the function class has a field of that name — and returns
them with the function in a :class:`Resolved`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from jaxbig import base, registry

__all__ = ["ROLES", "Resolved", "function_config", "resolve"]

#: Component role -> (protocol class, what the role accepts, in words).
ROLES: dict[str, tuple[type, str]] = {
    "transformation": (base.Transformation, "a Transformation (an expansion or compression function)"),
    "fabrication": (base.Fabrication, "a Fabrication (a reconciliation function)"),
    "remainder": (base.Remainder, "a Remainder (a remainder function)"),
    "interdependence": (base.Interdependence, "an Interdependence (an interdependence function)"),
    "fusion": (base.Fusion, "a Fusion (a fusion function)"),
}

_PROCESS_KEYS = {
    "preprocess_function_configs": "preprocess",
    "postprocess_function_configs": "postprocess",
    "activation_function_configs": "activation",
}
_HEAD_KEYS = ("enable_bias", "require_parameters", "require_data")


@dataclasses.dataclass(frozen=True)
class Resolved:
    """A function with the head-level settings its tinyBIG config carried.

    Attributes:
      function: the jaxbig function object.
      preprocess: processing steps for the function's input (``make_process`` specs).
      postprocess: processing steps for the function's output.
      activation: a remainder's activation steps (applied after its bias).
      enable_bias: ``enable_bias`` from the config, or ``None`` when absent.
      require_parameters: ``require_parameters`` from the config, or ``None``.
      where: where the function was given, for messages.
    """

    function: Any
    preprocess: tuple[Any, ...] = ()
    postprocess: tuple[Any, ...] = ()
    activation: tuple[Any, ...] = ()
    enable_bias: bool | None = None
    require_parameters: bool | None = None
    where: str = ""


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return (value,)


def function_config(spec: Any, where: str) -> tuple[str, dict[str, Any]]:
    """The class name and parameters of a name or a tinyBIG function config.

    Args:
      spec: a name, or ``{"function_class": name, "function_parameters": {...}}``
        (tinyBIG's ``device`` key is accepted and ignored).
      where: where ``spec`` was given, for messages.

    Raises:
      ValueError: for a mapping without ``function_class``, with other keys, or
        whose ``function_class`` is not a string.
    """
    if isinstance(spec, str):
        return spec, {}
    unknown = sorted(set(spec) - {"function_class", "function_parameters", "device"})
    if "function_class" not in spec or unknown:
        raise ValueError(
            f"{where}: a function config needs 'function_class' and optional "
            f"'function_parameters', got keys {sorted(spec)}"
        )
    if not isinstance(spec["function_class"], str):
        raise ValueError(f"{where}.function_class must be a string, got {spec['function_class']!r}")
    return spec["function_class"], dict(spec.get("function_parameters") or {})


def resolve(spec: Any, role: str, *, where: str) -> Resolved:
    """Builds (or checks) one component of a head.

    Args:
      spec: a function object, a registered name, a tinyBIG function config
        ``{"function_class": name, "function_parameters": {...}}``, or a
        :class:`Resolved` (returned as it is after its role is checked).
      role: one of :data:`ROLES` (``"transformation"``, ``"fabrication"``, ...).
      where: where ``spec`` was given (a keyword or a config path), for messages.

    Returns:
      The :class:`Resolved` function.

    Raises:
      ValueError: naming ``where`` for an unknown name or keyword (with close
        matches), a malformed config, or a function of the wrong family.

    >>> r = resolve({"function_class": "tinybig.reconciliation.identity_reconciliation",
    ...              "function_parameters": {"enable_bias": True}}, "fabrication", where="fabrication")
    >>> type(r.function).__name__, r.enable_bias
    ('IdentityReconciliation', True)
    """
    protocol, expected = ROLES[role]
    if isinstance(spec, Resolved):
        if not isinstance(spec.function, protocol):
            raise ValueError(f"{spec.where}: expected {expected}, got {type(spec.function).__name__}")
        return spec
    if isinstance(spec, protocol):
        return Resolved(function=spec, where=where)
    if not isinstance(spec, (str, Mapping)):
        raise ValueError(f"{where}: expected {expected}, a name or a function config, got {spec!r}")
    name, params = function_config(spec, where)
    try:
        entry = registry.lookup(name)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    fields = set(entry.fields()) | set(entry.keywords)
    settings: dict[str, Any] = {}
    for key, attribute in _PROCESS_KEYS.items():
        if key in params and key not in fields:
            settings[attribute] = _as_tuple(params.pop(key))
    for key in _HEAD_KEYS:
        if key in params and key not in fields:
            settings[key] = params.pop(key)
    settings.pop("require_data", None)  # tinyBIG bookkeeping: the function knows what it needs
    try:
        function = registry.make(name, **params)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    if not isinstance(function, protocol):
        raise ValueError(
            f"{where}: expected {expected}, got {entry.name} (a {entry.family} function)"
        )
    return Resolved(function=function, where=where, **settings)
