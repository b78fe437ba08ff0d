"""Movie nights in the database, on a real SQLite file and the real PostgreSQL (see storage_backends): one open
night per chat, each step claimed by exactly one of several workers, only joined members' votes counted, two
groups never mixed, members leaving, /forget."""
from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta

import pytest

from storage import Storage
from storage.schema import nights

sys.path.insert(0, os.path.dirname(__file__))

from test_storage import backend, store  # noqa: E402, F401  (the fixtures: each test runs on both databases)

CHAT, OTHER_CHAT = -100501, -100502
ANN, BOB, CAT, EVE = 11, 12, 13, 14
NINE = datetime(2026, 3, 6, 21, 0, tzinfo=UTC)


@pytest.fixture
async def worker(backend):
    """A second process's Storage on the same database."""
    url, schema = backend
    opened = Storage(url, search_path=schema)
    yield opened
    await opened.close()


async def night_with(store: Storage, *members: int, chat: int = CHAT):
    night, created = await store.start_night(chat, members[0], f"user{members[0]}", "en", "comedy", 30)
    assert created
    for member in members[1:]:
        await store.set_member(night.night_id, member, f"user{member}", True)
    return night


async def voting(store: Storage, night, titles=("ns1", "ns2", "ns3", "ns4"), poll_id="poll-1", deadline=NINE):
    assert await store.claim_pick(night.night_id, night.round + 1) is not None
    await store.open_round(night.night_id, [(t, 1.0 - k / 10) for k, t in enumerate(titles)], poll_id, 77, deadline)
    return await store.night(night.night_id)


async def test_one_open_night_per_chat_and_members_in_and_out(store):
    night = await night_with(store, ANN, BOB)
    again, created = await store.start_night(CHAT, CAT, "Cat", "es", "", 30)
    assert not created and again.night_id == night.night_id  # the open one, not a second
    other, created = await store.start_night(OTHER_CHAT, CAT, "Cat", "es", "", 30)
    assert created and other.night_id != night.night_id
    after = await store.set_member(night.night_id, BOB, "Bob", False)
    assert [m.user_id for m in after.joined] == [ANN] and [m.user_id for m in after.members] == [ANN, BOB]
    after = await store.set_member(night.night_id, BOB, "Bob", True)
    assert [(m.user_id, m.name) for m in after.joined] == [(ANN, "user11"), (BOB, "Bob")]
    await voting(store, after)
    assert await store.set_member(night.night_id, CAT, "Cat", True) is None  # the lobby closed with the poll


async def test_the_pick_and_the_end_are_claimed_by_one_worker(store, worker):
    night = await night_with(store, ANN, BOB)
    claims = await asyncio.gather(store.claim_pick(night.night_id, 1), worker.claim_pick(night.night_id, 1),
                                  store.claim_pick(night.night_id, 1))
    assert sum(c is not None for c in claims) == 1
    await store.open_round(night.night_id, [("ns1", 0.5), ("ns2", 0.1)], "poll-9", 5, NINE)
    assert await store.due_nights(NINE - timedelta(minutes=1)) == ()
    assert await worker.due_nights(NINE) == ((night.night_id, 1),)
    early = await store.claim_end(night.night_id, 1, due_by=NINE - timedelta(seconds=1))
    assert early is None  # not yet due
    ends = await asyncio.gather(*(s.claim_end(night.night_id, 1, due_by=NINE) for s in (store, worker, store, worker)))
    assert sum(e is not None for e in ends) == 1
    assert await store.claim_end(night.night_id, 1) is None  # Close after the timeout: already ended
    await store.finish_round(night.night_id, "ns1")
    assert (await store.night(night.night_id)).state == "counted"
    assert await store.due_nights(NINE + timedelta(hours=1)) == ()
    nexts = await asyncio.gather(store.claim_pick(night.night_id, 2), worker.claim_pick(night.night_id, 2))
    assert sum(n is not None for n in nexts) == 1


async def test_only_joined_members_votes_count_and_the_last_one_says_everyone_voted(store):
    night = await voting(store, await night_with(store, ANN, BOB, CAT))
    first = await store.record_vote("poll-1", ANN, [0, 1])
    assert first.counted and not first.everyone_voted
    stranger = await store.record_vote("poll-1", EVE, [0])
    assert not stranger.counted and not stranger.everyone_voted
    await store.record_vote("poll-1", BOB, [1])
    await store.record_vote("poll-1", BOB, [])  # taken back
    assert not (await store.record_vote("poll-1", CAT, [2])).everyone_voted
    last = await store.record_vote("poll-1", BOB, [1, 3])
    assert last.everyone_voted and last.night.night_id == night.night_id
    [tally] = await store.tallies(night.night_id)
    assert [c.votes for c in tally.candidates] == [1, 2, 1, 1]  # Eve's vote for option 0 not among them
    assert tally.voters == {ANN, BOB, CAT} and tally.ignored == 1
    assert [c.title_id for c in tally.candidates] == ["ns1", "ns2", "ns3", "ns4"]
    assert (await store.record_vote("no-such-poll", ANN, [0])).night is None


async def test_two_groups_never_mix_and_a_person_in_both_votes_in_each(store):
    first = await voting(store, await night_with(store, ANN, BOB, chat=CHAT), poll_id="poll-a")
    second = await voting(store, await night_with(store, CAT, BOB, chat=OTHER_CHAT), poll_id="poll-b")
    await store.record_vote("poll-a", BOB, [0])
    await store.record_vote("poll-b", BOB, [3])
    await store.record_vote("poll-b", ANN, [2])  # Ann is not in the other group's night
    [a] = await store.tallies(first.night_id)
    [b] = await store.tallies(second.night_id)
    assert [c.votes for c in a.candidates] == [1, 0, 0, 0] and a.ignored == 0
    assert [c.votes for c in b.candidates] == [0, 0, 0, 1] and b.ignored == 1


async def test_a_member_leaving_the_group_leaves_its_night_and_their_vote_stops_counting(store):
    night = await voting(store, await night_with(store, ANN, BOB, CAT))
    await store.record_vote("poll-1", ANN, [0])
    await store.record_vote("poll-1", CAT, [0])
    assert not await store.everyone_voted(night.night_id)
    assert await store.leave_chat(OTHER_CHAT, BOB) == ()  # another chat: nothing
    [after] = await store.leave_chat(CHAT, BOB)
    assert [m.user_id for m in after.joined] == [ANN, CAT]
    assert await store.everyone_voted(night.night_id)  # those still in have all voted
    await store.leave_chat(CHAT, CAT)
    [tally] = await store.tallies(night.night_id)
    assert tally.candidates[0].votes == 1 and tally.ignored == 1


async def test_forget_removes_a_persons_votes_and_places_in_nights(store):
    night = await voting(store, await night_with(store, ANN, BOB))
    await store.record_vote("poll-1", BOB, [1])
    assert len((await store.everything(BOB))["night_votes"]) == 1
    deleted = await store.forget(BOB)
    assert deleted["night_votes"] == 1 and deleted["nights"] == 1
    assert [m.user_id for m in (await store.night(night.night_id)).members] == [ANN]
    assert (await store.everything(BOB))["nights"] == []


async def test_a_counted_night_gives_way_to_a_new_one(store):
    night = await voting(store, await night_with(store, ANN, BOB))
    await store.claim_end(night.night_id, 1)
    await store.finish_round(night.night_id, "ns2")
    fresh, created = await store.start_night(CHAT, BOB, "Bob", "en", "", 45)
    assert created and fresh.night_id != night.night_id and fresh.timeout_minutes == 45
    assert (await store.night(night.night_id)).state == "over"
    assert (await store.open_night(CHAT)).night_id == fresh.night_id


async def test_an_ending_a_dead_worker_claimed_is_claimed_again_later(store, worker):
    night = await voting(store, await night_with(store, ANN, BOB))
    assert await store.claim_end(night.night_id, 1) is not None  # ... and that worker dies here
    assert await worker.due_nights(NINE) == ()  # another worker leaves it alone for a while
    assert await worker.claim_end(night.night_id, 1, due_by=NINE) is None
    async with store.engine.begin() as connection:  # the claim is older than Storage.STALE_STEP
        await connection.execute(nights.update().values(updated_at=datetime.now(UTC) - Storage.STALE_STEP * 2))
    assert await worker.due_nights(NINE) == ((night.night_id, 1),)
    claims = await asyncio.gather(worker.claim_end(night.night_id, 1, due_by=NINE),
                                  store.claim_end(night.night_id, 1, due_by=NINE))
    assert sum(c is not None for c in claims) == 1


async def test_a_lobby_left_alone_for_hours_gives_way_to_a_new_night(store):
    night = await night_with(store, ANN, BOB)
    again, created = await store.start_night(CHAT, CAT, "Cat", "en", "", 30)
    assert not created and again.night_id == night.night_id
    async with store.engine.begin() as connection:
        await connection.execute(nights.update().values(updated_at=datetime.now(UTC) - Storage.ABANDONED_LOBBY * 2))
    fresh, created = await store.start_night(CHAT, CAT, "Cat", "en", "", 30)
    assert created and fresh.night_id != night.night_id and (await store.night(night.night_id)).state == "over"
