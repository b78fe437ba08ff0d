"""Every command, button and inline path, in process: the real Application on the local Bot API.

Each test feeds updates through `LocalSession` and inspects the Bot API calls the handlers made.
Every call is also checked against Telegram's limits (4096-character texts, 64-byte callback data).
"""
from __future__ import annotations

import logging
import re

import pytest

from bot import render
from bot.app import build_application
from bot.commands import COMMANDS
from bot.local import BOT_USERNAME, CONSOLE_TOKEN, LocalBotAPI, LocalSession
from bot.settings import Settings
from core.errors import UnknownCountry

REPLY_METHODS = {"sendMessage", "sendPhoto"}


def check_limits(calls) -> None:
    for call in calls:
        limit = render.MAX_CAPTION if call.method == "sendPhoto" else render.MAX_TEXT
        assert len(call.text) <= limit
        for button in call.buttons:
            assert len(button.get("callback_data", "").encode()) <= 64


def replies(calls) -> list:
    check_limits(calls)
    return [c for c in calls if c.method in REPLY_METHODS]


def one_reply(calls) -> str:
    sent = replies(calls)
    assert len(sent) == 1, [c.method for c in calls]
    return render.plain(sent[0].text)


def button(call, text: str) -> dict:
    return next(b for b in call.buttons if b["text"] == text)


async def open_session(catalog, **settings) -> tuple[LocalSession, object]:
    api = LocalBotAPI()
    options = {"token": CONSOLE_TOKEN, "state_file": None, "throttle_burst": 10**6} | settings
    application = build_application(catalog, Settings(**options), request=api, rate_limiter=False)
    await application.initialize()
    return LocalSession(application, api), application


@pytest.fixture
async def session(sample_catalog):
    session, application = await open_session(sample_catalog)
    yield session
    await application.shutdown()


@pytest.fixture
async def full_session(full_catalog):
    session, application = await open_session(full_catalog)
    yield session
    await application.shutdown()


# ---- the catalog queries, in both languages --------------------------------------------------------------
async def test_count_in_english_and_spanish(session, sample_catalog):
    found = sample_catalog.count_platform("netflix")
    assert one_reply(await session.message("/count netflix")) == (
        f"Netflix has {found.total} titles: {found.movies} movies and {found.tv_shows} TV shows.")
    assert one_reply(await session.message("/contar netflix", lang="es")) == (
        f"Netflix tiene {found.total} títulos: {found.movies} películas y {found.tv_shows} series.")


async def test_max_duration_any_order_and_default_filters(session, sample_catalog):
    longest = sample_catalog.max_duration(None, None, "min").titles[0]
    assert longest.display_title in one_reply(await session.message("/maxduration"))
    text = one_reply(await session.message("/duracion temporadas", lang="es"))
    assert text.startswith("La serie más larga") and "temporadas" in text


async def test_score_count_actor_country_rating(session, sample_catalog):
    expected = sample_catalog.score_count("netflix", 3.0, 2019)
    text = one_reply(await session.message("/scorecount 3 2019 netflix"))
    assert f"{expected.movies} movies and {expected.tv_shows} TV shows" in text
    top = sample_catalog.top_actors("netflix", 2019, 3)
    text = one_reply(await session.message("/actor 2019 netflix"))
    assert all(render.title_case(a.name) in text for a in top)
    count = sample_catalog.count_by_country("movie", "united states", None)
    assert one_reply(await session.message("/country movie united states")) == f"Movies from United States: {count}."
    shows = sample_catalog.count_by_country("tv show", "united states", 2019)
    assert shows > 0  # "estados unidos" once counted as an unknown country: 0
    assert one_reply(await session.message("/pais serie estados unidos 2019", lang="es")) == (
        f"Series de Estados Unidos estrenadas en 2019: {shows}.")
    rated = sample_catalog.count_by_rating("pg-13")
    assert one_reply(await session.message("/rating PG-13")) == f"Titles rated PG-13: {rated}."


@pytest.mark.parametrize("command, lang, expected", [
    ("/count", "en", "Which platform?\nUsage: /count <platform>"),
    ("/contar", "es", "¿Qué plataforma?\nUso: /contar <plataforma>"),
    ("/count netflx", "en", "I don't know the platform “netflx”. Try one of: amazon, disney, hulu, netflix."),
    ("/scorecount netflix 9 2019", "en", "“9” is not a score"),
    ("/scorecount netflix 3", "es", "¿Qué año?\nUso: /puntuacion <plataforma> <puntuación> <año>"),
    ("/actor netflix 20199", "en", "“20199” is not a year"),
    ("/maxduration 1800", "en", "“1800” is not a year: use one from 1900 to 2100, e.g. 2019."),
    ("/duracion 1800", "es", "«1800» no es un año: usa uno de 1900 a 2100, p. ej. 2019."),
    ("/actor netflix ²⁰¹⁹", "en", "Which year?"),
    ("/country tv", "en", "Which country?"),
    ("/rating xx", "es", "No conozco la clasificación «xx»"),
    ("/maxduration 2019 netflix banana", "en", "I don't know the platform “banana”"),
    ("/recommend -5 x", "en",
     "“-5” is not a user id: use a positive whole number, e.g. 42.\nUsage: /recommend [me|<user_id>] <title>"),
    ("/recomendar -5 x", "es",
     "«-5» no es un id de usuario: usa un número entero positivo, p. ej. 42.\nUso: /recomendar [yo|<id_usuario>] <título>"),
    ("/recommend 99999999999 frozen", "en", "No user has the id “99999999999”: user ids go up to 2147483647.\nUsage:"),
    ("/recomendar 99999999999 frozen", "es", "Ningún usuario tiene el id «99999999999»"),
    ("/recomendar 5", "es", "¿Qué título?"),
    ("/where", "en", "Which title?"),
    ("/lang fr", "en", "I speak English (en) and Spanish (es).\nUsage: /lang es|en"),
    ("/platforms hbo", "en", "I don't know the platform “hbo”"),
    ("/stats hbo", "en", "I don't know the platform “hbo”"),
])
async def test_malformed_arguments_get_a_hint_and_the_usage_line(session, command, lang, expected):
    assert expected in one_reply(await session.message(command, lang=lang))


@pytest.mark.parametrize("command, lang, expected", [
    ("/country movie usa", "en", "Movies from United States: {us_movies}."),
    ("/country movie U.K.", "en", "Movies from United Kingdom: {uk_movies}."),
    ("/pais película España", "es", "Películas de España: {spain_movies}."),
    ("/country movie atlantis", "en",
     "No title lists the country “atlantis”. Did you mean {atlantis}?\nUsage: /country <movie|tv> <country> [year]"),
    ("/pais serie atlantida", "es",
     "Ningún título es del país «atlantida». ¿Quizá {atlantida}?\nUso: /pais <película|serie> <país> [año]"),
    ('/country movie ""', "en", "Which country?\nUsage: /country <movie|tv> <country> [year]"),
    ("/pais serie « »", "es", "¿Qué país?\nUso: /pais <película|serie> <país> [año]"),
])
async def test_country_spellings_unknown_names_and_empty_names(session, sample_catalog, command, lang, expected):
    def closest(name: str) -> str:  # in the reader's language ("Japón" in Spanish)
        return ", ".join(render.country_label(c, lang) for c in country_choices(sample_catalog, name))

    values = {"us_movies": sample_catalog.count_by_country("movie", "united states"),
              "uk_movies": sample_catalog.count_by_country("movie", "united kingdom"),
              "spain_movies": sample_catalog.count_by_country("movie", "spain"),
              "atlantis": closest("atlantis"), "atlantida": closest("atlantida")}
    assert one_reply(await session.message(command, lang=lang)) == expected.format(**values)


def country_choices(catalog, name: str) -> tuple[str, ...]:
    with pytest.raises(UnknownCountry) as raised:
        catalog.country(name)
    assert raised.value.choices
    return raised.value.choices


async def test_over_long_input_gets_a_short_answer(session):
    text = one_reply(await session.message("/where " + "x" * 400))
    assert text.startswith("That's too long for me")
    assert one_reply(await session.message("y" * 1000)).startswith("That's too long for me")


async def test_user_text_is_escaped(session):
    sent = replies(await session.message("/count <b>net&flix</b>"))[0]
    assert "&lt;b&gt;net&amp;flix&lt;/b&gt;" in sent.text


# ---- start, help, language, platforms ---------------------------------------------------------------------
async def test_help_lists_every_command_from_the_table_in_each_language(session):
    english = one_reply(await session.message("/help"))
    spanish = one_reply(await session.message("/ayuda", lang="es"))
    for command in COMMANDS:
        assert f"/{command.name_in('en')} {command.usage['en']}".strip() in english
        assert f"/{command.name_in('es')} {command.usage['es']}".strip() in spanish
    assert f"@{BOT_USERNAME}" in english


async def test_help_shows_person_search_and_what_where_means_for_a_work(session):
    english = one_reply(await session.message("/help"))
    assert "/person <name> — An actor's or director's titles on the four services (also /persona)" in english
    assert "/where <title> — Every service that streams a title (all its copies), each with its year, type and " \
           "duration, and one score" in english
    spanish = one_reply(await session.message("/ayuda", lang="es"))
    assert "/persona <nombre> — Los títulos de un actor o director en los cuatro servicios" in spanish
    assert "/donde <título> — Todos los servicios que tienen un título (todas sus copias)" in spanish


async def test_start_welcomes_and_a_deep_link_opens_a_card(session, sample_catalog):
    assert one_reply(await session.message("/start")).startswith("Hi Ada!")
    assert one_reply(await session.message("/start", lang="es-419")).startswith("¡Hola, Ada!")
    card = one_reply(await session.message("/start t_ns1"))
    assert card.startswith("The Irishman (2019)")
    assert one_reply(await session.message("/start t_zz9")).startswith("“zz9” is not on Amazon Prime Video")
    assert one_reply(await session.message("/start t_")).startswith("Hi Ada!")
    assert one_reply(await session.message("/start garbage-payload")).startswith("Hi Ada!")


async def test_the_help_deep_link_shows_the_help(session):
    # inline mode's "How to search" button opens the private chat with /start help
    assert one_reply(await session.message("/start help")) == one_reply(await session.message("/help"))
    assert one_reply(await session.message("/start help", lang="es")) == one_reply(
        await session.message("/ayuda", lang="es"))
    assert one_reply(await session.message("/start help")).startswith("What I can do")


async def test_lang_switch_is_remembered_for_the_user(session):
    assert one_reply(await session.message("/lang es")) == "Te responderé en español."
    assert one_reply(await session.message("/count hulu")).startswith("Hulu tiene")  # Telegram says "en"
    assert one_reply(await session.message("/idioma en", lang="es")) == "I'll answer in English."
    assert one_reply(await session.message("/count hulu", user_id=2, lang="es")).startswith("Hulu tiene")


async def test_lang_survives_a_restart_in_the_database(sample_catalog, tmp_path):
    database = f"sqlite:///{tmp_path / 'bot.db'}"
    first, application = await open_session(sample_catalog, database_url=database)
    await first.message("/lang es")
    await first.message("/platforms netflix hulu")
    await application.shutdown()  # nothing to flush: each answer came after its commit
    second, application = await open_session(sample_catalog, database_url=database)
    try:
        assert one_reply(await second.message("/count hulu")).startswith("Hulu tiene")
        assert "Netflix, Hulu" in one_reply(await second.message("/plataformas"))
    finally:
        await application.shutdown()


async def test_platform_preferences_shape_the_answers(session, sample_catalog):
    assert "Netflix" in one_reply(await session.message("/platforms netflix"))
    similar = one_reply(await session.message("/similar the matrix"))
    listed = [line for line in similar.splitlines() if re.match(r"\d+\. ", line)]
    assert listed and all(line.endswith("Netflix") or "Netflix" in line for line in listed)
    assert one_reply(await session.message("/platforms all")).startswith("Preferences cleared")
    assert "all platforms" in one_reply(await session.message("/platforms"))


# ---- titles: where, similar, recommend, cards and buttons ----------------------------------------------------
async def test_where_answers_a_clear_title(session):
    text = one_reply(await session.message("/where the irishman"))
    assert text.startswith("The Irishman streams on:") and "Netflix: 2019, movie, 209 min" in text


async def test_an_unclear_title_offers_buttons_that_finish_the_command(session):
    [offer] = replies(await session.message("/donde the office", lang="es"))
    assert render.plain(offer.text) == "¿Quisiste decir…?"
    labels = [b["text"] for b in offer.buttons]
    assert labels[:2] == ["The Office (2005, Netflix)", "The Office (2001, Amazon Prime Video)"]
    calls = await session.press(offer.buttons[0]["callback_data"], offer, lang="es")
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert render.plain(calls[1].text).startswith("The Office se puede ver en:\n• Netflix: 2005")


async def test_unknown_title_says_so(session):
    absent = "“xyzzy qqq” is not on Amazon Prime Video, Disney+, Hulu or Netflix (their US catalogs as published in 2021)."
    assert one_reply(await session.message("/similar xyzzy qqq")).startswith(absent)
    assert one_reply(await session.message("xyzzy qqq")).startswith(absent)
    assert one_reply(await session.message("the godfather", lang="es")).startswith(
        "«the godfather» no está en Amazon Prime Video, Disney+, Hulu ni Netflix (sus catálogos de EE. UU. publicados en 2021).")


async def test_similar_pages_with_more_and_back(session):
    [first] = replies(await session.message("/similar toy story"))
    assert render.plain(first.text).startswith("Titles like Toy Story:")
    more = button(first, "More ›")
    calls = await session.press(more["callback_data"], first)
    [page] = [c for c in calls if c.method == "editMessageText"]
    assert "\n6. " in render.plain(page.text)
    back = button(page, "‹ Back")
    calls = await session.press(back["callback_data"], page)
    assert "\n1. " in render.plain(calls[-1].text)


async def test_recommend_for_known_and_unknown_users(session, sample_catalog):
    user = sample_catalog.ratings.most_active_user()
    # a title the similarity predicts low for this user (The Irishman was, before issue 8's similarity)
    text = one_reply(await session.message(f"/recommend {user} the big sick"))
    assert text.startswith(f"User {user} would rate The Big Sick ★")
    assert "Instead, they might like:" in text  # after a "probably not"
    text = one_reply(await session.message("/recommend 3 toy story"))
    assert text.startswith("User 3 would rate Toy Story ★") and "They might also like:" in text
    text = one_reply(await session.message("/recomendar 999999 toy story", lang="es"))
    assert text.startswith("El usuario 999999 aún no tiene valoraciones")
    # the rest names no title, so the number is no user id: the whole text is the title asked about
    assert one_reply(await session.message("/recommend 5 xyzzy qqq")).startswith("“5 xyzzy qqq” is not on")


async def test_recommendation_more_button_keeps_the_user(session):
    [first] = replies(await session.message("/recommend 3 the matrix"))
    more = button(first, "More ›")
    assert more["callback_data"].startswith("R:3:")
    calls = await session.press(more["callback_data"], first)
    assert render.plain(calls[-1].text).startswith("User 3 rated The Matrix ★ 4.5 themselves.")


async def test_a_title_card_carries_similar_where_and_share(session):
    [card] = replies(await session.message("irishman"))
    assert render.plain(card.text).startswith("The Irishman (2019)\nMovie · 209 min")
    assert button(card, "Share")["switch_inline_query"] == "ns1"
    calls = await session.press(button(card, "Similar")["callback_data"], card)
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]  # a new message: the card stays
    calls = await session.press(button(card, "Where to watch")["callback_data"], card)
    assert render.plain(calls[-1].text).startswith("The Irishman streams on:")


@pytest.mark.parametrize("data", ["zz", "c:ns999999", "s:ns1:x", "r:1:ns1", "W:xs1", "c:" + "9" * 70, ""])
async def test_stale_or_forged_buttons_get_a_short_answer(session, data):
    calls = await session.press(data)
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert calls[0].params["text"] == "This button has expired."


async def test_an_out_of_range_page_shows_the_last_page(session):
    calls = await session.press("S:ns1:9")
    assert calls[-1].method == "editMessageText" and "\n1. " not in render.plain(calls[-1].text)


# ---- messages that are not commands ------------------------------------------------------------------------
async def test_unknown_commands_get_a_hint_in_private_only(session):
    assert one_reply(await session.message("/frobnicate")) == "I don't know that command. /help lists what I can do."
    assert replies(await session.message("/frobnicate", chat_id=-100, chat_type="supergroup")) == []


async def test_photos_are_read_by_their_caption(session):
    assert one_reply(await session.message(None, photo=True)).startswith("I read text, not pictures")
    assert one_reply(await session.message(None, photo=True, caption="inception")).startswith("Inception (2010)")


async def test_groups_answer_our_commands_threaded_and_ignore_other_bots(session):
    group = {"chat_id": -1001, "chat_type": "supergroup"}
    [sent] = replies(await session.message(f"/count@{BOT_USERNAME} netflix", **group))
    assert sent.params["chat_id"] == -1001 and sent.params["reply_parameters"]["message_id"]
    assert replies(await session.message("/count@SomeOtherBot netflix", **group)) == []
    assert replies(await session.message("the irishman", **group)) == []  # plain talk in groups is not for us
    assert len(replies(await session.message("/where the irishman", **group))) == 1


# ---- inline mode ---------------------------------------------------------------------------------------------
async def test_inline_title_search(session):
    [answer] = await session.inline("toy story")
    assert answer.method == "answerInlineQuery" and answer.params["is_personal"] is True
    results = answer.params["results"]
    assert 1 <= len(results) <= 20 and results[0]["title"] == "Toy Story"
    assert "1995 · Disney+" in results[0]["description"]
    assert results[0]["reply_markup"]["inline_keyboard"][0][0]["url"].endswith("?start=t_ds1")
    assert len({r["id"] for r in results}) == len(results)


async def test_inline_recommendation_card_and_empty_queries(session):
    [answer] = await session.inline("rec 3 the matrix", lang="es")
    [result] = answer.params["results"]
    assert result["title"].startswith("Usuario 3 · The Matrix")
    assert "valoró <b>The Matrix</b> con ★ 4,5" in result["input_message_content"]["message_text"]
    assert "Botones" not in result["input_message_content"]["message_text"]  # an inline card has no line buttons
    for query, hint in (("", "How to search"), ("rec the matrix", "Type: rec <user id> <title>")):
        [answer] = await session.inline(query)
        assert answer.params["results"] == [] and answer.params["button"] == {"text": hint, "start_parameter": "help"}
    [answer] = await session.inline("the godfather")  # on none of the services: one result that says so
    [result] = answer.params["results"]
    assert result["title"] == "Not on these services: the godfather"
    assert result["input_message_content"]["message_text"].startswith("“the godfather” is not on Amazon Prime Video")


# ---- stats, throttling, errors --------------------------------------------------------------------------------
async def test_stats_replies_with_a_chart(session, sample_catalog):
    [photo] = replies(await session.message("/stats netflix"))
    assert photo.method == "sendPhoto" and next(iter(photo.files.values())).startswith(b"\x89PNG")
    caption = render.plain(photo.text)
    assert caption.startswith("Titles per release year and type — Netflix.")
    netflix = [t for t in sample_catalog.titles if t.platform.key == "netflix"]
    first, last = min(t.release_year for t in netflix), max(t.release_year for t in netflix)
    assert f"{len(netflix)} titles released {first}–{last}" in caption
    [photo] = replies(await session.message("/estadisticas", lang="es"))
    caption = render.plain(photo.text)
    assert "todas las plataformas" in caption
    everything = sample_catalog.titles
    assert f"{len(everything)} títulos estrenados entre" in caption and "% se estrenó en 2015 o después" in caption
    assert "released" not in caption  # no English sentence under a Spanish caption


async def test_a_flooding_user_is_throttled_politely_and_others_are_not(sample_catalog):
    session, application = await open_session(sample_catalog, throttle_burst=3, throttle_rate=0.001)
    try:
        answered = [[render.plain(c.text) for c in replies(await session.message("/count netflix"))]
                    for _ in range(6)]
        assert [len(texts) for texts in answered] == [1, 1, 1, 1, 0, 0]
        assert all(texts[0].startswith("Netflix has") for texts in answered[:3])
        assert answered[3] == ["You're sending messages very fast: I'll answer again in a few seconds."]
        assert replies(await session.message("/count netflix", user_id=1)) == []  # warned once, then quiet
        assert one_reply(await session.message("/count netflix", user_id=2)).startswith("Netflix has")
    finally:
        await application.shutdown()


async def test_a_bug_reaches_the_error_handler_and_the_user_hears_briefly(session, sample_catalog, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("index corrupted")

    monkeypatch.setattr(type(sample_catalog), "count_platform", broken)
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        text = one_reply(await session.message("/count netflix"))
    assert text == "Sorry, something went wrong on my side. Please try again in a moment."
    [record] = [r for r in caplog.records if r.name == "bot.errors"]
    assert "/count netflix" in record.getMessage() and record.exc_info[0] is RuntimeError


# ---- the full catalog ----------------------------------------------------------------------------------------
@pytest.mark.full
async def test_full_catalog_commands(full_session, full_catalog):
    assert one_reply(await full_session.message("/count netflix")).startswith("Netflix has 8,807 titles")
    assert "The Irishman" in one_reply(await full_session.message("/maxduration 2019 netflix"))
    assert one_reply(await full_session.message("/where the irishman")).startswith("The Irishman streams on:")
    user = full_catalog.ratings.most_active_user()
    text = one_reply(await full_session.message(f"/recommend {user} the matrix"))
    assert text.startswith(f"User {user} would rate The Matrix")
    [answer] = await full_session.inline("star wars")  # only titles that match, not 20 of anything
    titles = [r["title"].lower() for r in answer.params["results"]]
    assert len(titles) >= 10 and all("star wars" in t for t in titles)
    [answer] = await full_session.inline("the matrix")  # not Matriarch, Patria…
    assert [r["title"] for r in answer.params["results"]] == ["The Matrix", "The Matrix Reloaded",
                                                              "The Matrix Revolutions"]
