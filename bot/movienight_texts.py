"""The sentences of movie night (issue 12), in English and Spanish; `bot.texts` merges them into its table,
so `text(lang, key)` finds them like any other. A night's group messages are in its starter's language;
the popups after a press are in the presser's."""
from __future__ import annotations

MOVIE_NIGHT_TEXTS: dict[str, dict[str, str]] = {
    "night_private": {
        "en": "Movie night is for groups: add me to one (the button below, or the group's “Add members” → "
              "@{bot}), then send /movienight there. Everyone who joins votes, and I pick from the services you all "
              "have and what you all like. Privacy mode can stay on.",
        "es": "La noche de cine es para grupos: añádeme a uno (el botón de abajo, o «Añadir miembros» → @{bot} en "
              "el grupo) y envía /nochedecine allí. Votan todos los que se apunten y elijo entre los servicios que "
              "tenéis todos y lo que os gusta a todos. El modo privacidad puede seguir activado.",
    },
    "button_add_to_group": {"en": "Add me to a group", "es": "Añádeme a un grupo"},
    "night_usage_help": {
        "en": "Words that narrow it, in any order: a genre (comedy, horror…), movie or show, under 2h, like "
              "<title> (last), and how long the vote lasts (45m; 30m unless given).",
        "es": "Palabras para afinar, en cualquier orden: un género (comedia, terror…), película o serie, menos de "
              "2h, como <título> (al final), y cuánto dura la votación (45m; 30m si no se dice).",
    },
    "night_unknown_word": {
        "en": "I don't understand “{value}” for a movie night.",
        "es": "No entiendo «{value}» para una noche de cine.",
    },
    "night_bad_length": {
        "en": "“{value}” is not a length: use minutes or hours, e.g. under 2h or under 90m.",
        "es": "«{value}» no es una duración: usa minutos u horas, p. ej. menos de 2h o menos de 90m.",
    },
    "night_bad_timeout": {
        "en": "“{value}” is not a voting time: use 1m to 24h, e.g. 45m.",
        "es": "«{value}» no es un tiempo de votación: usa de 1m a 24h, p. ej. 45m.",
    },
    "night_like_missing": {
        "en": "Like which title? Put it last: /movienight like the matrix",
        "es": "¿Como qué título? Ponlo al final: /nochedecine como matrix",
    },
    "night_like_unclear": {
        "en": "I can't tell which title “{value}” is: try its full name (as in a title card).",
        "es": "No sé qué título es «{value}»: prueba con el nombre completo (como en su ficha).",
    },
    "night_already": {
        "en": "A movie night is already on in this chat: join it with the buttons on its message.",
        "es": "Ya hay una noche de cine en este chat: apúntate con los botones de su mensaje.",
    },
    # ---- the lobby ----------------------------------------------------------------------------------------
    "night_title": {"en": "🍿 <b>Movie night</b>", "es": "🍿 <b>Noche de cine</b>"},
    "night_in": {"en": "In ({count}): {names}", "es": "Se apuntan ({count}): {names}"},
    "night_nobody": {"en": "Nobody is in yet.", "es": "Aún no se ha apuntado nadie."},
    "night_lobby_help": {
        "en": "Press “I'm in” to join. Once two are in, any of them can press “Pick”: I choose from the services "
              "everyone in has, for all your tastes. The vote lasts {minutes} min.",
        "es": "Pulsa «Me apunto» para unirte. Cuando haya dos, cualquiera de ellos puede pulsar «Elegir»: elijo "
              "entre los servicios que tenéis todos, al gusto de todos. La votación dura {minutes} min.",
    },
    "night_lobby_voting": {
        "en": "Voting is open: the poll below. Only the votes of those in count.",
        "es": "La votación está abierta: la encuesta de abajo. Solo cuentan los votos de quienes se apuntaron.",
    },
    "night_lobby_done": {"en": "This night's vote is over.", "es": "La votación de esta noche ha terminado."},
    "button_night_in": {"en": "🙋 I'm in", "es": "🙋 Me apunto"},
    "button_night_out": {"en": "I'm out", "es": "Me borro"},
    "button_night_pick": {"en": "🎬 Pick", "es": "🎬 Elegir"},
    "button_night_close": {"en": "Close the vote", "es": "Cerrar la votación"},
    "button_night_again": {"en": "🔁 Another round", "es": "🔁 Otra ronda"},
    # ---- popups ----------------------------------------------------------------------------------------------
    "night_joined": {"en": "You're in.", "es": "Te has apuntado."},
    "night_left": {"en": "You're out.", "es": "Te has borrado."},
    "night_closed_lobby": {
        "en": "Joining is closed: the vote has started.", "es": "Ya no se puede apuntar: la votación ha empezado.",
    },
    "night_gone": {"en": "This movie night is over.", "es": "Esta noche de cine ha terminado."},
    "night_join_first": {
        "en": "Only those who are in can pick: press “I'm in” first.",
        "es": "Solo pueden elegir quienes se han apuntado: pulsa antes «Me apunto».",
    },
    "night_need_two": {
        "en": "Two need to be in before picking.", "es": "Hacen falta dos apuntados para elegir.",
    },
    "night_picking": {"en": "Picking…", "es": "Eligiendo…"},
    "night_busy": {"en": "Already on it.", "es": "Ya estoy en ello."},
    "night_starter_only": {
        "en": "Only the one who started the night can close the vote.",
        "es": "Solo quien empezó la noche puede cerrar la votación.",
    },
    "night_vote_over": {"en": "That vote is already over.", "es": "Esa votación ya ha terminado."},
    "night_members_only": {
        "en": "Only those who were in can ask for another round.",
        "es": "Solo quienes se apuntaron pueden pedir otra ronda.",
    },
    # ---- the poll and its cards -------------------------------------------------------------------------------
    "night_question": {
        "en": "🍿 What shall we watch? (only the votes of those in count; several answers allowed)",
        "es": "🍿 ¿Qué vemos? (solo cuentan los votos de quienes se apuntaron; se pueden elegir varias)",
    },
    "night_question_again": {
        "en": "🍿 Round {round}: what shall we watch? (only the votes of those in count)",
        "es": "🍿 Ronda {round}: ¿qué vemos? (solo cuentan los votos de quienes se apuntaron)",
    },
    "night_cards": {
        "en": "<b>Tonight's candidates</b>, on services all {count} of you have ({platforms}), for your combined taste:",
        "es": "<b>Las candidatas</b>, en servicios que tenéis los {count} ({platforms}), al gusto de todos:",
    },
    "night_on": {"en": "on {platforms}", "es": "en {platforms}"},
    "night_cards_footer": {
        "en": "Vote in the poll. It ends when everyone in has voted, when the starter closes it, or in {minutes} min.",
        "es": "Votad en la encuesta. Termina cuando hayan votado todos los apuntados, cuando quien la empezó la "
              "cierre, o en {minutes} min.",
    },
    # ---- the result --------------------------------------------------------------------------------------------
    "night_ended_all": {"en": "Everyone in has voted.", "es": "Han votado todos los apuntados."},
    "night_ended_close": {"en": "The vote was closed.", "es": "Se ha cerrado la votación."},
    "night_ended_time": {"en": "Time's up.", "es": "Se acabó el tiempo."},
    "night_ended_left": {"en": "Everyone still in has voted.", "es": "Han votado todos los que siguen apuntados."},
    "night_winner": {
        "en": "🏆 Tonight: <b>{title}</b> ({votes}). Watch it on {platforms}.",
        "es": "🏆 Esta noche: <b>{title}</b> ({votes}). Se puede ver en {platforms}.",
    },
    "night_winner_gone": {
        "en": "The catalog was updated during the vote and the title with the most votes is no longer on these "
              "services, so the next one wins.",
        "es": "El catálogo se actualizó durante la votación y el título más votado ya no está en estos servicios, "
              "así que gana el siguiente.",
    },
    "night_all_gone": {
        "en": "The catalog was updated during the vote and none of its titles is on these services any more. "
              "Press “Another round” or start a new /movienight.",
        "es": "El catálogo se actualizó durante la votación y ninguno de sus títulos sigue en estos servicios. "
              "Pulsa «Otra ronda» o empieza otra /nochedecine.",
    },
    "night_votes": {"en": "{count} of {members} votes", "es": "{count} de {members} votos"},
    "night_tie": {
        "en": "A tie on votes: the one that suits your combined taste best wins.",
        "es": "Empate a votos: gana la que mejor encaja con el gusto de todos.",
    },
    "night_no_votes": {
        "en": "Nobody who was in voted, so it's the best match for your combined taste.",
        "es": "No votó nadie de los apuntados, así que es la que mejor encaja con el gusto de todos.",
    },
    "night_ignored": {
        "en": "{count} vote(s) from people who weren't in didn't count.",
        "es": "{count} voto(s) de quienes no se apuntaron no cuentan.",
    },
    "night_again_hint": {
        "en": "Not convinced? “Another round” offers the next best, without the ones nobody voted for.",
        "es": "¿No os convence? «Otra ronda» propone las siguientes, sin las que nadie votó.",
    },
    # ---- nothing to propose ---------------------------------------------------------------------------------
    "night_none_no_shared_service": {
        "en": "I have nothing to propose: no service is shared by everyone in ({who} set their services with "
              "/platforms). Those with fewer services could add one, or someone could step out.",
        "es": "No tengo nada que proponer: ningún servicio es común a todos los apuntados ({who} eligieron sus "
              "servicios con /plataformas). Quien tenga menos podría añadir uno, o alguien podría borrarse.",
    },
    "night_none_nothing_matches": {
        "en": "I have nothing to propose: nothing on your shared services ({platforms}) fits “{words}”. Start "
              "again with fewer or other words (/movienight alone takes everything).",
        "es": "No tengo nada que proponer: nada en vuestros servicios comunes ({platforms}) encaja con «{words}». "
              "Empezad de nuevo con menos palabras u otras (/nochedecine sola vale para todo).",
    },
    "night_none_all_excluded": {
        "en": "I have too little left to propose on your shared services ({platforms}){narrowed}: the rest has been "
              "seen, hidden, rated or proposed already, or someone would probably dislike it. Try fewer words, or "
              "another night with other people.",
        "es": "Me queda muy poco que proponer en vuestros servicios comunes ({platforms}){narrowed}: lo demás ya se "
              "ha visto, ocultado, puntuado o propuesto, o a alguien probablemente no le gustaría. Probad con menos "
              "palabras, u otra noche con otra gente.",
    },
    "night_narrowed": {"en": " for “{words}”", "es": " para «{words}»"},
    "night_send_failed": {
        "en": "I couldn't send the poll. Press “Pick” again in a moment.",
        "es": "No he podido enviar la encuesta. Pulsa «Elegir» de nuevo dentro de un momento.",
    },
}
