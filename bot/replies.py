"""The one place a `Reply` becomes Telegram calls: reply to a message, or edit the one a button is on."""
from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.render import Button, Reply

log = logging.getLogger(__name__)


def button(b: Button) -> InlineKeyboardButton:
    if b.url:
        return InlineKeyboardButton(b.text, url=b.url)
    if b.inline_query is not None:
        return InlineKeyboardButton(b.text, switch_inline_query=b.inline_query)
    return InlineKeyboardButton(b.text, callback_data=b.data)


def buttons_of(message: Message) -> tuple[tuple[Button, ...], ...]:
    """A sent message's keyboard as the `Button`s it was made from (the inverse of `button`)."""
    keyboard = message.reply_markup.inline_keyboard if message.reply_markup else ()
    return tuple(tuple(Button(b.text, b.callback_data if isinstance(b.callback_data, str) else None,
                              b.switch_inline_query, b.url) for b in row) for row in keyboard)


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup([[button(b) for b in row] for row in reply.buttons]) if reply.buttons else None


async def answer(message: Message, reply: Reply) -> None:
    """Reply to a message (threaded to it in groups: python-telegram-bot quotes outside private chats)."""
    if reply.photo is not None:
        await message.reply_photo(reply.photo, caption=reply.text, reply_markup=markup(reply))
    else:
        await message.reply_text(reply.text, reply_markup=markup(reply))


async def send(update: Update, reply: Reply) -> None:
    if update.effective_message is not None:
        await answer(update.effective_message, reply)


UNEDITABLE = ("not modified", "can't be edited", "message to edit not found")


async def show_change(query: CallbackQuery, reply: Reply, buttons_only: bool = False) -> None:
    """After a press already answered (its popup said what happened), the message it was on shows the change:
    its text and buttons, or only its buttons. A message that is gone or no longer editable stays as it was."""
    try:
        if buttons_only:
            await query.edit_message_reply_markup(markup(reply))
        else:
            await query.edit_message_text(reply.text, reply_markup=markup(reply))
    except BadRequest as error:
        if not any(reason in str(error).lower() for reason in UNEDITABLE):
            raise
        log.debug("message not updated after a press: %s", error)


async def edit(query: CallbackQuery, reply: Reply) -> None:
    """Replace the text and buttons of the message the pressed button is on."""
    try:
        await query.edit_message_text(reply.text, reply_markup=markup(reply))
    except BadRequest as error:
        if "not modified" not in str(error).lower():  # the same button pressed twice: nothing to change
            raise
