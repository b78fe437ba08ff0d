"""The exploratory report: every chart of the processed data in one self-contained HTML page.

The page embeds each figure as a base64 PNG (no JS, inline CSS), so it can be mailed or opened
offline; each figure is also written beside it as a PNG file.
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import charts
from charts import Chart
from core import Catalog
from core.catalog import REPORT_FILE

HTML_FILE = "report.html"

# The report's figures, in reading order: each takes the catalog and the ETL's report.
FIGURES: tuple[Callable[[Catalog, dict[str, Any]], Chart], ...] = (
    lambda catalog, _: charts.titles_per_platform(catalog),
    lambda catalog, _: charts.releases_per_year(catalog),
    lambda catalog, _: charts.titles_per_year(catalog, None),
    lambda catalog, _: charts.durations(catalog),
    lambda catalog, _: charts.top_genres(catalog),
    lambda catalog, _: charts.top_countries(catalog),
    lambda catalog, _: charts.maturity_ratings(catalog),
    lambda catalog, _: charts.people(catalog),
    lambda catalog, _: charts.rating_distribution(catalog),
    lambda catalog, _: charts.title_scores(catalog),
    lambda catalog, _: charts.ratings_per_user(catalog),
    lambda _, etl_report: charts.missing_values(etl_report),
    lambda _, etl_report: charts.repairs(etl_report),
)

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1150px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; }
.meta { color: #666; margin-top: 0; }
section { margin: 2.5em 0; }
.finding { background: #f4f6fa; border-left: 4px solid #4c72b0; padding: 0.5em 0.8em; }
img { max-width: 100%; height: auto; }
ol { columns: 2; }
"""


@dataclass(frozen=True)
class Report:
    html_path: Path
    png_paths: tuple[Path, ...]
    charts: tuple[Chart, ...]


def read_etl_report(data_dir: Path) -> dict[str, Any]:
    """The ETL's etl_report.json, or an empty report when an older run wrote none."""
    path = Path(data_dir) / REPORT_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def build_charts(catalog: Catalog, etl_report: dict[str, Any]) -> tuple[Chart, ...]:
    return tuple(figure(catalog, etl_report) for figure in FIGURES)


def render_html(built: list[tuple[Chart, bytes]], catalog: Catalog) -> str:
    source = html.escape(str(catalog.path or "memory"))
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    contents = "".join(f'<li><a href="#{c.name}">{html.escape(c.title)}</a></li>' for c, _ in built)
    sections = "".join(
        f'<section id="{chart.name}"><h2>{html.escape(chart.title)}</h2>'
        f'<p class="finding">{html.escape(chart.finding)}</p>'
        f'<img alt="{html.escape(chart.title)}" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'
        f"</section>\n"
        for chart, png in built
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Streaming catalogs: exploratory report</title><style>{STYLE}</style></head><body>\n"
        f"<h1>Streaming catalogs: exploratory report</h1>\n"
        f'<p class="meta">{len(catalog):,} titles, {catalog.ratings.row_count:,} ratings from '
        f"{len(catalog.ratings):,} users; data {source}; built {when} by <code>python -m etl report</code>.</p>\n"
        f"<ol>{contents}</ol>\n{sections}</body></html>\n"
    )


def build_report(catalog: Catalog, etl_report: dict[str, Any], out_dir: Path) -> Report:
    """Draw every figure, write each as OUT/<name>.png and all of them into OUT/report.html."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    paths = []
    for chart in build_charts(catalog, etl_report):
        png = chart.png()
        path = out_dir / f"{chart.name}.png"
        path.write_bytes(png)
        paths.append(path)
        built.append((chart, png))
    html_path = out_dir / HTML_FILE
    html_path.write_text(render_html(built, catalog), encoding="utf-8")
    return Report(html_path, tuple(paths), tuple(chart for chart, _ in built))
