"""`python -m etl report [--data DIR] [--out DIR]`: build the exploratory HTML report and its PNGs."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import matplotlib

# Headless: the report never opens a window, even if something imports pyplot.
matplotlib.use("Agg")

from core import Catalog, DataNotFound  # noqa: E402
from core.settings import data_dir  # noqa: E402
from etl.report import build_report, read_etl_report  # noqa: E402

DEFAULT_OUT = Path("build/report")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m etl report", description="Build the exploratory report (HTML and PNG figures)."
    )
    parser.add_argument("--data", type=Path, help="processed data (env CATALOG_DATA_DIR; default data/processed)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    started = time.perf_counter()
    data = args.data or data_dir()
    try:
        catalog = Catalog.load(data)
    except DataNotFound:
        print(f"etl report: no processed data in {data}; run `python -m etl` first", file=sys.stderr)
        return 2
    report = build_report(catalog, read_etl_report(data), args.out)
    for chart in report.charts:
        print(f"- {chart.title}: {chart.finding}")
    print(
        f"wrote {report.html_path} and {len(report.png_paths)} PNG figures in {args.out} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return 0
