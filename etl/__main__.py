"""Command line of the ETL.

    python -m etl [--raw DIR] [--ratings DIR] [--out DIR]   # clean the catalogs and ratings
    python -m etl --unless-current                          # only if missing or stale (make run)
    python -m etl report [--data DIR] [--out DIR]            # build the exploratory report

With no flags the ETL reads the sample shipped in data/sample/; the environment variables
CATALOG_RAW_DIR, CATALOG_RATINGS_DIR and CATALOG_DATA_DIR (environment, then .env) set the same paths
as the flags.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.settings import data_dir, ratings_dir, raw_dir
from etl.errors import InputError
from etl.pipeline import run


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["report"]:
        from etl.report_cli import main as report_main

        return report_main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m etl", description="Clean the raw catalogs and ratings into typed Parquet."
    )
    parser.add_argument(
        "--raw", type=Path, help="folder with the four catalogs (env CATALOG_RAW_DIR; default data/sample)"
    )
    parser.add_argument(
        "--ratings", type=Path, help="folder with 1.csv..N.csv (env CATALOG_RATINGS_DIR; default RAW/ratings)"
    )
    parser.add_argument("--out", type=Path, help="output folder (env CATALOG_DATA_DIR; default data/processed)")
    parser.add_argument("--unless-current", action="store_true",
                        help="build only when the output is missing, of another layout or older than its inputs; "
                             "never over a full or custom build from other files (make sample does that)")
    args = parser.parse_args(argv)

    raw = args.raw or raw_dir()
    ratings = args.ratings or ratings_dir(raw)
    out = args.out or data_dir()
    if args.unless_current:
        from etl.freshness import freshness  # reads the manifest through core.catalog: only when asked

        state = freshness(out, raw, ratings)
        print(f"etl: {state.why}", file=sys.stderr)
        if not state.rebuild:
            return 0
    try:
        summary = run(raw, ratings, out)
    except InputError as error:
        print(f"etl: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("etl: interrupted; the previous output is untouched", file=sys.stderr)
        return 130
    print("repairs:")
    print("\n".join(summary.log.lines()))
    print(
        f"done: titles {summary.titles_in:,} in, {summary.titles_out:,} out; "
        f"ratings {summary.ratings_in:,} in, {summary.ratings_out:,} out; "
        f"{summary.seconds:.1f} s -> {out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
