"""Movie night (issue 12): a group picks what to watch together.

    /movienight [words]      in a group: a lobby message with "I'm in" / "I'm out", edited in place
    "Pick"                   (a member who is in, once two are) -> a native poll of candidates + their cards
    poll answers             counted for members who are in; the round ends when all of them voted, when
                             the starter presses "Close the vote", or when its time is up
    "Another round"          the next best, without the candidates nobody voted for

The night lives in the database (`storage.Store`'s nights): buttons carry only the night's id, and every
step that must happen once (the pick, the end of a round) is claimed with a conditional UPDATE, so a
restart loses nothing and several workers never do a step twice. Time comes from an injectable clock
(`bot_data[CLOCK]`); each worker sweeps for nights whose time is up every `SWEEP_SECONDS`, and the
database decides which worker ends each. Candidates are core's (`core.movienight`); the group only ever
sees the combined result, never a member's own ratings or predictions.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from telegram import ChatMember, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application

from bot import parsing, render
from bot.callback_data import CARD, Action
from bot.context import STORAGE, BotContext, catalog_of
from bot.genre_names import SPANISH
from bot.personal import person
from bot.render import Button, Reply
from bot.replies import edit, markup, send
from bot.texts import text
from core import Catalog
from core.genres import GENRES
from core.movienight import (
    ALL_EXCLUDED, MIN_CANDIDATES, NO_SHARED_SERVICE, NOTHING_MATCHES, Narrowing, NightPick, shared_services,
)
from core.vocabulary import MOVIE, TITLE_TYPES, TV_SHOW, Platform
from storage import Night, Storage, StorageUnavailable, Tally

log = logging.getLogger(__name__)
CLOCK, SWEEPER = "movie_night_clock", "movie_night_sweeper"  # bot_data keys
TIMEOUT_MINUTES = 30  # a round's vote, unless the starter gave another
MAX_TIMEOUT_MINUTES = 24 * 60
POLL_SIZE = 6  # candidates in a first poll (the issue: 4 to 8)
MAX_POLL = 8
KEEP_VOTED = 4  # "Another round" keeps at most this many of the last round's candidates that got votes
SWEEP_SECONDS = 10.0  # how often each worker looks for nights whose time is up
MAX_WORDS = 20


def utc_now() -> datetime:
    return datetime.now(UTC)


def clock_of(application: Application) -> Callable[[], datetime]:
    return application.bot_data.get(CLOCK, utc_now)


# ---- the words after /movienight -------------------------------------------------------------------------
@dataclass(frozen=True)
class NightWords:
    genres: tuple[str, ...] = ()
    kind: str | None = None
    max_minutes: int | None = None
    like: str | None = None  # the title as typed
    timeout_minutes: int = TIMEOUT_MINUTES


def _plain_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _singular(word: str) -> str:
    for ending, instead in (("ies", "y"), ("ales", "al"), ("es", "e"), ("s", "")):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)] + instead
    return word


def _genre_names() -> dict[str, str]:
    """Every way to name a vocabulary genre: its English and Spanish names, each part of a two-part name
    ("action", "adventure"), a few usual short forms, singular (comedies -> comedy)."""
    names: dict[str, str] = {}
    extra = {"sci-fi": "science fiction", "scifi": "science fiction", "romcom": "romance", "doc": "documentary",
             "docs": "documentary", "cartoons": "animation", "kids": "kids & family", "family": "kids & family",
             "familiar": "kids & family", "infantil": "kids & family", "policiaca": "crime", "romantica": "romance",
             "suspenso": "thriller", "miedo": "horror", "musical": "music & musicals", "ciencia-ficcion":
             "science fiction", "standup": "stand-up comedy", "stand-up": "stand-up comedy"}
    for genre in GENRES:
        spellings = {genre, SPANISH.get(genre, genre)}
        for spelling in list(spellings):
            spellings |= {part.strip() for part in re.split(r"&| y | and ", spelling) if part.strip()}
            spellings |= {spelling.replace("&", "and"), spelling.replace("&", "y")}
        for spelling in spellings:
            key = _plain_word(spelling)
            names.setdefault(key, genre)
            names.setdefault(_singular(key), genre)
    for word, genre in extra.items():
        names.setdefault(word, genre)
    return names


GENRE_NAMES = _genre_names()
LIKE_WORDS = ("like", "como", "similar to", "similar a", "parecida a", "parecido a", "parecidas a")
UNDER_WORDS = ("under", "below", "bajo", "max", "menos de", "less than", "up to", "hasta", "<")
_TIME = re.compile(r"^(?:(\d{1,2})\s*(?:h|hr|hrs|hour|hours|hora|horas)\s*(\d{1,2})?\s*(?:m|min|mins)?|"
                   r"(\d{1,4})\s*(?:m|min|mins|minute|minutes|minuto|minutos)|"
                   r"(\d{1,2}[.,]\d)\s*(?:h|hr|hrs|hour|hours|hora|horas))$")
_UNIT = re.compile(r"^(?:h|hr|hrs|hour|hours|hora|horas|m|min|mins|minute|minutes|minuto|minutos)$")


def minutes_of(word: str) -> int | None:
    """'2h' -> 120, '90m' -> 90, '1h30' -> 90, '1.5h' -> 90; None when the word is no length of time."""
    match = _TIME.match(_plain_word(word))
    if match is None:
        return None
    hours, extra, minutes, decimal_hours = match.groups()
    if hours is not None:
        return int(hours) * 60 + int(extra or 0)
    if minutes is not None:
        return int(minutes)
    return round(float(decimal_hours.replace(",", ".")) * 60)


def _starts_with(tokens: Sequence[str], at: int, phrases: Sequence[str]) -> int:
    """How many tokens from `at` make one of the phrases (0: none)."""
    for phrase in sorted(phrases, key=len, reverse=True):
        words = phrase.split()
        if [_plain_word(t) for t in tokens[at:at + len(words)]] == words:
            return len(words)
    return 0


def _length_at(tokens: Sequence[str], at: int) -> tuple[int | None, int]:
    """(minutes, tokens used) of a length written as one word ('2h') or two ('2 h', '90 min')."""
    if at >= len(tokens):
        return None, 0
    if at + 1 < len(tokens) and tokens[at].isdigit() and _UNIT.match(_plain_word(tokens[at + 1])):
        return minutes_of(tokens[at] + tokens[at + 1]), 2
    return minutes_of(tokens[at]), 1


def parse_night_words(args: Sequence[str] | str) -> NightWords:
    """The narrowing words, in any order: genres, movie|show, `under 2h`, a vote time (`45m`), and
    `like <title>` (the rest of the words). Raises parsing.UsageError for a word it does not know."""
    tokens = parsing.words(args)
    if len(tokens) > MAX_WORDS:
        raise parsing.UsageError("too_long")
    genres: list[str] = []
    kind = max_minutes = like = None
    timeout = TIMEOUT_MINUTES
    at = 0
    while at < len(tokens):
        word = tokens[at]
        plain = _plain_word(word)
        if used := _starts_with(tokens, at, LIKE_WORDS):
            like = " ".join(tokens[at + used:])
            if not like:
                raise parsing.UsageError("night_like_missing")
            break
        if used := _starts_with(tokens, at, UNDER_WORDS):
            minutes, taken = _length_at(tokens, at + used)
            if not minutes:
                raise parsing.UsageError("night_bad_length", " ".join(tokens[at:at + used + 1]))
            max_minutes, at = minutes, at + used + taken
            continue
        minutes, taken = _length_at(tokens, at)
        if minutes is not None:
            if not 1 <= minutes <= MAX_TIMEOUT_MINUTES:
                raise parsing.UsageError("night_bad_timeout", word)
            timeout, at = minutes, at + taken
            continue
        if plain in ("peli", "pelis", "pelicula", "peliculas") or plain in TITLE_TYPES:
            kind = MOVIE if plain.startswith("peli") else TITLE_TYPES.parse(plain)
            at += 1
            continue
        found = next(((GENRE_NAMES[name], n) for n in (3, 2, 1)
                      if (name := _plain_word(" ".join(tokens[at:at + n]))) in GENRE_NAMES
                      or (name := _singular(name)) in GENRE_NAMES), None)
        if found is None:
            raise parsing.UsageError("night_unknown_word", word)
        genre, taken = found
        if genre not in genres:
            genres.append(genre)
        at += taken
    return NightWords(tuple(genres), kind, max_minutes, like, timeout)


def narrowing(catalog: Catalog, words: NightWords) -> Narrowing:
    """The words as core's values; `like` must name a title clearly (else parsing.UsageError)."""
    like = None
    if words.like:
        chosen = catalog.search(words.like).chosen
        if chosen is None:
            raise parsing.UsageError("night_like_unclear", words.like)
        like = int(catalog.works.of_row[catalog.by_id(chosen.id).index])
    return Narrowing(words.genres, words.kind, words.max_minutes, like)


# ---- the callback data of its buttons (within 64 bytes: a letter, the night's id and a round) ------------
IN, OUT, PICK, CLOSE, AGAIN = "i", "o", "p", "c", "a"
_DATA = re.compile(r"^m([iopca]):([0-9]{1,12})(?::([0-9]{1,4}))?$")


def night_data(kind: str, night_id: int, round_: int | None = None) -> str:
    data = f"m{kind}:{night_id}" + (f":{round_}" if round_ is not None else "")
    if decode(data) != (kind, night_id, round_):
        raise ValueError(f"cannot encode {kind!r} {night_id} {round_} as callback data")
    return data


def decode(data: object) -> tuple[str, int, int | None] | None:
    """(kind, night id, round or None) of a movie night button; None when it is not one."""
    if not isinstance(data, str) or len(data) > 64:
        return None
    match = _DATA.match(data)
    if match is None or (match.group(1) in (CLOSE, AGAIN)) != (match.group(3) is not None):
        return None
    return match.group(1), int(match.group(2)), int(match.group(3)) if match.group(3) else None


# ---- rendering (pure) ----------------------------------------------------------------------------------------
def _words_line(words: str) -> str:
    return f" · {render.escape(render.shorten(words, 80))}" if words else ""


def lobby(night: Night) -> Reply:
    lang = night.lang
    names = [render.escape(m.name) for m in night.joined]
    lines = [text(lang, "night_title") + _words_line(night.words),
             text(lang, "night_in", count=len(names), names=", ".join(names)) if names else text(lang, "night_nobody")]
    if night.state in ("lobby", "picking"):
        lines.append(text(lang, "night_lobby_help", minutes=night.timeout_minutes))
        buttons = ((Button(text(lang, "button_night_in"), night_data(IN, night.night_id)),
                    Button(text(lang, "button_night_out"), night_data(OUT, night.night_id))),
                   (Button(text(lang, "button_night_pick"), night_data(PICK, night.night_id)),))
        return render.reply(lines, buttons)
    lines.append(text(lang, "night_lobby_voting" if night.state in ("voting", "counting") else "night_lobby_done"))
    return render.reply(lines)


def poll_option(position: int, pick_title: str, year: int) -> str:
    return render.shorten(f"{position}. {pick_title} ({year})", 100)


def candidates_message(catalog: Catalog, picks: Sequence[NightPick], platforms: Sequence[Platform], members: int,
                       minutes: int, lang: str) -> Reply:
    """One message with every candidate's card in short, and where to watch it on the shared services."""
    lines = [text(lang, "night_cards", count=members, platforms=render.platform_names(platforms))]
    for position, pick in enumerate(picks, 1):
        title = catalog.by_id(pick.id)
        genres = ", ".join(render.genre_label(g, lang) for g in title.genres[:3])
        details = [str(pick.year), render.kind(pick.type, lang),
                   render.duration(title.duration_int, title.duration_type, lang)]
        lines.append("")
        lines.append(f"{position}. <b>{render.escape(pick.display_title)}</b> ({', '.join(details)})"
                     + (f" · {render.escape(genres)}" if genres else ""))
        description = title.display_description or render.sentence_case(title.description or "")
        if description:
            lines.append(f"<i>{render.escape(render.shorten(description, 160))}</i>")
        lines.append(text(lang, "night_on", platforms=render.platform_names(pick.platforms)))
    lines += ["", text(lang, "night_cards_footer", minutes=minutes)]
    numbers = tuple(Button(str(k), Action(CARD, pick.id).encode()) for k, pick in enumerate(picks, 1))
    return render.reply(lines, (numbers,))


def winner_of(tally: Tally):
    """Most votes; a tie goes to the combined taste, then to the earlier option."""
    return max(tally.candidates, key=lambda c: (c.votes, c.score, -c.position))


def result(catalog: Catalog, night: Night, tally: Tally, platforms: Sequence[Platform], why: str) -> Reply:
    lang = night.lang
    voted = winner_of(tally)
    # The data may have been swapped for a new ETL output during the vote: a candidate gone from it can't win.
    listed = tuple(c for c in tally.candidates if catalog.by_id(c.title_id) is not None)
    if not listed:
        return render.reply([text(lang, f"night_ended_{why}"), text(lang, "night_all_gone")],
                            ((Button(text(lang, "button_night_again"), night_data(AGAIN, night.night_id, night.round)),),))
    winner = max(listed, key=lambda c: (c.votes, c.score, -c.position))
    title = catalog.by_id(winner.title_id)
    work = int(catalog.works.of_row[title.index])
    copies = catalog.works.copies(work)
    shared = [t for t in copies if t.platform in platforms] or list(copies)
    name = catalog.works.display_title[work]
    members = len(night.joined)
    lines = [text(lang, f"night_ended_{why}"),
             text(lang, "night_winner", title=render.escape(name),
                  votes=text(lang, "night_votes", count=winner.votes, members=members),
                  platforms=render.platform_names([t.platform for t in shared]))]
    if winner is not voted:
        lines.append(text(lang, "night_winner_gone"))
    elif winner.votes == 0:
        lines.append(text(lang, "night_no_votes"))
    elif sum(1 for c in tally.candidates if c.votes == winner.votes) > 1:
        lines.append(text(lang, "night_tie"))
    if tally.ignored:
        lines.append(text(lang, "night_ignored", count=tally.ignored))
    lines += ["", render.card_text(shared, lang, name), "", text(lang, "night_again_hint")]
    buttons = (*render.card_buttons(shared[0].id, lang),
               (Button(text(lang, "button_night_again"), night_data(AGAIN, night.night_id, night.round)),))
    return render.reply(lines, buttons)


def nothing_to_propose(shortfall: str, night: Night, platforms: Sequence[Platform], who: Sequence[str]) -> Reply:
    lang = night.lang
    words = render.escape(render.shorten(night.words, 80))
    narrowed = text(lang, "night_narrowed", words=words) if night.words else ""
    return render.message(lang, f"night_none_{shortfall}", platforms=render.platform_names(platforms),
                          words=words, narrowed=narrowed, who=", ".join(render.escape(n) for n in who))


# ---- the command -----------------------------------------------------------------------------------------
async def movienight_command(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat is None or chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        bot = context.bot.username or "bot"
        link = f"https://t.me/{bot}?startgroup=movienight"
        await send(update, render.reply(text(context.lang, "night_private", bot=render.escape(bot)),
                                        ((Button(text(context.lang, "button_add_to_group"), url=link),),)))
        return
    words = parse_night_words(context.args or ())
    narrowing(context.catalog, words)  # a `like` title nobody can tell is refused now, not at "Pick"
    user = update.effective_user
    night, created = await context.storage.start_night(
        chat.id, user.id, user.first_name or str(user.id), context.lang, " ".join(context.args or ()),
        words.timeout_minutes)
    if not created:
        reply = render.message(context.lang, "night_already")
        if night.lobby_message_id:
            await context.bot.send_message(chat.id, reply.text, reply_to_message_id=night.lobby_message_id,
                                           allow_sending_without_reply=True)
        else:
            await send(update, reply)
        return
    reply = lobby(night)
    sent = await update.effective_message.reply_text(reply.text, reply_markup=markup(reply))
    await context.storage.set_lobby_message(night.night_id, sent.message_id)


# ---- buttons ----------------------------------------------------------------------------------------------
async def button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    kind, night_id, round_ = decode(query.data)
    store, lang, user = context.storage, context.lang, query.from_user
    night = await store.night(night_id)
    on = query.message if isinstance(query.message, Message) else None
    if night is None or night.state == "over" or on is None or on.chat.id != night.chat_id:
        await query.answer(text(lang, "night_gone"))
        return
    if kind in (IN, OUT):
        after = await store.set_member(night_id, user.id, user.first_name or str(user.id), kind == IN)
        if after is None:
            await query.answer(text(lang, "night_closed_lobby"))
            return
        await query.answer(text(lang, "night_joined" if kind == IN else "night_left"))
        await edit(query, lobby(after))
    elif kind == PICK:
        if night.state != "lobby":
            await query.answer(text(lang, "night_busy" if night.state == "picking" else "night_closed_lobby"))
        elif not night.has_joined(user.id):
            await query.answer(text(lang, "night_join_first"))
        elif len(night.joined) < 2:
            await query.answer(text(lang, "night_need_two"))
        else:
            claimed = await store.claim_pick(night_id, 1)
            await query.answer(text(lang, "night_picking" if claimed else "night_busy"))
            if claimed:
                await run_round(context.application, claimed)
    elif kind == CLOSE:
        if user.id != night.starter_id:
            await query.answer(text(lang, "night_starter_only"))
            return
        claimed = await store.claim_end(night_id, round_)
        await query.answer(None if claimed else text(lang, "night_vote_over"))
        if claimed:
            await end_round(context.application, claimed, "close")
    elif kind == AGAIN:
        if not night.has_joined(user.id):
            await query.answer(text(lang, "night_members_only"))
            return
        claimed = await store.claim_pick(night_id, round_ + 1)
        await query.answer(text(lang, "night_picking") if claimed else text(lang, "night_vote_over"))
        if claimed:
            await run_round(context.application, claimed)


# ---- a round: candidates, the poll, the cards ------------------------------------------------------------------
async def _members(store: Storage, night: Night):
    tastes = [await store.taste(m.user_id) for m in night.joined]
    return [person(t) for t in tastes]


async def run_round(application: Application, night: Night) -> None:
    """Choose and send the next round's candidates (the night was claimed: state "picking")."""
    catalog: Catalog = catalog_of(application)
    store: Storage = application.bot_data[STORAGE]
    bot, lang, round_ = application.bot, night.lang, night.round + 1
    back_to = "lobby" if round_ == 1 else "counted"
    try:
        people = await _members(store, night)
        kept: list[tuple[str, float]] = []
        leave_out: list[str] = []
        if round_ > 1:
            earlier = await store.tallies(night.night_id)
            leave_out = [c.title_id for t in earlier for c in t.candidates]
            voted = sorted((c for c in earlier[-1].candidates if c.votes), key=lambda c: (-c.votes, -c.score))
            kept = [(c.title_id, c.score) for c in voted[:KEEP_VOTED]]
        wanted = (POLL_SIZE if round_ == 1 else MAX_POLL) - len(kept)
        choice = await asyncio.to_thread(catalog.movie_night.choose, people,
                                         narrowing(catalog, parse_night_words(night.words)), wanted, leave_out)
        kept = [(t, s) for t, s in kept if catalog.by_id(t) is not None]  # not gone with a data update
        picks = [*(_kept_pick(catalog, t, s, choice.platforms) for t, s in kept), *choice.picks]
        if len(picks) < MIN_CANDIDATES:
            await store.release_pick(night.night_id, back_to)
            who = [m.name for m, p in zip(night.joined, people) if p.platforms]
            reply = nothing_to_propose(choice.shortfall or ALL_EXCLUDED, night, choice.platforms, who)
            await bot.send_message(night.chat_id, reply.text)
            return
        question = (text(lang, "night_question") if round_ == 1
                    else text(lang, "night_question_again", round=round_))
        close = Reply("", ((Button(text(lang, "button_night_close"), night_data(CLOSE, night.night_id, round_)),),))
        poll = await bot.send_poll(
            night.chat_id, render.shorten(question, 300),
            [poll_option(k, p.display_title, p.year) for k, p in enumerate(picks, 1)],
            is_anonymous=False, allows_multiple_answers=True, reply_markup=markup(close))
    except (TelegramError, StorageUnavailable, parsing.UsageError):
        log.warning("movie night %s: the round could not start", night.night_id, exc_info=True)
        with contextlib.suppress(StorageUnavailable):
            await store.release_pick(night.night_id, back_to)
        with contextlib.suppress(TelegramError):
            await bot.send_message(night.chat_id, text(lang, "night_send_failed"))
        return
    deadline = clock_of(application)() + timedelta(minutes=night.timeout_minutes)
    await store.open_round(night.night_id, [(p.id, p.score) for p in picks], poll.poll.id, poll.message_id, deadline)
    cards = candidates_message(catalog, picks, choice.platforms, len(night.joined), night.timeout_minutes, lang)
    await bot.send_message(night.chat_id, cards.text, reply_markup=markup(cards),
                           reply_to_message_id=poll.message_id, allow_sending_without_reply=True)
    if round_ == 1:
        await _show_lobby(application, await store.night(night.night_id))


def _kept_pick(catalog: Catalog, title_id: str, score: float, platforms: Sequence[Platform]) -> NightPick:
    work = int(catalog.works.of_row[catalog.by_id(title_id).index])
    title_id, name, year, kind, on, ids = catalog.works.describe(work, platforms)
    return NightPick(title_id, name, year, kind, tuple(p for p in platforms if p in on), ids, score=score)


async def _show_lobby(application: Application, night: Night | None) -> None:
    """The lobby message as the night now is (names in, or that voting is on)."""
    if night is None or not night.lobby_message_id:
        return
    reply = lobby(night)
    try:
        await application.bot.edit_message_text(reply.text, night.chat_id, night.lobby_message_id,
                                                reply_markup=markup(reply))
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            log.info("movie night %s: lobby not edited (%s)", night.night_id, error)


# ---- the end of a round -------------------------------------------------------------------------------------
async def end_round(application: Application, night: Night, why: str) -> None:
    """Stop the poll and announce the winner (the night was claimed: state "counting")."""
    catalog: Catalog = catalog_of(application)
    store: Storage = application.bot_data[STORAGE]
    bot = application.bot
    with contextlib.suppress(BadRequest):  # already closed by hand, or deleted: the votes are ours anyway
        await bot.stop_poll(night.chat_id, night.poll_message_id)
    tally = (await store.tallies(night.night_id))[-1]
    settings = [await store.settings(m.user_id) for m in night.joined]
    platforms = shared_services(s.platforms or () for s in settings) or tuple(Platform)
    await store.finish_round(night.night_id, winner_of(tally).title_id)
    reply = result(catalog, night, tally, platforms, why)
    await bot.send_message(night.chat_id, reply.text, reply_markup=markup(reply),
                           reply_to_message_id=night.poll_message_id, allow_sending_without_reply=True)
    if night.round == 1:
        await _show_lobby(application, await store.night(night.night_id))


async def poll_answer(update: Update, context: BotContext) -> None:
    """A vote (or a vote taken back) in a night's poll; the last joined member's vote ends the round."""
    answer = update.poll_answer
    if answer.user is None:  # a vote on behalf of a chat: nobody who joined
        return
    vote = await context.storage.record_vote(answer.poll_id, answer.user.id, answer.option_ids)
    if vote.night is not None and vote.everyone_voted:
        claimed = await context.storage.claim_end(vote.night.night_id, vote.night.round)
        if claimed:
            await end_round(context.application, claimed, "all")


# ---- members leaving the group ----------------------------------------------------------------------------------
async def member_left(update: Update, context: BotContext) -> None:
    """A `left_chat_member` service message (sent with privacy mode on) or a chat_member update."""
    chat = update.effective_chat
    if update.chat_member is not None:
        change = update.chat_member
        if change.new_chat_member.status not in (ChatMember.LEFT, ChatMember.BANNED):
            return
        user = change.new_chat_member.user
    else:
        user = update.effective_message.left_chat_member
    if chat is None or user is None:
        return
    for night in await context.storage.leave_chat(chat.id, user.id):
        await after_leaving(context.application, night)


async def after_leaving(application: Application, night: Night) -> None:
    store: Storage = application.bot_data[STORAGE]
    if night.state == "lobby":
        await _show_lobby(application, night)
    elif night.state == "voting" and await store.everyone_voted(night.night_id):
        claimed = await store.claim_end(night.night_id, night.round)
        if claimed:
            await end_round(application, claimed, "left")


# ---- time's up ----------------------------------------------------------------------------------------------
async def sweep(application: Application) -> int:
    """End every night whose vote time is up and that no other worker ended first; how many this one ended."""
    store: Storage = application.bot_data[STORAGE]
    now = clock_of(application)()
    ended = 0
    for night_id, round_ in await store.due_nights(now):
        claimed = await store.claim_end(night_id, round_, due_by=now)
        if claimed:
            await end_round(application, claimed, "time")
            ended += 1
    return ended


async def sweeper(application: Application, every: float = SWEEP_SECONDS) -> None:
    """Runs while the application runs: `sweep` every `every` seconds; a failure is logged, never fatal."""
    while True:
        await asyncio.sleep(every)
        try:
            await sweep(application)
        except StorageUnavailable:
            pass  # logged by storage; the next sweep tries again
        except Exception:
            log.exception("movie night: the sweep failed")


def start_sweeper(application: Application) -> None:
    if application.bot_data.get(SWEEPER) is None:
        application.bot_data[SWEEPER] = asyncio.get_running_loop().create_task(sweeper(application))


async def stop_sweeper(application: Application) -> None:
    task = application.bot_data.pop(SWEEPER, None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
