"""``python -m jaxbig demo``: an RPN with a power-law bottleneck, trained on handwritten digits.

The model is ``RPN([encoder, bottleneck, classifier])``: an RPN layer maps the 64
pixels of an 8×8 digit (or the 784 of an MNIST image, with ``--mnist``) to a few
hidden features, a :class:`jaxbig.nn.PowerLawBottleneck` rounds them to integers
(straight-through) and charges the power-law penalty ``log((|y| + α)/α)``, and a
second RPN layer classifies the integers. The loss is the cross-entropy plus the
penalty weight times the mean penalty per hidden feature. After training the demo
compresses the test set's integer features with the run-length Elias-gamma code,
decodes them back, checks that the decoded integers equal the quantized ones, and
reports accuracy, parameters, bits per symbol, bytes and time; it writes a
loss/accuracy plot and ``results.json`` to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import sys
import time
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from jaxbig import config
from jaxbig.data import load_digits, load_mnist
from jaxbig.nn import RPN, PowerLawBottleneck, RPNLayer, count_params
from jaxbig.train import Trainer, accuracy, code_features, cross_entropy, eval_view

__all__ = [
    "DEFAULTS",
    "DESCRIPTION",
    "build_model",
    "entropy_model",
    "hidden_features",
    "main",
    "make_loss",
    "make_optimizer",
    "run",
]

DESCRIPTION = (
    "Trains an RPN whose hidden features pass through a power-law bottleneck on the 8x8 handwritten "
    "digits shipped with jaxbig (or MNIST files you give), compresses the test set's features with "
    "the run-length Elias-gamma code, checks that they decode exactly, prints a table of the results "
    "and writes a loss/accuracy plot and results.json to --out. About a minute on 2 CPU cores."
)

#: The demo's settings (the command line's defaults).
DEFAULTS: dict[str, Any] = {
    "epochs": 30,
    "seed": 0,
    "alpha": 1.0,
    "penalty_weight": 1.0,
    "hidden": 16,
    "batch_size": 64,
    "lr": 3e-3,
    "out": "jaxbig-output",
}
QUICK_EPOCHS = 2


def _head(transformation: Any) -> dict[str, Any]:
    """Head keywords: κ followed by LayerNorm (as tinyBIG's MNIST configs), identity ψ, linear π."""
    return dict(transformation=transformation, fabrication="identity_reconciliation",
                remainder="linear_remainder", transformation_postprocess=["torch.nn.LayerNorm"])


def build_model(*, seed: int, alpha: float, hidden: int = DEFAULTS["hidden"], m: int = 64,
                classes: int = 10) -> RPN:
    """The demo's RPN: ``m → hidden`` (Taylor d=2, or B-spline for wide inputs), bottleneck, ``hidden → classes``.

    With the defaults it is the model of the shipped config ``digits_demo``
    (``jaxbig.config.build("digits_demo")`` gives the same parameters for seed 0).

    Args:
      seed: seed of the parameters.
      alpha: the bottleneck's α.
      hidden: the number of hidden (compressed) features.
      m: input width (64 for the digits, 784 for MNIST).
      classes: the number of classes.
    """
    rngs = nnx.Rngs(seed)
    # Degree-2 Taylor features of 784 pixels would be 615,440 wide; MNIST uses B-splines.
    first = ({"function_class": "taylor_expansion", "function_parameters": {"d": 2}} if m <= 128 else
             {"function_class": "bspline_expansion", "function_parameters": {"t": 5, "d": 3, "grid_range": [0, 1]}})
    second = {"function_class": "taylor_expansion", "function_parameters": {"d": 2}}
    return RPN([
        RPNLayer(m, hidden, head=_head(first), rngs=rngs),
        PowerLawBottleneck(1, alpha=alpha),
        RPNLayer(hidden, classes, head=_head(second), rngs=rngs),
    ])


def hidden_features(model: RPN, x: jax.Array) -> jax.Array:
    """The encoder's real-valued hidden features of ``x`` (what the bottleneck quantizes), ``(b, hidden)``."""
    return model.layers[0](x)


def entropy_model(model: RPN) -> Any:
    """The pure :class:`jaxbig.entropy.PowerLawEntropyModel` of the model's bottleneck."""
    return model.layers[1].entropy_model


def make_loss(penalty_weight: float | None):
    """Cross-entropy plus ``penalty_weight`` × the bottleneck's mean penalty per hidden feature.

    Args:
      penalty_weight: the weight λ; ``None`` reads it from the batch instead, which
        is then ``(x, y, λ)`` with ``λ`` an array of one value per example (so one
        compiled step serves a sweep over λ).
    """

    def loss_fn(model: RPN, batch: Any) -> tuple[jax.Array, dict[str, jax.Array]]:
        x, y = batch[0], batch[1]
        weight = jnp.mean(batch[2]) if penalty_weight is None else penalty_weight
        logits, aux = model(x, return_aux=True)
        ce = cross_entropy(logits, y)
        per_feature = jnp.mean(aux[1]) / model.layers[0].n_out  # the bottleneck's rate per feature
        return ce + weight * per_feature, {"accuracy": accuracy(logits, y), "cross_entropy": ce,
                                           "penalty": per_feature}

    return loss_fn


def make_optimizer(lr: float, epochs: int, steps_per_epoch: int) -> optax.GradientTransformation:
    """The optimizer of the shipped ``digits_demo`` config with its peak ``lr`` and ``T_max = epochs``.

    AdamW (weight decay 1e-4) with PyTorch's ``CosineAnnealingLR`` stepped once per
    epoch, as :func:`jaxbig.config.learner` translates it.
    """
    settings = config.load("digits_demo")
    learner = settings["configurations"]["learner_configs"]["learner_parameters"]
    learner["optimizer_configs"]["optimizer_parameters"]["lr"] = lr
    learner["lr_scheduler_configs"]["lr_scheduler_parameters"]["T_max"] = epochs
    return config.learner(settings, steps_per_epoch=steps_per_epoch)[0]


def _compress(model: RPN, x: np.ndarray) -> dict[str, Any]:
    """Codes the test set's integer features, decodes them, and checks the round trip."""
    view = eval_view(model)
    return code_features(entropy_model(view), hidden_features(view, jnp.asarray(x))).asdict()


def run(options: argparse.Namespace | dict[str, Any], *, progress: bool = True) -> dict[str, Any]:
    """Trains and evaluates the demo; returns its results (see :func:`main`)."""
    o = dict(DEFAULTS, **(vars(options) if isinstance(options, argparse.Namespace) else options))
    start = time.perf_counter()
    split = load_mnist(o["mnist"]) if o.get("mnist") else load_digits(seed=o["seed"])
    dataset = "MNIST" if o.get("mnist") else "UCI 8x8 digits"
    epochs = QUICK_EPOCHS if o.get("quick") else o["epochs"]
    steps_per_epoch = len(split.x_train) // o["batch_size"]
    model = build_model(seed=o["seed"], alpha=o["alpha"], hidden=o["hidden"], m=split.x_train.shape[1],
                        classes=int(split.y_train.max()) + 1)
    trainer = Trainer(model, make_optimizer(o["lr"], epochs, steps_per_epoch),
                      loss_fn=make_loss(o["penalty_weight"]))
    history = trainer.fit((split.x_train, split.y_train), epochs=epochs, batch_size=o["batch_size"],
                          seed=o["seed"], eval_data=(split.x_test, split.y_test), progress=progress)
    train_s = time.perf_counter() - start
    evaluation = history.last()
    coding = _compress(trainer.model, split.x_test)
    results = {
        "dataset": dataset,
        "train_examples": int(len(split.x_train)),
        "test_examples": int(len(split.x_test)),
        "epochs": epochs,
        "seed": o["seed"],
        "alpha": o["alpha"],
        "penalty_weight": o["penalty_weight"],
        "hidden_features": o["hidden"],
        "test_accuracy": evaluation["eval_accuracy"],
        "test_cross_entropy": evaluation["eval_cross_entropy"],
        "parameters": count_params(trainer.model),
        **coding,
        "compile_s": trainer.first_step_s,
        "train_s": train_s,
        "wall_time_s": time.perf_counter() - start,
        "history": history.epochs,
    }
    out = pathlib.Path(o["out"])
    out.mkdir(parents=True, exist_ok=True)
    results["plot"], results["plot_note"] = _plot(history.epochs, out / "training.png")
    (out / "results.json").write_text(json.dumps(results, indent=2))
    return results


def _plot(history: list[dict[str, float]], path: pathlib.Path) -> tuple[str | None, str | None]:
    """Writes the loss and accuracy curves; returns ``(path, None)`` or ``(None, why not)``."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None, "plot skipped: matplotlib is not installed (pip install 'jaxbig[plot]')"
    epochs = [r["epoch"] for r in history]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(epochs, [r["train_loss"] for r in history], label="train loss")
    left.plot(epochs, [r["eval_loss"] for r in history], label="test loss")
    left.plot(epochs, [r["eval_penalty"] for r in history], label="test penalty / feature")
    left.set_xlabel("epoch"), left.set_yscale("log"), left.legend()
    right.plot(epochs, [r["train_accuracy"] for r in history], label="train")
    right.plot(epochs, [r["eval_accuracy"] for r in history], label="test")
    right.set_xlabel("epoch"), right.set_ylabel("accuracy"), right.legend()
    fig.suptitle("RPN with a power-law bottleneck")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return str(path), None


def format_table(results: dict[str, Any]) -> str:
    """The results as an aligned text table."""
    rows = [
        ("data set", f"{results['dataset']} ({results['train_examples']} train / "
                     f"{results['test_examples']} test)"),
        ("test accuracy", f"{results['test_accuracy']:.4f}"),
        ("parameters", f"{results['parameters']:,}"),
        ("hidden features", f"{results['hidden_features']} per image, "
                            f"{results['nonzero_fraction']:.1%} non-zero"),
        ("bits / symbol", f"{results['bits_per_symbol']:.3f}"),
        ("compressed features", f"{results['compressed_bytes']:,} bytes for {results['symbols']:,} symbols "
                                f"(float32: {4 * results['symbols']:,} bytes)"),
        ("decoded == quantized", "yes" if results["decoded_equals_quantized"] else "NO"),
        ("compile + first step", f"{results['compile_s']:.1f} s"),
        ("wall time", f"{results['wall_time_s']:.1f} s"),
        ("plot", results["plot"] or results["plot_note"]),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The demo's command-line options."""
    d = DEFAULTS
    parser.add_argument("--epochs", type=int, default=d["epochs"], help=f"training epochs (default {d['epochs']})")
    parser.add_argument("--seed", type=int, default=d["seed"], help="seed of parameters, split and batches")
    parser.add_argument("--alpha", type=float, default=d["alpha"],
                        help=f"α of the power-law penalty log((|y|+α)/α) (default {d['alpha']})")
    parser.add_argument("--penalty-weight", type=float, default=d["penalty_weight"],
                        help=f"weight of the penalty per feature in the loss (default {d['penalty_weight']})")
    parser.add_argument("--hidden", type=int, default=d["hidden"],
                        help=f"number of compressed hidden features (default {d['hidden']})")
    parser.add_argument("--batch-size", type=int, default=d["batch_size"], help="examples per step")
    parser.add_argument("--lr", type=float, default=d["lr"],
                        help=f"peak learning rate of AdamW with per-epoch cosine annealing (default {d['lr']})")
    parser.add_argument("--out", default=d["out"], help=f"output folder for the plot and results.json "
                                                         f"(default ./{d['out']})")
    parser.add_argument("--mnist", metavar="PATH", default=None,
                        help="train on MNIST from PATH (a folder of IDX files, gzipped or not, or an .npz) "
                             "instead of the shipped digits")
    parser.add_argument("--json", action="store_true",
                        help="print the results as one JSON object on stdout (progress goes to stderr)")
    parser.add_argument("--quick", action="store_true", help=f"train {QUICK_EPOCHS} epochs only (a smoke test)")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def main(args: argparse.Namespace) -> int:
    """Runs the demo from parsed command-line options; returns the exit status."""
    for name in ("epochs", "hidden", "batch_size"):
        if getattr(args, name) < 1:
            print(f"demo: --{name.replace('_', '-')} must be >= 1", file=sys.stderr)
            return 2
    if not (args.alpha > 0 and math.isfinite(args.alpha)) or args.penalty_weight < 0:
        print("demo: --alpha must be > 0 and --penalty-weight >= 0", file=sys.stderr)
        return 2
    results = run(args, progress=not args.no_progress)
    if results["plot"] is None:
        print(f"demo: {results['plot_note']}", file=sys.stderr)
    if args.json:
        print(json.dumps({k: v for k, v in results.items() if k != "history"}))
    else:
        print(format_table(results))
    return 0 if results["decoded_equals_quantized"] else 1
