"""Genre names in the reader's language.

The genre vocabulary (core/genres.py) is lowercase English, shared by the four catalogs; cards,
suggestion reasons and inline results show it in English as title case and in Spanish from this
table, written by hand for every genre of the vocabulary (a test checks none is missing). A genre
the table lacks (a label the vocabulary keeps as its own) falls back to its title-cased English.
"""
from __future__ import annotations

SPANISH: dict[str, str] = {
    "action & adventure": "Acción y aventura",
    "adult animation": "Animación para adultos",
    "animation": "Animación",
    "anime": "Anime",
    "arts & culture": "Arte y cultura",
    "biography": "Biografía",
    "black stories": "Historias afroamericanas",
    "classics": "Clásicos",
    "comedy": "Comedia",
    "crime": "Policíaco",
    "cult": "De culto",
    "documentary": "Documental",
    "drama": "Drama",
    "faith & spirituality": "Fe y espiritualidad",
    "fantasy": "Fantasía",
    "food": "Gastronomía",
    "game show": "Concurso",
    "history": "Historia",
    "horror": "Terror",
    "independent": "Independiente",
    "international": "Internacional",
    "kids & family": "Infantil y familiar",
    "latino": "Latino",
    "lgbtq": "LGBTQ",
    "lifestyle": "Estilo de vida",
    "music & musicals": "Música y musicales",
    "mystery": "Misterio",
    "nature": "Naturaleza",
    "news": "Actualidad",
    "reality": "Telerrealidad",
    "romance": "Romántico",
    "science & technology": "Ciencia y tecnología",
    "science fiction": "Ciencia ficción",
    "sitcom": "Comedia de situación",
    "special interest": "Interés especial",
    "sports": "Deportes",
    "stand-up comedy": "Monólogos",
    "superhero": "Superhéroes",
    "talk show & variety": "Entrevistas y variedades",
    "teen": "Juvenil",
    "thriller": "Suspense",
    "war": "Bélico",
    "western": "Wéstern",
}


def genre_name(genre: str, lang: str) -> str | None:
    """A vocabulary genre in `lang` ("horror" -> "Terror" in Spanish); None for English or an unknown
    genre (the caller title-cases the English)."""
    return SPANISH.get(genre) if lang == "es" else None
