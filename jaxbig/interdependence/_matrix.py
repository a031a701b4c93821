"""NumPy (float64) matrix helpers for the structural members, evaluated at trace time."""

from __future__ import annotations

from typing import Any

import numpy as np

NORMALIZATION_MODES = ("row", "column", "row_column")

#: Condition number above which ``I - M`` counts as singular.
MAX_CONDITION = 1e12


def _safe_sums(sums: np.ndarray) -> np.ndarray:
    """Degree sums with zeros replaced by 1 (tinyBIG leaves empty rows/columns as they are)."""
    return np.where(sums == 0, 1.0, sums)


def degree_normalize(mx: np.ndarray, mode: str) -> np.ndarray:
    """tinyBIG's ``degree_based_normalize_matrix``.

    ``row``: ``D_r⁻¹·M``. ``column``: ``M·D_c⁻¹``. ``row_column``: first
    ``M' = D_r^{-1/2}·M``, then ``M'·D_c'^{-1/2}`` with ``D_c'`` the column sums of
    ``M'`` (tinyBIG's sequential order; for a symmetric ``M`` this is not
    ``D^{-1/2} M D^{-1/2}``). Zero sums are treated as 1.
    """
    if mode == "row":
        return mx / _safe_sums(mx.sum(axis=1))[:, None]
    if mode == "column":
        return mx / _safe_sums(mx.sum(axis=0))[None, :]
    rows = mx / np.sqrt(_safe_sums(mx.sum(axis=1)))[:, None]
    return rows / np.sqrt(_safe_sums(rows.sum(axis=0)))[None, :]


def power_sum(mx: np.ndarray, h: int, accumulative: bool) -> np.ndarray:
    """``M^h``, or ``Σ_{i=0}^{h} M^i`` when ``accumulative``."""
    if not accumulative:
        return np.linalg.matrix_power(mx, h)
    total = power = np.eye(mx.shape[0])
    for _ in range(h):
        power = power @ mx
        total = total + power
    return total


def checked_inverse(owner: Any, mx: np.ndarray, what: str) -> np.ndarray:
    """``mx⁻¹``, or a ValueError naming ``owner`` when ``mx`` is (numerically) singular."""
    condition = np.linalg.cond(mx)
    if not np.isfinite(condition) or condition > MAX_CONDITION:
        raise owner._error(
            f"{what} is singular (condition number {condition:.3g}); with these "
            "hyperparameters the formula has no finite value (try normalization=True "
            "or a smaller adjacency scale)"
        )
    return np.linalg.inv(mx)
