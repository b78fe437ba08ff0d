"""Issue 13, "small" and "flat": the ETL streams the ratings and writes what the bot maps (ratings.arrow, its
user index, titles.arrow, works.arrow, the recommender's fit in similarity/); the bot maps them, imports
no heavy module until a feature needs it, and refuses files that are not the size the build wrote.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pyarrow as pa
import pyarrow.ipc
import pyarrow.parquet as pq
import pytest
from scipy import sparse
from tiny_catalog import RATINGS_HEADER, write_csv

from core import Catalog
from core.catalog import SIMILARITY_DIR, recommender_meta
from core.errors import DataNotFound
from core.fitted import load_state
from core.settings import PROJECT_ROOT, SAMPLE_RAW_DIR
from core.trigrams import TrigramIndex, trigrams
from etl.pipeline import run

# Hand-written ratings: the first file is not sorted by user and ends with user 3, whom the second file
# goes on with (a user across two files); titles are the sample's ids.
SPLIT = {
    "1.csv": [[1, 4.0, 1_500_000_000, "ns1"], [3, 2.0, 1_500_000_001, "ns2"], [1, 3.5, 1_500_000_002, "as1"],
              [2, 5.0, 1_500_000_003, "ns1"], [3, 4.5, 1_500_000_004, "ds1"]],
    "2.csv": [[3, 1.0, 1_500_000_005, "hs1"], [5, 3.0, 1_500_000_006, "ns2"], [5, 0.5, 1_500_000_007, "ns1"]],
}
# user -> (title ids, ratings) in file order
EXPECTED = {1: (["ns1", "as1"], [4.0, 3.5]), 2: (["ns1"], [5.0]), 3: (["ns2", "ds1", "hs1"], [2.0, 4.5, 1.0]),
            5: (["ns2", "ns1"], [3.0, 0.5])}
# The same rows with the files in the other order: a later file starts below the user an earlier one
# ended with, so they cannot be streamed and are sorted whole (each user's rows keep file order).
SWAPPED = {"1.csv": SPLIT["2.csv"], "2.csv": SPLIT["1.csv"]}
EXPECTED_SWAPPED = {1: (["ns1", "as1"], [4.0, 3.5]), 2: (["ns1"], [5.0]), 3: (["hs1", "ns2", "ds1"], [1.0, 2.0, 4.5]),
                    5: (["ns2", "ns1"], [3.0, 0.5])}


def build(folder, files: dict) -> tuple:
    ratings = folder / "ratings"
    ratings.mkdir(parents=True)
    for name, rows in files.items():
        write_csv(ratings / name, [RATINGS_HEADER, *rows])
    out = folder / "processed"
    return run(SAMPLE_RAW_DIR, ratings, out), out


def user_rows(catalog: Catalog, user: int) -> tuple[list[str], list[float]]:
    rows, stars = catalog.ratings.of(user)
    return [catalog.titles[r].id for r in rows], stars.tolist()


@pytest.mark.parametrize(("files", "expected"), [(SPLIT, EXPECTED), (SWAPPED, EXPECTED_SWAPPED)],
                         ids=["in user order", "files out of order"])
def test_each_users_ratings_are_mapped_whole_and_in_file_order(tmp_path, files, expected):
    summary, out = build(tmp_path, files)
    assert (summary.ratings_in, summary.ratings_out) == (8, 8)
    mapped, read = Catalog.load(out), Catalog.load(out, mapped=False)
    assert sorted(mapped.ratings.users.tolist()) == sorted(expected)
    for user, rows in expected.items():
        assert user_rows(mapped, user) == rows, user
        assert user_rows(read, user) == rows, user
    assert user_rows(mapped, 4) == ([], [])
    # every record batch of ratings.arrow ends at a user's last row: no user is split between two
    reader = pyarrow.ipc.open_file(pa.memory_map(str(out / "ratings.arrow")))
    users = [reader.get_batch(k).column("user_id").to_pylist() for k in range(reader.num_record_batches)]
    assert [u for batch in users for u in batch] == sorted(u for u, (ids, _) in expected.items() for _ in ids)
    for first, second in zip(users, users[1:]):
        assert first[-1] < second[0]
    # the Parquet, the dataset of record, holds the same rows in the same order
    table = pq.read_table(out / "ratings.parquet")
    assert table.column("user_id").to_pylist() == [u for batch in users for u in batch]


def test_the_bot_maps_the_ratings_and_the_fit_instead_of_copying_them(sample_processed):
    catalog = Catalog.load(sample_processed)
    rows, _ = catalog.ratings.of(catalog.ratings.most_active_user())
    assert not rows.flags.owndata and not rows.flags.writeable  # a view of the mapped file
    recommender = catalog.recommender
    assert isinstance(np.asarray(recommender._norms), np.memmap) or not recommender._norms.flags.writeable
    assert not recommender.features.data.flags.writeable


def test_the_saved_fit_is_the_fit_the_bot_would_make(sample_processed):
    """Every array the ETL saved equals the one a fit in process computes on the loaded catalog."""
    saved = Catalog.load(sample_processed).recommender
    fitted = Catalog.load(sample_processed, mapped=False).recommender
    names = set(vars(fitted)) - {"works", "weights"}
    assert names == set(vars(saved)) - {"works", "weights"}
    for name in names:
        mine, theirs = vars(saved)[name], vars(fitted)[name]
        if sparse.issparse(theirs):
            assert mine.shape == theirs.shape and (mine != theirs).nnz == 0, name
        else:
            assert np.array_equal(mine, theirs), name


@pytest.mark.full
def test_the_saved_fit_is_the_fit_the_bot_would_make_on_the_full_data(full_processed):
    meta, state = load_state(full_processed / SIMILARITY_DIR)
    fitted = Catalog.load(full_processed, mapped=False).recommender
    assert meta == recommender_meta(fitted.weights)
    for name, value in state.items():
        mine = vars(fitted)[name]
        assert (mine != value).nnz == 0 if sparse.issparse(mine) else np.array_equal(mine, value), name


def test_a_fit_saved_with_other_weights_is_not_used(sample_processed, caplog):
    catalog = Catalog.load(sample_processed)
    catalog.feature_weights = replace(catalog.feature_weights, genres=0.2, description=0.15)
    recommender = catalog.recommender
    assert recommender.features.data.flags.writeable  # fitted here, not mapped
    assert "fitted by other code or weights" in caplog.text


def test_a_file_of_another_size_than_the_build_wrote_stops_the_load(sample_processed, tmp_path):
    data = tmp_path / "processed"
    shutil.copytree(sample_processed, data)
    titles = data / "titles.arrow"
    titles.write_bytes(titles.read_bytes()[:-100])
    with pytest.raises(DataNotFound, match="titles.arrow has .* bytes, the build wrote .*python -m etl"):
        Catalog.load(data)
    manifest = json.loads((data / "manifest.json").read_text())
    assert "titles.arrow" in manifest["files"] and "similarity/state.json" in manifest["files"]


def test_a_missing_file_the_build_wrote_stops_the_load_saying_so(sample_processed, tmp_path):
    data = tmp_path / "processed"
    shutil.copytree(sample_processed, data)
    size = (data / "works.arrow").stat().st_size
    (data / "works.arrow").unlink()
    with pytest.raises(DataNotFound) as missing:
        Catalog.load(data)
    assert str(missing.value) == (f"the processed data in {data} is damaged: works.arrow has no file, the build wrote "
                                  f"{size:,}; rebuild it with: python -m etl")


def test_the_trigram_index_is_scikit_learns_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    keys = ["the matrix", "the matrix reloaded", "toy story", "toy  story 2", "up", "a", "Amélie", "cars 3"]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), sublinear_tf=True, dtype=np.float32)
    expected = vectorizer.fit_transform(keys)
    index = TrigramIndex(keys)
    analyzer = vectorizer.build_analyzer()
    assert [trigrams(k) for k in keys] == [analyzer(k) for k in keys]
    assert trigrams("the cat") == [" th", "the", "he ", " ca", "cat", "at "]
    assert index.column == vectorizer.vocabulary_
    assert np.allclose(index.postings.T.toarray(), expected.toarray(), atol=1e-6)
    for query in ("matrx", "toy story", "zzz"):
        assert np.allclose(index.vector(query).toarray(), vectorizer.transform([query]).toarray(), atol=1e-6)


def test_the_bot_starts_without_the_heavy_modules(sample_processed):
    """scikit-learn (the fit is mapped), matplotlib and pandas (only /stats draws), the Parquet reader
    (the bot maps the Arrow files) and redis (only with REDIS_URL) are not imported by a bot that loaded
    and warmed its catalog."""
    script = ("import sys, bot.__main__, bot.app\n"
              "from core import Catalog\n"
              f"Catalog.load({str(sample_processed)!r}).warm()\n"
              "print(sorted(m for m in ('sklearn', 'matplotlib', 'pandas', 'pyarrow.parquet', 'pyarrow.dataset',"
              " 'redis') if m in sys.modules))\n")
    env = os.environ | {"PYTHONPATH": str(PROJECT_ROOT)}
    printed = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True,
                             text=True, check=True).stdout
    assert printed.strip() == "[]"


def test_a_build_without_the_mapped_files_or_with_another_fit_is_rebuilt(sample_processed, tmp_path):
    from etl.freshness import freshness

    data = tmp_path / "processed"
    shutil.copytree(sample_processed, data)
    ratings = SAMPLE_RAW_DIR / "ratings"
    assert not freshness(data, SAMPLE_RAW_DIR, ratings).rebuild
    state = json.loads((data / SIMILARITY_DIR / "state.json").read_text())
    state["meta"]["weights"]["genres"] += 0.05
    (data / SIMILARITY_DIR / "state.json").write_text(json.dumps(state))
    assert "fitted by other code or weights" in freshness(data, SAMPLE_RAW_DIR, ratings).why
    (data / "ratings.arrow").unlink()
    found = freshness(data, SAMPLE_RAW_DIR, ratings)
    assert found.rebuild and "no ratings.arrow" in found.why


def test_a_name_has_its_catalogs_spelling_before_and_after_the_spellings_are_learnt(tmp_path):
    """The bot learns the catalogs' spellings of names off the event loop once it polls; a name shown
    before that learns them then, and a newer catalog's spelling wins."""
    from tiny_catalog import row, sample_plus

    from bot import render
    from bot.app import build_application
    from bot.local import CONSOLE_TOKEN, LocalBotAPI
    from bot.settings import Settings

    def spelled(folder, name: str) -> Catalog:
        return sample_plus(tmp_path / folder, {"netflix": [row("s9101", "Movie", "Lantern Keepers", cast=name)]})

    older, newer = spelled("older", "DeShawn McQuarrie-LaFleur"), spelled("newer", "Deshawn McQuarrie-Lafleur")
    settings = Settings(token=CONSOLE_TOKEN, state_file=None)
    build_application(older, settings, request=LocalBotAPI(), rate_limiter=False)  # queues, learns nothing yet
    render.learn_display_names(newer)  # a catalog swapped in (bot/live.py)
    # learnt as the name is shown: the newer spelling (title case would be "Deshawn Mcquarrie-Lafleur")
    assert render.proper_name("deshawn mcquarrie-lafleur") == "Deshawn McQuarrie-Lafleur"
    render.learn_display_names(older)  # learnt already: not again, so not over the newer one
    assert render.learn_now()["deshawn mcquarrie-lafleur"] == "Deshawn McQuarrie-Lafleur"



async def test_the_application_calls_on_started_once_it_runs(sample_processed):
    """`python -m bot` starts building the indexes from `on_started`: once, when the application runs."""
    from bot.app import build_application
    from bot.local import CONSOLE_TOKEN, LocalBotAPI
    from bot.settings import Settings

    settings = Settings(token=CONSOLE_TOKEN, state_file=None)
    application = build_application(Catalog.load(sample_processed), settings, request=LocalBotAPI(),
                                    rate_limiter=False, updater=False)
    seen = []
    application.on_started = lambda: seen.append(application.running)
    async with application:
        assert seen == []
        await application.start()
        await application.stop()
    assert seen == [True]
