"""Members whose output size ``b'`` / ``m'`` is a hyperparameter."""

from __future__ import annotations

import dataclasses

from jaxbig.base import check_int
from jaxbig.interdependence._base import InterdependenceBase

REFERENCES = """
    References:
      tinyBIG, ``tinybig/interdependence/{file}.py`` (``{name}``).
      Zhang, J. "RPN 2: On Interdependence Function Learning Towards Unifying and
      Advancing CNN, RNN, GNN, and Transformer", arXiv:2411.11162, 2024.
"""


@dataclasses.dataclass(frozen=True)
class SizedBase(InterdependenceBase):
    """Adds ``b_prime`` / ``m_prime``: A is ``(m, m')`` (attribute) or ``(b, b')`` (instance).

    ``None`` means the square default ``b' = b``, ``m' = m``. The size of the
    dimension that the function does not mix stays unchanged, so giving a different
    ``b_prime`` to an attribute function (or ``m_prime`` to an instance function) is
    an error rather than silently ignored.
    """

    _: dataclasses.KW_ONLY
    b_prime: int | None = None
    m_prime: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        for name, base in (("b_prime", self.b), ("m_prime", self.m)):
            value = getattr(self, name)
            value = base if value is None else check_int(self, name, value, minimum=1)
            object.__setattr__(self, name, value)
        unused, size = ("b_prime", self.b) if self.is_attribute else ("m_prime", self.m)
        if getattr(self, unused) != size:
            raise self._error(
                f"{unused}={getattr(self, unused)} must equal {unused[0]}={size} for an "
                f"{self.interdependence_type} function (it does not change that dimension)"
            )

    def _d_prime(self) -> int:
        return self.m_prime if self.is_attribute else self.b_prime
