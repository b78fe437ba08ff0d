"""Whether the processed data needs a rebuild, for `python -m etl --unless-current` (what `make run` uses).

A build is current when its manifest is of this layout, no input it read changed since, it has the files
the bot maps, and the recommender fit it saved was made by this code and weights. A build
from other raw files than the ones asked for is kept when it is a full or custom build (the sample is
never rebuilt over it without being asked: `make sample` does that), and replaced when it is the sample.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.catalog import (
    MANIFEST_FILE,
    MAPPED_RATINGS_FILE,
    MAPPED_TITLES_FILE,
    MAPPED_WORKS_FILE,
    RATINGS_OFFSETS_FILE,
    RATINGS_USERS_FILE,
    SIMILARITY_DIR,
    Catalog,
    read_manifest,
    recommender_meta,
)
from core.errors import DataNotFound
from core.fitted import load_state

MAPPED_FILES = (MAPPED_TITLES_FILE, MAPPED_WORKS_FILE, MAPPED_RATINGS_FILE, RATINGS_USERS_FILE, RATINGS_OFFSETS_FILE)


@dataclass(frozen=True)
class Freshness:
    rebuild: bool
    why: str  # one line for the terminal


def _newest_input(raw_dir: Path, ratings_dir: Path) -> float:
    files = [*raw_dir.glob("*.csv"), *ratings_dir.glob("*.csv")]
    return max((p.stat().st_mtime for p in files), default=0.0)


def freshness(out_dir: Path, raw_dir: Path, ratings_dir: Path) -> Freshness:
    try:
        manifest = read_manifest(out_dir)
    except DataNotFound as missing:
        return Freshness(True, str(missing))
    built_from, kind = Path(manifest.get("raw_dir", "")), manifest.get("kind", "custom")
    if built_from != raw_dir.resolve():
        if kind == "sample":
            return Freshness(True, f"{out_dir} holds the sample; building from {raw_dir}")
        return Freshness(False, f"{out_dir} holds the {kind} build from {built_from} "
                                f"({manifest.get('built_at', '?')}): kept. Back to the sample: make sample")
    if _newest_input(raw_dir, ratings_dir) > (out_dir / MANIFEST_FILE).stat().st_mtime:
        return Freshness(True, f"{raw_dir} changed since {out_dir} was built")
    unmapped = [name for name in MAPPED_FILES if not (out_dir / name).is_file()]
    if unmapped:
        return Freshness(True, f"{out_dir} has no {unmapped[0]} (built before the bot mapped its files)")
    saved = load_state(out_dir / SIMILARITY_DIR)
    if saved is not None and saved[0] != recommender_meta(Catalog.feature_weights):
        return Freshness(True, f"the recommender saved in {out_dir} was fitted by other code or weights")
    return Freshness(False, f"{out_dir} is current ({kind} build from {built_from})")
