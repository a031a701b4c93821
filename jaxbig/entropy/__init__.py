"""Entropy models: TensorFlow Compression's power-law model and its run-length gamma code.

:class:`PowerLawEntropyModel` quantises a bottleneck with straight-through rounding,
computes the rate penalty ``log((|x| + α) / α)`` and compresses coding units to
byte strings that are identical to TFC's; :func:`run_length_gamma_encode` and
:func:`run_length_gamma_decode` expose the code itself (their docstrings give its
format), and :class:`CorruptDataError` is what decoding a
damaged string raises.
"""

from jaxbig.entropy.codec import CorruptDataError, run_length_gamma_decode, run_length_gamma_encode
from jaxbig.entropy.power_law import PowerLawEntropyModel

__all__ = [
    "CorruptDataError",
    "PowerLawEntropyModel",
    "run_length_gamma_decode",
    "run_length_gamma_encode",
]
