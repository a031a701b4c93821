"""Run-length gamma decoder for a batch of coding units (private).

All strings of a batch are concatenated into one buffer of little-endian 64-bit
words (padded with zero words so that no read leaves it) and decoded by one
compiled XLA loop, unit after unit, with each unit's bit range as its limit.

Per unit, a *fast* loop reads the next ``_TABLE_BITS`` bits of the stream and looks
them up in a table built once from the code itself: the entry says how many whole
tokens (zero run, sign, magnitude) those bits hold, how many bits they take and
which ``_BLOCK`` output values they produce (zeros included), which are written as
one block. Whatever the table does not cover — long codes, a block that would run
past the unit or its bits, the trailing zero run, corrupt data — falls to a *slow*
step that decodes a single token with count-trailing-zeros on a 128-bit window and
checks every rule of TFC's decoder. The first violation stops the loop; the exact
diagnosis (truncated data, a gamma code wider than 31 bits, a run past the end of
the unit) is then made on the host by re-reading that one token bit by bit.

The loop state is one uint64 ``bit position << 32 | element index`` (bit 31 flags an
error), so a unit's string may hold up to ``2**32`` bits (512 MiB) and a unit up to
``2**31 - 2`` elements.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from jaxbig.entropy._bits import (
    MAX_GAMMA_WIDTH,
    aligned_zeros,
    bucket,
    count_trailing_zeros,
    funnel,
    to_cpu,
    x64,
)

#: Bits looked up per fast step (a table of ``2**_TABLE_BITS`` entries).
_TABLE_BITS = 14
#: Output values written per fast step.
_BLOCK = 6
#: Error flag in the loop state.
_ERR = 1 << 31
#: Longest string a unit may have, in bytes (the state holds 32-bit bit positions).
MAX_STRING_BYTES = 1 << 29
#: Batches with fewer symbols share kernels compiled for size buckets.
_EXACT_SIZE = 1 << 16

_U64 = jnp.uint64


def _np_ctz(x: np.ndarray) -> np.ndarray:
    """Trailing zeros of positive int64s."""
    return np.frexp((x & -x).astype(np.float64))[1].astype(np.int64) - 1


@functools.cache
def _tables(bits: int = _TABLE_BITS, block: int = _BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """Block-decoding tables for every ``bits``-bit window of the stream.

    Returns:
      ``(values, meta)``: ``values`` int8 ``(2**bits, block)``, the decoded output
      positions (zeros and signed magnitudes); ``meta`` int32 ``(2**bits,)``,
      ``advance | consumed_bits << 8``. ``advance`` is 0 when the window does not
      start with a whole token whose values fit the block.
    """
    size = 1 << bits
    w = np.arange(size, dtype=np.int64)
    values = np.zeros((size, block), np.int8)
    advance = np.zeros(size, np.int64)
    consumed = np.zeros(size, np.int64)
    active = np.ones(size, bool)
    rows = np.arange(size)

    def gamma(at: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rest = w >> np.minimum(at, bits)
        ok = rest != 0
        z = np.where(ok, _np_ctz(np.where(ok, rest, 1)), bits)
        end = at + 2 * z + 1
        ok &= end <= bits
        low = (rest >> np.minimum(z + 1, 62)) & ((1 << np.minimum(z, 62)) - 1)
        return ok, (1 << np.minimum(z, 62)) | low, end

    for _ in range(block):  # every token advances the output by at least one
        ok_run, run, at = gamma(consumed)
        ok_sign = at < bits
        sign = (w >> np.minimum(at, bits - 1)) & 1
        ok_mag, mag, end = gamma(at + 1)
        take = active & ok_run & ok_sign & ok_mag & (advance + run <= block) & (mag <= 127)
        slot = np.where(take, advance + run - 1, 0)
        values[rows[take], slot[take]] = np.where(sign == 1, mag, -mag)[take]
        advance = np.where(take, advance + run, advance)
        consumed = np.where(take, end, consumed)
        active &= take
    meta = (advance | (consumed << 8)).astype(np.int32)
    return values, meta


@functools.cache
def _device_tables() -> tuple[jax.Array, jax.Array]:
    """The tables of :func:`_tables` on the CPU device (built once)."""
    values, meta = _tables()
    return to_cpu(values), to_cpu(meta)


def _decode_pass(
    words: jax.Array,
    bounds: jax.Array,
    values: jax.Array,
    meta: jax.Array,
    num_units: jax.Array,
    n: int | jax.Array,
    *,
    out_size: int,
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Decodes ``num_units`` units of ``n`` elements each.

    Args:
      words: the concatenated strings as uint64 words, zero padded by ≥ 3 words.
      bounds: uint64 ``(2, ≥ num_units)``, each unit's first and one-past-last bit.
      values, meta: the tables of :func:`_tables`.
      num_units: the number of units to decode.
      n: elements per unit (``1 ≤ n ≤ 2**31 - 2``).
      out_size: output buffer size, ``≥ num_units · n + block``.

    Returns:
      ``(u, state, out)``: the number of units decoded, the loop state (``state &
      2**31`` flags an error in unit ``u`` at bit ``state >> 32`` and element
      ``state & (2**31 - 1)``), and the int32 output buffer.
    """
    block = values.shape[1]
    mask = _U64(meta.shape[0] - 1)
    one, low32, err = _U64(1), _U64(0xFFFFFFFF), _U64(_ERR)
    size = jnp.asarray(n).astype(_U64)

    def step(carry):
        """The fast loop over one unit's blocks, a slow token if needed, then maybe the next unit."""
        u, state, start, limit, out = carry
        base = u * n

        def read(pos, k):
            at = start + pos
            q = (at >> _U64(6)).astype(jnp.int64)
            s = at & _U64(63)
            if k == 2:
                return funnel(words[q], words[q + 1], s)
            return funnel(words[q], words[q + 1], s), funnel(words[q + 1], words[q + 2], s)

        def lookup(state):
            pos, i = state >> _U64(32), state & low32
            entry = (read(pos, 2) & mask).astype(jnp.int32)
            m = meta[entry].astype(_U64)
            advance, consumed = m & _U64(255), m >> _U64(8)
            ok = (advance > 0) & (i + advance <= size) & (pos + consumed <= limit)
            return ok, entry, pos, i, advance, consumed

        def fast_step(c):
            state, out = c
            _, entry, pos, i, advance, consumed = lookup(state)
            block_values = lax.dynamic_slice(values, (entry, jnp.int32(0)), (1, block))[0]
            out = lax.dynamic_update_slice(out, block_values.astype(jnp.int32), (base + i.astype(jnp.int64),))
            return ((pos + consumed) << _U64(32)) | (i + advance), out

        def slow_step(c):
            state, out = c
            pos, i = state >> _U64(32), state & low32
            lo, hi = read(pos, 3)
            z1 = count_trailing_zeros(lo)
            run = ((lo >> (z1 + one)) & ((one << z1) - one)) | (one << z1)
            run_end = pos + z1 + z1 + one
            positive = (lo >> (z1 + z1 + one)) & one
            rest = funnel(lo, hi, z1 + z1 + _U64(2))
            z2 = count_trailing_zeros(rest)
            mag = ((rest >> (z2 + one)) & ((one << z2) - one)) | (one << z2)
            end = run_end + one + z2 + z2 + one
            at = i + run - one  # element the token's value goes to
            trailing = at >= size
            width = _U64(MAX_GAMMA_WIDTH - 1)
            bad = (z1 > width) | (run_end > limit)
            bad |= jnp.where(trailing, at != size, (z2 > width) | (end > limit))
            nxt = jnp.where(trailing, (run_end << _U64(32)) | size, (end << _U64(32)) | (at + one))
            value = jnp.where(positive == one, mag.astype(jnp.int32), -mag.astype(jnp.int32))
            value = jnp.where(trailing, 0, value)
            index = base + jnp.minimum(at, size).astype(jnp.int64)
            out = lax.dynamic_update_slice(out, value[None], (index,))
            return jnp.where(bad, state | err, nxt), out

        state, out = lax.while_loop(lambda c: lookup(c[0])[0], fast_step, (state, out))
        state, out = lax.cond((state & low32) < size, slow_step, lambda c: c, (state, out))
        # A finished unit (never one with an error: the flag makes state & low32 > size).
        done = (state & low32) == size
        u = u + done
        following = jnp.minimum(u, bounds.shape[1] - 1)
        start = jnp.where(done, bounds[0, following], start)
        limit = jnp.where(done, bounds[1, following] - start, limit)
        return u, jnp.where(done, _U64(0), state), start, limit, out

    def more(carry):
        u, state = carry[:2]
        return (u < num_units) & ((state & err) == 0)

    init = (jnp.int64(0), _U64(0), bounds[0, 0], bounds[1, 0] - bounds[0, 0], jnp.zeros(out_size, jnp.int32))
    u, state, _, _, out = lax.while_loop(more, step, init)
    return u, state, out


#: Large batches compile for their unit size ``n`` (a constant speeds the loop up);
#: small ones share one kernel per size bucket, with ``n`` an argument.
_decode_exact = jax.jit(_decode_pass, static_argnames=("n", "out_size"))
_decode_shared = jax.jit(_decode_pass, static_argnames=("out_size",))


def _power_of_two(size: int) -> int:
    """The smallest power of two ≥ ``size`` (and ≥ 16)."""
    return max(16, 1 << (size - 1).bit_length())


def _bit(data: np.ndarray, p: int) -> int:
    return int(data[p >> 3] >> (p & 7)) & 1


def _next_one(data: np.ndarray, p: int) -> int:
    """Position of the first set bit at or after ``p`` (``8·len(data)`` if none)."""
    bits = np.unpackbits(data[p >> 3 :], bitorder="little")[p & 7 :]
    hits = np.flatnonzero(bits)
    return p + int(hits[0]) if hits.size else 8 * data.size


def diagnose(data: bytes, n: int, pos: int, i: int) -> tuple[str, int, str]:
    """Why the token at bit ``pos`` (output element ``i``) of ``data`` cannot be decoded.

    Re-reads the token bit by bit exactly as TFC's ``BitReader`` does.

    Returns:
      ``(reason, bit, message)`` with ``reason`` one of ``"truncated"``,
      ``"gamma_width"``, ``"run_past_end"``.
    """
    arr = np.frombuffer(data, np.uint8)
    nbits = 8 * arr.size

    def gamma(p: int, what: str) -> tuple[int, int] | tuple[str, int, str]:
        one_at = _next_one(arr, p)
        if one_at >= nbits:
            return ("truncated", nbits, f"truncated: the data ends at bit {nbits} inside "
                    f"the unary part of the {what} gamma code that starts at bit {p}")
        width = one_at - p + 1
        if width > MAX_GAMMA_WIDTH:
            return ("gamma_width", p, f"the {what} gamma code at bit {p} codes a {width}-bit "
                    f"value: wider than {MAX_GAMMA_WIDTH} bits")
        end = one_at + width
        if end > nbits:
            return ("truncated", nbits, f"truncated: the data ends at bit {nbits} inside the "
                    f"{what} gamma code that spans bits {p}..{end - 1}")
        value = 1 << (width - 1)
        for k in range(width - 1):
            value |= _bit(arr, one_at + 1 + k) << k
        return value, end

    got = gamma(pos, "zero-run")
    if isinstance(got[0], str):
        return got  # type: ignore[return-value]
    run, p = got
    if i + run - 1 >= n:
        return ("run_past_end", pos, f"the zero run coded at bit {pos} ends at element "
                f"{i + run - 1}, past the end of the {n}-element coding unit")
    if p >= nbits:
        return ("truncated", nbits, f"truncated: the data ends at bit {nbits} before the sign "
                f"bit of the token at bit {pos}")
    got = gamma(p + 1, "magnitude")
    if isinstance(got[0], str):
        return got  # type: ignore[return-value]
    raise AssertionError(f"token at bit {pos} of a {nbits}-bit string decodes")  # pragma: no cover


def decode_units(data: bytes, ends: np.ndarray, n: int) -> tuple[jax.Array, tuple[int, int, int] | None]:
    """Decodes consecutive strings of ``n`` elements each.

    Args:
      data: the strings concatenated.
      ends: int64 ``(U,)``, the byte offset where each string ends (``U ≥ 1``).
      n: elements per string, ``1 ≤ n ≤ 2**31 - 2``.

    Returns:
      ``(out, failure)``: ``out`` an int32 buffer (on the CPU) whose first ``U·n``
      entries are the decoded values; ``failure`` is ``None``, or ``(unit, bit,
      element)`` of the first token that breaks the code (then ``out`` is garbage).
    """
    num_units = ends.size
    exact = num_units * n >= _EXACT_SIZE
    if exact:
        out_size = bucket(num_units * n + _BLOCK)
        num_words, rows = bucket(len(data) // 8 + 4), bucket(num_units)
    else:  # sizes that depend on one power of two, so small batches share kernels
        out_size = _power_of_two(num_units * n + _BLOCK)
        num_words, rows = max(_power_of_two(len(data) // 8 + 4), out_size), out_size
    buffer = aligned_zeros(num_words, np.uint64)
    buffer.view(np.uint8)[: len(data)] = np.frombuffer(data, np.uint8)
    bounds = aligned_zeros((2, rows), np.uint64)
    bounds[0, 1:num_units] = ends[:-1] * 8
    bounds[1, :num_units] = ends * 8
    values, meta = _device_tables()
    with x64():
        args = (to_cpu(buffer), to_cpu(bounds), values, meta, np.int64(num_units))
        if exact:
            u, state, out = _decode_exact(*args, n=n, out_size=out_size)
        else:
            u, state, out = _decode_shared(*args, np.int64(n), out_size=out_size)
        state = int(state)
    if state & _ERR:
        return out, (int(u), state >> 32, state & (_ERR - 1))
    return out, None
