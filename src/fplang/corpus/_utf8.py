"""Compiled (numba) passes over the UTF-8 buffer of an Arrow string array: code points, byte offsets, slices.

The corpus build keeps its texts as Arrow strings: a buffer of UTF-8 bytes and
the offsets where each text starts.  Cutting a partition's sentences (or a
count's matches) out of its texts one Python ``str`` at a time costs more than
finding them; these kernels read the code points straight from the buffer,
turn character offsets into byte offsets, and copy the byte ranges of the
pieces into a new buffer, so that a column of millions of sentences is made
without a Python object per sentence (:func:`string_array`).

Arrow string arrays hold valid UTF-8 (pyarrow checks every ``str`` it is
given), so :func:`decode` does not check the bytes it reads.
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa

_MAX_STRING_BYTES = 2**31 - 1
"""The most bytes one chunk of an Arrow ``string`` (int32 offsets) can hold."""


def buffers(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes and the int64 offsets of a string or large-string array, without copying the bytes."""
    _, offsets_buffer, data_buffer = texts.buffers()
    width = np.int64 if pa.types.is_large_string(texts.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=width)[texts.offset : texts.offset + len(texts) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, dtype=np.uint8)
    return data, offsets.astype(np.int64)


@numba.njit(cache=True, nogil=True)
def decode(data: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The code points of texts ``data[offsets[i]:offsets[i + 1]]``, one after another, and where each text's begin.

    Returns ``chars`` (uint32) and ``char_offsets`` (int64[n_texts + 1]):
    ``chars[char_offsets[i]:char_offsets[i + 1]]`` is text ``i`` as
    :func:`fplang.corpus._kernels.code_points` gives it.
    """
    n_texts = len(offsets) - 1
    chars = np.empty(offsets[n_texts] - offsets[0], dtype=np.uint32)
    char_offsets = np.empty(n_texts + 1, dtype=np.int64)
    k = 0
    for text in range(n_texts):
        char_offsets[text] = k
        position, stop = offsets[text], offsets[text + 1]
        while position < stop:
            lead = data[position]
            if lead < 0x80:  # ASCII, most characters: no conversion
                chars[k] = lead
                position += 1
                k += 1
                continue
            code = np.uint32(lead)
            if code < 0xE0:
                chars[k] = ((code & 0x1F) << 6) | (np.uint32(data[position + 1]) & 0x3F)
                position += 2
            elif code < 0xF0:
                chars[k] = (
                    ((code & 0x0F) << 12) | ((np.uint32(data[position + 1]) & 0x3F) << 6)
                    | (np.uint32(data[position + 2]) & 0x3F)
                )  # fmt: skip
                position += 3
            else:
                chars[k] = (
                    ((code & 0x07) << 18) | ((np.uint32(data[position + 1]) & 0x3F) << 12)
                    | ((np.uint32(data[position + 2]) & 0x3F) << 6) | (np.uint32(data[position + 3]) & 0x3F)
                )  # fmt: skip
                position += 4
            k += 1
    char_offsets[n_texts] = k
    return chars[:k], char_offsets


@numba.njit(cache=True, nogil=True)
def byte_offsets(chars: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The UTF-8 byte offset of each character offset in ``positions`` (non-decreasing), in one pass over ``chars``."""
    out = np.empty(len(positions), dtype=np.int64)
    byte = 0
    char = 0
    for i in range(len(positions)):
        target = positions[i]
        while char < target:
            code = chars[char]
            byte += 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
            char += 1
        out[i] = byte
    return out


@numba.njit(cache=True, nogil=True)
def gather(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The byte ranges ``data[starts[i]:ends[i]]`` one after another, and the int64 offsets where each begins."""
    n = len(starts)
    offsets = np.empty(n + 1, dtype=np.int64)
    offsets[0] = 0
    for i in range(n):
        offsets[i + 1] = offsets[i] + (ends[i] - starts[i])
    out = np.empty(offsets[n], dtype=np.uint8)
    for i in range(n):
        out[offsets[i] : offsets[i + 1]] = data[starts[i] : ends[i]]
    return out, offsets


def string_array(data: np.ndarray, offsets: np.ndarray) -> pa.Array | pa.ChunkedArray:
    """Arrow ``string`` values ``data[offsets[i]:offsets[i + 1]]``: one array, or chunks when past 2 GiB.

    ``data`` must hold valid UTF-8 at every cut (slices of Arrow strings at
    character boundaries do).  No Python ``str`` is made.
    """
    n = len(offsets) - 1
    if offsets[-1] - offsets[0] <= _MAX_STRING_BYTES:
        return _string_chunk(data, offsets)
    chunks, low = [], 0
    while low < n:  # the most values from ``low`` on whose bytes fit one chunk (at least one value)
        high = max(int(np.searchsorted(offsets, offsets[low] + _MAX_STRING_BYTES, side="right")) - 1, low + 1)
        chunks.append(_string_chunk(data, offsets[low : high + 1]))
        low = high
    return pa.chunked_array(chunks, type=pa.string())


def _string_chunk(data: np.ndarray, offsets: np.ndarray) -> pa.Array:
    base = int(offsets[0])
    if offsets[-1] - base > _MAX_STRING_BYTES:
        raise ValueError("a single string of more than 2 GiB cannot be an Arrow string")
    relative = (offsets - base).astype(np.int32)
    content = data[base : int(offsets[-1])]
    return pa.Array.from_buffers(pa.string(), len(offsets) - 1, [None, pa.py_buffer(relative), pa.py_buffer(content)])
