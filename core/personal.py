"""Picks for one person from their own ratings: the whole catalog ranked for their taste.

    person = Person(rated=(("ns1234", 4.5), ("as77", 1.0)), hidden=("ds3",), platforms=("netflix",))
    picks = PersonalRecommender(catalog.recommender, catalog.titles)
    picks.for_you(person, n=10, offset=0)     # -> (Pick, ...), best first, varied
    picks.verdict(person, work)               # -> Verdict: their own rating, or a predicted one

core never sees storage: a `Person` is plain values (catalog title ids and stars), so the bot builds
one from whatever it keeps. Ids the catalog no longer has are ignored.

The per-person score of a work is a predicted rating in stars, `baseline + neighbourhood`:
- the baseline is the person's mean pulled towards `NEUTRAL_STARS` by `PRIOR_RATINGS` pseudo-ratings
  (one 5-star rating must not make 5 the mean, or it would say nothing), plus the work's bias in the
  data (its mean rating minus everyone's, shrunk by its rating count);
- the neighbourhood term is the similarity-weighted mean of the person's deviations from their mean
  over their `NEIGHBOURS` rated works most like it (the content similarity of `ContentRecommender`),
  shrunk like `ContentRecommender.for_user` does, so a title like a loved one rises and a title like
  a disliked (or hidden) one sinks.
The score is a deviation from a per-person baseline in stars, so several people's scores add up:
`for_group` averages them, a member with no ratings is neutral (deviation 0), and one strong dislike
is not outvoted (the group score is that member's when it falls below `-VETO_STARS`).

Scoring every work exactly would cost a 22k x 500 similarity matrix per request, so `for_you` first
takes a pool: the `POOL` works whose features are closest (cosine) to the person's profile (their
rated works' feature rows weighted by deviation: one sparse product over the catalog) and the
`POPULAR_POOL` best-liked works in the data, all on their services and not yet rated, seen, hidden
or listed. Only the pool is scored exactly, then re-ranked for variety (maximal marginal relevance).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from threadpoolctl import ThreadpoolController

from core.models import Title, WorkSummary
from core.recommend import (
    MIN_SIMILARITY,
    NEIGHBOURS,
    RECOMMEND_FROM,
    SHRINKAGE,
    ContentRecommender,
    Suggestion,
)
from core.search import Candidate, parse_platforms
from core.vocabulary import MOVIE, Platform

NEUTRAL_STARS = 3.0  # the middle of a 1..5 scale: "liked" (4) is above it, "not for me" below
PRIOR_RATINGS = 5  # pseudo-ratings at NEUTRAL_STARS in a person's mean; negligible at 500 ratings
HIDDEN_STARS = 1.0  # "not for me" counts as this rating for taste (unless they rated the title)
BIAS_RATINGS = 25  # pseudo-ratings at the global mean in a work's bias
POOL = 200  # works closest to the person's profile that are scored exactly
POPULAR_POOL = 60  # best-liked works in the data added to the pool (all of it when there is no profile)
DIVERSITY = 0.3  # share of a pick's rank given to being unlike the picks above it (0: pure relevance)
FREQUENT_FEATURE = 1000  # a feature on more works than this (type, decade, big genres) is kept dense
VETO_STARS = 1.0  # in a group, a member's predicted deviation below minus this decides the group's score
ONBOARDING = 10  # titles shown at the first /start
FEATURE_MINUTES = 70  # a film shorter than this is not asked about at the first /start


@dataclass(frozen=True)
class Person:
    """What one person told the bot, as catalog title ids (any copy of a work names the work).

    `rated`: (title id, stars 0.5..5) pairs; a work rated through two copies counts once (mean).
    `seen` / `listed` (watchlist) leave a work out of picks; `hidden` ("not for me") does too and counts
    as a `HIDDEN_STARS` rating for their taste. `platforms`: their services (empty: all).
    """

    rated: tuple[tuple[str, float], ...] = ()
    seen: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    listed: tuple[str, ...] = ()
    platforms: tuple[Platform | str, ...] = ()


@dataclass(frozen=True, slots=True)
class Pick(WorkSummary):
    """One title picked for a person. `score` is the predicted rating (stars); `because_id` and
    `because_title` name the liked title that contributed most (None when no liked title is near it,
    e.g. a popular title for someone who has rated nothing yet)."""

    score: float
    because_id: str | None
    because_title: str | None


@dataclass(frozen=True, slots=True)
class Verdict:
    """A person's rating of one work: `own_rating` when they rated it, else `predicted_rating` from
    `based_on` of their rated works most like it (0: none is, so it is their baseline), `mean` being
    their mean rating (None when they rated nothing)."""

    own_rating: float | None
    predicted_rating: float
    based_on: int
    mean: float | None

    @property
    def recommend(self) -> bool:
        """Yes when the predicted rating reaches `core.recommend.RECOMMEND_FROM`, as for dataset users."""
        return self.predicted_rating >= RECOMMEND_FROM


@dataclass(frozen=True, slots=True)
class PersonalRecommendation:
    """The answer to `/recommend me <title>`. `title` None means unclear text (`candidates` to offer).
    `verdict` is None when they rated nothing (then `suggestions` are plain similar works), else
    `suggestions` are similar works they have not rated or hidden, re-ranked by their taste."""

    title: Candidate | None
    candidates: tuple[Candidate, ...]
    verdict: Verdict | None
    suggestions: tuple[Suggestion, ...]


@dataclass(frozen=True)
class FeatureColumns:
    """Some works' feature rows as columns, split like `PersonalRecommender` splits the features:
    `rare` (sparse CSR, rare features x works) and `frequent` (dense, frequent features x works)."""

    rare: sparse.csr_matrix
    frequent: np.ndarray


@dataclass(frozen=True)
class Taste:
    """One person as arrays over works: what they rated, their deviations, what to leave out."""

    works: np.ndarray  # int, unique rated works (hidden ones included at HIDDEN_STARS)
    stars: np.ndarray  # float64, per rated work
    named_by: tuple[str, ...]  # per rated work, the title id the person used (for "because you liked")
    mean: float  # baseline: their mean pulled towards NEUTRAL_STARS
    own_mean: float | None  # their plain mean rating (None: nothing rated)
    excluded: np.ndarray  # int, works rated, seen, hidden or listed
    platforms: tuple[Platform, ...]
    rated: frozenset[int]  # works they gave stars to (not only hid)
    columns: FeatureColumns  # their rated works' feature rows, transposed once (see `FeatureColumns`)

    @staticmethod
    def nobody(platforms: tuple[Platform, ...], excluded: np.ndarray) -> Taste:
        return Taste(np.empty(0, np.int64), np.empty(0), (), NEUTRAL_STARS, None, excluded, platforms,
                     frozenset(), None)

    @property
    def deviations(self) -> np.ndarray:
        return self.stars - self.mean

    def own_rating(self, work: int) -> float | None:
        return float(self.stars[np.searchsorted(self.works, work)]) if work in self.rated else None


class PersonalRecommender:
    """Fitted once over the content recommender's features; answers per person from memory."""

    def __init__(self, recommender: ContentRecommender, titles: Sequence[Title]) -> None:
        self.recommender = recommender
        self.works = recommender.works
        self.features = recommender.features
        self._row_of_id = {t.id: t.index for t in titles}
        # A product of sparse rows spends most of its time on the few features nearly every work has
        # (type, decade, a big genre): those go in a small dense block (BLAS), the rest stays sparse.
        by_column = self.features.tocsc()
        frequent = np.diff(by_column.indptr) > FREQUENT_FEATURE
        self._rare = by_column[:, ~frequent].tocsr()
        self._frequent = np.ascontiguousarray(by_column[:, frequent].toarray())
        self._norms = np.sqrt(np.asarray(self.features.multiply(self.features).sum(axis=1)).ravel())
        self._norms = np.maximum(self._norms, 1e-12)
        self.bias, self.popularity = self._crowd(titles)
        # A request's products are small: BLAS threads only fight the other requests (and processes)
        # for the cores; on 2 busy cores one thread is 2-4x faster at the 99th percentile.
        self._blas = ThreadpoolController()
        self._by_bias = np.lexsort((np.arange(len(self.works)), -self.bias))
        firsts = [titles[rows[0]] for rows in self.works.rows]
        self._askable = np.array([t.type != MOVIE or ((t.duration_int or 0) >= FEATURE_MINUTES and bool(t.cast))
                                  for t in firsts])
        # "Well-known" as the data can tell: carried by more services, then more ratings over its copies,
        # then a better mean rating (see `onboarding`); ties by work id, so it is deterministic.
        services = self.works.platform_mask.sum(axis=1)
        self._known = np.lexsort((np.arange(len(self.works)), -self.bias, -self.popularity, -services))

    def _crowd(self, titles: Sequence[Title]) -> tuple[np.ndarray, np.ndarray]:
        """Per work: its mean rating minus everyone's, shrunk by its count; and its rating count (all copies)."""
        counts = np.zeros(len(self.works))
        totals = np.zeros(len(self.works))
        for t in titles:
            if t.score is not None and t.rating_count:
                work = self.works.of_row[t.index]
                counts[work] += t.rating_count
                totals[work] += t.score * t.rating_count
        overall = totals.sum() / counts.sum() if counts.sum() else NEUTRAL_STARS
        bias = np.where(counts > 0, (totals - overall * counts) / (counts + BIAS_RATINGS), 0.0)
        return bias, counts

    # ---- a person as arrays ----------------------------------------------------------------
    def _works_of(self, ids: Iterable[str]) -> np.ndarray:
        rows = [self._row_of_id[i] for i in ids if i in self._row_of_id]
        return np.unique(self.works.of_row[np.array(rows, np.int64)]) if rows else np.empty(0, np.int64)

    def taste(self, person: Person) -> Taste:
        row_of_id = self._row_of_id
        ids = [title_id for title_id, _ in person.rated if title_id in row_of_id]
        stars = [float(value) for title_id, value in person.rated if title_id in row_of_id]
        rated_works = self.works.of_row[np.array([row_of_id[i] for i in ids], np.int64)]
        hidden_ids = [i for i in person.hidden if i in row_of_id]
        hidden_works = self.works.of_row[np.array([row_of_id[i] for i in hidden_ids], np.int64)]
        disliked = ~np.isin(hidden_works, rated_works)  # a rating outweighs a "not for me"
        names = ids + [i for i, keep in zip(hidden_ids, disliked) if keep]
        every = np.concatenate([rated_works, hidden_works[disliked]]).astype(np.int64)
        values = np.concatenate([np.array(stars, np.float64), np.full(int(disliked.sum()), HIDDEN_STARS)])
        # a work rated through several copies counts once, at the mean of those ratings
        works, first, inverse = np.unique(every, return_index=True, return_inverse=True)
        per_work = np.bincount(inverse, values, len(works)) / np.bincount(inverse, None, len(works))
        own = per_work[np.isin(works, rated_works)]
        mean = (own.sum() + PRIOR_RATINGS * NEUTRAL_STARS) / (len(own) + PRIOR_RATINGS)
        excluded = np.unique(np.concatenate([
            works, self._works_of(person.seen), self._works_of(person.listed), hidden_works.astype(np.int64),
        ]))
        return Taste(works, per_work, tuple(names[k] for k in first), float(mean),
                     float(own.mean()) if len(own) else None, excluded, parse_platforms(person.platforms),
                     frozenset(rated_works.tolist()), self.columns(works))

    def columns(self, works: np.ndarray) -> FeatureColumns:
        return FeatureColumns(self._rare[works].T.tocsr(), np.ascontiguousarray(self._frequent[works].T))

    def similarity(self, works: np.ndarray, others: FeatureColumns) -> np.ndarray:
        """works x others feature dot products (the content similarity, 0..1), dense float64."""
        rare = (self._rare[works] @ others.rare).toarray()
        return (rare + self._frequent[works] @ others.frequent).astype(np.float64)

    # ---- scoring ---------------------------------------------------------------------------
    def predict(self, taste: Taste, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per candidate work: (predicted deviation from the person's baseline in stars, rated works it
        rests on, index into `taste.works` of the liked work that raised it most or -1)."""
        deviation = self.bias[candidates].astype(np.float64)
        based_on = np.zeros(len(candidates), np.int64)
        because = np.full(len(candidates), -1, np.int64)
        if not len(taste.works) or not len(candidates):
            return deviation, based_on, because
        similarity = self.similarity(candidates, taste.columns)
        similarity[candidates[:, None] == taste.works[None, :]] = 0.0  # a work is not its own neighbour
        if similarity.shape[1] > NEIGHBOURS:
            # zero all but each candidate's NEIGHBOURS most similar rated works
            cut = np.partition(similarity, -NEIGHBOURS, axis=1)[:, -NEIGHBOURS][:, None]
            similarity = np.where(similarity >= cut, similarity, 0.0)
        similarity[similarity < MIN_SIMILARITY] = 0.0
        deviations = taste.deviations
        deviation += (similarity @ deviations) / (similarity.sum(axis=1) + SHRINKAGE)
        based_on = (similarity > 0).sum(axis=1)
        lift = similarity * np.maximum(deviations, 0.0)
        best = lift.argmax(axis=1)
        because = np.where(lift[np.arange(len(candidates)), best] > 0, best, -1)
        return deviation, based_on, because

    def _eligible(self, taste: Taste) -> np.ndarray:
        wanted = self.works.preferred(taste.platforms)
        eligible = np.ones(len(self.works), bool) if wanted is None else wanted.copy()
        eligible[taste.excluded] = False
        return eligible

    def _pool(self, taste: Taste, eligible: np.ndarray, wanted: int) -> np.ndarray:
        """Candidate works for a person: closest to their profile, plus the best-liked in the data."""
        popular = self._by_bias[eligible[self._by_bias]]
        deviations = taste.deviations
        if not np.any(deviations > 0):  # nothing liked yet: no direction to look in, only titles to avoid
            return popular[: max(POOL, wanted)]
        weights = deviations.astype(np.float32)
        closeness = self._rare @ (taste.columns.rare @ weights) + self._frequent @ (taste.columns.frequent @ weights)
        closeness /= self._norms
        closeness[~eligible] = -np.inf
        size = min(max(POOL, wanted), int(eligible.sum()))
        nearest = np.argpartition(-closeness, size - 1)[:size] if size else np.empty(0, np.int64)
        return np.unique(np.concatenate([nearest, popular[:POPULAR_POOL]]))

    def for_you(self, person: Person, n: int = 10, offset: int = 0) -> tuple[Pick, ...]:
        """A page of picks: n works from `offset` in the varied ranking of the person's pool."""
        with self._blas.limit(limits=1, user_api="blas"):
            return self._for_you(person, n, offset)

    def _for_you(self, person: Person, n: int, offset: int) -> tuple[Pick, ...]:
        taste = self.taste(person)
        n, offset = max(int(n), 0), max(int(offset), 0)
        eligible = self._eligible(taste)
        if not np.any(taste.deviations > 0):
            # Nothing liked yet, so no taste to follow: well-known titles of every kind (the first /start's
            # kind of list), not the best-scored ones, which on this data are obscure titles few people rated.
            varied = self._varied(self._known_among(eligible), offset + n)[offset:]
            return tuple(self._pick(taste, w, float(self.bias[w]), -1) for w in varied)
        pool = self._pool(taste, eligible, 2 * (offset + n))
        deviation, _, because = self.predict(taste, pool)
        order = self.diversify(pool, deviation, offset + n)[offset:]
        return tuple(self._pick(taste, int(pool[i]), float(deviation[i]), int(because[i])) for i in order)

    def diversify(self, pool: np.ndarray, relevance: np.ndarray, k: int) -> list[int]:
        """Maximal marginal relevance: greedily the best of (1 - DIVERSITY) * relevance (scaled to 0..1)
        minus DIVERSITY * the highest similarity to a work already chosen. Ties go to the lower work id."""
        k = min(k, len(pool))
        if k <= 0:
            return []
        spread = float(relevance.max() - relevance.min()) or 1.0
        gain = (1 - DIVERSITY) * (relevance - relevance.min()) / spread
        similarity = self.similarity(pool, self.columns(pool)) / np.outer(self._norms[pool], self._norms[pool])
        nearest_chosen = np.zeros(len(pool))
        available = np.ones(len(pool), bool)
        chosen = []
        for _ in range(k):
            value = np.where(available, gain - DIVERSITY * nearest_chosen, -np.inf)
            best = int(np.lexsort((pool, -value))[0])
            chosen.append(best)
            available[best] = False
            nearest_chosen = np.maximum(nearest_chosen, similarity[best])
        return chosen

    def _pick(self, taste: Taste, work: int, deviation: float, because: int, baseline: float | None = None,
              platforms: tuple[Platform, ...] | None = None) -> Pick:
        baseline = taste.mean if baseline is None else baseline
        predicted = float(np.clip(baseline + deviation, 0.5, 5.0))
        because_id = taste.named_by[because] if because >= 0 else None
        because_title = None
        if because_id is not None:
            because_title = self.recommender.works.titles[self._row_of_id[because_id]].display_title
        platforms = taste.platforms if platforms is None else platforms
        return Pick(*self.works.describe(work, platforms), score=round(predicted, 2),
                    because_id=because_id, because_title=because_title)

    # ---- one title -------------------------------------------------------------------------
    def verdict(self, person: Person, work: int) -> Verdict:
        taste = self.taste(person)
        with self._blas.limit(limits=1, user_api="blas"):
            deviation, based_on, _ = self.predict(taste, np.array([work], np.int64))
        predicted = float(np.clip(taste.mean + deviation[0], 0.5, 5.0))
        return Verdict(taste.own_rating(work), round(predicted, 2), int(based_on[0]),
                       None if taste.own_mean is None else round(taste.own_mean, 2))

    def rated_rows(self, person: Person) -> tuple[np.ndarray, np.ndarray]:
        """(title rows, stars) of what the person rated, hidden titles as HIDDEN_STARS: the arrays
        `ContentRecommender.for_user` takes, so suggestions leave hidden titles out too."""
        pairs = [(self._row_of_id[i], float(s)) for i, s in person.rated if i in self._row_of_id]
        rated = {row for row, _ in pairs}
        pairs += [(self._row_of_id[i], HIDDEN_STARS) for i in person.hidden
                  if i in self._row_of_id and self._row_of_id[i] not in rated]
        rows = np.array([r for r, _ in pairs], np.int32)
        return rows, np.array([s for _, s in pairs], np.float32)

    # ---- groups (issue 12) -----------------------------------------------------------------
    def for_group(self, people: Sequence[Person], platforms: Iterable[Platform | str] = (), n: int = 10,
                  offset: int = 0) -> tuple[Pick, ...]:
        """Picks for several people at once: each member's predicted deviation, averaged; a member
        who rated nothing counts as 0 (neutral); a member's strong dislike (below -VETO_STARS) is the
        group's score, so mild likes cannot outvote it. Anything a member rated, saw, hid or listed
        is left out. "because" names the liked title that raised the pick most for any member."""
        with self._blas.limit(limits=1, user_api="blas"):
            everyone = [self.taste(p) for p in people]
            n, offset = max(int(n), 0), max(int(offset), 0)
            excluded = np.unique(np.concatenate([t.excluded for t in everyone] or [np.empty(0, np.int64)]))
            shared = Taste.nobody(parse_platforms(platforms), excluded)
            # a member with no ratings would only pull everyone's scores towards the crowd's: left out
            tastes = [t for t in everyone if len(t.works)] or [shared]
            eligible = self._eligible(shared)
            pool = np.unique(np.concatenate([self._pool(t, eligible, 2 * (offset + n)) for t in tastes]))
            predictions = [self.predict(t, pool) for t in tastes]
            deviations = np.array([d for d, _, _ in predictions])
            combined = combine_deviations(deviations)
            baseline = float(np.mean([t.mean for t in tastes]))
            picks = []
            for i in self.diversify(pool, combined, offset + n)[offset:]:
                member = int(np.argmax(deviations[:, i]))  # "because" from the member it suits best
                picks.append(self._pick(tastes[member], int(pool[i]), float(combined[i]),
                                        int(predictions[member][2][i]), baseline, shared.platforms))
        return tuple(picks)

    # ---- the first /start ------------------------------------------------------------------
    def onboarding(self, platforms: Iterable[Platform | str] = (), n: int = ONBOARDING) -> tuple[Candidate, ...]:
        """About n well-known, well-liked works on the platforms, varied: one per genre, at most a
        few per decade, movies and shows both (about a third shows when the services have them).
        "Well-known" is what the data can tell: carried by more services, then more ratings over its
        copies, then a better mean rating (the dataset's ratings are spread over titles almost evenly,
        so the services are the strongest sign). Only feature-length films (`FEATURE_MINUTES`) with a
        credited cast, and shows: a two-minute short is a poor first question. Deterministic."""
        platforms = parse_platforms(platforms)
        wanted = self.works.preferred(platforms)
        allowed = np.ones(len(self.works), bool) if wanted is None else wanted
        chosen = self._varied(self._known_among(allowed, askable_only=True), n)
        return tuple(self.works.candidate(w, 1.0, "onboarding", platforms) for w in chosen)

    def _known_among(self, allowed: np.ndarray, askable_only: bool = False) -> np.ndarray:
        """The allowed works worth asking about (shows, and feature films with a credited cast), best
        known first; unless `askable_only`, the other allowed works after them (a page is still filled)."""
        known = self._known[allowed[self._known]]
        askable = self._askable[known]
        return known[askable] if askable_only else np.concatenate([known[askable], known[~askable]])

    def _varied(self, candidates: np.ndarray, n: int) -> list[int]:
        """n of the candidates (best known first), varied: one per genre, at most a few per decade, movies
        and shows both (about a third shows when the candidates have them); when that leaves fewer than n,
        the rest in order."""
        titles = self.works.titles
        head = candidates[: 50 * n]
        first = [titles[self.works.rows[int(w)][0]] for w in head]
        shows_wanted = n // 3 if any(t.type != MOVIE for t in first) else 0
        per_decade = max(2, -(-n // 4))
        chosen: list[int] = []
        taken: set[int] = set()
        genres: set[str] = set()
        decades: dict[int, int] = {}
        kinds = {MOVIE: 0, "tv show": 0}
        limits = {MOVIE: n - shows_wanted, "tv show": shows_wanted}
        for strict in (True, False):
            for work, title in zip(head, first):
                if len(chosen) >= n:
                    break
                if int(work) in taken:
                    continue
                genre = genre_key(title.genres)
                decade = title.release_year // 10
                if strict and (genre in genres or decades.get(decade, 0) >= per_decade
                               or kinds[title.type] >= limits[title.type]):
                    continue
                chosen.append(int(work))
                taken.add(int(work))
                genres.add(genre)
                decades[decade] = decades.get(decade, 0) + 1
                kinds[title.type] += 1
        return chosen


def combine_deviations(deviations: np.ndarray) -> np.ndarray:
    """members x works predicted deviations -> one group score per work: the mean, unless some member's
    is below -VETO_STARS, then the lowest (a strong dislike is not outvoted by mild likes)."""
    lowest = deviations.min(axis=0)
    return np.where(lowest < -VETO_STARS, lowest, deviations.mean(axis=0))


# Words that say where a title comes from or what it is, not its genre: skipped for variety.
_NOT_GENRES = frozenset({"international", "independent", "movies", "tv shows", "series", "kids", "tv", "shows"})


def genre_key(listed_in: Sequence[str]) -> str:
    """The first real genre of a title, in one spelling across platforms ("tv dramas", "drama" -> "drama")."""
    for label in listed_in:
        words = [w for w in label.replace("&", " ").replace(",", " ").split()
                 if w not in ("tv", "movies", "shows", "series", "international", "independent")]
        if not words or label in _NOT_GENRES:
            continue
        word = words[0]
        return word[:-1] if word.endswith("s") and len(word) > 4 else word
    return ""
