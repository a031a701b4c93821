"""Times the parameterized concatenation fusions: structured product vs. the dense matrix.

Run from the repository root::

    python benchmarks/fusion.py            # k=4 inputs of width 256, n=256, batch 512
    python benchmarks/fusion.py --quick    # smaller sizes, fewer repeats

For every member of the parameterized concatenation family it times one jitted
forward-and-backward pass (the gradient of ``sum(fusion(xs)²)`` with respect to the
parameters), in two ways measured in the same run:

* ``structured``: ``fusion.apply`` — the reconciliation member's ``product``, which
  never forms the ``(n, Σnᵢ)`` matrix (low rank: ``(x Vᵀ) Uᵀ``; HM family: an
  einsum on the reshaped input; random matrix adaption: diagonal scalings);
* ``dense``: ``concat(xs) @ ψ(w).T`` with ψ(w) materialised by ``fabrication().apply``.

Prints one JSON object (median milliseconds and the dense/structured ratio), then a
markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys

import jax
import jax.numpy as jnp

from _timing import median_ms

from jaxbig.fusion import (
    DualLPHMParameterizedConcatenationFusion,
    HMParameterizedConcatenationFusion,
    LowRankParameterizedConcatenationFusion,
    LPHMParameterizedConcatenationFusion,
    ParameterizedConcatenationFusion,
    RandomMatrixAdaptionParameterizedConcatenationFusion,
)



def _trainable(params):
    """The float part of the parameters (FixedRandomParams keeps its key data fixed)."""
    return params.w if isinstance(params, tuple) else params


def _with(params, w):
    return params._replace(w=w) if isinstance(params, tuple) else w


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats")
    args = parser.parse_args(argv)
    k, width, n, b = (4, 64, 64, 128) if args.quick else (4, 256, 256, 512)
    repeats, inner = (3, 5) if args.quick else (7, 20)
    dims = (width,) * k
    D = sum(dims)
    keys = jax.random.split(jax.random.key(0), k + 1)
    xs = [jax.random.normal(key, (b, width)) for key in keys[:k]]

    fusions = {
        "plain": ParameterizedConcatenationFusion(n=n),
        "lowrank r=8": LowRankParameterizedConcatenationFusion(r=8, n=n),
        "hm p=q=8": HMParameterizedConcatenationFusion(p=8, n=n),
        "lphm r=4 p=q=8": LPHMParameterizedConcatenationFusion(r=4, p=8, n=n),
        "dual_lphm r=4 p=q=8": DualLPHMParameterizedConcatenationFusion(r=4, p=8, n=n),
        "random_matrix_adaption r=8": RandomMatrixAdaptionParameterizedConcatenationFusion(r=8, n=n),
    }
    results = {}
    for name, fusion in fusions.items():
        params = fusion.init(keys[k], dims)
        fab = fusion.fabrication()

        def structured(w, xs, fusion=fusion, params=params):
            return jnp.sum(fusion.apply(_with(params, w), xs) ** 2)

        def dense(w, xs, fab=fab, params=params):
            W = fab.apply(_with(params, w), n, D)
            return jnp.sum((jnp.concatenate(xs, axis=-1) @ W.T) ** 2)

        times = {
            route: median_ms(jax.jit(jax.value_and_grad(f)), _trainable(params), xs,
                              repeats=repeats, inner=inner)
            for route, f in (("structured", structured), ("dense", dense))
        }
        results[name] = {
            "l": fusion.calculate_l(dims),
            "structured_ms": round(times["structured"], 4),
            "dense_ms": round(times["dense"], 4),
            "dense_over_structured": round(times["dense"] / times["structured"], 2),
        }

    config = {"k": k, "width": width, "n": n, "batch": b, "device": jax.devices()[0].platform}
    print(json.dumps({"config": config, "results": results}, indent=2))
    print()
    print(f"forward+backward, batch {b}, k={k} inputs of width {width} (Σnᵢ = {D}) → n = {n}")
    print()
    print("| fusion | l | structured (ms) | dense ψ(w) (ms) | dense / structured |")
    print("|---|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['l']} | {r['structured_ms']:.3f} | {r['dense_ms']:.3f} | "
              f"{r['dense_over_structured']:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
