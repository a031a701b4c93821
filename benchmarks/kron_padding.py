"""Duplicated diagonal padding: structured ``product`` versus the dense Kronecker matrix.

Measures forward + backward (value and gradient with respect to ``w``) of

    loss(w) = sum(tanh(x @ ψ(w).T)),   ψ(w) = I_{p×q} ⊗ W,

for :class:`jaxbig.reconciliation.DuplicatedDiagonalPadding`, two ways, both under
``jax.jit``:

* dense: ``x @ apply(w).T``, i.e. ``jnp.kron`` materialises the ``(n, D)`` matrix,
  then one ``(b, D) × (D, n)`` matmul;
* structured: ``product(w, x)``, one GEMM on ``x`` reshaped to ``(b·q, t)``
  (``jaxbig.ops.eye_kron_product``), never touching the zero blocks.

Grid: n = D ∈ {512, 1024}, p = q ∈ {8, 16, 32}, batch 256, float32. Each timing is
the median of repeated runs after warm-up (``jax.block_until_ready``); dense and
structured runs are interleaved in rounds so that machine noise hits both alike,
and the ratio dense / structured is taken within the same run.

Targets (speed-up of structured over dense): ≥ 4x at p = 8, ≥ 7x at p = 16 and
≥ 10x at p = 32, the last two at n = D = 1024.

Run:  python benchmarks/kron_padding.py [--quick]

Prints a JSON document, then a markdown table, then whether each target is met.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time

import jax
import jax.numpy as jnp

from jaxbig.reconciliation import DuplicatedDiagonalPadding

BATCH = 256
SIZES = (512, 1024)
BLOCKS = (8, 16, 32)
# p -> (minimum speed-up, sizes it applies to)
TARGETS = {8: (4.0, (512, 1024)), 16: (7.0, (1024,)), 32: (10.0, (1024,))}


def _losses(f: DuplicatedDiagonalPadding, n: int, D: int):
    def dense(w, x):
        return jnp.sum(jnp.tanh(x @ f.apply(w, n, D).T))

    def structured(w, x):
        return jnp.sum(jnp.tanh(f.product(w, x, n, D)))

    return {
        "dense": jax.jit(jax.value_and_grad(dense)),
        "structured": jax.jit(jax.value_and_grad(structured)),
    }


def _time_once(fn, *args) -> float:
    start = time.perf_counter()
    jax.block_until_ready(fn(*args))
    return time.perf_counter() - start


def measure(n: int, p: int, *, rounds: int, reps: int) -> dict:
    """Median seconds of dense and structured forward+backward, and their ratio."""
    f = DuplicatedDiagonalPadding(p=p, q=p)
    key_w, key_x = jax.random.split(jax.random.key(0))
    w = f.init(key_w, n, n)
    x = jax.random.normal(key_x, (BATCH, n), jnp.float32)
    fns = _losses(f, n, n)
    # Same value and gradient both ways (guards the benchmark itself).
    (v_dense, g_dense), (v_struct, g_struct) = fns["dense"](w, x), fns["structured"](w, x)
    assert jnp.allclose(v_dense, v_struct, rtol=1e-4, atol=1e-2), (v_dense, v_struct)
    assert jnp.allclose(g_dense, g_struct, rtol=1e-3, atol=1e-3)
    for fn in fns.values():  # warm-up
        for _ in range(3):
            _time_once(fn, w, x)
    times = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            times[name].extend(_time_once(fn, w, x) for _ in range(reps))
    dense, structured = statistics.median(times["dense"]), statistics.median(times["structured"])
    target, sizes = TARGETS[p]
    applies = n in sizes
    return {
        "n": n,
        "D": n,
        "p": p,
        "q": p,
        "batch": BATCH,
        "dense_ms": dense * 1e3,
        "structured_ms": structured * 1e3,
        "speedup": dense / structured,
        "target": target if applies else None,
        "met": (dense / structured >= target) if applies else None,
    }


def markdown(rows: list[dict]) -> str:
    lines = [
        "| n = D | p = q | dense kron + matmul (ms) | structured product (ms) | speed-up | target |",
        "|---:|---:|---:|---:|---:|:---|",
    ]
    for r in rows:
        target = "-" if r["target"] is None else f"≥ {r['target']:.0f}x: {'met' if r['met'] else 'NOT met'}"
        lines.append(
            f"| {r['n']} | {r['p']} | {r['dense_ms']:.3f} | {r['structured_ms']:.3f} | "
            f"{r['speedup']:.1f}x | {target} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a rough check)")
    args = parser.parse_args(argv)
    rounds, reps = (3, 5) if args.quick else (10, 20)
    rows = [measure(n, p, rounds=rounds, reps=reps) for n in SIZES for p in BLOCKS]
    report = {
        "benchmark": "kron_padding",
        "what": "value_and_grad of sum(tanh(x @ psi(w).T)) w.r.t. w, DuplicatedDiagonalPadding, jit",
        "jax": jax.__version__,
        "backend": jax.default_backend(),
        "device": str(jax.devices()[0]),
        "machine": platform.machine(),
        "rounds": rounds,
        "reps_per_round": reps,
        "rows": rows,
    }
    print(json.dumps(report, indent=2))
    print()
    print(markdown(rows))
    print()
    checked = [r for r in rows if r["target"] is not None]
    for r in checked:
        status = "met" if r["met"] else "NOT met"
        print(f"target p={r['p']} n=D={r['n']}: {r['speedup']:.1f}x vs ≥ {r['target']:.0f}x -> {status}")
    print("all targets met" if all(r["met"] for r in checked) else "some targets NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
