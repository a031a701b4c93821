"""Data parallelism on 4 forced host devices (in a subprocess): the sharded train step equals
the single-device step, and a model's pure function runs under jax.pmap."""

import json
import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import json
    import jax, jax.numpy as jnp, numpy as np, optax
    from flax import nnx
    from jaxbig.nn import RPN, RPNLayer
    from jaxbig.train import Trainer, data_mesh

    assert jax.device_count() == 4, jax.devices()

    def factory():
        rngs = nnx.Rngs(0)
        return RPN([
            RPNLayer(5, 6, head=dict(transformation="taylor_expansion", fabrication="identity_reconciliation",
                                     remainder="linear_remainder", output_process=["torch.nn.BatchNorm1d", "tanh"]),
                     rngs=rngs),
            RPNLayer(6, 3, head=dict(transformation={"function_class": "bspline_expansion",
                                                     "function_parameters": {"t": 2, "d": 2}},
                                     fabrication={"function_class": "lorr_reconciliation",
                                                  "function_parameters": {"r": 2}},
                                     remainder="zero_remainder"), rngs=rngs),
        ])

    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 5)).astype(np.float32)
    y = rng.integers(0, 3, size=16).astype(np.int32)
    single = Trainer(factory(), optax.adam(1e-2))
    sharded = Trainer(factory(), optax.adam(1e-2), mesh=data_mesh())
    for _ in range(2):
        a, b = single.step((x, y)), sharded.step((x, y))
    diff = max(float(jnp.max(jnp.abs(p - q))) for p, q in zip(
        jax.tree.leaves(nnx.state(single.model)), jax.tree.leaves(nnx.state(sharded.model)))
        if jnp.issubdtype(p.dtype, jnp.floating))
    shards = len(sharded.model.layers[0].heads[0].w[...].sharding.device_set)

    graphdef, state = nnx.split(nnx.view(single.model, use_running_average=True))
    pure = lambda s, x: nnx.merge(graphdef, s)(x)
    pmapped = jax.pmap(pure, in_axes=(None, 0))(state, x.reshape(4, 4, 5)).reshape(16, 3)
    pmap_diff = float(jnp.max(jnp.abs(pmapped - pure(state, x))))
    print(json.dumps({"loss_diff": abs(float(a["loss"]) - float(b["loss"])), "param_diff": diff,
                      "devices": shards, "pmap_diff": pmap_diff}))
""")


def test_sharded_step_equals_single_device_step_and_pmap_works():
    env = {**os.environ, "XLA_FLAGS": "--xla_force_host_platform_device_count=4", "JAX_PLATFORMS": "cpu"}
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["devices"] == 4
    assert result["loss_diff"] < 1e-5
    assert result["param_diff"] < 1e-5
    assert result["pmap_diff"] < 1e-5
