"""PowerLawBottleneck (Flax NNX): trains an autoencoder with a rate term, codes its latents losslessly."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from flax import nnx

from jaxbig.entropy import PowerLawEntropyModel
from jaxbig.nn.bottleneck import PowerLawBottleneck


class AutoEncoder(nnx.Module):
    def __init__(self, width: int, latent: int, *, rngs: nnx.Rngs):
        self.encoder = nnx.Linear(width, latent, rngs=rngs)
        self.bottleneck = PowerLawBottleneck(1, alpha=0.05)
        self.decoder = nnx.Linear(latent, width, rngs=rngs)

    def __call__(self, x):
        y, rate = self.bottleneck(4.0 * self.encoder(x))
        return self.decoder(y / 4.0), rate


def test_autoencoder_trains_with_the_rate_term_and_codes_latents_losslessly():
    model = AutoEncoder(8, 4, rngs=nnx.Rngs(0))
    optimizer = nnx.Optimizer(model, optax.adam(1e-2), wrt=nnx.Param)
    x = jax.random.normal(jax.random.key(1), (64, 8))

    @nnx.jit
    def step(model, optimizer, x):
        def loss_fn(model):
            x_hat, rate = model(x)
            distortion = jnp.mean((x_hat - x) ** 2)
            return distortion + 0.02 * jnp.mean(rate), (distortion, jnp.mean(rate))

        (loss, aux), grads = nnx.value_and_grad(loss_fn, has_aux=True)(model)
        optimizer.update(model, grads)
        return loss, aux

    losses = [float(step(model, optimizer, x)[0]) for _ in range(40)]
    assert losses[-1] < 0.7 * losses[0]
    # Gradients reach the encoder through the straight-through rounding.
    grads = nnx.grad(lambda m: jnp.sum(m(x)[0]))(model)
    assert float(jnp.abs(grads.encoder.kernel[...]).sum()) > 0

    latents = 4.0 * model.encoder(x)
    strings = model.bottleneck.compress(latents)
    assert strings.shape == (64,) and all(isinstance(s, bytes) for s in strings)
    decoded = model.bottleneck.decompress(strings, (4,))
    np.testing.assert_array_equal(decoded, jnp.round(latents))
    np.testing.assert_array_equal(model(x)[0], model.decoder(decoded / 4.0))


def test_module_calls_the_pure_entropy_model():
    bottleneck = PowerLawBottleneck(2, alpha=0.3, bottleneck_dtype="bfloat16")
    assert bottleneck.entropy_model == PowerLawEntropyModel(2, alpha=0.3, bottleneck_dtype="bfloat16")
    x = np.random.default_rng(0).normal(0, 3, (2, 3, 4))
    y, rate = bottleneck(x)
    ref_y, ref_rate = bottleneck.entropy_model(x)
    np.testing.assert_array_equal(y, ref_y)
    np.testing.assert_array_equal(rate, ref_rate)
    assert nnx.state(bottleneck, nnx.Param) == nnx.State({})


def test_module_validates_like_the_model():
    with pytest.raises(ValueError, match="alpha=0.0 must be > 0"):
        PowerLawBottleneck(1, alpha=0.0)
