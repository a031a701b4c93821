"""``python -m jaxbig demo``: a quick run prints one JSON object with the promised results,
its decoded features equal the quantized ones, and it writes the plot and results.json."""

import json
import pathlib
import subprocess
import sys

import pytest

from jaxbig.__main__ import main

KEYS = {"test_accuracy", "parameters", "bits_per_symbol", "compressed_bytes", "symbols",
        "decoded_equals_quantized", "wall_time_s", "compile_s", "dataset", "epochs", "seed", "alpha",
        "penalty_weight", "plot"}


def test_quick_demo_prints_only_json_with_the_promised_results(tmp_path):
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "jaxbig", "demo", "--quick", "--json", "--seed", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(run.stdout)  # stdout holds the JSON object and nothing else
    assert KEYS <= set(results), KEYS - set(results)
    assert results["decoded_equals_quantized"] is True
    assert results["epochs"] == 2 and results["seed"] == 1
    assert results["symbols"] == results["test_examples"] * results["hidden_features"]
    assert results["bits_per_symbol"] == 8 * results["compressed_bytes"] / results["symbols"]
    assert 0.0 <= results["test_accuracy"] <= 1.0
    saved = json.loads((out / "results.json").read_text())
    assert saved["test_accuracy"] == results["test_accuracy"]
    assert pathlib.Path(results["plot"]).read_bytes()[:4] == b"\x89PNG"


def test_demo_help_documents_its_options(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    for option in ("--epochs", "--seed", "--alpha", "--penalty-weight", "--out", "--mnist", "--json", "--quick"):
        assert option in text


def test_demo_rejects_bad_options(capsys):
    assert main(["demo", "--alpha", "0"]) == 2
    assert "--alpha must be > 0" in capsys.readouterr().err


def test_listing_stays_the_default_command(capsys):
    assert main([]) == 0
    assert "registered functions" in capsys.readouterr().out
