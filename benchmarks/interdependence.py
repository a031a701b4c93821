"""Times interdependence functions: parameterized (plain vs. low rank vs. LPHM) and kernels.

Run from the repository root::

    python benchmarks/interdependence.py            # b=256, m=m'=1024; kernels at b=1024
    python benchmarks/interdependence.py --quick    # smaller sizes, fewer repeats

Every timing is one jitted forward-and-backward pass: the gradient of
``sum(ξ(x)²)`` with respect to the parameters and the data. Medians over repeats,
all ratios measured in the same run.

* Parameterized attribute interdependence ``x @ W`` with ``x (b, m)``, ``W (m, m')``:
  ``plain`` (``W = reshape(w)``, ``l = m·m'``), ``lowrank`` (``W = A B``, rank
  ``r = 16``) and ``lphm`` (``W = A ⊗ (S T)``, ``p = q = 32``, ``r = 4``). The
  structured members run ``apply`` (the transpose of the fabrication's structured
  product; W is never formed) and, for comparison, ``x @ ψ(w)`` with W
  materialised ("dense route").
* Kernel interdependence with ``b = 1024`` instances of ``m = 256`` attributes: the
  instance Gaussian RBF kernel (``A (b, b)`` from one Gram matmul, then ``Aᵀ x``)
  and the attribute Pearson correlation (``A (m, m)``).

Prints one JSON object (median milliseconds, ratios), then a markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys

import jax
import jax.numpy as jnp

from _timing import median_ms

from jaxbig.interdependence import (
    GaussianRBFKernelInterdependence,
    LowRankParameterizedInterdependence,
    LPHMParameterizedInterdependence,
    ParameterizedInterdependence,
    PearsonCorrelationInterdependence,
)



def _loss_and_grads(apply):
    """``value_and_grad`` of ``sum(apply(w, x)²)`` with respect to ``w`` and ``x``, jitted."""
    return jax.jit(jax.value_and_grad(lambda w, x: jnp.sum(apply(w, x) ** 2), argnums=(0, 1)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats")
    args = parser.parse_args(argv)
    b, m, kernel_b, kernel_m = (64, 256, 256, 64) if args.quick else (256, 1024, 1024, 256)
    repeats, inner = (3, 3) if args.quick else (7, 10)
    p = 16 if args.quick else 32
    key_x, key_w, key_k = jax.random.split(jax.random.key(0), 3)
    x = jax.random.normal(key_x, (b, m))

    parameterized = {
        "plain": ParameterizedInterdependence(b, m, m_prime=m),
        "lowrank r=16": LowRankParameterizedInterdependence(b, m, m_prime=m, r=16),
        f"lphm p=q={p} r=4": LPHMParameterizedInterdependence(b, m, m_prime=m, r=4, p=p),
    }
    results: dict[str, dict] = {}
    plain_ms = None
    for name, f in parameterized.items():
        w = f.init(key_w)
        row = {"l": f.calculate_l(),
               "apply_ms": median_ms(_loss_and_grads(f.apply), w, x, repeats=repeats, inner=inner)}
        if name == "plain":
            plain_ms = row["apply_ms"]
        else:
            fab, shape = f.fabrication(), (m, m)
            dense = _loss_and_grads(lambda w, x, fab=fab: x @ fab.apply(w, *shape))
            row["dense_route_ms"] = median_ms(dense, w, x, repeats=repeats, inner=inner)
            row["dense_route_over_apply"] = row["dense_route_ms"] / row["apply_ms"]
        row["plain_over_this"] = plain_ms / row["apply_ms"]
        results[name] = row

    xk = jax.random.normal(key_k, (kernel_b, kernel_m))
    kernels = {
        "gaussian_rbf (instance)": GaussianRBFKernelInterdependence(
            kernel_b, kernel_m, interdependence_type="instance", sigma=float(kernel_m) ** 0.5),
        "pearson (attribute)": PearsonCorrelationInterdependence(kernel_b, kernel_m),
    }
    for name, f in kernels.items():
        grads = jax.jit(jax.value_and_grad(lambda x, f=f: jnp.sum(f.apply(None, x) ** 2)))
        results[name] = {"l": 0, "apply_ms": median_ms(grads, xk, repeats=repeats, inner=inner)}

    for row in results.values():
        for k, v in row.items():
            if isinstance(v, float):
                row[k] = round(v, 3)
    config = {"b": b, "m": m, "m_prime": m, "kernel_b": kernel_b, "kernel_m": kernel_m,
              "device": jax.devices()[0].device_kind, "repeats": repeats, "inner": inner}
    print(json.dumps({"config": config, "results": results}, indent=2))
    print()
    print(f"forward+backward (grad w.r.t. parameters and data); parameterized: x ({b}, {m}) @ W ({m}, {m}); "
          f"kernels: x ({kernel_b}, {kernel_m}); device {config['device']}")
    print()
    print("| function | l | apply (ms) | plain / this | dense ψ(w) route (ms) | dense route / apply |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        speedup = f"{r['plain_over_this']:.2f}×" if "plain_over_this" in r else "-"
        dense = f"{r['dense_route_ms']:.3f}" if "dense_route_ms" in r else "-"
        dense_ratio = f"{r['dense_route_over_apply']:.2f}×" if "dense_route_over_apply" in r else "-"
        print(f"| {name} | {r['l']} | {r['apply_ms']:.3f} | {speedup} | {dense} | {dense_ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
