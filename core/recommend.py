"""The content-based recommender: titles like a given one, and a per-user verdict and re-ranking.

    recommender = ContentRecommender(works)        # at load time (about 2 s on 23k titles)
    recommender.similar(work, n=10)                 # -> (Suggestion, ...)

Every *work* (a title with its copies on other platforms, see `core.search.Works`) is one row of a
sparse feature matrix built from blocks: genres (on the one vocabulary of `core.genres`, without the
shelves it names in NOT_FOR_SIMILARITY), description (TF-IDF), cast (IDF-weighted whole names, leads
counting more than the end of a long credit list) and directors (IDF-weighted), countries, series name
and brand (`title_keys`), type, release year, audience (maturity rating), a show's length in seasons and
the platforms it streams on. Each block's rows are L2-normalised and scaled by the square root of its
weight, so the dot product of two rows is the weighted sum of the blocks' cosines: a similarity in 0..1
when the weights sum to 1. `similar` is one sparse row times the transposed matrix, then a re-rank of
the best few dozen: shorts, extras and making-ofs lose part of their score and at most MAX_EXTRAS of
them are shown beside a feature, and near-copies (ten films of one series) make room for other titles
(`_diverse`). For a show, `similar` adds a small prior for the shows that ran several seasons
(`SEASONS_PRIOR`): among the many shows about as alike, people expect the long-running hits (Friends ->
That '70s Show, The Office; The Crown -> The Tudors), and seasons are the one sign of fame these
catalogs carry (each title's rating count is random, 396-576: MovieLens histories reassigned). Nothing
is fitted or read per request; the fitted state is a few named arrays (`features`, `_postings`,
`_norms`, `_extra`, `_prior`, `_is_show`).

For a user (`for_user`):
- the verdict on a title is the user's mean plus the similarity-weighted mean of their deviations
  from it over their `NEIGHBOURS` most similar rated titles, shrunk towards the mean when those
  are few or only faintly similar (`SHRINKAGE`); `recommend` is predicted >= `RECOMMEND_FROM`;
- suggestions are the `POOL` titles most like it that the user has not rated, re-ranked by taste:
  the cosine between each and the user's profile (sum of their rated titles' rows weighted by
  rating minus mean), so titles they rated high pull and titles they rated low push.
"""
from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import astuple, dataclass

import numpy as np
from scipy import sparse

from core.genres import NOT_FOR_SIMILARITY
from core.models import Title, WorkSummary
from core.search import STUDIO_PREFIXES, Candidate, Works, is_minor, normalise_title
from core.vocabulary import MOVIE, Platform


@dataclass(frozen=True)
class FeatureWeights:
    """How much each block counts in a similarity; they sum to 1.

    Chosen with `python -m bench evaluate` on the cases of bench/cases.py (both rounds, a coordinate
    search that let no first-round case find fewer titles): shared people (cast, director) and the
    series name find sequels and same-creator titles far better than genres, which tie thousands of
    titles; genres count without their shelves (`core.genres.NOT_FOR_SIMILARITY`); the audience (maturity rating)
    keeps adult cartoons from kids' ones; a show's seasons put long-running shows together; the
    release year, once shelves were gone, only pulled in same-year strangers (weight 0, kept as a block).
    """

    genres: float = 0.11
    description: float = 0.16
    cast: float = 0.20
    director: float = 0.24
    country: float = 0.01
    title: float = 0.20
    type: float = 0.01
    year: float = 0.0
    audience: float = 0.06
    seasons: float = 0.01
    platform: float = 0.01


DEFAULT_WEIGHTS = FeatureWeights()
CAST_BILLED = 20  # names of a credit list that count at all
LEAD_DECAY = 3.0  # the k-th billed name (0 = the lead) counts 1 / sqrt(1 + k / LEAD_DECAY)
EXTRA_FACTOR = 0.75  # a short, extra or making-of suggested for a feature keeps this share of its score
MAX_EXTRAS = 3  # at most this many of them among a feature's suggestions, so they never crowd it out
NEAR_COPY = 0.7  # re-rank: two suggestions closer than this (cosine) are near-copies (ten films of one series)
DIVERSITY = 0.24  # a suggestion loses this times its closeness above NEAR_COPY to one already chosen
RERANK_POOL = 40  # most similar works the diversity re-rank picks from
YEAR_STEP = 10  # release years are spread over bins this many years apart (see `_year_block`)
# A show's similarity gains this much per doubling of its seasons, up to SEASONS_PRIOR_CAP doublings
# (8 seasons: +0.024, about a tenth of a typical tenth-best score); movies and one-season shows none.
SEASONS_PRIOR = 0.008
SEASONS_PRIOR_CAP = 3
NEIGHBOURS = 30  # rated titles a verdict is based on at most
MIN_SIMILARITY = 0.1  # below this a rated title says nothing about the one asked for
SHRINKAGE = 0.5  # pseudo-similarity at the user's mean: few faint neighbours move the verdict little
RECOMMEND_FROM = 3.5  # predicted stars (0.5..5) from which the answer is "yes"
POOL = 200  # most similar titles re-ranked by the user's taste
TASTE_WEIGHT = 0.5  # a suggestion's score is similarity * (1 + TASTE_WEIGHT * taste), taste in -1..1


@dataclass(frozen=True, slots=True)
class Shared:
    """What a suggestion has in common with the title asked about (lowercase, as stored)."""

    directors: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Suggestion(WorkSummary):
    """One recommended work. `score` is the similarity (0..1) for `similar`, and the
    taste-adjusted similarity for `recommend`; `reason` is a short English why, built from `shared`.
    """

    score: float
    reason: str
    shared: Shared


@dataclass(frozen=True, slots=True)
class SimilarTitles:
    """The answer to `similar`: `title` is the work resolved (None when the text was unclear or
    unknown, and then `candidates` are the closest titles to offer), `suggestions` best first."""

    title: Candidate | None
    candidates: tuple[Candidate, ...]
    suggestions: tuple[Suggestion, ...]


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The answer to `/recommend USER TITLE`.

    - `user_known`: the user has ratings; if not, `suggestions` are plain `similar` ones and the
      verdict fields are None.
    - `title`: the work resolved, or None with `candidates` to offer (then nothing else is set).
    - `predicted_rating` (0.5..5 stars) and `recommend` (yes/no): the verdict on `title` for this
      user, from `based_on` of their rated titles most similar to it (0: no similar title rated,
      so the prediction is the user's mean `user_mean`).
    - `user_rating`: the user's own rating of `title` when they rated it (the verdict leaves it out).
    - `suggestions`: similar works the user has not rated, re-ranked by their taste.
    """

    user_id: int
    user_known: bool
    title: Candidate | None
    candidates: tuple[Candidate, ...]
    predicted_rating: float | None
    recommend: bool | None
    based_on: int
    user_mean: float | None
    user_rating: float | None
    suggestions: tuple[Suggestion, ...]


def _names_block(values: list[list[str]], billed: bool = False) -> sparse.csr_matrix:
    """Whole names as tokens, weighted by rarity (IDF): sharing a rare actor says more than sharing
    a common one. `billed`: a name also counts less the further down the list it is billed, so
    two titles sharing their leads are closer than two sharing the end of long credit lists."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer  # fitting only (the ETL)
    from sklearn.preprocessing import normalize

    present = [v for v in values if v]
    if not present:
        return sparse.csr_matrix((len(values), 0), dtype=np.float32)
    vectorizer = CountVectorizer(analyzer=lambda names: names, binary=True, dtype=np.float32)
    counts = vectorizer.fit_transform(values)
    weighted = TfidfTransformer(sublinear_tf=True, norm=None).fit_transform(counts).astype(np.float32).tocsr()
    if billed:
        vocabulary = vectorizer.vocabulary_  # each name's column (the same names: no second fit)
        rows, columns, decay = [], [], []
        for row, names in enumerate(values):
            for position, name in enumerate(dict.fromkeys(names)):
                rows.append(row)
                columns.append(vocabulary[name])
                decay.append(1 / np.sqrt(1 + position / LEAD_DECAY))
        weighted = weighted.multiply(sparse.csr_matrix((decay, (rows, columns)), shape=weighted.shape)).tocsr()
    return normalize(weighted).astype(np.float32)


def _binned(position: np.ndarray, known: np.ndarray | None = None) -> sparse.csr_matrix:
    """Each value split between its two nearest whole bins, so cosine falls smoothly with distance;
    rows not `known` stay empty (they match nothing)."""
    known = np.ones(len(position), bool) if known is None else known
    position = np.where(known, position, 0.0)
    low = np.floor(position).astype(np.int64)
    upper_share = (position - low).astype(np.float32)
    rows = np.repeat(np.arange(len(position)), 2)
    columns = np.column_stack([low, low + 1]).ravel()
    values = (np.column_stack([1 - upper_share, upper_share]) * known[:, None]).ravel()
    shape = (len(position), int(low.max(initial=0)) + 2)
    return sparse.csr_matrix((values.astype(np.float32), (rows, columns)), shape=shape)


def _year_block(years: np.ndarray) -> sparse.csr_matrix:
    """Release years in YEAR_STEP-year bins."""
    return _binned((years - years.min()) / YEAR_STEP)


def _work_seasons(works: Works) -> np.ndarray:
    """A show's seasons (the most any copy lists; 0 for movies and unknown)."""
    seasons = np.zeros(len(works), np.int64)
    for work, rows in enumerate(works.rows):
        counts = [works.titles[r].duration_int or 0 for r in rows if works.titles[r].duration_type == "season"]
        seasons[work] = max(counts, default=0)
    return seasons


def _seasons_block(seasons: np.ndarray) -> sparse.csr_matrix:
    """A show's length on a doubling scale (1, 2, 4, 8 seasons...): a ten-season sitcom is nearer a
    nine-season one than a one-season show; movies are in no bin."""
    shows = seasons > 0
    return _binned(np.log2(np.maximum(seasons, 1)), shows)


def seasons_prior(seasons: np.ndarray) -> np.ndarray:
    """What each work's similarity gains in `similar` for having run several seasons."""
    doublings = np.log2(np.maximum(seasons, 1))
    return (SEASONS_PRIOR * np.minimum(doublings, SEASONS_PRIOR_CAP)).astype(np.float32)


# Maturity ratings by the audience they allow, youngest first; "g" is also what the ETL writes for a
# missing rating, and "nr" says nothing, so neither places a title.
AUDIENCES = (
    ("tv-y", "tv-y7", "tv-y7-fv", "7+", "tv-g", "all"),
    ("pg", "tv-pg"),
    ("pg-13", "tv-14", "13+", "16+"),
    ("r", "nc-17", "tv-ma", "18+"),
)
_AUDIENCE_OF = {rating: k for k, ratings in enumerate(AUDIENCES) for rating in ratings}


def _audience_block(ratings: list[str]) -> sparse.csr_matrix:
    """The audience a maturity rating allows, with half weight on the neighbouring audiences, so a
    TV-14 sitcom is nearer a TV-MA one than a TV-Y cartoon."""
    rows, columns, values = [], [], []
    for row, rating in enumerate(ratings):
        audience = _AUDIENCE_OF.get(rating)
        if audience is None:
            continue
        for column, value in ((audience - 1, 0.5), (audience, 1.0), (audience + 1, 0.5)):
            if 0 <= column < len(AUDIENCES):
                rows.append(row)
                columns.append(column)
                values.append(value)
    return sparse.csr_matrix((np.array(values, np.float32), (rows, columns)), shape=(len(ratings), len(AUDIENCES)))


def _text_block(texts: list[str], **options) -> sparse.csr_matrix:
    from sklearn.feature_extraction.text import TfidfVectorizer  # fitting only: the bot maps the ETL's fit

    if not any(texts):
        return sparse.csr_matrix((len(texts), 0), dtype=np.float32)
    return TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options).fit_transform(texts)


_SERIES_END = re.compile(r"[:(]| - ")
# Extras that `core.search.is_minor` does not name, as they never share a feature's title.
_EXTRA = re.compile(r"\bshort films?\b|\ba look inside\b|\bfeaturettes?\b|\bsneak peek\b|\bafter ?party\b",
                    re.IGNORECASE)


def series_name(display_title: str) -> str:
    """The part of a title that names its series, as a search key: "Rocky II" -> "rocky",
    "Kung Fu Panda: Holiday" -> "kung fu panda", "The Hunger Games: Catching Fire" -> "hunger games"."""
    head = _SERIES_END.split(display_title, maxsplit=1)[0]
    key = normalise_title(head or display_title)
    for prefix in STUDIO_PREFIXES:
        if key.startswith(prefix + " "):
            key = key[len(prefix) + 1:]
            break
    words = key.split()
    while len(words) > 1 and words[-1].isdigit():
        words.pop()
    return " ".join(words)


# "Tom Clancy's Jack Ryan", "Agatha Christie's The Pale Horse", "Rick Stein's India": a name of two to
# four capitalised words owning the title is a brand that ties its titles together. Not an article or
# pronoun ("The World's ...", "My Father's ..."), nor "Let's"; one word ("Bob's Burgers") is too often
# a character.
_BRAND = re.compile(r"^(?!(?:The|A|An|My|Our|Your|His|Her|Their|On|In|Of|At|To|For|And)\s)"
                    r"((?:[A-Z][\w.]*\s){1,3}(?!Let['’])[A-Z][\w.]*)['’]s\s+(.+)$")


def title_keys(display_title: str) -> list[str]:
    """What ties a title to others of its series: its series name, and for a branded title the brand
    and the series name of the rest ("Tom Clancy's Jack Ryan" -> "tom clancys jack ryan", "tom
    clancy's", "jack ryan", so it meets "Jack Ryan: Shadow Recruit" and "Tom Clancy's Without Remorse")."""
    keys = [series_name(display_title)]
    branded = _BRAND.match(display_title)
    if branded:
        keys += [normalise_title(branded.group(1)) + "'s", series_name(branded.group(2))]
    return list(dict.fromkeys(k for k in keys if k))


def is_extra(title: Title) -> bool:
    """A short, a making-of, a featurette, a collection of shorts or another copy (Spanish, 4K): not
    a feature of its own."""
    return is_minor(title) or bool(_EXTRA.search(title.display_title))


def content_blocks(works: Works) -> dict[str, sparse.csr_matrix]:
    """One sparse matrix per feature block, one row per work (copies on other platforms pooled)."""
    titles = works.titles

    def pooled(field: str, limit: int | None = None) -> list[list[str]]:
        out = []
        for rows in works.rows:
            names = dict.fromkeys(name for r in rows for name in getattr(titles[r], field))
            out.append(list(names)[:limit])
        return out

    descriptions = [" ".join(dict.fromkeys(titles[r].description for r in rows)) for rows in works.rows]
    first = [titles[rows[0]] for rows in works.rows]
    is_movie = np.array([t.type == MOVIE for t in first])
    genres = [[g for g in names if g not in NOT_FOR_SIMILARITY] for names in pooled("genres")]
    return {
        "genres": _names_block(genres),
        "description": _text_block(descriptions, stop_words="english", min_df=2, max_df=0.2),
        "cast": _names_block(pooled("cast", CAST_BILLED), billed=True),
        "director": _names_block(pooled("directors")),
        "country": _names_block(pooled("countries")),
        "title": _names_block([title_keys(t.display_title) for t in first]),
        "type": sparse.csr_matrix(np.column_stack([is_movie, ~is_movie]).astype(np.float32)),
        "year": _year_block(works.year),
        "audience": _audience_block([t.rating for t in first]),
        "seasons": _seasons_block(_work_seasons(works)),
        "platform": sparse.csr_matrix(works.platform_mask.astype(np.float32)),
    }


def combine(blocks: dict[str, sparse.csr_matrix], weights: FeatureWeights) -> sparse.csr_matrix:
    """hstack of the L2-normalised blocks, each scaled by sqrt(weight): rows dot to sum(w * cosine)."""
    from sklearn.preprocessing import normalize

    scaled = [
        normalize(blocks[name], copy=True) * np.float32(np.sqrt(weight))
        for name, weight in zip(FeatureWeights.__dataclass_fields__, astuple(weights))
        if weight > 0 and blocks[name].shape[1]
    ]
    return sparse.hstack(scaled, format="csr", dtype=np.float32)


def _capwords(names: Iterable[str]) -> str:
    return ", ".join(string.capwords(n) for n in names)


def reason_for(shared: Shared) -> str:
    parts = []
    if shared.directors:
        parts.append(f"same director: {_capwords(shared.directors[:2])}")
    if shared.cast:
        parts.append(f"cast: {_capwords(shared.cast[:3])}")
    if shared.genres:
        parts.append(f"genres: {', '.join(shared.genres[:3])}")
    return "; ".join(parts) or "similar story"


class ContentRecommender:
    """Fitted once from the works; answers `similar` and per-user suggestions from memory."""

    def __init__(self, works: Works, weights: FeatureWeights = DEFAULT_WEIGHTS) -> None:
        self.works = works
        self.weights = weights
        self.features = combine(content_blocks(works), weights)
        # features x works, so one work's row times it touches only that row's features' postings
        self._postings = sparse.csr_matrix(self.features.T)
        self._norms = np.sqrt(np.asarray(self.features.multiply(self.features).sum(axis=1)).ravel())
        titles = works.titles
        self._extra = np.array([all(is_extra(titles[r]) for r in rows) for rows in works.rows])
        seasons = _work_seasons(works)
        self._prior = seasons_prior(seasons)
        self._is_show = np.array([titles[rows[0]].type != MOVIE for rows in works.rows])

    def scores(self, work: int) -> np.ndarray:
        """Similarity (0..1) of every work to `work`, as a dense float32 array over works."""
        return (self.features[work] @ self._postings).toarray().ravel()

    def similar(self, work: int, n: int = 10, platforms: Iterable[Platform] | None = None) -> tuple[Suggestion, ...]:
        """The `n` works most like `work`, itself excluded, only on `platforms` when given: by
        similarity, plus the seasons prior (at most 1) when `work` is a show."""
        scores = self.scores(work)
        if self._is_show[work]:
            scores = np.minimum(scores + self._prior, 1.0)
        return self._suggest(work, scores, self._eligible(work, platforms), n, platforms)

    def for_user(
        self, work: int, rated_rows: np.ndarray, ratings: np.ndarray, n: int = 5,
        platforms: Iterable[Platform] | None = None,
    ) -> tuple[float, int, float | None, tuple[Suggestion, ...]]:
        """(predicted rating, titles it is based on, the user's own rating of `work`, suggestions)."""
        scores = self.scores(work)
        rated = self.works.of_row[rated_rows]
        ratings = ratings.astype(np.float64)
        mean = float(ratings.mean())
        deviations = ratings - mean
        on_work = rated == work
        own_rating = float(ratings[on_work].mean()) if on_work.any() else None

        # verdict: the NEIGHBOURS most similar rated works other than the one asked about
        similarity = np.where(on_work, 0.0, scores[rated])
        if len(similarity) > NEIGHBOURS:
            top = np.argpartition(similarity, -NEIGHBOURS)[-NEIGHBOURS:]
        else:
            top = np.arange(len(similarity))
        top = top[similarity[top] >= MIN_SIMILARITY]
        weight = similarity[top]
        predicted = mean + float(weight @ deviations[top]) / (float(weight.sum()) + SHRINKAGE)
        predicted = float(np.clip(predicted, 0.5, 5.0))

        eligible = self._eligible(work, platforms)
        eligible[rated] = False
        # the user's profile: their rated works' rows weighted by rating minus mean (dense, features long)
        profile = self.features[rated].T @ deviations.astype(np.float32)
        profile_norm = float(np.linalg.norm(profile))
        taste = None
        if profile_norm > 0:
            def taste(pool: np.ndarray) -> np.ndarray:
                return (self.features[pool] @ profile) / (profile_norm * np.maximum(self._norms[pool], 1e-12))
        suggestions = self._suggest(work, scores, eligible, n, platforms, taste)
        return predicted, len(top), own_rating, suggestions

    def _eligible(self, work: int, platforms: Iterable[Platform] | None) -> np.ndarray:
        wanted = self.works.preferred(platforms)
        eligible = np.ones(len(self.works), bool) if wanted is None else wanted.copy()
        eligible[work] = False
        return eligible

    def _suggest(self, work, scores, eligible, n, platforms, taste=None) -> tuple[Suggestion, ...]:
        n = max(int(n), 0)
        candidates = np.flatnonzero(eligible & (scores > 0))
        pool_size = max(POOL if taste is not None else RERANK_POOL, 2 * n)
        if len(candidates) > pool_size:
            candidates = candidates[np.argpartition(scores[candidates], -pool_size)[-pool_size:]]
        ranked = scores[candidates].astype(np.float64)
        extra = self._extra[candidates] & ~self._extra[work]  # a short beside a short is no extra
        ranked[extra] *= EXTRA_FACTOR
        if taste is not None and len(candidates):
            ranked = ranked * (1 + TASTE_WEIGHT * taste(candidates))
        # A user's suggestions keep their taste order: the near-copies of a loved title are what they want.
        picked = self._diverse(candidates, ranked, extra, n, DIVERSITY if taste is None else 0.0)
        return tuple(self._suggestion(work, int(candidates[i]), value, platforms) for i, value in picked)

    def _diverse(self, candidates: np.ndarray, ranked: np.ndarray, extra: np.ndarray, n: int,
                 diversity: float = DIVERSITY) -> list[tuple[int, float]]:
        """Greedy re-rank (maximal marginal relevance): each next pick is the candidate with the best
        score less `diversity` times its closeness above NEAR_COPY to one already picked, so ten films of
        one series do not fill the list when other good titles are close behind, while titles that are
        merely alike (the shows of one creator) are left alone; at most MAX_EXTRAS extras.
        Returns (candidate position, score after the re-rank): the scores never rise down the list."""
        order = list(np.lexsort((candidates, -ranked)))
        if not order or n == 0:
            return []
        closeness = np.zeros((len(candidates), len(candidates)))
        if diversity:
            rows = self.features[candidates]
            norms = np.maximum(self._norms[candidates], 1e-12)
            closeness = (rows @ rows.T).toarray() / np.outer(norms, norms)
        chosen: list[tuple[int, float]] = []
        nearest = np.zeros(len(candidates))
        extras = 0
        while order and len(chosen) < n:
            values = ranked[order] - diversity * np.maximum(nearest[order] - NEAR_COPY, 0)
            best = int(np.argmax(values))  # argmax keeps the first of equals: best-ranked, then id
            pick, value = order.pop(best), float(values[best])
            if extra[pick]:
                if extras >= MAX_EXTRAS:
                    continue
                extras += 1
            chosen.append((pick, value))
            nearest = np.maximum(nearest, closeness[pick])
        return chosen

    def _suggestion(self, work: int, other: int, score: float, platforms) -> Suggestion:
        shared = self.shared(work, other)
        return Suggestion(*self.works.describe(other, platforms), score=round(score, 4),
                          reason=reason_for(shared), shared=shared)

    def shared(self, work: int, other: int) -> Shared:
        titles = self.works.titles

        def common(field: str) -> tuple[str, ...]:
            mine = {v for r in self.works.rows[work] for v in getattr(titles[r], field)}
            theirs = (v for r in self.works.rows[other] for v in getattr(titles[r], field))
            return tuple(dict.fromkeys(v for v in theirs if v in mine))

        genres = tuple(g for g in common("genres") if g not in NOT_FOR_SIMILARITY)
        return Shared(common("directors"), common("cast"), genres)
