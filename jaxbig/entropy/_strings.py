"""Many coded strings as Python ``bytes`` objects, made in bulk (private).

A batch of ``U`` short strings is packed into one buffer laid out as a pickle
program (documented protocol-3 opcodes)::

    MARK  (SHORT_BINBYTES len8 | BINBYTES len32le) string  …  LIST STOP

so that the C unpickler builds the list of ``bytes`` — several times faster than
slicing a buffer once per string in Python. The encoder leaves the ``header``
bytes before each string free while it packs the bits (:func:`string_starts`
says where each string begins), and :func:`split_strings` writes the opcodes.
Few or long strings are sliced instead (``header = 0``: the strings back to back).
"""

from __future__ import annotations

import pickle

import numpy as np

_MARK, _SHORT_BINBYTES, _BINBYTES, _LIST, _STOP = b"(", b"C", b"B", b"l", b"."


def header_size(lengths: np.ndarray) -> int:
    """Bytes to leave before each string: 0 (slice the strings), 2 or 5 (pickle them)."""
    count = lengths.size
    if count < 64 or int(lengths.sum()) > 64 * count:  # few or long strings: slicing is cheaper
        return 0
    return 2 if int(lengths.max()) < 256 else 5


def string_starts(lengths: np.ndarray, header: int) -> np.ndarray:
    """The byte offset of each string in the buffer, int64 ``(U,)``.

    With a header, the buffer opens with MARK and each string follows its header.
    """
    ends = np.cumsum(lengths + header)
    return ends - lengths + (1 if header else 0)


def buffer_size(lengths: np.ndarray, header: int) -> int:
    """Bytes the buffer needs: the strings, their headers, MARK, LIST and STOP."""
    return int(lengths.sum()) + (header * lengths.size + 3 if header else 0)


def split_strings(buffer: np.ndarray, lengths: np.ndarray, header: int) -> list[bytes]:
    """The strings of a buffer laid out by :func:`string_starts`, as ``bytes``.

    Args:
      buffer: uint8, at least :func:`buffer_size` bytes; with ``header > 0`` it is
        writable and the header bytes are overwritten.
      lengths: int64 ``(U,)``, the length of each string.
      header: 0, 2 or 5 (:func:`header_size`).

    Returns:
      ``U`` bytes objects.
    """
    starts = string_starts(lengths, header)
    if not header:
        data = buffer[: buffer_size(lengths, 0)].tobytes()
        return list(map(data.__getitem__, map(slice, starts.tolist(), (starts + lengths).tolist())))
    if header == 2 and int(lengths.max()) > 255:
        raise ValueError(f"split_strings: a 2-byte header holds lengths up to 255, got {int(lengths.max())}")
    heads = starts - header
    buffer[0] = ord(_MARK)
    buffer[heads] = ord(_SHORT_BINBYTES if header == 2 else _BINBYTES)
    for k in range(header - 1):  # the length, little-endian
        buffer[heads + 1 + k] = (lengths >> (8 * k)) & 0xFF
    end = int(starts[-1] + lengths[-1])
    buffer[end] = ord(_LIST)
    buffer[end + 1] = ord(_STOP)
    return pickle.loads(buffer[: end + 2])
