"""A line-by-line Python transliteration of TFC 2.14.1's run-length gamma kernels.

``tensorflow_compression/cc/lib/bit_coder.cc`` (BitWriter, BitReader with its
64-bit refill buffer) and ``cc/kernels/run_length_gamma_kernels.cc``: slow, and
written from the C++ rather than from jaxbig's code, so the tests compare jaxbig
with an independent route to TFC's behaviour.
"""

from __future__ import annotations

import numpy as np

MASK64 = (1 << 64) - 1


class DataLoss(Exception):
    """absl::DataLossError."""


class BitWriter:
    def __init__(self):
        self.data = bytearray()
        self.next_index = 0
        self.bits_in_buffer = 0
        self.buffer = 0

    def write_bits(self, count: int, bits: int) -> None:
        assert count <= 57
        bits &= (1 << count) - 1
        self.buffer = (self.buffer | (bits << self.bits_in_buffer)) & MASK64
        self.bits_in_buffer += count
        del self.data[self.next_index + 8 :]
        self.data.extend(bytes(self.next_index + 8 - len(self.data)))
        self.data[self.next_index : self.next_index + 8] = self.buffer.to_bytes(8, "little")
        nbytes = self.bits_in_buffer // 8
        self.bits_in_buffer -= nbytes * 8
        self.buffer >>= nbytes * 8
        self.next_index += nbytes

    def write_gamma(self, value: int) -> None:
        assert value > 0
        width = (value & 0xFFFFFFFF).bit_length()
        self.write_bits(width - 1, 0)
        self.write_bits(1, 1)
        self.write_bits(width - 1, value)

    def get_data(self) -> bytes:
        size = self.next_index + (1 if self.bits_in_buffer else 0)
        return bytes(self.data[:size])


class BitReader:
    def __init__(self, data: bytes):
        self.data = data
        self.next_byte = 0
        self.end_byte = len(data)
        self.bits_in_buffer = 0
        self.buffer = 0

    def refill(self) -> None:
        remaining = self.end_byte - self.next_byte
        if remaining < 8:
            to_copy = min((63 - self.bits_in_buffer) // 8, remaining)
            if not to_copy:
                return
            x = int.from_bytes(self.data[self.next_byte : self.next_byte + to_copy], "little")
            self.buffer = (self.buffer | (x << self.bits_in_buffer)) & MASK64
            self.next_byte += to_copy
            self.bits_in_buffer += to_copy * 8
        else:
            x = int.from_bytes(self.data[self.next_byte : self.next_byte + 8], "little")
            self.buffer = (self.buffer | (x << self.bits_in_buffer)) & MASK64
            self.next_byte += (63 - self.bits_in_buffer) // 8
            self.bits_in_buffer = 56 + self.bits_in_buffer % 8

    def read_bits(self, count: int) -> int:
        self.refill()
        if self.bits_in_buffer < count:
            raise DataLoss("Out of bits to read.")
        bits = self.buffer & ((1 << count) - 1)
        self.bits_in_buffer -= count
        self.buffer >>= count
        return bits

    def read_gamma(self) -> int:
        width = 1
        while True:
            if self.read_bits(1):
                break
            width += 1
        if width > 31:
            raise DataLoss("Exceeded maximum gamma bit width.")
        msb = 1 << (width - 1)
        return msb | self.read_bits(width - 1)


def encode(symbols) -> bytes:
    """RunLengthGammaEncodeOp::Compute."""
    enc = BitWriter()
    zero_ct = 1
    for sample in np.asarray(symbols, np.int32).ravel().tolist():
        if sample == 0:
            zero_ct += 1
        else:
            enc.write_gamma(zero_ct)
            enc.write_bits(1, int(sample > 0))
            if sample == -(2**31):
                sample += 1
            enc.write_gamma(abs(sample))
            zero_ct = 1
    if zero_ct > 1:
        enc.write_gamma(zero_ct)
    return enc.get_data()


def decode(code: bytes, size: int) -> np.ndarray:
    """RunLengthGammaDecodeOp::Compute (raises DataLoss where TFC returns an error)."""
    dec = BitReader(code)
    data = np.zeros(size, np.int32)
    i = 0
    while i < size:
        i += dec.read_gamma() - 1
        if i >= size:
            if i != size:
                raise DataLoss("Decoded past end of tensor.")
            break
        positive = dec.read_bits(1)
        magnitude = dec.read_gamma()
        data[i] = magnitude if positive else -magnitude
        i += 1
    return data
