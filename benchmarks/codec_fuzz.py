"""Fuzzes the run-length gamma decoder: outcome counts, agreement with TFC, time per case.

Run ``python benchmarks/codec_fuzz.py`` (100,000 cases; ``--quick`` for 5,000,
``--cases N`` for another count). Every case decodes one byte string with
``run_length_gamma_decode`` and counts the outcome: decoded, each
``CorruptDataError.reason`` (truncated, gamma_width, run_past_end), or crash (any
other exception). The strings are random bytes (short and long, all-0x00,
all-0xFF, long runs of zero bits), valid codes with bits flipped, cut short or
extended with garbage, and valid codes decoded with the wrong symbol count. Each outcome is checked against a
line-by-line Python transliteration of TFC's C++ decoder
(``tests/entropy/tfc_reference.py``): the same values, or an error where TFC errs.
A case slower than ``--hang`` seconds (default 2) counts as a hang. It prints JSON,
then a markdown table.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import time

import numpy as np

from jaxbig.entropy import CorruptDataError, run_length_gamma_decode, run_length_gamma_encode

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "entropy"))
import tfc_reference  # noqa: E402


def _valid(rng: np.random.Generator) -> tuple[bytes, int]:
    n = int(rng.integers(1, 300))
    scale = float(rng.choice([0.5, 3.0, 100.0, 1e6]))
    symbols = np.round(rng.laplace(0, scale, n) * (rng.random(n) < rng.random())).clip(-(2**31), 2**31 - 1)
    return run_length_gamma_encode(symbols.astype(np.int64)), n


def make_case(rng: np.random.Generator) -> tuple[str, bytes, int]:
    """One fuzz case: ``(kind, data, n)``."""
    kind = rng.choice(["random", "random_long", "constant", "unary", "flipped", "cut", "extended", "wrong_n"],
                      p=[0.2, 0.05, 0.05, 0.05, 0.25, 0.15, 0.1, 0.15])
    if kind == "unary":  # a long run of zero bits: gamma codes of values wider than 31 bits
        head, tail = rng.integers(0, 256, (2, int(rng.integers(0, 8))), dtype=np.uint8)
        zeros = bytes(int(rng.integers(3, 9)))
        return kind, head.tobytes() + zeros + bytes([int(rng.integers(1, 256))]) + tail.tobytes(), int(rng.integers(0, 400))
    if kind in ("random", "random_long"):
        size = int(rng.integers(0, 65 if kind == "random" else 4096))
        return kind, rng.integers(0, 256, size, dtype=np.uint8).tobytes(), int(rng.integers(0, 400))
    if kind == "constant":
        return kind, bytes([int(rng.choice([0x00, 0xFF]))]) * int(rng.integers(0, 64)), int(rng.integers(0, 400))
    data, n = _valid(rng)
    if kind == "flipped" and data:
        buf = bytearray(data)
        for _ in range(int(rng.integers(1, 4))):
            k = int(rng.integers(0, 8 * len(buf)))
            buf[k >> 3] ^= 1 << (k & 7)
        data = bytes(buf)
    elif kind == "cut":
        data = data[: int(rng.integers(0, len(data) + 1))]
    elif kind == "extended":
        data = data + rng.integers(0, 256, int(rng.integers(1, 16)), dtype=np.uint8).tobytes()
    elif kind == "wrong_n":
        n = max(0, n + int(rng.integers(-5, 6)))
    return str(kind), data, n


def run(cases: int, hang: float, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    outcomes: collections.Counter = collections.Counter()
    kinds: collections.Counter = collections.Counter()
    disagreements, crashes, hangs, times = [], [], [], np.empty(cases)
    for k in range(cases):
        kind, data, n = make_case(rng)
        kinds[kind] += 1
        start = time.perf_counter()
        try:
            got, outcome = run_length_gamma_decode(data, (n,)), "decoded"
        except CorruptDataError as error:
            got, outcome = None, error.reason
        except Exception as error:  # noqa: BLE001 - a crash is what this script looks for
            got, outcome = None, "crash"
            crashes.append((k, kind, data.hex(), n, repr(error)))
        times[k] = time.perf_counter() - start
        if times[k] > hang:
            hangs.append((k, kind, float(times[k])))
        outcomes[outcome] += 1
        try:
            expected = tfc_reference.decode(data, n)
        except tfc_reference.DataLoss:
            expected = None
        agree = (expected is None) == (got is None) and (got is None or np.array_equal(got, expected))
        if not agree and outcome != "crash":
            disagreements.append((k, kind, data.hex(), n))
    return {
        "cases": cases,
        "seed": seed,
        "outcomes": dict(outcomes),
        "kinds": dict(kinds),
        "crashes": crashes[:10],
        "hangs": hangs[:10],
        "disagreements_with_tfc": len(disagreements),
        "disagreement_examples": disagreements[:10],
        "seconds_per_case": {
            "median": float(np.median(times)),
            "p99": float(np.quantile(times, 0.99)),
            "max": float(times.max()),
        },
    }


def markdown(result: dict) -> str:
    lines = ["| outcome | cases |", "|---|---|"]
    for name in ("decoded", "truncated", "gamma_width", "run_past_end", "crash"):
        lines.append(f"| {name} | {result['outcomes'].get(name, 0)} |")
    t = result["seconds_per_case"]
    lines.append(f"| hangs (> limit) | {len(result['hangs'])} |")
    lines.append(f"| disagreements with TFC | {result['disagreements_with_tfc']} |")
    lines.append(
        f"| time per case (median / p99 / max) | {1e3 * t['median']:.2f} / {1e3 * t['p99']:.2f} / {1e3 * t['max']:.1f} ms |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 cases")
    parser.add_argument("--cases", type=int, default=None, help="number of cases (default 100,000)")
    parser.add_argument("--hang", type=float, default=2.0, help="seconds after which a case counts as a hang")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    cases = args.cases or (5000 if args.quick else 100_000)
    result = run(cases, args.hang, args.seed)
    print(json.dumps({"benchmark": "codec_fuzz", **result}, indent=2))
    print()
    print(markdown(result))
    if result["outcomes"].get("crash") or result["hangs"] or result["disagreements_with_tfc"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
