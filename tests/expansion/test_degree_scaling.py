"""Degree-d expansions trace to O(d) operations: no per-feature unrolling, small compiles.

The recurrences (orthogonal polynomials, B-splines), Kronecker powers (Taylor,
wavelets of order d) and combinatorial blocks loop over the degree on whole arrays.
This measures the size of the traced program (jaxpr equations, StableHLO operations)
for d = 1, 2, 3, 6, 10 and checks it grows at most linearly; no timings are asserted.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

import jaxbig

M = 2
DEGREES = (1, 2, 3, 6, 10)

FAMILIES = {
    "ChebyshevExpansion": {},
    "LegendreExpansion": {},
    "HermiteExpansion": {},
    "LaguerreExpansion": {},
    "JacobiExpansion": {},
    "GegenbauerExpansion": {},
    "BesselExpansion": {},
    "ReverseBesselExpansion": {},
    "FibonacciExpansion": {},
    "LucasExpansion": {},
    "BSplineExpansion": {"t": 3},
    "TaylorExpansion": {},
    "RickerWaveletExpansion": {},
    "CombinatorialExpansion": {},
    "CombinatorialNormalExpansion": {},
}


def _equations(jaxpr) -> int:
    """Equations of a jaxpr, counting those of nested jaxprs (the inner ``jit``) too."""
    total = 0
    for eqn in jaxpr.eqns:
        total += 1
        for value in eqn.params.values():
            inner = getattr(value, "jaxpr", value)
            if hasattr(inner, "eqns"):
                total += _equations(inner)
    return total


def _sizes(name: str, d: int) -> tuple[int, int]:
    kappa = jaxbig.make(name, d=d, **FAMILIES[name])
    m = 10 if name.startswith("Combinatorial") else M
    x = jax.ShapeDtypeStruct((3, m), jnp.float32)
    jaxpr = jax.make_jaxpr(lambda v: kappa.apply(None, v))(x)
    hlo = jax.jit(lambda v: kappa.apply(None, v)).lower(x).as_text()
    hlo_ops = sum(1 for line in hlo.splitlines() if " = " in line)
    return _equations(jaxpr.jaxpr), hlo_ops


@pytest.mark.parametrize("name", list(FAMILIES))
def test_program_size_grows_at_most_linearly_in_the_degree(name):
    sizes = dict(zip(DEGREES, (_sizes(name, d) for d in DEGREES)))
    for column, label in ((0, "jaxpr equations"), (1, "StableHLO operations")):
        count = {d: s[column] for d, s in sizes.items()}
        per_degree = max(count[2] - count[1], count[3] - count[2]) + 2  # early cost per degree
        # no more than a constant cost per extra degree later on (linear growth)
        assert count[6] - count[3] <= 3 * per_degree, (label, count)
        assert count[10] - count[6] <= 4 * per_degree, (label, count)
        assert count[10] < 400, (label, count)  # d = 10 stays a small program
