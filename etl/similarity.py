"""The recommender's fit, done once by the ETL and saved for the bot to memory-map (core/fitted.py).

The fit is the bot's own (`core.catalog.Catalog.recommender` on the same titles), so the saved state is
exactly what the bot would compute; the bot uses it only when the fit's code and weights are its own.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from core.catalog import RECOMMENDER_CONFIG, Catalog, recommender_meta
from core.fitted import NotMappable, fitted_state, save_state
from core.recommend import ContentRecommender
from core.search import Works


def fit_similarity(titles: pa.Table, folder: Path) -> str:
    """Fit the recommender on the titles (TITLES_SCHEMA; scores are not part of the fit) and save its
    state into `folder`; returns one line for the log."""
    if "score" not in titles.column_names:
        titles = titles.append_column("score", pa.nulls(titles.num_rows, pa.float64())).append_column(
            "rating_count", pa.array(np.zeros(titles.num_rows, np.int32)))
    rows = tuple(Catalog._records(titles))
    works = Works(rows, titles.column("work_id").to_numpy())
    try:
        recommender = ContentRecommender(works, Catalog.feature_weights)
    except ValueError as error:  # a handful of titles: too few words for the description's vocabulary
        return f"recommender not fitted ({error}); the bot tries when asked"
    try:
        state = fitted_state(recommender, RECOMMENDER_CONFIG)
    except NotMappable as error:
        return f"recommender fit not saved ({error}): the bot fits it at start-up"
    save_state(folder, state, recommender_meta(recommender.weights))
    return f"recommender fitted: {len(works):,} works x {recommender.features.shape[1]:,} features saved"
