"""Personal actions under load, and what a save costs as the database grows, each beside a naive baseline.

    python -m bench taste [--data DIR] [--chats 100] [--actions 20] [--think 1.0] [--users 1000000]
                          [--postgresql postgresql://postgres@127.0.0.1:5432/test] [--no-postgresql]

1. Paced load: `--chats` people each doing `--actions` personal actions (rate with /rate, the star, seen,
   watchlist and "not for me" buttons, /foryou, /watchlist, /recommend for themselves) through the Bot API
   double over HTTP, each starting at a random moment of the first second, then 1 s (jittered 0.5x-1.5x)
   between a chat's actions; the bot is its own process
   (`build_application`, as `python -m bot`), on a fresh SQLite file, then on PostgreSQL. Reply latency
   p50/p99, unanswered updates, and lost writes (every rating each chat was acknowledged, read back
   from the database afterwards). Baseline in the same run: the same load on the bot handling one update
   at a time (python-telegram-bot's default).
2. Saves as the database grows: p50/p99 of `Storage.rate` with 10 and with `--users` people stored (each
   with 3 ratings), on SQLite and PostgreSQL. Baseline: what the pickle persistence did per save, one
   pickle.dump of every user's data (timed at 10 and at the large size).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import asynccontextmanager
from pathlib import Path

from bench import fulldata
from bench.bot import TIMEOUT, percentile, stop
from core.settings import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tests"))
from telegram_double import TelegramDouble, WaitTimeout  # noqa: E402

TOKEN = "5550002222:BENCH-taste_not-a-real-one_0123456789"
TITLES = ("the irishman", "the matrix", "toy story", "inception", "the office", "stranger things", "frozen",
          "good will hunting", "memento", "seinfeld")
DEFAULT_POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/test"
# a schema of this run's own (two people benchmarking on one server must not drop each other's tables)
BENCH_SCHEMA = f"taste_bench_{os.getpid()}"
WARM_UP = 20  # untimed saves before the timed ones


# ---- the bot's side: a separate process ---------------------------------------------------------------
def serve(data: Path, base_url: str, database_url: str, sequential: bool) -> int:
    from telegram import Update
    from telegram.ext import AIORateLimiter

    from bot.app import API_RETRIES, build_application
    from bot.settings import Settings
    from core import Catalog

    catalog = Catalog.load(data).warm()
    settings = Settings(token=TOKEN, base_url=base_url, state_file=None, throttle_burst=1000,
                        database_url=database_url)
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=API_RETRIES)
    application = build_application(catalog, settings, rate_limiter=limiter,
                                    **({"concurrent_updates": 1} if sequential else {}))
    application.run_polling(poll_interval=0.0, timeout=5, allowed_updates=Update.ALL_TYPES)
    return 0


@asynccontextmanager
async def bot_process(tg: TelegramDouble, data: Path, database_url: str, sequential: bool):
    command = [sys.executable, "-m", "bench", "taste", "--serve", "--data", str(data), "--base-url", tg.base_url,
               "--database", database_url]
    if sequential:
        command.append("--sequential")
    mark = tg.mark()
    bot = subprocess.Popen(command, cwd=PROJECT_ROOT)
    try:
        await tg.wait_for(lambda c: c.method == "getUpdates", timeout=180, since=mark)
        await tg.replies_to(tg.user_message("/foryou", user_id=1), timeout=TIMEOUT)  # warm-up
        yield
    finally:
        stop(bot)


# ---- the people's side ---------------------------------------------------------------------------------
async def one_person(tg: TelegramDouble, user: int, actions: int, think: float, rng: random.Random,
                     results: dict) -> None:
    """Rates, marks and asks, like a person would; remembers each rating the bot acknowledged. People start at
    random moments of the first pause, as they would: all `chats` at the same instant were a burst the bot
    took a second to clear, and that burst alone was the p99 (850 ms) of an otherwise paced load."""
    card = None
    if think:
        await asyncio.sleep(rng.uniform(0, think))
    for step in range(actions):
        title = TITLES[rng.randrange(len(TITLES))]
        kind = rng.choice(("rate", "rate", "card", "press", "press", "foryou", "watchlist", "recommend"))
        if kind == "press" and card is None:
            kind = "card"
        if kind == "rate":
            stars = rng.randrange(1, 11) / 2
            update = tg.user_message(f"/rate {title} {stars:g}", user_id=user)
        elif kind == "card":
            update = tg.user_message(title, user_id=user)
        elif kind == "press":
            data = rng.choice(card)
            update = tg.callback_query(data, user_id=user, chat_id=user)
        else:
            update = tg.user_message({"foryou": "/foryou", "watchlist": "/watchlist",
                                      "recommend": f"/recommend me {title}"}[kind], user_id=user)
        started = time.perf_counter()
        try:
            # a press is answered twice: the popup, then the card showing the person's marks now (timed to both)
            replies = await tg.replies_to(update, n=2 if kind == "press" else 1, timeout=TIMEOUT)
            reply = replies[0]
        except WaitTimeout:
            results["unanswered"].append((user, kind))
            continue
        results["latency"].append(time.perf_counter() - started)
        text = reply.params.get("text") or ""
        if kind == "rate" and text.startswith("Saved"):
            results["acknowledged"].setdefault(user, set()).add(title)
        if kind == "card" and reply.params.get("reply_markup"):  # a card, not "did you mean": its buttons
            markup = reply.params["reply_markup"]
            rows = (markup if isinstance(markup, dict) else json.loads(markup))["inline_keyboard"]
            # seen / watchlist / not for me: ratings come from /rate only, so each stored one can be checked
            personal = [b["callback_data"] for row in rows for b in row
                        if b.get("callback_data", "")[:2] in ("ps", "pw", "ph")]
            card = personal or card
        if think:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))


async def paced(tg: TelegramDouble, chats: int, actions: int, think: float, first_user: int) -> dict:
    results = {"latency": [], "unanswered": [], "acknowledged": {}}
    started = time.perf_counter()
    await asyncio.gather(*(one_person(tg, first_user + k, actions, think, random.Random(k), results)
                           for k in range(chats)))
    results["wall"] = time.perf_counter() - started
    return results


async def lost_writes(database_url: str, search_path: str | None, results: dict) -> int:
    """Ratings acknowledged but not stored: per person, the distinct titles the bot said it saved (a re-rating
    replaces its row) against the rows the database holds."""
    from storage import Storage

    store = Storage(database_url, search_path=search_path)
    try:
        lost = 0
        for user, titles in results["acknowledged"].items():
            lost += max(0, len(titles) - len(await store.ratings(user)))
        return lost
    finally:
        await store.close()


def line(name: str, results: dict, total: int, lost: int | None = None) -> str:
    latency = [s * 1000 for s in results["latency"]]
    if not latency:
        return f"{name}: no replies"
    text = (f"{name}: {len(latency)}/{total} answered; latency ms p50 {statistics.median(latency):.1f}  "
            f"p90 {percentile(latency, 90):.1f}  p99 {percentile(latency, 99):.1f}; "
            f"unanswered {len(results['unanswered'])}")
    return text + ("" if lost is None else f"; lost writes {lost}")


# ---- saves as the database grows ------------------------------------------------------------------------
async def fill(store, users: int) -> None:
    """`users` people with 3 ratings each, inserted in bulk by the database itself (seconds, not hours)."""
    series = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {users}) SELECT i FROM n"
              if store.dialect == "sqlite" else "SELECT generate_series(1, {users}) AS i")
    now = "CURRENT_TIMESTAMP"
    async with store.engine.begin() as connection:
        await connection.exec_driver_sql(
            f"INSERT INTO users (user_id, created_at) SELECT 1000000000 + i, {now} "
            f"FROM ({series.format(users=users)}) s")
        for k, title in enumerate(("ns1", "as2", "hs3")):
            await connection.exec_driver_sql(
                f"INSERT INTO ratings (user_id, title_id, stars, at) SELECT 1000000000 + i, '{title}', "
                f"{k + 2}.0, {now} FROM ({series.format(users=users)}) s")


async def save_latency(database_url: str, search_path: str | None, users: int, saves: int) -> tuple[float, float]:
    from storage import Storage

    store = Storage(database_url, search_path=search_path)
    await store.start()
    try:
        await fill(store, users)
        rng = random.Random(users)
        for _ in range(WARM_UP):  # connections opened, statements compiled: not what a save costs
            await store.rate(1000000000 + rng.randrange(1, users + 1), "ns1", 3.0)
        timings = []
        for _ in range(saves):
            user = 1000000000 + rng.randrange(1, users + 1)
            started = time.perf_counter()
            await store.rate(user, f"ns{rng.randrange(1, 500)}", rng.randrange(1, 11) / 2)
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings), percentile(timings, 99)
    finally:
        await store.close()


def naive_save_ms(users: int, repeats: int) -> float:
    """The pickle persistence's save: every user's data dumped again, whatever one user changed."""
    state = {"user_data": {1000000000 + i: {"lang": "es", "ratings": {"ns1": 2.0, "as2": 3.0, "hs3": 4.0}}
                           for i in range(users)}}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bot.pickle"
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            with path.open("wb") as handle:
                pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


# ---- PostgreSQL: a schema of our own per run -----------------------------------------------------------------
async def postgresql_schema(url: str, name: str, *, drop_only: bool = False) -> str | None:
    """The schema `name`, new and empty (or, with `drop_only`, gone)."""
    import asyncpg

    try:
        connection = await asyncpg.connect(url, timeout=3)
    except (OSError, asyncio.TimeoutError, asyncpg.PostgresError) as error:
        print(f"PostgreSQL at {url} not reachable ({type(error).__name__}): its figures are skipped")
        return None
    try:
        await connection.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'
                                 + ("" if drop_only else f'; CREATE SCHEMA "{name}"'))
    finally:
        await connection.close()
    return name


def postgresql_url_with_schema(url: str, schema: str) -> str:
    """For the bot's own process, which builds Storage from DATABASE_URL: the schema rides in the URL."""
    return f"{url}{'&' if '?' in url else '?'}search_path={schema}"


async def bench(args) -> int:
    total = args.chats * args.actions
    print(f"1. paced load: {args.chats} chats x {args.actions} personal actions = {total} updates, "
          f"think {args.think:g} s")
    backends = [("SQLite", f"sqlite:///{tempfile.mkdtemp(prefix='taste-bench-')}/bot.db", None)]
    if args.postgresql:
        schema = await postgresql_schema(args.postgresql, BENCH_SCHEMA)
        if schema:
            backends.append(("PostgreSQL", postgresql_url_with_schema(args.postgresql, schema), schema))
    failures = 0
    async with TelegramDouble(token=TOKEN, bot_username="taste_bench_bot") as tg:
        for run, (name, url, schema) in enumerate(backends):
            for sequential in (False, True):
                label = f"{name}, {'baseline: one update at a time' if sequential else 'ours'}"
                async with bot_process(tg, args.data, url, sequential):
                    results = await paced(tg, args.chats, args.actions, args.think,
                                          first_user=100_000 * (1 + 2 * run + sequential))
                lost = await lost_writes(url.split("?")[0], schema, results)
                print("  " + line(label, results, total, lost))
                failures += lost + len(results["unanswered"])
    print(f"2. a save (Storage.rate) with 10 vs {args.users:,} people stored (3 ratings each), {args.saves} saves")
    save_backends = [("SQLite", lambda: f"sqlite:///{tempfile.mkdtemp(prefix='taste-saves-')}/bot.db", None)]
    if args.postgresql and await postgresql_schema(args.postgresql, BENCH_SCHEMA):
        save_backends.append(("PostgreSQL", lambda: args.postgresql, BENCH_SCHEMA))
    for name, make_url, schema in save_backends:
        figures = []
        for users in (10, args.users):
            if schema:
                await postgresql_schema(args.postgresql, schema)
            started = time.perf_counter()
            p50, p99 = await save_latency(make_url(), schema, users, args.saves)
            figures.append(p99)
            print(f"  {name}, {users:>9,} people: save p50 {p50:.2f} ms  p99 {p99:.2f} ms "
                  f"(filled and measured in {time.perf_counter() - started:.0f} s)")
        print(f"  {name}: p99 at {args.users:,} / p99 at 10 = {figures[1] / figures[0]:.2f}x "
              "(the goal: at most 1.5x)")
    small, large = naive_save_ms(10, 20), naive_save_ms(args.users, 1)
    print(f"  baseline, the pickle persistence's save (all users dumped): 10 people {small:.2f} ms, "
          f"{args.users:,} people {large:,.0f} ms ({large / small:,.0f}x), stalling every chat meanwhile")
    if args.postgresql:
        await postgresql_schema(args.postgresql, BENCH_SCHEMA, drop_only=True)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench taste", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="processed data folder (default: the full data, built once)")
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--actions", type=int, default=20, help="personal actions per chat")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between a chat's actions")
    parser.add_argument("--users", type=int, default=1_000_000, help="people stored for the large save figure")
    parser.add_argument("--saves", type=int, default=2000, help="saves timed per database size")
    parser.add_argument("--postgresql", default=DEFAULT_POSTGRESQL, help="a PostgreSQL server to measure too")
    parser.add_argument("--no-postgresql", dest="postgresql", action="store_const", const=None)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sequential", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.data is None:
        args.data = fulldata.ensure_full_processed()
    if args.serve:
        return serve(args.data, args.base_url, args.database, args.sequential)
    return asyncio.run(bench(args))
