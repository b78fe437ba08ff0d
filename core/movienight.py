"""Movie night: what a group can watch together, on the services every member has, for their combined taste.

    picker = NightPicker(catalog.personal)           # once per catalog (`catalog.movie_night`)
    choice = picker.choose(people, Narrowing(genres=("comedy",), max_minutes=120), n=6)
    choice.picks          # -> (NightPick, ...), best first, varied; () with `choice.shortfall` saying why
    choice.platforms      # the services every member has (a member with none set has all four)

Pure: people are `core.personal.Person` values (what each member told the bot), nothing is stored here.

How a candidate is chosen, for the members who joined:
- it streams on a service they all have (`shared_services`), and fits the narrowing words (genre,
  movie or show, at most so many minutes, like a given title);
- nobody has seen it, hidden it ("not for me") or rated it (a rating says they saw it; one of
  `DISLIKED_STARS` or less says they disliked it too); a title on someone's watchlist stays in;
- each member with ratings gets a predicted rating (`PersonalRecommender.predict`); a member predicted
  to rate it `VETO_PREDICTED` stars or less vetoes it, however much the others would like it;
- the rest are ranked by the combined taste (`core.personal.combine_deviations`: the mean deviation,
  or the strongest dislike when someone's is below -VETO_STARS), members without ratings counting as
  neutral, plus `LIKE_WEIGHT` times the likeness to the title of "like <title>", then re-ranked for
  variety (maximal marginal relevance).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from core.models import WorkSummary
from core.personal import POOL, Person, PersonalRecommender, Taste, combine_deviations
from core.search import parse_platforms
from core.vocabulary import MOVIE, Platform

DISLIKED_STARS = 2.0  # rated this or less by a member: never proposed to the group
VETO_PREDICTED = 2.0  # predicted this or less for a member: vetoed, whatever the others would give it
LIKE_POOL = 40  # "like <title>": candidates come from the works most like it
LIKE_WEIGHT = 2.0  # "like <title>": stars added per unit of likeness (0..1), so the closest lead the ranking
MIN_CANDIDATES = 4  # a poll offers at least this many

# Why a night has nothing (or too little) to propose
NO_SHARED_SERVICE = "no_shared_service"  # the members' services have none in common
NOTHING_MATCHES = "nothing_matches"  # the narrowing words leave nothing on the shared services
ALL_EXCLUDED = "all_excluded"  # what matches was seen, hidden, disliked or vetoed (or proposed before)


@dataclass(frozen=True)
class Narrowing:
    """The words a night was started with, as values: any of `genres` (vocabulary genres), only movies or
    shows (`kind`), movies of at most `max_minutes` (shows are left out then: their length is in seasons),
    and works like the work `like` (a work index)."""

    genres: tuple[str, ...] = ()
    kind: str | None = None
    max_minutes: int | None = None
    like: int | None = None


@dataclass(frozen=True, slots=True)
class NightPick(WorkSummary):
    """A candidate: `platforms` are the shared services that stream it (where the group can watch it);
    `score` is the group's combined predicted deviation in stars (it ranks, it is no one's rating)."""

    score: float


@dataclass(frozen=True, slots=True)
class NightChoice:
    picks: tuple[NightPick, ...]
    platforms: tuple[Platform, ...]  # the services every member has
    shortfall: str | None  # why there are fewer than asked (None: as many as asked)


def shared_services(services: Iterable[Iterable[Platform | str]]) -> tuple[Platform, ...]:
    """The services every member has; a member who set none has all four."""
    shared = set(Platform)
    for own in services:
        own = parse_platforms(own)
        if own:
            shared &= set(own)
    return tuple(p for p in Platform if p in shared)


class NightPicker:
    """Built once over the personal recommender; per-work facts for the narrowing words kept as arrays."""

    def __init__(self, personal: PersonalRecommender) -> None:
        self.personal = personal
        works = personal.works
        self.works = works
        count = len(works)
        self._movie = np.zeros(count, bool)
        self._minutes = np.full(count, np.inf)
        self._genre: dict[str, np.ndarray] = {}
        for work in range(count):
            for title in works.copies(work):
                if title.type == MOVIE:
                    self._movie[work] = True
                    if title.duration_int:
                        self._minutes[work] = min(self._minutes[work], title.duration_int)
                for genre in title.genres:
                    self._genre.setdefault(genre, np.zeros(count, bool))[work] = True

    def matching(self, narrowing: Narrowing, platforms: Sequence[Platform]) -> np.ndarray:
        """Bool per work: on one of the platforms and fitting the words (before anyone's taste)."""
        wanted = self.works.preferred(platforms)
        mask = np.ones(len(self.works), bool) if wanted is None else wanted.copy()
        if narrowing.kind is not None:
            mask &= self._movie if narrowing.kind == MOVIE else ~self._movie
        if narrowing.max_minutes is not None:
            mask &= self._movie & (self._minutes <= narrowing.max_minutes)
        if narrowing.genres:
            any_genre = np.zeros(len(self.works), bool)
            for genre in narrowing.genres:
                any_genre |= self._genre.get(genre, False)
            mask &= any_genre
        if narrowing.like is not None:
            mask = self._like(narrowing.like, mask)
        return mask

    def _like(self, work: int, mask: np.ndarray) -> np.ndarray:
        """The LIKE_POOL works in `mask` most like `work` (any likeness at all), the work itself left out."""
        mask = mask.copy()
        mask[work] = False
        candidates = np.flatnonzero(mask)
        if not len(candidates):
            return mask
        similarity = self.likeness(work, candidates)
        order = np.lexsort((candidates, -similarity))
        kept = candidates[order[:LIKE_POOL]]
        kept = kept[similarity[order[:LIKE_POOL]] > 0]
        like = np.zeros(len(self.works), bool)
        like[kept] = True
        return like

    def likeness(self, work: int, candidates: np.ndarray) -> np.ndarray:
        """Cosine similarity (0..1) of each candidate work to `work`."""
        personal = self.personal
        similarity = personal.similarity(np.array([work]), personal.columns(candidates))[0]
        return similarity / (personal._norms[candidates] * personal._norms[work])

    def choose(self, people: Sequence[Person], narrowing: Narrowing = Narrowing(), n: int = 6,
               leave_out: Iterable[str] = ()) -> NightChoice:
        """Up to n candidates for the members (`people`), best first; `leave_out`: title ids not to propose
        (any copy names its work: earlier rounds' candidates)."""
        with self.personal._blas.limit(limits=1, user_api="blas"):
            return self._choose(people, narrowing, n, leave_out)

    def _choose(self, people: Sequence[Person], narrowing: Narrowing, n: int, leave_out: Iterable[str]) -> NightChoice:
        personal = self.personal
        platforms = shared_services(p.platforms for p in people)
        if not platforms:
            return NightChoice((), (), NO_SHARED_SERVICE)
        eligible = self.matching(narrowing, platforms)
        if not eligible.any():
            return NightChoice((), platforms, NOTHING_MATCHES)
        tastes = [personal.taste(p) for p in people]
        for person, taste in zip(people, tastes):
            eligible[self._excluded(person, taste)] = False
        eligible[personal._works_of(leave_out)] = False
        rated = [t for t in tastes if len(t.works)]  # members without ratings are neutral: no pull, no veto
        pool = self._pool(rated, eligible, n)
        combined = personal.bias[pool].astype(np.float64)
        if rated and len(pool):
            deviations = np.array([personal.predict(t, pool)[0] for t in rated])
            predicted = np.array([t.mean for t in rated])[:, None] + deviations
            kept = ~(np.clip(predicted, 0.5, 5.0) <= VETO_PREDICTED).any(axis=0)
            pool, deviations = pool[kept], deviations[:, kept]
            combined = combine_deviations(deviations) if len(pool) else np.empty(0)
        if narrowing.like is not None and len(pool):
            combined = combined + LIKE_WEIGHT * self.likeness(narrowing.like, pool)
        order = personal.diversify(pool, combined, n) if len(pool) else []
        picks = tuple(self._pick(int(pool[i]), float(combined[i]), platforms) for i in order)
        return NightChoice(picks, platforms, None if len(picks) >= n else ALL_EXCLUDED)

    def _excluded(self, person: Person, taste: Taste) -> np.ndarray:
        """Works the member rated (they have seen it; and one rated DISLIKED_STARS or less is disliked
        besides), saw or hid. Their watchlist stays in: a good night is one of those."""
        return np.unique(np.concatenate([taste.works, self.personal._works_of(person.seen),
                                         self.personal._works_of(person.hidden)]).astype(np.int64))

    def _pool(self, rated: Sequence[Taste], eligible: np.ndarray, n: int) -> np.ndarray:
        """The works scored exactly: each rated member's nearest and the best-liked in the data, or every
        eligible work when few are (a narrow night, or a small catalog)."""
        personal = self.personal
        if eligible.sum() <= 4 * POOL:
            return np.flatnonzero(eligible)
        members = rated or [Taste.nobody((), np.empty(0, np.int64))]
        return np.unique(np.concatenate([personal._pool(t, eligible, 2 * n) for t in members]))

    def _pick(self, work: int, score: float, platforms: tuple[Platform, ...]) -> NightPick:
        title_id, name, year, kind, on, title_ids = self.works.describe(work, platforms)
        return NightPick(title_id, name, year, kind, tuple(p for p in platforms if p in on), title_ids,
                         score=round(score, 3))
