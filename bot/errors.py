"""The error handler: log the failure with its context, tell the user briefly, keep running.

User mistakes never get here (commands answer them with a usage hint); this is for bugs and for the
Telegram API failing (network errors, timeouts, 429s the rate limiter could not absorb).
"""
from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import NetworkError, RetryAfter, TelegramError

from bot.context import BotContext
from bot.texts import text
from storage import StorageUnavailable

log = logging.getLogger(__name__)
FAILED_REPLIES = "failed_replies"  # bot_data key: updates whose reply Telegram never got, after every resend


def describe(update: object) -> str:
    """A short, loggable account of the update: its id, user, chat and the text or button data."""
    if not isinstance(update, Update):
        return repr(update)[:200]
    what = ""
    if update.callback_query:
        what = f"button {update.callback_query.data!r}"
    elif update.inline_query:
        what = f"inline {update.inline_query.query[:100]!r}"
    elif update.effective_message:
        what = repr((update.effective_message.text or update.effective_message.caption or "")[:100])
    user = update.effective_user.id if update.effective_user else None
    chat = update.effective_chat.id if update.effective_chat else None
    return f"update {update.update_id} (user {user}, chat {chat}): {what}"


async def error_handler(update: object, context: BotContext) -> None:
    error = context.error
    if isinstance(error, (NetworkError, RetryAfter)):
        if not isinstance(update, Update):  # polling: python-telegram-bot retries it; nothing is lost yet
            log.warning("Telegram API error while polling: %s", error)
            return
        # A reply that failed after the transport's resends (bot.transport): lost. Count it and name the
        # chat, so it can be found; telling the user would need the same failing API.
        failed = context.bot_data[FAILED_REPLIES] = context.bot_data.get(FAILED_REPLIES, 0) + 1
        chat = update.effective_chat.id if update.effective_chat else None
        log.error("Reply to chat %s lost (%d so far): %s (%s)", chat, failed, error, describe(update))
        return
    if isinstance(error, StorageUnavailable):  # already logged in one line by storage: no traceback
        notice_key = "storage_down"
    else:
        log.error("Failed to handle %s", describe(update), exc_info=error)
        notice_key = "error"
    if not isinstance(update, Update):
        return
    notice = text(getattr(context, "lang", "en"), notice_key)
    try:
        query = update.callback_query
        if query and notice_key == "error" and isinstance(query.message, Message):
            # Catalog presses are answered before their reply is computed (bot.callbacks) and Telegram takes
            # one answer per press, so a second answer would be refused and the user would see nothing.
            await query.message.reply_text(notice)
        elif query:  # personal presses answer once saved: "can't save" is their popup, in groups too
            await query.answer(notice)
        elif update.effective_message and not update.inline_query:
            await update.effective_message.reply_text(notice)
    except TelegramError as failure:  # the apology failed too: logging it is all that is left
        log.warning("Could not tell the user about the failure: %s", failure)
