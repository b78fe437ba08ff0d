"""Every user's ratings in compressed-row form: one slice per user, found by binary search."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class UserRatings:
    """Ratings grouped by user. For user `users[k]`, rows `offsets[k]:offsets[k+1]` of the arrays."""

    users: np.ndarray  # int32, sorted unique user ids
    offsets: np.ndarray  # int64, len(users) + 1
    title_index: np.ndarray  # int32, row of the titles table
    rating: np.ndarray  # float32

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

    def __len__(self) -> int:
        return len(self.users)

    @property
    def row_count(self) -> int:
        return len(self.title_index)

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
        lo, hi = self.offsets[k], self.offsets[k + 1]
        return self.title_index[lo:hi], self.rating[lo:hi]

    def most_active_user(self) -> int:
        return int(self.users[np.argmax(np.diff(self.offsets))])
