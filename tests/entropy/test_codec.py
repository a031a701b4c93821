"""jaxbig.entropy.codec: byte-exactness with TFC, its decoder's tolerance, errors, properties."""

import os

import hypothesis.extra.numpy as hnp
import jax.numpy as jnp
import numpy as np
import pytest
import tfc_reference as tfc
from hypothesis import given
from hypothesis import strategies as st

from jaxbig.entropy import CorruptDataError, run_length_gamma_decode, run_length_gamma_encode
from jaxbig.entropy._strings import buffer_size, header_size, split_strings, string_starts
from jaxbig.entropy.codec import decode_batch, encode_batch

GOLDEN = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "power_law_tfc.npz"), allow_pickle=False)
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def _golden_units(case):
    """(symbols (U, n), strings) of a golden case, as TFC's compress produced them."""
    x = GOLDEN[f"{case}/x"]
    rank = int(GOLDEN[f"{case}/coding_rank"])
    n = int(np.prod(x.shape[x.ndim - rank :]))
    lengths = GOLDEN[f"{case}/lengths"].ravel()
    data = GOLDEN[f"{case}/data"].tobytes()
    ends = np.cumsum(lengths)
    strings = [data[e - l : e] for e, l in zip(ends, lengths)]
    symbols = np.clip(np.round(x.astype(np.float64)), INT32_MIN, INT32_MAX).astype(np.int32)
    return symbols.reshape(len(strings), n), strings


def _gamma_bits(v):
    """Elias gamma of v as a bit list, written from the definition (first bit first)."""
    w = v.bit_length()
    return [0] * (w - 1) + [1] + [(v >> k) & 1 for k in range(w - 1)]


def _pack(bits):
    """Bits, first first, packed LSB-first into bytes, zero padded."""
    out = bytearray((len(bits) + 7) // 8)
    for k, b in enumerate(bits):
        out[k >> 3] |= b << (k & 7)
    return bytes(out)


GOLDEN_CASES = [f"c{k:03d}" for k in range(16)]
CORRUPT_CASES = [f"d{k:03d}" for k in range(300)]


# ---------------------------------------------------------------- TFC's own tests


def test_tfc_consistency_vector_encodes_and_decodes():
    # run_length_gamma_kernels_test.cc, EncodeConsistent / DecodeConsistent.
    code = bytes([0b11010001, 0b01101101])
    assert run_length_gamma_encode(np.array([-6, 3, 0, 0])) == code
    np.testing.assert_array_equal(run_length_gamma_decode(code, (4,)), [-6, 3, 0, 0])


def test_tfc_manual_bit_writer_vectors():
    # ManualEncodeWithBitcodingLibrary and ManualDecodeWithBitcodingLibrary.
    w = tfc.BitWriter()
    for op, v in [("g", 2), ("b", 0), ("g", 3), ("g", 1), ("b", 1), ("g", 1)]:
        w.write_gamma(v) if op == "g" else w.write_bits(1, v)
    assert run_length_gamma_encode(np.array([0, -3, 1])) == w.get_data()
    w = tfc.BitWriter()
    for op, v in [("g", 1), ("b", 0), ("g", 3), ("g", 1), ("b", 1), ("g", 1), ("g", 3)]:
        w.write_gamma(v) if op == "g" else w.write_bits(1, v)
    np.testing.assert_array_equal(run_length_gamma_decode(w.get_data(), (4,)), [-3, 1, 0, 0])


# ------------------------------------------------------------------ golden file


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden_strings_are_reproduced_byte_for_byte(case):
    symbols, strings = _golden_units(case)
    assert encode_batch(symbols) == strings
    for row, string in zip(symbols[:3], strings[:3]):
        assert run_length_gamma_encode(row) == string


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden_strings_decode_to_tfc_values(case):
    symbols, strings = _golden_units(case)
    expected = GOLDEN[f"{case}/decoded"].astype(np.float64).reshape(symbols.shape)
    if symbols.size:
        out = np.asarray(decode_batch("test", strings, symbols.shape[1], (len(strings),)))
        np.testing.assert_array_equal(out[: symbols.size].reshape(symbols.shape), expected)
        np.testing.assert_array_equal(run_length_gamma_decode(strings[0], (symbols.shape[1],)), expected[0])


def test_corrupted_golden_strings_decode_or_fail_exactly_as_tfc():
    mismatches = []
    for case in CORRUPT_CASES:
        data, n = GOLDEN[f"{case}/data"].tobytes(), int(GOLDEN[f"{case}/n"])
        try:
            out, ok = run_length_gamma_decode(data, (n,)), True
        except CorruptDataError:
            out, ok = np.zeros(n, np.int32), False
        if ok != bool(GOLDEN[f"{case}/ok"]) or not np.array_equal(out, GOLDEN[f"{case}/decoded"]):
            mismatches.append(case)
    assert not mismatches


# --------------------------------------------------------------------- format


@pytest.mark.parametrize(
    "symbols",
    [[0, 5, 0, 0, -1], [7], [-1], [0], [INT32_MAX, 0, -INT32_MAX], [1, 2, 3, 4, 5, 6, 7, 8, 9], [0] * 20 + [3]],
)
def test_code_is_the_documented_bit_sequence(symbols):
    bits, zeros = [], 0
    for s in symbols:
        if s == 0:
            zeros += 1
            continue
        bits += _gamma_bits(zeros + 1) + [int(s > 0)] + _gamma_bits(abs(s))
        zeros = 0
    if zeros:
        bits += _gamma_bits(zeros + 1)
    assert run_length_gamma_encode(np.array(symbols, np.int64)) == _pack(bits)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 100, 1000])
def test_all_zero_array_codes_as_one_gamma_of_its_length_plus_one(n):
    code = run_length_gamma_encode(np.zeros(n, np.int32))
    assert code == _pack(_gamma_bits(n + 1))
    np.testing.assert_array_equal(run_length_gamma_decode(code, (n,)), np.zeros(n))


def test_empty_array_codes_as_empty_string_and_zero_sizes_read_nothing():
    assert run_length_gamma_encode(np.zeros((3, 0), np.int32)) == b""
    # TFC reads nothing for an empty tensor, whatever the string.
    assert run_length_gamma_decode(b"\xff\x00garbage", (0, 4)).shape == (0, 4)


def test_int32_min_is_coded_as_int32_min_plus_one():
    code = run_length_gamma_encode(np.array([INT32_MIN, 0, INT32_MAX]))
    assert code == tfc.encode(np.array([INT32_MIN, 0, INT32_MAX]))
    np.testing.assert_array_equal(run_length_gamma_decode(code, (3,)), [INT32_MIN + 1, 0, INT32_MAX])


def test_decoder_ignores_trailing_bytes_and_bits_as_tfc():
    code = run_length_gamma_encode(np.array([4, -2, 0, 1]))
    for tail in (b"\x00", b"\xff\xff", bytes(range(256))):
        np.testing.assert_array_equal(run_length_gamma_decode(code + tail, (4,)), [4, -2, 0, 1])
    # Decoding fewer symbols than were coded stops after the last one asked for.
    np.testing.assert_array_equal(run_length_gamma_decode(code, (2,)), [4, -2])


def test_zero_run_may_end_exactly_at_the_end_but_not_past_it():
    code = _pack(_gamma_bits(2) + [1] + _gamma_bits(5) + _gamma_bits(3))  # [0, 5, 0, 0]
    np.testing.assert_array_equal(run_length_gamma_decode(code, (4,)), [0, 5, 0, 0])
    with pytest.raises(CorruptDataError, match="past the end of the 3-element coding unit") as info:
        run_length_gamma_decode(code, (3,))
    assert info.value.reason == "run_past_end"


def test_truncated_data_and_padding_bits_raise_truncated():
    code = run_length_gamma_encode(np.array([9, -300, 0, 7]))
    for cut in range(len(code)):
        with pytest.raises(CorruptDataError, match="truncated") as info:
            run_length_gamma_decode(code[:cut], (4,))
        assert info.value.reason == "truncated"
    # Asking for more symbols than coded reads into the zero padding, then past the end.
    with pytest.raises(CorruptDataError, match="truncated"):
        run_length_gamma_decode(code, (5,))


def test_gamma_code_of_a_value_wider_than_31_bits_raises_gamma_width():
    widest = _pack(_gamma_bits(1) + [1] + _gamma_bits(INT32_MAX))  # 30 zeros: still fits
    np.testing.assert_array_equal(run_length_gamma_decode(widest, (1,)), [INT32_MAX])
    too_wide = _pack([0] * 31 + [1] + [0] * 31)  # a run code of 32 bits width
    with pytest.raises(CorruptDataError, match="wider than 31 bits") as info:
        run_length_gamma_decode(too_wide, (3,))
    assert info.value.reason == "gamma_width" and info.value.bit == 0
    # Without a one after the zeros, TFC runs out of bits first.
    with pytest.raises(CorruptDataError, match="truncated"):
        run_length_gamma_decode(bytes(8), (3,))


def test_long_zero_strings_fail_fast_without_hanging():
    with pytest.raises(CorruptDataError, match="truncated"):
        run_length_gamma_decode(bytes(1 << 20), (1000,))


def test_split_strings_handles_short_long_and_empty_pieces():
    rng = np.random.default_rng(0)
    for count, longest, header in [(3, 10, 0), (100, 5, 2), (100, 300, 5), (70, 1, 2), (70, 1, 5), (100, 300, 0)]:
        lengths = rng.integers(0, longest, count)
        pieces = [rng.integers(0, 256, k, dtype=np.uint8).tobytes() for k in lengths]
        # Built by hand: garbage everywhere but at the documented string offsets.
        buffer = rng.integers(0, 256, buffer_size(lengths, header) + 5, dtype=np.uint8)
        for start, piece in zip(string_starts(lengths, header), pieces):
            buffer[start : start + len(piece)] = np.frombuffer(piece, np.uint8)
        assert split_strings(buffer, lengths, header) == pieces


def test_string_layout_choice():
    assert header_size(np.full(10, 3)) == 0  # few strings: sliced
    assert header_size(np.full(100, 3)) == 2
    assert header_size(np.r_[np.full(99, 3), 256]) == 5
    assert header_size(np.full(100, 65)) == 0  # long strings: sliced
    np.testing.assert_array_equal(string_starts(np.array([3, 0, 2]), 2), [3, 8, 10])
    np.testing.assert_array_equal(string_starts(np.array([3, 0, 2]), 0), [0, 3, 3])
    with pytest.raises(ValueError, match="255"):
        split_strings(np.zeros(300, np.uint8), np.array([256]), 2)


# ------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "symbols, match",
    [
        (np.array([1.0, 2.0]), "must be an integer array, got dtype float64"),
        (np.array([True, False]), "must be an integer array"),
        (np.array([2**31]), r"int32 range .* got values in \[2147483648, 2147483648\]"),
        (np.array([-(2**31) - 1, 0], np.int64), "int32 range"),
        (np.array([2**32 - 1], np.uint32), "int32 range"),
    ],
)
def test_encode_rejects_what_is_not_int32(symbols, match):
    with pytest.raises(ValueError, match=f"run_length_gamma_encode: .*{match}"):
        run_length_gamma_encode(symbols)


def test_encode_accepts_any_integer_dtype_within_int32_and_jax_arrays():
    symbols = np.array([[3, 0], [0, -70000]])
    for dtype in (np.int8, np.int16, np.int64, np.uint16):
        values = symbols.astype(dtype) if dtype != np.uint16 else np.abs(symbols[:, :1]).astype(dtype)
        assert run_length_gamma_encode(values) == tfc.encode(values.astype(np.int64))
    assert run_length_gamma_encode(jnp.asarray(symbols, jnp.int32)) == tfc.encode(symbols)
    assert run_length_gamma_encode([[0, 5], [-1, 0]]) == tfc.encode(np.array([[0, 5], [-1, 0]]))


def test_decode_rejects_bad_data_and_shapes():
    with pytest.raises(ValueError, match="run_length_gamma_decode: data must be bytes, got str"):
        run_length_gamma_decode("abc", (3,))
    with pytest.raises(ValueError, match="shape must be a sequence of non-negative integers"):
        run_length_gamma_decode(b"\x01", (-1,))
    with pytest.raises(ValueError, match="shape must be"):
        run_length_gamma_decode(b"\x01", 3)


def test_batch_decode_names_the_corrupt_string():
    strings = [run_length_gamma_encode(np.array([1, 2, 3]))] * 6
    strings[4] = strings[4][:1]
    with pytest.raises(CorruptDataError, match=r"dec: string \(1, 1\): corrupt data: truncated") as info:
        decode_batch("dec", strings, 3, (2, 3))
    assert info.value.index == (1, 1)


# ------------------------------------------------------------ large inputs


def test_large_batches_match_tfc():
    # ≥ 2**16 symbols use the exact-size kernels; an odd unit length pads its rows.
    shape = (2, 33333)
    rng = np.random.default_rng(1)
    symbols = (rng.laplace(0, 3, shape) * (rng.random(shape) < 0.7)).round().astype(np.int32)
    symbols[0, 5:9] = [1 << 20, -(1 << 29), INT32_MAX, INT32_MIN]  # groups longer than a word
    strings = encode_batch(symbols)
    assert strings == [tfc.encode(row) for row in symbols]
    out = np.asarray(decode_batch("test", strings, shape[1], (shape[0],)))
    np.testing.assert_array_equal(out[: symbols.size].reshape(shape), np.maximum(symbols, INT32_MIN + 1))


def test_large_values_switch_to_smaller_groups():
    rng = np.random.default_rng(2)
    symbols = rng.integers(-(2**30), 2**30, (4, 50)).astype(np.int32)
    strings = encode_batch(symbols)
    assert strings == [tfc.encode(row) for row in symbols]


# ---------------------------------------------------------------- properties

int32_values = st.one_of(
    st.integers(INT32_MIN, INT32_MAX),
    st.sampled_from([0, 0, 0, 1, -1, INT32_MIN, INT32_MAX, INT32_MIN + 1]),
    st.integers(-40, 40),
)


@given(hnp.arrays(np.int32, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=9), elements=int32_values))
def test_round_trip_of_arbitrary_int32_arrays_matches_tfc(symbols):
    code = run_length_gamma_encode(symbols)
    assert code == tfc.encode(symbols)
    np.testing.assert_array_equal(run_length_gamma_decode(code, symbols.shape), np.maximum(symbols, INT32_MIN + 1))


@given(
    hnp.arrays(np.int32, st.tuples(st.integers(1, 6), st.integers(0, 30)), elements=int32_values),
)
def test_batches_of_any_unit_length_round_trip(symbols):
    strings = encode_batch(symbols)
    assert strings == [tfc.encode(row) for row in symbols]
    if symbols.shape[1]:
        out = np.asarray(decode_batch("test", strings, symbols.shape[1], (len(strings),)))
        np.testing.assert_array_equal(out[: symbols.size].reshape(symbols.shape), np.maximum(symbols, INT32_MIN + 1))


def _tfc_outcome(data, n):
    try:
        return tfc.decode(data, n)
    except tfc.DataLoss:
        return None


def _check_against_tfc(data, n):
    expected = _tfc_outcome(data, n)
    if expected is None:
        with pytest.raises(CorruptDataError):
            run_length_gamma_decode(data, (n,))
    else:
        np.testing.assert_array_equal(run_length_gamma_decode(data, (n,)), expected)


@given(st.binary(max_size=40), st.integers(0, 60))
def test_random_bytes_decode_or_fail_exactly_as_tfc(data, n):
    _check_against_tfc(data, n)


@given(
    hnp.arrays(np.int32, st.integers(1, 40), elements=st.integers(-9, 9)),
    st.lists(st.integers(0, 10**6), max_size=4),
    st.integers(-3, 3),
    st.integers(-2, 2),
)
def test_mutated_codes_decode_or_fail_exactly_as_tfc(symbols, flips, cut, extra):
    code = bytearray(run_length_gamma_encode(symbols))
    for flip in flips:
        if code:
            code[flip % len(code)] ^= 1 << (flip // len(code) % 8)
    code = bytes(code[: len(code) + cut] if cut < 0 else code + bytes([0xA5] * cut))
    _check_against_tfc(code, max(symbols.size + extra, 0))
