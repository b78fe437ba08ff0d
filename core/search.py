"""Title search: one normaliser and one resolver, fitted once from the catalog's titles.

    resolver = TitleResolver(catalog.titles)       # at load time (about 1 s on 23k titles)
    resolver.resolve("pirates caribean black pearl")  # -> (Candidate, ...), best first

A *work* is one title as people think of it: its copies on several platforms (Disney+ and Hulu both
carry "The Simpsons"; Disney+ lists "Marvel Studios' Avengers: Infinity War", Netflix "Avengers:
Infinity War") are one work, so no answer lists it twice. The ETL decides the grouping (`work_id`);
`Works` indexes it; the recommender uses it too.

Resolution, in order:
1. a catalog id (`ns1234`) resolves directly;
2. a year or a platform at either end of the text (`the office 2005`, `avatar disney`) is a hint,
   unless the whole text is itself a title (`1917`, `blade runner 2049`);
3. an exact normalised match scores 1.0; a work's keys are each copy's title with and without a
   studio prefix ("Marvel Studios' Thor") and a trailing qualifier ("(Series)", "(U.S.)");
4. otherwise a character-trigram TF-IDF picks the nearest `PREFILTER` titles by cosine (one sparse
   product), and rapidfuzz's WRatio scores only those (blended with that cosine), so typos, missing
   words and word order all cope without scoring 23k strings per request;
5. a work that contradicts a hint loses `HINT_PENALTY` and is never answered without asking;
   the user's own platforms break ties;
6. what a person means (`_rule_penalty`): a sequel number typed decides ("home alone 2", "episode v",
   "part ii"); shorts, extras and spin-off series lose to features; among exact matches the one on
   the user's services, then the one with the articles as typed ("the queen"), then a feature wins.

`search` then decides what to answer: the clear work, the works worth offering, or that the title
is on none of the services (`Search.absent`), never a card for a different title.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from core.models import Title, WorkSummary
from core.normalise import normalise_title, title_key, title_words
from core.trigrams import TrigramIndex
from core.vocabulary import Platform, is_platform, is_year, parse_platform

# Studio names put before a title on one platform only ("Marvel Studios' Thor" on Disney+, "Thor" on
# Netflix): a title without them is another key of the same work, so they never count against a match.
STUDIO_PREFIXES = ("marvel studios", "marvels", "marvel", "disney pixars", "disney pixar", "disneys", "disney",
                   "pixars", "pixar", "dreamworks")
# A trailing "(Series)", "(Shorts)", "(U.S.)", "(Episode V)" qualifies a title: without it is another key.
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")
# Shorts, extras, making-ofs and spin-off series: between equal text matches the feature wins.
_MINOR = re.compile(r"\((shorts?|series|spanish version|en espa[nñ]ol|in spanish|4k uhd)\)|\bmaking of\b|: making\b|"
                    r"\bbehind the scenes\b|\btoons?\b|\ben espa[nñ]ol\b", re.IGNORECASE)
SHORT_FILM_MINUTES = 40  # a movie shorter than this is a short
ID_PATTERN = re.compile(r"^[adhn]s\d+$")

PREFILTER = 200  # titles the trigram cosine hands to rapidfuzz
WRATIO_SHARE = 0.7  # the rest of a fuzzy score is the trigram cosine (tuned on bench/cases.py)
SCORE_CUTOFF = 40.0  # rapidfuzz scores (0-100) below this are not candidates at all
HINT_PENALTY = 12.0  # points off a work whose year or platform contradicts a hint in the text
NUMBER_PENALTY = 30.0  # a sequel number typed that the work lacks: another work
EXTRA_NUMBER_PENALTY = 2.0  # a sequel number the work has and the text lacks
MINOR_PENALTY = 3.0  # a short, extra or spin-off series, beside features matching as well
NEAR_SPELLING = 90.0  # rapidfuzz ratio of a whole text to a title key: a typo of it, not another title
NEAR_WORD = 85.0  # the same for one word
NEAR, HOLDS, STARTS_LIKE = "near", "holds", "starts like"  # how a text may mean a title (`_may_mean`)
# When is one candidate "clearly" the title meant, so the bot answers without asking?
CLEAR_CONFIDENCE = 0.75
CLEAR_MARGIN = 0.06
_NO_NUMBERS: frozenset[str] = frozenset()  # one for every work without a number in its title


def search_forms(display_title: str, words_of: Callable[[str], list[str]] = title_words) -> set[str]:
    """A title as typed, without its studio prefix, without its trailing qualifier, and without both."""
    forms = {display_title}
    bare = _QUALIFIER.sub("", display_title)
    if bare.strip():
        forms.add(bare)
    for form in list(forms):
        words = words_of(form)
        for prefix in STUDIO_PREFIXES:
            size = len(prefix.split())
            if " ".join(words[:size]) == prefix and len(words) > size:
                forms.add(" ".join(words[size:]))
                break
    return forms


def is_minor(title: Title) -> bool:
    """A short, an extra, a making-of, a foreign-language copy or a spin-off series of a feature."""
    short = title.type == "movie" and title.duration_int is not None and title.duration_int < SHORT_FILM_MINUTES
    return short or bool(_MINOR.search(title.display_title))


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


@dataclass(frozen=True, slots=True)
class Search:
    """What a text means, for a person: the work to answer with, or the works to offer, or neither.

    `chosen`: the work to show (see `clear_choice`), or None. `candidates`: the works that match, best
    first (`chosen` among them), to offer when nothing is chosen ("did you mean…") and to list inline:
    exact matches, near spellings of the whole text, and titles that start like it and hold all its
    words; strangers that merely share a word are left out.
    `absent`: nothing has this title (no exact match, no near spelling): the work is not on the
    four services, and the reply says so before any candidates.
    """

    chosen: Candidate | None
    candidates: tuple[Candidate, ...]
    absent: bool


class Works:
    """Catalog rows grouped into works: the copies of one film or show across the four catalogs.

    Which rows are one work is decided once by the ETL's linkage (`work_id` in titles.parquet, with
    its evidence in linkage_report.json); this class only indexes it. Without `work_of_row` every
    row is its own work.

    `of_row[i]` is row i's work; `rows[w]` its rows in catalog order; `keys[w]` the normalised
    `display_title[w]` (the work's name, without studio prefix); `row_keys[i]` each copy's own
    normalised title (copies may be listed under different titles); `year[w]` the earliest year a
    copy lists (a show's copies often give their latest season's year); `score[w]` and
    `rating_count[w]` over every rating of every copy (NaN and 0 when none);
    `platform_mask[w, p]` whether it streams on platform p (in `Platform` order).
    """

    def __init__(self, titles: Sequence[Title], work_of_row: Sequence[int] | np.ndarray | None = None,
                 display_titles: Sequence[str] | None = None) -> None:
        self.titles = titles
        of_row = np.arange(len(titles), dtype=np.int32) if work_of_row is None else np.asarray(work_of_row, np.int32)
        if len(of_row) != len(titles):
            raise ValueError(f"{len(of_row)} work ids for {len(titles)} titles")
        rows: list[list[int]] = [[] for _ in range(int(of_row.max()) + 1 if len(of_row) else 0)]
        for row, work in enumerate(of_row.tolist()):
            rows[work].append(row)
        self.of_row = of_row
        self.rows: tuple[tuple[int, ...], ...] = tuple(tuple(r) for r in rows)
        names = list(display_titles) if display_titles is not None else [titles[r[0]].display_title for r in rows]
        self.display_title: tuple[str, ...] = tuple(names)
        self.row_keys: tuple[str, ...] = tuple(normalise_title(t.display_title) for t in titles)
        self.keys: tuple[str, ...] = tuple(normalise_title(name) for name in names)
        # each distinct set of years made once (most works have one year, shared by many works)
        distinct_years: dict[frozenset[int], frozenset[int]] = {}
        self.years: tuple[frozenset[int], ...] = tuple(
            distinct_years.setdefault(years, years) for years in (frozenset(titles[i].release_year for i in r)
                                                                  for r in rows))
        self.year = np.array([min(y) for y in self.years], np.int32)
        counts = np.array([t.rating_count for t in titles], np.int64)
        totals = np.array([sum(t.score * t.rating_count for t in (titles[i] for i in r) if t.score is not None)
                           for r in rows], np.float64)
        self.rating_count = np.bincount(of_row, weights=counts, minlength=len(rows)).astype(np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.score = np.where(self.rating_count > 0, totals / self.rating_count, np.nan)
        platform_column = {p: k for k, p in enumerate(Platform)}
        self.platform_mask = np.zeros((len(rows), len(platform_column)), bool)
        self.platform_mask[of_row, [platform_column[t.platform] for t in titles]] = True

    def copies(self, work: int) -> tuple[Title, ...]:
        """The work's copies, in catalog order (amazon, disney, hulu, netflix)."""
        return tuple(self.titles[r] for r in self.rows[work])

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
        return (first.id, self.display_title[work], int(self.year[work]), first.type, on,
                tuple(self.titles[r].id for r in rows))

    def candidate(self, work: int, confidence: float, match: str, platforms=None, against_hint=False) -> Candidate:
        return Candidate(*self.describe(work, platforms), confidence=confidence, match=match,
                         against_hint=against_hint)


def _same_word(typed: str, found: str) -> bool:
    """One word as typed and as in a title: equal, or (words of 4+ letters) a near spelling with the
    same first letter ("caribean" is "caribbean"; "knight" is not "night")."""
    return typed == found or (len(typed) > 3 and typed[0] == found[:1] and fuzz.ratio(typed, found) >= NEAR_WORD)


def parse_platforms(platforms: Iterable[Platform | str] | None) -> tuple[Platform, ...]:
    return tuple(parse_platform(p) for p in platforms or ())


@dataclass(frozen=True, slots=True)
class _Query:
    key: str  # normalised text left once hints are removed
    literal: str  # the same with its articles
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
    rest = " ".join(words)
    return _Query(normalise_title(rest), " ".join(title_words(rest)), year, platform)


class _Words(dict):
    """`title_words` of each text asked for, split once (while an index is built; the lists are not changed)."""

    def __missing__(self, text: str) -> list[str]:
        words = self[text] = title_words(text)
        return words


class TitleResolver:
    """Fitted once from the catalog's titles; `resolve(text)` answers from memory."""

    def __init__(self, titles: Sequence[Title], works: Works | None = None) -> None:
        self.titles = titles
        self.works = works or Works(titles)
        self._row_of_id = {t.id: t.index for t in titles}
        # Several works can share a key (remakes), and a work has several keys (its copies' titles, with
        # and without a studio prefix or qualifier): score each distinct key once, keep a work's best.
        key_index: dict[str, int] = {}
        works_of_key: list[list[int]] = []
        literal_works: dict[str, list[int]] = {}  # the same forms with their articles kept
        self._numbers: list[frozenset[str]] = []  # sequel numbers, "episode 5", "part 2"…
        self._work_keys: list[tuple[str, ...]] = []
        words_of = _Words()  # each form's words once: a third of the build was splitting the same forms again
        for work, rows in enumerate(self.works.rows):
            numbers: set[str] = set()
            forms = {f for r in rows for f in search_forms(titles[r].display_title, words_of.__getitem__)}
            subtitles = {t.split(":", 1)[1] for t in forms if ":" in t}  # "Black Mirror: Bandersnatch"
            self._work_keys.append(tuple({title_key(words_of[f]) for f in forms | subtitles} - {""}))
            for form in forms:
                words = words_of[form]
                numbers.update(w for w in words if w.isdigit())
                literal_works.setdefault(" ".join(words), []).append(work)
                k = key_index.setdefault(title_key(words), len(works_of_key))
                if k == len(works_of_key):
                    works_of_key.append([])
                if work not in works_of_key[k]:
                    works_of_key[k].append(work)
            self._numbers.append(frozenset(numbers) if numbers else _NO_NUMBERS)
        self._keys = list(key_index)
        self._key_length = np.array([len(k) for k in self._keys], np.float32)
        self._key_index = key_index
        # key k's works are _key_works[_key_start[k]:_key_start[k + 1]] (an array per key cost some 5 MB)
        self._key_start = np.cumsum([0, *map(len, works_of_key)])
        self._key_works = np.fromiter((w for found in works_of_key for w in found), np.int32, int(self._key_start[-1]))
        self._literal_works = {form: tuple(w) for form, w in literal_works.items()}  # tuples: a quarter of sets
        self._minor = np.array([all(is_minor(titles[r]) for r in rows) for rows in self.works.rows], bool)
        self._trigrams = TrigramIndex(self._keys)

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
        query = self._query(text)
        if not query.key:
            return ()
        scores = self._scores(query.key)  # {key index: 0..100}
        exact = self._key_index.get(query.key)
        if exact is not None:
            scores[exact] = 100.0
        if not scores:
            return ()
        keys = np.fromiter(scores, np.int64, len(scores))
        per_key = [len(self._works_of(k)) for k in keys]
        # a work found by several of its keys keeps its best score
        works, where = np.unique(np.concatenate([self._works_of(k) for k in keys]), return_inverse=True)
        work_scores = np.full(len(works), -np.inf)
        np.maximum.at(work_scores, where, np.repeat(np.fromiter(scores.values(), np.float64, len(scores)), per_key))
        exact_match = np.isin(works, self._works_of(exact)) if exact is not None else np.zeros(len(works), bool)
        wanted = self.works.preferred(preferred)
        preferred_work = np.ones(len(works), bool) if wanted is None else wanted[works]
        work_scores -= self._rule_penalty(works, exact_match, preferred_work, query)
        against_hint = self._against_hints(works, query)
        work_scores -= self._hint_penalty(against_hint)
        # best score first; then the user's platforms; then the newer work; then catalog order
        order = np.lexsort((works, -self.works.year[works], ~preferred_work, -work_scores))[: max(int(limit), 0)]
        # the copy on the platform the text named is the one to show ("avatar last airbender netflix")
        shown_first = preferred if query.platform is None else (query.platform, *preferred)
        return tuple(
            self.works.candidate(
                int(works[i]), round(max(float(work_scores[i]), 0.0) / 100, 3),
                "exact" if exact_match[i] else "fuzzy", shown_first, bool(against_hint[:, i].any()),
            )
            for i in order
        )

    def _works_of(self, key: int) -> np.ndarray:
        """The works key number `key` is a title of."""
        return self._key_works[self._key_start[key]:self._key_start[key + 1]]

    def search(self, text: str, limit: int = 5, platforms: Iterable[Platform | str] | None = None) -> Search:
        """`resolve`, then what to do with it: answer, offer only what may be meant, or say it is absent."""
        candidates = self.resolve(text, limit, platforms)
        chosen = clear_choice(candidates)
        # A fuzzy best is answered only if it is a near spelling of the text, or holds each of two or
        # more words typed: never Shark Tank for "shawshank", nor "Casablancas: The Man…" for "casablanca".
        words = self._query(text).key.split()
        ways = {c: self._ways(words, c) for c in candidates}
        sure = {NEAR, HOLDS} if len(words) > 1 else {NEAR}
        if chosen is not None and not (chosen.match != "fuzzy" or ways[chosen] & sure):
            chosen = None
        offered = tuple(c for c in candidates if c is chosen or c.match != "fuzzy" or ways[c] & {NEAR, STARTS_LIKE})
        absent = chosen is None and not any(c.match != "fuzzy" or ways[c] & sure for c in candidates)
        return Search(chosen, offered, absent)

    def _ways(self, words: list[str], candidate: Candidate) -> set[str]:
        """How the typed words may mean the candidate: NEAR, a near spelling of one of its titles (a
        typo, a missing space, or its subtitle: "bandersnatch"); HOLDS, a title holding each word typed;
        STARTS_LIKE, one that also starts with the first word ("matrix reloaded" for "the matrix",
        not "Our Godfather" for "the godfather")."""
        ways: set[str] = set()
        query = " ".join(words)
        for key in self._work_keys[int(self.works.of_row[self._row_of_id[candidate.id]])]:
            found = key.split()
            if (fuzz.ratio(query, key) >= NEAR_SPELLING or query.replace(" ", "") == "".join(found)
                    or (len(found) == len(words) and all(map(_same_word, words, found)))):  # "the irishmen"
                ways.add(NEAR)
            if all(any(_same_word(w, f) for f in found) for w in words):
                ways.add(HOLDS)
                if _same_word(words[0], found[0]):
                    ways.add(STARTS_LIKE)
        return ways

    def _query(self, text: str) -> _Query:
        """The text's key and hints; a text that is itself a title (`1917`) has no hints."""
        text = " ".join(str(text).split())
        whole = normalise_title(text)
        if whole in self._key_index:
            return _Query(whole, " ".join(title_words(text)), None, None)
        return _split_hints(text)

    def _rule_penalty(self, works: np.ndarray, exact: np.ndarray, preferred: np.ndarray, query: _Query) -> np.ndarray:
        """Points off each work for what a person means beyond the text's likeness.

        A sequel number in the text that the work lacks costs NUMBER_PENALTY ("home alone 2" is not
        Home Alone 3), a small number the work has and the text lacks a little ("iron man" is the first).
        Shorts, extras and spin-off series lose MINOR_PENALTY to features. Among exact matches, each of
        these that another exact match has and this one lacks costs a point, so one of them is clear:
        on the user's services, the title with its articles as typed ("the queen"), a feature.
        """
        wanted = {w for w in query.key.split() if w.isdigit() and len(w) <= 2}  # sequels, not years
        penalty = np.zeros(len(works))
        for i, work in enumerate(works.tolist()):
            numbers = self._numbers[work]
            if not wanted <= numbers:
                penalty[i] += NUMBER_PENALTY
            elif any(len(n) <= 2 for n in numbers - wanted):
                penalty[i] += EXTRA_NUMBER_PENALTY
        minor = self._minor[works]
        penalty[minor & ~exact] += MINOR_PENALTY
        if exact.sum() > 1:
            literal = self._literal_works.get(query.literal, ())
            for wins in (preferred, np.isin(works, list(literal)), ~minor):
                if (wins & exact).any():
                    penalty[exact & ~wins] += 1
        return penalty

    def _scores(self, key: str) -> dict[int, float]:
        """rapidfuzz WRatio of the keys nearest by trigram cosine, above SCORE_CUTOFF."""
        similarity = (self._trigrams.vector(key) @ self._trigrams.postings).toarray().ravel()
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
            # any copy's year fits: a show's copies list different years (How I Met Your Mother: 2005, 2014)
            against[0] = [query.year not in self.works.years[w] for w in works.tolist()]
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
