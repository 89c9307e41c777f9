"""Rows of a 2-D `.npy` matrix read on demand with `pread`, for large stores read a few rows at a time.

Mapping such a file makes every page ever touched count as the server's memory (RSS)
until the kernel reclaims it; reading the few rows a question needs keeps them in the
OS page cache instead, shared and reclaimable, and the process stays small.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np


class NpyRows:
    """Read-only rows of a C-ordered 2-D `.npy` file (kept open; thread-safe: `pread` has no file position)."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as handle:
            version = np.lib.format.read_magic(handle)
            if version not in ((1, 0), (2, 0)):
                raise ValueError(f"{path.name}: unsupported .npy version {version}")
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read_header(handle)
            offset = handle.tell()
        if fortran or len(shape) != 2:
            raise ValueError(f"{path.name}: expected a C-ordered 2-D array, got shape {shape}")
        self.shape: tuple[int, int] = (int(shape[0]), int(shape[1]))
        self.dtype = np.dtype(dtype)
        self._offset = offset
        self._row_bytes = self.shape[1] * self.dtype.itemsize
        if os.path.getsize(path) < offset + self.shape[0] * self._row_bytes:
            raise ValueError(f"{path.name} is shorter than its header says")
        self._fd = os.open(path, os.O_RDONLY)

    def __len__(self) -> int:
        return self.shape[0]

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)

    def rows(self, start: int, stop: int) -> np.ndarray:
        """Rows `start:stop` as a new array, shape [stop - start, columns]."""
        start, stop = max(0, start), min(stop, self.shape[0])
        count = max(0, stop - start)
        wanted, position = count * self._row_bytes, self._offset + start * self._row_bytes
        data = bytearray()
        while len(data) < wanted:  # one pread returns at most ~2 GiB
            piece = os.pread(self._fd, wanted - len(data), position + len(data))
            if not piece:
                raise ValueError("the file is shorter than its header says")
            data += piece
        return np.frombuffer(bytes(data), dtype=self.dtype).reshape(count, self.shape[1])

    def __getitem__(self, key: int | slice | Sequence[int]) -> np.ndarray:
        if isinstance(key, slice):
            picked = range(*key.indices(self.shape[0]))
            if not picked:
                return np.zeros((0, self.shape[1]), self.dtype)
            low, high = min(picked), max(picked)
            return self.rows(low, high + 1)[picked.start - low :: picked.step][: len(picked)]
        if isinstance(key, (int, np.integer)):
            return self.rows(self._row(key), self._row(key) + 1)[0]
        wanted = [self._row(k) for k in key]
        if wanted and wanted == list(range(wanted[0], wanted[0] + len(wanted))):
            return self.rows(wanted[0], wanted[0] + len(wanted))  # a chunk's sentences: one read
        return np.stack([self.rows(k, k + 1)[0] for k in wanted]) if wanted else np.zeros((0, self.shape[1]), self.dtype)

    def _row(self, key: int) -> int:
        row = int(key) + (self.shape[0] if key < 0 else 0)
        if not 0 <= row < self.shape[0]:
            raise IndexError(f"row {key} out of range for {self.shape[0]} rows")
        return row

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        whole = self.rows(0, self.shape[0])
        return whole if dtype is None else whole.astype(dtype)
