"""Button presses. The data says what to do (see `callback_data`); stale or forged data gets a short answer."""
from __future__ import annotations

from telegram import Message, Update

from bot import answers
from bot.callback_data import CARD, PERSON, RECOMMEND, SIMILAR, WHERE, Action, decode
from bot.context import BotContext
from bot.render import Reply, message
from bot.replies import answer, edit


def reply_for(action: Action, context: BotContext) -> Reply:
    catalog, platforms, lang = context.catalog, context.platforms, context.lang
    if action.kind == CARD:
        return answers.title_card(catalog, action.title_id, platforms, lang)
    if action.kind == WHERE:
        return answers.where(catalog, action.title_id, platforms, lang)
    if action.kind == SIMILAR:
        return answers.similar(catalog, action.title_id, action.page, platforms, lang)
    if action.kind == RECOMMEND:
        return answers.recommend(catalog, action.user_id, action.title_id, action.page, platforms, lang)
    if action.kind == PERSON:
        return answers.person_titles(catalog, action.person, action.page, lang)
    raise ValueError(f"no answer for {action!r}")  # a new action kind without a branch here is a bug


async def button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    action = decode(query.data)
    on = query.message if isinstance(query.message, Message) else None  # None: too old, or an inline message
    if action is None or on is None or not answers.still_valid(context.catalog, action):
        await query.answer(message(context.lang, "stale_button").text)
        return
    reply = reply_for(action, context)
    await query.answer()
    if action.replace:
        await edit(query, reply)
    else:
        await answer(on, reply)
