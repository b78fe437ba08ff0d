"""Run one benchmark or evaluation: `python -m bench <name> [options]`.

    python -m bench catalog      # ETL, load and catalog queries vs re-reading Parquet per call
    python -m bench recommender  # resolver / similar / recommend vs rebuilding per request
    python -m bench evaluate     # recommender and resolver quality vs a naive baseline
    python -m bench bot          # 100 chats x 20 commands through the Bot API double
    python -m bench faults       # issue 10's faults (edits, slow/failing Bot API, save stall, stray quote)
    python -m bench personal     # /foryou for people with 500 ratings and a 2,000-row import vs naive
    python -m bench linkage      # which rows are one work: precision and recall on labelled pairs
    python -m bench mutants      # share of mutmut's mutants the fast tests kill, per module (slow)
    python -m bench live         # replies while `python -m etl` swaps in a new output under the running bot
    python -m bench workers      # one webhook process beside 3 workers: latency, replies/s, lost, duplicated, RSS/PSS
    python -m bench taste        # 100 chats x 20 personal actions on SQLite and PostgreSQL; saves at 10 vs 1M people
    python -m bench lean         # the bot's RSS/PSS, start-up and extra worker; ETL time and memory at 1x/4x, vs today
"""
from __future__ import annotations

import importlib
import sys

BENCHMARKS = ("catalog", "recommender", "evaluate", "bot", "personal", "linkage", "faults", "mutants", "taste", "lean",
              "live", "workers")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in BENCHMARKS:
        print(__doc__.strip())
        return 2
    module = importlib.import_module(f"bench.{argv[0]}")
    return module.main(argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
