"""The ETL run: raw catalogs and ratings in, typed Parquet out, with a report of every repair."""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from core.settings import SAMPLE_RAW_DIR, full_raw_dir
from core.vocabulary import Platform
from etl.errors import InputError
from etl.linkage import Rows, link, linkage_report, works_table
from etl.output import (
    LINKAGE_FILE,
    RATINGS_FILE,
    RATINGS_SCHEMA,
    REPORT_FILE,
    SCORES_FILE,
    SCORES_SCHEMA,
    TITLES_FILE,
    TITLES_SCHEMA,
    WORKS_FILE,
    WORKS_SCHEMA,
    build_kind,
    staged_output,
    tidy_output,
    write_json,
    write_manifest,
    write_ratings,
    write_table,
)
from etl.ratings import RatingsFiles, rating_files, read_ratings, title_scores
from etl.repairs import RepairLog
from etl.titles import build_titles, catalog_file


@dataclass(frozen=True)
class RunSummary:
    titles_in: int
    titles_out: int
    ratings_in: int
    ratings_out: int
    seconds: float
    log: RepairLog


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def check_inputs(raw_dir: Path, ratings_dir: Path) -> None:
    """Name every missing input in one line (not just the first), before any work."""
    problems = []
    if not raw_dir.is_dir():
        problems.append(f"missing catalog folder: {raw_dir}")
    else:
        for platform in Platform:
            try:
                catalog_file(raw_dir, platform)
            except InputError as error:
                problems.append(str(error))
    try:
        rating_files(ratings_dir)
    except InputError as error:
        problems.append(str(error))
    if problems:
        raise InputError("; ".join(problems))


def run(raw_dir: Path, ratings_dir: Path, out_dir: Path) -> RunSummary:
    started = time.perf_counter()
    # The system allocator hands freed memory back at once, which keeps the files' peaks from adding up.
    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        pa.set_memory_pool(pa.system_memory_pool())
    tidy_output(out_dir, _say)  # first: a previous output a killed run moved aside is back at once
    check_inputs(raw_dir, ratings_dir)
    log = RepairLog()
    files = RatingsFiles(ratings_dir)
    _say(f"reading catalogs from {raw_dir}")
    titles, titles_in, missing = build_titles(raw_dir, log)
    _say(f"  {len(titles):,} titles cleaned ({time.perf_counter() - started:.1f} s)")
    _say(f"reading ratings from {ratings_dir}")
    ratings = read_ratings(files, titles["id"].tolist(), log)
    means, counts = title_scores(ratings, len(titles))
    unrated = int((counts == 0).sum())
    if unrated:
        log.repaired("title with no ratings (score left missing)", unrated)

    _say(f"  {len(ratings.user_id):,} ratings kept, {int((counts > 0).sum()):,} titles scored "
         f"({time.perf_counter() - started:.1f} s)")
    _say("linking copies of one work across the catalogs")
    rows = Rows.from_frame(titles)
    linkage = link(rows)
    titles["work_id"] = linkage.work_of_row
    _say(f"  {len(linkage.members):,} works, {len(linkage.merges):,} merges, {len(linkage.borderline):,} borderline "
         f"pairs left apart ({time.perf_counter() - started:.1f} s)")
    _say(f"writing {out_dir}")
    ids = pa.array(titles["id"].to_numpy(dtype=object), pa.string())
    kind = build_kind(raw_dir, SAMPLE_RAW_DIR, full_raw_dir())

    def finish(stage: Path) -> None:
        write_manifest(stage, raw_dir, ratings_dir, kind)

    with staged_output(out_dir, _say, finish) as stage:
        # No pandas metadata: readers get plain columns, whatever dtypes the ETL used in memory.
        titles_table = pa.Table.from_pandas(titles, schema=TITLES_SCHEMA, preserve_index=False)
        write_table(titles_table.replace_schema_metadata(None), stage / TITLES_FILE)
        write_table(pa.table({"id": ids, "score": pa.array(means, pa.float64(), mask=np.isnan(means)),
                              "rating_count": counts}, schema=SCORES_SCHEMA), stage / SCORES_FILE)
        write_table(pa.table(works_table(rows, linkage, means, counts), schema=WORKS_SCHEMA), stage / WORKS_FILE)
        write_json(linkage_report(rows, linkage), stage / LINKAGE_FILE)
        rating_ids = pa.DictionaryArray.from_arrays(pa.array(ratings.title_index), ids)
        write_ratings(pa.table({
            "user_id": ratings.user_id,
            "id": rating_ids,
            "rating": ratings.rating,
            "date": pa.array(ratings.day, pa.int32()).cast(pa.date32()),
        }, schema=RATINGS_SCHEMA), stage / RATINGS_FILE)
        write_json({
            "titles_in": titles_in, "titles_out": len(titles),
            "ratings_in": ratings.rows_in, "ratings_out": len(ratings.user_id),
            "missing_values": missing, **log.as_dict(),
        }, stage / REPORT_FILE)
    return RunSummary(titles_in, len(titles), ratings.rows_in, len(ratings.user_id),
                      time.perf_counter() - started, log)
