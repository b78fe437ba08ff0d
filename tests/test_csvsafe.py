"""Damaged catalog lines, read in this process (test_faults_etl.py runs the ETL as a subprocess): hand-written
bytes, the rows kept, and what the ETL's report says was dropped, with which line."""
from __future__ import annotations

import pytest

from etl.csvsafe import MAX_FIELD_CHARS, BadLines, read_catalog, recover_catalog
from etl.errors import InputError
from etl.repairs import RepairLog

HEADER = b"show_id,type,title\n"
COLUMNS = "catalog row that does not parse into 3 columns (stray or unterminated quote, extra commas)"


def read(tmp_path, data: bytes) -> tuple[list[dict], RepairLog]:
    path = tmp_path / "netflix.csv"
    path.write_bytes(data)
    log = RepairLog()
    return read_catalog(path, log).to_pylist(), log


def test_a_clean_file_is_read_whole_with_quoted_newlines(tmp_path):
    rows, log = read(tmp_path, HEADER + b's1,Movie,"Two\nLines"\ns2,TV Show,"A, B"\n')
    assert rows == [{"show_id": "s1", "type": "Movie", "title": "Two\nLines"},
                    {"show_id": "s2", "type": "TV Show", "title": "A, B"}]
    assert log.as_dict()["dropped"] == {}


def test_a_header_alone_is_an_empty_catalog(tmp_path):
    rows, log = read(tmp_path, HEADER)
    assert rows == [] and log.as_dict()["dropped"] == {}


def test_each_damaged_record_is_dropped_alone_with_its_line(tmp_path):
    data = (HEADER
            + b"s1,Movie,Good One\n"  # line 2
            + b's2,Movie,"Unterminated\n'  # line 3: its quote swallows nothing else
            + b"s3,Movie,Caf\xe9\n"  # line 4: Latin-1, not UTF-8
            + b"s4,Movie,Extra,Comma\n"  # line 5
            + b"s5,Movie," + b"x" * (MAX_FIELD_CHARS + 1) + b"\n"  # line 6
            + b"S6,Movie,Capital Id\n"  # line 7: a record like any other
            + b"s7,Movie,Good Two\n")  # line 8
    rows, log = read(tmp_path, data)
    assert [r["title"] for r in rows] == ["Good One", "Capital Id", "Good Two"]
    dropped = log.as_dict()["dropped"]
    assert dropped == {"catalog row with bytes that are not UTF-8": 1, "catalog row over 64 KB": 1, COLUMNS: 2}
    examples = log.as_dict()["examples"]
    assert [e.split(":")[1] for e in examples[COLUMNS]] == ["3", "5"]
    assert examples["catalog row with bytes that are not UTF-8"][0].startswith("netflix.csv:4: 's3,Movie,Caf")
    assert examples["catalog row over 64 KB"][0].startswith("netflix.csv:6: 's5,Movie,xxx")
    assert examples["catalog row over 64 KB"][0].endswith("…'")


def test_a_file_with_no_record_start_cannot_be_recovered(tmp_path):
    path = tmp_path / "hulu.csv"
    with pytest.raises(InputError, match="hulu.csv: unreadable as a catalog"):
        recover_catalog(path, b"show_id,type,title\nno id here,Movie,X\n", RepairLog())
    with pytest.raises(InputError, match="unreadable as a catalog"):
        recover_catalog(path, b"no newline at all", RepairLog())


def test_bad_lines_keep_three_examples_and_count_all():
    bad = BadLines("ratings.csv")
    for line in range(2, 7):
        bad.add(line, f"{line},x\r\n")
    bad.add(None, "y" * 70)
    assert bad.count == 6
    assert bad.examples == ["ratings.csv:2: '2,x'", "ratings.csv:3: '3,x'", "ratings.csv:4: '4,x'"]
    other = BadLines("r.csv")
    other.add(None, "y" * 70)
    assert other.examples == ["r.csv: '" + "y" * 59 + "…'"]
    log = RepairLog()
    bad.report(log, "rating line with the wrong number of fields")
    assert log.as_dict()["dropped"] == {"rating line with the wrong number of fields": 6}


def test_a_damaged_first_record_is_dropped_and_the_rest_kept(tmp_path):
    # The id letters used to be learned from line 2 alone, so this file stopped the ETL as unreadable.
    data = (HEADER
            + b"\x00\x00garbage,Movie\n"  # line 2: not a record start
            + b"s2,Movie,Good One\n"
            + b"s3,TV Show,Good Two\n")
    rows, log = read(tmp_path, data)
    assert [r["show_id"] for r in rows] == ["s2", "s3"]
    assert log.as_dict()["dropped"] == {COLUMNS: 1}
    assert log.as_dict()["examples"][COLUMNS][0].startswith("netflix.csv:2: ")


def test_the_id_letters_are_the_ones_most_records_start_with(tmp_path):
    # One description line that happens to start like another platform's id does not change the letters.
    data = HEADER + b'x9,Movie,"Broken\ns1,Movie,Good One\ns2,Movie,Good Two\n'
    rows, log = read(tmp_path, data)
    assert [r["show_id"] for r in rows] == ["s1", "s2"]
    assert log.as_dict()["dropped"] == {COLUMNS: 1}


def test_a_record_of_exactly_the_longest_length_is_kept(tmp_path):
    # MAX_FIELD_CHARS counts the record's text with its line end; one character more is dropped
    longest = b"s2,Movie," + b"x" * (MAX_FIELD_CHARS - len(b"s2,Movie,") - 1) + b"\n"
    assert len(longest) == MAX_FIELD_CHARS
    longer = b"s3,Movie," + b"y" * (MAX_FIELD_CHARS - len(b"s3,Movie,")) + b"\n"
    rows, log = read(tmp_path, HEADER + b's1,Movie,"Broken\n' + longest + longer)
    assert [r["show_id"] for r in rows] == ["s2"]
    assert log.as_dict()["dropped"] == {COLUMNS: 1, "catalog row over 64 KB": 1}


def test_a_file_of_damaged_records_only_is_an_empty_catalog_with_its_columns(tmp_path):
    rows, log = read(tmp_path, HEADER + b"s1,Movie,Extra,Comma\ns2,Movie\n")
    path = tmp_path / "netflix.csv"
    table = read_catalog(path, RepairLog())
    assert rows == [] and table.column_names == ["show_id", "type", "title"] and table.num_rows == 0
    assert log.as_dict()["dropped"] == {COLUMNS: 2}
