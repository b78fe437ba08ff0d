"""Live data: replies while `python -m etl` swaps in a new output under a running bot (issue 13).

    python -m bench live [--raw DIR] [--ratings DIR] [--chats 40] [--think 0.2] [--steady 10]

Builds two outputs of the full data: A (the catalogs as published) and B (the same without one Netflix
title, so /count netflix says one title fewer). The bot runs as its own process on A, long-polling the Bot
API double, watching its data folder every 0.5 s (`CATALOG_CHECK_SECONDS`); `--chats` users each send
commands in a loop (a third of them /count netflix), pausing `--think` seconds between them.

- steady: `--steady` seconds of that load, no swap: the baseline, from the same run;
- swap: the same load; after 1 s B replaces A with the ETL's two renames; the load goes on until 3 s after the
  first reply from B. "During the swap" is from the renames to that first reply (the bot loading B in a thread
  while it answers from A).

Prints, for each: replies, lost (no reply within 30 s), p50/p99 latency; for the swap also how many /count
replies came from A, from B and from neither (a mixed or half-loaded catalog: must be 0), the time from the
renames to the first B reply, and the bot's resident memory before, at its peak, and after.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import fulldata
from bench.bot import TOKEN, USERS, command_mix, percentile, stop
from core.settings import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tests"))
from telegram_double import TelegramDouble, WaitTimeout  # noqa: E402

WORK = PROJECT_ROOT / "build" / "bench-live"
TIMEOUT = 30.0
CHECK_SECONDS = 0.5
COUNT = "/count netflix"
COUNT_REPLY = re.compile(r"Netflix has ([\d,]+) titles")


def outputs(raw: Path, ratings: Path) -> tuple[Path, Path]:
    """A (the raw catalogs) in WORK/processed and B (without Netflix's last title) in WORK/next, fresh."""
    from etl.pipeline import run

    shutil.rmtree(WORK, ignore_errors=True)
    raw_b = WORK / "raw-b"
    raw_b.mkdir(parents=True)
    netflix = next(raw / name for name in ("netflix_titles.csv", "netflix.csv") if (raw / name).is_file())
    for path in raw.iterdir():
        if path.suffix == ".csv" and path != netflix:
            (raw_b / path.name).symlink_to(path.resolve())
    lines = netflix.read_bytes().splitlines(keepends=True)
    # The last record: its line starts with its show_id (no multi-line field ends the file in the Kaggle data).
    last = max(i for i, line in enumerate(lines) if re.match(rb"s\d+,", line))
    (raw_b / netflix.name).write_bytes(b"".join(lines[:last]))
    run(raw, ratings, WORK / "processed")
    run(raw_b, ratings, WORK / "next")
    return WORK / "processed", WORK / "next"


def serve(data: Path, base_url: str) -> int:
    """The bot as `python -m bot` runs it (long polling), watching `data` every CHECK_SECONDS."""
    from telegram import Update
    from telegram.ext import AIORateLimiter

    from bot.app import API_RETRIES, build_application
    from bot.live import ready_catalog
    from bot.settings import Settings, configure_logging

    configure_logging("INFO")
    settings = Settings(token=TOKEN, base_url=base_url, state_file=None, throttle_burst=10**6,
                        catalog_check_seconds=CHECK_SECONDS)
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=API_RETRIES)
    application = build_application(ready_catalog(data), settings, rate_limiter=limiter)
    application.run_polling(poll_interval=0.0, timeout=5, allowed_updates=Update.ALL_TYPES)
    return 0


def memory(pid: int) -> dict[str, float]:
    """The process's resident memory now and at its peak (VmHWM), in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


class Load:
    """`chats` users sending commands in a loop until `running` is cleared; every reply timed and kept."""

    def __init__(self, tg: TelegramDouble, chats: int, think: float) -> None:
        self.tg, self.chats, self.think = tg, chats, think
        self.replies: list[tuple[float, float, str, str]] = []  # (sent at, latency, command, reply text)
        self.lost: list[str] = []
        self.running = True

    async def chat(self, chat: int) -> None:
        mix = [text for _, text in command_mix(USERS[chat % len(USERS)])]
        k = chat
        while self.running:
            text = COUNT if k % 3 == 0 else mix[k % len(mix)]
            k += 1
            sent = time.perf_counter()
            update_id = self.tg.user_message(text, user_id=chat, language_code="en")
            try:
                [reply, *_] = await self.tg.replies_to(update_id, timeout=TIMEOUT)
            except WaitTimeout:
                self.lost.append(text)
                continue
            self.replies.append((sent, time.perf_counter() - sent, text, reply.text or ""))
            await asyncio.sleep(self.think)

    async def run(self, first_chat: int, until) -> None:
        chats = [asyncio.create_task(self.chat(first_chat + k)) for k in range(self.chats)]
        await until()
        self.running = False
        await asyncio.gather(*chats)

    def counts(self) -> list[tuple[float, str]]:
        """(sent at, the number /count netflix answered)."""
        found = []
        for sent, _, text, reply in self.replies:
            if text == COUNT:
                match = COUNT_REPLY.search(reply)
                found.append((sent, match.group(1) if match else reply[:60]))
        return found


def line(name: str, replies: list[float], lost: int) -> str:
    ms = [s * 1000 for s in replies]
    if not ms:
        return f"{name}: no replies; lost {lost}"
    return (f"{name}: {len(ms)} replies, lost {lost}; latency ms p50 {statistics.median(ms):.0f}  "
            f"p99 {percentile(ms, 99):.0f}  max {max(ms):.0f}")


async def bench(args, a: Path, b: Path) -> int:
    async with TelegramDouble(token=TOKEN, bot_username="bench_bot") as tg:
        mark = tg.mark()
        bot = subprocess.Popen([sys.executable, "-m", "bench", "live", "--serve", "--data", str(a),
                                "--base-url", tg.base_url], cwd=PROJECT_ROOT)
        try:
            await tg.wait_for(lambda c: c.method == "getUpdates", timeout=180, since=mark)
            warm = Load(tg, 1, 0.0)
            await warm.run(1, lambda: asyncio.sleep(3))

            steady = Load(tg, args.chats, args.think)
            await steady.run(1000, lambda: asyncio.sleep(args.steady))
            before = memory(bot.pid)
            old_counts = {n for _, n in steady.counts()}
            print(line(f"steady, no swap ({args.steady:g} s, {args.chats} chats)",
                       [r[1] for r in steady.replies], len(steady.lost)))

            swap = Load(tg, args.chats, args.think)
            swapped: dict[str, float] = {}

            async def swap_then_wait() -> None:
                await asyncio.sleep(1.0)
                retired = WORK / "retired"
                swapped["at"] = time.perf_counter()
                os.replace(a, retired)  # the ETL's two renames (etl/output.py)
                os.replace(b, a)
                deadline = swapped["at"] + 180
                while time.perf_counter() < deadline:
                    new = [(sent, n) for sent, n in swap.counts() if n not in old_counts and sent >= swapped["at"]]
                    if new:
                        swapped["first"] = min(sent for sent, _ in new)
                        break
                    await asyncio.sleep(0.1)
                await asyncio.sleep(3.0)
                shutil.rmtree(retired, ignore_errors=True)

            await swap.run(2000, swap_then_wait)
            after = memory(bot.pid)
        finally:
            stop(bot)
    at, first = swapped["at"], swapped.get("first")
    during = [r[1] for r in swap.replies if at <= r[0] <= (first or float("inf"))]
    print(line(f"whole swap run ({args.chats} chats)", [r[1] for r in swap.replies], len(swap.lost)))
    print(line("  during the swap (renames -> first reply from B)", during, 0))
    counts = swap.counts()
    old = {n for n in old_counts}
    new = {n for _, n in counts if n not in old}
    numbers = sorted(new)
    from_a = sum(1 for _, n in counts if n in old)
    from_b = sum(1 for _, n in counts if n in new and len(new) == 1)
    neither = len(counts) - from_a - from_b
    print(f"  /count netflix replies: {from_a} from A ({', '.join(sorted(old))}), {from_b} from B "
          f"({', '.join(numbers)}), {neither} from neither; A before any B: "
          f"{all(sent < first for sent, n in counts if n in old) if first else 'no B reply'}")
    if first:
        print(f"  first reply from B {first - at:.1f} s after the renames (check every {CHECK_SECONDS:g} s + load)")
    print(f"  bot RSS MB: {before['VmRSS']:.0f} before, peak {after['VmHWM']:.0f} (two catalogs during the "
          f"switch), {after['VmRSS']:.0f} after")
    bad = len(steady.lost) + len(swap.lost) + neither + (0 if first else 1)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench live", description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=None, help="raw catalogs (default: the full data in ../shared)")
    parser.add_argument("--ratings", type=Path, default=None, help="ratings folder (default: the full ratings)")
    parser.add_argument("--chats", type=int, default=40)
    parser.add_argument("--think", type=float, default=0.2, help="seconds a user pauses between commands")
    parser.add_argument("--steady", type=float, default=10.0, help="seconds of load without a swap (baseline)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name in ("NO_PROXY", "no_proxy"):  # loopback must never go through a proxy
        os.environ[name] = "127.0.0.1,localhost"
    if args.serve:
        return serve(args.data, args.base_url)
    raw = args.raw or fulldata.FULL_RAW_DIR
    ratings = args.ratings or (raw / "ratings" if args.raw else fulldata.ensure_full_ratings())
    a, b = outputs(raw, ratings)
    return asyncio.run(bench(args, a, b))
