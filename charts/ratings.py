"""Charts of the user ratings: the star values given, the per-title means and counts, activity per user."""
from __future__ import annotations

import numpy as np
import pandas as pd

from charts.figure import Chart, new_figure
from core import Catalog

# Ratings are half stars from 0.5 to 5.0; doubling them gives exact integer bins.
HALF_STARS = np.arange(1, 11) / 2


def rating_distribution(catalog: Catalog) -> Chart:
    """How often each star value (0.5..5.0) was given, over every rating."""
    ratings = catalog.ratings
    halves = np.rint(ratings.rating * 2).astype(np.int64)
    counts = pd.Series(np.bincount(halves, minlength=11)[1:11], index=HALF_STARS, name="ratings")
    counts.index.name = "rating"
    total = int(counts.sum())

    figure = new_figure(7, 4)
    axes = figure.add_subplot()
    axes.bar(counts.index, counts.to_numpy() / 1e6, width=0.4, color="#4c72b0")
    axes.set_xticks(HALF_STARS)
    axes.set_xlabel("rating (stars)")
    axes.set_ylabel("ratings (millions)")
    axes.set_title("Rating distribution")

    if total == 0:
        finding = "No ratings."
    else:
        mode = float(counts.idxmax())
        half = int(counts[counts.index % 1 != 0].sum())
        mean = float(np.mean(ratings.rating, dtype=np.float64))
        finding = (
            f"{total:,} ratings from {len(ratings):,} users: mean {mean:.2f}, most common {mode:.1f} "
            f"({100 * counts[mode] / total:.0f}%), half-star values {100 * half / total:.0f}% of all ratings."
        )
    return Chart("rating_distribution", "Rating distribution", figure, counts, finding)


def title_scores(catalog: Catalog, step: float = 0.05) -> Chart:
    """Per-title mean score and number of ratings, with how many titles one `step` of threshold moves."""
    frame = catalog.frame
    data = pd.DataFrame({"id": frame["id"], "score": frame["score"], "rating_count": frame["rating_count"]})
    scores = data["score"].dropna().to_numpy()

    figure = new_figure(11, 4)
    left, right = figure.add_subplot(1, 2, 1), figure.add_subplot(1, 2, 2)
    left.hist(scores, bins=60, color="#4c72b0")
    left.set_xlabel("mean score of the title")
    left.set_ylabel("titles")
    left.set_title("Per-title mean scores", fontsize=10)
    right.hist(data["rating_count"], bins=60, color="#dd8452")
    right.set_xlabel("ratings of the title")
    right.set_ylabel("titles")
    right.set_title("Ratings per title", fontsize=10)

    if len(scores) == 0:
        finding = "No title has a score."
    else:
        median = float(np.median(scores))
        # Titles whose score lies in a `step`-wide window centred on the median: what a threshold
        # query gains or loses when the threshold moves by `step` there.
        moved = int(((scores > median - step / 2) & (scores <= median + step / 2)).sum())
        left.axvspan(median - step / 2, median + step / 2, color="grey", alpha=0.25)
        counts = data["rating_count"]
        narrow = " only" if scores.max() - scores.min() < 1 else ""  # less than one star between best and worst
        finding = (
            f"Per-title mean scores span{narrow} {scores.min():.2f}-{scores.max():.2f} (sd {scores.std():.2f}): "
            f"moving a score threshold by {step} around the median {median:.2f} flips {moved:,} titles "
            f"({100 * moved / len(scores):.0f}%); every title has {counts.min():,}-{counts.max():,} ratings."
        )
    return Chart("title_scores", "Per-title mean scores and rating counts", figure, data, finding)


def ratings_per_user(catalog: Catalog, top_share: float = 0.1) -> Chart:
    """Ratings given by each user, ranked, on log-log axes to show the long tail."""
    ratings = catalog.ratings
    per_user = pd.Series(np.diff(ratings.offsets), index=ratings.users, name="ratings")
    per_user.index.name = "user_id"
    ranked = np.sort(per_user.to_numpy())[::-1]

    figure = new_figure(7, 4)
    axes = figure.add_subplot()
    # A few hundred log-spaced ranks draw the same curve as all 100k users, at a fraction of the cost.
    if len(ranked):
        ranks = np.unique(np.geomspace(1, len(ranked), 400).astype(np.int64))
        axes.loglog(ranks, ranked[ranks - 1], color="#4c72b0")
    axes.set_xlabel("users, most active first")
    axes.set_ylabel("ratings given")
    axes.set_title("Ratings per user")

    if len(ranked) == 0:
        finding = "No ratings."
    else:
        heavy = max(1, int(round(len(ranked) * top_share)))
        given = 100 * ranked[:heavy].sum() / ranked.sum()
        finding = (
            f"{len(ranked):,} users: the median rated {np.median(ranked):.0f} titles, the most active "
            f"{ranked[0]:,}; the top {top_share:.0%} of users gave {given:.0f}% of all ratings."
        )
    return Chart("ratings_per_user", "Ratings per user (long tail)", figure, per_user, finding)
