"""Builds RPN heads, layers and models from tinyBIG-style configs (dicts or YAML files).

The layout is tinyBIG's (``tinybig/config``, and the YAMLs under its
``docs/notes/configs``)::

    configurations:                  # optional wrapper, as in tinyBIG's files
      random_seed: 1234
      model_configs:
        model_class: tinybig.model.rpn
        model_parameters:
          depth: 2                   # with depth_alloc: repeat counts per layer config
          layer_configs:
            - layer_class: tinybig.module.rpn_layer
              layer_parameters:
                m: 784
                n: 64
                width: 1             # with width_alloc: repeat counts per head config
                head_configs:
                  - head_class: tinybig.module.rpn_head
                    head_parameters:
                      channel_num: 1
                      data_transformation_configs:
                        function_class: tinybig.expansion.taylor_expansion
                        function_parameters:
                          d: 2
                          postprocess_function_configs:
                            - function_class: torch.nn.LayerNorm
                              function_parameters: {normalized_shape: 615440}
                      parameter_fabrication_configs:
                        function_class: tinybig.reconciliation.identity_reconciliation
                      remainder_configs:
                        function_class: tinybig.remainder.zero_remainder

:func:`build` accepts such a file (path or text), a dict, or any of its parts: a
``model_configs`` / ``model_class`` block gives an :class:`jaxbig.nn.RPN`, a
``layer_class`` block an :class:`jaxbig.nn.RPNLayer`, a ``head_class`` block an
:class:`jaxbig.nn.RPNHead`, and a ``function_class`` block the pure function.
tinyBIG's ready-made classes build from their own options
(:mod:`jaxbig.nn.presets`): heads ``tinybig.head.perceptron_head``, ``svm_head``,
``kan_head``, ``naive_bayes_head``, ``pgm_head`` (``head_parameters``: ``m``, ``n``
and the head's options), the layers ``tinybig.layer.perceptron_layer`` etc.
(also ``width``) and the models ``tinybig.model.mlp``, ``svm``, ``kan``,
``naive_bayes``, ``pgm`` (``model_parameters``: ``dims``, ``width`` and the
options), with the defaults tinyBIG's class gives them.
A layer of a model may also be a bottleneck, ``layer_class:
jaxbig.nn.PowerLawBottleneck`` with ``layer_parameters`` ``coding_rank``, ``alpha``
and ``bottleneck_dtype``. Function classes are resolved with :func:`jaxbig.make`
(tinyBIG dotted paths and jaxbig names alike); ``torch.nn.*`` processing modules map to their NNX / jax.nn
equivalents (:mod:`jaxbig.nn.processing`). Head parameters may also use the
keywords of :class:`jaxbig.nn.RPNHead` (``transformation``, ``fabrication``, ...).

tinyBIG's bookkeeping keys ``name``, ``device`` and ``create_parameters_at_init``
are accepted and ignored (JAX places arrays itself). ``parameters_init_method``
(of a head, or of a layer, which then applies to all its heads as in tinyBIG)
selects tinyBIG's re-initialisation (:mod:`jaxbig.nn.init`); without it each
function draws its own parameters with its ``init`` (tinyBIG would use
``xavier_uniform`` for the heads of a model's layers). A given ``l`` must equal the
computed number of parameters. Any other unknown key
raises a ``ValueError`` that gives its path in the config and close matches.

:func:`learner` translates a ``learner_configs`` block (``torch.optim.AdamW`` /
``Adam`` / ``SGD``; ``ExponentialLR`` / ``StepLR`` / ``CosineAnnealingLR``, stepped
per epoch as tinyBIG's learner does; ``CrossEntropyLoss`` / ``MSELoss``) to an optax optimizer, a :mod:`jaxbig.train` loss and the epochs.
The configs shipped in ``jaxbig/configs`` (:func:`shipped`) load by name.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib.resources
import inspect
import pathlib
from collections.abc import Mapping
from typing import Any

import jax.numpy as jnp
import optax
import yaml
from flax import nnx

from jaxbig import registry
from jaxbig.nn import RPN, PowerLawBottleneck, RPNHead, RPNLayer, allocate
from jaxbig.nn.presets import TINYBIG_CLASSES, tinybig_class
from jaxbig.nn.specs import resolve

__all__ = ["build", "learner", "load", "random_seed", "shipped"]

_HEAD_CLASSES = ("tinybig.module.rpn_head", "tinybig.module.head", "tinybig.module.base_head.head",
                 "tinybig.head.rpn_head", "rpn_head", "RPNHead", "jaxbig.nn.RPNHead")
_LAYER_CLASSES = ("tinybig.module.rpn_layer", "tinybig.module.layer", "tinybig.module.base_layer.layer",
                  "tinybig.layer.rpn_layer", "rpn_layer", "RPNLayer", "jaxbig.nn.RPNLayer")
_MODEL_CLASSES = ("tinybig.model.rpn", "tinybig.model.rpn.rpn", "rpn", "RPN", "jaxbig.nn.RPN")
#: tinyBIG's ready-made heads, layers and models (jaxbig.nn.presets), by kind, as suggestions.
_PRESET_CLASSES = {kind: tuple(f"tinybig.{kind}.{name}" for name, entry in TINYBIG_CLASSES.items()
                               if entry[0] == kind) for kind in ("head", "layer", "model")}
#: The sizes a preset block states besides the preset's own options.
_PRESET_SIZES = {"head": ("m", "n"), "layer": ("m", "n", "width"), "model": ("dims", "width")}
_BOTTLENECK_CLASSES = ("jaxbig.nn.PowerLawBottleneck", "PowerLawBottleneck")
_BOTTLENECK_KEYS = ("coding_rank", "alpha", "bottleneck_dtype")

#: Keys accepted and ignored everywhere (tinyBIG bookkeeping).
_IGNORED = frozenset({"name", "device", "create_parameters_at_init"})

#: head_parameters key -> RPNHead keyword (tinyBIG names, then jaxbig's own).
_HEAD_KEYS = {
    "data_transformation_configs": "transformation",
    "parameter_fabrication_configs": "fabrication",
    "remainder_configs": "remainder",
    "attribute_interdependence_configs": "attribute_interdependence",
    "instance_interdependence_configs": "instance_interdependence",
    "channel_fusion_configs": "channel_fusion",
    "input_process_function_configs": "input_process",
    "output_process_function_configs": "output_process",
    **{k: k for k in ("transformation", "fabrication", "remainder", "attribute_interdependence",
                      "instance_interdependence", "channel_fusion", "input_process",
                      "output_process", "transformation_preprocess", "transformation_postprocess",
                      "remainder_activation", "bias", "channel_num", "batch_num",
                      "parameters_init_method")},
}
#: Sizes tinyBIG lets a config state; they are checked against the built head.
_HEAD_SIZES = ("l", "l_attribute_interdependence", "l_instance_interdependence", "l_channel_fusion")
_LAYER_KEYS = ("m", "n", "width", "width_alloc", "head_configs", "head_fusion_configs", "parameters_init_method")
_MODEL_KEYS = ("depth", "depth_alloc", "layer_configs")


def _close(word: str, candidates: Any) -> str:
    matches = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=4, cutoff=0.6)
    return f"; did you mean {', '.join(repr(m) for m in matches)}?" if matches else ""


def _check_keys(path: str, config: Mapping[str, Any], accepted: Any) -> None:
    accepted = set(accepted) | _IGNORED
    for key in config:
        if key not in accepted:
            raise ValueError(
                f"config: unknown key {path}.{key}{_close(key, accepted)} "
                f"(accepted: {', '.join(sorted(accepted - _IGNORED))})"
            )


def _mapping(path: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"config: {path} must be a mapping, got {value!r}")
    return value


def _check_class(path: str, value: Any, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"config: {path}={value!r} is not {what}{_close(value, allowed)} "
                         f"(accepted: {', '.join(allowed)})")


def _int(path: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"config: {path} must be a positive integer, got {value!r}")
    return value


def _prefixed(path: str, error: ValueError) -> ValueError:
    return ValueError(f"config: {path}: {error}")


def shipped() -> tuple[str, ...]:
    """The names of the configs shipped in ``jaxbig/configs`` (e.g. ``"mnist_taylor"``)."""
    folder = importlib.resources.files("jaxbig").joinpath("configs")
    return tuple(sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml")))


def load(source: str | pathlib.Path | Mapping[str, Any]) -> dict[str, Any]:
    """Reads a config: a shipped name, a YAML file path, YAML text, or a mapping.

    Args:
      source: the name of a shipped config (:func:`shipped`, e.g. ``"mnist_taylor"``),
        a ``.yaml``/``.yml``/``.json`` path, YAML text, or a mapping (copied).

    Returns:
      The config as a dict.

    Raises:
      ValueError: if the YAML does not hold a mapping, or a name is neither a file
        nor a shipped config (listing close names).
    """
    if isinstance(source, Mapping):
        return dict(source)
    text = str(source)
    if "\n" not in text and ":" not in text:
        path = pathlib.Path(text)
        if path.suffix in (".yaml", ".yml", ".json") and path.exists():
            text = path.read_text()
        elif text in shipped():
            text = importlib.resources.files("jaxbig").joinpath("configs", f"{text}.yaml").read_text()
        else:
            raise ValueError(f"config: {text!r} is neither a config file nor a shipped config"
                             f"{_close(text, shipped())} (shipped: {', '.join(shipped())})")
    config = yaml.safe_load(text)
    if not isinstance(config, Mapping):
        raise ValueError(f"config: expected a mapping at the top level, got {type(config).__name__}")
    return dict(config)


def _unwrap(config: Mapping[str, Any]) -> Mapping[str, Any]:
    return _mapping("configurations", config["configurations"]) if "configurations" in config else config


def random_seed(source: Any, default: int = 0) -> int:
    """The config's ``random_seed`` (tinyBIG's top-level key), or ``default``."""
    return int(_unwrap(load(source)).get("random_seed", default))


#: RPNHead keyword -> role of the function it takes (resolved here, so errors carry the path).
_FUNCTION_ROLES = {"transformation": "transformation", "fabrication": "fabrication",
                   "remainder": "remainder", "attribute_interdependence": "interdependence",
                   "instance_interdependence": "interdependence", "channel_fusion": "fusion"}


def _check_widths(path: str, params: Mapping[str, Any], m: int | None, n: int | None) -> None:
    """A head's stated ``m`` and ``n`` must be its layer's."""
    for key, value in (("m", m), ("n", n)):
        if params.get(key) is not None and value is not None and params[key] != value:
            raise ValueError(f"config: {path}.{key}={params[key]} differs from the layer's {key}={value}")


def _head_kwargs(path: str, params: Mapping[str, Any], m: int | None, n: int | None) -> dict[str, Any]:
    """RPNHead keywords from ``head_parameters`` (m and n checked against the layer's)."""
    _check_widths(path, params, m, n)
    kwargs: dict[str, Any] = {}
    for key, value in params.items():
        if key not in _HEAD_KEYS or value is None:
            continue
        target = _HEAD_KEYS[key]
        if target in kwargs:
            raise ValueError(f"config: {path} sets {target} twice (as {key})")
        if target in _FUNCTION_ROLES:
            try:
                value = resolve(value, _FUNCTION_ROLES[target], where=f"{path}.{key}")
            except ValueError as error:
                raise ValueError(f"config: {error}") from None
        kwargs[target] = value
    return kwargs


def _block(path: str, config: Any, kind: str, allowed: tuple[str, ...], what: str,
           keys: Any) -> tuple[str, Mapping[str, Any]]:
    """Checks a ``<kind>_class`` / ``<kind>_parameters`` block; returns its parameters and their path."""
    config = _mapping(path, config)
    _check_keys(path, config, (f"{kind}_class", f"{kind}_parameters"))
    _check_class(f"{path}.{kind}_class", config.get(f"{kind}_class", allowed[0]), allowed, what)
    params = _mapping(f"{path}.{kind}_parameters", config.get(f"{kind}_parameters") or {})
    path = f"{path}.{kind}_parameters"
    _check_keys(path, params, keys)
    return path, params


def _allocated(path: str, params: Mapping[str, Any], key: str, names: tuple[str, str]) -> list[tuple[str, Any]]:
    """The entries of ``params[key]``, each with its path, repeated by tinyBIG's allocation rule."""
    if params.get(key) is None:
        raise ValueError(f"config: {path}.{key} is required")
    entries = params[key] if isinstance(params[key], (list, tuple)) else [params[key]]
    indexed = [(f"{path}.{key}[{i}]", c) for i, c in enumerate(entries)]
    return allocate(params.get(names[0]), params.get(names[1]), indexed, owner=f"config: {path}", names=names)


def _build_preset(path: str, config: Mapping[str, Any], kind: str, rngs: nnx.Rngs,
                  m: int | None = None, n: int | None = None) -> Any:
    """A tinyBIG ready-made head, layer or model (``tinybig.head.kan_head``, ``tinybig.model.mlp``, ...)."""
    preset, defaults = tinybig_class(config[f"{kind}_class"], kind)
    options = [f.name for f in dataclasses.fields(preset)]
    path, params = _block(path, config, kind, (config[f"{kind}_class"],), "", options + list(_PRESET_SIZES[kind]))
    _check_widths(path, params, m, n)
    try:
        recipe = preset(**{**defaults, **{k: v for k, v in params.items() if k in options}})
        if kind == "model":
            dims = params.get("dims")
            if not isinstance(dims, (list, tuple)) or not dims:
                raise ValueError(f"dims must be a list of widths, got {dims!r}")
            return recipe.model([_int(f"{path}.dims", d) for d in dims], width=params.get("width", 1), rngs=rngs)
        m = _int(f"{path}.m", params.get("m") if m is None else m)
        n = _int(f"{path}.n", params.get("n") if n is None else n)
        if kind == "layer":
            return recipe.layer(m, n, width=params.get("width", 1), rngs=rngs)
        return recipe.head(m, n, rngs=rngs)
    except ValueError as error:
        raise ValueError(f"config: {path}: {error}") from None


def _is_preset(config: Any, kind: str) -> bool:
    return isinstance(config, Mapping) and tinybig_class(config.get(f"{kind}_class"), kind) is not None


def _build_head(path: str, config: Mapping[str, Any], rngs: nnx.Rngs,
                m: int | None = None, n: int | None = None, init_method: str | None = None) -> RPNHead:
    """A head; a layer's ``init_method`` replaces the head's ``parameters_init_method`` (tinyBIG's rule)."""
    if init_method is not None and isinstance(config, Mapping):
        params = config.get("head_parameters") or {}
        config = {**config, "head_parameters": {**params, "parameters_init_method": init_method}}
    if _is_preset(config, "head"):
        return _build_preset(path, config, "head", rngs, m, n)
    path, params = _block(path, config, "head", _HEAD_CLASSES + _PRESET_CLASSES["head"], "an RPN head class",
                          set(_HEAD_KEYS) | set(_HEAD_SIZES) | {"m", "n"})
    kwargs = _head_kwargs(path, params, m, n)
    m = params.get("m") if m is None else m
    n = params.get("n") if n is None else n
    m, n = _int(f"{path}.m", m), _int(f"{path}.n", n)
    try:
        head = RPNHead(m, n, **kwargs, rngs=rngs)
    except ValueError as error:
        raise ValueError(f"config: {path}: {error}") from None
    sizes = {
        "l": head.l,
        "l_attribute_interdependence": _calculated_l(head.attribute_interdependence),
        "l_instance_interdependence": _calculated_l(head.instance_interdependence),
        "l_channel_fusion": _calculated_l(head.channel_fusion, (head.n,) * head.channel_num),
    }
    for key, value in sizes.items():
        if params.get(key) is not None and params[key] != value:
            raise ValueError(f"config: {path}.{key}={params[key]} differs from the calculated {value}")
    return head


def _calculated_l(function: Any, *args: Any) -> int:
    return 0 if function is None else function.calculate_l(*args)


def _build_bottleneck(path: str, config: Mapping[str, Any]) -> PowerLawBottleneck:
    path, params = _block(path, config, "layer", _BOTTLENECK_CLASSES, "a bottleneck class", _BOTTLENECK_KEYS)
    try:
        return PowerLawBottleneck(params.get("coding_rank", 1), alpha=params.get("alpha", 0.01),
                                  bottleneck_dtype=params.get("bottleneck_dtype"))
    except ValueError as error:
        raise ValueError(f"config: {path}: {error}") from None


def _build_layer(path: str, config: Mapping[str, Any], rngs: nnx.Rngs) -> RPNLayer | PowerLawBottleneck:
    if isinstance(config, Mapping) and config.get("layer_class") in _BOTTLENECK_CLASSES:
        return _build_bottleneck(path, config)
    if _is_preset(config, "layer"):
        return _build_preset(path, config, "layer", rngs)
    path, params = _block(path, config, "layer", _LAYER_CLASSES + _BOTTLENECK_CLASSES + _PRESET_CLASSES["layer"],
                          "an RPN layer or bottleneck class", _LAYER_KEYS)
    m, n = _int(f"{path}.m", params.get("m")), _int(f"{path}.n", params.get("n"))
    init_method = params.get("parameters_init_method")
    heads = [_build_head(where, c, rngs, m, n, init_method)
             for where, c in _allocated(path, params, "head_configs", ("width", "width_alloc"))]
    fusion = params.get("head_fusion_configs")
    try:
        if fusion is not None:
            fusion = resolve(fusion, "fusion", where=f"{path}.head_fusion_configs")
        return RPNLayer(m, n, heads=heads, head_fusion=fusion, rngs=rngs)
    except ValueError as error:
        raise ValueError(f"config: {error}") from None


def _build_model(path: str, config: Mapping[str, Any], rngs: nnx.Rngs) -> RPN:
    if _is_preset(config, "model"):
        return _build_preset(path, config, "model", rngs)
    path, params = _block(path, config, "model", _MODEL_CLASSES + _PRESET_CLASSES["model"], "an RPN model class",
                          _MODEL_KEYS)
    layers = [_build_layer(where, c, rngs)
              for where, c in _allocated(path, params, "layer_configs", ("depth", "depth_alloc"))]
    try:
        return RPN(layers)
    except ValueError as error:
        raise ValueError(f"config: {path}: {error}") from None


def build(source: Any, *, rngs: nnx.Rngs | None = None) -> Any:
    """Builds an RPN model, layer, head or function from a tinyBIG-style config.

    Args:
      source: a YAML file path, YAML text or a mapping: a whole tinyBIG config
        (with ``configurations`` / ``model_configs``), or one ``model_class``,
        ``layer_class``, ``head_class`` or ``function_class`` block.
      rngs: random streams for the parameters; by default ``nnx.Rngs`` seeded with
        the config's ``random_seed`` (0 when absent).

    Returns:
      An :class:`jaxbig.nn.RPN`, :class:`jaxbig.nn.RPNLayer`,
      :class:`jaxbig.nn.RPNHead`, or the pure function of a ``function_class``.

    Raises:
      ValueError: naming the path of the offending key (e.g.
        ``model_configs.model_parameters.layer_configs[0].layer_parameters.m``) and
        close matches for unknown names.

    >>> head = build({"head_class": "tinybig.module.rpn_head",
    ...               "head_parameters": {"m": 3, "n": 2,
    ...                   "data_transformation_configs": {"function_class": "tinybig.expansion.taylor_expansion"},
    ...                   "parameter_fabrication_configs": {"function_class": "tinybig.reconciliation.identity_reconciliation"},
    ...                   "remainder_configs": {"function_class": "tinybig.remainder.zero_remainder"}}})
    >>> head.D, head.l
    (12, 24)
    """
    config = _unwrap(load(source))
    if rngs is None:
        rngs = nnx.Rngs(int(config.get("random_seed", 0)))
    if "model_configs" in config:
        return _build_model("model_configs", config["model_configs"], rngs)
    if "model_class" in config or "model_parameters" in config:
        return _build_model("model", config, rngs)
    if "layer_class" in config or "layer_parameters" in config:
        return _build_layer("layer", config, rngs)
    if "head_class" in config or "head_parameters" in config:
        return _build_head("head", config, rngs)
    if "function_class" in config:
        _check_keys("function", config, ("function_class", "function_parameters"))
        try:
            return registry.make(config["function_class"], **dict(config.get("function_parameters") or {}))
        except ValueError as error:
            raise ValueError(f"config: function: {error}") from None
    raise ValueError(
        "config: expected model_configs, model_class, layer_class, head_class or function_class "
        f"at the top level, got keys {sorted(config)}"
    )


# ------------------------------------------------------------------------------- learner

def _optax_adamw(path, lr, *, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
    if amsgrad:
        raise ValueError(f"config: {path}: amsgrad=True is not supported")
    return optax.adamw(lr, b1=betas[0], b2=betas[1], eps=eps, weight_decay=weight_decay)


def _optax_adam(path, lr, *, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
    if amsgrad:
        raise ValueError(f"config: {path}: amsgrad=True is not supported")
    adam = optax.adam(lr, b1=betas[0], b2=betas[1], eps=eps)
    # torch.optim.Adam adds weight_decay·w to the gradient (L2), before the moments.
    return optax.chain(optax.add_decayed_weights(weight_decay), adam) if weight_decay else adam


def _optax_sgd(path, lr, *, momentum=0.0, weight_decay=0.0, nesterov=False, dampening=0.0):
    if dampening:
        raise ValueError(f"config: {path}: dampening is not supported")
    sgd = optax.sgd(lr, momentum=momentum or None, nesterov=nesterov)
    return optax.chain(optax.add_decayed_weights(weight_decay), sgd) if weight_decay else sgd


_OPTIMIZERS = {"AdamW": _optax_adamw, "Adam": _optax_adam, "SGD": _optax_sgd}


def _schedule(path: str, config: Mapping[str, Any] | None, lr: float, steps_per_epoch: int) -> Any:
    """tinyBIG steps its scheduler once per epoch: a staircase decay every ``steps_per_epoch`` steps."""
    if config is None:
        return lr
    _check_keys(path, config, ("lr_scheduler_class", "lr_scheduler_parameters"))
    name = str(config.get("lr_scheduler_class", "")).rsplit(".", 1)[-1]
    params = dict(config.get("lr_scheduler_parameters") or {})
    keys = {"ExponentialLR": ("gamma",), "StepLR": ("gamma", "step_size"), "CosineAnnealingLR": ("T_max", "eta_min")}
    if name not in keys:
        raise ValueError(f"config: {path}.lr_scheduler_class={config.get('lr_scheduler_class')!r} is not "
                         f"supported{_close(name, keys)} (supported: {', '.join(keys)})")
    _check_keys(f"{path}.lr_scheduler_parameters", params, keys[name])
    if name == "CosineAnnealingLR":
        # PyTorch's closed form, stepped once per epoch: η_min + (η - η_min)(1 + cos(π e / T_max)) / 2.
        t_max = _int(f"{path}.lr_scheduler_parameters.T_max", params.get("T_max"))
        eta_min = float(params.get("eta_min", 0.0))
        return lambda step: eta_min + (lr - eta_min) * 0.5 * (
            1 + jnp.cos(jnp.pi * (step // steps_per_epoch) / t_max))
    every = 1 if name == "ExponentialLR" else _int(f"{path}.lr_scheduler_parameters.step_size",
                                                   params.get("step_size"))
    return optax.exponential_decay(lr, transition_steps=every * steps_per_epoch,
                                   decay_rate=float(params.get("gamma", 0.1)), staircase=True)


def learner(source: Any, *, steps_per_epoch: int) -> tuple[optax.GradientTransformation, Any, int]:
    """The optimizer, loss and number of epochs of a config's ``learner_configs``.

    Args:
      source: a config (anything :func:`load` accepts) with ``learner_configs``.
      steps_per_epoch: steps in one epoch (tinyBIG's schedulers step per epoch).

    Returns:
      ``(optimizer, loss_fn, epochs)``: an optax transformation (AdamW, Adam or SGD
      with PyTorch's defaults, and an ``ExponentialLR`` / ``StepLR`` /
      ``CosineAnnealingLR`` schedule that changes once per epoch), :func:`jaxbig.train.classification_loss` for
      ``CrossEntropyLoss`` or :func:`jaxbig.train.regression_loss` for ``MSELoss``,
      and ``n_epochs``.

    Raises:
      ValueError: naming the path of an unsupported class or keyword.
    """
    from jaxbig.train import classification_loss, regression_loss

    config = _unwrap(load(source))
    path = "learner_configs"
    block = _mapping(path, config.get(path))
    _check_keys(path, block, ("learner_class", "learner_parameters"))
    params = _mapping(f"{path}.learner_parameters", block.get("learner_parameters") or {})
    path = f"{path}.learner_parameters"
    _check_keys(path, params, ("n_epochs", "optimizer_configs", "lr_scheduler_configs", "loss_configs"))
    opt = _mapping(f"{path}.optimizer_configs", params.get("optimizer_configs"))
    _check_keys(f"{path}.optimizer_configs", opt, ("optimizer_class", "optimizer_parameters"))
    name = str(opt.get("optimizer_class", "")).rsplit(".", 1)[-1]
    if name not in _OPTIMIZERS:
        raise ValueError(f"config: {path}.optimizer_configs.optimizer_class={opt.get('optimizer_class')!r} is "
                         f"not supported{_close(name, _OPTIMIZERS)} (supported: {', '.join(_OPTIMIZERS)})")
    opt_params = dict(opt.get("optimizer_parameters") or {})
    opt_path = f"{path}.optimizer_configs.optimizer_parameters"
    builder = _OPTIMIZERS[name]
    accepted = [p.name for p in inspect.signature(builder).parameters.values()
                if p.kind is inspect.Parameter.KEYWORD_ONLY]
    _check_keys(opt_path, opt_params, ["lr"] + accepted)
    lr = float(opt_params.pop("lr", 1e-3))
    schedule = _schedule(f"{path}.lr_scheduler_configs", params.get("lr_scheduler_configs"), lr,
                         _int("steps_per_epoch", steps_per_epoch))
    tx = builder(opt_path, schedule, **opt_params)
    loss = _mapping(f"{path}.loss_configs", params.get("loss_configs") or {"loss_class": "torch.nn.CrossEntropyLoss"})
    _check_keys(f"{path}.loss_configs", loss, ("loss_class", "loss_parameters"))
    losses = {"CrossEntropyLoss": classification_loss, "MSELoss": regression_loss}
    loss_class = str(loss.get("loss_class", "")).rsplit(".", 1)[-1]
    if loss_class not in losses:
        raise ValueError(f"config: {path}.loss_configs.loss_class={loss.get('loss_class')!r} is not supported"
                         f"{_close(loss_class, losses)} (supported: {', '.join(losses)})")
    reduction = (loss.get("loss_parameters") or {}).get("reduction", "mean")
    if reduction != "mean":
        raise ValueError(f"config: {path}.loss_configs.loss_parameters.reduction={reduction!r}: only 'mean'")
    return tx, losses[loss_class], _int(f"{path}.n_epochs", params.get("n_epochs", 1))
