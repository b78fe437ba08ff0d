"""Button presses. The data says what to do (see `callback_data`); stale or forged data gets a short answer."""
from __future__ import annotations

from telegram import Message, Update, User
from telegram.error import BadRequest

from bot import answers, movienight, personal, personal_data
from bot.callback_data import CARD, PERSON, RECOMMEND, SIMILAR, WHERE, Action, decode
from bot.context import LANG, PLATFORMS, BotContext, language_for, platforms_in
from bot.render import Reply, message
from bot.replies import answer, edit
from storage import StorageUnavailable


UNEDITABLE = ("can't be edited", "message to edit not found")  # Telegram's words for a message we may not edit


def reply_for(action: Action, context: BotContext, lang: str, platforms) -> Reply:
    catalog = context.catalog
    if action.kind == CARD:
        return answers.title_card(catalog, action.title_id, platforms, lang)
    if action.kind == WHERE:
        return answers.where(catalog, action.title_id, platforms, lang)
    if action.kind == SIMILAR:
        return answers.similar(catalog, action.title_id, action.page, platforms, lang)
    if action.kind == RECOMMEND:
        return answers.recommend(catalog, action.user_id, action.title_id, action.page, platforms, lang)
    if action.kind == PERSON:
        return answers.person_titles(catalog, action, lang)
    raise ValueError(f"no answer for {action!r}")  # a new action kind without a branch here is a bug


async def button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if personal_data.decode(query.data) is not None:  # rate, seen, watchlist, lists, onboarding...
        await personal.button(update, context)
        return
    if movienight.decode(query.data) is not None:  # I'm in / I'm out / Pick / Close / Another round
        await movienight.button(update, context)
        return
    action = decode(query.data)
    on = query.message if isinstance(query.message, Message) else None  # None: too old, or an inline message
    if action is None or on is None or not answers.still_valid(context.catalog, action):
        await query.answer(message(context.lang, "stale_button").text)
        return
    await query.answer()
    if not action.replace:  # a new message, for the presser
        await answer(on, await personal.mine(update, context,
                                             reply_for(action, context, context.lang, context.platforms)))
        return
    reply = await personal.mine(update, context, reply_for(action, context,
                                                           *await list_owner_choices(on, query.from_user, context)))
    try:
        await edit(query, reply)
    except BadRequest as error:
        if not any(reason in str(error).lower() for reason in UNEDITABLE):
            raise
        # Not the bot's message, or too old to edit (a forged or stale button): the page as a new message,
        # so the press is answered all the same.
        await answer(on, reply)


async def list_owner_choices(on: Message, presser: User, context: BotContext) -> tuple[str, object]:
    """Paging rewrites a list in place, so it keeps the language and services of the list's owner (the
    user whose message it answers: in a group anyone may press "More ›"), not the presser's. They come from
    the database, as the presser's do: the owner's last update may have gone to another worker."""
    owner = on.reply_to_message.from_user if on.reply_to_message else None
    if owner is None or owner.id == presser.id:
        return context.lang, context.platforms
    try:
        chosen = await context.storage.settings(owner.id)
    except StorageUnavailable:
        return language_for(None, owner), None
    owner_data = {LANG: chosen.lang, PLATFORMS: chosen.platforms}
    return language_for(owner_data, owner), platforms_in(owner_data)
