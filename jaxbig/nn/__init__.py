"""Flax NNX modules over the pure jaxbig functions: RPN heads, layers, models and the bottleneck.

The modules hold a function's parameters as :class:`flax.nnx.Param` (floating
leaves) and :class:`Buffer` (integer and boolean leaves) and call the function's
pure ``apply``/``product``; they never re-implement a family's math.
:mod:`jaxbig.nn.presets` builds tinyBIG's ready-made heads, layers and models
(perceptron, SVM, KAN, naive Bayes, PGM). :class:`PowerLawBottleneck` quantizes features and charges the power-law rate
penalty of :class:`jaxbig.entropy.PowerLawEntropyModel`; it works as a layer of
:class:`RPN`. This is the only library layer that imports flax.
"""

from jaxbig.nn.bottleneck import PowerLawBottleneck
from jaxbig.nn.head import RPNHead
from jaxbig.nn.layer import RPNLayer, allocate
from jaxbig.nn.model import RPN
from jaxbig.nn.params import Buffer, ParamTree, count_params
from jaxbig.nn.presets import KANPreset, NaiveBayesPreset, PerceptronPreset, PGMPreset, Preset, SVMPreset
from jaxbig.nn.processing import Activation, make_process, make_processes

__all__ = [
    "Activation",
    "Buffer",
    "KANPreset",
    "NaiveBayesPreset",
    "PGMPreset",
    "ParamTree",
    "PerceptronPreset",
    "PowerLawBottleneck",
    "Preset",
    "RPN",
    "RPNHead",
    "RPNLayer",
    "SVMPreset",
    "allocate",
    "count_params",
    "make_process",
    "make_processes",
]
