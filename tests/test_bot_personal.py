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
from core.personal import Person
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
    return session.application.bot_data["catalogs"].current.by_id(title_id)


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
    reloaded = session.application.bot_data["catalogs"].current.resolve("the matrix reloaded")[0].id
    await store.hide(95, reloaded)  # "not for me" counts for taste (a similar title), but there is no mean
    [reply] = texts(await session.message("/recommend me the matrix", user_id=95))
    assert "The Matrix" in reply and "your average" not in reply


# ---- buttons on every suggestion, and the person's own marks on what they see --------------------------
def rows(call) -> list[list[str]]:
    markup = call.params.get("reply_markup") or {}
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return [[b["text"] for b in row] for row in markup.get("inline_keyboard", [])]


def row_data(call, row: int, label: str) -> str:
    markup = call.params.get("reply_markup") or {}
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return next(b["callback_data"] for b in markup["inline_keyboard"][row] if b["text"] == label)


def only(calls, method: str):
    [call] = [c for c in calls if c.method == method]
    return call


async def test_every_suggestion_has_its_own_rate_seen_watchlist_and_not_for_me(app):
    session, store = app
    listing = only(await session.message("/similar the irishman", user_id=101), "sendMessage")
    lines = render.plain(listing.text).splitlines()
    assert lines[1].startswith("1. Taxi Driver") and lines[3].startswith("2. The Departed")  # data/sample netflix
    assert rows(listing)[:2] == [["1", "☆", "✓", "+", "✗"], ["2", "☆", "✓", "+", "✗"]]
    opened = await session.press(row_data(listing, 0, "☆"), listing, user_id=101)
    assert popup(opened) == "How many stars for Taxi Driver?"
    stars = only(opened, "editMessageReplyMarkup")  # that line's five stars, in place
    assert rows(stars)[:2] == [["1", "1★", "2★", "3★", "4★", "5★"], ["2", "☆", "✓", "+", "✗"]]
    rated = await session.press(row_data(stars, 0, "4★"), stars, user_id=101)
    assert popup(rated).startswith("You rated Taxi Driver ★★★★ (4)")
    assert rows(only(rated, "editMessageReplyMarkup"))[0] == ["1", "4★", "✓", "+", "✗"]  # folded, with their 4★
    seen = await session.press(row_data(listing, 1, "✓"), listing, user_id=101)
    assert "The Departed: marked seen" in popup(seen)
    assert rows(only(seen, "editMessageReplyMarkup"))[1] == ["2", "☆", "✅", "+", "✗"]
    for label in ("+", "✗"):
        await session.press(row_data(listing, 2, label), listing, user_id=101)
    third = lines[5].split(". ", 1)[1].split(" (")[0]
    third_id = store_title_id(session, third)
    assert await store.ratings(101) == (("ns2", 4.0),)
    assert (await store.status(101, "ns3")).seen
    status = await store.status(101, third_id)
    assert (status.listed, status.hidden) == (True, True)
    [card] = [c for c in await session.press(row_data(listing, 0, "1"), listing, user_id=101)
              if c.method == "sendMessage"]  # the number still opens the card, now showing their stars
    assert render.plain(card.text).endswith("You: ★★★★ (4)") and "✅4★" in [b["text"] for b in card.buttons]


def store_title_id(session, display_title: str) -> str:
    catalog = session.application.bot_data["catalogs"].current
    return next(t.id for t in catalog.titles if t.display_title == display_title)


async def test_foryou_and_my_recommendation_lines_have_the_buttons_too(app):
    session, store = app
    await store.rate(102, "ns1", 5.0)
    picks = only(await session.message("/foryou", user_id=102), "sendMessage")
    assert [r[1:] for r in rows(picks)[:5]] == [["☆", "✓", "+", "✗"]] * 5
    verdict = only(await session.message("/recommend the irishman", user_id=102), "sendMessage")
    assert rows(verdict)[0] == ["1★", "2★", "3★", "4★", "✅5★"]  # their own 5 stars
    assert rows(verdict)[2][1:] == ["☆", "✓", "+", "✗"]  # its suggestions, each with its row


async def test_in_a_group_list_buttons_record_for_the_presser_and_show_nobody_s_marks(app):
    session, store = app
    group = -5002
    await store.rate(112, "ns2", 2.0)  # member 112 already rated Taxi Driver: the group must not see it
    listing = only(await session.message("/similar the irishman", user_id=111, chat_id=group, chat_type="group"),
                   "sendMessage")
    assert rows(listing)[0] == ["1", "☆", "✓", "+", "✗"]
    seen = await session.press(row_data(listing, 0, "✓"), listing, user_id=112)
    assert [c.method for c in seen] == ["answerCallbackQuery"]  # a popup only: nothing in the group changes
    assert (await store.status(112, "ns2")).seen and not (await store.status(111, "ns2")).seen
    opened = await session.press(row_data(listing, 0, "☆"), listing, user_id=112)
    stars = only(opened, "editMessageReplyMarkup")
    assert rows(stars)[0] == ["1", "1★", "2★", "3★", "4★", "5★"]  # no ✅2★: 112's rating stays theirs
    rated = await session.press(row_data(stars, 0, "5★"), stars, user_id=112)
    assert popup(rated).startswith("You rated Taxi Driver ★★★★★ (5)")
    assert rows(only(rated, "editMessageReplyMarkup"))[0] == ["1", "☆", "✓", "+", "✗"]  # folded, neutral
    assert await store.ratings(112) == (("ns2", 5.0),) and await store.ratings(111) == ()
    [card] = [c for c in await session.press(row_data(listing, 0, "1"), listing, user_id=112)
              if c.method == "sendMessage"]  # the card, in the group
    assert "You:" not in render.plain(card.text) and not any("✅" in b["text"] for b in card.buttons)


async def test_a_card_shows_its_reader_their_own_marks_and_updates_after_a_press(app):
    session, store = app
    await store.rate(121, "ns1", 4.0)
    await store.mark_seen(121, "ns1")
    mine = only(await session.message("the irishman", user_id=121), "sendMessage")
    assert render.plain(mine.text).endswith("\nYou: ★★★★ (4) · seen")
    assert rows(mine)[1:3] == [["1★", "2★", "3★", "✅4★", "5★"], ["✅ Seen", "+ Watchlist", "✗ Not for me"]]
    theirs = only(await session.message("the irishman", user_id=122), "sendMessage")  # someone else's card
    assert "You:" not in render.plain(theirs.text)
    assert rows(theirs)[1:3] == [["1★", "2★", "3★", "4★", "5★"], ["✓ Seen", "+ Watchlist", "✗ Not for me"]]
    pressed = await session.press(data_of(mine, "+ Watchlist"), mine, user_id=121)
    card = only(pressed, "editMessageText")
    assert render.plain(card.text).endswith("\nYou: ★★★★ (4) · seen · on your watchlist")
    assert rows(card)[2] == ["✅ Seen", "📌 On watchlist", "✗ Not for me"]
    unrated = only(await session.press(data_of(mine, "✅4★"), card, user_id=121), "editMessageText")
    assert render.plain(unrated.text).endswith("\nYou: seen · on your watchlist") and "✅4★" not in unrated.text


@pytest.mark.parametrize(("lang", "seen", "unseen", "hide", "unhide"), [
    ("en", "/seen", "/unseen", "/hide", "/unhide"), ("es", "/vista", "/novista", "/ocultar", "/mostrar")])
async def test_typed_seen_and_hide_and_their_undoing(app, lang, seen, unseen, hide, unhide):
    session, store = app
    user = 131 if lang == "en" else 132

    async def say(text):
        [reply] = texts(await session.message(text, user_id=user, lang=lang))
        return reply

    said = await say(f"{seen} the irishman")
    assert said.startswith("Marked The Irishman as seen" if lang == "en" else "The Irishman marcada como vista")
    assert (await store.status(user, "ns1")).seen
    await say(f"{unseen} the irishman")
    assert not (await store.status(user, "ns1")).seen
    assert "nothing to undo" in await say(f"{unseen} the irishman") or lang == "es"
    await say(f"{hide} the matrix")
    assert (await store.status(user, "hs1")).hidden
    catalog = session.application.bot_data["catalogs"].current
    assert "the matrix" not in [p.display_title.lower() for p in catalog.for_you(Person(hidden=("hs1",)), 30)]
    await say(f"{unhide} the matrix")
    assert not (await store.status(user, "hs1")).hidden
    usage = await say(hide)
    assert usage.endswith(f"{hide} <title>" if lang == "en" else f"{hide} <título>")


@pytest.mark.parametrize(("lang", "lines"), [
    ("en", ("/seen <title> — ", "/unseen <title> — Undo /seen", "/hide <title> — ", "/unhide <title> — Undo /hide")),
    ("es", ("/vista <título> — ", "/novista <título> — Deshacer /vista", "/ocultar <título> — ",
            "/mostrar <título> — Deshacer /ocultar")),
])
async def test_help_lists_seen_and_hide_in_both_languages(app, lang, lines):
    session, _ = app
    [help_text] = texts(await session.message("/help", user_id=141, lang=lang))
    for line in lines:
        assert any(shown.startswith(line) for shown in help_text.splitlines()), line


async def test_foryou_with_no_ratings_offers_well_known_titles_and_the_questions(app):
    session, store = app
    picks = only(await session.message("/foryou", user_id=151), "sendMessage")
    text = render.plain(picks.text)
    assert text.startswith("You haven't rated anything yet, so here are well-known titles")
    # data/sample: the works carried by two services come first (Good Will Hunting: Amazon and Hulu)
    assert text.splitlines()[1].startswith("1. Good Will Hunting (1997, movie) · Amazon Prime Video, Hulu")
    ask = only(await session.press(data_of(picks, "⭐ Rate 10 popular titles"), picks, user_id=151),
               "editMessageText")
    assert render.plain(ask.text).startswith("1/")  # the first /start's questions


async def test_rating_the_title_of_my_recommendation_from_its_buttons_rewrites_its_verdict(app):
    session, store = app
    await store.rate(103, "ns1", 5.0)  # The Irishman: a taste, so The Matrix gets a predicted rating
    verdict = only(await session.message("/recommend me the matrix", user_id=103), "sendMessage")
    assert render.plain(verdict.text).startswith("You'd rate The Matrix ★") and rows(verdict)[0][3] == "4★"
    pressed = await session.press(row_data(verdict, 0, "4★"), verdict, user_id=103)
    assert popup(pressed).startswith("You rated The Matrix ★★★★ (4)")
    rewritten = only(pressed, "editMessageText")
    assert render.plain(rewritten.text).startswith("You rated The Matrix ★★★★ (4).")
    assert rows(rewritten)[0] == ["1★", "2★", "3★", "✅4★", "5★"]
    line = await session.press(row_data(rewritten, 2, "✓"), rewritten, user_id=103)  # a suggestion's mark
    assert [c.method for c in line if c.method.startswith("edit")] == ["editMessageReplyMarkup"]
