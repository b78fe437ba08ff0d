"""The personal features through the real Application on the in-process Bot API (bot.local), with a real
SQLite database per test: /rate, the buttons on a card, /recommend for the person, groups, storage down."""
from __future__ import annotations

import json

import pytest

from bot import render
from bot.app import build_application
from bot.context import STORAGE
from bot.local import CONSOLE_TOKEN, LocalBotAPI, LocalSession
from bot.personal import parse_rate, recommend_target
from bot.settings import Settings
from storage import Storage


@pytest.fixture
async def app(sample_catalog, tmp_path):
    api = LocalBotAPI()
    settings = Settings(token=CONSOLE_TOKEN, state_file=None, throttle_burst=10**6,
                        database_url=f"sqlite:///{tmp_path / 'bot.db'}")
    application = build_application(sample_catalog, settings, request=api, rate_limiter=False)
    await application.initialize()
    yield LocalSession(application, api), application.bot_data[STORAGE]
    await application.shutdown()
    await application.bot_data[STORAGE].close()


def texts(calls, method="sendMessage") -> list[str]:
    return [render.plain(c.text) for c in calls if c.method == method]


def popup(calls) -> str:
    [answer] = [c for c in calls if c.method == "answerCallbackQuery"]
    return answer.params.get("text", "")


def data_of(call, label: str) -> str:
    return next(b["callback_data"] for b in call.buttons if b["text"] == label)


@pytest.mark.parametrize(("words", "expected"), [
    ("the matrix 4.5", ("the matrix", 4.5)), ("the matrix 4,5", ("the matrix", 4.5)),
    ("the matrix 3", ("the matrix", 3.0)), ("the matrix 4½", ("the matrix", 4.5)),
    ("the matrix", ("the matrix", None)), ("blade runner 2049", ("blade runner 2049", None)),
    ("1917", ("1917", None)),
])
def test_rate_reads_the_stars_from_the_last_word(words, expected):
    assert parse_rate(words.split()) == expected


@pytest.mark.parametrize("words", ["the matrix 4.3", "the matrix 7", "the matrix 0", "the matrix 5.5"])
def test_rate_refuses_stars_that_are_not_half_steps(words):
    with pytest.raises(ValueError):
        parse_rate(words.split())


@pytest.mark.parametrize(("words", "expected"), [
    ("the matrix", "the matrix"),  # no id: the person
    ("me the matrix", "the matrix"),  # always the person
    ("42 the matrix", None),  # dataset user 42
    ("the matrix 42", None),
    ("3 toy story", None),  # user 3, though Toy Story 3 exists
])
def test_recommend_tells_a_dataset_user_from_the_person(sample_catalog, words, expected):
    assert recommend_target(sample_catalog, words.split(), None) == expected


async def test_rate_command_saves_half_stars_and_recommend_shows_them(app):
    session, store = app
    [saved] = texts(await session.message("/rate the irishman 4.5", user_id=31))
    assert saved == "Saved: you rated The Irishman ★★★★½ (4.5). /foryou has picks for your taste."
    assert await store.ratings(31) == (("ns1", 4.5),)
    [verdict] = texts(await session.message("/recommend the irishman", user_id=31))
    assert verdict.startswith("You rated The Irishman ★★★★½ (4.5).")
    [other] = texts(await session.message("/recommend me the irishman", user_id=32))
    assert other.startswith("Rate a few titles first")  # user 32 rated nothing: 31's rating is not theirs
    [hint] = texts(await session.message("/rate the irishman 4.3", user_id=31))
    assert hint.startswith("“4.3” is not a number of stars") and "Usage: /rate <title> [stars]" in hint


async def test_rating_with_stars_points_to_rate(app):
    session, _ = app
    [hint] = texts(await session.message("/rating the irishman 5"))
    assert hint.startswith("/rating counts titles by maturity rating") and "/rate the irishman 5" in hint
    [count] = texts(await session.message("/rating pg-13"))
    assert count.startswith("Titles rated PG-13")


async def test_card_buttons_rate_change_and_remove_for_whoever_presses(app):
    session, store = app
    [card] = [c for c in await session.message("the irishman", user_id=41) if c.method == "sendMessage"]
    assert [b["text"] for b in card.buttons][2:10] == ["1★", "2★", "3★", "4★", "5★", "✓ Seen", "+ Watchlist",
                                                       "✗ Not for me"]
    assert popup(await session.press(data_of(card, "4★"), card, user_id=41)).startswith(
        "You rated The Irishman ★★★★ (4)")
    popup(await session.press(data_of(card, "2★"), card, user_id=41))  # a change
    assert await store.ratings(41) == (("ns1", 2.0),)
    assert popup(await session.press(data_of(card, "2★"), card, user_id=41)) == \
        "Your rating of The Irishman is removed."
    assert await store.ratings(41) == ()
    marks = (("✓ Seen", "marked seen"), ("+ Watchlist", "on your watchlist"), ("✗ Not for me", "not for you"))
    for label, word in marks:
        assert word in popup(await session.press(data_of(card, label), card, user_id=41))
    status = await store.status(41, "ns1")
    assert (status.seen, status.listed, status.hidden) == (True, True, True)
    assert "no longer marked seen" in popup(await session.press(data_of(card, "✓ Seen"), card, user_id=41))
    assert not (await store.status(41, "ns1")).seen


async def test_in_a_group_a_press_records_for_the_presser_with_a_popup_only(app):
    session, store = app
    group = -5001
    calls = await session.message("/where the irishman", user_id=51, chat_id=group, chat_type="group")
    [where] = [c for c in calls if c.method == "sendMessage"]
    card_calls = await session.press(where.buttons[0]["callback_data"], where, user_id=51)  # Similar: a list
    card = next(c for c in await session.message("/start t_ns1", user_id=51) if c.method == "sendMessage")
    pressed = await session.press(data_of(card, "5★"), card, user_id=52)  # member 52 presses 51's card
    assert [c.method for c in pressed] == ["answerCallbackQuery"]  # a popup, no message
    assert await store.ratings(52) == (("ns1", 5.0),) and await store.ratings(51) == ()
    assert card_calls  # the catalog buttons still answer in groups


async def test_personal_lists_in_a_group_open_the_private_chat(app):
    session, _ = app
    [reply] = [c for c in await session.message("/foryou", user_id=61, chat_id=-7, chat_type="group")
               if c.method == "sendMessage"]
    assert render.plain(reply.text) == "That's personal: I show it in our private chat."
    assert reply.buttons[0]["url"].endswith("?start=foryou")


async def test_with_the_database_down_catalog_answers_work_and_saving_says_so(app):
    session, store = app
    app_store: Storage = store
    await app_store.engine.dispose()
    app_store.engine = Storage("postgresql://postgres@127.0.0.1:9/nothing").engine  # nothing listens there
    app_store.dialect = "postgresql"
    [count] = texts(await session.message("/count hulu", user_id=71))
    assert count.startswith("Hulu has")
    [sorry] = texts(await session.message("/rate the irishman 4", user_id=71))
    assert sorry == "I can't save that right now. Please try again in a little while."
    card = next(c for c in await session.message("the irishman", user_id=71) if c.method == "sendMessage")
    assert popup(await session.press(data_of(card, "4★"), card, user_id=71)) == sorry


@pytest.mark.full
@pytest.mark.parametrize(("words", "expected"), [
    ("21 jump street", "21 jump street"),  # the film (on none of the services), not user 21
    ("3 toy story", None),
    ("42 the matrix", None),
    ("me 21 jump street", "21 jump street"),
])
def test_a_leading_number_is_a_user_only_when_the_whole_text_is_no_title(full_catalog, words, expected):
    assert recommend_target(full_catalog, words.split(), None) == expected


async def test_the_watchlist_pages_for_its_owner_removes_and_picks_for_tonight(app):
    session, store = app
    for title_id in ("ns1", "hs1", "as1", "ds1", "ns2", "hs2"):
        await store.add_to_watchlist(81, title_id)
    [page] = [c for c in await session.message("/watchlist", user_id=81) if c.method == "sendMessage"]
    assert render.plain(page.text).startswith("Your watchlist (6):")
    more = data_of(page, "More ›")
    assert popup(await session.press(more, page, user_id=82)) == "That list belongs to someone else."
    [second] = texts(await session.press(more, page, user_id=81), "editMessageText")
    assert second.splitlines()[1].startswith("6. ")  # the sixth title, on page 2
    before = set(await store.watchlist(81))
    texts(await session.press(data_of(page, "✗ 1"), page, user_id=81), "editMessageText")
    assert len(before - set(await store.watchlist(81))) == 1  # exactly the first one went
    tonight = await session.press(data_of(page, "🎲 Pick one for tonight"), page, user_id=81)
    [card] = texts(tonight)
    assert any(card.startswith(sample_title) for sample_title in
               (t.display_title for t in (store_title(session, i) for i in await store.watchlist(81))))


def store_title(session, title_id):
    return session.application.bot_data["catalog"].by_id(title_id)


async def test_mydata_sends_everything_stored_about_the_person_only(app):
    session, store = app
    await store.rate(91, "ns1", 4.5)
    await store.add_to_watchlist(91, "hs1")
    await store.rate(92, "hs1", 1.0)  # someone else's
    [sent] = [c for c in await session.message("/mydata", user_id=91) if c.method == "sendDocument"]
    data = json.loads(next(iter(sent.files.values())))
    assert [(r["title_id"], r["stars"]) for r in data["ratings"]] == [("ns1", 4.5)]
    assert [r["title_id"] for r in data["watchlist"]] == ["hs1"] and data["user"]["user_id"] == 91


async def test_recommend_for_someone_who_only_hid_titles(app):
    session, store = app
    reloaded = session.application.bot_data["catalog"].resolve("the matrix reloaded")[0].id
    await store.hide(95, reloaded)  # "not for me" counts for taste (a similar title), but there is no mean
    [reply] = texts(await session.message("/recommend me the matrix", user_id=95))
    assert "The Matrix" in reply and "your average" not in reply
