"""One parser for each kind of word users type: platform names, duration units, title types, years,
scores, maturity ratings and country names.

Every parser accepts any casing and surrounding spaces and raises a specific CatalogInputError
for anything else, so the bot can say what it expected.
"""
from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from typing import Generic, TypeVar

from core.countries import typed_names
from core.errors import (
    CatalogInputError,
    InvalidScore,
    InvalidYear,
    UnknownDurationType,
    UnknownPlatform,
    UnknownTitleType,
)

T = TypeVar("T")

# Release years in the catalogs run from 1920 to 2021; a year outside 1900-2100 is a typo.
MIN_YEAR, MAX_YEAR = 1900, 2100


class Platform(enum.Enum):
    """A streaming service. `code` is the id prefix the ETL gives its titles (Amazon s123 -> as123)."""

    AMAZON = ("a", "amazon", "Amazon Prime Video", "amazon_prime_titles.csv")
    DISNEY = ("d", "disney", "Disney+", "disney_plus_titles.csv")
    HULU = ("h", "hulu", "Hulu", "hulu_titles.csv")
    NETFLIX = ("n", "netflix", "Netflix", "netflix_titles.csv")

    def __init__(self, code: str, key: str, label: str, raw_file: str) -> None:
        self.code = code
        self.key = key
        self.label = label
        self.raw_file = raw_file

    @classmethod
    def from_code(cls, code: str) -> Platform:
        return _BY_CODE[code]


_BY_CODE = {p.code: p for p in Platform}

_PLATFORM_NAMES = {
    "amazon": Platform.AMAZON,
    "prime": Platform.AMAZON,
    "amazon prime": Platform.AMAZON,
    "prime video": Platform.AMAZON,
    "amazon prime video": Platform.AMAZON,
    "amazonprime": Platform.AMAZON,
    "disney": Platform.DISNEY,
    "disney+": Platform.DISNEY,
    "disney plus": Platform.DISNEY,
    "disneyplus": Platform.DISNEY,
    "hulu": Platform.HULU,
    "netflix": Platform.NETFLIX,
}

PLATFORM_CHOICES = ("amazon", "disney", "hulu", "netflix")


def normalise_word(text: str) -> str:
    return " ".join(str(text).lower().split())


@dataclass(frozen=True)
class ClosedVocabulary(Generic[T]):
    """The spellings users type for a closed set of values, each mapped to the value core uses."""

    spellings: dict[str, T]
    error: type[CatalogInputError]
    choices: tuple[str, ...]

    def parse(self, text: str) -> T:
        found = self.spellings.get(normalise_word(text))
        if found is None:
            raise self.error(text, self.choices)
        return found

    def __contains__(self, text: str) -> bool:
        return normalise_word(text) in self.spellings


PLATFORMS = ClosedVocabulary(_PLATFORM_NAMES, UnknownPlatform, PLATFORM_CHOICES)


def parse_platform(text: str | Platform) -> Platform:
    return text if isinstance(text, Platform) else PLATFORMS.parse(text)


def is_platform(text: str) -> bool:
    return text in PLATFORMS


# Duration units as stored by the ETL: "min" for movies, "season" for TV shows.
MINUTES, SEASONS = "min", "season"
_DURATION_UNITS = {
    "min": MINUTES, "mins": MINUTES, "minute": MINUTES, "minutes": MINUTES, "m": MINUTES,
    "season": SEASONS, "seasons": SEASONS, "s": SEASONS,
    "minuto": MINUTES, "minutos": MINUTES, "temporada": SEASONS, "temporadas": SEASONS,
}


DURATION_TYPES = ClosedVocabulary(_DURATION_UNITS, UnknownDurationType, (MINUTES, SEASONS))
parse_duration_type = DURATION_TYPES.parse
is_duration_type = DURATION_TYPES.__contains__


# Title types as stored by the ETL.
MOVIE, TV_SHOW = "movie", "tv show"
_TITLE_TYPES = {
    "movie": MOVIE, "movies": MOVIE, "film": MOVIE, "films": MOVIE, "pelicula": MOVIE,
    "película": MOVIE, "peliculas": MOVIE, "películas": MOVIE,
    "tv show": TV_SHOW, "tv shows": TV_SHOW, "tv": TV_SHOW, "show": TV_SHOW, "shows": TV_SHOW,
    "series": TV_SHOW, "serie": TV_SHOW, "tvshow": TV_SHOW, "tv-show": TV_SHOW,
}


TITLE_TYPES = ClosedVocabulary(_TITLE_TYPES, UnknownTitleType, ("movie", "tv"))
parse_title_type = TITLE_TYPES.parse
is_title_type = TITLE_TYPES.__contains__


def duration_type_of(title_type: str) -> str:
    """Movies are measured in minutes and shows in seasons, in every catalog."""
    return MINUTES if title_type == MOVIE else SEASONS


def _is_number(text: str) -> bool:
    # str.isdigit() also accepts superscripts ("²⁰¹⁹") that int() refuses; years are ASCII digits.
    return text.isascii() and text.isdigit()


def parse_year(value: str | int) -> int:
    text = str(value).strip()
    if not _is_number(text) or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise InvalidYear(value)
    return int(text)


def is_year(text: str) -> bool:
    text = str(text).strip()
    return len(text) == 4 and _is_number(text) and MIN_YEAR <= int(text) <= MAX_YEAR


def parse_score(value: str | float) -> float:
    """A score threshold on the 0-5 star scale; a comma works as the decimal mark too."""
    try:
        score = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise InvalidScore(value) from None
    if not 0 <= score <= 5:
        raise InvalidScore(value)
    return score


# Spellings of the same maturity rating found in the raw catalogs (the ETL applies these too).
MATURITY_SPELLINGS = {
    "ages_16_": "16+", "16": "16+", "ages_18_": "18+", "18": "18+", "all_ages": "all", "all ages": "all",
    "not_rate": "nr", "not rated": "nr", "unrated": "nr", "ur": "nr",
}


def normalise_maturity_rating(text: str) -> str:
    word = normalise_word(text)
    return MATURITY_SPELLINGS.get(word, word)


# Other names people type for countries, in English and Spanish -> the name the catalogs use.
# Every value is a country the full catalog lists; keys are matched without accents or case.
COUNTRY_ALIASES = {
    "usa": "united states", "us": "united states", "u.s.": "united states", "u.s.a.": "united states",
    "united states of america": "united states",
    "estados unidos": "united states", "eeuu": "united states", "ee.uu.": "united states", "ee. uu.": "united states",
    "uk": "united kingdom", "u.k.": "united kingdom", "great britain": "united kingdom", "britain": "united kingdom",
    "england": "united kingdom", "reino unido": "united kingdom", "gran bretaña": "united kingdom",
    "inglaterra": "united kingdom",
    "españa": "spain", "francia": "france", "alemania": "germany", "italia": "italy", "japón": "japan",
    "méxico": "mexico", "canadá": "canada", "brasil": "brazil", "corea del sur": "south korea",
    "holanda": "netherlands", "países bajos": "netherlands", "holland": "netherlands",
    "bélgica": "belgium", "suiza": "switzerland", "suecia": "sweden", "noruega": "norway",
    "dinamarca": "denmark", "finlandia": "finland", "irlanda": "ireland", "polonia": "poland",
    "rusia": "russia", "turquía": "turkey", "grecia": "greece", "egipto": "egypt", "marruecos": "morocco",
    "sudáfrica": "south africa", "nueva zelanda": "new zealand", "perú": "peru", "filipinas": "philippines",
    "tailandia": "thailand", "república checa": "czech republic", "czechia": "czech republic",
    "emiratos árabes unidos": "united arab emirates", "uae": "united arab emirates",
    # "Korea" alone means the South in the catalogs (none lists North Korea).
    "corea": "south korea", "korea": "south korea",
}


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_COUNTRY_NAMES = {_without_accents(alias): name for alias, name in COUNTRY_ALIASES.items()}
_QUOTES = "\"'`´‘’“”«»"


def normalise_country(text: str) -> str:
    """A country as typed -> the catalogs' name for it: "USA", "España", "“japon”" -> "united states",
    "spain", "japan". Names without an alias come back lowercase, accents and surrounding quotes removed
    (the catalogs' names have no accents); "" when nothing but quotes and spaces was given."""
    word = _without_accents(normalise_word(text).strip(_QUOTES).strip())
    # Then any language's name for it, from the CLDR ("deutschland", "allemagne", "turquia" -> "germany"…).
    return _COUNTRY_NAMES.get(word) or typed_names().get(word, word)
