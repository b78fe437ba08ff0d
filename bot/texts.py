"""Every sentence the bot says, in English and Spanish. `text(lang, key, **values)` picks and fills one.

Values are inserted as given: the renderer escapes user text before it gets here.
"""
from __future__ import annotations

from bot.movienight_texts import MOVIE_NIGHT_TEXTS
from bot.personal_texts import PERSONAL_TEXTS
from core.vocabulary import MAX_YEAR, MIN_YEAR

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"

TEXTS: dict[str, dict[str, str]] = {
    # ---- start, help, settings --------------------------------------------------------------
    "welcome": {
        "en": "Hi {name}! I know the catalogs of Amazon Prime Video, Disney+, Hulu and Netflix: {count} titles.\n"
              "Send me a title to see where it streams, or try /where, /similar and /recommend.\n"
              "/help lists everything; /lang es switches to Spanish.",
        "es": "¡Hola, {name}! Conozco los catálogos de Amazon Prime Video, Disney+, Hulu y Netflix: {count} títulos.\n"
              "Envíame un título para ver dónde se ve, o prueba /donde, /similares y /recomendar.\n"
              "/ayuda lo lista todo; /idioma en cambia a inglés.",
    },
    "help_header": {"en": "<b>What I can do</b>", "es": "<b>Lo que sé hacer</b>"},
    "help_footer": {
        "en": "Arguments go in any order. Send a plain title to see its card; in any chat, type @{bot} and a title.\n"
              "The data: the {scope}, not today's catalog in your country.",
        "es": "Los argumentos van en cualquier orden. Envía un título para ver su ficha; en cualquier chat, "
              "escribe @{bot} y un título.\nLos datos: los {scope}, no el catálogo de hoy en tu país.",
    },
    # What the catalogs are, in a few words: on cards, in /help and wherever a title is "not on these services".
    "catalog_scope": {
        "en": "US catalogs as published in 2021", "es": "catálogos de EE. UU. publicados en 2021",
    },
    "also": {"en": "also", "es": "también"},
    "lang_set": {"en": "I'll answer in English.", "es": "Te responderé en español."},
    "platforms_set": {
        "en": "Your services: {platforms}. Search and recommendations prefer them; /platforms all resets.",
        "es": "Tus servicios: {platforms}. La búsqueda y las recomendaciones los priorizan; /plataformas todas "
              "lo restablece.",
    },
    "platforms_reset": {
        "en": "Preferences cleared: I'll treat every platform alike.",
        "es": "Preferencias borradas: trataré todas las plataformas por igual.",
    },
    "platforms_private": {
        "en": "Your services are yours alone: tell me them in a private chat, @{bot} → /platforms.",
        "es": "Tus servicios son solo tuyos: dímelos en un chat privado, @{bot} → /plataformas.",
    },
    "platforms_current": {
        "en": "Your services: {platforms}. Change them with /platforms netflix hulu…",
        "es": "Tus servicios: {platforms}. Cámbialos con /plataformas netflix hulu…",
    },
    "platforms_none": {"en": "all platforms", "es": "todas las plataformas"},
    # ---- errors the user can fix --------------------------------------------------------------
    "usage": {"en": "Usage: {usage}", "es": "Uso: {usage}"},
    "unknown_platform": {
        "en": "I don't know the platform “{value}”. Try one of: {choices}.",
        "es": "No conozco la plataforma «{value}». Prueba con: {choices}.",
    },
    "unknown_duration_type": {
        "en": "“{value}” is not a duration unit: use min or season.",
        "es": "«{value}» no es una unidad de duración: usa min o temporada.",
    },
    "unknown_title_type": {
        "en": "“{value}” is not a type: use movie or tv.",
        "es": "«{value}» no es un tipo: usa película o serie.",
    },
    "invalid_year": {  # "four digits" alone misled: 1800 has four and is refused too
        "en": f"“{{value}}” is not a year: use one from {MIN_YEAR} to {MAX_YEAR}, e.g. 2019.",
        "es": f"«{{value}}» no es un año: usa uno de {MIN_YEAR} a {MAX_YEAR}, p. ej. 2019.",
    },
    "invalid_score": {
        "en": "“{value}” is not a score: use a number from 0 to 5, e.g. 3.5.",
        "es": "«{value}» no es una puntuación: usa un número de 0 a 5, p. ej. 3,5.",
    },
    "unknown_maturity_rating": {
        "en": "I don't know the rating “{value}”. Known ratings: {choices}.",
        "es": "No conozco la clasificación «{value}». Las conocidas: {choices}.",
    },
    "unknown_country": {
        "en": "No title lists the country “{value}”. Did you mean {choices}?",
        "es": "Ningún título es del país «{value}». ¿Quizá {choices}?",
    },
    "unknown_language": {
        "en": "I speak English (en) and Spanish (es).", "es": "Hablo español (es) e inglés (en).",
    },
    "unknown_argument": {"en": "I don't understand “{value}”.", "es": "No entiendo «{value}»."},
    "unexpected": {"en": "I don't understand “{value}”.", "es": "No entiendo «{value}»."},
    "too_long": {
        "en": "That's too long for me: keep it under {limit} characters.",
        "es": "Es demasiado largo: no pases de {limit} caracteres.",
    },
    "missing_platform": {"en": "Which platform?", "es": "¿Qué plataforma?"},
    "missing_year": {"en": "Which year?", "es": "¿Qué año?"},
    "missing_score": {"en": "Above which score?", "es": "¿Por encima de qué puntuación?"},
    "missing_type": {"en": "Movies or TV shows?", "es": "¿Películas o series?"},
    "missing_country": {"en": "Which country?", "es": "¿Qué país?"},
    "missing_rating": {"en": "Which maturity rating?", "es": "¿Qué clasificación por edades?"},
    "missing_title": {"en": "Which title?", "es": "¿Qué título?"},
    "missing_person": {"en": "Which actor or director?", "es": "¿Qué actor o director?"},
    "missing_user": {"en": "Which user id?", "es": "¿Qué id de usuario?"},
    "bad_user": {
        "en": "“{value}” is not a user id: use a positive whole number, e.g. 42.",
        "es": "«{value}» no es un id de usuario: usa un número entero positivo, p. ej. 42.",
    },
    "user_too_large": {
        "en": "No user has the id “{value}”: user ids go up to 2147483647.",
        "es": "Ningún usuario tiene el id «{value}»: los id de usuario llegan hasta 2147483647.",
    },
    "unknown_command": {
        "en": "I don't know that command. /help lists what I can do.",
        "es": "No conozco ese comando. /ayuda lista lo que sé hacer.",
    },
    "photo": {
        "en": "I read text, not pictures: send me a title (or put it in the photo's caption).",
        "es": "Leo texto, no imágenes: envíame un título (o ponlo en el pie de la foto).",
    },
    "stale_button": {"en": "This button has expired.", "es": "Este botón ha caducado."},
    "throttled": {
        "en": "You're sending messages very fast: I'll answer again in a few seconds.",
        "es": "Envías mensajes muy rápido: te responderé de nuevo en unos segundos.",
    },
    "error": {
        "en": "Sorry, something went wrong on my side. Please try again in a moment.",
        "es": "Lo siento, algo ha fallado por mi parte. Inténtalo de nuevo en un momento.",
    },
    # ---- catalog queries ------------------------------------------------------------------------
    "movie": {"en": "movie", "es": "película"},
    "tv show": {"en": "TV show", "es": "serie"},
    "movies": {"en": "movies", "es": "películas"},
    "tv shows": {"en": "TV shows", "es": "series"},
    "min": {"en": "min", "es": "min"},
    "season": {"en": "season", "es": "temporada"},
    "seasons": {"en": "seasons", "es": "temporadas"},
    "any_platform": {"en": "any platform", "es": "cualquier plataforma"},
    "any_year": {"en": "any year", "es": "cualquier año"},
    "max_duration": {
        "en": "The longest {kind} ({filters}): {titles}, {duration}.",
        "es": "La {kind} más larga ({filters}): {titles}, {duration}.",
    },
    "max_duration_tie": {"en": "{count} titles tie", "es": "{count} títulos empatan"},
    "max_duration_none": {
        "en": "No {kind} matches ({filters}).", "es": "Ninguna {kind} coincide ({filters}).",
    },
    "score_count": {
        "en": "{platform}, released in {year}, scored above {score}: {movies} {movies_word} and {shows} {shows_word}.",
        "es": "{platform}, estrenadas en {year}, con puntuación mayor que {score}: {movies} {movies_word} y "
              "{shows} {shows_word}.",
    },
    "count": {
        "en": "{platform} has {total} titles: {movies} {movies_word} and {shows} {shows_word}.",
        "es": "{platform} tiene {total} títulos: {movies} {movies_word} y {shows} {shows_word}.",
    },
    "actors": {
        "en": "Most frequent cast on {platform} in titles from {year}:",
        "es": "Reparto más frecuente en {platform} en títulos de {year}:",
    },
    "actor_line": {"en": "{name} ({count} {titles_word})", "es": "{name} ({count} {titles_word})"},
    "actors_tied": {
        "en": "…and {others} more with {count} {titles_word} each.",
        "es": "…y {others} más con {count} {titles_word} cada uno.",
    },
    "title": {"en": "title", "es": "título"},
    "titles": {"en": "titles", "es": "títulos"},
    "actors_none": {
        "en": "No cast is listed for {platform} titles from {year}.",
        "es": "No hay reparto para títulos de {platform} de {year}.",
    },
    "country": {
        "en": "{kinds} from {country}{year}: {count}.", "es": "{kinds} de {country}{year}: {count}.",
    },
    "country_year": {"en": " released in {year}", "es": " estrenadas en {year}"},
    "rating": {"en": "Titles rated {rating}: {count}.", "es": "Títulos con clasificación {rating}: {count}."},
    "rating_with_unrated": {
        "en": "Titles rated {rating}: {count}. Of them, {rated} are rated {rating} by their service and {unrated} "
              "have no rating at all, counted as {rating} by the catalog's rule.",
        "es": "Títulos con clasificación {rating}: {count}. De ellos, {rated} tienen la clasificación {rating} de su "
              "servicio y {unrated} no tienen ninguna, contados como {rating} por la regla del catálogo.",
    },
    "not_rated": {"en": "not rated", "es": "sin clasificar"},
    "duration_unknown": {"en": "duration unknown", "es": "duración desconocida"},
    # ---- titles, search, recommendations ----------------------------------------------------------
    "did_you_mean": {"en": "Did you mean…", "es": "¿Quisiste decir…?"},
    # an absence is only true of the catalogs we have: `scope` is "catalog_scope"
    "not_on_services": {
        "en": "“{value}” is not on Amazon Prime Video, Disney+, Hulu or Netflix (their {scope}).",
        "es": "«{value}» no está en Amazon Prime Video, Disney+, Hulu ni Netflix (sus {scope}).",
    },
    "similar_names": {"en": "Titles with a similar name:", "es": "Títulos con un nombre parecido:"},
    "check_spelling": {
        "en": "If you meant another title, check the spelling or try fewer words.",
        "es": "Si buscabas otro título, revisa la ortografía o prueba con menos palabras.",
    },
    "person_titles": {
        "en": "Titles with <b>{name}</b> on Amazon Prime Video, Disney+, Hulu or Netflix: {count}.",
        "es": "Títulos con <b>{name}</b> en Amazon Prime Video, Disney+, Hulu o Netflix: {count}.",
    },
    "role_cast": {"en": "cast", "es": "reparto"},
    "role_director": {"en": "director", "es": "dirección"},
    "person_none": {
        "en": "No actor or director named “{value}” is in the catalogs.",
        "es": "Ningún actor ni director llamado «{value}» figura en los catálogos.",
    },
    "person_label": {"en": "{name} ({count} titles)", "es": "{name} ({count} títulos)"},
    "button_person": {"en": "Titles with {name}", "es": "Títulos con {name}"},
    "inline_absent": {"en": "Not on these services: {value}", "es": "No está en estos servicios: {value}"},
    "on": {"en": "On", "es": "En"},
    "genres": {"en": "Genres", "es": "Géneros"},
    "cast": {"en": "Cast", "es": "Reparto"},
    "score": {"en": "★ {score} ({count} {ratings_word})", "es": "★ {score} ({count} {ratings_word})"},
    "user_rating": {"en": "rating", "es": "valoración"},
    "user_ratings": {"en": "ratings", "es": "valoraciones"},
    "no_score": {"en": "not rated yet", "es": "sin valoraciones"},
    "where": {"en": "<b>{title}</b> streams on:", "es": "<b>{title}</b> se puede ver en:"},
    "similar": {"en": "Titles like <b>{title}</b>:", "es": "Títulos parecidos a <b>{title}</b>:"},
    "similar_none": {
        "en": "I have nothing similar to <b>{title}</b>.", "es": "No tengo nada parecido a <b>{title}</b>.",
    },
    "page": {"en": "({first}–{last})", "es": "({first}–{last})"},
    "recommend_yes": {
        "en": "User {user} would rate <b>{title}</b> ★ {predicted}: recommended.",
        "es": "El usuario {user} puntuaría <b>{title}</b> con ★ {predicted}: recomendada.",
    },
    "recommend_no": {
        "en": "User {user} would rate <b>{title}</b> ★ {predicted}: probably not for them.",
        "es": "El usuario {user} puntuaría <b>{title}</b> con ★ {predicted}: probablemente no le guste.",
    },
    "recommend_unknown_user": {
        "en": "User {user} has no ratings yet, so I can't say how they'd rate <b>{title}</b>.",
        "es": "El usuario {user} aún no tiene valoraciones: no puedo prever cómo puntuaría <b>{title}</b>.",
    },
    "based_on": {
        "en": "Based on {count} similar titles they rated (their average: ★ {mean}).",
        "es": "Basado en {count} títulos parecidos que ha valorado (su media: ★ {mean}).",
    },
    "based_on_one": {
        "en": "Based on the one similar title they rated (their average: ★ {mean}).",
        "es": "Basado en el único título parecido que ha valorado (su media: ★ {mean}).",
    },
    "recommend_own": {
        "en": "User {user} rated <b>{title}</b> ★ {rating} themselves.",
        "es": "El usuario {user} valoró <b>{title}</b> con ★ {rating}.",
    },
    "recommend_unsure": {
        "en": "User {user} rated nothing similar to <b>{title}</b>, so I can't tell whether they'd like it "
              "(their average: ★ {mean}).",
        "es": "El usuario {user} no ha valorado nada parecido a <b>{title}</b>, así que no sé si le gustaría "
              "(su media: ★ {mean}).",
    },
    "suggestions_instead": {"en": "Instead, they might like:", "es": "En su lugar, podría gustarle:"},
    "reason_directors": {"en": "same director: {names}", "es": "mismo director: {names}"},
    "reason_cast": {"en": "cast: {names}", "es": "reparto: {names}"},
    "reason_genres": {"en": "genres: {names}", "es": "géneros: {names}"},
    "reason_story": {"en": "a similar story", "es": "una historia parecida"},
    "like_it": {"en": "Titles like it:", "es": "Títulos parecidos:"},
    "suggestions": {"en": "They might also like:", "es": "También podría gustarle:"},
    "stats_caption": {
        "en": "Titles per release year and type — {platform}.\n{finding}",
        "es": "Títulos por año de estreno y tipo — {platform}.\n{finding}",
    },
    "stats_summary": {
        "en": "{total} titles released {first}–{last}; the peak is {peak} ({peak_titles} titles, "
              "{peak_shows} TV shows) and {recent}% were released in 2015 or later.",
        "es": "{total} títulos estrenados entre {first} y {last}; el pico es {peak} ({peak_titles} títulos, "
              "{peak_shows} series) y el {recent}% se estrenó en 2015 o después.",
    },
    "stats_empty": {"en": "No titles to chart.", "es": "No hay títulos que mostrar."},
    "all_platforms": {"en": "all platforms", "es": "todas las plataformas"},
    "chart_release_year": {"en": "release year", "es": "año de estreno"},
    "chart_heading": {"en": "Titles per release year: {where}", "es": "Títulos por año de estreno: {where}"},
    # ---- buttons and inline mode --------------------------------------------------------------------
    "button_similar": {"en": "Similar", "es": "Similares"},
    "button_where": {"en": "Where to watch", "es": "Dónde verla"},
    "button_share": {"en": "Share", "es": "Compartir"},
    "button_more": {"en": "More ›", "es": "Más ›"},
    "button_back": {"en": "‹ Back", "es": "‹ Atrás"},
    "button_open": {"en": "Open in the bot", "es": "Abrir en el bot"},
    "inline_help": {"en": "How to search", "es": "Cómo buscar"},
    "inline_rec_title": {
        "en": "User {user} · {title}: ★ {predicted}", "es": "Usuario {user} · {title}: ★ {predicted}",
    },
    "inline_rec_usage": {
        "en": "Type: rec <user id> <title>", "es": "Escribe: rec <id de usuario> <título>",
    },
}

TEXTS.update(PERSONAL_TEXTS)
TEXTS.update(MOVIE_NIGHT_TEXTS)


def text(lang: str, key: str, **values: object) -> str:
    entry = TEXTS[key]
    template = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return template.format(**values) if values else template


def language_of(code: str | None) -> str:
    """A Telegram `language_code` ("es", "es-419", "en-GB", None) -> a language the bot speaks."""
    base = (code or "").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE
