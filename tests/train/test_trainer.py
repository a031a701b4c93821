"""Trainer: the jitted step is exact SGD, fits are deterministic, divergence stops early,
checkpoints restore bit for bit and resume continues exactly, ensembles equal separate models."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from flax import nnx

from jaxbig.nn import RPN, RPNLayer
from jaxbig.train import DivergenceError, Ensemble, Trainer, checkpoint, classification_loss, regression_loss


ADAM = optax.adam(1e-2)  # one optimizer object: trainers of one architecture share a compiled step


def _factory(rngs):
    """A small two-layer RPN with dropout, so random streams matter."""
    hidden = RPNLayer(4, 6, head=dict(transformation={"function_class": "taylor_expansion"},
                                      fabrication="identity_reconciliation", remainder="linear_remainder",
                                      output_process=["relu", "torch.nn.Dropout"]), rngs=rngs)
    out = RPNLayer(6, 3, head=dict(transformation="identity_expansion", fabrication="identity_reconciliation",
                                   remainder="zero_remainder"), rngs=rngs)
    return RPN([hidden, out])


def _data(n=48):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int32) + (x[:, 1] > 1).astype(np.int32)
    return x, y


def _params(model):
    return jax.tree.leaves(nnx.state(model))


def _assert_identical(a, b):
    for p, q in zip(_params(a), _params(b), strict=True):
        if jnp.issubdtype(p.dtype, jax.dtypes.prng_key):
            p, q = jax.random.key_data(p), jax.random.key_data(q)
        np.testing.assert_array_equal(np.asarray(p), np.asarray(q))


def test_step_is_one_sgd_step_on_the_gradient():
    model = nnx.Linear(3, 2, rngs=nnx.Rngs(0))
    x = jnp.arange(12.0).reshape(4, 3) / 10
    y = jnp.ones((4, 2))
    kernel, bias = model.kernel[...], model.bias[...]

    def loss(k, b):
        return jnp.mean((x @ k + b - y) ** 2)

    value, (gk, gb) = jax.value_and_grad(loss, argnums=(0, 1))(kernel, bias)
    trainer = Trainer(model, optax.sgd(0.5), loss_fn=regression_loss)
    metrics = trainer.step((x, y))
    np.testing.assert_allclose(metrics["loss"], value, rtol=1e-6)
    np.testing.assert_allclose(trainer.model.kernel[...], kernel - 0.5 * gk, rtol=1e-6)
    np.testing.assert_allclose(trainer.model.bias[...], bias - 0.5 * gb, rtol=1e-6)


def test_fit_is_deterministic_given_the_seed():
    data = _data()
    runs = []
    for _ in range(2):
        trainer = Trainer(_factory(nnx.Rngs(3)), ADAM)
        history = trainer.fit(data, epochs=2, batch_size=16, seed=5, eval_data=data, progress=False)
        runs.append((trainer.model, history))
    _assert_identical(runs[0][0], runs[1][0])
    assert runs[0][1]["train_loss"] == runs[1][1]["train_loss"]
    assert set(runs[0][1].last()) >= {"epoch", "train_loss", "train_accuracy", "eval_loss",
                                      "eval_accuracy", "time_s", "samples_per_s"}


def test_evaluate_weights_batches_by_their_size():
    x, y = _data(10)
    trainer = Trainer(_factory(nnx.Rngs(0)), optax.sgd(0.1))
    whole = trainer.evaluate((x, y))
    batched = trainer.evaluate((x, y), batch_size=4)  # batches of 4, 4, 2
    np.testing.assert_allclose(batched["loss"], whole["loss"], rtol=1e-5)
    np.testing.assert_allclose(batched["accuracy"], whole["accuracy"], rtol=1e-6)


def test_non_finite_loss_stops_training_with_the_epoch_and_step():
    x, y = _data()
    x[20, 0] = np.nan  # lands in the second batch of the first epoch's order (seed=None keeps order)
    trainer = Trainer(_factory(nnx.Rngs(0)), optax.sgd(0.1))
    with pytest.raises(DivergenceError, match=r"loss is nan at epoch 1, step 2 of 3"):
        trainer.fit((x, y), epochs=1, batch_size=16, seed=None, progress=False)


def test_checkpoint_round_trip_is_bit_identical(tmp_path):
    data = _data()
    trainer = Trainer(_factory(nnx.Rngs(1)), ADAM)
    trainer.fit(data, epochs=1, batch_size=16, progress=False)
    trainer.save(tmp_path, 1, metadata={"note": "x"})
    fresh = Trainer(_factory(nnx.Rngs(2)), ADAM)
    metadata = fresh.restore(tmp_path)
    assert metadata == {"note": "x", "step": 1}
    _assert_identical(trainer.model, fresh.model)
    _assert_identical(trainer.optimizer, fresh.optimizer)
    assert checkpoint.latest_step(tmp_path) == 1


def test_resume_continues_exactly_like_an_uninterrupted_run(tmp_path):
    data = _data()
    straight = Trainer(_factory(nnx.Rngs(4)), ADAM)
    full = straight.fit(data, epochs=3, batch_size=16, seed=7, progress=False)
    first = Trainer(_factory(nnx.Rngs(4)), ADAM)
    first.fit(data, epochs=1, batch_size=16, seed=7, progress=False, checkpoint_dir=tmp_path)
    resumed = Trainer(_factory(nnx.Rngs(99)), ADAM)  # different init: restored over
    history = resumed.fit(data, epochs=3, batch_size=16, seed=7, progress=False,
                          checkpoint_dir=tmp_path, resume=True)
    _assert_identical(straight.model, resumed.model)
    assert history["train_loss"] == full["train_loss"]


def test_ensemble_members_equal_separately_trained_models():
    x, y = _data(32)
    seeds = [0, 1, 2]
    ensemble = Ensemble(_factory, ADAM, seeds=seeds, loss_fn=classification_loss)
    for start in (0, 16):
        metrics = ensemble.step((x[start:start + 16], y[start:start + 16]))
    for k, seed in enumerate(seeds):
        alone = Trainer(_factory(nnx.Rngs(seed)), ADAM)
        for start in (0, 16):
            single = alone.step((x[start:start + 16], y[start:start + 16]))
        np.testing.assert_allclose(metrics["loss"][k], single["loss"], rtol=1e-5)
        for p, q in zip(jax.tree.leaves(nnx.state(alone.model, nnx.Param)),
                        jax.tree.leaves(nnx.state(ensemble.member(k), nnx.Param)), strict=True):
            np.testing.assert_allclose(p, q, rtol=1e-5, atol=1e-6)
    assert ensemble(jnp.asarray(x)).shape == (3, 32, 3)


def test_code_features_counts_bytes_and_checks_the_round_trip():
    from jaxbig.entropy import PowerLawEntropyModel
    from jaxbig.train import code_features

    features = np.array([[0.2, -3.4, 0.0, 5.6], [0.0, 0.0, 0.1, 1.0], [0.0, 0.0, 0.0, 0.0]], np.float32)
    model = PowerLawEntropyModel(coding_rank=1, alpha=1.0)
    report = code_features(model, features)
    strings = model.compress(features)
    assert report.compressed_bytes == sum(len(s) for s in strings)
    assert report.symbols == 12 and report.bits_per_symbol == 8 * report.compressed_bytes / 12
    assert report.nonzero_fraction == 3 / 12  # -3, 6 and 1 after rounding
    assert report.decoded_equals_quantized
