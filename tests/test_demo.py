"""``python -m jaxbig demo``: a quick run prints one JSON object with the promised results,
its decoded features equal the quantized ones, and it writes the plot and results.json."""

import json
import pathlib
import subprocess
import sys

import numpy as np
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


def test_missing_matplotlib_skips_the_plot_and_says_how_to_get_it(monkeypatch, tmp_path):
    from jaxbig import demo

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    path, note = demo._plot([{"epoch": 1, "train_loss": 1.0, "eval_loss": 1.0, "eval_penalty": 1.0,
                              "train_accuracy": 0.5, "eval_accuracy": 0.5}], tmp_path / "p.png")
    assert path is None and "pip install 'jaxbig[plot]'" in note
    assert not (tmp_path / "p.png").exists()


def test_demo_trains_on_user_supplied_mnist_files(tmp_path):
    from jaxbig import demo

    rng = np.random.default_rng(0)
    for prefix, size in (("train", 128), ("t10k", 32)):
        labels = rng.integers(0, 10, size=size).astype(np.uint8)
        images = (rng.uniform(size=(size, 28, 28)) * 60 + labels[:, None, None] * 19).astype(np.uint8)
        for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
            header = bytes([0, 0, 8, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
            (tmp_path / f"{prefix}-{kind}-ubyte").write_bytes(header + array.tobytes())
    results = demo.run({"mnist": str(tmp_path), "quick": True, "out": str(tmp_path / "out"), "hidden": 4},
                       progress=False)
    assert results["dataset"] == "MNIST" and results["test_examples"] == 32
    assert results["symbols"] == 32 * 4 and results["decoded_equals_quantized"]
