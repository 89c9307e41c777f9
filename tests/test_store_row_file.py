import numpy as np
import pytest

from docqa.index.storage.row_file import NpyRows


@pytest.fixture
def matrix(tmp_path):
    values = np.arange(7 * 4, dtype=np.float16).reshape(7, 4) / 3
    path = tmp_path / "m.npy"
    np.save(path, values)
    return path, values


def test_rows_round_trip_through_save(matrix):
    path, values = matrix
    rows = NpyRows(path)
    assert len(rows) == 7 and rows.shape == (7, 4) and rows.dtype == np.float16
    np.testing.assert_array_equal(rows[2:5], values[2:5])
    np.testing.assert_array_equal(rows[[3, 4, 5]], values[[3, 4, 5]])  # contiguous: one read
    np.testing.assert_array_equal(rows[[6, 0, 2]], values[[6, 0, 2]])
    np.testing.assert_array_equal(rows[-1], values[-1])
    np.testing.assert_array_equal(rows[::3], values[::3])
    np.testing.assert_array_equal(np.asarray(rows, dtype=np.float32), values.astype(np.float32))
    np.testing.assert_array_equal(rows[::-2], values[::-2])
    np.testing.assert_array_equal(rows[5:1:-1], values[5:1:-1])
    np.testing.assert_array_equal(rows[[-2, -1]], values[[-2, -1]])
    assert rows[5:99].shape == (2, 4) and rows[[]].shape == (0, 4) and rows[3:3].shape == (0, 4)
    for bad in (7, -8, [6, 7]):
        with pytest.raises(IndexError):
            rows[bad]


def test_rejects_files_it_cannot_read(tmp_path, matrix):
    path, _ = matrix
    np.save(tmp_path / "flat.npy", np.zeros(5, dtype=np.float32))
    with pytest.raises(ValueError, match="2-D"):
        NpyRows(tmp_path / "flat.npy")
    truncated = tmp_path / "short.npy"
    truncated.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(ValueError, match="shorter"):
        NpyRows(truncated)
