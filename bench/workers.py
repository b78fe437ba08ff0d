"""Webhook workers under load: one process beside three workers behind one port, in the same run.

    python -m bench workers [--data DIR] [--chats 100] [--commands 10] [--no-kill]

`python -m bot` runs as a deployment would (gunicorn, WORKERS=1 then WORKERS=3, PostgreSQL for personal
data, Redis for the shared flood budget and inline lane; a fresh schema and key prefix of their own), and
the Bot API double delivers its webhook updates in parallel, as Telegram does (up to 40 at once). Each chat
is a group where `--commands` members each send one command from the `bench bot` mix (so the per-user
flood budget never decides an answer); a chat sends its next command once the last was answered; all
chats at once. Prints, per run: p50/p99 reply latency (update queued at the double -> first reply), replies/s,
lost (never answered) and duplicated (answered more often than the command's reply count in the one-process
run) updates, which worker answered how many, and RSS, PSS and USS per process (the master and each worker)
after the load. Then, unless --no-kill, the same load on three workers with the busiest one killed (SIGKILL)
once a quarter of the updates were answered: lost and duplicated beside the updates in flight at the kill.

PSS splits each shared page among the processes that map it, so the master's and workers' PSS add up to
what the deployment really holds; an extra worker costs its PSS (what it shares is counted once, split).
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import psutil

from bench import fulldata
from bench.bot import command_mix, percentile
from core.settings import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tests"))
from telegram_double import TelegramDouble  # noqa: E402
from webhook_workers import BOT_USERNAME, TOKEN, Deployment, group_command, killed  # noqa: E402

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
TIMEOUT = 120.0  # seconds an update may wait for its first reply before it counts as lost


def commands() -> list[tuple[str, str]]:
    """The `bench bot` mix, commands only (in a group the bot answers commands, not plain titles)."""
    return [(label, text) for label, text in command_mix(7) if text.startswith("/")]


class Load:
    def __init__(self, tg: TelegramDouble, chats: int, per_chat: int) -> None:
        self.tg, self.chats, self.per_chat = tg, chats, per_chat
        self.mix = commands()
        self.updates: dict[tuple[int, int], tuple[int, str]] = {}  # (chat, message) -> (update id, label)
        self.latency: list[float] = []
        self.lost: list[int] = []
        self.answered = 0
        self.progress = asyncio.Condition()

    async def chat(self, k: int) -> None:
        for i in range(self.per_chat):
            label, text = self.mix[(k * self.per_chat + i) % len(self.mix)]
            started = time.perf_counter()
            update_id = group_command(self.tg, -(2 * 10**7 + k), 3 * 10**6 + k * 100 + i, text)
            message = self.tg.injected(update_id)["message"]
            self.updates[(message["chat"]["id"], message["message_id"])] = (update_id, label)
            try:
                await self.tg.replies_to(update_id, timeout=TIMEOUT)
                self.latency.append(time.perf_counter() - started)
            except AssertionError:
                self.lost.append(update_id)
            async with self.progress:
                self.answered += 1
                self.progress.notify_all()

    async def run(self) -> float:
        started = time.perf_counter()
        await asyncio.gather(*(self.chat(k) for k in range(self.chats)))
        return time.perf_counter() - started

    async def reached(self, n: int) -> None:
        async with self.progress:
            await self.progress.wait_for(lambda: self.answered >= n)

    def replies(self, since: int) -> dict[str, list[int]]:
        """label -> replies per update of that command (messages threaded to it)."""
        counts = collections.Counter()
        for call in self.tg.calls[since:]:
            if call.ok and call.method in ("sendMessage", "sendPhoto"):
                target = (call.params.get("reply_parameters") or {}).get("message_id")
                if target is not None:
                    counts[(int(call.params["chat_id"]), int(target))] += 1
        per_label: dict[str, list[int]] = collections.defaultdict(list)
        for key, (_, label) in self.updates.items():
            per_label[label].append(counts[key])
        return per_label


async def settled(tg: TelegramDouble) -> None:
    while tg.pending_update_count or any(a.ended is None for a in tg.webhook_attempts):
        await asyncio.sleep(0.05)


def memory(bot: Deployment) -> list[tuple[str, float, float, float]]:
    """(role, RSS, PSS, USS in MB) of the master and each live worker."""
    master = psutil.Process(bot.process.pid)
    rows = []
    for role, process in [("master", master), *(("worker", child) for child in master.children())]:
        try:
            info = process.memory_full_info()
        except psutil.Error:
            continue
        rows.append((f"{role} {process.pid}", info.rss / 2**20, info.pss / 2**20, info.uss / 2**20))
    return rows


def report(name: str, load: Load, wall: float, expected: dict[str, int], since: int, first_attempt: int,
           tg: TelegramDouble, mem: list[tuple[str, float, float, float]] | None) -> tuple[int, int]:
    total = load.chats * load.per_chat
    per_label = load.replies(since)
    lost = sum(n == 0 for counts in per_label.values() for n in counts)
    duplicated = sum(n > expected.get(label, 1) for label, counts in per_label.items() for n in counts)
    ms = [s * 1000 for s in load.latency] or [0.0]
    print(f"{name}: {len(load.latency)}/{total} answered in {wall:.1f} s ({len(load.latency) / wall:.1f} replies/s); "
          f"latency ms p50 {statistics.median(ms):.0f}  p99 {percentile(ms, 99):.0f}; lost {lost}, duplicated {duplicated}")
    by_worker = collections.Counter(a.worker for a in tg.webhook_attempts[first_attempt:]
                                    if a.status == 200)
    print(f"  answered by worker (pid: updates): {dict(by_worker)}")
    if mem:
        for role, rss, pss, uss in mem:
            print(f"  {role:>14}: RSS {rss:6.0f} MB  PSS {pss:6.0f} MB  USS {uss:6.0f} MB")
        workers = [row for row in mem if row[0].startswith("worker")]
        print(f"  all processes: PSS {sum(r[2] for r in mem):.0f} MB; per worker PSS mean "
              f"{statistics.mean(r[2] for r in workers):.0f} MB, USS mean {statistics.mean(r[3] for r in workers):.0f} MB")
    return lost, duplicated


async def one_run(tg: TelegramDouble, data: Path, workers: int, env: dict, args, expected: dict[str, int] | None,
                  kill: bool = False) -> tuple[dict[str, int], list | None]:
    started = time.perf_counter()
    async with Deployment(tg, data, workers=workers, env=env, timeout=300) as bot:
        print(f"\n{workers} worker(s) up in {time.perf_counter() - started:.1f} s (pids {bot.worker_pids})")
        warm = Load(tg, 3 * workers, 1)
        await warm.run()  # first-use costs, connections to each worker
        await settled(tg)
        since, first_attempt = tg.mark(), len(tg.webhook_attempts)
        load = Load(tg, args.chats, args.commands)
        running = asyncio.ensure_future(load.run())
        in_flight: set[int] = set()
        if kill:
            await load.reached(args.chats * args.commands // 4)
            busiest = collections.Counter(a.worker for a in tg.webhook_attempts[first_attempt:]
                                          if a.status == 200).most_common(1)[0][0]
            t0 = time.monotonic()
            await killed(int(busiest))
            in_flight = {a.update_id for a in tg.webhook_in_flight(t0, time.monotonic())}
        wall = await running
        await settled(tg)
        mem = None if kill else memory(bot)
    name = f"{workers} worker(s)" + (", the busiest killed at 1/4" if kill else "")
    if expected is None:  # the one-process run says how many messages each command answers with
        expected = {label: max(collections.Counter(counts).most_common(1)[0][0], 1)
                    for label, counts in load.replies(since).items()}
    lost, duplicated = report(name, load, wall, expected, since, first_attempt, tg, mem)
    if kill:
        print(f"  in flight at the kill (POSTs open at the double): {len(in_flight)}; lost + duplicated "
              f"{lost + duplicated} (bounded by it)")
    return expected, mem


async def bench(args) -> int:
    import asyncpg

    schema = f"bench_workers_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(args.database_url)
    await connection.execute(f'CREATE SCHEMA "{schema}"')
    await connection.close()
    prefix = f"bench-{uuid.uuid4().hex[:8]}:"
    database = f"{args.database_url}?search_path={schema}"
    print(f"{args.chats} group chats x {args.commands} commands = {args.chats * args.commands} updates per run; "
          f"load average {os.getloadavg()[0]:.1f}")
    try:
        async with TelegramDouble(token=TOKEN, bot_username=BOT_USERNAME) as tg:
            # the baseline: one process, as today (its flood budget in memory)
            expected, alone = await one_run(tg, args.data, 1, {"DATABASE_URL": database}, args, None)
            shared = {"DATABASE_URL": database, "REDIS_URL": args.redis_url, "REDIS_PREFIX": prefix}
            _, three = await one_run(tg, args.data, 3, shared, args, expected)
            one_total, three_total = sum(r[2] for r in alone), sum(r[2] for r in three)
            print(f"\neach extra worker adds {(three_total - one_total) / 2:.0f} MB PSS (all processes: "
                  f"{one_total:.0f} MB with one worker, {three_total:.0f} MB with three)")
            if args.kill:
                await one_run(tg, args.data, 3, shared, args, expected, kill=True)
    finally:
        connection = await asyncpg.connect(args.database_url)
        await connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await connection.close()
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(args.redis_url)
        async for key in client.scan_iter(f"{prefix}*"):
            await client.delete(key)
        await client.aclose()
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench workers", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="processed data folder (default: the full data, built once)")
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--commands", type=int, default=10, help="commands per chat")
    parser.add_argument("--no-kill", dest="kill", action="store_false", help="skip the run with a worker killed")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    args = parser.parse_args(argv)
    for name in ("NO_PROXY", "no_proxy"):
        os.environ[name] = "127.0.0.1,localhost"
    args.data = args.data or fulldata.ensure_full_processed()
    return asyncio.run(bench(args))
