"""Country names across languages, from the Unicode CLDR (through Babel) plus the catalogs' own quirks.

The catalogs name countries in English ("united states", "soviet union"); people type them in their
own language ("Deutschland", "Corea", "España") and read them in the bot's ("Alemania"). Babel's CLDR
data names every territory in every language, so neither table is written by hand; the few catalog
names CLDR does not use, and historical countries, are mapped below.
"""
from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale

# Catalog names CLDR spells differently -> the CLDR territory code.
CATALOG_CODES = {"czech republic": "CZ", "hong kong": "HK", "palestine": "PS", "turkey": "TR"}
# Display names the CLDR gives in a form too long for a reply ("RAE de Hong Kong (China)"), or countries
# that no longer exist (no CLDR code), per language.
DISPLAY_OVERRIDES = {
    "es": {"hong kong": "Hong Kong", "palestine": "Palestina", "soviet union": "Unión Soviética",
           "east germany": "Alemania del Este", "west germany": "Alemania Occidental",
           "czech republic": "República Checa", "vatican city": "Ciudad del Vaticano"},
}
# Languages whose names people may type for a country (English first: it wins any clash).
TYPED_LANGUAGES = ("en", "es", "de", "fr", "it", "pt")


def _plain(text: str) -> str:
    """Lowercase without accents: how typed names are compared."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@cache
def _english_codes() -> dict[str, str]:
    """Lowercase English name -> CLDR code, for real countries (no numeric regions)."""
    names = {name.lower(): code for code, name in Locale("en").territories.items() if not code.isdigit()}
    return names | CATALOG_CODES


@cache
def _catalog_name_of_code() -> dict[str, str]:
    """CLDR code -> the English name the catalogs use (the CLDR one unless CATALOG_CODES says otherwise)."""
    names = {code: name for name, code in _english_codes().items()}
    names.update({code: name for name, code in CATALOG_CODES.items()})
    return names


@cache
def typed_names() -> dict[str, str]:
    """Any language's name for a country, lowercase without accents -> the English name the catalogs use."""
    catalog_names = _catalog_name_of_code()
    found: dict[str, str] = {}
    for lang in TYPED_LANGUAGES:
        for code, name in Locale(lang).territories.items():
            if code in catalog_names:
                found.setdefault(_plain(name), catalog_names[code])
    return found


def country_name(name: str, lang: str) -> str | None:
    """The catalog's (lowercase English) country name in `lang`: "germany" -> "Alemania" in Spanish;
    None when unknown (the caller keeps its own spelling). English is left to the caller too."""
    if lang == "en":
        return None
    override = DISPLAY_OVERRIDES.get(lang, {}).get(name)
    if override:
        return override
    code = _english_codes().get(name)
    return Locale(lang).territories.get(code) if code else None
