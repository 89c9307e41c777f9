"""Large stored files read a few bytes at a time with `pread`: rows of a 2-D `.npy` matrix
(`NpyRows`) and byte ranges of a blob (`StoredBytes`).

Mapping such a file makes every page ever touched count as the server's memory (RSS)
until the kernel reclaims it; reading the few rows a question needs keeps them in the
OS page cache instead, shared and reclaimable, and the process stays small. A mapped
file that is shortened on disk kills the process (SIGBUS) at the next touch; a read
cannot, and every read here also checks the file's size and modification time against
those it had when it was opened: a file truncated or overwritten after loading raises
`IndexDamaged` for that request, never returns other bytes.
"""

from __future__ import annotations

import os
from pathlib import Path
from tokenize import TokenError
from typing import Sequence

import numpy as np

from docqa.errors import IndexDamaged

NPY_DAMAGE = (OSError, ValueError, EOFError, TokenError)
"""What `np.load` raises for a damaged `.npy` file: unreadable or garbled (OSError, ValueError), emptied
(EOFError), a header numpy cannot parse (tokenize.TokenError)."""


class _WatchedFile:
    """A read-only file descriptor whose reads fail loudly once the file changed on disk (thread-safe)."""

    def __init__(self, path: Path, *, what: str | None = None) -> None:
        self.what = what or path.name
        self._fd = os.open(path, os.O_RDONLY)
        self._stamp = self._now()
        self.size = self._stamp[0]

    def _now(self) -> tuple[int, int]:
        info = os.fstat(self._fd)
        return info.st_size, info.st_mtime_ns  # any write or truncation moves the modification time

    def read(self, length: int, offset: int) -> bytes:
        """`length` bytes at `offset`, exactly, from the file as it was when opened."""
        data = b""
        while len(data) < length:  # one pread returns at most ~2 GiB
            piece = os.pread(self._fd, length - len(data), offset + len(data))
            if not piece:
                break
            data += piece
        # Checked after the read, so a change made before the read ended is seen; one made later only affects later reads.
        if len(data) < length or self._now() != self._stamp:
            raise IndexDamaged(f"{self.what} changed on disk after the index was loaded")
        return data

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def __del__(self) -> None:
        if getattr(self, "_fd", None) is not None:
            self.close()


class StoredBytes:
    """Byte ranges of a file (chunk texts), each read with `pread` and checked (see the module docstring)."""

    def __init__(self, path: Path, *, what: str | None = None) -> None:
        self._file = _WatchedFile(path, what=what)

    def __len__(self) -> int:
        return self._file.size

    def __getitem__(self, key: slice) -> bytes:
        start, stop, _ = key.indices(self._file.size)
        return self._file.read(max(0, stop - start), start)


class NpyRows:
    """Read-only rows of a C-ordered 2-D `.npy` file (kept open; thread-safe: `pread` has no file position).

    `what` names the file in errors (default: its name).
    """

    def __init__(self, path: Path, *, what: str | None = None) -> None:
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
        self._file = _WatchedFile(path, what=what)
        if self._file.size < offset + self.shape[0] * self._row_bytes:
            raise ValueError(f"{path.name} is shorter than its header says")

    def __len__(self) -> int:
        return self.shape[0]

    def rows(self, start: int, stop: int) -> np.ndarray:
        """Rows `start:stop` as a new array, shape [stop - start, columns]."""
        start, stop = max(0, start), min(stop, self.shape[0])
        count = max(0, stop - start)
        data = self._file.read(count * self._row_bytes, self._offset + start * self._row_bytes)
        return np.frombuffer(data, dtype=self.dtype).reshape(count, self.shape[1])

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
