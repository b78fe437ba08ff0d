"""Reading Letterboxd and IMDb exports (core/imports.py) on our authored sample exports
(tests/data/exports/), matched against the sample and the full catalogs.

The expected matches were found by hand: each film of the exports looked up by title and year in the
raw catalog CSVs (data/sample/*.csv, ../shared/data/raw/*.csv), not by running the importer.
"""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from core.imports import (
    IMDB_RATINGS,
    LETTERBOXD_RATINGS,
    LETTERBOXD_WATCHED,
    LETTERBOXD_WATCHLIST,
    LETTERBOXD_ZIP,
    MAX_EXPORT_BYTES,
    ExportBinary,
    ExportEmpty,
    ExportError,
    ExportNotUtf8,
    ExportTooLarge,
    ExportWrongColumns,
    read_export,
)
from core.search import Works

EXPORTS = Path(__file__).parent / "data" / "exports"

# line of the export -> the catalog ids of the work it names (copies of one work are alternatives)
SAMPLE_EXPECTED = {
    "ratings.csv": {
        3: {"ns5"}, 4: {"hs1"}, 6: {"hs16"}, 7: {"ns3"}, 8: {"ds1"}, 9: {"ds18"},
        10: {"ds20"},  # "WALL·E" (Letterboxd's middle dot) is the sample's "WALL-E", 2008
        11: {"as5", "hs7"}, 13: {"ns1"}, 14: {"ns12"}, 15: {"ns13"}, 16: {"ns24"}, 17: {"hs31"}, 23: {"ds15"},
        25: {"ds19"}, 26: {"ds31"}, 41: {"ns7"}, 43: {"ns6"}, 44: {"ns20"}, 46: {"ds21"}, 47: {"ns2"},
        53: {"as7", "ns11"},
    },
    "watched.csv": {3: {"ns5"}, 4: {"hs16"}, 12: {"ds17"}, 13: {"ds32"}, 14: {"ds4"}, 19: {"as19"}},
    "watchlist.csv": {2: {"ns26"}, 3: {"ns22"}, 5: {"ns10"}},
    # series: IMDb gives the first year (Stranger Things 2016), the sample the latest season's (2019)
    "imdb_ratings.csv": {2: {"hs1"}, 3: {"ns5"}, 5: {"hs16"}, 6: {"ns12"}, 9: {"ds1"}, 11: {"ns7"}, 13: {"ns8"},
                         16: {"ns16"}, 17: {"ns14"}},
}
FULL_EXPECTED = {
    "ratings.csv": {
        2: {"ns7803"}, 3: {"ns341"}, 4: {"ns8415"}, 5: {"ns6881"}, 6: {"hs1739"}, 7: {"ns8273"}, 8: {"ds1378"},
        9: {"ds1398"}, 10: {"ds1402"}, 11: {"hs1252"}, 12: {"ns393"}, 13: {"ns3228"}, 14: {"ns4307"},
        15: {"ns5416"}, 16: {"as8237", "ns8512"}, 17: {"ns7508"}, 18: {"hs245"}, 19: {"ns6959"}, 20: {"ns2864"},
        21: {"ns8803"}, 22: {"hs610"}, 23: {"ds904"}, 24: {"ds700"}, 25: {"ds962"}, 26: {"ds1153"},
        27: {"ns42"}, 28: {"ns7958"}, 29: {"ns3069"}, 30: {"ns2431"}, 31: {"ns6489"}, 32: {"ns2472"},
        33: {"as5331", "as5656"}, 34: {"as9217"}, 35: {"ns7198"}, 36: {"hs763"},
        37: {"ns6717"},  # Ex Machina: 2014 on Letterboxd, 2015 on Netflix (inside the year window)
        38: {"ns7586"},
        # 39-53 are not on these services; among them The Lion King 1994 (only the 2019 remake, ds632),
        # Taxi Driver 1976 (ns2882 is a 2015 film), Drive 2011 (ns3335 is 2019), Fargo 1996 (hs1377 is the show)
    },
    "watched.csv": {2: {"ns7803"}, 3: {"ns341"}, 4: {"hs1739"}, 5: {"ns7880"}, 6: {"ns8127"}, 7: {"ns8072"},
                    8: {"ns7890"}, 9: {"ns2861"}, 10: {"ds365"}, 11: {"ds610", "ns6326"}, 12: {"ds890"}, 13: {"ds1291"},
                    14: {"ds1092"},
                    15: {"ns8559"}},  # The Witch 2015, not hs1758 (a 2011 film of the same name)
    "watchlist.csv": {2: {"ns4269"}, 3: {"ns3117"}, 4: {"ns5892"}, 5: {"ns3170"}, 6: {"hs107", "ns7368"}},
    "imdb_ratings.csv": {2: {"ns8415"}, 3: {"ns341"}, 4: {"ns7803"}, 5: {"hs1739"}, 6: {"ns4307"}, 7: {"ns6881"},
                         8: {"ns42"}, 9: {"ds1378"}, 10: {"as5331", "as5656"}, 13: {"ns3686"}, 14: {"ns5941"},
                         15: {"hs1377"}, 16: {"ns1699"}, 17: {"ns34"}, 19: {"ns6959"}, 20: {"hs245"},
                         21: {"hs763"}},
}
KINDS = {"ratings.csv": LETTERBOXD_RATINGS, "watched.csv": LETTERBOXD_WATCHED,
         "watchlist.csv": LETTERBOXD_WATCHLIST, "imdb_ratings.csv": IMDB_RATINGS}


def raw_export(name: str) -> list[dict]:
    with open(EXPORTS / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def check_matches(catalog, expected: dict[str, dict[int, set[str]]]) -> None:
    for name, lines in expected.items():
        result = catalog.read_export((EXPORTS / name).read_bytes(), name)
        assert result.kind == KINDS[name]
        got = {row.line: row for row in result.matched}
        assert set(got) == set(lines), name
        for line, ids in lines.items():
            assert got[line].title_id in ids, (name, line, got[line])
        rows = raw_export(name)
        assert result.total == len(rows)
        assert {u.line for u in result.unmatched} == set(range(2, len(rows) + 2)) - set(lines)


def test_sample_exports_match_the_films_on_the_sample_catalog(sample_catalog):
    check_matches(sample_catalog, SAMPLE_EXPECTED)


@pytest.mark.full
def test_sample_exports_match_the_films_on_the_services(full_catalog):
    check_matches(full_catalog, FULL_EXPECTED)


def test_stars_seen_and_watchlist_follow_the_kind_of_export(sample_catalog):
    ratings = sample_catalog.read_export((EXPORTS / "ratings.csv").read_bytes(), "ratings.csv")
    stars = {row["Name"]: float(row["Rating"]) for row in raw_export("ratings.csv")}
    assert all(r.seen and not r.watchlist for r in ratings.matched)
    assert {r.line: r.stars for r in ratings.matched}[47] == stars["Taxi Driver"] == 4.5
    imdb = sample_catalog.read_export((EXPORTS / "imdb_ratings.csv").read_bytes(), "imdb_ratings.csv")
    ten = {row["Title"]: int(row["Your Rating"]) for row in raw_export("imdb_ratings.csv")}
    assert {r.title_id: r.stars for r in imdb.matched}["hs16"] == ten["Parasite"] / 2 == 5.0
    assert {r.title_id: r.stars for r in imdb.matched}["ns14"] == ten["Squid Game"] / 2 == 3.0
    watchlist = sample_catalog.read_export((EXPORTS / "watchlist.csv").read_bytes(), "watchlist.csv")
    assert all(r.watchlist and not r.seen and r.stars is None for r in watchlist.matched)
    watched = sample_catalog.read_export((EXPORTS / "watched.csv").read_bytes(), "watched.csv")
    assert all(r.seen and not r.watchlist and r.stars is None for r in watched.matched)


def test_an_episode_is_not_its_show_and_the_unmatched_file_lists_what_was_left(sample_catalog):
    imdb = sample_catalog.read_export((EXPORTS / "imdb_ratings.csv").read_bytes())
    reasons = {u.line: u.reason for u in imdb.unmatched}
    assert reasons[18] == "episode"  # "Pilot", a Breaking Bad episode
    assert imdb.unmatched_csv().decode("utf-8").splitlines()[0] == "File,Line,Name,Year,Reason"
    left = list(csv.DictReader(io.StringIO(imdb.unmatched_csv().decode("utf-8"))))
    assert [int(r["Line"]) for r in left] == sorted(reasons)
    assert {r["Name"] for r in left} >= {"Pilot", "Oppenheimer", "Breaking Bad"}


def test_columns_in_another_order_with_a_bom_and_crlf_still_read(sample_catalog):
    text = "\ufeffName,Year,Rating,Date,Letterboxd URI\r\nInception,2010,4,2021-01-01,https://boxd.it/1skk\r\n"
    result = sample_catalog.read_export(text.encode("utf-8"))
    assert result.kind == LETTERBOXD_RATINGS and [(r.title_id, r.stars) for r in result.matched] == [("ns5", 4.0)]


def test_bad_values_in_a_row_leave_that_row_unmatched(sample_catalog):
    text = "Date,Name,Year,Letterboxd URI,Rating\n2021-01-01,Inception,2010,u,11\n2021-01-01,,2010,u,4\n" \
           "2021-01-01,Toy Story,,u,4\n2021-01-01,Toy Story,1995,u,3.5\n"
    result = sample_catalog.read_export(text.encode())
    assert [(u.line, u.reason) for u in result.unmatched] == [(2, "bad_rating"), (3, "no_title")]
    # no year: matched only because one work has that title
    assert [(r.line, r.title_id) for r in result.matched] == [(5, "ds1")]  # the later row for a work wins


@pytest.mark.parametrize("data, error", [
    (b"", ExportEmpty),
    (b"Date,Name,Year,Letterboxd URI,Rating\n", ExportEmpty),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ExportBinary),
    ("Date,Name,Year,Letterboxd URI,Rating\n2021-01-01,Amélie,2001,u,4\n".encode("latin-1"), ExportNotUtf8),
    (b"title,stars\nInception,4\n", ExportWrongColumns),
    (b"just some words people send", ExportWrongColumns),
    (b"Date,Name,Year,Letterboxd URI,Rating\n" + b"2021-01-01,x,2000,u,4\n" * (MAX_EXPORT_BYTES // 20), ExportTooLarge),
])
def test_bad_files_raise_a_specific_error(sample_catalog, data, error):
    with pytest.raises(error) as raised:
        sample_catalog.read_export(data, "ratings.csv")
    assert isinstance(raised.value, ExportError) and raised.value.reason and str(raised.value)


def zipped(files: dict[str, str]) -> bytes:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return packed.getvalue()


def test_the_zip_letterboxd_downloads_is_read_one_row_per_film(sample_catalog):
    files = {name: (EXPORTS / name).read_text(encoding="utf-8") for name in ("ratings.csv", "watched.csv",
                                                                             "watchlist.csv")}
    files["profile.csv"] = "Date Joined,Username\n2020-01-01,ada\n"
    files["likes/films.csv"] = "Date,Name,Year,Letterboxd URI\n2021-01-01,Jaws,1975,u\n"
    result = sample_catalog.read_export(zipped(files), "letterboxd-ada-2024-01-01-utc.zip")
    assert result.kind == LETTERBOXD_ZIP
    rows = {r.title_id: r for r in result.matched}
    # the films of the three files, each once: the oracle's ids, one per work
    expected = [ids for name in files if name in SAMPLE_EXPECTED for ids in SAMPLE_EXPECTED[name].values()]
    assert len(rows) == len({min(ids) for ids in expected})
    assert all(any(i in rows for i in ids) for ids in expected)
    inception = rows["ns5"]  # rated 4.5 in ratings.csv and listed in watched.csv
    assert (inception.stars, inception.seen, inception.watchlist, inception.source) == (4.5, True, False, "ratings.csv")
    assert rows["ds17"].stars is None and rows["ds17"].seen  # Finding Nemo, watched only
    assert rows["ns26"].watchlist and not rows["ns26"].seen  # Bird Box, watchlist only
    # Pulp Fiction is in ratings.csv and watched.csv, on no sample service: listed once
    assert [u.source for u in result.unmatched if u.name == "Pulp Fiction"] == ["ratings.csv"]


def test_a_zip_without_an_export_or_a_broken_zip_raises(sample_catalog):
    with pytest.raises(ExportWrongColumns):
        sample_catalog.read_export(zipped({"holiday.jpg": "not a film"}), "photos.zip")
    broken = zipped({"ratings.csv": (EXPORTS / "ratings.csv").read_text()})
    with pytest.raises(ExportBinary):
        sample_catalog.read_export(broken[: len(broken) // 2], "letterboxd.zip")


def test_a_work_is_found_under_each_copys_own_title_and_year(sample_catalog):
    # link Inception (ns5, 2010) into The Matrix's work (hs1, 1999) by hand: a copy listed under another name
    titles = sample_catalog.titles
    work_of_row = list(range(len(titles)))
    matrix, inception = sample_catalog.by_id("hs1").index, sample_catalog.by_id("ns5").index
    work_of_row[inception] = work_of_row[matrix]
    kept = sorted(set(work_of_row))  # work ids 0..n-1, named after their first copy
    work_of_row = [kept.index(w) for w in work_of_row]
    linked = Works(titles, work_of_row, [titles[w].display_title for w in kept])
    text = "Date,Name,Year,Letterboxd URI\n2021-01-01,Inception,2010,u\n2021-01-01,The Matrix,1999,u\n"
    result = read_export(text.encode(), linked, "watched.csv")
    assert [r.title_id for r in result.matched] == ["hs1"] and not result.unmatched


# ---- bounds, each side of each limit (the years and ids read from data/sample/netflix.csv) -------------------
IMDB_HEADER = "Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,Year\n"


def imdb(*rows: tuple[str, str, str, int]) -> bytes:
    """An IMDb ratings export of (title, original title, title type, year) rows, each rated 8 (4 stars)."""
    lines = [f"tt{k},8,2021-01-01,{title},{original},u,{kind},{year}\n"
             for k, (title, original, kind, year) in enumerate(rows)]
    return (IMDB_HEADER + "".join(lines)).encode()


def found(catalog, row: tuple[str, str, str, int]) -> str | None:
    """The title id one IMDb row matches, or None (one row per export: a later row of a work replaces it)."""
    matched = read_export(imdb(row), catalog.works).matched
    return matched[0].title_id if matched else None


def test_a_film_matches_a_year_either_side_and_no_further(sample_catalog):
    # Inception is ns5, 2010
    assert {year: found(sample_catalog, ("Inception", "", "Movie", year)) for year in range(2008, 2013)} == {
        2008: None, 2009: "ns5", 2010: "ns5", 2011: "ns5", 2012: None}


def test_a_series_matches_from_a_year_before_to_thirty_after_its_first(sample_catalog):
    # Squid Game is ns14, listed 2021; IMDb gives a series' first year
    years = (1990, 1991, 2021, 2022, 2023)
    assert {year: found(sample_catalog, ("Squid Game", "", "TV Series", year)) for year in years} == {
        1990: None, 1991: "ns14", 2021: "ns14", 2022: "ns14", 2023: None}
    # a film row never matches the show the series rule would
    assert found(sample_catalog, ("Squid Game", "", "Movie", 1991)) is None


def test_the_original_title_is_tried_when_the_title_is_not_found(sample_catalog):
    assert found(sample_catalog, ("El Origen", "Inception", "Movie", 2010)) == "ns5"
    assert found(sample_catalog, ("El Origen", "", "Movie", 2010)) is None
    assert found(sample_catalog, ("Inception", "Nothing Like It", "Movie", 2010)) == "ns5"
    result = read_export(imdb(("El Origen", "Nothing Like It", "Movie", 2010)), sample_catalog.works)
    assert [(u.line, u.name, u.reason) for u in result.unmatched] == [(2, "El Origen", "not_found")]


def letterboxd_rows(count: int) -> bytes:
    return b"Date,Name,Year,Letterboxd URI,Rating\n" + b"2021-01-01,No Such Film,2000,u,4\n" * count


def test_at_most_fifty_thousand_rows_are_read(sample_catalog):
    assert read_export(letterboxd_rows(50_000), sample_catalog.works).total == 50_000
    with pytest.raises(ExportTooLarge, match="more than 50,000 rows"):
        read_export(letterboxd_rows(50_001), sample_catalog.works)


def sized(size: int) -> bytes:
    """A ratings export of exactly `size` bytes: Inception, then rows of 1,000 bytes, the last one shorter."""
    head = b"Date,Name,Year,Letterboxd URI,Rating\n" + b"2021-01-01,Inception,2010,u,4\n"
    def filler(length: int) -> bytes:  # one unmatched row of `length` bytes
        return b"2021-01-01," + b"x" * (length - 21) + b",2000,u,4\n"
    full, rest = divmod(size - len(head), 1000)
    return head + filler(1000) * (full - 1) + filler(1000 + rest)


def test_a_file_of_five_mebibytes_is_read_and_one_byte_more_is_not(sample_catalog):
    five = 5 * 1024 * 1024
    assert len(sized(five)) == five
    assert [r.title_id for r in read_export(sized(five), sample_catalog.works).matched] == ["ns5"]
    with pytest.raises(ExportTooLarge):
        read_export(sized(five + 1), sample_catalog.works)


def stored_zip(ratings: bytes, size: int) -> bytes:
    """A zip (no compression) of exactly `size` bytes: ratings.csv plus a padding member."""
    def pack(padding: int) -> bytes:
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("ratings.csv", ratings)
            archive.writestr("padding.txt", b"p" * padding)
        return packed.getvalue()
    return pack(size - len(pack(0)))


def test_a_zip_of_five_mebibytes_is_read_and_one_byte_more_is_not(sample_catalog):
    five = 5 * 1024 * 1024
    ratings = b"Date,Name,Year,Letterboxd URI,Rating\n2021-01-01,Inception,2010,u,4\n"
    assert len(stored_zip(ratings, five)) == five
    result = read_export(stored_zip(ratings, five), sample_catalog.works)
    assert result.kind == LETTERBOXD_ZIP and [r.title_id for r in result.matched] == ["ns5"]
    with pytest.raises(ExportTooLarge):
        read_export(stored_zip(ratings, five + 1), sample_catalog.works)


def test_a_film_in_several_files_of_the_zip_keeps_the_stars_and_every_mark(sample_catalog):
    header = "Date,Name,Year,Letterboxd URI"
    files = {"ratings.csv": f"{header},Rating\n2021-01-01,Inception,2010,u,4.5\n",
             "watchlist.csv": f"{header}\n2021-01-01,Inception,2010,u\n2021-01-01,Taxi Driver,1976,u\n",
             "watched.csv": f"{header}\n2021-01-01,Taxi Driver,1976,u\n2021-01-01,Inception,2010,u\n"}
    rows = {r.title_id: r for r in read_export(zipped(files), sample_catalog.works).matched}
    assert (rows["ns5"].stars, rows["ns5"].seen, rows["ns5"].watchlist) == (4.5, True, True)
    # Taxi Driver (ns2): watched and on the watchlist, never rated
    assert (rows["ns2"].stars, rows["ns2"].seen, rows["ns2"].watchlist) == (None, True, True)
    without_ratings = {k: v for k, v in files.items() if k != "ratings.csv"}
    rows = {r.title_id: r for r in read_export(zipped(without_ratings), sample_catalog.works).matched}
    assert (rows["ns5"].stars, rows["ns5"].seen, rows["ns5"].watchlist) == (None, True, True)


def test_each_error_says_why_in_words(sample_catalog):
    # the bot replies by `reason`; the text is what a log or a developer sees
    cases = [(b"", "the file is empty"), (b"\x89PNG\r\n\x1a\n\x00\x00", "the file is not text (a picture, a zip or a "
             "spreadsheet?)"), (b"Date,Name,Year,Letterboxd URI,Rating\n\n", "the export has a header but no rows"),
             (zipped({"watchlist.csv": "Date,Name,Year,Letterboxd URI\n"}), "the export's files have no rows")]
    for data, said in cases:
        with pytest.raises(ExportError) as raised:
            read_export(data, sample_catalog.works, "ratings.csv")
        assert str(raised.value) == said
