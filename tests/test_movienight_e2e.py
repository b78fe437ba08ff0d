"""Movie night end to end through the Bot API double over HTTP, with a real SQLite file: a whole night with
three members (join, out and in again, a member leaving the group, pick, votes, a stranger's vote, the
winner, another round), a night that survives a restart halfway and whose timeout ends it once with two
workers, and two groups at once with one person in both. Time is the test's clock: no sleeps."""
from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta

import pytest
from telegram import Update

from bot import render
from bot.app import build_application
from bot.movienight import CLOCK, stop_sweeper, sweep
from storage import Storage

sys.path.insert(0, os.path.dirname(__file__))

from telegram_double import TelegramDouble  # noqa: E402
from test_bot_e2e import TOKEN, running, settings_for  # noqa: E402
# the loopback-only environment, the Bot API double (same bot name) and a database file of its own per test
from test_personal_e2e import _loopback_only, database, double  # noqa: E402,F401

BOT = "catalog_e2e_bot"
GROUP, OTHER_GROUP = -1001230001, -1001230002
ANN, BOB, CAT, DAN, EVE = 8001, 8002, 8003, 8004, 8005
NAMES = {ANN: "Ann", BOB: "Bob", CAT: "Cat", DAN: "Dan", EVE: "Eve"}
# data/sample/netflix.csv, the sample's Netflix titles (s1..s35): every candidate must be one of them
NETFLIX_TITLES = {f"ns{k}" for k in range(1, 36)}


class Clock:
    """The bot's clock for movie night: moves only when the test says."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 6, 20, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


def buttons(message: dict | None) -> dict[str, str]:
    """text -> callback data of a message's inline keyboard."""
    rows = ((message or {}).get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b.get("callback_data") for row in rows for b in row}


async def private(tg: TelegramDouble, user: int, text: str) -> None:
    await tg.replies_to(tg.user_message(text, user_id=user, first_name=NAMES[user]), timeout=10)


async def in_group(tg: TelegramDouble, user: int, text: str, group: int = GROUP, lang: str = "en"):
    [reply] = await tg.replies_to(tg.user_message(text, chat_id=group, user_id=user, chat_type="supergroup",
                                                  first_name=NAMES[user], language_code=lang), timeout=10)
    return reply


async def press(tg: TelegramDouble, user: int, data: str, message_id: int, group: int = GROUP,
                lang: str = "en") -> str | None:
    """A member presses a button; the popup's text once the bot answered it."""
    update = tg.callback_query(data, message_id=message_id, chat_id=group, user_id=user, chat_type="supergroup",
                               first_name=NAMES[user], language_code=lang)
    query_id = tg._updates[update].query_id
    answer = await tg.wait_for(lambda c: c.method == "answerCallbackQuery"
                               and str(c.params.get("callback_query_id")) == query_id, timeout=10)
    return answer.params.get("text")


async def lobby_text(tg: TelegramDouble, group: int, message_id: int, contains: str, since: int) -> str:
    """The lobby message once an edit (after call `since`) made it say `contains`."""
    await tg.wait_for(lambda c: c.method == "editMessageText" and c.ok and c.params.get("message_id") == message_id
                      and contains in render.plain(c.params.get("text", "")), timeout=10, since=since)
    return render.plain(tg.message(group, message_id)["text"])


async def start_night(tg: TelegramDouble, starter: int, words: str = "", group: int = GROUP, lang: str = "en") -> int:
    command = "movienight" if lang == "en" else "nochedecine"
    lobby = await in_group(tg, starter, f"/{command}@{BOT} {words}".strip(), group, lang)
    assert render.plain(lobby.params["text"]).startswith("🍿 Movie night" if lang == "en" else "🍿 Noche de cine")
    return lobby.result["message_id"]


async def join(tg: TelegramDouble, user: int, lobby: int, group: int = GROUP) -> None:
    mark = tg.mark()
    data = next(d for d in buttons(tg.message(group, lobby)).values() if d.startswith("mi:"))  # "I'm in", any language
    assert await press(tg, user, data, lobby, group) == "You're in."
    await lobby_text(tg, group, lobby, NAMES[user], mark)


async def pick(tg: TelegramDouble, user: int, lobby: int, group: int = GROUP):
    """Press "Pick": (the poll's sendPoll call, the candidates' message)."""
    mark = tg.mark()
    data = next(d for d in buttons(tg.message(group, lobby)).values() if d.startswith("mp:"))  # "Pick"
    assert await press(tg, user, data, lobby, group) == "Picking…"
    poll = await tg.wait_for(lambda c: c.method == "sendPoll" and c.ok and c.chat_id == group, since=mark, timeout=20)
    cards = await tg.wait_for(lambda c: c.method == "sendMessage" and c.ok and c.chat_id == group
                              and "candidat" in (c.text or ""), since=mark, timeout=10)
    return poll, cards


def titles_of(poll_call) -> list[str]:
    """The catalog ids behind a poll's options, from the candidates' message's card buttons (1, 2, …)."""
    return [data.split(":")[1] for text, data in buttons(poll_call.result).items()]


def candidate_ids(cards_call) -> list[str]:
    keyboard = buttons(cards_call.result)
    return [keyboard[str(k)].split(":")[1] for k in range(1, len(keyboard) + 1)]


async def result_message(tg: TelegramDouble, group: int, since: int):
    return await tg.wait_for(lambda c: c.method == "sendMessage" and c.ok and c.chat_id == group
                             and "🏆" in (c.text or ""), since=since, timeout=20)


async def stored_votes(application, expected: list[int], ignored: int = 0) -> None:
    """Wait (at most 10 s, checking the database) until the open round's counted votes are `expected` and
    `ignored` others were not counted: a vote changes nothing the group sees, so the database is where to
    see it arrive (votes are handled concurrently, so a test waits before the vote that must come last)."""
    store = application.bot_data["storage"]
    for _ in range(1000):
        night = await store.open_night(GROUP)
        tally = (await store.tallies(night.night_id))[-1]
        if [c.votes for c in tally.candidates] == expected and tally.ignored == ignored:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the votes never became {expected} with {ignored} not counted")


async def test_a_whole_night_with_three_members(sample_catalog, double, database):
    async with running(sample_catalog, double, "polling", database_url=database) as application:
        await private(double, ANN, "/platforms netflix hulu")
        await private(double, BOB, "/platforms netflix")  # Cat set none: all four; shared: Netflix only
        await private(double, CAT, "/rate the irishman 5")  # Cat has seen it: never a candidate
        lobby = await start_night(double, ANN)
        assert "In (1): Ann" in render.plain(double.message(GROUP, lobby)["text"])
        await join(double, BOB, lobby)
        await join(double, CAT, lobby)
        await join(double, DAN, lobby)
        assert "In (4): Ann, Bob, Cat, Dan" in render.plain(double.message(GROUP, lobby)["text"])
        # Cat steps out and in again; Dan leaves the group: he leaves the night
        mark = double.mark()
        assert await press(double, CAT, buttons(double.message(GROUP, lobby))["I'm out"], lobby) == "You're out."
        await lobby_text(double, GROUP, lobby, "In (3): Ann, Bob, Dan", mark)
        await join(double, CAT, lobby)
        mark = double.mark()
        double.member_left(GROUP, DAN)
        assert "In (3): Ann, Bob, Cat\n" in await lobby_text(double, GROUP, lobby, "In (3): Ann, Bob, Cat", mark)
        # the lobby is one message edited in place: the group got no message per press
        assert [m.message_id for m in double.sent_to(GROUP)] == [lobby]
        # Eve, who is not in, cannot pick
        assert await press(double, EVE, buttons(double.message(GROUP, lobby))["🎬 Pick"], lobby) == (
            "Only those who are in can pick: press “I'm in” first.")
        poll, cards = await pick(double, BOB, lobby)
        assert poll.params["is_anonymous"] is False and poll.params["allows_multiple_answers"] is True
        chosen = candidate_ids(cards)
        assert 4 <= len(chosen) <= 8 and len(poll.result["poll"]["options"]) == len(chosen)
        assert set(chosen) <= NETFLIX_TITLES and "ns1" not in chosen  # shared service; Cat saw The Irishman
        assert render.plain(cards.params["text"]).count("on Netflix") == len(chosen)
        assert "Voting is open" in await lobby_text(double, GROUP, lobby, "Voting is open", cards.index)
        assert not buttons(double.message(GROUP, lobby))  # no joining once the vote is on
        poll_id = poll.result["poll"]["id"]
        mark = double.mark()
        double.poll_answer(poll_id, [0, 1], user_id=ANN)
        double.poll_answer(poll_id, [1], user_id=BOB)
        double.poll_answer(poll_id, [0], user_id=DAN)  # left the group: not counted
        double.poll_answer(poll_id, [0], user_id=EVE)  # never joined: not counted
        await stored_votes(application, [1, 2] + [0] * (len(chosen) - 2), ignored=2)
        double.poll_answer(poll_id, [1, 2], user_id=CAT)  # the last one in: the round ends
        result = await result_message(double, GROUP, mark)
        text = render.plain(result.params["text"])
        assert text.startswith("Everyone in has voted.")
        winner = sample_catalog.by_id(chosen[1])
        assert f"🏆 Tonight: {winner.display_title} (3 of 3 votes). Watch it on Netflix." in text
        assert "2 vote(s) from people who weren't in didn't count." in text
        stops = [c for c in double.calls_to("stopPoll") if c.ok]
        assert len(stops) == 1 and double.poll(poll_id)["is_closed"]
        # another round: the next best, without the candidates nobody voted for
        mark = double.mark()
        again = buttons(result.result)["🔁 Another round"]
        assert await press(double, CAT, again, result.result["message_id"]) == "Picking…"
        second = await double.wait_for(lambda c: c.method == "sendPoll" and c.ok, since=mark, timeout=20)
        cards = await double.wait_for(lambda c: c.method == "sendMessage" and c.ok and "candidates" in (c.text or ""),
                                      since=mark, timeout=10)
        again_chosen = candidate_ids(cards)
        assert render.plain(second.params["question"]).startswith("🍿 Round 2")
        assert again_chosen[:3] == [chosen[1], chosen[0], chosen[2]]  # voted: 3, then 2 votes, then 1
        assert not set(again_chosen) & set(chosen[3:])  # no vote: left out
        assert 4 <= len(again_chosen) <= 8


async def test_a_night_survives_a_restart_and_its_timeout_fires_once(sample_catalog, double, database):
    clock = Clock()
    async with running(sample_catalog, double, "polling", database_url=database) as application:
        application.bot_data[CLOCK] = clock
        lobby = await start_night(double, ANN, "movie 45m")
        await join(double, BOB, lobby)
        poll, cards = await pick(double, ANN, lobby)
        chosen = candidate_ids(cards)
        assert all(sample_catalog.by_id(i).type == "movie" for i in chosen)
        double.poll_answer(poll.result["poll"]["id"], [2], user_id=BOB)
        await asyncio.sleep(0)
    # a new process on the same database; a second worker beside it (not polling) shares the timer
    clock.advance(44)
    second_worker = build_application(sample_catalog, settings_for(double, database_url=database))
    async with running(sample_catalog, double, "polling", database_url=database) as application, second_worker:
        application.bot_data[CLOCK] = second_worker.bot_data[CLOCK] = clock
        await stop_sweeper(application)  # the test sweeps itself, when it says
        await application.bot_data["storage"].start()
        mark = double.mark()
        assert await sweep(application) == 0  # 44 of 45 minutes: still open
        double.poll_answer(poll.result["poll"]["id"], [2, 3], user_id=BOB)  # Bob changes his vote after the restart
        await stored_votes(application, [0, 0, 1, 1] + [0] * (len(chosen) - 4))
        clock.advance(1)
        ended = await asyncio.gather(sweep(application), sweep(second_worker), sweep(application))
        assert sum(ended) == 1
        result = await result_message(double, GROUP, mark)
        text = render.plain(result.params["text"])
        assert text.startswith("Time's up.")
        winner = sample_catalog.by_id(chosen[2])  # options 2 and 3 have one vote each: a tie, on taste
        third = sample_catalog.by_id(chosen[3])
        assert f"Tonight: {winner.display_title} (1 of 2 votes)" in text or (
            f"Tonight: {third.display_title} (1 of 2 votes)" in text)
        assert "A tie on votes" in text
        assert len([c for c in double.calls_to("stopPoll") if c.ok]) == 1
        assert len([c for c in double.calls if c.method == "sendMessage" and "🏆" in (c.text or "")]) == 1


async def test_two_groups_at_once_with_one_person_in_both(sample_catalog, double, database):
    async with running(sample_catalog, double, "polling", database_url=database):
        first = await start_night(double, ANN, "", GROUP)
        second = await start_night(double, CAT, "", OTHER_GROUP, lang="es")  # Cat speaks Spanish: so does her night
        await join(double, BOB, first, GROUP)
        await join(double, BOB, second, OTHER_GROUP)
        assert "Se apuntan (2): Cat, Bob" in render.plain(double.message(OTHER_GROUP, second)["text"])
        poll_a, cards_a = await pick(double, ANN, first, GROUP)
        poll_b, cards_b = await pick(double, BOB, second, OTHER_GROUP)
        assert render.plain(cards_b.params["text"]).startswith("Las candidatas")
        a, b = poll_a.result["poll"]["id"], poll_b.result["poll"]["id"]
        assert a != b
        mark = double.mark()
        double.poll_answer(a, [3], user_id=BOB)  # Bob votes in each group for a different option
        double.poll_answer(b, [1], user_id=BOB)
        double.poll_answer(a, [3], user_id=ANN)
        result_a = await result_message(double, GROUP, mark)
        title_a = sample_catalog.by_id(candidate_ids(cards_a)[3]).display_title
        assert f"Tonight: {title_a} (2 of 2 votes)" in render.plain(result_a.params["text"])
        assert not [c for c in double.calls[mark:] if c.method == "sendMessage" and c.chat_id == OTHER_GROUP
                    and "🏆" in (c.text or "")]  # the other group still waits for Cat
        # only the starter closes the vote
        close = buttons(poll_b.result)["Cerrar la votación"]
        poll_message = poll_b.result["message_id"]
        assert await press(double, BOB, close, poll_message, OTHER_GROUP) == (
            "Only the one who started the night can close the vote.")
        await press(double, CAT, close, poll_message, OTHER_GROUP, "es")
        result_b = await result_message(double, OTHER_GROUP, mark)
        title_b = sample_catalog.by_id(candidate_ids(cards_b)[1]).display_title
        text = render.plain(result_b.params["text"])
        assert text.startswith("Se ha cerrado la votación.") and f"Esta noche: {title_b} (1 de 2 votos)" in text
        assert double.poll(b)["is_closed"] and double.poll(b)["options"][1]["voter_count"] == 1
        assert await press(double, CAT, close, poll_message, OTHER_GROUP, "es") == "Esa votación ya ha terminado."


async def test_a_member_leaving_reported_as_a_chat_member_update(sample_catalog, double, database):
    async with running(sample_catalog, double, "polling", database_url=database) as application:
        await application.updater.stop()  # as `python -m bot` polls: every update kind, chat_member included
        await application.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES)
        lobby = await start_night(double, ANN)
        await join(double, BOB, lobby)
        mark = double.mark()
        double.member_left(GROUP, BOB, chat_member_update=True)
        assert "In (1): Ann\n" in await lobby_text(double, GROUP, lobby, "In (1): Ann", mark)
        assert await press(double, ANN, buttons(double.message(GROUP, lobby))["🎬 Pick"], lobby) == (
            "Two need to be in before picking.")


async def test_private_chat_and_malformed_words(sample_catalog, double, database):
    async with running(sample_catalog, double, "polling", database_url=database):
        [reply] = await double.replies_to(double.user_message("/nochedecine", user_id=ANN, language_code="es"),
                                          timeout=10)
        assert render.plain(reply.params["text"]).startswith("La noche de cine es para grupos")
        assert any("startgroup=" in (b.get("url") or "") for row in reply.params["reply_markup"]["inline_keyboard"]
                   for b in row)
        [help_reply] = await double.replies_to(double.user_message("/help", user_id=ANN), timeout=10)
        assert "/movienight [genre] [movie|show] [under 2h] [45m] [like &lt;title&gt;] — In a group: pick what to " \
               "watch together" in help_reply.params["text"] and "(also /nochedecine)" in help_reply.params["text"]
        bad = await in_group(double, ANN, f"/movienight@{BOT} comedy xyzzy")
        assert render.plain(bad.params["text"]).splitlines() == [
            "I don't understand “xyzzy” for a movie night.",
            "Usage: /movienight [genre] [movie|show] [under 2h] [45m] [like <title>]"]
        none = await in_group(double, ANN, f"/movienight@{BOT} under 1m")  # no film is that short
        lobby = none.result["message_id"]
        await join(double, BOB, lobby)
        mark = double.mark()
        await press(double, BOB, buttons(double.message(GROUP, lobby))["🎬 Pick"], lobby)
        said = await double.wait_for(lambda c: c.method == "sendMessage" and c.ok and c.chat_id == GROUP,
                                     since=mark, timeout=10)
        assert render.plain(said.params["text"]).startswith(
            "I have nothing to propose: nothing on your shared services (Amazon Prime Video, Disney+, Hulu, Netflix) "
            "fits “under 1m”.")
        assert not double.calls_to("sendPoll")


async def test_members_stored_in_the_database(sample_catalog, double, database):
    async with running(sample_catalog, double, "polling", database_url=database):
        lobby = await start_night(double, ANN)
        await join(double, BOB, lobby)
    store = Storage(database)
    try:
        night = await store.open_night(GROUP)
        assert [(m.user_id, m.name) for m in night.joined] == [(ANN, "Ann"), (BOB, "Bob")]
        assert night.lobby_message_id == lobby and night.state == "lobby"
    finally:
        await store.close()
