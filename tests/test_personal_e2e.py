"""End to end through the Bot API double over HTTP, with a real SQLite file: the first /start's questions,
a rating button, /foryou, an import of a Letterboxd export, and /forget."""
from __future__ import annotations

import csv
import io
import json
import os
import sys
import zipfile

import pytest

from bot import render
from storage import Storage

sys.path.insert(0, os.path.dirname(__file__))

from telegram_double import TelegramDouble  # noqa: E402
from test_bot_e2e import TOKEN, running  # noqa: E402

BOT = "catalog_e2e_bot"
PERSON = 7001


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest.fixture
async def double():
    async with TelegramDouble(token=TOKEN, bot_username=BOT) as tg:
        yield tg


@pytest.fixture
def database(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'bot.db'}"


async def stored(database: str):
    store = Storage(database)
    try:
        return await store.taste(PERSON), await store.settings(PERSON)
    finally:
        await store.close()


def keyboard(call) -> list[dict]:
    markup = call.params.get("reply_markup") or {}
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def button(call, text: str) -> str:
    return next(b["callback_data"] for b in keyboard(call) if b["text"] == text)


async def press(tg: TelegramDouble, data: str, user_id: int = PERSON, n: int = 2):
    """A press on a card or list in the person's chat: the popup, then (n=2) the message showing the change."""
    replies = await tg.replies_to(tg.callback_query(data, user_id=user_id, chat_id=user_id), n=n, timeout=10)
    return next(r for r in replies if r.method == "answerCallbackQuery")


def document_update(tg: TelegramDouble, data: bytes, file_name: str, user_id: int = PERSON,
                    mime_type: str = "text/csv") -> int:
    """A person sends a file (the double has no helper for documents: the message is built as Telegram's)."""
    stored_file = tg.add_file(data, f"documents/{file_name}")
    user, chat = tg._user_and_chat(None, user_id, "private", "en", None, None, None)
    message = tg._user_message_dict(chat, user)
    message["document"] = {"file_id": stored_file["file_id"], "file_unique_id": stored_file["file_unique_id"],
                           "file_name": file_name, "mime_type": mime_type, "file_size": len(data)}
    return tg.inject({"message": message})


async def test_onboarding_asks_services_then_titles_and_ends_with_picks(sample_catalog, double, database):
    async with running(sample_catalog, double, "polling", database_url=database):
        [welcome] = await double.replies_to(double.user_message("/start", user_id=PERSON), timeout=10)
        assert render.plain(welcome.params["text"]).startswith("Hi ")
        edits = await double.replies_to(double.callback_query(button(welcome, "Netflix"), user_id=PERSON,
                                                              chat_id=PERSON), n=2, timeout=10)
        services = next(c for c in edits if c.method == "editMessageText")
        assert "✓ Netflix" in [b["text"] for b in keyboard(services)]
        edits = await double.replies_to(double.callback_query(button(services, "Continue ›"), user_id=PERSON,
                                                              chat_id=PERSON), n=2, timeout=10)
        step = next(c for c in edits if c.method == "editMessageText")
        assert render.plain(step.params["text"]).startswith("1/")
        first_title = render.plain(step.params["text"]).splitlines()[1]
        assert first_title.endswith("Netflix") or "Netflix" in first_title  # on the chosen service
        edits = await double.replies_to(double.callback_query(button(step, "❤ Loved it"), user_id=PERSON,
                                                              chat_id=PERSON), n=2, timeout=10)
        second = next(c for c in edits if c.method == "editMessageText")
        assert render.plain(second.params["text"]).startswith("2/")
        edits = await double.replies_to(double.callback_query(button(second, "Stop here"), user_id=PERSON,
                                                              chat_id=PERSON), n=2, timeout=10)
        done = render.plain(next(c for c in edits if c.method == "editMessageText").params["text"])
        assert done.startswith("Thanks!") and "Picks for you" in done
        [again] = await double.replies_to(double.user_message("/start", user_id=PERSON), timeout=10)
        assert "Which services" not in render.plain(again.params["text"])  # asked once
    taste, settings = await stored(database)
    assert [stars for _, stars in taste.rated] == [5.0] and settings.platforms == ("netflix",) and settings.onboarded


async def test_a_rating_button_then_foryou_leaves_it_out(sample_catalog, double, database):
    async with running(sample_catalog, double, "polling", database_url=database):
        [card] = await double.replies_to(double.user_message("the irishman", user_id=PERSON), timeout=10)
        answer = await press(double, button(card, "5★"))
        assert answer.method == "answerCallbackQuery" and answer.params["text"].startswith("You rated The Irishman")
        [picks] = await double.replies_to(double.user_message("/foryou", user_id=PERSON), timeout=10)
        text = render.plain(picks.params["text"])
        listed = [line for line in text.splitlines() if line[:1].isdigit()]
        assert text.startswith("Picks for you") and listed and not any("The Irishman" in line for line in listed)
        assert "because you liked The Irishman" in text  # picks from the one title rated
    taste, _ = await stored(database)
    assert taste.rated == (("ns1", 5.0),)


def letterboxd_ratings(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Date", "Name", "Year", "Letterboxd URI", "Rating"])
    writer.writerows(rows)
    return out.getvalue().encode()


async def test_an_import_stores_the_matched_and_sends_back_the_rest(sample_catalog, double, database):
    export = letterboxd_ratings([
        ("2021-01-03", "The Irishman", 2019, "https://boxd.it/a", 4.5),
        ("2021-01-04", "The Matrix", 1999, "https://boxd.it/b", 5),
        ("2021-01-05", "A Film Nobody Streams", 1931, "https://boxd.it/c", 2),
    ])
    async with running(sample_catalog, double, "polling", database_url=database):
        summary, unmatched = await double.replies_to(document_update(double, export, "ratings.csv"), n=2, timeout=20)
        text = render.plain(summary.params["text"])
        assert text.startswith("Imported your Letterboxd ratings: matched 2 of 3; 1 not on these services.")
        assert unmatched.method == "sendDocument"
        [refused] = await double.replies_to(document_update(double, bytes(range(256)) * 4, "photo.csv"), timeout=20)
        assert "isn't text" in render.plain(refused.params["text"])
        [wrong] = await double.replies_to(document_update(double, b"a,b\n1,2\n", "ratings.csv"), timeout=20)
        assert "not a Letterboxd" in render.plain(wrong.params["text"])
    taste, _ = await stored(database)
    assert dict(taste.rated) == {"ns1": 4.5, "hs1": 5.0}  # data/sample: netflix.csv s1, hulu.csv s1


def letterboxd_zip() -> bytes:
    """Letterboxd's download as it comes (Settings → Import & Export): a zip of CSVs, of which the bot reads
    ratings.csv, watched.csv and watchlist.csv (the columns of Letterboxd's own import/export docs)."""
    files = {
        "profile.csv": "Date Joined,Username,Given Name,Family Name,Email Address,Location,Website,Bio,Pronoun,"
                       "Favorite Films\n2019-05-02,cinephile,Ada,,ada@example.org,,,,she/her,\n",
        "ratings.csv": "Date,Name,Year,Letterboxd URI,Rating\n"
                       "2021-01-03,The Irishman,2019,https://boxd.it/a,4.5\n"
                       "2021-01-04,The Matrix,1999,https://boxd.it/b,5\n"
                       "2021-01-05,A Film Nobody Streams,1931,https://boxd.it/c,2\n",
        "watched.csv": "Date,Name,Year,Letterboxd URI\n"
                       "2021-01-03,The Irishman,2019,https://boxd.it/a\n"
                       "2021-02-01,Taxi Driver,1976,https://boxd.it/d\n"
                       "2021-02-02,Okja,2017,https://boxd.it/e\n"
                       "2021-01-05,A Film Nobody Streams,1931,https://boxd.it/c\n",
        "watchlist.csv": "Date,Name,Year,Letterboxd URI\n"
                         "2022-01-05,Roma,2018,https://boxd.it/f\n"
                         "2022-01-06,Nomadland,2020,https://boxd.it/g\n"
                         "2022-01-07,Casablanca,1942,https://boxd.it/h\n",
        "diary.csv": "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


async def test_the_zipped_letterboxd_export_is_imported_whole(sample_catalog, double, database):
    export = letterboxd_zip()
    name = "letterboxd-cinephile-2024-01-01-12-00-utc.zip"
    async with running(sample_catalog, double, "polling", database_url=database):
        summary, unmatched = await double.replies_to(
            document_update(double, export, name, mime_type="application/zip"), n=2, timeout=20)
        text = render.plain(summary.params["text"])
        # 6 films found (The Irishman, The Matrix, Taxi Driver, Okja, Roma, Nomadland), 2 not streamed
        # (A Film Nobody Streams, in two files, counts once; Casablanca)
        assert text.startswith("Imported your Letterboxd export: matched 6 of 8; 2 not on these services. "
                               "Saved 2 ratings, 2 seen and 2 watchlist titles.")
        assert unmatched.method == "sendDocument"
        rows = list(csv.DictReader(io.StringIO(next(iter(unmatched.files.values())).decode())))
        assert sorted((r["Name"], r["File"]) for r in rows) == [("A Film Nobody Streams", "ratings.csv"),
                                                           ("Casablanca", "watchlist.csv")]
        [watchlist] = await double.replies_to(double.user_message("/watchlist", user_id=PERSON), timeout=10)
        assert render.plain(watchlist.params["text"]).startswith("Your watchlist (2):")
        broken = export[: len(export) // 2]  # a download cut short: nothing is stored from it
        [refused] = await double.replies_to(document_update(double, broken, "again.zip", PERSON + 1,
                                                            "application/zip"), timeout=20)
        assert "Nothing was saved" in render.plain(refused.params["text"])
    taste, _ = await stored(database)
    # data/sample: netflix s1 The Irishman, s2 Taxi Driver, s12 Roma, s13 Okja; hulu s1 The Matrix, s13 Nomadland
    assert dict(taste.rated) == {"ns1": 4.5, "hs1": 5.0}
    assert sorted(taste.seen) == ["ns13", "ns2"] and sorted(taste.listed) == ["hs13", "ns12"]
    store = Storage(database)
    try:
        assert await store.counts(PERSON + 1) == {"ratings": 0, "seen": 0, "watchlist": 0, "hidden": 0}
    finally:
        await store.close()


async def test_forget_asks_then_deletes_everything_and_says_what(sample_catalog, double, database):
    async with running(sample_catalog, double, "polling", database_url=database):
        await double.replies_to(double.user_message("/rate the irishman 4", user_id=PERSON), timeout=10)
        await double.replies_to(double.user_message("/lang es", user_id=PERSON), timeout=10)
        [ask] = await double.replies_to(double.user_message("/olvidar", user_id=PERSON), timeout=10)
        assert "1 puntuaciones" in render.plain(ask.params["text"])
        edits = await double.replies_to(double.callback_query(button(ask, "Sí, bórralo todo"), user_id=PERSON,
                                                              chat_id=PERSON), n=2, timeout=10)
        done = render.plain(next(c for c in edits if c.method == "editMessageText").params["text"])
        assert done.startswith("Borrado: 1 puntuaciones, 0 vistas, 0 pendientes, 0 ocultos y 1 registro")
    taste, settings = await stored(database)
    assert taste.rated == () and settings.lang is None
