"""The RPN head as a Flax NNX module."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
from flax import nnx

from jaxbig.base import check_int, check_matrix, check_one_of
from jaxbig.nn.init import INIT_METHODS, tinybig_init
from jaxbig.nn.params import read, to_variables
from jaxbig.nn.processing import ProcessSpec, make_processes, run_processes
from jaxbig.nn.specs import Resolved, resolve

__all__ = ["RPNHead"]

#: The fusion a head (over channels) or a layer (over heads) uses by default, as tinyBIG does.
DEFAULT_FUSION = "mean_fusion"


def _merge_flag(owner: str, given: bool | None, resolved: Resolved, what: str) -> bool:
    """Combines a head keyword with the ``enable_bias`` of a component's config."""
    if resolved.enable_bias is None:
        return bool(given)
    if given is not None and bool(given) != bool(resolved.enable_bias):
        raise ValueError(
            f"{owner}: {what}={given} contradicts enable_bias={resolved.enable_bias} "
            f"in {resolved.where}"
        )
    return bool(resolved.enable_bias)


def _init_stacked(init: Any, key: jax.Array, count: int) -> Any:
    """``count`` independent draws of ``init(key)`` stacked on a leading axis."""
    return jax.vmap(init)(jax.random.split(key, count))


class RPNHead(nnx.Module):
    """An RPN head: g(x) = fusion_c(⟨ξ_inst(κ(ξ_attr(x))), ψ(w_c)⟩ + b) + π(x).

    For each channel ``c = 0 … channel_num-1`` the head maps the processed input
    through the attribute interdependence ξ_attr (``attribute_interdependence``),
    the data transformation κ (``transformation``, with its pre/post-processing)
    and the instance interdependence ξ_inst (``instance_interdependence``), takes
    the inner product with the fabricated parameters ψ(w_c) (``fabrication``,
    through its structured ``product``, so ψ(w_c) is never materialised for
    Kronecker or low-rank fabrications), adds the bias ``b`` (``bias``), and fuses
    the channels (``channel_fusion``; tinyBIG's ``mean_fusion`` by default when
    ``channel_num > 1``). The remainder π (``remainder``) of the processed input
    is added, then ``output_process`` applies.
    This is the order of operations of tinyBIG's ``rpn_head``; κ(ξ(x)) is computed
    once for all channels when no interdependence has parameters.

    Parameters follow the house rule of :mod:`jaxbig.base`: floating leaves are
    :class:`flax.nnx.Param`, integer and boolean leaves :class:`jaxbig.nn.Buffer`.
    The per-channel parameters ``w`` (fabrication, tinyBIG's ``(channel_num, l)``
    layout), ``w_attribute_interdependence`` and ``w_instance_interdependence`` are
    stacked on a leading axis of length ``channel_num``; ``b`` (``(n,)``),
    ``w_remainder`` (the remainder's flat ``w``, its bias included),
    ``w_channel_fusion`` and ``transformation_params`` (κ's, if any) are shared.

    Args:
      m: input width.
      n: output width of each channel (the head's width before channel fusion).
      transformation: κ — a Transformation, a registered name, or a tinyBIG
        function config (whose ``preprocess_function_configs`` /
        ``postprocess_function_configs`` become ``transformation_preprocess`` /
        ``transformation_postprocess``).
      fabrication: ψ — a Fabrication, name or config (``enable_bias`` in a config
        sets ``bias``).
      remainder: π — a Remainder, name or config (its bias and activation
        names are the remainder's own hyperparameters; a config's
        ``activation_function_configs`` become ``remainder_activation``).
      attribute_interdependence: ξ_attr, ``(b, m) → (b, m')``, or ``None``.
      instance_interdependence: ξ_inst, applied as ``A.T @ κ(·)`` with ``A``
        computed from the processed input, or ``None``.
      channel_num: number of parameter channels C.
      channel_fusion: fusion over the C channel outputs; ``None`` means
        ``mean_fusion`` when C > 1 and no fusion when C = 1.
      input_process: processing steps for the input (``make_process`` specs).
      output_process: processing steps for the output (activations, norms, dropout).
      transformation_preprocess: steps applied to κ's input.
      transformation_postprocess: steps applied to κ's output, e.g.
        ``"torch.nn.LayerNorm"`` as tinyBIG's MNIST configs do.
      remainder_activation: steps applied to π(x) (after the remainder's own
        activation functions).
      bias: whether each channel's inner product gets a bias ``b`` (tinyBIG's
        fabrication ``enable_bias``).
      batch_num: the batch size, needed only by instance interdependence.
      parameters_init_method: ``None`` (each function draws its own parameters)
        or tinyBIG's re-initialisation of all of them: ``"xavier_uniform"``,
        ``"xavier_normal"``, ``"kaiming_uniform"`` or ``"fanout_std_uniform"``
        (see :mod:`jaxbig.nn.init`).
      param_dtype: floating dtype of the parameters.
      rngs: random streams (``params``; ``dropout`` for dropout steps).

    Raises:
      ValueError: for widths or hyperparameters that do not fit together, naming
        the component (e.g. a remainder that cannot map width m to n).

    References:
      tinyBIG, ``tinybig/module/base_head.py``.
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.
      Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> from flax import nnx
    >>> head = RPNHead(4, 3, transformation="taylor_expansion", fabrication="identity_reconciliation",
    ...                remainder="zero_remainder", rngs=nnx.Rngs(0))
    >>> head(jnp.ones((2, 4))).shape
    (2, 3)
    """

    def __init__(
        self,
        m: int,
        n: int,
        *,
        transformation: Any,
        fabrication: Any,
        remainder: Any,
        attribute_interdependence: Any = None,
        instance_interdependence: Any = None,
        channel_num: int = 1,
        channel_fusion: Any = None,
        input_process: ProcessSpec | Sequence[ProcessSpec] = (),
        output_process: ProcessSpec | Sequence[ProcessSpec] = (),
        transformation_preprocess: ProcessSpec | Sequence[ProcessSpec] = (),
        transformation_postprocess: ProcessSpec | Sequence[ProcessSpec] = (),
        remainder_activation: ProcessSpec | Sequence[ProcessSpec] = (),
        bias: bool | None = None,
        batch_num: int | None = None,
        parameters_init_method: str | None = None,
        param_dtype: Any = jnp.float32,
        rngs: nnx.Rngs,
    ):
        self.m = check_int(self, "m", m, minimum=1)
        self.n = check_int(self, "n", n, minimum=1)
        self.channel_num = check_int(self, "channel_num", channel_num, minimum=1)
        if parameters_init_method is not None:
            check_one_of(self, "parameters_init_method", parameters_init_method, INIT_METHODS)
        self.batch_num = None if batch_num is None else check_int(self, "batch_num", batch_num, minimum=1)

        kappa = resolve(transformation, "transformation", where="RPNHead.transformation")
        psi = resolve(fabrication, "fabrication", where="RPNHead.fabrication")
        pi = resolve(remainder, "remainder", where="RPNHead.remainder")
        xi_attr = None if attribute_interdependence is None else resolve(
            attribute_interdependence, "interdependence", where="RPNHead.attribute_interdependence")
        xi_inst = None if instance_interdependence is None else resolve(
            instance_interdependence, "interdependence", where="RPNHead.instance_interdependence")
        self.transformation = kappa.function
        self.fabrication = psi.function
        self.remainder = pi.function
        self.attribute_interdependence = None if xi_attr is None else xi_attr.function
        self.instance_interdependence = None if xi_inst is None else xi_inst.function
        C = self.channel_num

        # Widths: m --ξ_attr--> m' --κ--> D --ψ--> n per channel --fusion--> n_out.
        self.m_prime = self.m if xi_attr is None else check_int(
            self, "attribute_interdependence m'", xi_attr.function.calculate_m_prime(self.m), minimum=1)
        self.D = check_int(self, "D", self.transformation.calculate_D(self.m_prime), minimum=1)
        self.l = check_int(self, "l", self.fabrication.calculate_l(self.n, self.D), minimum=0)

        key = rngs.params
        self.input_process = make_processes(input_process, self.m, rngs=rngs, where="RPNHead.input_process")
        self.transformation_preprocess = _processes(
            kappa, "preprocess", transformation_preprocess, self.m_prime, rngs)
        self.transformation_params = to_variables(
            self.transformation.init(key(), self.m_prime, dtype=param_dtype))
        self.transformation_postprocess = _processes(
            kappa, "postprocess", transformation_postprocess, self.D, rngs)

        self.w_attribute_interdependence = self._interdependence_params(xi_attr, key(), param_dtype)
        self.w_instance_interdependence = self._interdependence_params(xi_inst, key(), param_dtype)

        n, D = self.n, self.D
        self.w = to_variables(_init_stacked(
            lambda k: self.fabrication.init(k, n, D, dtype=param_dtype), key(), C))
        _check_required(psi, _has_params(self.w))
        has_bias = _merge_flag("RPNHead", bias, psi, "bias")
        self.b = nnx.Param(jnp.zeros((n,), param_dtype)) if has_bias else None

        # Channel fusion (mean by default for several channels, as tinyBIG).
        if channel_fusion is None and C > 1:
            channel_fusion = DEFAULT_FUSION
        fusion = None if channel_fusion is None else resolve(
            channel_fusion, "fusion", where="RPNHead.channel_fusion")
        self.channel_fusion = None if fusion is None else fusion.function
        dims = (n,) * C
        self.w_channel_fusion = None if fusion is None else to_variables(
            self.channel_fusion.init(key(), dims, dtype=param_dtype))
        self.n_out = n if fusion is None else check_int(
            self, "channel fusion width", self.channel_fusion.calculate_n(dims), minimum=1)

        # Remainder π: (b, m) -> (b, n_out).
        try:
            self.w_remainder = to_variables(self.remainder.init(key(), self.n_out, self.m, dtype=param_dtype))
        except ValueError as error:
            raise ValueError(f"RPNHead: remainder {type(self.remainder).__name__} does not fit "
                             f"m={self.m}, n={self.n_out}: {error}") from None
        _check_required(pi, _has_params(self.w_remainder))
        self.remainder_activation = _processes(pi, "activation", remainder_activation, self.n_out, rngs)
        self._check_remainder_width()
        self.output_process = make_processes(output_process, self.n_out, rngs=rngs,
                                             where="RPNHead.output_process")
        self.shared_kappa = (self.w_attribute_interdependence is None
                             and self.w_instance_interdependence is None)
        if parameters_init_method is not None:
            tinybig_init(self, parameters_init_method, key())

    def _interdependence_params(self, xi: Resolved | None, key: jax.Array, dtype: Any) -> Any:
        if xi is None:
            return None
        params = to_variables(_init_stacked(lambda k: xi.function.init(k, dtype=dtype), key,
                                            self.channel_num))
        _check_required(xi, _has_params(params))
        return params

    def _check_remainder_width(self) -> None:
        x = jax.ShapeDtypeStruct((2, self.m), jnp.float32)
        name = type(self.remainder).__name__
        try:
            out = jax.eval_shape(lambda w, x: self.remainder.apply(w, x, self.n_out),
                                 read(self.w_remainder), x)
        except ValueError as error:
            raise ValueError(f"RPNHead: remainder {name} does not fit m={self.m}, "
                             f"n={self.n_out}: {error}") from None
        if out.shape != (2, self.n_out):
            raise ValueError(
                f"RPNHead: remainder {name} maps width m={self.m} to {out.shape[-1]}, but the "
                f"head's output width is {self.n_out}; use a remainder with parameters "
                "(e.g. linear_remainder) when m != n")

    # ----------------------------------------------------------------------------- forward

    def _kappa_xi(self, x: jax.Array, w_attr: Any, w_inst: Any) -> jax.Array:
        """ξ_inst(κ(ξ_attr(x))) for one channel's interdependence parameters."""
        xi_x = x if self.attribute_interdependence is None else self.attribute_interdependence.apply(w_attr, x)
        h = run_processes(self.transformation_preprocess, xi_x)
        h = self.transformation.apply(read(self.transformation_params), h)
        h = run_processes(self.transformation_postprocess, h)
        if self.instance_interdependence is not None:
            A = self.instance_interdependence.calculate_A(w_inst, x)
            h = A.T.astype(h.dtype) @ h
        return h

    def _remainder(self, x: jax.Array) -> jax.Array:
        pi = self.remainder.apply(read(self.w_remainder), x, self.n_out)
        return run_processes(self.remainder_activation, pi)

    def __call__(self, x: jax.Array) -> jax.Array:
        """g(x): maps ``x`` of shape ``(b, m)`` to ``(b', n_out)`` (``b' = b`` without ξ_inst).

        Raises:
          ValueError: if ``x`` is not of shape ``(b, m)``.
        """
        x = check_matrix(self, x, self.m)
        x = run_processes(self.input_process, x)
        w = read(self.w)
        w_attr = read(self.w_attribute_interdependence)
        w_inst = read(self.w_instance_interdependence)
        n, D, C = self.n, self.D, self.channel_num

        def inner(w_c: Any, h: jax.Array) -> jax.Array:
            y = self.fabrication.product(w_c, h, n, D)
            return y if self.b is None else y + self.b[...].astype(y.dtype)

        channel = lambda tree, c: None if tree is None else jax.tree.map(lambda a: a[c], tree)
        if self.shared_kappa:
            h = self._kappa_xi(x, None, None)
            if C == 1:
                outputs = [inner(channel(w, 0), h)]
            else:
                stacked = jax.vmap(inner, in_axes=(0, None))(w, h)
                outputs = [stacked[c] for c in range(C)]
        else:
            outputs = [inner(channel(w, c), self._kappa_xi(x, channel(w_attr, c), channel(w_inst, c)))
                       for c in range(C)]
        if self.channel_fusion is None:
            y = outputs[0]
        else:
            y = self.channel_fusion.apply(read(self.w_channel_fusion), outputs)
        pi = self._remainder(x)
        if pi.shape != y.shape:
            raise ValueError(f"RPNHead: remainder output {pi.shape} does not match the head's "
                             f"output {y.shape}")
        y = y + pi.astype(y.dtype)
        return run_processes(self.output_process, y)


_CONFIG_KEYS = {"preprocess": "preprocess_function_configs", "postprocess": "postprocess_function_configs",
                "activation": "activation_function_configs"}
_HEAD_KEYWORDS = {"preprocess": "transformation_preprocess", "postprocess": "transformation_postprocess",
                  "activation": "remainder_activation"}


def _processes(resolved: Resolved, kind: str, specs: Any, features: int, rngs: nnx.Rngs) -> nnx.List:
    """The steps a component's config carried, then those given to the head, in order."""
    from_config = make_processes(
        getattr(resolved, kind), features, rngs=rngs,
        where=f"{resolved.where}.function_parameters.{_CONFIG_KEYS[kind]}")
    given = make_processes(specs, features, rngs=rngs, where=f"RPNHead.{_HEAD_KEYWORDS[kind]}")
    return nnx.List(list(from_config) + list(given))


def _has_params(stored: Any) -> bool:
    return any(v.size for v in jax.tree.leaves(read(stored)))


def _check_required(resolved: Resolved, has_params: bool) -> None:
    if resolved.require_parameters is not None and bool(resolved.require_parameters) != has_params:
        name = type(resolved.function).__name__
        raise ValueError(
            f"{resolved.where}: require_parameters={resolved.require_parameters}, but {name} "
            f"{'has' if has_params else 'has no'} parameters"
        )
