"""Flood control with a fake clock: the bucket refills, so a throttled user is answered again after waiting;
buttons are throttled like messages; other users never notice. No sleeps: time is a number we set."""
from __future__ import annotations

import types

import pytest
from test_bot_handlers import open_session, replies

from bot import render
from bot.throttle import INLINE_BUDGET, Throttle, Verdict

ALLOW, WARN, DROP = Verdict.ALLOW, Verdict.WARN, Verdict.DROP


def test_a_burst_then_one_warning_then_silence():
    bucket = Throttle(burst=3, rate=1.0)
    assert [bucket.check(1, 0.0) for _ in range(6)] == [ALLOW, ALLOW, ALLOW, WARN, DROP, DROP]


def test_the_bucket_refills_at_the_rate():
    bucket = Throttle(burst=3, rate=2.0)  # one token every half second
    assert [bucket.check(1, 10.0) for _ in range(4)] == [ALLOW, ALLOW, ALLOW, WARN]
    assert bucket.check(1, 10.2) is DROP  # 0.4 of a token
    assert bucket.check(1, 10.5) is ALLOW  # a whole token after half a second
    assert bucket.check(1, 10.5) is WARN  # warned again: this is a new flood
    assert [bucket.check(1, 11.5) for _ in range(3)] == [ALLOW, ALLOW, WARN]  # a second: two tokens


def test_a_long_wait_refills_no_more_than_the_burst():
    bucket = Throttle(burst=2, rate=1.0)
    assert [bucket.check(7, 0.0) for _ in range(3)] == [ALLOW, ALLOW, WARN]
    assert [bucket.check(7, 10_000.0) for _ in range(3)] == [ALLOW, ALLOW, WARN]


def test_users_have_their_own_buckets():
    bucket = Throttle(burst=1, rate=1.0)
    assert [bucket.check(1, 0.0), bucket.check(1, 0.0), bucket.check(2, 0.0), bucket.check(2, 0.0)] == [
        ALLOW, WARN, ALLOW, WARN]


def test_many_idle_users_are_forgotten_without_forgetting_the_flooding_one():
    bucket = Throttle(burst=2, rate=1.0)
    for user in range(10_001):
        bucket.check(user, 0.0)
    assert [bucket.check(-1, 5.0) for _ in range(3)] == [ALLOW, ALLOW, WARN]  # 10,002 users: the idle go
    assert len(bucket._buckets) < 100
    assert bucket.check(-1, 5.0) is DROP  # still limited, still warned once
    assert bucket.check(-1, 6.0) is ALLOW


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr("bot.throttle.time", types.SimpleNamespace(monotonic=clock.monotonic))
    return clock


@pytest.fixture
async def slow_session(sample_catalog, clock):
    session, application = await open_session(sample_catalog, throttle_burst=2, throttle_rate=0.5)
    yield session
    await application.shutdown()


def texts(calls) -> list[str]:
    return [render.plain(c.text) for c in replies(calls)]


async def test_a_throttled_user_is_answered_again_after_waiting(slow_session, clock):
    for _ in range(2):
        assert texts(await slow_session.message("/count netflix"))[0].startswith("Netflix has")
    assert texts(await slow_session.message("/count netflix")) == [
        "You're sending messages very fast: I'll answer again in a few seconds."]
    assert texts(await slow_session.message("/count netflix")) == []
    clock.now += 1.0  # half a token at 0.5 per second
    assert texts(await slow_session.message("/count netflix")) == []
    clock.now += 1.0
    assert texts(await slow_session.message("/count netflix"))[0].startswith("Netflix has")


async def test_buttons_are_throttled_with_a_short_notice_then_quietly(slow_session, clock):
    answers = [await slow_session.press("zz") for _ in range(4)]
    assert [[c.method for c in calls] for calls in answers] == [["answerCallbackQuery"]] * 4
    assert [calls[0].params.get("text") for calls in answers] == [
        "This button has expired.", "This button has expired.",
        "You're sending messages very fast: I'll answer again in a few seconds.", None]
    clock.now += 2.0
    [answer] = await slow_session.press("zz")
    assert answer.params.get("text") == "This button has expired."


async def test_buttons_and_messages_share_one_bucket_and_other_users_are_unaffected(slow_session, clock):
    await slow_session.press("zz")
    await slow_session.press("zz")
    assert texts(await slow_session.message("/count netflix"))[0].startswith("You're sending")
    assert texts(await slow_session.message("/count netflix", user_id=2))[0].startswith("Netflix has")
    [answer] = await slow_session.press("zz", user_id=3)
    assert answer.params.get("text") == "This button has expired."


async def test_inline_queries_beyond_typing_speed_get_empty_answers_until_the_budget_refills(slow_session, clock):
    burst, rate = INLINE_BUDGET

    async def results(user_id: int = 1) -> list:
        [answer] = await slow_session.inline("toy story", user_id=user_id)
        assert answer.method == "answerInlineQuery"
        return answer.params["results"]

    assert all([await results() for _ in range(burst)])  # a burst of searches: all answered
    assert await results() == []  # one more at the same instant: empty, and not cached
    assert await results(user_id=2)  # another user searches as usual
    clock.now += 1 / rate
    assert await results()  # a moment later: answered again
    # the inline flood spent nothing of the message budget
    assert texts(await slow_session.message("/count netflix"))[0].startswith("Netflix has")
