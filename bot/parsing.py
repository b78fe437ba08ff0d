"""Typed argument parsing: the words after a command -> the values core expects. Pure functions.

Arguments may come in any order when their types tell them apart: a four-digit year, a platform
name (up to three words: "amazon prime video"), a duration unit, a title type, a score, a user id;
whatever is left is a title or a country. Each kind of word is recognised by core.vocabulary's
parsers, so the bot and core agree on spellings. Bad input raises a CatalogInputError (from core)
or a UsageError (missing or unexpected words), which the shell turns into a reply with the usage line.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.errors import CatalogInputError, InvalidScore, InvalidYear
from core.vocabulary import (
    MINUTES,
    Platform,
    duration_type_of,
    is_duration_type,
    is_platform,
    is_title_type,
    is_year,
    normalise_country,
    normalise_word,
    parse_duration_type,
    parse_platform,
    parse_score,
    parse_title_type,
    parse_year,
)

MAX_ARGUMENT_CHARS = 300  # longer input is refused before any work is done
MAX_USER_ID = 2**31 - 1  # user ids are int32 in the ratings
LANGUAGES = {"en": "en", "english": "en", "inglés": "en", "ingles": "en",
             "es": "es", "spanish": "es", "español": "es", "espanol": "es", "castellano": "es"}
RESET_WORDS = {"all", "any", "none", "reset", "todas", "todo", "ninguna"}
_SCORE = re.compile(r"^[0-9](?:[.,][0-9]+)?$")
_NUMBER = re.compile(r"^[0-9]+$")
_SIGNED_NUMBER = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)?$")  # "-5", "4.5": meant as a number


class UsageError(ValueError):
    """Words missing or not understood. `problem` names the message; `value` is the offending word."""

    def __init__(self, problem: str, value: str = "") -> None:
        self.problem = problem
        self.value = value
        super().__init__(f"{problem}: {value!r}" if value else problem)


class UnknownLanguage(CatalogInputError):
    kind = "language"


@dataclass(frozen=True, slots=True)
class MaxDurationArgs:
    year: int | None
    platform: Platform | None
    unit: str


@dataclass(frozen=True, slots=True)
class ScoreCountArgs:
    platform: Platform
    score: float
    year: int


@dataclass(frozen=True, slots=True)
class ActorArgs:
    platform: Platform
    year: int


@dataclass(frozen=True, slots=True)
class CountryArgs:
    title_type: str
    country: str
    year: int | None


@dataclass(frozen=True, slots=True)
class RecommendArgs:
    user_id: int
    title: str


def words(args: Sequence[str] | str) -> list[str]:
    """Split the arguments into words, refusing over-long input up front."""
    text = args if isinstance(args, str) else " ".join(args)
    if len(text) > MAX_ARGUMENT_CHARS:
        raise UsageError("too_long")
    return text.split()


def _take(tokens: list[str], accepts: Callable[[str], bool], max_words: int = 1) -> str | None:
    """Remove and return the first run of up to `max_words` words that `accepts` (longest run first)."""
    for start in range(len(tokens)):
        for size in range(min(max_words, len(tokens) - start), 0, -1):
            phrase = " ".join(tokens[start:start + size])
            if accepts(phrase):
                del tokens[start:start + size]
                return phrase
    return None


def _no_leftovers(tokens: list[str]) -> None:
    if tokens:
        word = tokens[0]
        if _NUMBER.match(word) and not is_year(word):
            raise InvalidYear(word)
        raise UsageError("unexpected", " ".join(tokens))


def _platform(tokens: list[str], required: bool) -> Platform | None:
    phrase = _take(tokens, is_platform, max_words=3)
    if phrase is not None:
        return parse_platform(phrase)
    if required:
        # A single leftover word that is not a number is most likely a misspelt platform.
        words_left = [w for w in tokens if not _NUMBER.match(w) and not _SCORE.match(w)]
        if words_left:
            return parse_platform(words_left[0])  # raises UnknownPlatform with the choices
        raise UsageError("missing_platform")
    return None


def _year(tokens: list[str], required: bool) -> int | None:
    phrase = _take(tokens, is_year)
    if phrase is not None:
        return parse_year(phrase)
    if required:
        _missing_year(tokens)
    return None


def _missing_year(tokens: list[str]) -> None:
    """No four-digit year: a number left over was meant as one; otherwise the year is missing."""
    number = next((w for w in tokens if _NUMBER.match(w)), None)
    raise InvalidYear(number) if number else UsageError("missing_year")


def max_duration(args: Sequence[str]) -> MaxDurationArgs:
    """`[year] [platform] [min|season]` in any order; minutes by default."""
    tokens = words(args)
    year = _year(tokens, required=False)
    platform = _platform(tokens, required=False)
    unit = _take(tokens, is_duration_type)
    if unit is None and (kind := _take(tokens, is_title_type)):  # "tv" means seasons, "movie" minutes
        unit = duration_type_of(parse_title_type(kind))
    if tokens and not _NUMBER.match(tokens[0]):
        parse_platform(tokens[0])  # an unknown word here is most likely a misspelt platform
    _no_leftovers(tokens)
    return MaxDurationArgs(year, platform, parse_duration_type(unit) if unit else MINUTES)


def score_count(args: Sequence[str]) -> ScoreCountArgs:
    """`<platform> <score> <year>` in any order: the year has four digits, the score is 0 to 5."""
    tokens = words(args)
    year = _year(tokens, required=False)
    platform = _platform(tokens, required=True)
    score_word = _take(tokens, lambda w: bool(_SCORE.match(w)))
    if score_word is None:
        if tokens:
            raise InvalidScore(tokens[0])
        raise UsageError("missing_score")
    if year is None:
        _missing_year(tokens)
    _no_leftovers(tokens)
    return ScoreCountArgs(platform, parse_score(score_word), year)


def count(args: Sequence[str]) -> Platform:
    tokens = words(args)
    platform = _platform(tokens, required=True)
    _no_leftovers(tokens)
    return platform


def actor(args: Sequence[str]) -> ActorArgs:
    """`<platform> <year>` in any order."""
    tokens = words(args)
    year = _year(tokens, required=False)
    platform = _platform(tokens, required=True)
    if year is None:
        _missing_year(tokens)
    _no_leftovers(tokens)
    return ActorArgs(platform, year)


def country(args: Sequence[str]) -> CountryArgs:
    """`<movie|tv> <country> [year]` in any order; the words left over are the country."""
    tokens = words(args)
    year = _year(tokens, required=False)
    kind = _take(tokens, is_title_type, max_words=2)
    if kind is None:
        raise UsageError("missing_type")
    if not normalise_country(" ".join(tokens)):  # nothing, or only quotes ("")
        raise UsageError("missing_country")
    return CountryArgs(parse_title_type(kind), normalise_word(" ".join(tokens)), year)


def maturity_rating(args: Sequence[str]) -> str:
    tokens = words(args)
    if not tokens:
        raise UsageError("missing_rating")
    return " ".join(tokens)


def title(args: Sequence[str]) -> str:
    tokens = words(args)
    if not tokens:
        raise UsageError("missing_title")
    return " ".join(tokens)


def person(args: Sequence[str]) -> str:
    tokens = words(args)
    if not tokens:
        raise UsageError("missing_person")
    return " ".join(tokens)


def recommend(args: Sequence[str]) -> RecommendArgs:
    """`<user_id> <title>` in any order: the first whole number is the user id, the rest the title."""
    tokens = words(args)
    signed = next((w for w in tokens if _SIGNED_NUMBER.match(w)), None)
    if signed is not None and not _NUMBER.match(signed):  # "-5" or "4.5" was meant as the id, wrongly
        raise UsageError("bad_user", signed)
    number = _take(tokens, lambda w: bool(_NUMBER.match(w)))
    if number is None:
        raise UsageError("missing_user")
    if int(number) > MAX_USER_ID:  # a positive whole number still: "use a positive whole number" would mislead
        raise UsageError("user_too_large", number)
    if not tokens:
        raise UsageError("missing_title")
    return RecommendArgs(int(number), " ".join(tokens))


def language(args: Sequence[str]) -> str:
    tokens = words(args)
    if len(tokens) != 1 or normalise_word(tokens[0]) not in LANGUAGES:
        raise UnknownLanguage(" ".join(tokens), ("es", "en"))
    return LANGUAGES[normalise_word(tokens[0])]


def platforms(args: Sequence[str]) -> tuple[Platform, ...] | None:
    """The user's services: platform names in any order; `all` (or no services) means every platform."""
    tokens = [w.strip(",") for w in words(args)]
    tokens = [w for w in tokens if w]
    if len(tokens) == 1 and normalise_word(tokens[0]) in RESET_WORDS:
        return None
    chosen: list[Platform] = []
    while tokens:
        phrase = _take(tokens, is_platform, max_words=3)
        platform = parse_platform(phrase if phrase is not None else tokens[0])  # raises on an unknown word
        if platform not in chosen:
            chosen.append(platform)
    if not chosen:
        raise UsageError("missing_platform")
    return tuple(chosen)


def stats(args: Sequence[str]) -> Platform | None:
    """`[platform]`: one platform, or every platform when none is given."""
    tokens = words(args)
    platform = _platform(tokens, required=bool(tokens))
    _no_leftovers(tokens)
    return platform
