"""Command and message handlers. Each one parses the words, asks core (or `answers`), renders and replies.

Malformed arguments raise (CatalogInputError or parsing.UsageError); `commands.register` wraps each
command so those become a short reply with the usage line, and anything else reaches the error handler.
"""
from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ChatType

from bot import answers, parsing, personal, render, stats_chart
from bot.context import LANG, PLATFORMS, BotContext
from bot.replies import send

log = logging.getLogger(__name__)
CHARTS = "charts"  # bot_data key: the PNG and its numbers per platform, drawn once


# ---- the catalog queries --------------------------------------------------------------------------------
async def max_duration(update: Update, context: BotContext) -> None:
    args = parsing.max_duration(context.args)
    result = context.catalog.max_duration(args.year, args.platform, args.unit)
    await send(update, render.max_duration(result, context.lang))


async def score_count(update: Update, context: BotContext) -> None:
    args = parsing.score_count(context.args)
    result = context.catalog.score_count(args.platform, args.score, args.year)
    await send(update, render.score_count(result, context.lang))


async def count(update: Update, context: BotContext) -> None:
    platform = parsing.count(context.args)
    await send(update, render.count(context.catalog.count_platform(platform), context.lang))


async def actor(update: Update, context: BotContext) -> None:
    args = parsing.actor(context.args)
    found = context.catalog.top_actors(args.platform, args.year, None)  # all: the reply says how many more tie
    await send(update, render.actors(found, args.platform, args.year, context.lang))


async def country(update: Update, context: BotContext) -> None:
    args = parsing.country(context.args)
    name = context.catalog.country(args.country)  # "usa" -> "united states"; raises UnknownCountry
    found = context.catalog.count_by_country(args.title_type, name, args.year)
    await send(update, render.country(args.title_type, name, args.year, found, context.lang))


async def rating(update: Update, context: BotContext) -> None:
    if await personal.rating_or_stars(update, context):  # "/rating the matrix 5" meant /rate
        return
    wanted = context.catalog.maturity_rating(parsing.maturity_rating(context.args))  # as the catalog spells it
    found = context.catalog.count_by_rating(wanted)
    unrated = context.catalog.unrated_counted_as(wanted)
    await send(update, render.maturity_rating(wanted, found, context.lang, unrated))


# ---- titles -----------------------------------------------------------------------------------------------
async def recommend(update: Update, context: BotContext) -> None:
    """`/recommend 42 the matrix`: dataset user 42; `/recommend the matrix` (or `me the matrix`): the person."""
    mine = personal.recommend_target(context.catalog, context.args, context.platforms)
    if mine is not None:
        await personal.recommend_for_person(update, context, mine)
        return
    args = parsing.recommend(context.args)
    reply = answers.recommend(context.catalog, args.user_id, args.title, 0, context.platforms, context.lang)
    await personal.send_mine(update, context, reply)


async def similar(update: Update, context: BotContext) -> None:
    title = parsing.title(context.args)
    await personal.send_mine(update, context, answers.similar(context.catalog, title, 0, context.platforms,
                                                              context.lang))


async def where(update: Update, context: BotContext) -> None:
    title = parsing.title(context.args)
    await send(update, answers.where(context.catalog, title, context.platforms, context.lang))


async def person(update: Update, context: BotContext) -> None:
    name = parsing.person(context.args)
    await send(update, answers.person(context.catalog, name, context.lang))


async def title_text(update: Update, context: BotContext) -> None:
    """A plain message in a private chat is a title (its card) or a person (their titles)."""
    title = parsing.title(update.effective_message.text or "")
    await personal.send_mine(update, context, answers.title_card(context.catalog, title, context.platforms,
                                                                 context.lang))


async def photo(update: Update, context: BotContext) -> None:
    """The bot reads text: a photo's caption is taken as a title, a bare photo gets a pointer."""
    caption = (update.effective_message.caption or "").strip()
    if caption:
        reply = answers.title_card(context.catalog, parsing.title(caption), context.platforms, context.lang)
    else:
        reply = render.message(context.lang, "photo")
    await personal.send_mine(update, context, reply)


# ---- the user's settings --------------------------------------------------------------------------------
async def start(update: Update, context: BotContext) -> None:
    """Welcome; a deep link `/start t_<id>` (the inline cards' button) opens that title's card."""
    payload = context.args[0] if context.args else ""
    if payload.startswith("t_") and payload[2:]:  # a bare "t_" is no title: welcome instead
        reply = answers.title_card(context.catalog, parsing.title(payload[2:]), context.platforms, context.lang)
    elif payload in personal.START_PAYLOADS:  # "open in the private chat" links from personal commands in groups
        await personal.START_PAYLOADS[payload](update, context)
        return
    elif not payload and await personal.onboard(update, context):  # the first /start asks about their taste
        return
    else:
        name = render.escape(update.effective_user.first_name if update.effective_user else "")
        reply = render.message(context.lang, "welcome", name=name, count=render.number(len(context.catalog),
                                                                                        context.lang))
    await personal.send_mine(update, context, reply)


async def language(update: Update, context: BotContext) -> None:
    context.lang = parsing.language(context.args)
    await context.storage.set_language(update.effective_user.id, context.lang)
    context.remember(LANG, context.lang)
    await send(update, render.message(context.lang, "lang_set"))


async def platforms(update: Update, context: BotContext) -> None:
    if update.effective_chat and update.effective_chat.type != ChatType.PRIVATE:
        # In a group the reply would show everyone the asker's services: point to the private chat instead.
        await send(update, render.message(context.lang, "platforms_private", bot=context.bot.username or "bot"))
        return
    if not context.args:
        names = render.platform_names(context.platforms or ()) or render.text(context.lang, "platforms_none")
        await send(update, render.message(context.lang, "platforms_current", platforms=names))
        return
    chosen = parsing.platforms(context.args)
    await context.storage.set_platforms(update.effective_user.id, answers.platform_keys(chosen))
    context.remember(PLATFORMS, answers.platform_keys(chosen))
    if chosen is None:
        await send(update, render.message(context.lang, "platforms_reset"))
    else:
        await send(update, render.message(context.lang, "platforms_set", platforms=render.platform_names(chosen)))


async def stats(update: Update, context: BotContext) -> None:
    platform = parsing.stats(context.args)
    drawn = context.bot_data.setdefault(CHARTS, {})
    key = (platform, context.lang)  # the chart's own words are in the reader's language
    if key not in drawn:
        # Drawn in a process of its own (bot/stats_chart.py), waited for in a thread: other chats go on.
        drawn[key] = await asyncio.to_thread(stats_chart.draw_apart, context.catalog, platform,
                                             render.chart_words(context.lang))
    png, facts = drawn[key]
    await send(update, render.stats(png, facts, platform, context.lang))


async def unknown_command(update: Update, context: BotContext) -> None:
    await send(update, render.message(context.lang, "unknown_command"))
