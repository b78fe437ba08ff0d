"""Read the per-user ratings files, validate every row, and aggregate each title's score.

The happy path reads each file with typed columns in pyarrow's multi-threaded CSV reader; a file
with a malformed value (a user id that is not an integer, a rating that is not a number) is read
again as text so its bad rows can be counted and skipped instead of failing the run. Quoting is off
(ratings hold no quoted text: a stray `"` once swallowed 127,445 rows up to the next quote) and a line
with the wrong number of fields is skipped and counted (`etl.csvsafe`), so rows in = lines in the file.
"""
from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from etl.csvsafe import BadLines, unquoted
from etl.errors import InputError
from etl.repairs import RepairLog

RATING_COLUMNS = ["userId", "rating", "timestamp", "movieId"]
SECONDS_PER_DAY = 86_400
# `1.csv`..`8.csv` as published; a word before the number (`sample-1.csv`) is allowed too.
_RATING_FILE = re.compile(r"^(?:[a-z]+-)?(\d+)\.csv$")

_TYPED = {
    "userId": pa.int32(),
    # Ten distinct star values: read as a dictionary, each entry parsed once, not 11M floats.
    "rating": pa.dictionary(pa.int32(), pa.string()),
    "timestamp": pa.int64(),
    "movieId": pa.dictionary(pa.int32(), pa.string()),
}


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


def _star_values(ratings: pa.ChunkedArray) -> np.ndarray:
    """Each row's rating as float32 (NaN where the text is not a number), via each chunk's dictionary."""
    out = []
    for chunk in ratings.chunks:
        if pa.types.is_dictionary(chunk.type):
            lookup = np.array([_number(t) for t in chunk.dictionary.to_pylist()], dtype=np.float32)
            out.append(lookup[chunk.indices.to_numpy(zero_copy_only=False)])
        else:
            out.append(chunk.to_numpy(zero_copy_only=False).astype(np.float32))
    return np.concatenate(out) if out else np.empty(0, np.float32)


@dataclass
class Ratings:
    """Valid ratings, sorted by user: the compact form the recommender reads."""

    user_id: np.ndarray  # int32
    title_index: np.ndarray  # int32, row of the titles table
    rating: np.ndarray  # float32, 0.5 .. 5.0 in half steps
    day: np.ndarray  # int32, days since 1970-01-01
    rows_in: int


def rating_files(ratings_dir: Path) -> list[Path]:
    if not ratings_dir.is_dir():
        raise InputError(f"missing ratings folder: {ratings_dir}")
    numbered = [(int(match[1]), p) for p in ratings_dir.iterdir() if (match := _RATING_FILE.match(p.name))]
    files = [p for _, p in sorted(numbered)]
    if not files:
        raise InputError(f"no ratings files (1.csv, 2.csv, ...) in {ratings_dir}")
    return files


def _check_header(path: Path) -> None:
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        header = [h.strip() for h in handle.readline().strip().split(",")]
    missing = [c for c in RATING_COLUMNS if c not in header]
    if missing:
        raise InputError(f"{path.name}: missing column(s) {', '.join(missing)}")


def _read_typed(path: Path, bad: BadLines) -> pa.Table | None:
    try:
        return pacsv.read_csv(
            path,
            # Large blocks mean few chunks, hence few per-chunk dictionaries to map to catalog rows.
            read_options=pacsv.ReadOptions(block_size=8 << 20),
            parse_options=unquoted(bad),
            convert_options=pacsv.ConvertOptions(column_types=_TYPED, include_columns=RATING_COLUMNS),
        )
    except pa.ArrowInvalid:
        bad.count, bad.examples = 0, []  # the slow path reads the file again and meets them again
        return None


def _read_as_text(path: Path, log: RepairLog, bad: BadLines) -> pa.Table:
    """Slow path for a file with malformed values: parse each column and drop what fails. Read as bytes,
    so a value that is not UTF-8 fails alone (as an unknown movieId or a non-number) with its row."""
    try:
        raw = pacsv.read_csv(
            path,
            parse_options=unquoted(bad),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.binary() for c in RATING_COLUMNS}, include_columns=RATING_COLUMNS
            ),
        )
    except pa.ArrowInvalid as error:
        raise InputError(f"{path.name}: unreadable as a ratings file ({str(error).splitlines()[0][:120]})") from None
    import pandas as pd

    text = pd.DataFrame({c: pd.Series(raw.column(c).to_numpy(zero_copy_only=False)).str.decode("utf-8", "replace")
                         for c in RATING_COLUMNS})
    user = pd.to_numeric(text["userId"].str.strip(), errors="coerce")
    rating = pd.to_numeric(text["rating"].str.strip(), errors="coerce")
    stamp = pd.to_numeric(text["timestamp"].str.strip(), errors="coerce")
    bad_user = user.isna() | (user != user.round()) | (user.abs() > np.iinfo(np.int32).max)
    log.dropped("rating row with a non-integer userId", bad_user.sum(),
                text.loc[bad_user, "userId"].head(3).tolist())
    bad_rating = ~bad_user & rating.isna()
    log.dropped("rating row with a non-numeric rating", bad_rating.sum(),
                text.loc[bad_rating, "rating"].head(3).tolist())
    bad_stamp = ~bad_user & ~bad_rating & stamp.isna()
    log.dropped("rating row with an unreadable timestamp", bad_stamp.sum(),
                text.loc[bad_stamp, "timestamp"].head(3).tolist())
    keep = ~(bad_user | bad_rating | bad_stamp)
    return pa.table({
        "userId": pa.array(user[keep].astype("int32").to_numpy()),
        "rating": pa.array(rating[keep].astype("float32").to_numpy()),
        "timestamp": pa.array(stamp[keep].astype("int64").to_numpy()),
        "movieId": pa.array(text.loc[keep, "movieId"].str.strip().to_numpy(dtype=object)).dictionary_encode(),
    })


def _title_indices(movie_ids: pa.ChunkedArray, catalog_ids: pa.Array) -> np.ndarray:
    """Map each row's movieId to a titles row (-1 when unknown), looking up each chunk's dictionary once."""
    out = []
    for chunk in movie_ids.chunks:
        if not pa.types.is_dictionary(chunk.type):
            chunk = chunk.dictionary_encode()
        names = pc.utf8_lower(pc.utf8_trim_whitespace(chunk.dictionary))
        lookup = pc.index_in(names, value_set=catalog_ids).fill_null(-1).to_numpy().astype(np.int32)
        codes = chunk.indices.to_numpy(zero_copy_only=False)
        out.append(lookup[codes] if len(lookup) else np.full(len(codes), -1, dtype=np.int32))
    return np.concatenate(out) if out else np.empty(0, dtype=np.int32)


class RatingsFiles:
    """The ratings files, their headers checked up front so a bad file stops the run before any work."""

    def __init__(self, ratings_dir: Path) -> None:
        self.paths = rating_files(ratings_dir)
        for path in self.paths:
            _check_header(path)

    def __len__(self) -> int:
        return len(self.paths)

    def tables(self) -> Iterator[tuple[Path, pa.Table | None, BadLines]]:
        """Each file with its typed table (None when it has malformed values) and the lines skipped.

        One file at a time: pyarrow already parses each on every core, and reading ahead in a
        thread while the catalogs were cleaned measured slower, not faster, on two cores.
        """
        for path in self.paths:
            bad = BadLines(path.name)
            yield path, _read_typed(path, bad), bad


def _file_rows(files: RatingsFiles, title_ids: list[str], log: RepairLog) -> Iterator[Ratings]:
    """Each file's valid rows (validated, in file order), one file at a time; `rows_in` counts the
    file's lines. Every drop is logged as it is met."""
    catalog_ids = pa.array(title_ids, pa.string())
    rows_in = 0
    started = time.perf_counter()
    for number, (path, table, bad) in enumerate(files.tables(), 1):
        if table is None:
            table = _read_as_text(path, log, bad)
            file_rows = _count_rows(path)
        else:
            file_rows = table.num_rows + bad.count
        rows_in += file_rows
        bad.report(log, "rating line with the wrong number of fields (e.g. truncated)")
        user = table.column("userId").to_numpy()
        rating = _star_values(table.column("rating"))
        stamp = table.column("timestamp").to_numpy()
        title = _title_indices(table.column("movieId"), catalog_ids)

        unknown = title < 0
        unknown_ids = pc.unique(table.column("movieId").filter(pa.array(unknown))) if unknown.any() else []
        log.dropped("rating row with an unknown movieId", unknown.sum(), list(unknown_ids)[:3])
        not_number = ~unknown & np.isnan(rating)
        log.dropped("rating row with a non-numeric rating", not_number.sum(),
                    pc.unique(table.column("rating").filter(pa.array(not_number))).to_pylist()[:3]
                    if not_number.any() else [])
        halves = rating * 2
        off_scale = ~unknown & ~not_number & ~((halves == np.round(halves)) & (rating >= 0.5) & (rating <= 5.0))
        log.dropped("rating row outside 0.5-5.0 in half steps", off_scale.sum(),
                    [f"{value:g}" for value in np.unique(rating[off_scale])[:3]])
        bad_user = ~unknown & ~not_number & ~off_scale & (user < 1)
        log.dropped("rating row with a userId below 1", bad_user.sum(), np.unique(user[bad_user])[:3].tolist())
        keep = ~(unknown | not_number | off_scale | bad_user)
        if keep.all():
            keep = slice(None)
        rows = Ratings(user_id=user[keep].astype(np.int32), title_index=title[keep],
                       rating=rating[keep].astype(np.float32, copy=False),
                       day=(stamp[keep] // SECONDS_PER_DAY).astype(np.int32), rows_in=file_rows)
        del table, user, rating, stamp, title, keep, unknown, not_number, off_scale, bad_user, halves
        # Arrow keeps freed blocks for reuse; hand them back so the files' peaks do not add up.
        pa.default_memory_pool().release_unused()
        print(f"  ratings {number}/{len(files)}: {rows_in:,} rows read ({time.perf_counter() - started:.1f} s)",
              file=sys.stderr, flush=True)
        yield rows


def read_ratings(files: RatingsFiles, title_ids: list[str], log: RepairLog) -> Ratings:
    """Every valid rating in memory, sorted by user (stable: each user's rows keep file order).

    Memory grows with the ratings: `stream_ratings` is the ETL's way; this one is for files not in
    user order (and the benchmark's baseline)."""
    users, titles, scores, days = [], [], [], []
    rows_in = 0
    for rows in _file_rows(files, title_ids, log):
        users.append(rows.user_id)
        titles.append(rows.title_index)
        scores.append(rows.rating)
        days.append(rows.day)
        rows_in += rows.rows_in
    # Sort by user (stable, so each user's rows keep file order), one column at a time to cap memory.
    # Files written user by user, as MovieLens exports are, need no sort at all.
    user = np.concatenate(users)
    del users
    order = None if bool(np.all(user[1:] >= user[:-1])) else np.argsort(user, kind="stable")
    if order is not None:
        user = user[order]
    columns = []
    for parts in (titles, scores, days):
        column = np.concatenate(parts)
        parts.clear()
        columns.append(column if order is None else column[order])
        del column
    return Ratings(user_id=user, title_index=columns[0], rating=columns[1], day=columns[2], rows_in=rows_in)


class NotInUserOrder(Exception):
    """The files are not in user order (a later file has a user below an earlier file's): they cannot
    be streamed, and are read whole instead (`read_ratings`)."""


@dataclass
class RatingTotals:
    """What streaming keeps of the ratings: per-title counts and sums, not the rows."""

    counts: np.ndarray  # int64 per titles row
    sums: np.ndarray  # float64 per titles row
    rows_in: int = 0
    rows_out: int = 0

    @classmethod
    def of(cls, ratings: Ratings, n_titles: int) -> RatingTotals:
        totals = cls(np.zeros(n_titles, np.int64), np.zeros(n_titles, np.float64))
        totals.add(ratings)
        return totals

    def add(self, rows: Ratings) -> None:
        self.counts += np.bincount(rows.title_index, minlength=len(self.counts))
        self.sums += np.bincount(rows.title_index, weights=rows.rating.astype(np.float64), minlength=len(self.sums))
        self.rows_in += rows.rows_in
        self.rows_out += len(rows.user_id)

    def scores(self) -> tuple[np.ndarray, np.ndarray]:
        """Each title's unrounded mean rating and rating count (NaN mean for a title nobody rated)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.where(self.counts > 0, self.sums / np.maximum(self.counts, 1), np.nan)
        return means, self.counts.astype(np.int32)


def _take(rows: Ratings, part) -> Ratings:
    return Ratings(rows.user_id[part], rows.title_index[part], rows.rating[part], rows.day[part], 0)


def stream_ratings(files: RatingsFiles, title_ids: list[str], log: RepairLog,
                   write: Callable[[Ratings], None]) -> RatingTotals:
    """Read the files one at a time and hand `write` their valid rows in user order, each batch ending
    at a user's last row (a user split across two files is held back and written whole with the next
    batch), so memory stays that of one file however many there are.

    Rows within a file are sorted by user (stable); NotInUserOrder when a file starts below the user
    the previous one ended with: then nothing can be streamed (the caller reads them whole)."""
    totals = RatingTotals(np.zeros(len(title_ids), np.int64), np.zeros(len(title_ids), np.float64))
    held: Ratings | None = None
    last_user = None
    for rows in _file_rows(files, title_ids, log):
        totals.rows_in += rows.rows_in
        user = rows.user_id
        if len(user) and bool(np.any(user[1:] < user[:-1])):
            rows = _take(rows, np.argsort(user, kind="stable"))
            user = rows.user_id
        if not len(user):
            continue
        if last_user is not None and user[0] < last_user:
            raise NotInUserOrder(f"a ratings file starts at user {user[0]}, below {last_user} before it")
        last_user = int(user[-1])
        if held is not None:
            rows = Ratings(*(np.concatenate([a, b]) for a, b in zip(
                (held.user_id, held.title_index, held.rating, held.day),
                (rows.user_id, rows.title_index, rows.rating, rows.day))), rows_in=0)
        cut = int(np.searchsorted(rows.user_id, last_user, side="left"))
        held = _take(rows, slice(cut, None))
        if cut:
            batch = _take(rows, slice(None, cut))
            totals.add(Ratings(batch.user_id, batch.title_index, batch.rating, batch.day, 0))
            write(batch)
        del rows
    if held is not None and len(held.user_id):
        totals.add(held)
        write(held)
    return totals


def _count_rows(path: Path) -> int:
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


def title_scores(ratings: Ratings, n_titles: int) -> tuple[np.ndarray, np.ndarray]:
    """Each title's unrounded mean rating and rating count (NaN mean for a title nobody rated)."""
    return RatingTotals.of(ratings, n_titles).scores()
