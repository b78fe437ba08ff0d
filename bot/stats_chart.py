"""/stats draws its chart in a short-lived process of its own: matplotlib and pandas (some 60 MB of a
process's memory, kept once imported) never enter the bot's, which stays small for every worker.

    png, facts = draw_apart(catalog, platform, words)   # blocking: call it in a thread

The child gets only the columns the chart counts (a small Arrow table) and is spawned, not forked, so
it inherits none of the bot's threads or locks. The bot keeps each PNG it is given (handlers.stats).
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from types import SimpleNamespace

from core import Catalog
from core.vocabulary import Platform

COLUMNS = ["id", "type", "display_title", "release_year", "duration_int", "duration_type", "rating"]


def draw(table, platform: Platform | None, words: dict[str, str]) -> tuple[bytes, dict]:
    """In the child: the chart of `charts.titles_per_year` over these columns, as (PNG, facts)."""
    import charts

    chart = charts.titles_per_year(SimpleNamespace(table=table), platform, words)
    return chart.png(), chart.facts


def draw_apart(catalog: Catalog, platform: Platform | None, words: dict[str, str]) -> tuple[bytes, dict]:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(draw, catalog.table.select(COLUMNS), platform, words).result()
