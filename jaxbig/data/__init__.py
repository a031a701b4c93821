"""Data sets and mini-batches for training RPN models (NumPy only; nothing is downloaded).

* :func:`load_digits`: the 8×8 handwritten digits shipped inside jaxbig (UCI,
  CC BY 4.0; see ``jaxbig/data/README.md``).
* :func:`load_mnist`: MNIST from IDX files (gzipped or not) or an ``.npz`` you supply.
* :func:`function_dataset`: the RPN paper's function-approximation tasks (elementary,
  composite and Feynman equations), generated from their formulas.
* :func:`batches`: deterministic shuffled mini-batches.
"""

from jaxbig.data.digits import Split, load_digits, load_mnist, read_idx
from jaxbig.data.functions import (
    DIMENSIONLESS_FEYNMAN,
    FEYNMAN,
    FUNCTIONS,
    FunctionTask,
    evaluate_formula,
    function_dataset,
)
from jaxbig.data.loader import batches, num_batches

__all__ = [
    "DIMENSIONLESS_FEYNMAN",
    "FEYNMAN",
    "FUNCTIONS",
    "FunctionTask",
    "Split",
    "batches",
    "evaluate_formula",
    "function_dataset",
    "load_digits",
    "load_mnist",
    "num_batches",
    "read_idx",
]
