"""Throughput of the run-length gamma codec against TensorFlow Compression's C++ kernels.

Run ``python benchmarks/codec.py`` (``--quick`` for fewer repetitions). It codes
rounded Laplace(scale 3) symbols at shapes (1, 4_000_000), (1000, 1000) and
(100000, 16) with ``PowerLawEntropyModel(coding_rank=1)`` — ``compress`` of the
float32 bottleneck and ``decompress`` of its strings, one string per row — and the
flat array with the raw ``run_length_gamma_encode`` / ``run_length_gamma_decode``.
It prints JSON, then a markdown table of Msym/s (symbols per second, millions;
median of the repetitions, wall clock and process CPU time) and bits per symbol.

TFC 2.14.1 on the same 2-core CPU (measured separately, quoted here): the raw ops
on a flat 4M tensor encode 44 and decode 30 Msym/s; its ``PowerLawEntropyModel``,
which maps the ops over the rows with ``tf.map_fn``, does 6.7 / 3.8 Msym/s at
(1000, 1000) and 0.13 / 0.07 Msym/s at (100000, 16). The ratio columns divide by
these figures. On a machine shared with other jobs wall-clock times swing; the CPU
time of this process leaves out the time it waited for a CPU (it counts XLA's
helper threads, so it can exceed the wall time).
"""

from __future__ import annotations

import argparse
import json
import time

import jax
import numpy as np

from jaxbig.entropy import PowerLawEntropyModel, run_length_gamma_decode, run_length_gamma_encode

SHAPES = ((1, 4_000_000), (1000, 1000), (100000, 16))
#: TFC 2.14.1 (encode, decode) Msym/s on this CPU: raw kernels on the flat tensor, else the model.
TFC = {"raw (1, 4000000)": (44.0, 30.0), "model (1000, 1000)": (6.7, 3.8), "model (100000, 16)": (0.13, 0.07)}


def _time(fn, reps: int) -> tuple[float, float]:
    """Median wall-clock and process-CPU seconds of ``fn()`` over ``reps`` runs (after a warm-up)."""
    jax.block_until_ready(fn())
    wall, cpu = [], []
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        jax.block_until_ready(fn())
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return float(np.median(wall)), float(np.median(cpu))


def run(reps: int) -> list[dict]:
    rng = np.random.default_rng(0)
    model = PowerLawEntropyModel(coding_rank=1)
    rows = []
    cases = [("raw", SHAPES[0])] + [("model", shape) for shape in SHAPES]
    for kind, shape in cases:
        symbols = np.round(rng.laplace(0.0, 3.0, shape)).astype(np.int32)
        count = symbols.size
        if kind == "raw":
            flat = jax.device_put(symbols.ravel())
            data = run_length_gamma_encode(flat)
            encode = lambda: run_length_gamma_encode(flat)  # noqa: E731
            decode = lambda: run_length_gamma_decode(data, flat.shape)  # noqa: E731
            nbytes = len(data)
            assert np.array_equal(decode(), symbols.ravel())
        else:
            x = jax.device_put(symbols.astype(np.float32))
            strings = model.compress(x)
            encode = lambda: model.compress(x)  # noqa: E731
            decode = lambda: model.decompress(strings, (shape[1],))  # noqa: E731
            nbytes = sum(map(len, strings.tolist()))
            assert np.array_equal(np.asarray(decode()), symbols)
        enc_wall, enc_cpu = _time(encode, reps)
        dec_wall, dec_cpu = _time(decode, reps)
        tfc = TFC.get(f"{kind} ({shape[0]}, {shape[1]})")
        row = {
            "case": f"{kind} ({shape[0]}, {shape[1]})",
            "symbols": count,
            "bits_per_symbol": 8 * nbytes / count,
            "encode_msym_s": count / enc_wall / 1e6,
            "decode_msym_s": count / dec_wall / 1e6,
            "encode_msym_s_cpu": count / enc_cpu / 1e6,
            "decode_msym_s_cpu": count / dec_cpu / 1e6,
            "tfc_encode_msym_s": tfc[0] if tfc else None,
            "tfc_decode_msym_s": tfc[1] if tfc else None,
        }
        rows.append(row)
    return rows


def markdown(rows: list[dict]) -> str:
    lines = [
        "| case | encode Msym/s (wall / cpu) | decode Msym/s (wall / cpu) | bits/symbol | TFC enc / dec | vs TFC enc / dec (wall) |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        tfc = (
            f"{r['tfc_encode_msym_s']:g} / {r['tfc_decode_msym_s']:g}"
            if r["tfc_encode_msym_s"] else "-"
        )
        ratio = (
            f"{r['encode_msym_s'] / r['tfc_encode_msym_s']:.1f}x / {r['decode_msym_s'] / r['tfc_decode_msym_s']:.1f}x"
            if r["tfc_encode_msym_s"] else "-"
        )
        lines.append(
            f"| {r['case']} | {r['encode_msym_s']:.1f} / {r['encode_msym_s_cpu']:.1f} "
            f"| {r['decode_msym_s']:.1f} / {r['decode_msym_s_cpu']:.1f} | {r['bits_per_symbol']:.3f} "
            f"| {tfc} | {ratio} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repetitions instead of 15")
    args = parser.parse_args()
    rows = run(3 if args.quick else 15)
    print(json.dumps({"benchmark": "codec", "device": str(jax.devices()[0]), "rows": rows}, indent=2))
    print()
    print(markdown(rows))


if __name__ == "__main__":
    main()
