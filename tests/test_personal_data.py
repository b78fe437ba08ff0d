"""The personal buttons' callback data: at most 64 bytes at their longest, strictly decoded."""
from __future__ import annotations

import pytest

from bot import callback_data
from bot.personal_data import (
    FOR_YOU, FORGET, HIDE, LIST, ONBOARD, RATE, SEEN, SERVICES, TONIGHT, UNLIST, WATCH, PersonalAction, decode,
)

LONGEST_USER = 2**52  # Telegram's user ids fit in 52 bits
LONGEST_TITLE = "ns9999999"


@pytest.mark.parametrize("action", [
    PersonalAction(RATE, LONGEST_TITLE, 10), PersonalAction(RATE, "as1", 1), PersonalAction(SEEN, LONGEST_TITLE),
    PersonalAction(WATCH, "hs12"), PersonalAction(HIDE, "ds3"), PersonalAction(LIST, None, 999, LONGEST_USER),
    PersonalAction(UNLIST, LONGEST_TITLE, 999, LONGEST_USER), PersonalAction(TONIGHT, None, 0, LONGEST_USER),
    PersonalAction(FOR_YOU, None, 99, LONGEST_USER), PersonalAction(FORGET, None, 1, LONGEST_USER),
    PersonalAction(ONBOARD, LONGEST_TITLE, 99, None, "l"), PersonalAction(ONBOARD, None, 3, None, "s"),
    PersonalAction(SERVICES, None, 15, None, "1"), PersonalAction(SERVICES, None, 0),
])
def test_every_personal_button_round_trips_within_64_bytes(action):
    data = action.encode()
    assert len(data.encode()) <= 64 and decode(data) == action
    assert callback_data.decode(data) is None  # never mistaken for a catalog button


@pytest.mark.parametrize("data", [
    "pr:ns1:11", "pr:ns1:", "pr:xs1:4", "ps:ns1:1", "pl:abc:1", "pu:5:ns1", "px:5:2", "po:3:z:ns1", "pv:100",
    "pq:ns1", "p", "pr", "c:ns1", "", "pr:ns1:4" + "0" * 60, None, 42,
])
def test_forged_or_stale_data_decodes_to_none(data):
    assert decode(data) is None


def test_a_catalog_button_is_not_a_personal_one():
    assert decode(callback_data.Action(callback_data.CARD, "ns1").encode()) is None
