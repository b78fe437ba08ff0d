"""Linkage quality on our labelled pairs: which catalog rows are one work.

    python -m bench linkage [--raw DIR] [--draw N] [--seed S]

Prints precision and recall of the ETL's linkage (etl/linkage.py) on bench/linkage_pairs.csv (199
pairs labelled by reading the raw rows, committed before any tuning), beside the naive rule it
replaced (same normalised title and release year) in the same run, with each one's time. Every pair
either gets wrong is listed. `--draw N` prints N merges drawn at random (seed S) with their rows,
for checking by hand.
"""
from __future__ import annotations

import argparse
import csv
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench import fulldata
from core.normalise import normalise_title
from etl.linkage import Rows, link
from etl.repairs import RepairLog
from etl.titles import build_titles

PAIRS_FILE = Path(__file__).with_name("linkage_pairs.csv")


@dataclass(frozen=True)
class LabelledPair:
    id_a: str
    id_b: str
    same: bool
    why: str


@dataclass(frozen=True)
class Quality:
    precision: float
    recall: float
    wrong: tuple[tuple[str, LabelledPair], ...]  # ("false merge" | "missed", pair)


def labelled_pairs(path: Path = PAIRS_FILE) -> list[LabelledPair]:
    with path.open(encoding="utf-8", newline="") as f:
        return [LabelledPair(r["id_a"], r["id_b"], r["same"] == "1", r["why"]) for r in csv.DictReader(f)]


def quality(same_work: Callable[[str, str], bool], pairs: list[LabelledPair]) -> Quality:
    """Precision and recall of "same work" over the labelled pairs (1.0 when nothing is predicted)."""
    true_pos = false_pos = false_neg = 0
    wrong = []
    for pair in pairs:
        predicted = same_work(pair.id_a, pair.id_b)
        if predicted and pair.same:
            true_pos += 1
        elif predicted:
            false_pos += 1
            wrong.append(("false merge", pair))
        elif pair.same:
            false_neg += 1
            wrong.append(("missed", pair))
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    return Quality(precision, recall, tuple(wrong))


def same_by(work_of_row: np.ndarray, ids: list[str]) -> Callable[[str, str], bool]:
    row = {i: k for k, i in enumerate(ids)}
    return lambda a, b: bool(work_of_row[row[a]] == work_of_row[row[b]])


def title_and_year_works(rows: Rows) -> np.ndarray:
    """The naive rule the linkage replaced: one work per (normalised title, release year)."""
    number: dict[tuple[str, int], int] = {}
    keys = zip((normalise_title(t) for t in rows.titles), rows.years)
    return np.fromiter((number.setdefault(k, len(number)) for k in keys), np.int32, len(rows.ids))


def _row_line(rows: Rows, titles, r: int) -> str:
    t = titles.iloc[r]
    people = ", ".join(list(t["director"])[:2]) or "-"
    cast = ", ".join(list(t["cast"])[:3]) or "-"
    duration = "?" if rows.minutes[r] is None else f"{rows.minutes[r]} {t['duration_type']}"
    return f"    {rows.ids[r]:8} {t['type']:7} {rows.years[r]} {duration:10} {rows.titles[r]!r} | d: {people} | c: {cast}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench linkage", description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=fulldata.FULL_RAW_DIR)
    parser.add_argument("--draw", type=int, default=0, help="print this many merges drawn at random")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)

    titles, _, _ = build_titles(args.raw, RepairLog())
    pairs = labelled_pairs()
    print(f"{len(titles):,} titles; {len(pairs)} labelled pairs ({sum(p.same for p in pairs)} same, "
          f"{sum(not p.same for p in pairs)} different)")
    started = time.perf_counter()
    rows = Rows.from_frame(titles)
    linkage = link(rows)
    linkage_s = time.perf_counter() - started
    started = time.perf_counter()
    naive = title_and_year_works(rows)
    naive_s = time.perf_counter() - started
    results = {
        "linkage (etl/linkage.py)": (quality(same_by(linkage.work_of_row, rows.ids), pairs), linkage_s,
                                     len(linkage.members)),
        "naive: title + year": (quality(same_by(naive, rows.ids), pairs), naive_s, int(naive.max()) + 1),
    }
    print(f"{'method':28} {'precision':>9} {'recall':>7} {'works':>7} {'seconds':>8}")
    for name, (q, seconds, works) in results.items():
        print(f"{name:28} {q.precision:9.3f} {q.recall:7.3f} {works:7,} {seconds:8.2f}")
    print(f"linkage: {linkage.pairs_compared:,} pairs compared, {len(linkage.merges):,} merges, "
          f"{len(linkage.borderline)} borderline pairs left apart, {len(linkage.kept_apart)} merges refused")
    by_id = {p: k for k, p in enumerate(rows.ids)}
    for what, pair in results["linkage (etl/linkage.py)"][0].wrong:
        print(f"  {what}: {pair.id_a} {rows.titles[by_id[pair.id_a]]!r} / {pair.id_b} "
              f"{rows.titles[by_id[pair.id_b]]!r} ({pair.why})")
    if args.draw:
        several = [m for m in linkage.members if len(m) > 1]
        drawn = random.Random(args.seed).sample(several, min(args.draw, len(several)))
        print(f"\n{len(drawn)} of {len(several):,} works with several copies, drawn at random (seed {args.seed}):")
        for k, members in enumerate(drawn, 1):
            print(f"{k:3}.")
            for r in members:
                print(_row_line(rows, titles, r))
    return 0
