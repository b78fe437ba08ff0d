"""The one title normaliser, in a module of its own so the ETL's linkage can use it without loading
the search index's libraries (scikit-learn, SciPy: seconds of import time the ETL budget cannot spare)."""
from __future__ import annotations

import re
import unicodedata

# Articles carry no meaning in a title ("the irishman" is typed "irishman" as often as not).
ARTICLES = frozenset({"the", "a", "an"})
# Sequels are spelled both ways ("frozen ii", "frozen 2"); i, v and x stay words ("malcolm x").
ROMAN_NUMERALS = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9"}
# After these words a single letter is a numeral too: "episode v", "part i", "vol. x".
NUMBERED = frozenset({"episode", "part", "vol", "volume", "chapter", "book"})
SMALL_ROMAN = {"i": "1", "v": "5", "x": "10"}
_FRACTION = re.compile(r"(\d+)/(\d+)")
_APOSTROPHES = re.compile(r"['’`´]")
_NOT_WORD = re.compile(r"[\W_]+")


def normalise_title(text: str) -> str:
    """The search key of a title or a query: lowercase ASCII words, no punctuation or articles.

    "Pirates of the Caribbean: The Curse…" -> "pirates of caribbean curse…"; "Rick & Morty" ->
    "rick and morty"; "Grey's Anatomy" -> "greys anatomy"; "WALL-E" -> "wall e".
    """
    return title_key(title_words(text))


def title_key(words: list[str]) -> str:
    """`normalise_title` of a text's `title_words`: for code that needs both."""
    kept = [w for w in words if w not in ARTICLES]
    return " ".join(kept or words)


def title_words(text: str) -> list[str]:
    """`normalise_title` before the articles go: "Star Wars: Episode V" -> ["star", "wars", "episode", "5"]."""
    text = unicodedata.normalize("NFKD", str(text))
    text = text.encode("ascii", "ignore").decode("ascii").lower().replace("&", " and ")
    text = _FRACTION.sub(r"\1of\2", text)  # "The Lion King 1 1/2" is not a second part
    words = _NOT_WORD.sub(" ", _APOSTROPHES.sub("", text)).split()
    return [SMALL_ROMAN[w] if w in SMALL_ROMAN and k and words[k - 1] in NUMBERED else ROMAN_NUMERALS.get(w, w)
            for k, w in enumerate(words)]
