"""One genre vocabulary for the four catalogs.

Each platform names genres its own way ("Dramas", "TV Dramas", "Drama"; "Kids' TV", "Kids",
"Children & Family Movies"), so without a mapping a drama on Netflix shares no genre with a drama on
Hulu. `LABELS` maps every distinct `listed_in` label of the four raw catalogs (lowercase, as the
ETL stores them) onto `GENRES`; `genres_of` maps a title's labels. Reviewed by hand, label by label:

- a label that names a format, not a genre ("Movies", "TV Shows", "Series") maps to nothing: the
  title's type already says it;
- a label that names two genres ("Sci-Fi & Fantasy", "Romantic Comedy") maps to both;
- a finer label only one platform uses ("Sitcom", "Adult Animation") stays a genre of its own and
  also maps to the broader one ("comedy", "animation") that the other platforms use;
- the "TV " and " Movies" variants map to the genre itself;
- Amazon's "Arts, Entertainment, and Culture" is split by the ETL at its commas into "arts",
  "entertainment" and "and culture": all three map to "arts & culture".

Used by the similarity (and its reasons), the ETL's `genres` column of titles.parquet and the
report's top-genres chart. A label missing from the table is kept as its own genre (never lost),
and a test checks that every label of the raw data is listed here.
"""
from __future__ import annotations

from collections.abc import Iterable

ACTION = "action & adventure"
ADULT_ANIMATION = "adult animation"
ANIMATION = "animation"
ANIME = "anime"
ARTS = "arts & culture"
BIOGRAPHY = "biography"
BLACK_STORIES = "black stories"
CLASSICS = "classics"
COMEDY = "comedy"
CRIME = "crime"
CULT = "cult"
DOCUMENTARY = "documentary"
DRAMA = "drama"
FAITH = "faith & spirituality"
FAMILY = "kids & family"
FANTASY = "fantasy"
FOOD = "food"
GAME_SHOW = "game show"
HISTORY = "history"
HORROR = "horror"
INDEPENDENT = "independent"
INTERNATIONAL = "international"
LATINO = "latino"
LGBTQ = "lgbtq"
LIFESTYLE = "lifestyle"
MUSIC = "music & musicals"
MYSTERY = "mystery"
NATURE = "nature"
NEWS = "news"
REALITY = "reality"
ROMANCE = "romance"
SCIENCE = "science & technology"
SCI_FI = "science fiction"
SITCOM = "sitcom"
SPECIAL_INTEREST = "special interest"
SPORTS = "sports"
STAND_UP = "stand-up comedy"
SUPERHERO = "superhero"
TALK_SHOW = "talk show & variety"
TEEN = "teen"
THRILLER = "thriller"
WAR = "war"
WESTERN = "western"

# listed_in label (lowercase) -> genres; platforms using it in the comment (a Amazon, d Disney+, h Hulu, n Netflix)
LABELS: dict[str, tuple[str, ...]] = {
    "action": (ACTION,),  # a h
    "action & adventure": (ACTION,),  # n
    "action-adventure": (ACTION,),  # d
    "adult animation": (ADULT_ANIMATION, ANIMATION),  # h: Family Guy, Archer; only Hulu tells them from kids' cartoons
    "adventure": (ACTION,),  # a h
    "and culture": (ARTS,),  # a: the end of "Arts, Entertainment, and Culture"
    "animals & nature": (NATURE,),  # d
    "animation": (ANIMATION,),  # a d
    "anime": (ANIME, ANIMATION),  # a d h
    "anime features": (ANIME, ANIMATION),  # n
    "anime series": (ANIME, ANIMATION),  # n
    "anthology": (),  # d: a format (collections of shorts), not a genre
    "arthouse": (INDEPENDENT,),  # a
    "arts": (ARTS,),  # a: "Arts, Entertainment, and Culture"
    "biographical": (BIOGRAPHY,),  # d
    "black stories": (BLACK_STORIES,),  # h
    "british tv shows": (INTERNATIONAL,),  # n: the country column says which
    "buddy": (COMEDY,),  # d: buddy comedies
    "cartoons": (ANIMATION,),  # h
    "children & family movies": (FAMILY,),  # n
    "classic & cult tv": (CLASSICS, CULT),  # n
    "classic movies": (CLASSICS,),  # n
    "classics": (CLASSICS,),  # h
    "comedies": (COMEDY,),  # n
    "comedy": (COMEDY,),  # a d h
    "coming of age": (TEEN,),  # d
    "concert film": (MUSIC,),  # d
    "cooking & food": (FOOD,),  # h
    "crime": (CRIME,),  # d h
    "crime tv shows": (CRIME,),  # n
    "cult movies": (CULT,),  # n
    "dance": (MUSIC,),  # d
    "disaster": (ACTION,),  # d
    "documentaries": (DOCUMENTARY,),  # h n
    "documentary": (DOCUMENTARY,),  # a d
    "docuseries": (DOCUMENTARY,),  # d n
    "drama": (DRAMA,),  # a d h
    "dramas": (DRAMA,),  # n
    "entertainment": (ARTS,),  # a: "Arts, Entertainment, and Culture"
    "faith & spirituality": (FAITH,),  # n
    "faith and spirituality": (FAITH,),  # a
    "family": (FAMILY,),  # d h
    "fantasy": (FANTASY,),  # a d
    "fitness": (LIFESTYLE,),  # a
    "game show / competition": (GAME_SHOW,),  # d
    "game shows": (GAME_SHOW,),  # h
    "health & wellness": (LIFESTYLE,),  # h
    "historical": (HISTORY,),  # a d
    "history": (HISTORY,),  # h
    "horror": (HORROR,),  # a h
    "horror movies": (HORROR,),  # n
    "independent movies": (INDEPENDENT,),  # n
    "international": (INTERNATIONAL,),  # a h
    "international movies": (INTERNATIONAL,),  # n
    "international tv shows": (INTERNATIONAL,),  # n
    "kids": (FAMILY,),  # a d h
    "kids' tv": (FAMILY,),  # n
    "korean tv shows": (INTERNATIONAL,),  # n
    "lgbtq": (LGBTQ,),  # a
    "lgbtq movies": (LGBTQ,),  # n
    "lgbtq+": (LGBTQ,),  # h
    "late night": (TALK_SHOW,),  # h
    "latino": (LATINO,),  # h
    "lifestyle": (LIFESTYLE,),  # d
    "lifestyle & culture": (LIFESTYLE,),  # h
    "medical": (DRAMA,),  # d: medical dramas
    "military and war": (WAR,),  # a
    "movies": (),  # d n: a format
    "music": (MUSIC,),  # d h
    "music & musicals": (MUSIC,),  # n
    "music videos and concerts": (MUSIC,),  # a
    "musical": (MUSIC,),  # d
    "mystery": (MYSTERY,),  # d h
    "news": (NEWS,),  # h
    "parody": (COMEDY,),  # d
    "police/cop": (CRIME,),  # d
    "reality": (REALITY,),  # d h
    "reality tv": (REALITY,),  # n
    "romance": (ROMANCE,),  # a d h
    "romantic comedy": (ROMANCE, COMEDY),  # d
    "romantic movies": (ROMANCE,),  # n
    "romantic tv shows": (ROMANCE,),  # n
    "sci-fi & fantasy": (SCI_FI, FANTASY),  # n
    "science & nature tv": (NATURE, SCIENCE),  # n: Our Planet, Cosmos
    "science & technology": (SCIENCE,),  # h
    "science fiction": (SCI_FI,),  # a d h
    "series": (),  # d: a format
    "sitcom": (SITCOM, COMEDY),  # h: only Hulu says it
    "sketch comedy": (COMEDY,),  # h
    "soap opera / melodrama": (DRAMA,),  # d
    "spanish-language tv shows": (INTERNATIONAL,),  # n
    "special interest": (SPECIAL_INTEREST,),  # a: Amazon's catch-all (how-to, hobbies, talks)
    "sports": (SPORTS,),  # a d h
    "sports movies": (SPORTS,),  # n
    "spy/espionage": (THRILLER,),  # d
    "stand up": (STAND_UP, COMEDY),  # h
    "stand-up comedy": (STAND_UP, COMEDY),  # n
    "stand-up comedy & talk shows": (STAND_UP, COMEDY, TALK_SHOW),  # n
    "superhero": (SUPERHERO, ACTION),  # d
    "survival": (ACTION,),  # d
    "suspense": (THRILLER,),  # a
    "tv action & adventure": (ACTION,),  # n
    "tv comedies": (COMEDY,),  # n
    "tv dramas": (DRAMA,),  # n
    "tv horror": (HORROR,),  # n
    "tv mysteries": (MYSTERY,),  # n
    "tv sci-fi & fantasy": (SCI_FI, FANTASY),  # n
    "tv shows": (),  # a n: a format
    "tv thrillers": (THRILLER,),  # n
    "talk show": (TALK_SHOW,),  # d
    "talk show and variety": (TALK_SHOW,),  # a
    "teen": (TEEN,),  # h
    "teen tv shows": (TEEN,),  # n
    "thriller": (THRILLER,),  # d h
    "thrillers": (THRILLER,),  # n
    "travel": (LIFESTYLE,),  # d
    "unscripted": (REALITY,),  # a
    "variety": (TALK_SHOW,),  # d
    "western": (WESTERN,),  # a d
    "young adult audience": (TEEN,),  # a
}

GENRES: tuple[str, ...] = tuple(sorted({g for genres in LABELS.values() for g in genres}))

# Shelves: where a platform files a title (made abroad, old, on a small budget, a catch-all), not what
# it is like. They stay genres for cards and filters, but the similarity and its reasons leave them
# out: one "International" label tied The Crown to a thousand foreign dramas, and Netflix's "Classic
# & Cult TV" tied Friends to Pulp Fiction and Jericho. The country and year say the same more finely.
SHELVES: frozenset[str] = frozenset({CLASSICS, CULT, INDEPENDENT, INTERNATIONAL, SPECIAL_INTEREST})
# What the similarity ignores besides the shelves: "sitcom", a finer label only Hulu gives, which
# there marks the platform rather than a kind of comedy (How I Met Your Mother is a "Sitcom" on Hulu
# and a "Comedy" on Amazon, Friends a "TV Comedy" on Netflix). "adult animation", Hulu's too, stays:
# it tells Family Guy from kids' cartoons, which nothing else in the data does as well.
NOT_FOR_SIMILARITY: frozenset[str] = SHELVES | {SITCOM}


def genres_of(labels: Iterable[str]) -> tuple[str, ...]:
    """A title's genres in `GENRES` from its listed_in labels, in label order, each once.
    A label the table does not know is kept as it is (lowercase), so no genre is lost."""
    out: dict[str, None] = {}
    for label in labels:
        key = label.strip().lower()
        for genre in LABELS.get(key, (key,) if key else ()):
            out[genre] = None
    return tuple(out)
