"""Speed of title search and the recommender, beside the naive way, in the same run.

    python -m bench recommender [--data DIR] [--repeat 300]

Fit: time, traced Python allocations (tracemalloc peak) and RSS growth (psutil) of
`catalog.warm()` (works, resolver, recommender, people). Then p50/p99 of `resolve`, `similar` and
`recommend` (for the user with the most ratings), each with titles as typed, and of finding a person's
titles by name. The naive way rebuilds per request what we fit once: rapidfuzz WRatio over the raw titles with its default
processor; a CountVectorizer (title + genres + director) fitted and a cosine row computed per
`similar`; for `recommend` that too, plus the user's ratings found by a mask over all ratings; for a
person, every title's cast and directors scanned.
"""
from __future__ import annotations

import argparse
import gc
import time
import tracemalloc

import numpy as np
import psutil
from rapidfuzz import fuzz, process, utils
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from bench import fulldata
from bench.cases import RESOLVER_CASES
from core import Catalog

# names typed for `person` (lowercase, as the catalog stores them, so the naive scan finds them too)
PEOPLE = ["tom hanks", "martin scorsese", "samuel l. jackson", "meryl streep", "bruce lee", "shah rukh khan"]


def percentiles(call, inputs, repeat: int) -> tuple[float, float]:
    times = []
    for k in range(repeat):
        started = time.perf_counter()
        call(inputs[k % len(inputs)])
        times.append(time.perf_counter() - started)
    return float(np.percentile(times, 50) * 1e3), float(np.percentile(times, 99) * 1e3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench recommender", description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="processed data folder (default: the full data, built once into "
                        "data/processed_full/ from ../shared)")
    parser.add_argument("--repeat", type=int, default=300, help="calls timed per operation")
    parser.add_argument("--naive-repeat", type=int, default=5, help="calls timed per naive operation")
    args = parser.parse_args(argv)

    args.data = args.data or str(fulldata.ensure_full_processed())
    catalog = Catalog.load(args.data)
    gc.collect()
    rss = psutil.Process().memory_info().rss
    tracemalloc.start()
    started = time.perf_counter()
    catalog.warm()
    fit_seconds = time.perf_counter() - started
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = psutil.Process().memory_info().rss - rss
    print(f"catalog {args.data}: {len(catalog)} titles, {catalog.ratings.row_count:,} ratings")
    print(f"fit (catalog.warm): {fit_seconds:.2f} s (under tracemalloc), traced peak {traced_peak / 2**20:.0f} MB,"
          f" RSS +{rss_growth / 2**20:.0f} MB")
    # once more without tracemalloc's overhead, on a fresh catalog
    fresh = Catalog(catalog.table, catalog.ratings)
    started = time.perf_counter()
    fresh.warm()
    print(f"fit without tracing: {time.perf_counter() - started:.2f} s")
    del fresh

    user = catalog.ratings.most_active_user()
    queries = [text for text, _ in RESOLVER_CASES]
    print(f"\nuser {user} has {len(catalog.ratings.of(user)[0])} ratings; {len(queries)} typed titles;"
          f" {args.repeat} calls each (naive: {args.naive_repeat})")

    titles = [t.title for t in catalog.titles]
    texts = [" ".join([t.title, *t.genres, *t.directors]) for t in catalog.titles]
    all_users = catalog.ratings.users.repeat(np.diff(catalog.ratings.offsets))

    def naive_resolve(text: str):
        return process.extract(text, titles, scorer=fuzz.WRatio, processor=utils.default_process, limit=5)

    def naive_similar(text: str, n: int = 10):
        row = naive_resolve(text)[0][2]
        matrix = CountVectorizer().fit_transform(texts)
        scores = cosine_similarity(matrix[row], matrix).ravel()
        scores[row] = -1
        return np.argsort(-scores)[:n]

    def naive_recommend(text: str):
        mine = all_users == user
        rated = set(catalog.ratings.title_index[mine].tolist())
        return [r for r in naive_similar(text, 200) if r not in rated][:5]

    rows = [
        ("resolve", lambda q: catalog.resolve(q), naive_resolve),
        ("similar", lambda q: catalog.similar(q), naive_similar),
        ("recommend", lambda q: catalog.recommend(user, q), naive_recommend),
    ]
    def naive_person(name: str):  # every title's credits scanned per request
        return [t for t in catalog.titles if name in t.cast or name in t.directors]

    print(f"{'operation':10} {'ours p50':>9} {'ours p99':>9} {'naive p50':>10} {'naive p99':>10}   (ms)")
    for name, ours, naive, inputs in [(*row, queries) for row in rows] + [
            ("person", lambda q: catalog.people.find(q), naive_person, PEOPLE)]:
        p50, p99 = percentiles(ours, inputs, args.repeat)
        n50, n99 = percentiles(naive, inputs, args.naive_repeat)
        print(f"{name:10} {p50:9.2f} {p99:9.2f} {n50:10.1f} {n99:10.1f}")
    return 0
