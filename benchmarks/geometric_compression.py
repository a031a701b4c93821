"""Geometric (patch) compression: three ways to read the patches, timed in one run.

Run from the repository root::

    python benchmarks/geometric_compression.py          # b = 256, full repeats
    python benchmarks/geometric_compression.py --quick  # fewer repeats

Pooling (max and mean) over packed patches of a ``channel_num × h × w`` grid — the
pooling layer of tinyBIG's grid models — with the patches read

* ``slices``: :func:`jaxbig.ops.gather_patches`, one strided slice of the padded grid
  per patch cell (what :mod:`jaxbig.compression` uses; its transpose is a pad);
* ``take``: ``jnp.take`` on the static index array (its transpose is a scatter-add);
* ``dense``: ``x @ A`` with tinyBIG's padding matrix ``A`` of shape
  ``(h·w·d, num_patches·patch_size)`` (what tinyBIG computes, as a dense matmul;
  skipped where ``A`` would exceed 64 MB).

For each configuration it reports the median wall time of the jitted forward pass and
of forward + VJP (``jax.block_until_ready``, after a warm-up), and the ratios to
``slices`` measured in the same run. Prints one JSON object, then a markdown table.
"""

from __future__ import annotations

import argparse
import json

import jax
import jax.numpy as jnp

from _timing import median_ms

from jaxbig.ops import Cuboid, Sphere, gather_patches, padding_matrix, patch_indices

CONFIGS = [  # (name, grid (h, w, d), channels, patch, strides)
    ("MNIST 28x28, 3x3 cuboid, stride 1", (28, 28, 1), 1, Cuboid(p_h=1, p_w=1), (1, 1, 1)),
    ("MNIST 28x28, 2x2 cuboid, stride 2", (28, 28, 1), 1,
     Cuboid(p_h=0, p_w=0, p_h_prime=1, p_w_prime=1), (2, 2, 1)),
    ("CIFAR 32x32x3ch, 3x3 cuboid, stride 2", (32, 32, 1), 3, Cuboid(p_h=1, p_w=1), (2, 2, 1)),
    ("16x16x8 grid, sphere r=2, stride 1", (16, 16, 8), 1, Sphere(p_r=2), (1, 1, 1)),
]


#: The dense route is skipped where tinyBIG's padding matrix would exceed this many bytes.
DENSE_LIMIT = 64 * 2**20


def _readers(pi, channels):
    readers = {}

    def slices(x):
        return gather_patches(x.reshape(x.shape[0], channels, -1), pi)

    def take(x):
        grid = x.reshape(x.shape[0], channels, -1)
        return jnp.take(grid, pi.index, axis=-1, mode="fill", fill_value=0)

    readers = {"slices": slices, "take": take}
    if pi.grid_size * pi.num_patches * pi.patch_size * 4 <= DENSE_LIMIT:
        a = jnp.asarray(padding_matrix(pi))

        def dense(x):
            grid = x.reshape(x.shape[0] * channels, -1)
            return (grid @ a).reshape(x.shape[0], channels, pi.num_patches, pi.patch_size)

        readers["dense"] = dense
    return readers



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args()
    repeats = 5 if args.quick else 30
    rows = []
    for name, grid, channels, patch, strides in CONFIGS:
        pi = patch_indices(grid, patch, cd_h=strides[0], cd_w=strides[1], cd_d=strides[2])
        x = jax.random.normal(jax.random.key(0), (args.batch, channels * pi.grid_size))
        cot = jax.random.normal(jax.random.key(1), (args.batch, channels * pi.num_patches))
        for metric, reduce in (("max", jnp.max), ("mean", jnp.mean)):
            result = {"config": name, "metric": metric, "P": pi.num_patches, "p": pi.patch_size}
            for reader, read in _readers(pi, channels).items():
                pool = lambda v, read=read: reduce(read(v), axis=-1).reshape(v.shape[0], -1)
                fwd = jax.jit(pool)
                fwd_bwd = jax.jit(lambda v, c, pool=pool: jax.vjp(pool, v)[1](c)[0])
                result[f"{reader}_fwd_ms"] = round(median_ms(fwd, x, repeats=repeats), 3)
                result[f"{reader}_fwd_bwd_ms"] = round(median_ms(fwd_bwd, x, cot, repeats=repeats), 3)
            for reader in ("take", "dense"):
                if f"{reader}_fwd_bwd_ms" in result:
                    result[f"{reader}/slices_fwd_bwd"] = round(
                        result[f"{reader}_fwd_bwd_ms"] / result["slices_fwd_bwd_ms"], 2)
            rows.append(result)
    print(json.dumps({"device": str(jax.devices()[0]), "batch": args.batch, "results": rows},
                     indent=2))
    print()
    print("| config | metric | P×p | slices fwd ms | slices fwd+bwd ms | take fwd+bwd ms "
          "| dense fwd+bwd ms | take/slices | dense/slices |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        dense = lambda key: r.get(key, "skipped (A > 64 MB)")
        print(f"| {r['config']} | {r['metric']} | {r['P']}×{r['p']} | {r['slices_fwd_ms']} "
              f"| {r['slices_fwd_bwd_ms']} | {r['take_fwd_bwd_ms']} | {dense('dense_fwd_bwd_ms')} "
              f"| {r['take/slices_fwd_bwd']} | {dense('dense/slices_fwd_bwd')} |")


if __name__ == "__main__":
    main()
