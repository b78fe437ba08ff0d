"""Errors a user can cause with a query; the bot turns each into a helpful reply."""
from __future__ import annotations


class CatalogInputError(ValueError):
    """A query argument that cannot be understood. `value` is what the user gave."""

    kind = "argument"

    def __init__(self, value: object, choices: tuple[str, ...] = ()) -> None:
        self.value = value
        self.choices = choices
        hint = f"; expected one of: {', '.join(choices)}" if choices else ""
        super().__init__(f"unknown {self.kind} {value!r}{hint}")


class UnknownPlatform(CatalogInputError):
    kind = "platform"


class UnknownDurationType(CatalogInputError):
    kind = "duration type"


class UnknownTitleType(CatalogInputError):
    kind = "title type"


class InvalidYear(CatalogInputError):
    kind = "year"


class InvalidScore(CatalogInputError):
    kind = "score"


class DataNotFound(RuntimeError):
    """The processed data folder is missing or incomplete (run `python -m etl`)."""


class UnknownMaturityRating(CatalogInputError):
    kind = "maturity rating"


class UnknownCountry(CatalogInputError):
    """No title lists the country; `choices` are the closest names that some title does list."""

    kind = "country"
