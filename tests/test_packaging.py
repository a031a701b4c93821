"""The project's set-up promises: README's commands, CI and packaging metadata."""

import pathlib
import re
import pytest

tomllib = pytest.importorskip("tomllib")

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _readme_commands():
    text = (ROOT / "README.md").read_text()
    section = text.split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_readme_gives_exactly_two_setup_commands():
    commands = _readme_commands()
    assert len(commands) == 2, commands
    assert "python -m jaxbig" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_exactly_the_readme_test_command():
    test_command = _readme_commands()[1]
    ci_lines = [l.strip() for l in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test_command in ci_lines


def test_pyproject_pins_lower_bounds_for_every_dependency():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert meta["requires-python"] == ">=3.10"
    names = {re.split(r"[<>=\[]", d)[0] for d in meta["dependencies"]}
    assert {"jax", "jaxlib", "flax", "optax", "chex", "numpy"} <= names
    for dep in meta["dependencies"] + meta["optional-dependencies"]["test"]:
        assert ">=" in dep, f"{dep} has no lower bound"
    assert (ROOT / "jaxbig" / "py.typed").exists()
