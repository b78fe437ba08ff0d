"""CSV files with damaged lines: every bad line is dropped alone and reported; only a file unreadable as a
whole stops the run.

pyarrow's reader stays the fast path. It is all or nothing, though: one row with 16 columns, an
unterminated quote, bytes that are not UTF-8 or a 10 MB field fails the whole file (or, worse, a stray
quote silently swallows the rows up to the next quote). So:

- ratings files never hold quoted text, so they are read with quoting off (a stray `"` stays inside its
  own field, and that row alone fails validation) and lines with the wrong number of fields are skipped
  and counted by `BadLines`;
- a catalog is read by pyarrow and checked: as many rows as lines that start a record (`s123,`), no
  skipped line, no absurd field. When a check fails the file is read again record by record
  (`recover_catalog`): each record is the text from one record start to the next, parsed alone, so a
  damaged one is dropped with its line number and the rest are kept.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from etl.errors import InputError
from etl.repairs import RepairLog

MAX_FIELD_CHARS = 64 * 1024  # the longest real description is about 1,500 characters; 10 MB is damage
_SHOW_ID = re.compile(rb"^([A-Za-z]+)[0-9]+,", re.MULTILINE)


@dataclass
class BadLines:
    """Lines a reader skipped: how many, and the first few (`file:line: text`) to show."""

    name: str
    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, line: int | None, text: str) -> None:
        self.count += 1
        if len(self.examples) < 3:
            where = f"{self.name}:{line}" if line else self.name
            self.examples.append(f"{where}: {_short(text)}")

    def skip(self, row) -> str:
        """pyarrow's `invalid_row_handler`: note the row, skip it."""
        self.add(row.number, row.text or "")
        return "skip"

    def report(self, log: RepairLog, why: str) -> None:
        log.dropped(why, self.count, self.examples)


def _short(text: str, width: int = 60) -> str:
    text = text.rstrip("\r\n")
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def unquoted(bad: BadLines) -> pacsv.ParseOptions:
    """Parse options for files without quoted text (ratings): no quoting, wrong field counts skipped."""
    return pacsv.ParseOptions(quote_char=False, invalid_row_handler=bad.skip)


# ---- catalogs ---------------------------------------------------------------------------------------------
def read_catalog(path: Path, log: RepairLog) -> pa.Table:
    """The catalog as a table of text columns (header names), every readable record kept."""
    try:  # no invalid_row_handler: pyarrow cannot hand it a line that is not UTF-8; any error means recover
        table = pacsv.read_csv(
            path,
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(strings_can_be_null=False, column_types=_all_text(path)),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        table = None
    data = path.read_bytes()
    if table is not None and _fields_fit(table):
        starts = _record_starts(data)
        if table.num_rows == starts or (table.num_rows == 0 and starts == -1):  # -1: a header and no rows
            return table
    return recover_catalog(path, data, log)


def _all_text(path: Path) -> dict[str, pa.DataType]:
    try:
        with path.open("r", encoding="utf-8", errors="replace", newline="") as handle:
            header = next(csv.reader([handle.readline()]), [])
    except OSError as error:
        raise InputError(f"{path.name}: cannot be read ({error.strerror})") from None
    return {name: pa.string() for name in header}


def _record_pattern(data: bytes) -> re.Pattern | None:
    """Records start with a show id such as `s123,`; learn its letters from the lines after the header that
    start like one (the most common letters win), so a damaged first record does not hide them."""
    header_end = data.find(b"\n") + 1
    letters = Counter(m[1].lower() for m in _SHOW_ID.finditer(data, header_end)) if header_end else Counter()
    if not letters:
        return None
    # Case-insensitive: a row `S12,` among `s1,` rows is a record (helper tests saw both dropped otherwise).
    return re.compile(rb"^" + re.escape(letters.most_common(1)[0][0]) + rb"[0-9]+,", re.MULTILINE | re.IGNORECASE)


def _record_starts(data: bytes) -> int:
    pattern = _record_pattern(data)
    return len(pattern.findall(data)) if pattern else -1


def _fields_fit(table: pa.Table) -> bool:
    return all((pc.max(pc.utf8_length(column)).as_py() or 0) <= MAX_FIELD_CHARS for column in table.columns)


def recover_catalog(path: Path, data: bytes, log: RepairLog) -> pa.Table:
    """Parse each record alone (from one record start to the next) and drop the damaged ones."""
    pattern = _record_pattern(data)
    header_end = data.find(b"\n") + 1
    if pattern is None or header_end == 0:
        raise InputError(f"{path.name}: unreadable as a catalog (no header line, or no row starting with a "
                         "show id such as s1,)")
    header = next(csv.reader([data[:header_end].decode("utf-8", errors="replace")]))
    starts = [m.start() for m in pattern.finditer(data, header_end)] + [len(data)]
    line_of = _line_numbers(data)
    rows: list[list[str]] = []
    damaged = {why: BadLines(path.name) for why in ("not UTF-8", "too long", "columns")}
    if starts[0] > header_end:  # text between the header and the first record: a damaged record too
        damaged["columns"].add(2, data[header_end:starts[0]].decode("utf-8", errors="replace"))
    for begin, end in zip(starts, starts[1:]):
        raw, line = data[begin:end], line_of(begin)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            damaged["not UTF-8"].add(line, raw.decode("utf-8", errors="replace"))
            continue
        if len(text) > MAX_FIELD_CHARS:
            damaged["too long"].add(line, text)
            continue
        try:
            parsed = list(csv.reader(io.StringIO(text), strict=True))
        except csv.Error:
            parsed = []
        if len(parsed) != 1 or len(parsed[0]) != len(header):
            damaged["columns"].add(line, text)
            continue
        rows.append(parsed[0])
    damaged["not UTF-8"].report(log, "catalog row with bytes that are not UTF-8")
    damaged["too long"].report(log, f"catalog row over {MAX_FIELD_CHARS // 1024} KB")
    damaged["columns"].report(log, f"catalog row that does not parse into {len(header)} columns "
                                   "(stray or unterminated quote, extra commas)")
    columns = list(zip(*rows)) if rows else [()] * len(header)
    return pa.table({name: pa.array(values, pa.string()) for name, values in zip(header, columns)})


def _line_numbers(data: bytes):
    """offset -> 1-based line number, for the offsets of record starts (which only grow)."""
    state = {"offset": 0, "line": 1}

    def line_of(offset: int) -> int:
        state["line"] += data.count(b"\n", state["offset"], offset)
        state["offset"] = offset
        return state["line"]

    return line_of
