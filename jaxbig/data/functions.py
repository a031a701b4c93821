"""The RPN paper's continuous function-approximation tasks, generated from their formulas.

tinyBIG (``tinybig/data/function_dataloader.py``) evaluates two lists of
two-variable formulas: 17 elementary functions ``E.0`` … ``E.16`` of ``x + y``
and 17 composite ones ``C.0`` … ``C.16``, each on a box of inputs. A data set draws
``num`` points uniformly in the box, evaluates the formula, and (as tinyBIG does,
without shuffling) uses the first ``train_fraction`` of them for training.
"""

from __future__ import annotations

import ast
from typing import NamedTuple

import numpy as np

__all__ = ["FUNCTIONS", "FunctionTask", "function_dataset", "evaluate_formula"]


class FunctionTask(NamedTuple):
    """One formula of the benchmark.

    Attributes:
      name: ``"E.<i>"`` or ``"C.<i>"``.
      formula: the formula in ``x`` and ``y`` as tinyBIG writes it (``ln`` is the
        natural logarithm).
      x_range: the interval ``x`` is drawn from.
      y_range: the interval ``y`` is drawn from.
    """

    name: str
    formula: str
    x_range: tuple[float, float]
    y_range: tuple[float, float]


_U, _H, _S = (0.0, 1.0), (0.0, 0.5), (0.5, 1.0)

#: Every task by name, in tinyBIG's order: elementary ``E.*``, then composite ``C.*``.
FUNCTIONS: dict[str, FunctionTask] = {
    name: FunctionTask(name, formula, box, box)
    for name, formula, box in [
        ("E.0", "x+y", _U), ("E.1", "1/(x+y)", _U), ("E.2", "(x+y)**2", _U),
        ("E.3", "exp(x+y)", _U), ("E.4", "ln(x+y)", _U), ("E.5", "sin(x+y)", _U),
        ("E.6", "cos(x+y)", _U), ("E.7", "tan(x+y)", _H), ("E.8", "arcsin(x+y)", _H),
        ("E.9", "arccos(x+y)", _H), ("E.10", "arctan(x+y)", _H), ("E.11", "sinh(x+y)", _U),
        ("E.12", "cosh(x+y)", _U), ("E.13", "tanh(x+y)", _U), ("E.14", "arcsinh(x+y)", _H),
        ("E.15", "arccosh(x+y)", _S), ("E.16", "arctanh(x+y)", _H),
        ("C.0", "(x+y)+1/(x+y)", _U), ("C.1", "(x+y)+(x+y)**2", _U),
        ("C.2", "(x+y)**2+exp(x+y)", _U), ("C.3", "exp(x+y)+ln(x+y)", _U),
        ("C.4", "(x+y)**2+sin(x+y)", _U), ("C.5", "cos(x+y)+arccos(x+y)", _H),
        ("C.6", "exp(x+y)/(x+y)", _U), ("C.7", "(x+y)**2*ln(x+y)", _U),
        ("C.8", "(x+y)*sin(x+y)", _U), ("C.9", "exp(x+y)*ln(x+y)", _U),
        ("C.10", "sin(x+y)*sinh(x+y)", _U), ("C.11", "arccos(x+y)*arctanh(x+y)", _H),
        ("C.12", "exp((x+y)+exp(x+y))", _H), ("C.13", "exp(sin(x+y)+cos(x+y))", _U),
        ("C.14", "ln((x+y)**2+exp(x+y))", _S), ("C.15", "tan(exp(x+y)+ln(x+y))", _U),
        ("C.16", "1/(1+exp(-x-y))", _U),
    ]
}

_FUNCTIONS = {name: getattr(np, name) for name in (
    "exp", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
    "arcsinh", "arccosh", "arctanh", "sqrt", "log")}
_FUNCTIONS["ln"] = np.log
_OPERATORS = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide,
              ast.Pow: np.power, ast.USub: np.negative, ast.UAdd: np.positive}


def evaluate_formula(formula: str, **variables: np.ndarray) -> np.ndarray:
    """Evaluates an arithmetic formula with NumPy (no ``eval``: only numbers, the given
    variables, ``+ - * / **`` and the elementary functions are allowed).

    Raises:
      ValueError: naming the first element of the formula that is not allowed.

    >>> evaluate_formula("ln(x+y)**2", x=np.array([1.0]), y=np.array([0.0]))
    array([0.])
    """
    def walk(node: ast.AST) -> np.ndarray:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return np.asarray(float(node.value))
        if isinstance(node, ast.Name) and node.id in variables:
            return np.asarray(variables[node.id], np.float64)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](walk(node.operand))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in _FUNCTIONS and len(node.args) == 1 and not node.keywords):
            return _FUNCTIONS[node.func.id](walk(node.args[0]))
        raise ValueError(f"evaluate_formula: {ast.unparse(node)!r} is not allowed in {formula!r}")

    with np.errstate(all="ignore"):
        return walk(ast.parse(formula, mode="eval"))


def function_dataset(name: str, *, num: int = 2000, train_fraction: float = 0.5, seed: int = 0
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Samples one function-approximation task.

    Args:
      name: a key of :data:`FUNCTIONS`, e.g. ``"E.5"`` (``sin(x+y)``) or ``"C.13"``.
      num: the number of points.
      train_fraction: the fraction used for training (the first points, as tinyBIG).
      seed: seed of the uniform draws.

    Returns:
      ``(x_train, y_train, x_test, y_test)``: float32 inputs of shape ``(k, 2)``
      and targets of shape ``(k, 1)``.

    Raises:
      ValueError: for an unknown name (listing close ones) or sizes that leave a
        part empty.

    >>> x, y, xt, yt = function_dataset("E.5", num=10)
    >>> x.shape, y.shape, xt.shape
    ((5, 2), (5, 1), (5, 2))
    """
    if name not in FUNCTIONS:
        import difflib

        close = difflib.get_close_matches(name, list(FUNCTIONS), n=3)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        raise ValueError(f"function_dataset: unknown task {name!r}{hint} (known: E.0..E.16, C.0..C.16)")
    cut = int(round(train_fraction * num))
    if not 0 < cut < num:
        raise ValueError(f"function_dataset: num={num}, train_fraction={train_fraction} leave a part empty")
    task = FUNCTIONS[name]
    rng = np.random.default_rng(seed)
    x = rng.uniform(*task.x_range, size=num)
    y = rng.uniform(*task.y_range, size=num)
    inputs = np.stack([x, y], axis=1).astype(np.float32)
    targets = evaluate_formula(task.formula, x=x, y=y).reshape(-1, 1).astype(np.float32)
    return inputs[:cut], targets[:cut], inputs[cut:], targets[cut:]
