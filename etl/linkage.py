"""Works across the four catalogs: which rows are copies of one film or show, found by evidence.

The usual record-linkage shape (as in the recordlinkage and splink libraries): block, compare, score,
threshold, cluster.

1. Block: rows of one type whose `link_key` (the normalised title without studio prefixes such as
   "Marvel Studios'", without episode markers and listing qualifiers such as "(4K UHD)" or
   "(Hindi Version)") is equal; and rows of one type sharing a director within a year whose keys
   are close (one contains the other, or rapidfuzz ratio >= 90), movies of one year only:
   "Ralph Breaks the Internet" and "…: Wreck-It Ralph 2".
2. Compare each candidate pair field by field: title, year (a show is often listed with its latest
   season's year, so a show's year is weak evidence), directors, cast, duration, description words.
3. Score: the sum of each field's weight (`WEIGHTS`, log-odds in spirit, set by hand and checked on
   bench/linkage_pairs.csv); a pair at or above `MERGE_AT` is a merge.
4. Cluster: merges join, best first, unless some pair across the two groups has evidence against
   (`APART_BELOW`), so a chain never pulls a sequel into its film's work.

Why not the libraries themselves: recordlinkage 0.16 (last release 2023) costs a second of import on
its own and compares list columns (directors, cast) only through Python callbacks; splink brings
DuckDB and an EM training pass. The whole ETL has a 6 s budget, and the comparisons here are a few
thousand pairs that plain Python scores in milliseconds.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from rapidfuzz import fuzz

from core.normalise import normalise_title

# Studio and brand prefixes one catalog puts before a title the others list bare.
_STUDIO_PREFIX = re.compile(
    r"^(?:marvel studios['’]?|marvel['’]s|disney\s*pixar['’]?s?|disneynature|disney['’]s|disney|pixar['’]s)\s+",
    re.IGNORECASE,
)
# Listing qualifiers: the same work in another resolution, cut or language ("(4K UHD)", "(Tamil)").
_LANGUAGES = r"hindi|tamil|telugu|malayalam|kannada|marathi|bengali|punjabi|spanish|english|french|german|japanese"
_QUALIFIER = re.compile(
    rf"\s*\((?:4k(?: uhd)?|uhd|hd|extended cut|unrated|director['’]?s cut|\d{{4}}|"
    rf"(?:{_LANGUAGES})(?: version| dubbed| subtitled)?|(?:dubbed|subtitled))\)",
    re.IGNORECASE,
)
# Star Wars' episode markers, placed anywhere: "(Episode VIII)", "Episode VIII:".
_EPISODE = re.compile(r"\(?\bepisode\s+(?:[ivx]+|\d)\b\)?:?", re.IGNORECASE)
# Letters NFKD does not split, which the normaliser would drop: "Æon Flux" must meet "Aeon Flux".
_LIGATURES = str.maketrans({"æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ø": "o", "Ø": "O", "ß": "ss"})
_NAME_CHARS = re.compile(r"[^a-z ]+")
_WORD = re.compile(r"[a-z]{3,}")

MOVIE = "movie"


@dataclass(frozen=True)
class Weights:
    """Each field's evidence for "same work" (positive) or against (negative)."""

    title_equal_long: float = 4.0  # equal keys of 3+ words ("how i met your mother")
    title_equal_short: float = 2.5  # equal keys of 1-2 words ("mother", "the game"): common titles
    title_close: float = 2.0  # second blocking pass: contained or ratio >= 90
    movie_year_same: float = 1.5
    movie_year_one_off: float = 0.5
    movie_year_apart: float = -4.0  # 2-3 years: a sequel, or a re-release listed by its new year
    movie_year_far: float = -8.0  # more: a remake
    show_title_equal: float = 4.0  # shows are seldom remade under one title: an equal key counts more
    show_year_close: float = 0.5  # a year apart at most
    show_year_far: float = -4.0  # more than `SHOW_YEARS` apart
    directors_shared: float = 3.0
    directors_disjoint: float = -4.0
    cast_two_shared: float = 3.0
    cast_one_shared: float = 1.5
    cast_disjoint_movie: float = -2.0
    cast_disjoint_show: float = -1.0  # a dubbed series lists its dub's voices
    cast_disjoint_long: float = -3.0  # three names or more on each side, none shared: another cast
    minutes_close: float = 1.5  # within 3 minutes
    minutes_near: float = 0.5  # within 8
    minutes_off: float = -1.0  # within 16
    minutes_apart: float = -5.0  # more
    minutes_extra: float = -10.0  # one under 60% of the other: an extra, a short, a making-of
    seasons_equal: float = 0.5
    description_shared: float = 2.0  # rare words in common, weighted: the same blurb or the same plot
    description_some: float = 1.0
    description_unrelated: float = -1.5


WEIGHTS = Weights()
MERGE_AT = 4.0
APART_BELOW = 0.0
BORDERLINE = 1.5  # pairs scoring from here up to MERGE_AT are reported as borderline
SHOW_YEARS = 12


def link_key(display_title: str) -> str:
    """The blocking key: "Marvel Studios' Avengers: Infinity War" and "Avengers: Infinity War" ->
    "avengers infinity war"; "Star Wars: Episode VIII: The Last Jedi" -> "star wars last jedi"."""
    text = _QUALIFIER.sub("", display_title)
    text = _EPISODE.sub(" ", text)
    text = _STUDIO_PREFIX.sub("", text.strip())
    return normalise_title(text.translate(_LIGATURES))


# Amazon's listing qualifiers in brackets ("Master [4K UHD]", "Trapped [English Subtitled]"): shown to
# nobody, but kept out of the blocking key so the linkage does not move with them.
_BRACKETED_QUALIFIER = re.compile(r"\s*[\[(](?:4k uhd|4k|uhd|hd/sd ver|english (?:subtitled|subbed|dubbed))[\])]",
                                  re.IGNORECASE)


def display_name(display_title: str) -> str:
    """A title without its studio prefix or listing qualifiers, for people."""
    text = _BRACKETED_QUALIFIER.sub("", _QUALIFIER.sub("", display_title)).strip().rstrip(" -–")
    stripped = _STUDIO_PREFIX.sub("", text).strip()
    return stripped or text or display_title


@cache
def _name(value: str) -> str:
    """A person's name as compared: letters and single spaces ("b.j. novak" -> "bj novak")."""
    return " ".join(_NAME_CHARS.sub("", value.replace(".", "").replace("-", " ")).split())


def _names(values: Sequence[str]) -> frozenset[str]:
    return frozenset(_name(v) for v in values) - {""}


def _surnames(names: frozenset[str]) -> frozenset[str]:
    return frozenset(n.split()[-1] for n in names if n)


@dataclass
class Rows:
    """The fields linkage compares, one list per column, in catalog order."""

    ids: list[str]
    types: list[str]
    titles: list[str]
    years: list[int]
    minutes: list[int | None]  # duration_int (minutes for movies, seasons for shows)
    directors: list[frozenset[str]]
    cast: list[frozenset[str]]
    descriptions: list[str]
    keys: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.keys = [link_key(t) for t in self.titles]

    @classmethod
    def from_frame(cls, titles) -> Rows:
        minutes = titles["duration_int"].to_numpy(dtype=float, na_value=np.nan)
        return cls(
            ids=titles["id"].tolist(), types=titles["type"].tolist(), titles=titles["display_title"].tolist(),
            years=[int(y) for y in titles["release_year"].tolist()],
            minutes=[None if np.isnan(m) else int(m) for m in minutes],
            directors=[_names(() if v is None else v) for v in titles["director"].tolist()],
            cast=[_names(() if v is None else v) for v in titles["cast"].tolist()],
            descriptions=titles["description"].fillna("").tolist(),
        )


def candidate_pairs(rows: Rows) -> set[tuple[int, int]]:
    """Blocking: equal keys of one type; or one director, one type, a year apart at most, close keys."""
    pairs: set[tuple[int, int]] = set()
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (key, kind) in enumerate(zip(rows.keys, rows.types)):
        if key:  # a title with no Latin letters has an empty key: no evidence to block on
            by_key[(key, kind)].append(i)
    for members in by_key.values():
        pairs.update((a, b) for k, a in enumerate(members) for b in members[k + 1:])
    by_director: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (names, kind) in enumerate(zip(rows.directors, rows.types)):
        for name in names:
            by_director[(name, kind)].append(i)
    for (_, kind), members in by_director.items():
        if len(members) > 60:  # a prolific name (a series' house director) blocks nothing useful
            continue
        for k, a in enumerate(members):
            for b in members[k + 1:]:
                # a movie under another title a year later is a sequel ("High & Low The Movie 2"), not a copy
                gap = abs(rows.years[a] - rows.years[b])
                if gap <= (0 if kind == MOVIE else 1) and rows.keys[a] != rows.keys[b] and _close(rows, a, b):
                    pairs.add((a, b))
    return pairs


def _close(rows: Rows, a: int, b: int) -> bool:
    ka, kb = rows.keys[a], rows.keys[b]
    if not ka or not kb:
        return False
    wa, wb = set(ka.split()), set(kb.split())
    if all(w.isdigit() for w in wa ^ wb):  # only a number apart: "sardaar ji 2" is the sequel of "sardaar ji"
        return False
    if wa <= wb or wb <= wa:
        return True
    # a near spelling, not another entry of a series ("Forky Asks a Question: What is Love?" / "…a Pet?"):
    # the words that differ must themselves be alike ("pyar" / "pyaar", "fing" / "f king")
    only_a, only_b = " ".join(w for w in ka.split() if w not in wb), " ".join(w for w in kb.split() if w not in wa)
    return fuzz.ratio(ka, kb) >= 90 and fuzz.ratio(only_a, only_b) >= 60


class DescriptionWords:
    """Rare words two descriptions share, weighted by rarity (an inverse document frequency over
    the candidate rows only, which is all linkage needs and costs milliseconds)."""

    def __init__(self, rows: Rows, involved: set[int]) -> None:
        self.words = {i: set(_WORD.findall(rows.descriptions[i])) for i in involved}
        frequency = Counter(w for words in self.words.values() for w in words)
        total = max(len(self.words), 1)
        self.weight = {w: float(np.log(total / n)) for w, n in frequency.items()}

    def similarity(self, a: int, b: int) -> float:
        """Weighted overlap (0..1): the shared words' weight over the smaller description's weight."""
        wa, wb = self.words[a], self.words[b]
        if not wa or not wb:
            return float("nan")
        shared = sum(self.weight[w] for w in wa & wb)
        smaller = min(sum(self.weight[w] for w in wa), sum(self.weight[w] for w in wb))
        return shared / smaller if smaller else 0.0


def compare(rows: Rows, a: int, b: int, descriptions: DescriptionWords, w: Weights = WEIGHTS) -> tuple[float, dict]:
    """(score, evidence) of one pair: each field's weight, named, so the report can show why."""
    evidence: dict[str, float] = {}
    movie = rows.types[a] == MOVIE
    if rows.keys[a] == rows.keys[b]:
        long_title = len(rows.keys[a].split()) >= 3
        evidence["title"] = w.title_equal_long if long_title else w.show_title_equal if not movie else w.title_equal_short
    else:
        evidence["title"] = w.title_close
    gap = abs(rows.years[a] - rows.years[b])
    if movie:
        evidence["year"] = (w.movie_year_same if gap == 0 else w.movie_year_one_off if gap == 1
                            else w.movie_year_apart if gap <= 3 else w.movie_year_far)
    elif gap > SHOW_YEARS:
        evidence["year"] = w.show_year_far
    elif gap <= 1:
        evidence["year"] = w.show_year_close
    da, db = rows.directors[a], rows.directors[b]
    if da and db:
        same = da & db or _surnames(da) & _surnames(db)
        evidence["directors"] = w.directors_shared if same else w.directors_disjoint
    ca, cb = rows.cast[a], rows.cast[b]
    if ca and cb:
        # Romanised names vary ("jung hwa yang", "jeong-hwa yang"): two shared surnames count as one name.
        shared = len(ca & cb) or int(len(_surnames(ca) & _surnames(cb)) >= 2)
        evidence["cast"] = (w.cast_two_shared if shared >= 2 else w.cast_one_shared if shared == 1
                            else w.cast_disjoint_long if min(len(ca), len(cb)) >= 3
                            else w.cast_disjoint_movie if movie else w.cast_disjoint_show)
    ma, mb = rows.minutes[a], rows.minutes[b]
    if ma is not None and mb is not None:
        if movie:
            off = abs(ma - mb)
            evidence["duration"] = (w.minutes_close if off <= 3 else w.minutes_near if off <= 8
                                    else w.minutes_off if off <= 16
                                    else w.minutes_extra if min(ma, mb) < 0.6 * max(ma, mb) else w.minutes_apart)
        elif ma == mb:
            evidence["duration"] = w.seasons_equal
    similarity = descriptions.similarity(a, b)
    if similarity == similarity:  # not NaN: both have a description
        evidence["description"] = (w.description_shared if similarity >= 0.35 else w.description_some
                                   if similarity >= 0.15 else w.description_unrelated if similarity < 0.05 else 0.0)
    return sum(evidence.values()), evidence


@dataclass(frozen=True)
class Linkage:
    work_of_row: np.ndarray  # int32, work id per row; works numbered in order of their first row
    members: list[list[int]]  # rows of each work, in catalog order
    merges: list[dict]  # pair, score, evidence of every merge
    borderline: list[dict]  # pairs left apart with a score near the threshold
    kept_apart: list[dict]  # merges refused because another pair across the groups disagreed
    pairs_compared: int


def link(rows: Rows, merge_at: float = MERGE_AT, weights: Weights = WEIGHTS) -> Linkage:
    pairs = sorted(candidate_pairs(rows))
    descriptions = DescriptionWords(rows, {r for pair in pairs for r in pair})
    scored = [(*compare(rows, a, b, descriptions, weights), a, b) for a, b in pairs]
    score_of = {(a, b): s for s, _, a, b in scored}
    group = list(range(len(rows.ids)))
    members: dict[int, list[int]] = {}

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    def record(score: float, evidence: dict, a: int, b: int) -> dict:
        return {"pair": [rows.ids[a], rows.ids[b]], "titles": [rows.titles[a], rows.titles[b]],
                "score": round(score, 2), "evidence": evidence}

    merges, borderline, kept_apart = [], [], []
    for score, evidence, a, b in sorted(scored, key=lambda s: (-s[0], s[2], s[3])):
        if score < merge_at:
            if score >= BORDERLINE:
                borderline.append(record(score, evidence, a, b))
            continue
        ra, rb = root(a), root(b)
        if ra == rb:
            merges.append(record(score, evidence, a, b))
            continue
        left, right = members.get(ra, [ra]), members.get(rb, [rb])
        against = [(x, y) for x in left for y in right
                   if score_of.get((min(x, y), max(x, y)), APART_BELOW) < APART_BELOW]
        if against:
            kept_apart.append({**record(score, evidence, a, b), "against": [[rows.ids[x], rows.ids[y]] for x, y in against]})
            continue
        group[rb] = ra
        members[ra] = left + right
        members.pop(rb, None)
        merges.append(record(score, evidence, a, b))

    roots = [root(i) for i in range(len(rows.ids))]
    number: dict[int, int] = {}
    work_of_row = np.fromiter((number.setdefault(r, len(number)) for r in roots), np.int32, len(roots))
    grouped: list[list[int]] = [[] for _ in number]
    for i, work in enumerate(work_of_row):
        grouped[work].append(i)
    return Linkage(work_of_row, grouped, merges, borderline, kept_apart, len(pairs))


def works_table(rows: Rows, linkage: Linkage, means: np.ndarray, counts: np.ndarray) -> dict[str, list]:
    """One row per work: member ids, a display title without studio prefix, and one score over
    every rating of every copy (each copy's mean times its count, summed, over the summed counts)."""
    ids, names, scores, totals = [], [], [], []
    for members in linkage.members:
        ids.append([rows.ids[r] for r in members])
        bare = [rows.titles[r] for r in members if display_name(rows.titles[r]) == rows.titles[r]]
        names.append(bare[0] if bare else min((display_name(rows.titles[r]) for r in members), key=len))
        count = int(counts[members].sum())
        totals.append(count)
        rated = [r for r in members if counts[r] > 0]
        scores.append(float((means[rated] * counts[rated]).sum() / count) if count else None)
    return {"work_id": list(range(len(ids))), "ids": ids, "display_title": names, "score": scores,
            "rating_count": totals}


def linkage_report(rows: Rows, linkage: Linkage) -> dict:
    sizes = Counter(len(m) for m in linkage.members)
    return {
        "titles": len(rows.ids),
        "works": len(linkage.members),
        "works_with_several_copies": sum(n for size, n in sizes.items() if size > 1),
        "copies_per_work": {str(size): n for size, n in sorted(sizes.items())},
        "pairs_compared": linkage.pairs_compared,
        "merge_at": MERGE_AT,
        "borderline_from": BORDERLINE,
        "merges": linkage.merges,
        "borderline": linkage.borderline,
        "kept_apart": linkage.kept_apart,
    }
