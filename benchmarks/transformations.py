"""Times every data transformation κ (expansions and compressions) at MNIST size.

Run from the repository root::

    python benchmarks/transformations.py                    # b = 256, m = 784, all
    python benchmarks/transformations.py --quick            # fewer repeats, 256 MB output cap
    python benchmarks/transformations.py --only Taylor      # names containing "Taylor"
    python benchmarks/transformations.py --family expansion

For every registered expansion and compression (iterating ``jaxbig.registry`` by
family) it builds one configuration — degree or order ``d = 3`` wherever the
function has one, a 28×28 grid with 3×3 (cuboid) or radius-1 patches for geometric
functions — and measures, with ``jax.block_until_ready``, warm-up and medians:

* ``compile_s``: wall time to lower and compile the jitted forward+backward pass;
* ``fwd_ms``: the jitted forward pass ``κ(x)``;
* ``fwd_bwd_ms``: the jitted forward pass plus the VJP of a given ``(b, D)``
  cotangent (what a layer pays: the output is materialised, the cotangent read);
* ``GB/s``: the bytes the pass must at least move (write ``y`` and read the
  cotangent, ``2·b·D·4``, plus ``x`` and its gradient) divided by ``fwd_bwd_ms``,
  which shows how close a function is to memory bandwidth.

A configuration whose output would exceed ``--max-output-mb`` (``b·D·4`` bytes) is
reported as infeasible with the ``D`` it would need, and the largest feasible degree
below it is measured instead, labelled in the ``config`` column (e.g. Taylor
``d = 3`` needs ``D ≈ 4.8e8``, 482 GB of output at b = 256). Functions that cannot be
built or run are listed with the reason.

Prints one JSON object, then a markdown table sorted by ``fwd_bwd_ms``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from typing import Any

import jax
import jax.numpy as jnp

import jaxbig
from _timing import median_ms

from jaxbig import registry
from jaxbig.ops import Cuboid

#: Expansions whose ``d`` is a degree or order (geometric functions use ``d`` for depth).
DEGREE = {
    "TaylorExpansion", "BSplineExpansion", "ChebyshevExpansion", "LegendreExpansion",
    "HermiteExpansion", "LaguerreExpansion", "JacobiExpansion", "GegenbauerExpansion",
    "BesselExpansion", "ReverseBesselExpansion", "FibonacciExpansion", "LucasExpansion",
    "HaarWaveletExpansion", "BetaWaveletExpansion", "ShannonWaveletExpansion",
    "RickerWaveletExpansion", "DOGWaveletExpansion", "MeyerWaveletExpansion",
    "CombinatorialExpansion", "CombinatorialNormalExpansion",
}

#: Hyperparameters for functions that need more than ``d``.
SPECIAL: dict[str, dict[str, Any]] = {
    "LinearExpansion": {"c": 2.0},
    "GeometricExpansion": {"h": 28, "w": 28, "patch": Cuboid(p_h=1, p_w=1)},
    "NestedExpansion": {
        "composition_functions": ("trigonometric_expansion", jaxbig.make("chebyshev_expansion", d=3)),
    },
    "ExtendedExpansion": {
        "composition_functions": (
            "identity_expansion", jaxbig.make("chebyshev_expansion", d=3), "gaussian_rbf_expansion",
        ),
    },
    "NestedCompression": {"composition_functions": ("trigonometric_expansion", "max_compression")},
    "ExtendedCompression": {"composition_functions": ("max_compression", "mean_compression")},
}

#: Values for required hyperparameters, by name (a 28×28 grid, small patches, ...).
REQUIRED = {
    "h": 28, "w": 28, "p_h": 1, "p_w": 1, "p_d": 0, "p_r": 1,
    "patch": Cuboid(p_h=1, p_w=1), "metric": "max", "k": 64, "D": 64,
}



def _build(entry, degree: int | None) -> Any:
    kwargs = dict(SPECIAL.get(entry.name, {}))
    for field in entry.required():
        if field not in kwargs:
            kwargs[field] = REQUIRED[field]
    if degree is not None:
        kwargs["d"] = degree
    return jaxbig.make(entry.name, **kwargs), kwargs


def _feasible(entry, b: int, m: int, max_bytes: float):
    """The function at d = 3 (or the largest feasible degree) and a note on what was skipped."""
    if entry.name not in DEGREE:
        kappa, kwargs = _build(entry, None)
        D = kappa.calculate_D(m)
        if b * D * 4 > max_bytes:
            return None, kwargs, f"infeasible: D = {D:,} ({b * D * 4 / 1e9:.1f} GB of output)"
        return kappa, kwargs, ""
    notes = []
    for degree in (3, 2, 1):
        kappa, kwargs = _build(entry, degree)
        D = kappa.calculate_D(m)
        if b * D * 4 <= max_bytes:
            return kappa, kwargs, "; ".join(notes)
        notes.append(f"d={degree} infeasible: D = {D:,} ({b * D * 4 / 1e9:.1f} GB of output)")
    return None, kwargs, "; ".join(notes)


def _describe(kwargs: dict[str, Any]) -> str:
    def short(v: Any) -> str:
        if isinstance(v, (tuple, list)):
            return "(" + ", ".join(short(u) for u in v) + ")"
        if dataclasses.is_dataclass(v):  # a function or patch: its class and fields
            fields = ", ".join(f"{f.name}={getattr(v, f.name)!r}" for f in dataclasses.fields(v) if f.init)
            return f"{type(v).__name__}({fields})"
        return repr(v)

    return ", ".join(f"{k}={short(v)}" for k, v in kwargs.items()) or "defaults"


def measure(entry, *, b: int, m: int, repeats: int, max_bytes: float) -> dict[str, Any]:
    row: dict[str, Any] = {"family": entry.family, "name": entry.name}
    try:
        kappa, kwargs, note = _feasible(entry, b, m, max_bytes)
    except (ValueError, TypeError, KeyError) as error:
        return {**row, "status": f"not built: {error}"}
    row["config"] = _describe(kwargs)
    if note:
        row["note"] = note
    if kappa is None:
        return {**row, "status": "infeasible"}
    key = jax.random.key(0)
    x = jax.random.normal(key, (b, m), jnp.float32)
    try:
        params = kappa.init(key, m)
        D = kappa.calculate_D(m)
        ct = jax.random.normal(jax.random.key(1), (b, D), jnp.float32)

        forward = jax.jit(lambda p, v: kappa.apply(p, v))

        @jax.jit
        def forward_backward(p, v, cotangent):
            y, vjp = jax.vjp(lambda q, u: kappa.apply(q, u), p, v)
            return y, vjp(cotangent)

        tic = time.perf_counter()
        compiled = forward_backward.lower(params, x, ct).compile()
        compile_s = time.perf_counter() - tic
        fwd_ms = median_ms(forward, params, x, repeats=repeats)
        fwd_bwd_ms = median_ms(compiled, params, x, ct, repeats=repeats)
    except Exception as error:  # noqa: BLE001 - report any failure of a third-party member
        return {**row, "status": f"failed: {type(error).__name__}: {error}"[:300]}
    moved = (2 * b * D + 2 * b * m) * 4
    return {
        **row,
        "status": "ok",
        "D": D,
        "output_MB": round(b * D * 4 / 1e6, 2),
        "compile_s": round(compile_s, 3),
        "fwd_ms": round(fwd_ms, 3),
        "fwd_bwd_ms": round(fwd_bwd_ms, 3),
        "GB_per_s": round(moved / (fwd_bwd_ms * 1e-3) / 1e9, 2),
    }


def markdown(results: list[dict[str, Any]]) -> str:
    ok = sorted((r for r in results if r["status"] == "ok"), key=lambda r: -r["fwd_bwd_ms"])
    lines = [
        "| family | function | config | D | output MB | compile s | fwd ms | fwd+bwd ms | GB/s | note |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in ok:
        lines.append(
            f"| {r['family']} | {r['name']} | {r['config']} | {r['D']:,} | {r['output_MB']} | "
            f"{r['compile_s']} | {r['fwd_ms']} | {r['fwd_bwd_ms']} | {r['GB_per_s']} | {r.get('note', '')} |"
        )
    for r in results:
        if r["status"] != "ok":
            lines.append(f"| {r['family']} | {r['name']} | {r.get('config', '')} | | | | | | | "
                         f"{r['status']}{'; ' + r['note'] if r.get('note') else ''} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 repeats, 256 MB output cap")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--width", type=int, default=784, help="m (a 28×28 grid for geometric functions)")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--max-output-mb", type=float, default=1024.0)
    parser.add_argument("--family", choices=("expansion", "compression"), action="append")
    parser.add_argument("--only", default="", help="only functions whose name contains this")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.max_output_mb = 2, min(args.max_output_mb, 256.0)
    families = args.family or ["expansion", "compression"]
    entries = [e for f in families for e in registry.entries(f) if args.only in e.name]
    results = []
    for entry in entries:
        result = measure(entry, b=args.batch, m=args.width, repeats=args.repeats,
                         max_bytes=args.max_output_mb * 1e6)
        print(f"{entry.name}: {result['status']} {result.get('fwd_bwd_ms', '')}", file=sys.stderr)
        results.append(result)
    config = {
        "batch": args.batch, "width": args.width, "repeats": args.repeats,
        "max_output_mb": args.max_output_mb, "device": str(jax.devices()[0]),
        "jax": jax.__version__, "jaxbig": jaxbig.__version__,
    }
    print(json.dumps({"config": config, "results": results}, indent=2))
    print()
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
