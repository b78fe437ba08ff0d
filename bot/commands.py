"""THE command table: every command's names, usage and description in both languages, and its handler.

`/help`, the usage hint after a malformed command, the handlers' registration and the command menus
(`set_my_commands`, per language and for private chats and groups) are all built from `COMMANDS`,
so they cannot drift apart.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, Update
from telegram.ext import Application, CommandHandler

from bot import handlers, movienight, parsing, personal, render
from bot.context import BotContext
from bot.replies import send
from bot.texts import DEFAULT_LANGUAGE, LANGUAGES, text
from core.errors import CatalogInputError

log = logging.getLogger(__name__)
Handler = Callable[[Update, BotContext], Awaitable[None]]


@dataclass(frozen=True)
class Command:
    name: str  # the English name; `aliases` adds the Spanish one(s)
    handler: Handler
    usage: dict[str, str]  # arguments, per language ("" for none)
    about: dict[str, str]  # one line, per language
    aliases: dict[str, tuple[str, ...]]  # extra names, per language
    in_groups: bool = True  # listed in the group command menu too

    def names(self) -> tuple[str, ...]:
        return (self.name, *(a for names in self.aliases.values() for a in names))

    def name_in(self, lang: str) -> str:
        """The name a speaker of `lang` sees in menus and hints."""
        return (self.aliases.get(lang) or (self.name,))[0] if lang != DEFAULT_LANGUAGE else self.name

    def usage_line(self, lang: str) -> str:
        return render.usage_line(self.name_in(lang), self.usage.get(lang, ""))


HELP_PAYLOAD = "help"  # `/start help`: the deep link behind inline mode's "How to search" button


async def help_command(update: Update, context: BotContext) -> None:
    await send(update, help_reply(context.lang, context.bot.username))


async def start_command(update: Update, context: BotContext) -> None:
    """`/start help` (a deep link) shows the help; any other /start is `handlers.start`'s."""
    if context.args and context.args[0] == HELP_PAYLOAD:
        await help_command(update, context)
    else:
        await handlers.start(update, context)


def _c(name, handler, usage_en, usage_es, about_en, about_es, es=(), in_groups=True) -> Command:
    return Command(name, handler, {"en": usage_en, "es": usage_es}, {"en": about_en, "es": about_es},
                   {"es": tuple(es)} if es else {}, in_groups)


COMMANDS: tuple[Command, ...] = (
    _c("where", handlers.where, "<title>", "<título>",
       "Every service that streams a title (all its copies), each with its year, type and duration, and one score",
       "Todos los servicios que tienen un título (todas sus copias), cada uno con su año, tipo y duración, y una "
       "puntuación", es=["donde"]),
    _c("similar", handlers.similar, "<title>", "<título>",
       "Titles like the one you name", "Títulos parecidos al que indiques", es=["similares", "parecidas"]),
    _c("person", handlers.person, "<name>", "<nombre>",
       "An actor's or director's titles on the four services", "Los títulos de un actor o director en los cuatro "
       "servicios", es=["persona"]),
    _c("recommend", handlers.recommend, "[me|<user_id>] <title>", "[yo|<id_usuario>] <título>",
       "Would you (or a dataset user) like the title? Plus what else",
       "¿Te gustaría el título (a ti o a un usuario del dataset)? Y qué más", es=["recomendar"]),
    _c("rate", personal.rate, "<title> [stars]", "<título> [estrellas]",
       "Give a title your own stars, 0.5 to 5 (not /rating)",
       "Da tus estrellas a un título, de 0,5 a 5 (no /clasificacion)", es=["puntuar"]),
    _c("foryou", personal.for_you_command, "", "", "Picks for your taste, on your services",
       "Sugerencias a tu gusto, en tus servicios", es=["parati"]),
    _c("watchlist", personal.watchlist_command, "", "", "Your watchlist (and a pick for tonight)",
       "Tus pendientes (y una para esta noche)", es=["pendientes"]),
    _c("seen", personal.seen_command, "<title>", "<título>", "Mark a title seen: it leaves your picks",
       "Marcar un título como visto: sale de tus sugerencias", es=["vista"]),
    _c("unseen", personal.unseen_command, "<title>", "<título>", "Undo /seen", "Deshacer /vista", es=["novista"]),
    _c("hide", personal.hide_command, "<title>", "<título>", "Not for me: never suggest the title again",
       "No es para mí: no volver a sugerir el título", es=["ocultar"]),
    _c("unhide", personal.unhide_command, "<title>", "<título>", "Undo /hide", "Deshacer /ocultar",
       es=["mostrar"]),
    _c("movienight", movienight.movienight_command, "[genre] [movie|show] [under 2h] [45m] [like <title>]",
       "[género] [película|serie] [menos de 2h] [45m] [como <título>]",
       "In a group: pick what to watch together, from the services everyone has (a poll)",
       "En un grupo: elegir qué ver juntos, entre los servicios que tenéis todos (una encuesta)",
       es=["nochedecine"]),
    _c("maxduration", handlers.max_duration, "[year] [platform] [min|season]", "[año] [plataforma] [min|temporada]",
       "The longest movie (or show, in seasons)", "La película más larga (o la serie, en temporadas)",
       es=["duracion"]),
    _c("scorecount", handlers.score_count, "<platform> <score> <year>", "<plataforma> <puntuación> <año>",
       "How many titles scored above a score", "Cuántos títulos superan una puntuación", es=["puntuacion"]),
    _c("count", handlers.count, "<platform>", "<plataforma>",
       "Movies and shows on a platform", "Películas y series de una plataforma", es=["contar", "cuantas"]),
    _c("actor", handlers.actor, "<platform> <year>", "<plataforma> <año>",
       "The most frequent cast members", "Los actores más frecuentes", es=["actores"]),
    _c("country", handlers.country, "<movie|tv> <country> [year]", "<película|serie> <país> [año]",
       "Titles from a country", "Títulos de un país", es=["pais"]),
    _c("rating", handlers.rating, "<maturity rating>", "<clasificación por edades>",
       "Titles with a maturity rating (pg-13, tv-ma…); your stars are /rate",
       "Títulos con una clasificación por edades (pg-13, tv-ma…); tus estrellas, /puntuar",
       es=["clasificacion", "edad"]),
    _c("stats", handlers.stats, "[platform]", "[plataforma]",
       "A chart of titles per release year", "Un gráfico de títulos por año de estreno", es=["estadisticas"]),
    _c("platforms", handlers.platforms, "<names…> | all", "<nombres…> | todas",
       "Your own services: searches prefer them", "Tus servicios: la búsqueda los prioriza", es=["plataformas"]),
    _c("lang", handlers.language, "es|en", "es|en", "Answer in English or Spanish", "Responder en español o inglés",
       es=["idioma"]),
    _c("mydata", personal.my_data, "", "", "A file with everything I keep about you",
       "Un archivo con todo lo que guardo sobre ti", es=["misdatos"]),
    _c("forget", personal.forget, "", "", "Delete everything I keep about you",
       "Borrar todo lo que guardo sobre ti", es=["olvidar"]),
    _c("help", help_command, "", "", "What I can do", "Lo que sé hacer", es=["ayuda"]),
    _c("start", start_command, "", "", "Welcome", "Bienvenida", es=["inicio"], in_groups=False),
)
BY_NAME = {name: command for command in COMMANDS for name in command.names()}


def help_reply(lang: str, bot_username: str | None) -> render.Reply:
    lines = [text(lang, "help_header")]
    for command in COMMANDS:
        line = f"{command.usage_line(lang)} — {render.escape(command.about[lang])}"
        others = [n for n in command.names() if n != command.name_in(lang) and n.isascii()]
        lines.append(line + (f" ({text(lang, 'also')} /{', /'.join(others)})" if others else ""))
    lines += ["", text(lang, "help_footer", bot=bot_username or "bot", scope=text(lang, "catalog_scope"))]
    return render.reply(lines)


PROBLEMS = {  # CatalogInputError.kind -> the text explaining it
    "platform": "unknown_platform", "duration type": "unknown_duration_type", "title type": "unknown_title_type",
    "year": "invalid_year", "score": "invalid_score", "maturity rating": "unknown_maturity_rating",
    "language": "unknown_language", "country": "unknown_country",
}


def input_error_reply(error: Exception, command: Command | None, lang: str) -> render.Reply:
    """The reply to a CatalogInputError or UsageError: what was wrong, then the usage line."""
    usage = command.usage_line(lang) if command else None
    if isinstance(error, parsing.UsageError):
        return render.input_error(error.problem, error.value, (), usage, lang, limit=parsing.MAX_ARGUMENT_CHARS)
    problem = PROBLEMS.get(error.kind, "unknown_argument")
    choices = error.choices
    if error.kind == "country":  # the catalog's names are lowercase: show them as in the answers
        choices = tuple(render.country_label(c, lang) for c in choices)
    return render.input_error(problem, error.value, choices, usage, lang)


def guarded(handler: Handler, command: Command | None = None) -> Handler:
    """The handler, with user mistakes answered by a short hint (and the command's usage line)
    instead of reaching the error handler."""
    async def callback(update: Update, context: BotContext) -> None:
        try:
            await handler(update, context)
        except (CatalogInputError, parsing.UsageError) as error:
            await send(update, input_error_reply(error, command, context.lang))

    callback.__name__ = handler.__name__
    return callback


def handlers_for_commands() -> list[CommandHandler]:
    return [CommandHandler(list(c.names()), guarded(c.handler, c)) for c in COMMANDS]


def menu(lang: str, in_groups: bool) -> list[BotCommand]:
    return [BotCommand(c.name_in(lang), c.about[lang][:256]) for c in COMMANDS if c.in_groups or not in_groups]


async def set_menus(application: Application) -> None:
    """The command menu for private chats and groups, in English (the default) and Spanish."""
    for lang in LANGUAGES:
        code = None if lang == DEFAULT_LANGUAGE else lang
        await application.bot.set_my_commands(menu(lang, False), BotCommandScopeAllPrivateChats(), code)
        await application.bot.set_my_commands(menu(lang, True), BotCommandScopeAllGroupChats(), code)
