"""The RPN paper's continuous function-approximation tasks, generated from their formulas.

tinyBIG (``tinybig/data/function_dataloader.py``, ``feynman_dataloader.py``)
evaluates lists of formulas, each on a box of inputs: 17 elementary functions
``E.0`` … ``E.16`` of ``x + y`` and 17 composite ones ``C.0`` … ``C.16``
(:data:`FUNCTIONS`), 100 Feynman equations with 1 to 9 inputs (:data:`FEYNMAN`,
e.g. ``"I.12.11"``) and 27 dimensionless forms of them
(:data:`DIMENSIONLESS_FEYNMAN`). A data set draws ``num`` points uniformly in the
box, evaluates the formula, and (as tinyBIG does, without shuffling) uses the
first ``train_fraction`` of them for training.
"""

from __future__ import annotations

import ast
import difflib
from typing import NamedTuple

import numpy as np

from jaxbig.data._feynman_table import DIMENSIONLESS_FEYNMAN_TABLE, FEYNMAN_TABLE

__all__ = ["DIMENSIONLESS_FEYNMAN", "FEYNMAN", "FUNCTIONS", "FunctionTask", "evaluate_formula",
           "function_dataset"]


class FunctionTask(NamedTuple):
    """One formula of the benchmark.

    Attributes:
      name: ``"E.<i>"``, ``"C.<i>"`` or the Feynman equation's name (``"I.12.11"``).
      formula: the formula as tinyBIG writes it (``ln`` is the natural logarithm,
        ``pi`` the constant π).
      variables: ``(name, low, high)`` of every input, in column order; each is
        drawn uniformly from ``[low, high)``.
      output: the name of the output.
    """

    name: str
    formula: str
    variables: tuple[tuple[str, float, float], ...]
    output: str = "f"

    @property
    def x_range(self) -> tuple[float, float]:
        """The interval of the first input (``x`` of the elementary and composite tasks)."""
        return self.variables[0][1:]

    @property
    def y_range(self) -> tuple[float, float]:
        """The interval of the second input (``y`` of the elementary and composite tasks)."""
        return self.variables[1][1:]


_U, _H, _S = (0.0, 1.0), (0.0, 0.5), (0.5, 1.0)

#: The two-variable tasks by name, in tinyBIG's order: elementary ``E.*``, then composite ``C.*``.
FUNCTIONS: dict[str, FunctionTask] = {
    name: FunctionTask(name, formula, (("x", *box), ("y", *box)))
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


def _parse_table(table: str) -> dict[str, FunctionTask]:
    """Tasks from lines ``name | output = formula | variable low high; ...``."""
    tasks = {}
    for line in table.strip().splitlines():
        name, equation, ranges = (part.strip() for part in line.split("|"))
        output, formula = (part.strip() for part in equation.split("=", 1))
        variables = tuple((var, float(low), float(high))
                          for var, low, high in (item.split() for item in ranges.split(";")))
        tasks[name] = FunctionTask(name, formula, variables, output)
    return tasks


#: The Feynman equations by their AI Feynman names (``"I.6.2a"`` … ``"III.21.20"``).
FEYNMAN: dict[str, FunctionTask] = _parse_table(FEYNMAN_TABLE)
#: Their dimensionless forms, by the same names (pass the task itself to :func:`function_dataset`).
DIMENSIONLESS_FEYNMAN: dict[str, FunctionTask] = _parse_table(DIMENSIONLESS_FEYNMAN_TABLE)

_FUNCTIONS = {name: getattr(np, name) for name in (
    "exp", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
    "arcsinh", "arccosh", "arctanh", "sqrt", "log")}
_FUNCTIONS["ln"] = np.log
_OPERATORS = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide,
              ast.Pow: np.power, ast.USub: np.negative, ast.UAdd: np.positive}


def evaluate_formula(formula: str, **variables: np.ndarray) -> np.ndarray:
    """Evaluates an arithmetic formula with NumPy (no ``eval``: only numbers, ``pi``, the
    given variables, ``+ - * / **`` and the elementary functions are allowed).

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
        if isinstance(node, ast.Name) and node.id == "pi":
            return np.asarray(np.pi)
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


def function_dataset(task: str | FunctionTask, *, num: int = 2000, train_fraction: float = 0.5, seed: int = 0
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Samples one function-approximation task.

    Args:
      task: a key of :data:`FUNCTIONS` (``"E.5"``, ``sin(x+y)``; ``"C.13"``) or of
        :data:`FEYNMAN` (``"I.12.11"``), or a :class:`FunctionTask` (e.g.
        ``DIMENSIONLESS_FEYNMAN["I.12.11"]``).
      num: the number of points.
      train_fraction: the fraction used for training (the first points, as tinyBIG).
      seed: seed of the uniform draws.

    Returns:
      ``(x_train, y_train, x_test, y_test)``: float32 inputs of shape ``(k, v)``
      (``v`` the task's number of variables, in its order) and targets of shape
      ``(k, 1)``.

    Raises:
      ValueError: for an unknown name (listing close ones) or sizes that leave a
        part empty.

    >>> x, y, xt, yt = function_dataset("E.5", num=10)
    >>> x.shape, y.shape, xt.shape
    ((5, 2), (5, 1), (5, 2))
    >>> function_dataset("I.12.11", num=10)[0].shape  # q, Ef, B, v, theta
    (5, 5)
    """
    if not isinstance(task, FunctionTask):
        known = {**FUNCTIONS, **FEYNMAN}
        if task not in known:
            close = difflib.get_close_matches(str(task), list(known), n=3)
            hint = f"; close matches: {', '.join(close)}" if close else ""
            raise ValueError(f"function_dataset: unknown task {task!r}{hint} "
                             "(known: E.0..E.16, C.0..C.16 and the FEYNMAN names)")
        task = known[task]
    cut = int(round(train_fraction * num))
    if not 0 < cut < num:
        raise ValueError(f"function_dataset: num={num}, train_fraction={train_fraction} leave a part empty")
    rng = np.random.default_rng(seed)
    columns = {name: rng.uniform(low, high, size=num) for name, low, high in task.variables}
    inputs = np.stack(list(columns.values()), axis=1).astype(np.float32)
    targets = np.broadcast_to(evaluate_formula(task.formula, **columns), (num,)).reshape(-1, 1).astype(np.float32)
    return inputs[:cut], targets[:cut], inputs[cut:], targets[cut:]
