"""Times one training step of RPN heads, and the demo model's compile time and step rate.

Run from the repository root::

    python benchmarks/rpn_head.py            # median of 7 runs of 50 steps each
    python benchmarks/rpn_head.py --quick    # a short run (fewer steps)

Measured, all at batch 256, float32, with a jitted step that donates its buffers
(forward, MSE loss, backward with respect to the parameters only, SGD lr 1e-3):

* (a) ``m=64``, Taylor expansion ``d=2`` (``D = 64 + 64² = 4160``), identity
  reconciliation, ``n=64``, zero remainder — its GFLOP/s (the two ``256×4160×64``
  matrix products of the forward pass and the weight gradient) next to those of a
  plain ``jnp.dot`` pair of the same size, the matmul limit of the machine;
* (b) ``m=784``, B-spline expansion ``t=5, d=3`` (``D = 784·8 = 6272``), low-rank
  reconciliation ``r=4``, ``n=64``, linear remainder;
* the demo model (``python -m jaxbig demo``): compile time of its train step and
  steps per second at its batch size.

Compile times are those of the first call of the jitted step (compilation plus one
step). The cases are timed in turn within each round, so machine noise hits them
alike.

tinyBIG 0.2.1 (torch 2.13, 2 CPU cores) takes about 2.6 ms for (a) and 17 ms for
(b) (median of 7); the table gives jaxbig's times and the speed-ups against those
reference numbers. Prints one JSON object, then a markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from jaxbig.nn import RPNHead, count_params
from jaxbig.train import Trainer, regression_loss

TINYBIG_MS = {"a": 2.6, "b": 17.0}
BATCH = 256


def _median_step_ms(runs: dict, *, steps: int, repeats: int) -> dict:
    """Median over ``repeats`` rounds of the mean time of ``steps`` consecutive calls, per entry.

    ``runs`` maps a name to ``(step, batch)``. The entries are timed in turn within each
    round, so that machine noise hits them alike and their ratios stay fair.
    """
    for step, batch in runs.values():  # compile and warm up
        jax.block_until_ready(step(batch))
        jax.block_until_ready(step(batch))
    times: dict = {name: [] for name in runs}
    for _ in range(repeats):
        for name, (step, batch) in runs.items():
            tic = time.perf_counter()
            for _ in range(steps):
                out = step(batch)
            jax.block_until_ready(out)
            times[name].append((time.perf_counter() - tic) / steps * 1e3)
    return {name: statistics.median(values) for name, values in times.items()}


def _head_case(name: str, m: int, n: int, **functions) -> tuple[RPNHead, tuple[jax.Array, jax.Array]]:
    head = RPNHead(m, n, **functions, rngs=nnx.Rngs(0))
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(BATCH, m)).astype(np.float32)
    y = rng.normal(size=(BATCH, n)).astype(np.float32)
    return head, (jnp.asarray(x), jnp.asarray(y))


def _matmul_pair(D: int, n: int):
    """The forward and weight-gradient products of a (BATCH, D) @ (D, n) layer, as one jitted step."""
    rng = np.random.default_rng(0)
    x = jnp.asarray(rng.normal(size=(BATCH, D)).astype(np.float32))
    w = jnp.asarray(rng.normal(size=(D, n)).astype(np.float32))
    g = jnp.asarray(rng.normal(size=(BATCH, n)).astype(np.float32))

    @jax.jit
    def pair(w, batch):
        x, g = batch
        return jnp.dot(x, w), jnp.dot(x.T, g)

    return (lambda batch: pair(w, batch)), (x, g)


def run(quick: bool) -> dict:
    steps, repeats = (10, 3) if quick else (50, 7)
    results: dict = {"device": jax.devices()[0].device_kind, "cpu_count": jax.local_device_count(),
                     "batch": BATCH, "steps_per_run": steps, "runs": repeats, "cases": {}}
    cases = {
        "a": (64, 64, dict(transformation={"function_class": "taylor_expansion", "function_parameters": {"d": 2}},
                           fabrication="identity_reconciliation", remainder="zero_remainder")),
        "b": (784, 64, dict(transformation={"function_class": "bspline_expansion",
                                            "function_parameters": {"t": 5, "d": 3}},
                            fabrication={"function_class": "lorr_reconciliation", "function_parameters": {"r": 4}},
                            remainder="linear_remainder")),
    }
    runs, heads, compile_s = {}, {}, {}
    for key, (m, n, functions) in cases.items():
        head, batch = _head_case(key, m, n, **functions)
        trainer = Trainer(head, optax.sgd(1e-3), loss_fn=regression_loss)
        trainer.step(batch)
        compile_s[key] = trainer.first_step_s  # compilation and one step
        runs[key], heads[key] = (trainer.step, batch), head
    runs["matmul"] = _matmul_pair(heads["a"].D, heads["a"].n)
    ms = _median_step_ms(runs, steps=steps, repeats=repeats)
    for key, head in heads.items():
        results["cases"][key] = {"m": head.m, "n": head.n, "D": head.D, "params": count_params(head),
                                 "step_ms": ms[key], "compile_s": compile_s[key],
                                 "tinybig_ms": TINYBIG_MS[key], "speedup": TINYBIG_MS[key] / ms[key]}
    a = results["cases"]["a"]
    flops = 2 * 2 * BATCH * a["D"] * a["n"]
    a["gflops"] = flops / a["step_ms"] / 1e6
    a["matmul_ms"] = ms["matmul"]
    a["matmul_gflops"] = flops / ms["matmul"] / 1e6
    results["demo"] = _demo_model(steps=steps, repeats=repeats)
    return results


def _demo_model(*, steps: int, repeats: int) -> dict:
    from jaxbig import demo

    model = demo.build_model(seed=0, alpha=demo.DEFAULTS["alpha"])
    trainer = Trainer(model, demo.make_optimizer(demo.DEFAULTS["lr"], demo.DEFAULTS["epochs"], 22),
                      loss_fn=demo.make_loss(demo.DEFAULTS["penalty_weight"]))
    rng = np.random.default_rng(0)
    batch_size = demo.DEFAULTS["batch_size"]
    batch = (jnp.asarray(rng.uniform(size=(batch_size, 64)).astype(np.float32)),
             jnp.asarray(rng.integers(0, 10, size=batch_size).astype(np.int32)))
    trainer.step(batch)
    compile_s = trainer.first_step_s  # compilation and one step
    ms = _median_step_ms({"demo": (trainer.step, batch)}, steps=steps, repeats=repeats)["demo"]
    return {"batch": batch_size, "params": count_params(trainer.model), "compile_s": compile_s,
            "step_ms": ms, "steps_per_s": 1e3 / ms}


def markdown(results: dict) -> str:
    a, b, d = results["cases"]["a"], results["cases"]["b"], results["demo"]
    rows = [
        "| case | jaxbig step (ms) | tinyBIG 0.2.1 (ms) | speed-up | compile (s) |",
        "|---|---:|---:|---:|---:|",
        f"| (a) taylor d=2, identity, m=n=64, D=4160 | {a['step_ms']:.3f} | {a['tinybig_ms']} | "
        f"{a['speedup']:.2f}x | {a['compile_s']:.2f} |",
        f"| (b) bspline t=5 d=3, lorr r=4, linear remainder, m=784, n=64, D=6272 | {b['step_ms']:.3f} | "
        f"{b['tinybig_ms']} | {b['speedup']:.2f}x | {b['compile_s']:.2f} |",
        f"| demo model (batch {d['batch']}, {d['params']:,} params) | {d['step_ms']:.3f} "
        f"({d['steps_per_s']:.0f} steps/s) | - | - | {d['compile_s']:.2f} |",
        "",
        f"(a) reaches {a['gflops']:.1f} GFLOP/s; a plain `jnp.dot` pair of the same size "
        f"(forward and weight gradient, {a['matmul_ms']:.3f} ms) reaches {a['matmul_gflops']:.1f} GFLOP/s.",
    ]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run")
    args = parser.parse_args(argv)
    results = run(args.quick)
    print(json.dumps(results, indent=2))
    print()
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
