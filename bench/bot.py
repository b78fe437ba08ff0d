"""Load benchmark of the bot: many chats at once, through the Telegram Bot API double over HTTP.

    python -m bench bot [--data DIR] [--chats 100] [--commands 20] [--think 1.0] [--mode polling|webhook]

The bot runs as its own process (`python -m bench bot --serve ...`: the same `build_application` as
`python -m bot`), long-polling the double (or receiving its webhook) on 127.0.0.1; this process runs
the double and the chats, so the double's own work does not eat the bot's CPU. Each chat is a user in
a private chat sending `--commands` commands; all chats run at once. Two loads:

- paced: after each reply the user waits `--think` seconds (jittered 0.5x-1.5x) before the next
  command: people typing, and the most a user may send without being throttled (1/s sustained);
- flood: no pause at all, so the bot is saturated: its throughput is the figure, and latency is
  queueing (chats / throughput, by Little's law).

Then the naive baseline, in the same run: both loads again on a bot that handles one update at a
time (python-telegram-bot's default). Prints p50/p90/p99/max reply latency (from the update being
queued at the double to the reply reaching it) and the number of updates never answered. The double
is not Telegram, so Telegram's global 30 messages/s limit is off (the rate limiter still retries
429s); the flood-control burst is raised to the commands per chat so the flood run measures the bot,
not the throttle.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import asynccontextmanager
from pathlib import Path

from bench import fulldata
from core.settings import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tests"))
from telegram_double import TelegramDouble, WaitTimeout, free_port  # noqa: E402

TOKEN = "5550001111:BENCH-token_not-a-real-one_0123456789"
SECRET = "bench-webhook-secret"
TIMEOUT = 30.0  # seconds an update may wait for its reply before it counts as unanswered
USERS = (1, 2, 3, 5, 7, 8)  # user ids for /recommend (known in the sample and the full ratings)


def command_mix(user: int) -> list[tuple[str, str]]:
    """(label, text) pairs covering queries, titles, did-you-mean and recommendations."""
    return [
        ("count", "/count netflix"), ("maxduration", "/maxduration 2019 netflix"),
        ("scorecount", "/scorecount netflix 3.5 2019"), ("actor", "/actor 2019 netflix"),
        ("country", "/country movie united states 2019"), ("rating", "/rating pg-13"),
        ("where", "/where the irishman"), ("where?", "/where the office"), ("similar", "/similar toy story"),
        ("recommend", f"/recommend {user} the matrix"), ("title", "inception"), ("help", "/help"),
        ("es:contar", "/contar hulu"), ("es:similares", "/similares the matrix"),
    ]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


# ---- the bot's side: a separate process ---------------------------------------------------------------
def serve(data: Path, base_url: str, mode: str, port: int, burst: int, sequential: bool) -> int:
    """Run the bot as `python -m bot` would, against the double, until SIGTERM; `sequential` handles
    one update at a time (python-telegram-bot's default): the naive baseline."""
    from telegram import Update
    from telegram.ext import AIORateLimiter

    from bot.app import API_RETRIES, build_application
    from bot.settings import Settings
    from core import Catalog

    catalog = Catalog.load(data).warm()
    settings = Settings(token=TOKEN, base_url=base_url, state_file=None, throttle_burst=burst, webhook_secret=SECRET)
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=API_RETRIES)
    application = build_application(catalog, settings, rate_limiter=limiter,
                                    **({"concurrent_updates": 1} if sequential else {}))
    if mode == "webhook":
        application.run_webhook(listen="127.0.0.1", port=port, url_path="hook", secret_token=SECRET,
                                webhook_url=f"http://127.0.0.1:{port}/hook", allowed_updates=Update.ALL_TYPES)
    else:
        application.run_polling(poll_interval=0.0, timeout=5, allowed_updates=Update.ALL_TYPES)
    return 0


# ---- the users' side -------------------------------------------------------------------------------------
async def one_chat(tg: TelegramDouble, chat: int, plan: list[tuple[str, str]], think: float, rng: random.Random,
                   results: dict) -> None:
    for label, text in plan:
        lang = "es" if label.startswith("es:") else "en"
        started = time.perf_counter()
        update_id = tg.user_message(text, user_id=chat, language_code=lang)
        try:
            await tg.replies_to(update_id, timeout=TIMEOUT)
        except WaitTimeout:
            results["unanswered"].append((chat, text))
            continue
        elapsed = time.perf_counter() - started
        results["latency"].append(elapsed)
        results["by_command"][label].append(elapsed)
        if think:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))


async def load(tg: TelegramDouble, chats: int, per_chat: int, think: float, seed: int) -> dict:
    rng = random.Random(seed)
    plans = []
    for k in range(chats):
        mix = command_mix(USERS[k % len(USERS)])
        plans.append([mix[rng.randrange(len(mix))] for _ in range(per_chat)])
    results = {"latency": [], "unanswered": [], "by_command": defaultdict(list)}
    started = time.perf_counter()
    await asyncio.gather(*(one_chat(tg, 10_000 + seed * 1000 + k, plan, think, random.Random(k), results)
                           for k, plan in enumerate(plans)))
    results["wall"] = time.perf_counter() - started
    return results


def report(name: str, results: dict, total: int) -> None:
    latency = [s * 1000 for s in results["latency"]]
    if not latency:
        print(f"{name}: no replies at all; unanswered {len(results['unanswered'])}/{total}")
        return
    print(f"{name}: {len(latency)}/{total} answered in {results['wall']:.1f} s "
          f"({len(latency) / results['wall']:.0f} replies/s); latency ms p50 {statistics.median(latency):.1f}  "
          f"p90 {percentile(latency, 90):.1f}  p99 {percentile(latency, 99):.1f}  max {max(latency):.1f}; "
          f"unanswered {len(results['unanswered'])}")


@asynccontextmanager
async def bot_process(tg: TelegramDouble, args, sequential: bool):
    """The bot in its own process, polling (or receiving webhooks from) the double, warmed up."""
    port = free_port()
    command = [sys.executable, "-m", "bench", "bot", "--serve", "--data", str(args.data), "--base-url",
               tg.base_url, "--mode", args.mode, "--port", str(port), "--commands", str(args.commands)]
    if sequential:
        command.append("--sequential")
    started = time.perf_counter()
    mark = tg.mark()
    bot = subprocess.Popen(command, cwd=PROJECT_ROOT)
    try:
        await tg.wait_for(lambda c: c.method in ("getUpdates", "setWebhook"), timeout=120, since=mark)
        print(f"bot process up in {time.perf_counter() - started:.1f} s ({args.mode}"
              f"{', one update at a time' if sequential else ''})")
        await load(tg, 1, 14, 0.0, seed=99)  # warm-up: connections, caches, first-use costs
        yield
    finally:
        stop(bot)


def stop(bot: subprocess.Popen) -> None:
    """SIGTERM, as a supervisor would (the bot shuts down cleanly); killed if it has not ended in 20 s."""
    bot.send_signal(signal.SIGTERM)
    try:
        bot.wait(timeout=20)
    except subprocess.TimeoutExpired:
        bot.kill()


async def bench(args) -> int:
    total = args.chats * args.commands
    print(f"{args.chats} chats x {args.commands} commands = {total} updates per run")
    async with TelegramDouble(token=TOKEN, bot_username="bench_bot") as tg:
        async with bot_process(tg, args, sequential=False):
            paced = await load(tg, args.chats, args.commands, args.think, seed=1)
            report(f"paced (think {args.think:g} s)", paced, total)
            per_command = sorted(paced["by_command"].items(), key=lambda item: -statistics.median(item[1]))
            print("  p50 by command (ms): " + ", ".join(f"{label} {statistics.median(v) * 1000:.1f}"
                                                        for label, v in per_command))
            flood = await load(tg, args.chats, args.commands, 0.0, seed=2)
            report("flood (no think time)", flood, total)
        unanswered = paced["unanswered"] + flood["unanswered"]
        if args.baseline:
            async with bot_process(tg, args, sequential=True):
                naive = await load(tg, args.chats, args.commands, args.think, seed=1)
                report(f"baseline, paced (think {args.think:g} s)", naive, total)
                naive_flood = await load(tg, args.chats, args.commands, 0.0, seed=2)
                report("baseline, flood (no think time)", naive_flood, total)
                for name, ours, theirs in (("paced", paced, naive), ("flood", flood, naive_flood)):
                    if ours["latency"] and theirs["latency"]:
                        ratio = statistics.median(theirs["latency"]) / statistics.median(ours["latency"])
                        print(f"  {name}: p50 baseline / ours {ratio:.2f}x")
        if unanswered:
            print(f"unanswered, first few: {unanswered[:5]}")
        if tg.internal_errors:
            print(f"the double failed {len(tg.internal_errors)} times: {tg.internal_errors[:3]}")
    return 1 if unanswered else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench bot", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="processed data folder (default: the full data, built once into "
                        "data/processed_full/ from ../shared)")
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--commands", type=int, default=20, help="commands per chat")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a user pauses between commands (paced)")
    parser.add_argument("--mode", choices=("polling", "webhook"), default="polling")
    parser.add_argument("--no-baseline", dest="baseline", action="store_false",
                        help="skip the naive baseline run (one update at a time, python-telegram-bot's default)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the bot's own process
    parser.add_argument("--sequential", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name in ("NO_PROXY", "no_proxy"):  # loopback must never go through a proxy
        os.environ[name] = "127.0.0.1,localhost"
    args.data = args.data or fulldata.ensure_full_processed()
    if args.serve:
        return serve(args.data, args.base_url, args.mode, args.port, args.commands, args.sequential)
    return asyncio.run(bench(args))
