"""Benchmark of the data core on the full data: ETL, load, and every catalog query.

    python -m bench catalog [--raw DIR] [--ratings DIR] [--queries N] [--naive-queries M]

Prints the ETL's wall time and peak memory (a fresh process), the catalog's load time and resident
memory (another fresh process), and p50/p99 of each query over N random argument sets, beside the
naive way of the original assignment (re-read the processed Parquet and filter with pandas on every
call) over M of the same argument sets, with the ratio.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench import fulldata

PLATFORMS = ("amazon", "disney", "hulu", "netflix")


def cpu_reference_ms() -> float:
    """A fixed pure-Python loop, best of five: this VM's speed drifts, so runs compare by this."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(range(10**7))
        best = min(best, time.perf_counter() - started)
    return best * 1000


def measure_etl(raw: Path, ratings: Path, out: Path) -> dict:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "etl", "--raw", str(raw), "--ratings", str(ratings), "--out", str(out)],
        capture_output=True, text=True,
    )
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"the ETL failed:\n{done.stderr}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"wall_s": wall, "peak_mb": peak_kb / 1024, "summary": done.stdout.strip().splitlines()[-1]}


_LOAD_PROBE = """
import json, sys, time
started = time.perf_counter()
from core import Catalog
imported = time.perf_counter()
catalog = Catalog.load(sys.argv[1])
loaded = time.perf_counter()
import psutil
print(json.dumps({"import_s": imported - started, "load_s": loaded - imported,
                  "rss_mb": psutil.Process().memory_info().rss / 2**20}))
"""


def measure_load(data: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", _LOAD_PROBE, str(data)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def argument_sets(catalog, n: int, seed: int = 7) -> dict[str, list[tuple]]:
    """N random, realistic argument sets per query (years and countries drawn from the catalog)."""
    rng = random.Random(seed)
    years = [t.release_year for t in catalog.titles]
    countries = sorted({c for t in catalog.titles for c in t.countries})
    ratings = catalog.maturity_ratings
    return {
        "max_duration": [(rng.choice(years + [None]), rng.choice(PLATFORMS + (None,)), rng.choice(("min", "season")))
                         for _ in range(n)],
        "score_count": [(rng.choice(PLATFORMS), round(rng.uniform(3.3, 3.8), 2), rng.choice(years)) for _ in range(n)],
        "count_platform": [(rng.choice(PLATFORMS),) for _ in range(n)],
        "top_actors": [(rng.choice(PLATFORMS), rng.choice(years)) for _ in range(n)],
        "count_by_country": [(rng.choice(("movie", "tv show")), rng.choice(countries), rng.choice(years))
                             for _ in range(n)],
        "count_by_rating": [(rng.choice(ratings),) for _ in range(n)],
    }


class NaiveQueries:
    """The original assignment's way: read the processed data from disk and filter it on every call."""

    def __init__(self, data: Path) -> None:
        self.data = data

    def _titles(self):
        import pandas as pd

        titles = pd.read_parquet(self.data / "titles.parquet")
        scores = pd.read_parquet(self.data / "scores.parquet")
        return titles.merge(scores, on="id")

    def max_duration(self, year, platform, unit):
        df = self._titles()
        df = df[df["duration_type"] == unit]
        if year is not None:
            df = df[df["release_year"] == year]
        if platform is not None:
            df = df[df["id"].str[0] == platform[0]]
        df = df.dropna(subset=["duration_int"])
        return df[df["duration_int"] == df["duration_int"].max()].sort_values("title")["display_title"].tolist()

    def score_count(self, platform, threshold, year):
        df = self._titles()
        df = df[(df["id"].str[0] == platform[0]) & (df["release_year"] == year) & (df["score"] > threshold)]
        return int((df["type"] == "movie").sum()), int((df["type"] == "tv show").sum())

    def count_platform(self, platform):
        df = self._titles()
        df = df[df["id"].str[0] == platform[0]]
        return int((df["type"] == "movie").sum()), int((df["type"] == "tv show").sum())

    def top_actors(self, platform, year):
        df = self._titles()
        df = df[(df["id"].str[0] == platform[0]) & (df["release_year"] == year)]
        cast = df["cast"].map(lambda names: list(dict.fromkeys(names))).explode().dropna()
        counts = cast.value_counts()
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]

    def count_by_country(self, kind, country, year):
        df = self._titles()
        df = df[(df["type"] == kind) & (df["release_year"] == year)]
        return int(df["country"].map(lambda names: country in names).sum())

    def count_by_rating(self, rating):
        return int((self._titles()["rating"] == rating).sum())


def timings(call, argsets) -> np.ndarray:
    out = np.empty(len(argsets))
    for i, args in enumerate(argsets):
        started = time.perf_counter_ns()
        call(*args)
        out[i] = time.perf_counter_ns() - started
    return out / 1e6  # milliseconds


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench catalog", description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=fulldata.FULL_RAW_DIR)
    parser.add_argument("--ratings", type=Path)
    parser.add_argument("--queries", type=int, default=2000, help="argument sets per query (default 2000)")
    parser.add_argument("--naive-queries", type=int, default=30, help="argument sets per naive query (default 30)")
    args = parser.parse_args(argv)
    ratings = args.ratings or fulldata.ensure_full_ratings()

    print(f"CPU reference: sum(range(10**7)) in {cpu_reference_ms():.0f} ms (compare runs by it)")
    with tempfile.TemporaryDirectory(prefix="bench-catalog-") as scratch:
        out = Path(scratch) / "processed"
        etl = measure_etl(args.raw, ratings, out)
        print(f"ETL     wall {etl['wall_s']:.2f} s (whole process, with imports)   peak RSS {etl['peak_mb']:.0f} MB"
              f"   [target <= 4 s, <= 800 MB]")
        print(f"        {etl['summary']}")
        load = measure_load(out)
        print(f"load    {load['load_s']:.2f} s (+ {load['import_s']:.2f} s imports)   RSS after load "
              f"{load['rss_mb']:.0f} MB   [target <= 1.5 s]")

        from core import Catalog

        catalog = Catalog.load(out)
        naive = NaiveQueries(out)
        sets = argument_sets(catalog, args.queries)
        print(f"\nqueries: p50 / p99 over {args.queries} random argument sets; naive over the first "
              f"{args.naive_queries} (re-read Parquet + pandas filter per call)   [target p99 <= 0.2 ms]")
        print(f"{'query':<18}{'p50 ms':>10}{'p99 ms':>10}{'naive p50':>12}{'naive p99':>12}{'ratio p50':>12}")
        for name, argsets in sets.items():
            ours = timings(getattr(catalog, name), argsets)
            theirs = timings(getattr(naive, name), argsets[: args.naive_queries])
            p50, p99 = np.percentile(ours, [50, 99])
            n50, n99 = np.percentile(theirs, [50, 99])
            print(f"{name:<18}{p50:>10.4f}{p99:>10.4f}{n50:>12.2f}{n99:>12.2f}{n50 / p50:>11,.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
