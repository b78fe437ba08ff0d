"""Inline mode: `@bot <title>` lists title cards; `@bot rec <user_id> <title>` a recommendation card.

The modes are the (prefix, search) table `answers.INLINE_MODES`; this module only turns cards into
Telegram results. Answers are personal (they follow the user's language and platforms).
"""
from __future__ import annotations

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update

from bot import answers, render
from bot.commands import HELP_PAYLOAD
from bot.context import BotContext
from bot.replies import markup
from bot.texts import text

MAX_RESULTS = 20
# A few minutes keeps Telegram from re-asking; after a new catalog (bot.live) a cached answer is a whole card
# of the old one, whose buttons still work (title ids; a title gone from the new catalog says the button expired).
CACHE_SECONDS = 300


def article(card: render.InlineCard) -> InlineQueryResultArticle:
    """Every inline result is built the same way: list entry (title, description) + the posted card."""
    return InlineQueryResultArticle(
        id=card.id,
        title=card.title,
        description=card.description,
        input_message_content=InputTextMessageContent(card.text),
        reply_markup=markup(render.Reply(card.text, card.buttons)),
    )


async def inline_query(update: Update, context: BotContext) -> None:
    query = update.inline_query
    cards = answers.inline(context.catalog, query.query[:render.MAX_TEXT], context.platforms, context.lang,
                           context.bot.username)
    hint = "inline_rec_usage" if query.query.lower().startswith("rec ") else "inline_help"
    usage = None if cards else InlineQueryResultsButton(text(context.lang, hint), start_parameter=HELP_PAYLOAD)
    await query.answer([article(card) for card in cards[:MAX_RESULTS]], cache_time=CACHE_SECONDS,
                       is_personal=True, button=usage)
