"""Every user's ratings in compressed-row form: one slice per user, found by binary search.

Built in memory (`from_sorted`), or mapped from the ETL's `ratings.arrow` (`mapped`): then the rows stay
in the page cache, shared by every process that maps the file, and only the users asked about are read.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa


def numpy_values(column, dtype) -> np.ndarray:
    """A null-free fixed-width Arrow column (Array or ChunkedArray) as NumPy, a view of its buffer when it
    is one chunk (pyarrow's to_numpy imports pandas to check for it: some 50 MB the bot never needs)."""
    if hasattr(column, "chunks"):
        column = column.combine_chunks()
    if column.null_count:
        raise ValueError("a column with a missing value where none may be")
    if not pa.types.is_primitive(column.type) or column.type.bit_width != 8 * np.dtype(dtype).itemsize:
        return np.asarray(column.to_pylist(), dtype)  # another width (a test's hand-made table): converted
    data = column.buffers()[1]
    return np.frombuffer(data, dtype, count=len(column), offset=column.offset * np.dtype(dtype).itemsize)


class UserRatings:
    """Ratings grouped by user. For user `users[k]`, rows `offsets[k]:offsets[k+1]` of the columns.

    The columns (`title_index`: int32 row of the titles table; `rating`: float32) may come in chunks
    (the record batches of ratings.arrow); a user's rows are sliced from their chunk without a copy.
    """

    def __init__(self, users: np.ndarray, offsets: np.ndarray,
                 title_index: np.ndarray | Sequence[np.ndarray], rating: np.ndarray | Sequence[np.ndarray]) -> None:
        self.users = users  # int32, sorted unique user ids
        self.offsets = offsets  # int64, len(users) + 1
        self._titles = (title_index,) if isinstance(title_index, np.ndarray) else tuple(title_index)
        self._ratings = (rating,) if isinstance(rating, np.ndarray) else tuple(rating)
        self._starts = np.cumsum([0, *(len(c) for c in self._titles)]).astype(np.int64)

    @classmethod
    def from_sorted(cls, user_id: np.ndarray, title_index: np.ndarray, rating: np.ndarray) -> UserRatings:
        """Build from rows already sorted by user, as the ETL writes them."""
        changes = user_id[1:] != user_id[:-1]
        if len(user_id) and np.any(user_id[1:][changes] < user_id[:-1][changes]):
            order = np.argsort(user_id, kind="stable")
            user_id, title_index, rating = user_id[order], title_index[order], rating[order]
            changes = user_id[1:] != user_id[:-1]
        starts = np.append(0, np.flatnonzero(changes) + 1) if len(user_id) else np.empty(0, np.int64)
        offsets = np.append(starts, len(user_id)).astype(np.int64)
        return cls(
            user_id[starts].astype(np.int32),
            offsets,
            title_index.astype(np.int32, copy=False),
            rating.astype(np.float32, copy=False),
        )

    @classmethod
    def mapped(cls, ratings_file: Path, users_file: Path, offsets_file: Path) -> UserRatings:
        """Map the ETL's ratings.arrow (Arrow IPC: user_id, row, rating; batches end at a user's last
        row) and its user index (ratings_users.npy, ratings_offsets.npy) without reading the rows."""
        import pyarrow.ipc

        reader = pyarrow.ipc.open_file(pa.memory_map(str(ratings_file), "r"))
        batches = [reader.get_batch(k) for k in range(reader.num_record_batches)]
        titles = [numpy_values(b.column("row"), np.int32) for b in batches]
        ratings = [numpy_values(b.column("rating"), np.float32) for b in batches]
        users = np.load(users_file, mmap_mode="r")
        offsets = np.load(offsets_file, mmap_mode="r")
        if len(offsets) != len(users) + 1 or int(offsets[-1]) != sum(len(c) for c in titles):
            raise ValueError(f"{users_file.name} and {offsets_file.name} do not index {ratings_file.name}")
        return cls(users, offsets, titles, ratings)

    def __len__(self) -> int:
        return len(self.users)

    @property
    def row_count(self) -> int:
        return int(self._starts[-1])

    @property
    def title_index(self) -> np.ndarray:
        """Every row's title row (a copy when the ratings come in chunks: for reports, not requests)."""
        return self._titles[0] if len(self._titles) == 1 else np.concatenate(self._titles)

    @property
    def rating(self) -> np.ndarray:
        return self._ratings[0] if len(self._ratings) == 1 else np.concatenate(self._ratings)

    def _position(self, user_id: int) -> int | None:
        k = int(np.searchsorted(self.users, user_id))
        return k if k < len(self.users) and self.users[k] == user_id else None

    def __contains__(self, user_id: int) -> bool:
        return self._position(user_id) is not None

    def of(self, user_id: int) -> tuple[np.ndarray, np.ndarray]:
        """The user's (title rows, ratings), as read-only views; empty arrays for an unknown user."""
        k = self._position(user_id)
        if k is None:
            return np.empty(0, np.int32), np.empty(0, np.float32)
        lo, hi = int(self.offsets[k]), int(self.offsets[k + 1])
        chunk = int(np.searchsorted(self._starts, lo, side="right")) - 1
        base = int(self._starts[chunk])
        if hi <= self._starts[chunk + 1]:
            return self._titles[chunk][lo - base:hi - base], self._ratings[chunk][lo - base:hi - base]
        # a user across two chunks (the ETL never writes one): joined, a copy
        return self.title_index[lo:hi], self.rating[lo:hi]

    def most_active_user(self) -> int:
        return int(self.users[np.argmax(np.diff(self.offsets))])
