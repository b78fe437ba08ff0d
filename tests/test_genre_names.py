"""Genres in the reader's language: a Spanish card, suggestion reason or inline result names its genres
in Spanish ("Terror", not "Horror"). Expected values are hand-written from the raw catalog rows."""
from __future__ import annotations

import pytest

from bot.genre_names import SPANISH
from core.genres import GENRES
from tests.test_bot_handlers import one_reply, open_session


@pytest.fixture
async def full_session(full_catalog):
    session, application = await open_session(full_catalog)
    yield session
    await application.shutdown()


def test_every_genre_of_the_vocabulary_has_a_spanish_name():
    assert sorted(set(GENRES) - set(SPANISH)) == []


@pytest.mark.full
async def test_a_spanish_card_names_its_genres_in_spanish(full_session):
    # Hulu s1739: Parasite, listed in "Comedy, Drama, Horror".
    assert "Géneros: Comedia, Drama, Terror\n" in one_reply(await full_session.message("parasite", lang="es"))
    assert "Genres: Comedy, Drama, Horror\n" in one_reply(await full_session.message("parasite"))


@pytest.mark.full
async def test_spanish_reasons_and_inline_results_name_genres_in_spanish(full_session):
    # Netflix's The Matrix: its neighbours share "Action & Adventure, Sci-Fi & Fantasy" (the similarity's
    # reasons leave out shelves such as "International", so The Crown's would only say "Drama").
    similar = one_reply(await full_session.message("/similares the matrix", lang="es"))
    assert "géneros: Acción y aventura, Ciencia ficción" in similar and "Science Fiction" not in similar
    # Netflix s8415: The Matrix, "Action & Adventure, Sci-Fi & Fantasy".
    [answer] = await full_session.inline("the matrix", lang="es")
    first = answer.params["results"][0]
    assert first["title"] == "The Matrix"
    assert first["description"].startswith("1999 · Netflix · Acción y aventura, Ciencia ficción, Fantasía")
