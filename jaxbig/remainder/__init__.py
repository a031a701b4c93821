"""Remainder functions π: ℝ^m → ℝ^n, the residual term of an RPN head.

Every member is a frozen, hashable dataclass with ``calculate_l(n, m)``,
``init(key, n, m)`` (``None`` when parameter-free) and ``apply(w, x, n)``, which
maps ``x`` of shape ``(b, m)`` to the term of shape ``(b, n)``. Each holds
optional ``activation_functions`` σ applied to the term, as tinyBIG's remainders do.

References:
  tinyBIG ``tinybig.remainder``; Zhang, J. "RPN: Reconciled Polynomial Network",
  arXiv:2407.04819, 2024.
"""

from jaxbig.remainder.constant import ConstantRemainder, OneRemainder, ZeroRemainder
from jaxbig.remainder.identity import IdentityRemainder
from jaxbig.remainder.linear import LinearRemainder

__all__ = [
    "ConstantRemainder",
    "IdentityRemainder",
    "LinearRemainder",
    "OneRemainder",
    "ZeroRemainder",
]
