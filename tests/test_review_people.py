"""A person is a name with letters: Amazon's placeholder uploads ("Title before 1C onboarding - 5", cast
"1, 2, 3") must not make "3" a person, or the card of "3%" offers "Titles with 3"."""
from __future__ import annotations

import pytest

from tests.test_bot_handlers import open_session, replies


@pytest.mark.full
def test_numbers_from_placeholder_credits_are_no_people(full_catalog):
    for number in ("1", "2", "3"):
        assert full_catalog.people.find(number) is None
    assert full_catalog.people.find("50 Cent") is not None  # a stage name with a number stays a person
    assert full_catalog.people.find("Tom Hanks") is not None


@pytest.mark.full
async def test_a_numeric_title_gets_no_person_button(full_catalog):
    session, application = await open_session(full_catalog)
    try:
        [card] = replies(await session.message("3%"))
    finally:
        await application.shutdown()
    assert card.text.startswith("<b>3%</b> (2020)")  # Netflix s2128: 3%, 2020, 4 seasons
    assert not any(b["text"].startswith("Titles with") for b in card.buttons)
