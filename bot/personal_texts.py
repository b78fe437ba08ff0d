"""The sentences of the personal features (ratings, seen, watchlist, picks, import, your data), in English
and Spanish; `bot.texts` merges them into its table, so `text(lang, key)` finds them like any other."""
from __future__ import annotations

PERSONAL_TEXTS: dict[str, dict[str, str]] = {
    "storage_down": {
        "en": "I can't save that right now. Please try again in a little while.",
        "es": "Ahora mismo no puedo guardarlo. Inténtalo de nuevo dentro de un rato.",
    },
    "not_yours": {"en": "That list belongs to someone else.", "es": "Esa lista es de otra persona."},
    # ---- buttons on every card ----------------------------------------------------------------------
    "button_seen": {"en": "✓ Seen", "es": "✓ Vista"},
    "button_watchlist": {"en": "+ Watchlist", "es": "+ Pendientes"},
    "button_hide": {"en": "✗ Not for me", "es": "✗ No es para mí"},
    # the same buttons on the person's own card, when that mark is on (pressing again undoes it)
    "button_seen_on": {"en": "✅ Seen", "es": "✅ Vista"},
    "button_watchlist_on": {"en": "📌 On watchlist", "es": "📌 En pendientes"},
    "button_hide_on": {"en": "🚫 Not for me", "es": "🚫 No es para mí"},
    "state": {"en": "You: {marks}", "es": "Tú: {marks}"},
    "state_seen": {"en": "seen", "es": "vista"},
    "state_listed": {"en": "on your watchlist", "es": "en tus pendientes"},
    "state_hidden": {"en": "not for you (hidden from suggestions)", "es": "no es para ti (fuera de las sugerencias)"},
    "lines_legend": {
        "en": "<i>Buttons: the number opens the title; ☆ rate, ✓ seen, + watchlist, ✗ not for me.</i>",
        "es": "<i>Botones: el número abre el título; ☆ puntuar, ✓ vista, + pendientes, ✗ no es para mí.</i>",
    },
    "rate_which": {"en": "How many stars for {title}?", "es": "¿Cuántas estrellas le das a {title}?"},
    "rated": {
        "en": "You rated {title} {stars}. Press the same star again to remove it.",
        "es": "Has puntuado {title} con {stars}. Pulsa la misma estrella para quitarla.",
    },
    "unrated": {"en": "Your rating of {title} is removed.", "es": "Quitada tu puntuación de {title}."},
    "seen_on": {"en": "{title}: marked seen. Press again to undo.", "es": "{title}: marcada como vista. "
                                                                         "Pulsa otra vez para deshacerlo."},
    "seen_off": {"en": "{title}: no longer marked seen.", "es": "{title}: ya no está marcada como vista."},
    "watch_on": {"en": "{title} is on your watchlist (/watchlist).", "es": "{title} está en tus pendientes "
                                                                          "(/pendientes)."},
    "watch_off": {"en": "{title} is off your watchlist.", "es": "{title} ya no está en tus pendientes."},
    "hide_on": {"en": "{title}: not for you, I won't suggest it again. Press again to undo.",
                "es": "{title}: no es para ti, no te la volveré a sugerir. Pulsa otra vez para deshacerlo."},
    "hide_off": {"en": "{title} can be suggested to you again.", "es": "{title} puede volver a sugerírsete."},
    # ---- /seen, /hide and their undoing, typed -------------------------------------------------------
    "typed_seen_on": {
        "en": "Marked <b>{title}</b> as seen: it leaves your picks. /unseen {title} undoes it.",
        "es": "<b>{title}</b> marcada como vista: sale de tus sugerencias. /novista {title} lo deshace.",
    },
    "typed_seen_off": {"en": "<b>{title}</b> is no longer marked seen.",
                       "es": "<b>{title}</b> ya no está marcada como vista."},
    "typed_seen_was_off": {"en": "<b>{title}</b> wasn't marked seen: nothing to undo.",
                           "es": "<b>{title}</b> no estaba marcada como vista: no hay nada que deshacer."},
    "typed_hide_on": {
        "en": "<b>{title}</b>: not for you. I won't suggest it again. /unhide {title} undoes it.",
        "es": "<b>{title}</b>: no es para ti. No te la volveré a sugerir. /mostrar {title} lo deshace.",
    },
    "typed_hide_off": {"en": "<b>{title}</b> can be suggested to you again.",
                       "es": "<b>{title}</b> puede volver a sugerírsete."},
    "typed_hide_was_off": {"en": "<b>{title}</b> wasn't hidden: nothing to undo.",
                           "es": "<b>{title}</b> no estaba oculta: no hay nada que deshacer."},
    # ---- /rate ---------------------------------------------------------------------------------------------
    "rate_how": {
        "en": "How many stars for <b>{title}</b>? Press one, or type /rate {query} 4.5",
        "es": "¿Cuántas estrellas le das a <b>{title}</b>? Pulsa una o escribe /puntuar {query} 4,5",
    },
    "rate_done": {
        "en": "Saved: you rated <b>{title}</b> {stars}. /foryou has picks for your taste.",
        "es": "Guardado: has puntuado <b>{title}</b> con {stars}. /parati tiene sugerencias a tu gusto.",
    },
    "bad_stars": {
        "en": "“{value}” is not a number of stars: use 0.5 to 5 in half steps, e.g. 4.5.",
        "es": "«{value}» no es un número de estrellas: usa de 0,5 a 5 en medios puntos, p. ej. 4,5.",
    },
    "rating_is_maturity": {
        "en": "/rating counts titles by maturity rating (pg-13, tv-ma…). To give <b>{title}</b> your own stars, "
              "use /rate {title} {stars}",
        "es": "/clasificacion cuenta títulos por clasificación por edades (pg-13, tv-ma…). Para dar tus "
              "estrellas a <b>{title}</b>, usa /puntuar {title} {stars}",
    },
    # ---- /foryou, /recommend for the person ----------------------------------------------------------------
    "foryou": {"en": "<b>Picks for you</b>, on your services:", "es": "<b>Para ti</b>, en tus servicios:"},
    "foryou_popular": {
        "en": "You haven't rated anything yet, so here are well-known titles on your services, of every kind. "
              "Rate them with ☆ (or any card's stars), or answer a few quick questions, and these become yours:",
        "es": "Aún no has puntuado nada, así que aquí tienes títulos conocidos de tus servicios, de todo tipo. "
              "Puntúalos con ☆ (o con las estrellas de cualquier ficha), o responde unas preguntas rápidas, y "
              "esto pasará a ser para ti:",
    },
    "button_ask_me": {"en": "⭐ Rate 10 popular titles", "es": "⭐ Puntuar 10 títulos populares"},
    "foryou_none": {
        "en": "I have nothing left to suggest on your services: try /platforms all.",
        "es": "No me queda nada que sugerirte en tus servicios: prueba /plataformas todas.",
    },
    "because": {"en": "because you liked {title}", "es": "porque te gustó {title}"},
    "you_would_rate": {"en": "you'd rate it ★ {stars}", "es": "le darías ★ {stars}"},
    "you_rated": {"en": "You rated <b>{title}</b> {stars}.", "es": "Le diste a <b>{title}</b> {stars}."},
    "you_no_ratings": {
        "en": "Rate a few titles first (the stars on any card, or /start) and I'll predict how you'd rate "
              "<b>{title}</b>.",
        "es": "Puntúa antes algunos títulos (las estrellas de cualquier ficha, o /inicio) y te diré cuánto te "
              "gustaría <b>{title}</b>.",
    },
    "you_yes": {
        "en": "You'd rate <b>{title}</b> ★ {predicted}: recommended.",
        "es": "Le darías a <b>{title}</b> ★ {predicted}: recomendada.",
    },
    "you_no": {
        "en": "You'd rate <b>{title}</b> ★ {predicted}: probably not for you.",
        "es": "Le darías a <b>{title}</b> ★ {predicted}: probablemente no es para ti.",
    },
    "you_based_on": {
        "en": "Based on {count} similar titles you rated (your average: ★ {mean}).",
        "es": "Según {count} títulos parecidos que puntuaste (tu media: ★ {mean}).",
    },
    "you_might_like": {"en": "You might also like:", "es": "También te podría gustar:"},
    "private_only": {
        "en": "That's personal: I show it in our private chat.",
        "es": "Eso es personal: te lo enseño en nuestro chat privado.",
    },
    # ---- /watchlist ------------------------------------------------------------------------------------------
    "watchlist": {"en": "<b>Your watchlist</b> ({count}):", "es": "<b>Tus pendientes</b> ({count}):"},
    "watchlist_empty": {
        "en": "Your watchlist is empty: press “+ Watchlist” on any title card.",
        "es": "No tienes pendientes: pulsa «+ Pendientes» en la ficha de cualquier título.",
    },
    "button_tonight": {"en": "🎲 Pick one for tonight", "es": "🎲 Elige una para esta noche"},
    # ---- the first /start ------------------------------------------------------------------------------------
    "onboard_welcome": {
        "en": "Hi {name}! I know what Amazon Prime Video, Disney+, Hulu and Netflix stream, and I can learn "
              "your taste. Two quick questions (you can stop at any time).",
        "es": "¡Hola, {name}! Sé lo que hay en Amazon Prime Video, Disney+, Hulu y Netflix, y puedo aprender "
              "tus gustos. Dos preguntas rápidas (puedes parar cuando quieras).",
    },
    "onboard_services": {
        "en": "Which services do you have? Tap to select, then Continue (none selected: all of them).",
        "es": "¿Qué servicios tienes? Toca para elegir y luego Continuar (ninguno: todos).",
    },
    "onboard_step": {
        "en": "{step}/{total} · Have you seen it? What did you think?",
        "es": "{step}/{total} · ¿La has visto? ¿Qué te pareció?",
    },
    "onboard_done": {
        "en": "Thanks! Rate more with the stars on any card; /foryou always has fresh picks.",
        "es": "¡Gracias! Puntúa más con las estrellas de cualquier ficha; /parati siempre tiene sugerencias.",
    },
    "button_continue": {"en": "Continue ›", "es": "Continuar ›"},
    "button_loved": {"en": "❤ Loved it", "es": "❤ Me encantó"},
    "button_liked": {"en": "👍 Liked it", "es": "👍 Me gustó"},
    "button_unseen": {"en": "Haven't seen it", "es": "No la he visto"},
    "button_stop": {"en": "Stop here", "es": "Parar aquí"},
    # ---- /mydata, /forget ----------------------------------------------------------------------------------
    "mydata_caption": {
        "en": "Everything I keep about you: your settings, ratings, seen marks, watchlist and hidden titles.",
        "es": "Todo lo que guardo sobre ti: tus ajustes, puntuaciones, vistas, pendientes y títulos ocultos.",
    },
    "forget_confirm": {
        "en": "Delete everything I keep about you? {ratings} ratings, {seen} seen marks, {watchlist} on the "
              "watchlist, {hidden} hidden titles, and your language and services. This can't be undone.",
        "es": "¿Borro todo lo que guardo sobre ti? {ratings} puntuaciones, {seen} vistas, {watchlist} pendientes, "
              "{hidden} ocultos, y tu idioma y servicios. No se puede deshacer.",
    },
    "button_forget_yes": {"en": "Yes, delete it all", "es": "Sí, bórralo todo"},
    "button_forget_no": {"en": "No, keep it", "es": "No, mantenlo"},
    "forgotten": {
        "en": "Deleted: {ratings} ratings, {seen} seen marks, {watchlist} watchlist titles, {hidden} hidden "
              "titles and {settings} settings record. I keep nothing about you now.",
        "es": "Borrado: {ratings} puntuaciones, {seen} vistas, {watchlist} pendientes, {hidden} ocultos y "
              "{settings} registro de ajustes. Ya no guardo nada sobre ti.",
    },
    "forget_kept": {"en": "Nothing deleted.", "es": "No he borrado nada."},
    # ---- importing an export ----------------------------------------------------------------------------
    "import_done": {
        "en": "Imported your {kind}: matched {matched} of {total}; {unmatched} not on these services. Saved "
              "{ratings} ratings, {seen} seen and {watchlist} watchlist titles. /foryou has picks from them.",
        "es": "Importado tu archivo ({kind}): {matched} de {total} encontrados; {unmatched} no están en estos "
              "servicios. Guardadas {ratings} puntuaciones, {seen} vistas y {watchlist} pendientes. /parati "
              "tiene sugerencias.",
    },
    "import_unmatched": {
        "en": "The {count} titles I couldn't match (not on these services, or unreadable rows).",
        "es": "Los {count} títulos que no encontré (no están en estos servicios o no se pudieron leer).",
    },
    "import_too_large": {
        "en": "That file is too big for an export (over {limit} MB). Nothing was saved.",
        "es": "Ese archivo es demasiado grande para una exportación (más de {limit} MB). No he guardado nada.",
    },
    "import_binary": {
        "en": "That file isn't text. Send the CSV from a Letterboxd export (ratings.csv, watched.csv, "
              "watchlist.csv) or IMDb's ratings export. Nothing was saved.",
        "es": "Ese archivo no es texto. Envía el CSV de una exportación de Letterboxd (ratings.csv, watched.csv, "
              "watchlist.csv) o la de puntuaciones de IMDb. No he guardado nada.",
    },
    "import_not_utf8": {
        "en": "I can't read that file's text (it isn't UTF-8). Send the CSV exactly as Letterboxd or IMDb gave "
              "it. Nothing was saved.",
        "es": "No puedo leer el texto de ese archivo (no es UTF-8). Envía el CSV tal como te lo dio Letterboxd o "
              "IMDb. No he guardado nada.",
    },
    "import_wrong_columns": {
        "en": "That CSV is not a Letterboxd (ratings, watched, watchlist) or IMDb ratings export. Nothing was saved.",
        "es": "Ese CSV no es una exportación de Letterboxd (ratings, watched, watchlist) ni de puntuaciones de "
              "IMDb. No he guardado nada.",
    },
    "import_not_csv": {
        "en": "That file isn't a CSV export. Send ratings.csv, watched.csv or watchlist.csv from Letterboxd, or "
              "IMDb's ratings CSV. Nothing was saved.",
        "es": "Ese archivo no es una exportación CSV. Envía ratings.csv, watched.csv o watchlist.csv de "
              "Letterboxd, o el CSV de puntuaciones de IMDb. No he guardado nada.",
    },
    "import_empty": {"en": "That file is empty. Nothing was saved.", "es": "Ese archivo está vacío. No he "
                                                                           "guardado nada."},
    "import_unreadable": {
        "en": "I couldn't read that file as an export. Nothing was saved.",
        "es": "No he podido leer ese archivo como una exportación. No he guardado nada.",
    },
}
