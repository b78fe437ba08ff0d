"""Title search: one normaliser and one resolver, fitted once from the catalog's titles.

    resolver = TitleResolver(catalog.titles)       # at load time (about 1 s on 23k titles)
    resolver.resolve("pirates caribean black pearl")  # -> (Candidate, ...), best first

A *work* is one title as people think of it: the same normalised title and release year on several
platforms (Disney+ and Hulu both carry "The Simpsons", 1989) is one work with several platforms,
so no answer lists it twice. `Works` is that grouping; the recommender uses it too.

Resolution, in order:
1. a catalog id (`ns1234`) resolves directly;
2. a year or a platform at either end of the text (`the office 2005`, `avatar disney`) is a hint,
   unless the whole text is itself a title (`1917`, `blade runner 2049`);
3. an exact normalised match scores 1.0;
4. otherwise a character-trigram TF-IDF picks the nearest `PREFILTER` titles by cosine (one sparse
   product), and rapidfuzz's WRatio scores only those (blended with that cosine), so typos, missing
   words and word order all cope without scoring 23k strings per request;
5. a work that contradicts a hint loses `HINT_PENALTY` and is never answered without asking;
   the user's own platforms break ties.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from core.models import Title, WorkSummary
from core.vocabulary import Platform, is_platform, is_year, parse_platform

# Articles carry no meaning in a title ("the irishman" is typed "irishman" as often as not).
ARTICLES = frozenset({"the", "a", "an"})
# Sequels are spelled both ways ("frozen ii", "frozen 2"); i, v and x stay words ("malcolm x").
ROMAN_NUMERALS = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9"}
ID_PATTERN = re.compile(r"^[adhn]s\d+$")
_APOSTROPHES = re.compile(r"['’`´]")
_NOT_WORD = re.compile(r"[\W_]+")

PREFILTER = 200  # titles the trigram cosine hands to rapidfuzz
WRATIO_SHARE = 0.7  # the rest of a fuzzy score is the trigram cosine (tuned on bench/cases.py)
SCORE_CUTOFF = 40.0  # rapidfuzz scores (0-100) below this are not candidates at all
HINT_PENALTY = 12.0  # points off a work whose year or platform contradicts a hint in the text
# When is one candidate "clearly" the title meant, so the bot answers without asking?
CLEAR_CONFIDENCE = 0.75
CLEAR_MARGIN = 0.06


def normalise_title(text: str) -> str:
    """The search key of a title or a query: lowercase ASCII words, no punctuation or articles.

    "Pirates of the Caribbean: The Curse…" -> "pirates of caribbean curse…"; "Rick & Morty" ->
    "rick and morty"; "Grey's Anatomy" -> "greys anatomy"; "WALL-E" -> "wall e".
    """
    text = unicodedata.normalize("NFKD", str(text))
    text = text.encode("ascii", "ignore").decode("ascii").lower().replace("&", " and ")
    words = _NOT_WORD.sub(" ", _APOSTROPHES.sub("", text)).split()
    words = [ROMAN_NUMERALS.get(w, w) for w in words]
    kept = [w for w in words if w not in ARTICLES]
    return " ".join(kept or words)


@dataclass(frozen=True, slots=True)
class Candidate(WorkSummary):
    """One work a query may mean, best first in `resolve`'s answer.

    `confidence` is 0..1: 1.0 for an id or an exact normalised title, else the rapidfuzz WRatio / 100
    less any hint penalty.
    `match` says how it was found: "id", "exact" or "fuzzy". `against_hint`: the text named a year
    or platform (`the office 2005`) that this work does not have.
    """

    confidence: float
    match: str
    against_hint: bool = False


def clear_choice(candidates: Sequence[Candidate]) -> Candidate | None:
    """The candidate to answer with directly, or None when the bot should ask "did you mean…".

    An id, or the only exact match, is clear. Two exact matches (a remake) are a question. A fuzzy
    best must be confident and ahead of the next by a margin. A best whose year or platform
    contradicts the one typed is a question however confident: the user may mean another work.
    """
    if not candidates or candidates[0].against_hint:
        return None
    best, runner_up = candidates[0], candidates[1] if len(candidates) > 1 else None
    if best.match in ("id", "exact") and best.confidence == 1.0:
        return best if runner_up is None or runner_up.confidence < 1.0 else None
    if best.confidence < CLEAR_CONFIDENCE:
        return None
    if runner_up is not None and best.confidence - runner_up.confidence < CLEAR_MARGIN:
        return None
    return best


class Works:
    """Catalog rows grouped into works: same normalised title and release year, any platform.

    `of_row[i]` is row i's work; `rows[w]` its rows in catalog order; `keys[w]` its normalised
    title; `platform_mask[w, p]` whether it streams on platform p (in `Platform` order).
    """

    def __init__(self, titles: Sequence[Title]) -> None:
        self.titles = titles
        row_keys = [normalise_title(t.display_title) for t in titles]
        work_of_key: dict[tuple[str, int], int] = {}
        of_row = np.empty(len(titles), np.int32)
        rows: list[list[int]] = []
        for t, key in zip(titles, row_keys):
            work = work_of_key.setdefault((key, t.release_year), len(rows))
            if work == len(rows):
                rows.append([])
            rows[work].append(t.index)
            of_row[t.index] = work
        self.of_row = of_row
        self.rows: tuple[tuple[int, ...], ...] = tuple(tuple(r) for r in rows)
        self.keys: tuple[str, ...] = tuple(row_keys[r[0]] for r in rows)
        self.year = np.array([titles[r[0]].release_year for r in rows], np.int32)
        platform_column = {p: k for k, p in enumerate(Platform)}
        self.platform_mask = np.zeros((len(rows), len(platform_column)), bool)
        self.platform_mask[of_row, [platform_column[t.platform] for t in titles]] = True

    def __len__(self) -> int:
        return len(self.rows)

    def preferred(self, platforms: Iterable[Platform] | None) -> np.ndarray | None:
        """Bool per work: streams on any of `platforms` (None when there is no preference)."""
        if not platforms:
            return None
        columns = [k for k, p in enumerate(Platform) if p in set(platforms)]
        return self.platform_mask[:, columns].any(axis=1)

    def describe(self, work: int, platforms: Iterable[Platform] | None = None) -> tuple:
        """(id, display_title, year, type, platforms, title_ids) of a work, preferred platforms first."""
        rank = {p: k for k, p in reversed(list(enumerate(platforms or ())))}
        rows = sorted(self.rows[work], key=lambda r: rank.get(self.titles[r].platform, len(rank)))
        first = self.titles[rows[0]]
        on = tuple(p for p in Platform if any(self.titles[r].platform is p for r in rows))
        return first.id, first.display_title, first.release_year, first.type, on, tuple(self.titles[r].id for r in rows)

    def candidate(self, work: int, confidence: float, match: str, platforms=None, against_hint=False) -> Candidate:
        return Candidate(*self.describe(work, platforms), confidence=confidence, match=match,
                         against_hint=against_hint)


def parse_platforms(platforms: Iterable[Platform | str] | None) -> tuple[Platform, ...]:
    return tuple(parse_platform(p) for p in platforms or ())


@dataclass(frozen=True, slots=True)
class _Query:
    key: str  # normalised text left once hints are removed
    year: int | None
    platform: Platform | None


def _split_hints(text: str) -> _Query:
    """Take one year and one platform name off either end of the text, if something is left."""
    words = text.lower().split()
    year = platform = None
    for _ in range(2):
        for size in (3, 2, 1):
            for edge in ("end", "start"):
                if len(words) <= size:
                    continue
                part = words[-size:] if edge == "end" else words[:size]
                rest = words[:-size] if edge == "end" else words[size:]
                phrase = " ".join(part)
                if platform is None and is_platform(phrase):
                    platform, words = parse_platform(phrase), rest
                    break
                if year is None and size == 1 and is_year(phrase):
                    year, words = int(phrase), rest
                    break
            else:
                continue
            break
    return _Query(normalise_title(" ".join(words)), year, platform)


class TitleResolver:
    """Fitted once from the catalog's titles; `resolve(text)` answers from memory."""

    def __init__(self, titles: Sequence[Title], works: Works | None = None) -> None:
        self.titles = titles
        self.works = works or Works(titles)
        self._row_of_id = {t.id: t.index for t in titles}
        # Several works can share a key (remakes): score each distinct key once.
        key_index: dict[str, int] = {}
        works_of_key: list[list[int]] = []
        for work, key in enumerate(self.works.keys):
            k = key_index.setdefault(key, len(works_of_key))
            if k == len(works_of_key):
                works_of_key.append([])
            works_of_key[k].append(work)
        self._keys = list(key_index)
        self._key_length = np.array([len(k) for k in self._keys], np.float32)
        self._key_index = key_index
        self._works_of_key = [np.array(w, np.int32) for w in works_of_key]
        self._trigrams = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), sublinear_tf=True, dtype=np.float32)
        # keys x trigrams, stored transposed so a query's row times it touches only its trigrams' postings
        self._trigram_postings = sparse.csr_matrix(self._trigrams.fit_transform(self._keys).T)
        self._trigram_analyzer = self._trigrams.build_analyzer()
        self._trigram_column = self._trigrams.vocabulary_
        self._trigram_idf = self._trigrams.idf_.astype(np.float32)

    def _trigram_vector(self, key: str) -> sparse.csr_matrix:
        """The same row as `self._trigrams.transform([key])`, without its per-call overhead (~1 ms)."""
        counts: dict[int, int] = {}
        for gram in self._trigram_analyzer(key):
            column = self._trigram_column.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.fromiter(counts, np.int64, len(counts))
        weights = (1 + np.log(np.fromiter(counts.values(), np.float32, len(counts)))) * self._trigram_idf[columns]
        norm = float(np.linalg.norm(weights)) or 1.0
        return sparse.csr_matrix((weights / norm, columns, [0, len(columns)]), shape=(1, len(self._trigram_idf)))

    def resolve(
        self, text: str, limit: int = 5, platforms: Iterable[Platform | str] | None = None
    ) -> tuple[Candidate, ...]:
        """Ranked candidates for what the user typed, best first; empty when nothing is close."""
        preferred = parse_platforms(platforms)
        text = " ".join(str(text).split())
        if not text:
            return ()
        if ID_PATTERN.match(text.lower()) and text.lower() in self._row_of_id:
            row = self._row_of_id[text.lower()]
            # the copy asked for by id is the one to show, whatever the user's platforms
            first = (self.titles[row].platform, *preferred)
            return (self.works.candidate(int(self.works.of_row[row]), 1.0, "id", first),)
        whole = normalise_title(text)
        query = _Query(whole, None, None) if whole in self._key_index else _split_hints(text)
        if not query.key:
            return ()
        scores = self._scores(query.key)  # {key index: 0..100}
        exact = self._key_index.get(query.key)
        if exact is not None:
            scores[exact] = 100.0
        if not scores:
            return ()
        keys = np.fromiter(scores, np.int64, len(scores))
        key_scores = np.fromiter(scores.values(), np.float64, len(scores))
        per_key = [len(self._works_of_key[k]) for k in keys]
        works = np.concatenate([self._works_of_key[k] for k in keys])
        exact_match = np.repeat(keys == exact, per_key)
        against_hint = self._against_hints(works, query)
        work_scores = np.repeat(key_scores, per_key) - self._hint_penalty(against_hint)
        wanted = self.works.preferred(preferred)
        not_preferred = np.zeros(len(works), bool) if wanted is None else ~wanted[works]
        # best score first; then the user's platforms; then the newer work; then catalog order
        order = np.lexsort((works, -self.works.year[works], not_preferred, -work_scores))[: max(int(limit), 0)]
        return tuple(
            self.works.candidate(
                int(works[i]), round(max(float(work_scores[i]), 0.0) / 100, 3),
                "exact" if exact_match[i] else "fuzzy", preferred, bool(against_hint[:, i].any()),
            )
            for i in order
        )

    def _scores(self, key: str) -> dict[int, float]:
        """rapidfuzz WRatio of the keys nearest by trigram cosine, above SCORE_CUTOFF."""
        similarity = (self._trigram_vector(key) @ self._trigram_postings).toarray().ravel()
        nearest = np.flatnonzero(similarity)
        if len(nearest) > PREFILTER:
            nearest = nearest[np.argpartition(similarity[nearest], -PREFILTER)[-PREFILTER:]]
        if not len(nearest):
            return {}
        choices = [self._keys[k] for k in nearest]
        wratio = process.cdist([key], choices, scorer=fuzz.WRatio, processor=None, dtype=np.float32)[0]
        # WRatio scores a short title found inside a long query ("pearl" in "pirates caribean black
        # pearl") as highly as the reverse; people drop words from titles far more often than they
        # add them, so a title shorter than the query loses in proportion.
        shorter = np.minimum(self._key_length[nearest] / len(key), 1.0)
        # The trigram cosine is symmetric and insensitive to word order; a share of it breaks
        # WRatio's many ties at 90 / 85.5 (its partial-match ceilings).
        found = WRATIO_SHARE * wratio * np.sqrt(shorter) + (1 - WRATIO_SHARE) * 100 * similarity[nearest]
        keep = np.flatnonzero(found >= SCORE_CUTOFF)
        return dict(zip(nearest[keep].tolist(), found[keep].astype(float).tolist()))

    def _against_hints(self, works: np.ndarray, query: _Query) -> np.ndarray:
        """(year, platform) x works: whether each work contradicts the text's year or platform hint."""
        against = np.zeros((2, len(works)), bool)
        if query.year is not None:
            against[0] = self.works.year[works] != query.year
        if query.platform is not None:
            against[1] = ~self.works.platform_mask[works, list(Platform).index(query.platform)]
        return against

    @staticmethod
    def _hint_penalty(against: np.ndarray) -> np.ndarray:
        """HINT_PENALTY for each hint a work contradicts.

        A hint that no candidate fits costs nothing (people misremember years), though
        `clear_choice` still asks before answering with a work that contradicts it.
        """
        fitted = ~against.all(axis=1)  # per hint: some candidate fits it
        return HINT_PENALTY * (against & fitted[:, None]).sum(axis=0)
