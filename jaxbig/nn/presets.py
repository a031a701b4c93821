"""tinyBIG's ready-made heads, layers and models as presets of :class:`RPNHead` components.

tinyBIG 0.2.1 ships five families of RPN heads with fixed component choices
(``tinybig/head/basic_heads.py``), a layer of each (``tinybig/layer/basic_layers.py``)
and a model of each (``tinybig/model``): perceptron (``mlp``), SVM, KAN, naive Bayes
and PGM. A preset here is a frozen dataclass of the same options; it chooses the
functions of an RPN head, g(x) = ⟨κ(x), ψ(w)⟩ + b + π(x) followed by the output
processing, and builds

* ``head(m, n)``: one :class:`RPNHead`;
* ``layer(m, n, width=H)``: an :class:`RPNLayer` of H independent heads, fused by
  their mean (tinyBIG's layers repeat one head object, ``[head] * width``, so
  its H heads share one set of parameters and the layer equals a single head);
* ``model(dims)``: an :class:`RPN` with one layer per consecutive pair of ``dims``.

tinyBIG's layers and models change some head defaults; :data:`TINYBIG_CLASSES`
records them, and :func:`jaxbig.config.build` applies them when a config names a
tinyBIG class (``tinybig.head.kan_head``, ``tinybig.layer.perceptron_layer``,
``tinybig.model.mlp``, ...).

References:
  tinyBIG, ``tinybig/head/basic_heads.py``, ``tinybig/layer/basic_layers.py``,
  ``tinybig/model/rpn_{mlp,svm,kan,naive_bayes,pgm}.py``.
  Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from flax import nnx

from jaxbig import registry
from jaxbig.base import check_bool, check_float, check_int, check_one_of
from jaxbig.nn.head import RPNHead
from jaxbig.nn.init import INIT_METHODS
from jaxbig.nn.layer import RPNLayer
from jaxbig.nn.model import RPN

__all__ = ["KANPreset", "NaiveBayesPreset", "PGMPreset", "PerceptronPreset", "Preset", "SVMPreset"]


def _output_steps(*, batch_norm: bool = False, relu: bool = False, dropout: float | None = None,
                  softmax: bool = False) -> tuple[Any, ...]:
    """tinyBIG's output processing, in its order: BatchNorm1d, ReLU, Dropout(p), Softmax(dim=-1)."""
    steps: list[Any] = []
    if batch_norm:
        steps.append("torch.nn.BatchNorm1d")
    if relu:
        steps.append("torch.nn.ReLU")
    if dropout is not None:
        steps.append({"function_class": "torch.nn.Dropout", "function_parameters": {"p": dropout}})
    if softmax:
        steps.append({"function_class": "torch.nn.Softmax", "function_parameters": {"dim": -1}})
    return tuple(steps)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Preset:
    """Options shared by every preset: channels, the bias and the fabrication ψ.

    ψ is tinyBIG's ``lorr_reconciliation(r)`` (ψ(w) = A B, A ∈ ℝ^{n×r},
    B ∈ ℝ^{r×D}) when ``with_lorr``, else ``identity_reconciliation``
    (ψ(w) = reshape(w) ∈ ℝ^{n×D}); ``enable_bias`` adds the head's bias b ∈ ℝⁿ.

    Args:
      channel_num: number of parameter channels of each head.
      enable_bias: whether each head adds a bias.
      with_lorr: low-rank fabrication instead of the identity.
      r: the rank of the low-rank fabrication.
      parameters_init_method: tinyBIG's initialisation of the head's parameters
        (its presets' default ``"xavier_normal"``; see :mod:`jaxbig.nn.init`), or
        ``None`` for each function's own ``init``.

    Raises:
      ValueError: naming the preset, the option and its value.
    """

    channel_num: int = 1
    enable_bias: bool = False
    with_lorr: bool = False
    r: int = 3
    parameters_init_method: str | None = "xavier_normal"

    #: Option -> the accepted values, for the string options of a preset.
    _CHOICES: ClassVar[Mapping[str, tuple[str, ...]]] = {}

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.type == "bool":
                object.__setattr__(self, field.name, check_bool(self, field.name, value))
            elif field.type == "int":  # ranges are the components' to check (a B-spline may have d = 0)
                object.__setattr__(self, field.name, check_int(self, field.name, value, minimum=0))
            elif field.type.startswith("tuple") and isinstance(value, list):  # from YAML: keep it hashable
                object.__setattr__(self, field.name, tuple(value))
        check_int(self, "channel_num", self.channel_num, minimum=1)
        if self.parameters_init_method is not None:
            check_one_of(self, "parameters_init_method", self.parameters_init_method, INIT_METHODS)
        for name, choices in self._CHOICES.items():
            check_one_of(self, name, getattr(self, name), choices)
        self.head_keywords()  # every component checks its own hyperparameters now

    def _transformation(self) -> Any:
        raise NotImplementedError

    def _remainder(self) -> Any:
        with_residual = getattr(self, "with_residual", False)
        return registry.make("linear_remainder" if with_residual else "zero_remainder")

    def _output_process(self) -> tuple[Any, ...]:
        return ()

    def _fabrication(self) -> Any:
        if self.with_lorr:
            return registry.make("lorr_reconciliation", r=self.r)
        return registry.make("identity_reconciliation")

    def head_keywords(self) -> dict[str, Any]:
        """The :class:`RPNHead` keywords (all but ``m``, ``n``, ``rngs``) this preset chooses."""
        try:
            return {
                "transformation": self._transformation(),
                "fabrication": self._fabrication(),
                "remainder": self._remainder(),
                "output_process": self._output_process(),
                "bias": self.enable_bias,
                "channel_num": self.channel_num,
                "parameters_init_method": self.parameters_init_method,
            }
        except ValueError as error:
            raise ValueError(f"{type(self).__name__}: {error}") from None

    def head(self, m: int, n: int, *, rngs: nnx.Rngs) -> RPNHead:
        """One head of width ``m → n``."""
        return RPNHead(m, n, **self.head_keywords(), rngs=rngs)

    def layer(self, m: int, n: int, *, width: int = 1, rngs: nnx.Rngs) -> RPNLayer:
        """A layer of ``width`` independent heads ``m → n``, fused by their mean."""
        return RPNLayer(m, n, head=self.head_keywords(), width=width, rngs=rngs)

    def model(self, dims: Sequence[int], *, width: int = 1, rngs: nnx.Rngs) -> RPN:
        """A model of layers ``dims[0] → dims[1] → … → dims[-1]``, each of ``width`` heads.

        Raises:
          ValueError: if ``dims`` has fewer than two widths.
        """
        dims = list(dims)
        if len(dims) < 2:
            raise ValueError(f"{type(self).__name__}: dims needs at least two widths, got {dims}")
        return RPN([self.layer(m, n, width=width, rngs=rngs) for m, n in zip(dims, dims[1:])])


@dataclasses.dataclass(frozen=True, kw_only=True)
class PerceptronPreset(Preset):
    """tinyBIG's perceptron head: κ = Taylor, B-spline or identity; ψ = dual LPHM, low rank or identity.

    κ is ``taylor_expansion(d)`` when ``with_taylor``, else ``bspline_expansion(d)``
    when ``with_bspline``, else the identity; ψ is ``dual_lphm_reconciliation(r)``
    when ``with_dual_lphm``, else as :class:`Preset`; π is ``linear_remainder``
    (π(x) = x Wᵀ) when ``with_residual``, else zero; the output passes BatchNorm,
    ReLU, Dropout(p) and Softmax, each when enabled, in that order.

    tinyBIG's defaults: the head has ``enable_bias=True``, ``with_dropout=True``
    (p = 0.5); ``perceptron_layer`` also turns on ``with_relu`` and
    ``with_softmax``; the ``mlp`` model then sets ``enable_bias=False``.

    Args:
      with_bspline, with_taylor: the expansion κ (Taylor wins when both are set).
      d: the degree of κ.
      with_hybrid_expansion: must be False: tinyBIG accepts the flag and builds no
        hybrid expansion (give ``transformation="extended_expansion"`` to
        :class:`RPNHead` for one).
      with_dual_lphm: dual LPHM fabrication (wins over ``with_lorr``).
      with_residual: linear remainder instead of zero.
      with_batch_norm, with_relu, with_dropout, with_softmax: output processing.
      p: the dropout rate.
      channel_num, enable_bias, with_lorr, r: as :class:`Preset`.

    Raises:
      ValueError: for a bad option, or ``with_hybrid_expansion=True``.

    >>> from flax import nnx
    >>> head = PerceptronPreset(with_taylor=True, with_lorr=True, r=2).head(3, 2, rngs=nnx.Rngs(0))
    >>> head.D, head.l
    (12, 28)
    """

    enable_bias: bool = True
    with_bspline: bool = False
    with_taylor: bool = False
    d: int = 2
    with_hybrid_expansion: bool = False
    with_dual_lphm: bool = False
    with_residual: bool = False
    with_batch_norm: bool = False
    with_relu: bool = False
    with_dropout: bool = True
    p: float = 0.5
    with_softmax: bool = False

    def __post_init__(self) -> None:
        if self.with_hybrid_expansion is True:
            raise ValueError("PerceptronPreset: with_hybrid_expansion=True is not supported: tinyBIG 0.2.1 "
                             "accepts the flag but builds no hybrid expansion; give RPNHead "
                             "transformation='extended_expansion' instead")
        if not 0.0 <= check_float(self, "p", self.p) < 1.0:
            raise ValueError(f"PerceptronPreset: dropout p={self.p} must be in [0, 1)")
        super().__post_init__()

    def _transformation(self) -> Any:
        if self.with_taylor:
            return registry.make("taylor_expansion", d=self.d)
        if self.with_bspline:
            return registry.make("bspline_expansion", d=self.d)
        return registry.make("identity_expansion")

    def _fabrication(self) -> Any:
        if self.with_dual_lphm:
            return registry.make("dual_lphm_reconciliation", r=self.r)
        return super()._fabrication()

    def _output_process(self) -> tuple[Any, ...]:
        return _output_steps(batch_norm=self.with_batch_norm, relu=self.with_relu,
                             dropout=self.p if self.with_dropout else None, softmax=self.with_softmax)


@dataclasses.dataclass(frozen=True, kw_only=True)
class SVMPreset(Preset):
    """tinyBIG's SVM head: κ = the kernel's feature map (identity or an RBF expansion).

    κ is the identity for ``kernel="linear"``, ``gaussian_rbf_expansion`` (κ(x) =
    exp(-(ε (x - c))²) for ``num_interval`` evenly spaced centres c spanning
    ``base_range``, D = m · num_interval) for ``"gaussian_rbf"``, and
    ``inverse_quadratic_rbf_expansion`` (1 / (1 + (ε (x - c))²)) for
    ``"inverse_quadratic_rbf"``; ψ as :class:`Preset`; π linear when
    ``with_residual``, else zero; the output passes BatchNorm and Softmax when
    enabled.

    Args:
      kernel: ``"linear"``, ``"gaussian_rbf"`` or ``"inverse_quadratic_rbf"``.
      base_range, num_interval, epsilon: the RBF centres' range and number, and ε.
      with_residual: linear remainder instead of zero.
      with_batch_norm, with_softmax: output processing.
      channel_num, enable_bias, with_lorr, r: as :class:`Preset`.

    Raises:
      ValueError: for an unknown kernel or a bad option.

    >>> from flax import nnx
    >>> SVMPreset(kernel="gaussian_rbf", num_interval=4).head(3, 2, rngs=nnx.Rngs(0)).D
    12
    """

    kernel: str = "linear"
    base_range: tuple[float, float] = (-1.0, 1.0)
    num_interval: int = 10
    epsilon: float = 1.0
    with_residual: bool = False
    with_batch_norm: bool = False
    with_softmax: bool = False

    _CHOICES: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "kernel": ("linear", "gaussian_rbf", "inverse_quadratic_rbf")}

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kernel == "linear":  # the RBF options are unused then, but must still be valid
            dataclasses.replace(self, kernel="gaussian_rbf")

    def _transformation(self) -> Any:
        if self.kernel == "linear":
            return registry.make("identity_expansion")
        return registry.make(f"{self.kernel}_expansion", base_range=self.base_range,
                             num_interval=self.num_interval, epsilon=self.epsilon)

    def _output_process(self) -> tuple[Any, ...]:
        return _output_steps(batch_norm=self.with_batch_norm, softmax=self.with_softmax)


@dataclasses.dataclass(frozen=True, kw_only=True)
class KANPreset(Preset):
    """tinyBIG's KAN head: κ = B-splines, π(x) = SiLU(x Wᵀ).

    κ is ``bspline_expansion(grid_range, t, d)`` (D = m (t + d)); ψ as
    :class:`Preset`; π is ``linear_remainder`` with a SiLU activation, so
    g(x) = ⟨κ(x), ψ(w)⟩ + b + SiLU(x Wᵀ) as in KAN's residual basis; the output
    passes BatchNorm and Softmax when enabled.

    Args:
      grid_range, t, d: the B-spline grid range, number of intervals and degree.
      with_batch_norm, with_softmax: output processing.
      channel_num, enable_bias, with_lorr, r: as :class:`Preset`.

    Raises:
      ValueError: for a bad option.

    >>> from flax import nnx
    >>> KANPreset(t=4, d=2).head(3, 2, rngs=nnx.Rngs(0)).D
    18
    """

    grid_range: tuple[float, float] = (-1.0, 1.0)
    t: int = 5
    d: int = 3
    with_batch_norm: bool = False
    with_softmax: bool = False

    def _transformation(self) -> Any:
        return registry.make("bspline_expansion", grid_range=self.grid_range, t=self.t, d=self.d)

    def _remainder(self) -> Any:
        return registry.make("linear_remainder", activation_functions=("torch.nn.SiLU",))

    def _output_process(self) -> tuple[Any, ...]:
        return _output_steps(batch_norm=self.with_batch_norm, softmax=self.with_softmax)


@dataclasses.dataclass(frozen=True, kw_only=True)
class NaiveBayesPreset(Preset):
    """tinyBIG's naive Bayes head: κ = the log-density of a distribution at each feature.

    κ is ``naive_<distribution>_expansion`` (D = m: the log-likelihood of each
    feature under a fixed normal, exponential, Cauchy, gamma, χ² or Laplace
    distribution), so ⟨κ(x), ψ(w)⟩ is a weighted sum of log-likelihoods; ψ as
    :class:`Preset`; π linear when ``with_residual``, else zero.

    Args:
      distribution: ``"normal"``, ``"exponential"``, ``"cauchy"``, ``"gamma"``,
        ``"chi2"`` or ``"laplace"``.
      with_residual: linear remainder instead of zero.
      channel_num, enable_bias, with_lorr, r: as :class:`Preset`.

    Raises:
      ValueError: for an unknown distribution or a bad option.

    >>> from flax import nnx
    >>> NaiveBayesPreset(distribution="laplace").head(3, 2, rngs=nnx.Rngs(0)).D
    3
    """

    distribution: str = "normal"
    with_residual: bool = False

    _CHOICES: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "distribution": ("normal", "exponential", "cauchy", "gamma", "chi2", "laplace")}

    def _transformation(self) -> Any:
        return registry.make(f"naive_{self.distribution}_expansion")


@dataclasses.dataclass(frozen=True, kw_only=True)
class PGMPreset(Preset):
    """tinyBIG's probabilistic graphical model head: κ = combinatorial normal log-densities.

    κ is ``combinatorial_normal_expansion(d, with_replacement)``: the
    log-density of a multivariate normal at every combination of 1 … d features;
    ψ as :class:`Preset`; π linear when ``with_residual``, else zero.

    Args:
      distribution: ``"normal"`` (tinyBIG supports no other here).
      d: the largest combination size.
      with_replacement: combinations with repetition.
      with_residual: linear remainder instead of zero.
      channel_num, enable_bias, with_lorr, r: as :class:`Preset`.

    Raises:
      ValueError: for another distribution or a bad option.

    >>> from flax import nnx
    >>> PGMPreset(d=2).head(3, 2, rngs=nnx.Rngs(0)).D
    6
    """

    distribution: str = "normal"
    d: int = 2
    with_replacement: bool = False
    with_residual: bool = False

    _CHOICES: ClassVar[Mapping[str, tuple[str, ...]]] = {"distribution": ("normal",)}

    def _transformation(self) -> Any:
        return registry.make("combinatorial_normal_expansion", d=self.d, with_replacement=self.with_replacement)


_PERCEPTRON_LAYER = {"with_relu": True, "with_softmax": True}

#: tinyBIG class name -> (kind, preset, the defaults that tinyBIG's class changes).
TINYBIG_CLASSES: Mapping[str, tuple[str, type[Preset], Mapping[str, Any]]] = {
    "perceptron_head": ("head", PerceptronPreset, {}),
    "svm_head": ("head", SVMPreset, {}),
    "kan_head": ("head", KANPreset, {}),
    "naive_bayes_head": ("head", NaiveBayesPreset, {}),
    "pgm_head": ("head", PGMPreset, {}),
    "perceptron_layer": ("layer", PerceptronPreset, _PERCEPTRON_LAYER),
    "svm_layer": ("layer", SVMPreset, {}),
    "kan_layer": ("layer", KANPreset, {}),
    "naive_bayes_layer": ("layer", NaiveBayesPreset, {}),
    "pgm_layer": ("layer", PGMPreset, {}),
    "mlp": ("model", PerceptronPreset, {**_PERCEPTRON_LAYER, "enable_bias": False}),
    "svm": ("model", SVMPreset, {}),
    "kan": ("model", KANPreset, {}),
    "naive_bayes": ("model", NaiveBayesPreset, {}),
    "pgm": ("model", PGMPreset, {}),
}


def tinybig_class(name: Any, kind: str) -> tuple[type[Preset], Mapping[str, Any]] | None:
    """The preset and changed defaults of a tinyBIG head/layer/model class name, or None.

    ``name`` may be dotted (``tinybig.head.kan_head``,
    ``tinybig.head.basic_heads.kan_head``, ``tinybig.model.mlp``,
    ``tinybig.model.rpn_mlp.mlp``) or, for models, the module name (``rpn_mlp``).
    """
    if not isinstance(name, str):
        return None
    short = name.rsplit(".", 1)[-1]
    if kind == "model" and short.startswith("rpn_"):
        short = short[len("rpn_"):]
    entry = TINYBIG_CLASSES.get(short)
    if entry is None or entry[0] != kind:
        return None
    return entry[1], entry[2]
