"""Search by person: every actor and director of the four catalogs, with their works, built once.

    people = People(catalog.works)            # at load time (well under a second on 23k titles)
    people.find("Tom Hanks")                  # -> Person, or None when no one has exactly that name
    people.closest("tom hanx")                # -> (Person, ...) for "did you mean…"

A person is one normalised name ("Samuel L. Jackson" and "samuel l jackson" are one); their credits
are works (all copies of a title on several services are one credit), newest first, with the role.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from core.models import WorkSummary
from core.search import Works

CAST, DIRECTOR = "cast", "director"
_ROLE_BITS = {CAST: 1, DIRECTOR: 2}
_NOT_NAME = re.compile(r"[^a-z0-9]+")
# A name has a letter: Amazon's placeholder uploads ("Title before 1C onboarding - 5") credit "1, 2, 3",
# which would make "3" a person and give the card of "3%" a "Titles with 3" button.
_LETTER = re.compile(r"[a-z]")
CLOSEST_CUTOFF = 80.0  # rapidfuzz token_sort_ratio (0-100) for a name to be offered as "did you mean"


def normalise_name(text: str) -> str:
    """The search key of a name: lowercase ASCII words ("Zoë Saldaña" -> "zoe saldana", "Samuel L. Jackson"
    -> "samuel l jackson")."""
    text = str(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_NAME.sub(" ", text.lower().replace("'", "")).strip()


@dataclass(frozen=True, slots=True)
class Credit(WorkSummary):
    """One work a person is credited on, and as what (`roles`: CAST, DIRECTOR or both)."""

    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Person:
    index: int  # stable for a given catalog: the person's place in the sorted names
    name: str  # as the catalog stores it (lowercase)
    credits: tuple[Credit, ...]  # newest first


class People:
    """Every cast member and director, by normalised name, with the works they are credited on."""

    def __init__(self, works: Works) -> None:
        self.works = works
        roles_of: dict[str, dict[int, int]] = {}  # key -> {work: role bits}, in catalog order
        name_of: dict[str, str] = {}
        key_of: dict[str, str] = {}  # most names recur: normalise each spelling once
        for title in works.titles:
            work = int(works.of_row[title.index])
            for bit, names in ((_ROLE_BITS[CAST], title.cast), (_ROLE_BITS[DIRECTOR], title.directors)):
                for name in names:
                    key = key_of.get(name)
                    if key is None:
                        key = key_of[name] = normalise_name(name)
                    if _LETTER.search(key):
                        name_of.setdefault(key, name)
                        credits = roles_of.setdefault(key, {})
                        credits[work] = credits.get(work, 0) | bit
        self.keys: tuple[str, ...] = tuple(sorted(roles_of))  # found by bisection (a dict of them: some 4 MB)
        self._names = tuple(name_of[k] for k in self.keys)
        # Person i's credits are rows start[i]:start[i + 1] of two flat arrays (a dict and a set per
        # credit cost some 40 MB on the full catalog; these a few).
        sizes = np.array([len(roles_of[k]) for k in self.keys], np.int64)
        self._start = np.concatenate([[0], np.cumsum(sizes)])
        self._work = np.fromiter((w for k in self.keys for w in roles_of[k]), np.int32, int(self._start[-1]))
        self._bits = np.fromiter((b for k in self.keys for b in roles_of[k].values()), np.int8, int(self._start[-1]))

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index: int) -> Person:
        lo, hi = self._start[index], self._start[index + 1]
        credits = [Credit(*self.works.describe(work), roles=tuple(r for r in (CAST, DIRECTOR) if bits & _ROLE_BITS[r]))
                   for work, bits in zip(self._work[lo:hi].tolist(), self._bits[lo:hi].tolist())]
        credits.sort(key=lambda c: (-c.year, c.display_title.lower()))
        return Person(index, self._names[index], tuple(credits))

    def find(self, text: str) -> Person | None:
        """The person with exactly this name (any casing, accents or dots), or None."""
        key = normalise_name(text)
        index = bisect_left(self.keys, key)
        return self[index] if index < len(self.keys) and self.keys[index] == key else None

    def closest(self, text: str, limit: int = 5) -> tuple[Person, ...]:
        """People whose name is a near spelling of the text (word order aside), closest first;
        more credits first among equally close names."""
        key = normalise_name(text)
        if not key:
            return ()
        found = process.extract(key, self.keys, scorer=fuzz.token_sort_ratio, processor=None,
                                limit=limit * 4, score_cutoff=CLOSEST_CUTOFF)
        found.sort(key=lambda f: (-f[1], -int(self._start[f[2] + 1] - self._start[f[2]]), f[0]))
        return tuple(self[index] for _, _, index in found[:limit])
