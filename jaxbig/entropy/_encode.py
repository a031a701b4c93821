"""Run-length gamma encoder for a batch of coding units (private).

The bit stream of a unit is a sequence of tokens, one per nonzero symbol: the gamma
code of the zero run before it plus one, a sign bit, the gamma code of its
magnitude; a trailing zero run ends the unit as one more gamma code. The encoder
never loops over symbols in Python and never loops over them one by one at all:

1. *carry pass* (XLA, parallel): every unit is cut into groups of ``G`` symbols;
   for each group the position of its last nonzero symbol. A prefix maximum over
   the groups of a unit (NumPy) gives each group the position of the last nonzero
   symbol before it, which is all a group needs to know about its left context.
2. *group pass* (XLA, parallel): each group builds its whole bit string — run
   lengths, gamma codes, signs, concatenation — as one 64-bit word: the string in
   the low bits and a stop bit above it, so the word also encodes its length. A
   group whose string does not fit in 62 bits stores ``2**63 | length`` instead.
   ``G = 8``; when the strings turn out to average more than ``_GROUP_BITS`` bits
   (large values), steps 1-2 are redone once with ``G ∈ {4, 2, 1}``.
3. *pack pass* (XLA, one compiled loop over pairs of groups, not symbols): ORs
   each pair's bits into the output words at a running bit offset and pads every
   unit to a byte boundary; where units end follows from the string lengths.
4. The rare groups of step 2 that did not fit are coded symbol by symbol in NumPy
   at the offsets the pack pass recorded and ORed into the words.

Memory is O(number of symbols): the input, one word per group, the output words.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from jaxbig.entropy._bits import INT32_MAX, aligned_zeros, bucket, gamma_code, to_cpu, x64
from jaxbig.entropy._strings import buffer_size, header_size, split_strings

#: Symbols per group (unless the codes are long).
LANE = 8
#: Target mean length of a group's bit string, which chooses the group size.
_GROUP_BITS = 44
#: Inputs smaller than this are padded to bucketed shapes to share compiled kernels.
_EXACT_SIZE = 1 << 16


def _magnitude(v: jax.Array) -> jax.Array:
    """``|v|`` of int32 ``v``, with INT32_MIN coded as INT32_MIN + 1 (as TFC does)."""
    return jnp.where(v == -(2**31), INT32_MAX, jnp.abs(v))


def _place(count: int, per_unit: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``(unit, index in unit)`` of items ``0 … count-1`` laid out ``per_unit`` to a unit.

    Divides through a float64 reciprocal, which vectorises (integer division does
    not) and is exact for ``count < 2**31``: ``(g + ½)/K`` is ``½/K`` away from an
    integer, far more than the rounding error.
    """
    g = jnp.arange(count, dtype=jnp.int32)
    unit = jnp.floor((g.astype(jnp.float64) + 0.5) * (1.0 / per_unit.astype(jnp.float64))).astype(jnp.int32)
    return unit, g - unit * per_unit


def _last_nonzero(xg: jax.Array, j: jax.Array) -> jax.Array:
    """Unit position of the last nonzero symbol of each group ``(M, group)`` (-1 if none)."""
    last = jnp.max(jnp.where(xg != 0, jnp.arange(xg.shape[1], dtype=jnp.int32), -1), axis=1)
    return jnp.where(last >= 0, j * xg.shape[1] + last, -1)


@functools.partial(jax.jit, static_argnames=("group",))
def _carry_pass(x: jax.Array, per_unit: jax.Array, *, group: int) -> jax.Array:
    """The unit position of the last nonzero symbol of each group (-1 if none).

    Args:
      x: symbols, int32, ``M · group`` of them in C order (any shape): units of
        ``per_unit`` groups each, in turn.
      per_unit: groups per unit ``K``.
      group: symbols per group.

    Returns:
      int32 ``(M,)``.
    """
    xg = x.reshape(-1, group)
    return _last_nonzero(xg, _place(xg.shape[0], per_unit)[1])


@functools.partial(jax.jit, static_argnames=("group",))
def _group_pass(
    x: jax.Array, before: jax.Array, n: jax.Array, per_unit: jax.Array, *, group: int
) -> tuple[jax.Array, jax.Array]:
    """The bit string of every group of ``group`` symbols, as one int64 word each.

    Args:
      x: symbols as for :func:`_carry_pass`, zero beyond the unit length ``n`` in
        each unit.
      before: int32 ``(M,)``, the position of the last nonzero symbol of the unit
        before each group (-1 if none).
      n: the unit length.
      per_unit: groups per unit ``K`` (``K · group ≥ n``).
      group: symbols per group.

    Returns:
      ``(words, bits)``: ``words`` int64 ``(M,)``, each the group's string with a
      stop bit at its length (``2**63 | length`` when it needs more than 62 bits);
      ``bits`` int64 ``(x.shape[0],)``, the total length of the strings of each row
      of ``x``.
    """
    xg = x.reshape(-1, group)
    _, j = _place(xg.shape[0], per_unit)
    start = j * group
    bits = jnp.zeros(xg.shape[0], jnp.int64)
    length = jnp.zeros(xg.shape[0], jnp.int64)
    prev = before
    for c in range(group):
        v = xg[:, c]
        nonzero = v != 0
        here = start + c
        run_code, run_len = gamma_code(here - prev)
        mag_code, mag_len = gamma_code(jnp.maximum(_magnitude(v), 1))
        token = run_code | ((v > 0).astype(jnp.int64) << run_len) | (mag_code << (run_len + 1))
        bits = bits | jnp.where(nonzero, token << length, 0)
        length = length + jnp.where(nonzero, run_len + 1 + mag_len, 0)
        prev = jnp.where(nonzero, here, prev)
    # The unit's trailing zero run closes its last group.
    trail = n - prev
    trail_code, trail_len = gamma_code(jnp.maximum(trail, 1))
    closes = (j == per_unit - 1) & (trail > 1)
    bits = bits | jnp.where(closes, trail_code << length, 0)
    length = length + jnp.where(closes, trail_len, 0)
    words = jnp.where(length <= 62, bits | (jnp.int64(1) << length), jnp.int64(-(2**63)) | length)
    # The barrier keeps XLA from recomputing every word inside the length sum.
    words = lax.optimization_barrier(words)
    return words, jnp.sum(_word_length(words).reshape(x.shape[0], -1), axis=1)


def _word_length(words: jax.Array) -> jax.Array:
    """The string length held by a group word (see :func:`_group_pass`)."""
    spilled = words < 0
    return jnp.where(spilled, words & 0xFFFF, 63 - lax.clz(words))


@functools.partial(jax.jit, static_argnames=("num_words", "num_spills", "header"))
def _pack_pass(
    words: jax.Array, per_unit: jax.Array, *, num_words: int, num_spills: int, header: int
) -> tuple[jax.Array, jax.Array]:
    """ORs the group strings into little-endian 64-bit output words.

    One compiled loop over pairs of groups joins the two strings (at most 124
    bits), ORs them into three output words at the running bit offset and pads the
    offset to a byte boundary after the last pair of each unit, then skips the
    ``header`` bytes the next string needs (the layout of :mod:`._strings`). A pair
    with a spilled group writes nothing there: its offset goes to a list, and both
    its groups are patched afterwards.

    (XLA notes: where units end follows from the string lengths, so it is not
    recorded here. Unrolling the loop gained nothing, and made the data-dependent
    updates of the offsets list 30 times slower: XLA then copies buffers.)

    Args:
      words: group words, int64 ``(M,)``, ``K = per_unit`` groups per unit in turn,
        ``K`` even (groups past the last unit only add bits after it).
      per_unit: groups per unit ``K``.
      num_words: size of the output buffer (≥ the packed length plus 3 words).
      num_spills: size of the offsets list (≥ the number of pairs with a spilled
        group; 0 when there are none).
      header: bytes left free before each string (0, 2 or 5), and one more before
        the first when it is not 0.

    Returns:
      ``(out, offsets)``: uint64 ``(num_words,)`` and ``(num_spills + 1,)``, the
      bit offsets of the pairs with a spilled group, in order.
    """
    count = words.shape[0] // 2
    one, u64 = jnp.uint64(1), jnp.uint64
    _, within = _place(count, per_unit // 2)
    last = within == per_unit // 2 - 1

    def step(p, carry):
        pos, out, k, offsets = carry
        w0, w1 = words[2 * p], words[2 * p + 1]
        l0, l1 = _word_length(w0).astype(u64), _word_length(w1).astype(u64)
        spilled = (w0 < 0) | (w1 < 0)
        b0 = jnp.where(spilled, u64(0), w0.astype(u64) ^ (one << l0))
        b1 = jnp.where(spilled, u64(0), w1.astype(u64) ^ (one << l1))
        lo = b0 | (b1 << l0)  # l0 ≤ 62 unless spilled (then the bits are 0)
        hi = (b1 >> one) >> (u64(63) - l0)
        q = (pos >> u64(6)).astype(jnp.int64)
        s = pos & u64(63)
        low = (lo >> one) >> (u64(63) - s)  # lo >> (64 - s), 0 when s = 0
        parts = jnp.stack([lo << s, low | (hi << s), (hi >> one) >> (u64(63) - s)])
        out = lax.dynamic_update_slice(out, lax.dynamic_slice(out, (q,), (3,)) | parts, (q,))
        if num_spills:  # (written every step: the next spill overwrites a non-spill's entry)
            offsets = lax.dynamic_update_slice(offsets, pos[None], (k,))
            k = k + spilled.astype(jnp.int32)
        pos = pos + l0 + l1
        return jnp.where(last[p], ((pos + u64(7)) & ~u64(7)) + u64(8 * header), pos), out, k, offsets

    start = u64(8 * (header + 1) if header else 0)  # MARK and the first header
    init = (start, jnp.zeros(num_words, u64), jnp.int32(0), jnp.zeros(num_spills + 1, u64))
    _, out, _, offsets = lax.fori_loop(0, count, step, init)
    return out, offsets


def _np_word_length(words: np.ndarray) -> np.ndarray:
    """NumPy twin of :func:`_word_length` (exact: float64 only sees 52-bit values)."""
    high = words >> 11
    log = np.where(high > 0, np.frexp(high.astype(np.float64))[1] + 10, np.frexp(words.astype(np.float64))[1] - 1)
    return np.where(words < 0, words & 0xFFFF, log).astype(np.int64)


def _np_gamma(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """NumPy twin of :func:`gamma_code` for ``1 ≤ v < 2**31`` (int64 in, uint64/int64 out)."""
    e = (np.frexp(v.astype(np.float64))[1] - 1).astype(np.int64)
    u = v.astype(np.uint64)
    eu = e.astype(np.uint64)
    one = np.uint64(1)
    return (((u << one) | one) << eu) ^ (one << (np.uint64(2) * eu + one)), 2 * e + 1


def _patch_spilled(
    out: np.ndarray, x: np.ndarray, before: np.ndarray, offsets: np.ndarray,
    spilled: np.ndarray, n: int, width: int, group: int,
) -> None:
    """Writes the given groups symbol by symbol at the given bit offsets (in place).

    Each token is written as two pieces of at most 62 bits (run code + sign,
    magnitude code), so every piece touches at most two output words.
    """
    per_unit = width // group
    first = (spilled % per_unit) * group  # position of the group's first symbol in its unit
    prev = before[spilled].astype(np.int64)
    pos = offsets.astype(np.int64)
    starts, pieces = [], []
    for c in range(group):
        here = first + c
        v = x[spilled * group + c].astype(np.int64)
        nonzero = v != 0
        run_code, run_len = _np_gamma(np.where(nonzero, here - prev, 1))
        mag_code, mag_len = _np_gamma(np.maximum(np.minimum(np.abs(v), INT32_MAX), 1))
        head = run_code | ((v > 0).astype(np.uint64) << run_len.astype(np.uint64))
        sel = np.flatnonzero(nonzero)
        starts += [pos[sel], pos[sel] + run_len[sel] + 1]
        pieces += [head[sel], mag_code[sel]]
        pos = pos + np.where(nonzero, run_len + 1 + mag_len, 0)
        prev = np.where(nonzero, here, prev)
    closes = (first + group == width) & (n - prev > 1)
    trail_code, _ = _np_gamma(np.maximum(n - prev, 1))
    sel = np.flatnonzero(closes)
    starts.append(pos[sel])
    pieces.append(trail_code[sel])
    starts = np.concatenate(starts).astype(np.uint64)
    pieces = np.concatenate(pieces)
    q = (starts >> np.uint64(6)).astype(np.int64)
    s = starts & np.uint64(63)
    np.bitwise_or.at(out, q, pieces << s)
    high = s != 0
    np.bitwise_or.at(out, q[high] + 1, pieces[high] >> (np.uint64(64) - s[high]))


def _group_size(bits: int, count: int) -> int:
    """The largest group size whose strings average at most ``_GROUP_BITS`` bits."""
    mean = bits / max(count, 1)
    for group in (LANE, 4, 2):
        if group * mean <= _GROUP_BITS:
            return group
    return 1


def _groups(x: jax.Array, U: int, n: int, width: int, group: int) -> tuple[np.ndarray, jax.Array, np.ndarray]:
    """Carry and group passes: ``(before, words, bits per row of x)``."""
    per_unit = np.int32(width // group)
    last = np.asarray(_carry_pass(x, per_unit, group=group))
    before = np.full_like(last, -1)
    real, carry = last[: U * per_unit].reshape(U, per_unit), before[: U * per_unit].reshape(U, per_unit)
    if per_unit <= 16:  # short rows: column by column beats an accumulate along each row
        for k in range(1, per_unit):
            np.maximum(carry[:, k - 1], real[:, k - 1], out=carry[:, k])
    else:
        np.maximum.accumulate(real[:, :-1], axis=1, out=carry[:, 1:])
    words, bits = _group_pass(x, to_cpu(before), np.int32(n), per_unit, group=group)
    return before, words, np.asarray(bits)


def encode_units(symbols: jax.Array) -> list[bytes]:
    """Codes every row of ``symbols`` as one run-length gamma string.

    Args:
      symbols: int32 array ``(U, n)`` (any device), ``U ≥ 1``, ``1 ≤ n < 2**31 - 1``.

    Returns:
      ``U`` bytes objects.
    """
    U, n = symbols.shape
    width = -(-n // (2 * LANE)) * 2 * LANE  # an even number of groups per unit, for the pack pass
    size = U * width
    # Large inputs run at their exact size. Small ones are padded to a power-of-two
    # size and use buffers that only depend on it, so that all small shapes share a
    # few compiled kernels.
    exact = size >= _EXACT_SIZE
    padded = size if exact else max(1 << (size - 1).bit_length(), 256)
    with x64():
        # (The kernels flatten x themselves: an eager reshape would copy it.)
        if exact:
            x = to_cpu(symbols)
            if width != n:
                x = jnp.pad(x, ((0, 0), (0, width - n)))
        else:  # pad on the host: an XLA pad would compile for every small shape
            x = aligned_zeros(padded, np.int32)
            x[:size].reshape(U, width)[:, :n] = np.asarray(symbols)
            x = to_cpu(x[None])
        group = LANE
        before, words, bits = _groups(x, U, n, width, group)
        smaller = _group_size(int(bits.sum()), padded)
        if smaller < group:  # long codes: most groups of eight would not fit a word
            group = smaller
            before, words, bits = _groups(x, U, n, width, group)
        total_bits = int(bits.sum())  # the padding units' too
        host_words = np.asarray(words)
        if not exact:  # one row: sum the units' lengths here
            bits = _np_word_length(host_words[: U * width // group]).reshape(U, -1).sum(axis=1)
        lengths = (bits[:U] + 7) // 8
        header = header_size(lengths)
        spilled = np.flatnonzero(host_words < 0)
        # Room for all bits, byte padding and headers (the padding units' too) and
        # the last three-word update; small inputs share one size unless their codes
        # are long.
        units = padded // width + 1
        needed = (total_bits + 8 * (padded // group) + 8 * header * (units + 1)) // 64 + 4
        num_words = bucket(needed) if exact else max(1 << (needed - 1).bit_length(), padded // 8)
        pairs = np.unique(spilled // 2)  # both groups of every pair with a spilled one are patched
        num_spills = 0 if not pairs.size else max(1 << (int(pairs.size) - 1).bit_length(), 16)
        out, offsets = _pack_pass(
            words, np.int32(width // group), num_words=num_words, num_spills=num_spills, header=header
        )
        out = np.asarray(out)[: -(-buffer_size(lengths, header) // 8) + 1]
        if header or pairs.size:  # patched here, or split_strings writes the headers
            out = out.copy()
        if pairs.size:
            offsets = np.asarray(offsets)[: pairs.size].astype(np.int64)
            patch = np.concatenate([2 * pairs, 2 * pairs + 1])
            starts = np.concatenate([offsets, offsets + _np_word_length(host_words[2 * pairs])])
            _patch_spilled(out, np.asarray(x).reshape(-1), before, starts, patch, n, width, group)
    return split_strings(out.view(np.uint8), lengths, header)
