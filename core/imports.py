"""Reading a person's export from Letterboxd or IMDb: bytes in, matched works and unmatched rows out.

    result = read_export(data, catalog.works, filename="ratings.csv")
    result.matched      # (ImportedRow, ...): a catalog title id with stars, seen or watchlist
    result.unmatched    # (UnmatchedRow, ...): "not on these services" (or not readable), with their line
    result.unmatched_csv()  # the file to send back

The kind of file is told by its header (the documented columns of each export):
- Letterboxd `ratings.csv`: Date,Name,Year,Letterboxd URI,Rating (0.5..5 stars);
- Letterboxd `watched.csv` and `watchlist.csv`: Date,Name,Year,Letterboxd URI (the same header:
  the file name tells them apart, "watchlist" in it meaning the watchlist);
- the zip Letterboxd downloads: its ratings.csv, watched.csv and watchlist.csv, one row per film;
- IMDb ratings: Const,Your Rating,Date Rated,Title,[Original Title,]URL,Title Type,IMDb Rating,
  Runtime (mins),Year,Genres,Num Votes,Release Date,Directors (1..10, halved into stars).
Extra columns are ignored and their order does not matter; a missing one is `ExportWrongColumns`.

A row matches a work when its title normalises (`core.search.normalise_title`) to the work's name or
a copy's own title, and the years are at most `YEAR_WINDOW` apart (release dates differ by a year between sources); the
nearest year wins, then the catalog's order. Only exact keys match: a wrong film imported silently
is worse than one listed as unmatched, which the person can still rate by hand.
"""
from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace

from core.search import Works, normalise_title
from core.vocabulary import MOVIE

MAX_EXPORT_BYTES = 5 * 2**20  # a Letterboxd export of 20,000 films is about 1.5 MB
MAX_ROWS = 50_000
YEAR_WINDOW = 1
# IMDb gives a series' first year; the catalogs often give its latest season's (Breaking Bad: 2008 vs
# 2013), so a series row matches a show from a year before its start to this many years after.
SERIES_SPAN = 30
# Letterboxd writes WALL·E with a middle dot, which the ASCII folding of `normalise_title` would drop
# ("walle"), not split ("wall e"): read as a space first.
_SEPARATORS = str.maketrans({"·": " ", "•": " "})

LETTERBOXD_RATINGS, LETTERBOXD_WATCHED, LETTERBOXD_WATCHLIST, IMDB_RATINGS, LETTERBOXD_ZIP = (
    "letterboxd_ratings", "letterboxd_watched", "letterboxd_watchlist", "imdb_ratings", "letterboxd_zip",
)
LETTERBOXD_MEMBERS = ("ratings.csv", "watched.csv", "watchlist.csv")  # read from its zip, in this order
MAX_UNZIPPED_BYTES = 4 * MAX_EXPORT_BYTES
_LETTERBOXD_LIST = ("Date", "Name", "Year", "Letterboxd URI")
_COLUMNS = {
    LETTERBOXD_RATINGS: (*_LETTERBOXD_LIST, "Rating"),
    IMDB_RATINGS: ("Const", "Your Rating", "Title", "Title Type", "Year"),
}
# IMDb rows that are not a film or a series: an episode's title names the episode, not the show.
_IMDB_SKIPPED_TYPES = frozenset({"tv episode", "tvepisode", "podcast episode", "video game", "videogame"})


class ExportError(ValueError):
    """A file that is not an export we can read; nothing from it is stored. `reason` is a short code."""

    reason = "unreadable"


class ExportTooLarge(ExportError):
    reason = "too_large"


class ExportBinary(ExportError):
    reason = "binary"


class ExportNotUtf8(ExportError):
    reason = "not_utf8"


class ExportWrongColumns(ExportError):
    """A CSV whose header is none of the exports'. `columns` are those it has (at most 20)."""

    reason = "wrong_columns"

    def __init__(self, columns: Iterable[str]) -> None:
        self.columns = tuple(columns)[:20]
        super().__init__(f"not a Letterboxd or IMDb export: columns {', '.join(self.columns) or '(none)'}")


class ExportNotCsv(ExportError):
    reason = "not_csv"


class ExportEmpty(ExportError):
    reason = "empty"


@dataclass(frozen=True, slots=True)
class ImportedRow:
    """One row matched to a work: `title_id` names the work (its first copy in the catalog).
    `stars` (0.5..5) for a rating; `seen` for a rating or a watched film; `watchlist` for the watchlist."""

    line: int  # 1-based line in the file (the header is line 1)
    title_id: str
    display_title: str
    year: int
    stars: float | None
    seen: bool
    watchlist: bool
    source: str = ""  # the file inside a zip ("ratings.csv"); "" for a single file


@dataclass(frozen=True, slots=True)
class UnmatchedRow:
    """A row with no work on these services (`reason` "not_found"), or one we could not read:
    "no_title", "bad_rating", "episode"."""

    line: int
    name: str
    year: int | None
    reason: str = "not_found"
    source: str = ""


@dataclass(frozen=True, slots=True)
class ImportResult:
    kind: str
    matched: tuple[ImportedRow, ...]
    unmatched: tuple[UnmatchedRow, ...]

    @property
    def total(self) -> int:
        return len(self.matched) + len(self.unmatched)

    def unmatched_csv(self) -> bytes:
        """The unmatched rows as a small CSV (File,Line,Name,Year,Reason) to send back to the person."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("File", "Line", "Name", "Year", "Reason"))
        writer.writerows((r.source, r.line, r.name, "" if r.year is None else r.year, r.reason) for r in self.unmatched)
        return out.getvalue().encode("utf-8")


def decode(data: bytes) -> str:
    """The export's text, or the ExportError that says why it is not one."""
    if len(data) > MAX_EXPORT_BYTES:
        raise ExportTooLarge(f"the file has {len(data):,} bytes; at most {MAX_EXPORT_BYTES:,} are read")
    if not data.strip():
        raise ExportEmpty("the file is empty")
    if b"\x00" in data[:8192]:
        raise ExportBinary("the file is not text (a picture, a zip or a spreadsheet?)")
    try:
        return data.decode("utf-8-sig")  # Excel saves UTF-8 with a byte-order mark
    except UnicodeDecodeError as error:
        raise ExportNotUtf8(f"the file is not UTF-8 text (byte {error.start})") from None


def detect(header: list[str], filename: str | None) -> str:
    columns = {c.strip() for c in header}
    if set(_COLUMNS[LETTERBOXD_RATINGS]) <= columns:
        return LETTERBOXD_RATINGS
    if set(_COLUMNS[IMDB_RATINGS]) <= columns:
        return IMDB_RATINGS
    if set(_LETTERBOXD_LIST) <= columns:
        return LETTERBOXD_WATCHLIST if filename and "watchlist" in filename.lower() else LETTERBOXD_WATCHED
    raise ExportWrongColumns(c.strip() for c in header)


class ExportMatcher:
    """Works by normalised title, fitted once; `match(name, year)` is a dict lookup.

    A work is found under its own name and under each copy's (copies may be listed under other
    titles), with each copy's year: (key -> [(year, work)])."""

    def __init__(self, works: Works) -> None:
        self.works = works
        entries: dict[str, set[tuple[int, int]]] = {}
        for work, key in enumerate(works.keys):
            entries.setdefault(key, set()).update((listed, work) for listed in works.years[work])
        for row, key in enumerate(works.row_keys):
            entries.setdefault(key, set()).add((works.titles[row].release_year, int(works.of_row[row])))
        self._by_key = {key: sorted(found) for key, found in entries.items()}
        self._is_show = [works.titles[rows[0]].type != MOVIE for rows in works.rows]

    def match(self, name: str, year: int | None, series: bool = False) -> int | None:
        """The work a row names (nearest year within the window, then the lower work id), or None."""
        found = self._by_key.get(normalise_title(name.translate(_SEPARATORS)), ())
        if year is None:
            works = {work for _, work in found}
            return works.pop() if len(works) == 1 else None  # without a year only an unambiguous title
        if series:
            near = [(abs(listed - year), work) for listed, work in found
                    if self._is_show[work] and -YEAR_WINDOW <= listed - year <= SERIES_SPAN]
        else:
            near = [(abs(listed - year), work) for listed, work in found if abs(listed - year) <= YEAR_WINDOW]
        return min(near)[1] if near else None


def _year(text: str) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and 1870 <= int(text) <= 2100 else None


def _stars(text: str, scale: float) -> float | None:
    """A rating as stars 0.5..5 in half steps (IMDb's 1..10 halved), or None when it is not one."""
    try:
        stars = float((text or "").strip()) / scale
    except ValueError:
        return None
    if not 0.5 <= stars <= 5.0 or (stars * 2) % 1:
        return None
    return stars


def read_export(data: bytes, works: Works | ExportMatcher, filename: str | None = None) -> ImportResult:
    """Parse a Letterboxd or IMDb export and match its rows to works. Pure: bytes in, values out.
    A Letterboxd export as it is downloaded (a .zip) is read too: its ratings, watched and watchlist.
    Raises an `ExportError` subclass for a file that is not such an export (then nothing is matched)."""
    matcher = works if isinstance(works, ExportMatcher) else ExportMatcher(works)
    if data[:4] == b"PK\x03\x04" and len(data) <= MAX_EXPORT_BYTES:
        return _read_zip(data, matcher)
    return _read_csv(decode(data), matcher, filename)


def _read_csv(text: str, matcher: ExportMatcher, filename: str | None, source: str = "") -> ImportResult:
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows, [])
        kind = detect(header, filename)
        position = {name.strip(): k for k, name in enumerate(header)}
        title_column = "Title" if kind == IMDB_RATINGS else "Name"
        matched: dict[int, ImportedRow] = {}  # by work: a later row for the same work replaces an earlier one
        unmatched: list[UnmatchedRow] = []
        for line, row in enumerate(rows, start=2):
            if line - 1 > MAX_ROWS:
                raise ExportTooLarge(f"the file has more than {MAX_ROWS:,} rows")
            if not any(cell.strip() for cell in row):
                continue

            def cell(name: str, row=row) -> str:
                k = position.get(name)
                return row[k].strip() if k is not None and k < len(row) else ""

            name, year = cell(title_column), _year(cell("Year"))
            problem = None
            stars = None
            if not name:
                problem = "no_title"
            elif kind == IMDB_RATINGS and cell("Title Type").lower() in _IMDB_SKIPPED_TYPES:
                problem = "episode"
            elif kind in (LETTERBOXD_RATINGS, IMDB_RATINGS):
                stars = _stars(cell("Rating") if kind == LETTERBOXD_RATINGS else cell("Your Rating"),
                               1.0 if kind == LETTERBOXD_RATINGS else 2.0)
                problem = "bad_rating" if stars is None else None
            work = None
            if problem is None:
                series = kind == IMDB_RATINGS and "series" in cell("Title Type").lower()
                work = matcher.match(name, year, series)
                if work is None and kind == IMDB_RATINGS and cell("Original Title"):
                    work = matcher.match(cell("Original Title"), year, series)
            if work is None:
                unmatched.append(UnmatchedRow(line, name, year, problem or "not_found", source))
                continue
            title_id, display_title, work_year, *_ = matcher.works.describe(work)
            matched.pop(work, None)
            matched[work] = ImportedRow(line, title_id, display_title, work_year, stars,
                                        seen=kind != LETTERBOXD_WATCHLIST, watchlist=kind == LETTERBOXD_WATCHLIST,
                                        source=source)
    except csv.Error as error:
        raise ExportNotCsv(f"the file is not a readable CSV ({error})") from None
    if not matched and not unmatched:
        raise ExportEmpty("the export has a header but no rows")
    return ImportResult(kind, tuple(matched.values()), tuple(unmatched))


def _read_zip(data: bytes, matcher: ExportMatcher) -> ImportResult:
    """Letterboxd's download: ratings.csv, watched.csv and watchlist.csv at the top of a zip. A film in
    several of them is one row (stars from ratings, seen and watchlist from any); so is an unmatched one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {info.filename.lower(): info for info in archive.infolist()}
        found = [members[name] for name in LETTERBOXD_MEMBERS if name in members]
        if not found:
            raise ExportWrongColumns(info.filename for info in archive.infolist())
        if sum(info.file_size for info in found) > MAX_UNZIPPED_BYTES:
            raise ExportTooLarge(f"the zip holds more than {MAX_UNZIPPED_BYTES:,} bytes of exports")
        texts = [(info.filename, decode(archive.read(info))) for info in found]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise ExportBinary(f"the zip cannot be read ({error})") from None
    matched: dict[str, ImportedRow] = {}
    unmatched: dict[tuple[str, int | None], UnmatchedRow] = {}
    for name, text in texts:
        try:
            result = _read_csv(text, matcher, name, source=name)
        except ExportEmpty:
            continue  # an empty watchlist is still a good export
        for row in result.matched:
            first = matched.get(row.title_id)
            matched[row.title_id] = row if first is None else replace(
                first, stars=first.stars if first.stars is not None else row.stars,
                seen=first.seen or row.seen, watchlist=first.watchlist or row.watchlist)
        for row in result.unmatched:
            unmatched.setdefault((normalise_title(row.name), row.year), row)
    if not matched and not unmatched:
        raise ExportEmpty("the export's files have no rows")
    return ImportResult(LETTERBOXD_ZIP, tuple(matched.values()), tuple(unmatched.values()))
