"""The person's own taste: /rate, the buttons on every card, /foryou, /watchlist, /recommend for them, the
first /start's questions, /mydata and /forget. Handlers read and write through `storage.Storage` (one
transaction per action, committed before the reply) and ask core for picks with plain values.

A press in a group records for the member who pressed and answers with a popup; lists carry their
owner, so only they can page them; the personal lists themselves are only shown in private chats.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Sequence

from telegram import InputFile, Message, Update
from telegram.constants import ChatType

from bot import answers, parsing, render
from bot import personal_render as show
from bot.callback_data import CARD
from bot.context import LANG, ONBOARDED, PLATFORMS, BotContext
from bot.personal_data import (
    FOR_YOU, FORGET, HIDE, LIST, ONBOARD, RATE, SEEN, SERVICES, STARS, TITLE_ACTIONS, TONIGHT, UNLIST, WATCH,
    PersonalAction, decode,
)
from bot.render import PAGE_SIZE, Reply
from bot.replies import answer, buttons_of, edit, send, show_change
from core import Catalog
from core.imports import MAX_EXPORT_BYTES, ExportError
from core.personal import Person
from core.search import normalise_title
from core.vocabulary import Platform
from storage import ImportItem, ItemStatus, StorageUnavailable, Taste

log = logging.getLogger(__name__)
ONBOARDING_TITLES = 10
LOVED, LIKED = 5.0, 4.0  # the stars the first /start's "Loved" and "Liked" record
_STARS = re.compile(r"^(?:[0-5](?:[.,][05])?|[0-4]½)$")
_NUMBER_WORD = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)?$")  # as parsing.recommend finds the user id
ME_WORDS = frozenset({"me", "myself", "yo", "mí", "mi"})  # `/recommend me the matrix`
_NUMBERISH = re.compile(r"^[0-9]+(?:[.,][0-9]+)?½?$")


# ---- values ----------------------------------------------------------------------------------------------
def representative(catalog: Catalog, title_id: str) -> str | None:
    """The id every copy of a work is stored under: its first member in catalog order (see storage.schema)."""
    title = catalog.by_id(title_id)
    if title is None:
        return None
    work = catalog.works.of_row[title.index]
    return catalog.titles[catalog.works.rows[work][0]].id


def person(taste: Taste) -> Person:
    return Person(rated=taste.rated, seen=taste.seen, hidden=taste.hidden, listed=taste.listed,
                  platforms=taste.platforms)


def parse_rate(args: Sequence[str]) -> tuple[str, float | None]:
    """`/rate <title> [stars]`: the last word is the stars when it is 0.5..5 in half steps ("4.5", "4,5",
    "4½"); a number that can't be stars ("4.3", "0") is refused; a longer number is part of the title (2049)."""
    tokens = parsing.words(args)
    if not tokens:
        raise parsing.UsageError("missing_title")
    last = tokens[-1]
    stars = None
    if len(tokens) > 1 and _STARS.match(last):
        stars = float(last.replace(",", ".").replace("½", ".5"))
        tokens = tokens[:-1]
    elif len(tokens) > 1 and _NUMBERISH.match(last) and (len(last) < 3 or not last.isdigit()):
        raise parsing.UsageError("bad_stars", last)
    if stars is not None and not 0.5 <= stars <= 5:
        raise parsing.UsageError("bad_stars", last)
    return " ".join(tokens), stars


def trailing_stars(args: Sequence[str]) -> tuple[str, str] | None:
    """`/rating the matrix 5` means stars, not a maturity rating: (title, stars) when it looks so."""
    tokens = parsing.words(args)
    if len(tokens) > 1 and _STARS.match(tokens[-1]):
        return " ".join(tokens[:-1]), tokens[-1]
    return None


def in_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


def own_chat(update: Update) -> bool:
    """The private chat of the person the update is from: the only place their own marks are shown."""
    user = update.effective_user
    return in_private(update) and user is not None and update.effective_chat.id == user.id


# ---- the reader's own marks on what they are shown -----------------------------------------------------
async def statuses_of(context: BotContext, user_id: int, title_ids: Sequence[str]) -> dict[str, ItemStatus]:
    """Per title id (any copy of a work), what the person told the bot about its work."""
    keys = {i: representative(context.catalog, i) for i in title_ids}
    found = await context.storage.statuses(user_id, [k for k in keys.values() if k])
    return {i: found.get(k, ItemStatus()) for i, k in keys.items()}


async def mine(update: Update, context: BotContext, reply: Reply) -> Reply:
    """The reply as its reader sees it in a private chat: their stars and marks on its rate / seen /
    watchlist / not-for-me buttons and, on a title card, a line saying them. In a group the buttons stay
    neutral (everyone sees that message); with the database down the reply goes as it is."""
    user = update.effective_user
    if not own_chat(update) or not show.titles_in(reply.buttons):
        return reply
    try:
        statuses = await statuses_of(context, user.id, show.titles_in(reply.buttons))
    except StorageUnavailable:
        return reply
    card = show.card_of(reply.buttons)
    line = show.state_line(statuses.get(card), context.lang) if card else None
    return render.reply([reply.text, "", line] if line else reply.text,
                        show.personalised(reply.buttons, context.lang, statuses), reply.photo)


async def send_mine(update: Update, context: BotContext, reply: Reply) -> None:
    await send(update, await mine(update, context, reply))


async def refresh(update: Update, context: BotContext, title_id: str, expand: str | None = None) -> None:
    """After a press, the message it was on shows the change: in a private chat its buttons (and a card's
    line) say the person's marks now; anywhere, the list line pressed ☆ on shows its five stars and the
    others fold back. In a group nothing personal is written into the shared message."""
    query = update.callback_query
    on = query.message if isinstance(query.message, Message) else None
    if on is None or on.reply_markup is None:
        return
    rows = buttons_of(on)
    private = own_chat(update)
    statuses = None
    if private:
        try:
            statuses = await statuses_of(context, query.from_user.id, show.titles_in(rows))
        except StorageUnavailable:
            return  # the popup already said what was saved
    if private and show.verdict_of(rows) == title_id and expand is None:
        # the answer to `/recommend me <title>` rated, seen or hidden from its own buttons: its verdict
        # ("predicted 3.2") would contradict the ✅4★ under it, so it is worked out again
        titles = answers.resolve(context.catalog, title_id, CARD, context.platforms, context.lang)
        if not isinstance(titles, Reply):  # a Reply: the title left the catalog since; the popup said it
            await show_change(query, await verdict_reply(update, context, titles))
            return
    changed = show.personalised(rows, context.lang if private else None, statuses, expand)
    card = show.card_of(rows) if private else None
    if card == title_id and on.text is not None:
        titles = answers.resolve(context.catalog, card, CARD, context.platforms, context.lang)
        if not isinstance(titles, Reply):
            body = render.card_text(titles, context.lang, answers.work_name(context.catalog, titles))
            line = show.state_line(statuses.get(card), context.lang)
            await show_change(query, render.reply([body, "", line] if line else body, changed))
            return
    if changed != rows:
        await show_change(query, Reply("", changed), buttons_only=True)


# ---- every update: the person's settings from the database -----------------------------------------------
async def load_user(update: Update, context: BotContext) -> None:
    """Runs first for every update: language and services come from the database (not a pickle), so every
    process sees the same. With the database down the catalog still answers, in Telegram's language."""
    user = update.effective_user
    if user is None:
        return
    try:
        settings = await context.storage.settings(user.id)
    except StorageUnavailable:
        return
    context.remember(LANG, settings.lang)
    context.remember(PLATFORMS, settings.platforms)
    context.remember(ONBOARDED, settings.onboarded or None)
    if settings.lang:
        context.lang = settings.lang


# ---- commands ----------------------------------------------------------------------------------------------
async def rate(update: Update, context: BotContext) -> None:
    """`/rate <title> <stars>` saves (half stars welcome); `/rate <title>` asks with star buttons."""
    query, stars = parse_rate(context.args)
    found = answers.resolve(context.catalog, query, CARD, context.platforms, context.lang)
    if isinstance(found, Reply):
        await send(update, found)
        return
    title, name = found[0], answers.work_name(context.catalog, found)
    if stars is None:
        await send_mine(update, context, show.ask_stars(name, query, title.id, context.lang))
        return
    await context.storage.rate(update.effective_user.id, representative(context.catalog, title.id), stars)
    await send(update, render.message(context.lang, "rate_done", title=render.escape(name),
                                      stars=show.stars(stars)))


async def rating_or_stars(update: Update, context: BotContext) -> bool:
    """`/rating the matrix 5` is someone giving stars: point to /rate (True when it did)."""
    found = trailing_stars(context.args)
    if found is None or found[0].lower() in context.catalog.maturity_ratings:
        return False
    title, stars = found
    await send(update, render.message(context.lang, "rating_is_maturity", title=render.escape(title), stars=stars))
    return True


async def for_you_command(update: Update, context: BotContext) -> None:
    if not await private_only(update, context, "foryou"):
        return
    # picks leave out whatever the person rated, saw, hid or listed: no marks to show, no read for them
    await send(update, await for_you_page(context, update.effective_user.id, 0))


async def for_you_page(context: BotContext, user_id: int, page: int) -> Reply:
    taste = await context.storage.taste(user_id)
    found = context.catalog.for_you(person(taste), PAGE_SIZE + 1, page * PAGE_SIZE)
    return show.picks(found[:PAGE_SIZE], page, user_id, len(found) > PAGE_SIZE, bool(taste.rated), context.lang,
                      show.services_mask(context.platforms))


async def watchlist_command(update: Update, context: BotContext) -> None:
    if not await private_only(update, context, "watchlist"):
        return
    await send(update, await watchlist_page(context, update.effective_user.id, 0))


async def watchlist_page(context: BotContext, user_id: int, page: int) -> Reply:
    ids = await context.storage.watchlist(user_id)
    works = [context.catalog.works.candidate(int(context.catalog.works.of_row[t.index]), 1.0, "watchlist",
                                             context.platforms)
             for t in (context.catalog.by_id(i) for i in ids) if t is not None]
    return show.watchlist(works, page, user_id, context.lang)


async def recommend_for_person(update: Update, context: BotContext, query: str) -> None:
    """`/recommend <title>` (or `/recommend me <title>`): for the person who asks, from their own ratings."""
    if not await private_only(update, context, "help"):
        return
    titles = answers.resolve(context.catalog, query, CARD, context.platforms, context.lang)
    if isinstance(titles, Reply):  # did you mean…, or not on these services
        await send(update, titles)
        return
    await send(update, await verdict_reply(update, context, titles))


async def verdict_reply(update: Update, context: BotContext, titles) -> Reply:
    """The answer to `/recommend me <title>` as it stands now, with the reader's marks on its buttons."""
    taste = await context.storage.taste(update.effective_user.id)
    found = context.catalog.recommend_for(person(taste), titles[0].id, PAGE_SIZE)
    name = answers.work_name(context.catalog, titles)
    return await mine(update, context, show.verdict(found, titles, context.lang, name))


async def mark(update: Update, context: BotContext, kind: str, on: bool) -> None:
    """`/seen <title>`, `/hide <title>` and their undoing, `/unseen` and `/unhide`: for the person who typed it."""
    query = parsing.title(context.args)
    found = answers.resolve(context.catalog, query, CARD, context.platforms, context.lang)
    if isinstance(found, Reply):  # did you mean… (each opens the card, whose buttons mark it), or absent
        await send(update, found)
        return
    key = representative(context.catalog, found[0].id)
    store, user_id = context.storage, update.effective_user.id
    add, remove = {SEEN: (store.mark_seen, store.unmark_seen), HIDE: (store.hide, store.unhide)}[kind]
    word = {SEEN: "seen", HIDE: "hide"}[kind]
    if on:
        await add(user_id, key)
        outcome = "on"
    else:
        outcome = "off" if await remove(user_id, key) else "was_off"
    name = render.escape(answers.work_name(context.catalog, found))
    await send(update, render.message(context.lang, f"typed_{word}_{outcome}", title=name))


async def seen_command(update: Update, context: BotContext) -> None:
    await mark(update, context, SEEN, True)


async def unseen_command(update: Update, context: BotContext) -> None:
    await mark(update, context, SEEN, False)


async def hide_command(update: Update, context: BotContext) -> None:
    await mark(update, context, HIDE, True)


async def unhide_command(update: Update, context: BotContext) -> None:
    await mark(update, context, HIDE, False)


def recommend_target(catalog: Catalog, args: Sequence[str], platforms) -> str | None:
    """The title when `/recommend` is for the person who asks, None when it names a dataset user.

    `me <title>` is always the person, and so is text with no number. A number is a dataset user id only
    when the rest names a title (or a few, to choose from) and the whole text does not name one with that
    number in that place: `42 the matrix` is user 42, `21 jump street` is a title, and
    `3 toy story` is user 3 (Toy Story 3 has its number elsewhere)."""
    tokens = parsing.words(args)
    if not tokens:
        return None
    if tokens[0].lower() in ME_WORDS:
        return " ".join(tokens[1:]) or None
    number = next((w for w in tokens if _NUMBER_WORD.match(w)), None)
    whole = " ".join(tokens)
    if number is None:
        return whole
    if not number.isdigit():
        return None  # "-5", "4.5": meant as a user id, wrongly; parsing.recommend says so
    place = tokens.index(number)
    rest = " ".join(tokens[:place] + tokens[place + 1:])
    if not rest:  # a number alone: a title when one is called that ("1917"), else "which title?" for a user id
        return whole if catalog.search(whole, platforms=platforms).chosen else None
    if catalog.search(rest, platforms=platforms).absent:
        return whole
    named = catalog.search(whole, platforms=platforms).chosen
    title_words = normalise_title(named.display_title).split() if named else []
    return whole if place < len(title_words) and title_words[place] == number else None


async def private_only(update: Update, context: BotContext, payload: str) -> bool:
    """Personal lists stay out of groups: there, a button opens the private chat instead (False)."""
    if in_private(update):
        return True
    link = f"https://t.me/{context.bot.username}?start={payload}"
    await send(update, render.reply(render.text(context.lang, "private_only"),
                                    ((render.Button(render.text(context.lang, "button_open"), url=link),),)))
    return False


async def my_data(update: Update, context: BotContext) -> None:
    if not await private_only(update, context, "mydata"):
        return
    stored = await context.storage.everything(update.effective_user.id)
    document = json.dumps(stored, ensure_ascii=False, indent=1).encode()
    await update.effective_message.reply_document(
        InputFile(document, filename="my-data.json"), caption=render.text(context.lang, "mydata_caption"))


async def forget(update: Update, context: BotContext) -> None:
    if not await private_only(update, context, "forget"):
        return
    user_id = update.effective_user.id
    counts = await context.storage.counts(user_id)
    await send(update, show.forget_confirm(counts, user_id, context.lang))


# ---- importing a Letterboxd or IMDb export -------------------------------------------------------------
EXPORT_KINDS = {"letterboxd_ratings": "Letterboxd ratings", "letterboxd_watched": "Letterboxd watched",
                "letterboxd_watchlist": "Letterboxd watchlist", "letterboxd_zip": "Letterboxd export",
                "imdb_ratings": "IMDb ratings"}


async def import_export(update: Update, context: BotContext) -> None:
    """A document in a private chat: a Letterboxd (ratings, watched, watchlist) or IMDb ratings export.
    All of it is stored in one transaction, or nothing is; the unmatched rows come back as a file."""
    document = update.effective_message.document
    lang = context.lang
    if document.file_size and document.file_size > MAX_EXPORT_BYTES:  # refused before downloading it
        await send(update, render.message(lang, "import_too_large", limit=MAX_EXPORT_BYTES // 2**20))
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    try:  # parsing and matching 2,000 rows takes a while: off the event loop, so other chats don't wait
        result = await asyncio.to_thread(context.catalog.read_export, data, document.file_name)
    except ExportError as error:
        await send(update, render.message(lang, f"import_{error.reason}", limit=MAX_EXPORT_BYTES // 2**20))
        return
    items = [ImportItem(r.title_id, r.stars, r.seen, r.watchlist) for r in result.matched]
    saved = await context.storage.import_items(update.effective_user.id, items)
    summary = render.message(
        lang, "import_done", kind=EXPORT_KINDS.get(result.kind, result.kind), matched=len(result.matched),
        total=result.total, unmatched=len(result.unmatched), **saved)
    await send(update, summary)
    if result.unmatched:
        await update.effective_message.reply_document(
            InputFile(result.unmatched_csv(), filename="not-matched.csv"),
            caption=render.text(lang, "import_unmatched", count=len(result.unmatched)))


# ---- the first /start ------------------------------------------------------------------------------------
async def onboard(update: Update, context: BotContext) -> bool:
    """The first /start in a private chat asks for services, then about popular titles (True when it did)."""
    if not in_private(update) or (context.user_data or {}).get(ONBOARDED):
        return False
    try:
        taste = await context.storage.taste(update.effective_user.id)
    except StorageUnavailable:
        return False  # nothing could be kept: the plain welcome instead
    if taste.rated:
        return False
    mask = show.services_mask(context.platforms)
    name = render.escape(update.effective_user.first_name or "")
    await send(update, show.services(mask, context.lang, render.text(context.lang, "onboard_welcome", name=name)))
    return True


async def onboarding_answer(context: BotContext, user_id: int, action: PersonalAction) -> Reply:
    catalog, platforms = context.catalog, context.platforms
    titles = catalog.onboarding(platforms, ONBOARDING_TITLES)
    if action.answer != "s" and action.title_id and catalog.by_id(action.title_id) is not None:
        key = representative(catalog, action.title_id)
        if action.answer in ("l", "k"):
            await context.storage.rate(user_id, key, LOVED if action.answer == "l" else LIKED)
        elif action.answer == "n":
            await context.storage.hide(user_id, key)
    step = action.number + 1
    if action.answer == "s" or step >= len(titles):
        await context.storage.mark_onboarded(user_id)
        picks = await for_you_page(context, user_id, 0)
        return render.Reply(render.text(context.lang, "onboard_done") + "\n\n" + picks.text, picks.buttons)
    return show.onboarding_step(step, len(titles), titles[step], context.lang)


# ---- buttons -----------------------------------------------------------------------------------------------
async def button(update: Update, context: BotContext) -> None:
    """A personal button: it acts for whoever pressed it."""
    query = update.callback_query
    action = decode(query.data)
    user_id = query.from_user.id
    on = query.message if isinstance(query.message, Message) else None
    if action.kind == STARS:  # a list line's ☆: its five stars, in place
        title = context.catalog.by_id(action.title_id)
        if title is None:
            await query.answer(render.text(context.lang, "stale_button"))
            return
        await query.answer(render.text(context.lang, "rate_which", title=answers.work_name(context.catalog, [title])))
        await refresh(update, context, action.title_id, expand=action.title_id)
        return
    if action.kind in TITLE_ACTIONS:
        await query.answer(await title_action(context, user_id, action))
        await refresh(update, context, action.title_id)
        return
    if action.owner is not None and action.owner != user_id:
        await query.answer(render.text(context.lang, "not_yours"))
        return
    if on is None and action.kind != TONIGHT:
        await query.answer(render.text(context.lang, "stale_button"))
        return
    if action.kind == TONIGHT:
        chosen = await tonight(context, user_id)
        await query.answer(None if chosen else render.text(context.lang, "watchlist_empty"))
        if chosen and on is not None:
            await answer(on, await mine(update, context, answers.title_card(context.catalog, chosen,
                                                                              context.platforms, context.lang)))
        return
    reply = await list_action(context, user_id, action)  # watchlist, /foryou pages, onboarding: nothing marked
    await query.answer()
    await edit(query, reply)


async def title_action(context: BotContext, user_id: int, action: PersonalAction) -> str:
    """Rate / seen / watchlist / not for me, each undone by pressing it again; the popup says which."""
    catalog, lang = context.catalog, context.lang
    title = catalog.by_id(action.title_id)
    if title is None:
        return render.text(lang, "stale_button")
    key, name = representative(catalog, title.id), answers.work_name(catalog, [title])
    store = context.storage
    status = await store.status(user_id, key)
    if action.kind == RATE:
        stars = action.number / 2
        if status.stars == stars:
            await store.unrate(user_id, key)
            return render.text(lang, "unrated", title=name)
        await store.rate(user_id, key, stars)
        return render.text(lang, "rated", title=name, stars=show.stars(stars))
    flags = {SEEN: (status.seen, store.mark_seen, store.unmark_seen, "seen"),
             WATCH: (status.listed, store.add_to_watchlist, store.remove_from_watchlist, "watch"),
             HIDE: (status.hidden, store.hide, store.unhide, "hide")}
    is_on, add, remove, word = flags[action.kind]
    await (remove if is_on else add)(user_id, key)
    return render.text(lang, f"{word}_{'off' if is_on else 'on'}", title=name)


async def list_action(context: BotContext, user_id: int, action: PersonalAction) -> Reply:
    if action.kind == LIST:
        return await watchlist_page(context, user_id, action.number)
    if action.kind == UNLIST:
        await context.storage.remove_from_watchlist(user_id, action.title_id)
        return await watchlist_page(context, user_id, action.number)
    if action.kind == FOR_YOU:
        return await for_you_page(context, user_id, action.number)
    if action.kind == FORGET:
        if not action.number:
            return render.message(context.lang, "forget_kept")
        deleted = await context.storage.forget(user_id)
        context.remember(ONBOARDED, None)
        return show.forgotten(deleted, context.lang)
    if action.kind == SERVICES:
        if action.answer is None:
            return show.services(action.number, context.lang)
        chosen = show.platforms_of(action.number)
        keys = tuple(p.key for p in chosen) or None
        await context.storage.set_platforms(user_id, keys)
        context.remember(PLATFORMS, keys)
        titles = context.catalog.onboarding(chosen or None, ONBOARDING_TITLES)
        if not titles:
            return await onboarding_answer(context, user_id, PersonalAction(ONBOARD, None, 0, None, "s"))
        return show.onboarding_step(0, len(titles), titles[0], context.lang)
    if action.kind == ONBOARD:
        return await onboarding_answer(context, user_id, action)
    raise ValueError(f"no answer for {action!r}")  # a new kind without a branch here is a bug


async def tonight(context: BotContext, user_id: int) -> str | None:
    """From the watchlist, the title they'd most likely enjoy tonight (on their services when possible)."""
    ids = await context.storage.watchlist(user_id)
    if not ids:
        return None
    who = person(await context.storage.taste(user_id))
    wanted = set(context.platforms or Platform)

    def rank(title_id: str) -> tuple[bool, float, str]:
        """On their services first, then the stars they'd give it (their own, else predicted)."""
        verdict = context.catalog.verdict_for(who, title_id)
        stars = 0.0 if verdict is None else verdict.own_rating or verdict.predicted_rating
        copies = context.catalog.works.rows[context.catalog.works.of_row[context.catalog.by_id(title_id).index]]
        on_services = any(context.catalog.titles[r].platform in wanted for r in copies)
        return on_services, stars, title_id

    known = [i for i in ids if context.catalog.by_id(i) is not None]
    return max(known, key=rank) if known else None


START_PAYLOADS = {  # `/start <payload>`: where the private-chat links of personal commands in groups lead
    "foryou": for_you_command, "watchlist": watchlist_command, "mydata": my_data, "forget": forget,
}
