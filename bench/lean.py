"""Issue 13's "small" and "flat" figures, each beside today's (the code before it) in the same run.

    python -m bench lean [--data DIR] [--baseline REV] [--scale4 [--ratings4 DIR]] [--skip-etl] [--skip-bot]

- the bot: `python -m bot` as deployed (long polling the Telegram Bot API double), started on existing
  ETL output: seconds until it polls (ready to answer) and until its first reply; then the command mix
  of `python -m bench bot` plus /stats and /person, one chat per command so no throttle holds them
  back; then its RSS and PSS (bench/memory.py). A second bot on the same data is started beside it,
  given the same mix, and the PSS both add up to is the cost of an extra worker.
- workers forked from one process that loaded and warmed the catalog (as a server with preloading does):
  each worker's PSS and private memory after a few queries; lean only.
- the ETL (`python -m etl` on the full data): seconds and peak RSS at 1x the ratings, and with
  `--scale4` at 4x (../shared/tools/make_ratings.py --scale 4, 44M rows in a temporary folder beside
  the full ratings, deleted afterwards).

"Today" is the same measurement of the code at `--baseline` (default: the commit before the lean
work), checked out in a temporary git worktree and run with the same interpreter on the same data.
Timings on a shared 2-core machine are noisy: the load average is printed with them.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from bench import fulldata
from bench.bot import TOKEN, USERS, command_mix, stop
from bench.memory import Memory, process_memory
from core.settings import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tests"))
from telegram_double import TelegramDouble, WaitTimeout  # noqa: E402

BASELINE = "a38eb5b"  # main before issue 13's lean work: the figures' "today"
EXTRA_COMMANDS = [("stats", "/stats"), ("stats netflix", "/stats netflix"), ("person", "/person tom hanks")]
ROUNDS = 2  # each command of the mix is sent this many times, from different chats and users
TIMEOUT = 60.0


def load_average() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


@contextmanager
def baseline_tree(rev: str):
    """The project at `rev`, checked out in a temporary worktree (removed afterwards)."""
    folder = Path(tempfile.mkdtemp(prefix="lean-baseline-"))
    tree = folder / "tree"
    subprocess.run(["git", "-C", str(PROJECT_ROOT), "worktree", "add", "--detach", "--quiet", str(tree), rev],
                   check=True)
    try:
        yield tree
    finally:
        subprocess.run(["git", "-C", str(PROJECT_ROOT), "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


# ---- the bot -------------------------------------------------------------------------------------------
def mix() -> list[tuple[str, str]]:
    plan = []
    for round_ in range(ROUNDS):
        plan += command_mix(USERS[round_ % len(USERS)]) + EXTRA_COMMANDS
    return plan


async def send_mix(tg: TelegramDouble, first_chat: int) -> int:
    """Every command of the mix at once, each from its own chat; the number left unanswered."""
    async def one(chat: int, label: str, text: str) -> bool:
        update = tg.user_message(text, user_id=chat, language_code="es" if label.startswith("es:") else "en")
        try:
            await tg.replies_to(update, timeout=TIMEOUT)
            return True
        except WaitTimeout:
            return False
    answered = await asyncio.gather(*(one(first_chat + k, label, text) for k, (label, text) in enumerate(mix())))
    return answered.count(False)


@asynccontextmanager
async def bot(tree: Path, data: Path, tg: TelegramDouble, state: Path):
    """`python -m bot` of `tree` polling the double: yields (process, seconds to poll, seconds to first reply)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_"))}
    env |= {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": tg.base_url, "CATALOG_DATA_DIR": str(data),
            "DATABASE_URL": f"sqlite:///{state / 'bot.db'}", "BOT_STATE_FILE": str(state / "none.pickle"),
            "BOT_ENV_FILE": str(state / "no.env"), "LOG_LEVEL": "WARNING", "NO_PROXY": "127.0.0.1,localhost",
            "PYTHONPATH": str(tree)}
    mark = tg.mark()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=tree, env=env)
    try:
        await tg.wait_for(lambda c: c.method == "getUpdates", timeout=180, since=mark)
        ready = time.perf_counter() - started
        update = tg.user_message("/where the irishman", user_id=5_000_000 + process.pid)
        await tg.replies_to(update, timeout=TIMEOUT)
        yield process, ready, time.perf_counter() - started
    finally:
        stop(process)


async def bot_figures(tree: Path, data: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="lean-bot-") as state_dir:
        state = Path(state_dir)
        (state / "a").mkdir()
        (state / "b").mkdir()
        async with TelegramDouble(token=TOKEN, bot_username="bench_bot") as tg_a, \
                bot(tree, data, tg_a, state / "a") as (first, ready, replied):
            lost = await send_mix(tg_a, 20_000)
            alone = process_memory(first.pid)
            async with TelegramDouble(token=TOKEN, bot_username="bench_bot") as tg_b, \
                    bot(tree, data, tg_b, state / "b") as (second, _, _):
                lost += await send_mix(tg_b, 30_000)
                pair = (process_memory(first.pid), process_memory(second.pid))
    return {"ready": ready, "replied": replied, "alone": alone, "pair": pair, "lost": lost}


def show_bot(name: str, figures: dict) -> None:
    alone: Memory = figures["alone"]
    a, b = figures["pair"]
    extra = a.pss_mb + b.pss_mb - alone.pss_mb
    print(f"  {name}: polling after {figures['ready']:.2f} s, first reply (/where) after {figures['replied']:.2f} s; "
          f"after the mix: {alone}; a second worker on the same data adds {extra:.0f} MB PSS "
          f"(PSS {a.pss_mb:.0f} + {b.pss_mb:.0f} MB); unanswered {figures['lost']}")


# ---- workers forked from one loaded catalog ---------------------------------------------------------------
def forked_workers(data: Path, workers: int = 3) -> None:
    """A server that loads the catalog once and forks its workers (gunicorn --preload) shares the loaded
    Python objects too, page by page until a worker writes them: the catalog loaded and warmed here,
    `gc.freeze()` (so no collection touches them), then `workers` forks each answering a few queries.
    Prints each worker's PSS and private memory (what one more worker costs)."""
    import gc

    from bot import render
    from core import Catalog

    catalog = Catalog.load(data)
    catalog.warm()
    render.learn_display_names(catalog)
    render.learn_now()
    gc.collect()
    gc.freeze()
    children = []
    for _ in range(workers):
        ready, done = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: a few of every kind of query, then wait to be measured
            os.close(ready)
            for user in USERS:
                catalog.recommend(user, "the matrix")
                catalog.similar("toy story")
                catalog.search("pirates caribean")
                catalog.people.closest("tom hanx")
                catalog.max_duration(2019, "netflix")
                catalog.top_actors("netflix", 2019)
            os.write(done, b"x")
            time.sleep(600)
            os._exit(0)
        os.close(done)
        os.read(ready, 1)
        children.append(pid)
    try:
        memories = [process_memory(pid) for pid in children]
        master = process_memory()
    finally:
        for pid in children:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    print(f"  lean, {workers} workers forked after loading: master {master}")
    for memory in memories:
        print(f"    worker: {memory}")
    total = master.pss_mb + sum(m.pss_mb for m in memories)
    print(f"    PSS of all {workers + 1} processes {total:.0f} MB; one more worker adds its private memory, "
          f"{max(m.private_mb for m in memories):.0f} MB at most here")


# ---- the ETL -------------------------------------------------------------------------------------------
def etl_run(tree: Path, ratings: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of `python -m etl` from `tree` on the full catalogs and `ratings`."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "etl", "--raw", str(fulldata.FULL_RAW_DIR.resolve()), "--ratings",
                                str(ratings), "--out", str(out)], cwd=tree, env=os.environ | {"PYTHONPATH": str(tree)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"python -m etl in {tree} failed ({process.returncode})")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


@contextmanager
def scaled_ratings(scale: int):
    folder = Path(tempfile.mkdtemp(prefix=f"ratings-x{scale}-", dir=fulldata.FULL_RATINGS_DIR.resolve().parent))
    try:
        print(f"  making {scale}x ratings in {folder} ...", flush=True)
        subprocess.run([sys.executable, str(fulldata.MAKE_RATINGS), "--scale", str(scale), "--out", str(folder)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def etl_figures(trees: dict[str, Path], scale4: bool, ratings4: Path | None = None) -> None:
    inputs = [("1x", fulldata.ensure_full_ratings(), None)]
    if scale4:
        inputs.append(("4x", ratings4, None if ratings4 else 4))
    results: dict[tuple[str, str], tuple[float, float]] = {}
    for label, ratings, scale in inputs:
        with (scaled_ratings(scale) if scale else _given(ratings.resolve())) as folder, \
                tempfile.TemporaryDirectory(prefix="lean-etl-", dir=PROJECT_ROOT / "data") as out:
            for name, tree in trees.items():
                results[(name, label)] = etl_run(tree, folder, Path(out) / name)
                seconds, peak = results[(name, label)]
                print(f"  ETL {label}, {name}: {seconds:.1f} s, peak RSS {peak:.0f} MB ({load_average()})", flush=True)
    if scale4:
        for name in trees:
            (s1, m1), (s4, m4) = results[(name, "1x")], results[(name, "4x")]
            print(f"  {name}: 4x / 1x: time {s4 / s1:.2f}x, peak RSS {m4 / m1:.2f}x ({m4 - m1:+.0f} MB)")


@contextmanager
def _given(folder: Path):
    yield folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench lean", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="processed data (default: data/processed_full, built once)")
    parser.add_argument("--baseline", default=BASELINE, help=f"git revision measured as today (default {BASELINE}; none: lean only)")
    parser.add_argument("--scale4", action="store_true", help="also run the ETL on 4x the ratings (44M rows, made "
                        "in a temporary folder and deleted afterwards)")
    parser.add_argument("--ratings4", type=Path, help="with --scale4: an existing folder of 4x ratings to use instead")
    parser.add_argument("--skip-etl", action="store_true")
    parser.add_argument("--skip-bot", action="store_true")
    args = parser.parse_args(argv)
    data = (args.data or fulldata.ensure_full_processed()).resolve()
    print(f"lean figures, {load_average()}; data {data}")
    with (baseline_tree(args.baseline) if args.baseline != "none" else _given(None)) as today:
        trees = {"today": today, "lean": PROJECT_ROOT} if today else {"lean": PROJECT_ROOT}
        if not args.skip_bot:
            print("the bot (python -m bot, polling the Bot API double):")
            for name, tree in trees.items():
                show_bot(name, asyncio.run(bot_figures(tree, data)))
                print(f"    ({load_average()})", flush=True)
        if not args.skip_bot:
            print("workers forked from one process that loaded the catalog (as gunicorn --preload):")
            forked_workers(data)
        if not args.skip_etl:
            print("the ETL (python -m etl, full catalogs):")
            etl_figures(trees, args.scale4, args.ratings4)
    return 0
