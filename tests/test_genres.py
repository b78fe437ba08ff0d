"""The one genre vocabulary: every platform label of the raw data is mapped, and the catalog uses it."""
from __future__ import annotations

import csv
import json

import pytest

from bench import fulldata
from core.genres import GENRES, LABELS, genres_of
from core.vocabulary import Platform


def raw_labels(raw_dir) -> dict[str, set[str]]:
    """Each distinct listed_in label of the raw CSVs (read here with csv, not the ETL) -> its platforms."""
    found: dict[str, set[str]] = {}
    for platform in Platform:
        with open(raw_dir / platform.raw_file, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for label in row["listed_in"].split(","):
                    if label.strip():
                        found.setdefault(label.strip().lower(), set()).add(platform.key)
    return found


@pytest.mark.parametrize("labels, expected", [
    (["Dramas"], ("drama",)), (["TV Dramas"], ("drama",)), (["Drama"], ("drama",)),
    (["Kids' TV"], ("kids & family",)), (["Children & Family Movies"], ("kids & family",)),
    (["Kids"], ("kids & family",)),
    (["Sci-Fi & Fantasy"], ("science fiction", "fantasy")),
    (["Romantic Comedy", "Comedy"], ("romance", "comedy")),
    (["International TV Shows", "TV Shows"], ("international",)),
    (["Arts", "Entertainment", "and Culture"], ("arts & culture",)),
    (["Adult Animation", "Comedy", "Sitcom"], ("adult animation", "animation", "comedy", "sitcom")),
    (["A Label Nobody Maps"], ("a label nobody maps",)),
    ([], ()),
])
def test_labels_map_onto_the_vocabulary(labels, expected):
    assert genres_of(labels) == expected


def test_the_table_maps_onto_its_own_genres_only():
    assert {g for genres in LABELS.values() for g in genres} == set(GENRES)
    assert all(label == label.strip().lower() for label in LABELS)


@pytest.mark.full
def test_every_raw_label_is_in_the_table_and_drama_is_shared_by_all_four():
    found = raw_labels(fulldata.FULL_RAW_DIR)
    assert sorted(set(found) - set(LABELS)) == []
    assert len(found) == 120
    drama = set().union(*(platforms for label, platforms in found.items() if "drama" in LABELS[label]))
    assert drama == {p.key for p in Platform}


@pytest.mark.full
def test_the_catalog_and_the_etl_column_use_the_vocabulary(full_catalog):
    titles = {t.id: t for t in full_catalog.titles}
    # hand-checked rows of the raw files: Netflix "TV Dramas", Hulu "Drama", Amazon "Drama"
    assert "drama" in titles["ns5941"].genres  # Breaking Bad: Crime TV Shows, TV Dramas, TV Thrillers
    assert set(titles["ns5941"].genres) == {"crime", "drama", "thriller"}
    assert set(titles["hs175"].genres) == {"adult animation", "animation", "comedy", "sitcom"}  # Family Guy
    column = full_catalog.table.column("genres").to_pylist()
    assert all(set(genres) <= set(GENRES) for genres in column)
    assert [tuple(g) for g in column] == [t.genres for t in full_catalog.titles]


def test_output_written_before_the_genres_column_gets_it_at_load(sample_processed, sample_catalog, tmp_path):
    import shutil

    import pyarrow.parquet as pq

    from core import Catalog

    # Such an output had only the Parquet and the reports (no mapped files), and a manifest listing them.
    for path in sample_processed.iterdir():
        if path.is_file() and path.suffix in (".parquet", ".json") and path.name != "titles.parquet":
            shutil.copy(path, tmp_path / path.name)
    titles = pq.read_table(sample_processed / "titles.parquet")
    pq.write_table(titles.drop_columns(["genres"]), tmp_path / "titles.parquet")
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["files"] = {p.name: p.stat().st_size for p in tmp_path.iterdir() if p.name != "manifest.json"}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    old = Catalog.load(tmp_path)
    assert [t.genres for t in old.titles] == [t.genres for t in sample_catalog.titles]
    assert any(t.genres for t in old.titles)
