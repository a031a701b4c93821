"""Parameter fabrication (reconciliation) functions ψ: ℝ^l → ℝ^{n×D}.

Each member is a frozen, hashable dataclass with ``calculate_l(n, D)``,
``init(key, n, D)``, ``apply(w, n, D)`` → ``(n, D)`` and ``product(w, x, n, D)`` →
``x @ ψ(w).T`` of shape ``(b, n)``, which structured members compute without
materialising ψ(w). ``w`` is the flat ``(l,)`` vector (tinyBIG's ``(1, l)`` loads
too), split in tinyBIG's order. Members with fixed random draws take the
NamedTuples of :mod:`jaxbig.reconciliation.params`.

Files: :mod:`~jaxbig.reconciliation.constant` (constant, zero, one, constant
identity), :mod:`~jaxbig.reconciliation.identity` (identity, masking),
:mod:`~jaxbig.reconciliation.kronecker` (duplicated / duplicated diagonal padding,
HM, LPHM, dual LPHM), :mod:`~jaxbig.reconciliation.lowrank` (LoRR),
:mod:`~jaxbig.reconciliation.random_matrix` (random matrix adaption and hypernet),
:mod:`~jaxbig.reconciliation.hypernet` (hypernet).

References:
  Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.
"""

from jaxbig.reconciliation.constant import (
    ConstantEyeReconciliation,
    ConstantReconciliation,
    OneReconciliation,
    ZeroReconciliation,
)
from jaxbig.reconciliation.hypernet import HypernetReconciliation
from jaxbig.reconciliation.identity import IdentityReconciliation, MaskingReconciliation
from jaxbig.reconciliation.kronecker import (
    DualLPHMReconciliation,
    DuplicatedDiagonalPadding,
    DuplicatedPadding,
    HMReconciliation,
    LPHMReconciliation,
)
from jaxbig.reconciliation.lowrank import LowRankReconciliation
from jaxbig.reconciliation.params import FixedRandomParams, HypernetParams, MaskingParams
from jaxbig.reconciliation.random_matrix import (
    RandomMatrixAdaptionReconciliation,
    RandomMatrixHypernetReconciliation,
)

__all__ = [
    "ConstantEyeReconciliation",
    "ConstantReconciliation",
    "DualLPHMReconciliation",
    "DuplicatedDiagonalPadding",
    "DuplicatedPadding",
    "FixedRandomParams",
    "HMReconciliation",
    "HypernetParams",
    "HypernetReconciliation",
    "IdentityReconciliation",
    "LPHMReconciliation",
    "LowRankReconciliation",
    "MaskingParams",
    "MaskingReconciliation",
    "OneReconciliation",
    "RandomMatrixAdaptionReconciliation",
    "RandomMatrixHypernetReconciliation",
    "ZeroReconciliation",
]
