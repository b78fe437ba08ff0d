"""The webhook server as a stranger or a load balancer meets it (`python -m bot` with WEBHOOK_URL, one worker,
spoken to over a raw socket): what is refused before the body is read, what a bad body gets, and /healthz."""
from __future__ import annotations

import asyncio
import json

import pytest
from telegram_double import TelegramDouble
from webhook_workers import BOT_USERNAME, SECRET, TOKEN, Deployment

HANG = 120.0  # seconds: only bounds a hang
FIFTY_MB = 50 * 1024 * 1024


async def exchange(port: int, head: str, body: bytes = b"", *, stream_until_answered: bool = False) -> tuple[int, dict]:
    """Send `head` (and `body`), return the status and headers of the answer. With `stream_until_answered`,
    keep sending 64 KB chunks (chunked encoding, no Content-Length) until the server answers."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode() + b"\r\n" + body)
        await writer.drain()
        answer = asyncio.ensure_future(reader.readuntil(b"\r\n\r\n"))
        sent = 0
        while stream_until_answered and not answer.done() and sent < FIFTY_MB:
            chunk = b"x" * 65536
            writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            try:
                await writer.drain()
            except ConnectionError:  # the server answered and closed: the answer is in the buffer
                break
            sent += len(chunk)
        raw = await asyncio.wait_for(answer, HANG)
    finally:
        writer.close()
    status_line, *lines = raw.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines if ": " in line)
    return int(status_line.split()[1]), {k.lower(): v for k, v in headers.items()}


def post_head(length: int | None, secret: str | None, *, chunked: bool = False) -> str:
    lines = ["POST /telegram HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    if secret is not None:
        lines.append(f"X-Telegram-Bot-Api-Secret-Token: {secret}")
    return "\r\n".join(lines) + "\r\n"


@pytest.fixture
async def one_worker(sample_processed):
    async with TelegramDouble(token=TOKEN, bot_username=BOT_USERNAME) as tg:
        async with Deployment(tg, sample_processed, workers=1, timeout=HANG) as bot:
            yield tg, bot


async def test_a_body_is_refused_before_it_is_read_and_a_bad_one_gets_400(one_worker):
    tg, bot = one_worker
    port = bot.port
    # 50 MB announced, nothing sent: answered at once, without the secret 403, with it 413
    assert (await exchange(port, post_head(FIFTY_MB, None)))[0] == 403
    assert (await exchange(port, post_head(FIFTY_MB, "wrong-secret")))[0] == 403
    status, headers = await exchange(port, post_head(FIFTY_MB, SECRET))
    assert status == 413 and int(headers["x-bot-worker"]) in bot.worker_pids
    # no length announced, streamed: cut off once past 1 MB (50 MB would be sent otherwise)
    assert (await exchange(port, post_head(None, SECRET, chunked=True), stream_until_answered=True))[0] == 413
    # malformed JSON, or JSON that is not an update: 400, never 500
    for body in (b"{not json", b"[1, 2]", b'"text"', json.dumps({"update_id": "x", "message": 5}).encode()):
        assert (await exchange(port, post_head(len(body), SECRET), body))[0] == 400, body
    # a wrong path or method
    assert (await exchange(port, "GET /telegram HTTP/1.1\r\nHost: 127.0.0.1\r\n"))[0] == 405
    assert (await exchange(port, "POST /other HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"))[0] == 404
    # and a real update still gets through, answered
    update_id = tg.user_message("/count netflix", user_id=91)
    [reply] = await tg.replies_to(update_id, timeout=HANG)
    assert reply.params["text"].startswith("Netflix has")
    assert not tg.sent_to(78) and tg.internal_errors == []


async def get_health(port: int) -> tuple[int, dict]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        raw = await asyncio.wait_for(reader.read(), HANG)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


async def test_healthz_says_200_when_the_worker_can_answer(one_worker):
    _, bot = one_worker
    status, report = await get_health(bot.port)
    assert status == 200
    assert report["ok"] is True and report["worker"] in bot.worker_pids
    assert report["catalog"] == 131 and report["database"] == "ok" and report["running"] is True


async def test_healthz_says_503_while_the_database_does_not_answer(sample_processed):
    # PostgreSQL on a port nothing listens on: the bot starts (the catalog still answers) but is not healthy
    env = {"DATABASE_URL": "postgresql://postgres@127.0.0.1:9/nothing"}
    async with TelegramDouble(token=TOKEN, bot_username=BOT_USERNAME) as tg:
        async with Deployment(tg, sample_processed, workers=1, env=env, timeout=HANG) as bot:
            status, report = await get_health(bot.port)
            update_id = tg.user_message("/count hulu", user_id=92)
            [reply] = await tg.replies_to(update_id, timeout=HANG)
    assert status == 503
    assert report["ok"] is False and report["catalog"] == 131 and report["database"] != "ok"
    assert reply.params["text"].startswith("Hulu has")
