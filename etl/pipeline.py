"""The ETL run: raw catalogs and ratings in, typed Parquet out, with a report of every repair."""
from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from core.catalog import SIMILARITY_DIR
from core.settings import SAMPLE_RAW_DIR, full_raw_dir
from core.vocabulary import Platform
from etl.errors import InputError
from etl.linkage import Rows, link, linkage_report, works_table
from etl.output import (
    LINKAGE_FILE,
    MAPPED_TITLES_FILE,
    MAPPED_WORKS_FILE,
    REPORT_FILE,
    SCORES_FILE,
    SCORES_SCHEMA,
    TITLES_FILE,
    TITLES_SCHEMA,
    WORKS_FILE,
    WORKS_SCHEMA,
    RatingsWriter,
    build_kind,
    staged_output,
    tidy_output,
    write_arrow,
    write_json,
    write_manifest,
    write_table,
)
from etl.ratings import NotInUserOrder, RatingsFiles, RatingTotals, rating_files, read_ratings, stream_ratings
from etl.similarity import fit_similarity
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


def run(raw_dir: Path, ratings_dir: Path, out_dir: Path, stream: bool = True) -> RunSummary:
    """The whole ETL into `out_dir` (atomically). `stream` (the default) reads the ratings one file at a
    time and writes them as they come, so memory does not grow with them; False reads them all first
    (as before streaming: the benchmark's baseline). Files not in user order are read whole either way."""
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
    _say("linking copies of one work across the catalogs")
    rows = Rows.from_frame(titles)
    linkage = link(rows)
    titles["work_id"] = linkage.work_of_row
    _say(f"  {len(linkage.members):,} works, {len(linkage.merges):,} merges, {len(linkage.borderline):,} borderline "
         f"pairs left apart ({time.perf_counter() - started:.1f} s)")
    ids = pa.array(titles["id"].to_numpy(dtype=object), pa.string())
    kind = build_kind(raw_dir, SAMPLE_RAW_DIR, full_raw_dir())
    # No pandas metadata: readers get plain columns, whatever dtypes the ETL used in memory.
    titles_table = pa.Table.from_pandas(titles, schema=TITLES_SCHEMA, preserve_index=False).replace_schema_metadata(None)

    def finish(stage: Path) -> None:
        write_manifest(stage, raw_dir, ratings_dir, kind)

    with staged_output(out_dir, _say, finish) as stage, ThreadPoolExecutor(1) as pool:
        # The fit is mostly Python and the ratings mostly Arrow's threads: side by side they share the cores.
        fitting = pool.submit(fit_similarity, titles_table, stage / SIMILARITY_DIR)
        _say(f"reading ratings from {ratings_dir}")
        totals, ratings_log = _ratings(files, titles["id"].tolist(), stage, ids, stream)
        log.merge(ratings_log)
        means, counts = totals.scores()
        unrated = int((counts == 0).sum())
        if unrated:
            log.repaired("title with no ratings (score left missing)", unrated)
        _say(f"  {totals.rows_out:,} ratings kept, {int((counts > 0).sum()):,} titles scored "
             f"({time.perf_counter() - started:.1f} s)")
        _say(f"writing {out_dir}")
        write_table(titles_table, stage / TITLES_FILE)
        scores = pa.table({"id": ids, "score": pa.array(means, pa.float64(), mask=np.isnan(means)),
                           "rating_count": counts}, schema=SCORES_SCHEMA)
        write_table(scores, stage / SCORES_FILE)
        works = pa.table(works_table(rows, linkage, means, counts), schema=WORKS_SCHEMA)
        write_table(works, stage / WORKS_FILE)
        # The bot maps these (core.catalog): the titles with their scores, and the works, uncompressed.
        write_arrow(titles_table.append_column("score", scores.column("score")).append_column(
            "rating_count", scores.column("rating_count")), stage / MAPPED_TITLES_FILE)
        write_arrow(works, stage / MAPPED_WORKS_FILE)
        write_json(linkage_report(rows, linkage), stage / LINKAGE_FILE)
        write_json({
            "titles_in": titles_in, "titles_out": len(titles),
            "ratings_in": totals.rows_in, "ratings_out": totals.rows_out,
            "missing_values": missing, **log.as_dict(),
        }, stage / REPORT_FILE)
        _say(f"  {fitting.result()} ({time.perf_counter() - started:.1f} s)")
    return RunSummary(titles_in, len(titles), totals.rows_in, totals.rows_out, time.perf_counter() - started, log)


def _ratings(files: RatingsFiles, title_ids: list[str], stage: Path, ids: pa.Array,
             stream: bool) -> tuple[RatingTotals, RepairLog]:
    """Read, check and write the ratings (ratings.parquet and its mapped companions): their totals and
    what was dropped."""
    if stream:
        log, writer = RepairLog(), RatingsWriter(stage, ids)
        try:
            totals = stream_ratings(files, title_ids, log, writer.write)
            writer.close()
            return totals, log
        except NotInUserOrder as error:
            writer.close()
            _say(f"  {error}: reading them whole to sort them")
    log = RepairLog()  # the whole read meets every drop again
    ratings = read_ratings(files, title_ids, log)
    writer = RatingsWriter(stage, ids)
    writer.write(ratings)
    writer.close()
    return RatingTotals.of(ratings, len(title_ids)), log
