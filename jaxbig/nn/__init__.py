"""Flax NNX modules over the pure jaxbig functions: RPN heads, layers and models.

The modules hold a function's parameters as :class:`flax.nnx.Param` (floating
leaves) and :class:`Buffer` (integer and boolean leaves) and call the function's
pure ``apply``/``product``; they never re-implement a family's math. This is the
only library layer that imports flax.
"""

from jaxbig.nn.head import RPNHead
from jaxbig.nn.layer import RPNLayer, allocate
from jaxbig.nn.model import RPN
from jaxbig.nn.params import Buffer, ParamTree, count_params
from jaxbig.nn.processing import Activation, make_process, make_processes

__all__ = [
    "Activation",
    "Buffer",
    "ParamTree",
    "RPN",
    "RPNHead",
    "RPNLayer",
    "allocate",
    "count_params",
    "make_process",
    "make_processes",
]
