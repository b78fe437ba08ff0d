"""Speed of a person's picks and of reading an export, beside the naive way, in the same run.

    python -m bench personal [--data DIR] [--users 20] [--pages 10] [--rows 2000]

/foryou: people with 500 ratings (the first 500 of dataset users who have that many), their platforms
varying, each asking `--pages` pages of 10 in turn; p50/p99 of `catalog.for_you`. The naive way scores
every work against every rated one (one similarity row per rated work, as `similar` computes it), takes
the similarity-weighted mean deviation, leaves out what they rated and sorts the whole catalog.

Import: a Letterboxd ratings.csv of `--rows` rows (catalog titles with their year, one in ten shifted a
year, one in five a film not on the services), read and matched by `catalog.read_export`. The naive way
resolves each row's title with the search (`catalog.resolve`) and keeps it when the year is within one.
Then the matched rows are stored as the bot stores them (`Storage.import_items`, one transaction, a fresh
SQLite file), beside the naive way: one transaction per row.

/foryou as the bot answers it is timed too: the person's 500 ratings read back from a SQLite file
(`Storage.taste`), their picks, and the page rendered with its buttons (`bot.personal_render.picks`).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time

import numpy as np

from bench import fulldata
from core import Catalog
from core.personal import Person

PLATFORM_CHOICES = ((), ("netflix",), ("amazon", "hulu"), ("disney", "netflix"))


def cpu_and_wall(call, inputs) -> tuple[np.ndarray, np.ndarray]:
    """Per call: CPU seconds of this process and wall seconds. On a shared machine the wall time
    includes waiting for a core; the CPU time is what the call itself costs."""
    cpu, wall = [], []
    for item in inputs:
        started_cpu, started = time.process_time(), time.perf_counter()
        call(item)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return np.array(cpu) * 1e3, np.array(wall) * 1e3


def people_with(catalog: Catalog, ratings: int, count: int) -> list[Person]:
    sizes = np.diff(catalog.ratings.offsets)
    users = catalog.ratings.users[sizes >= ratings][:count]
    people = []
    for k, user in enumerate(users):
        rows, stars = catalog.ratings.of(int(user))
        rated = tuple((catalog.titles[r].id, float(s)) for r, s in zip(rows[:ratings], stars[:ratings]))
        people.append(Person(rated=rated, platforms=PLATFORM_CHOICES[k % len(PLATFORM_CHOICES)]))
    return people


def naive_for_you(catalog: Catalog, person: Person, n: int = 10, offset: int = 0) -> list[int]:
    recommender = catalog.recommender
    works = catalog.works
    rated = np.array([works.of_row[catalog.by_id(i).index] for i, _ in person.rated])
    stars = np.array([s for _, s in person.rated])
    deviations = stars - stars.mean()
    weighted = np.zeros(len(works))
    total = np.zeros(len(works))
    for work, deviation in zip(rated, deviations):
        similarity = recommender.scores(int(work))
        weighted += similarity * deviation
        total += similarity
    score = weighted / (total + 0.5)
    wanted = works.preferred(person.platforms)
    if wanted is not None:
        score[~wanted] = -np.inf
    score[rated] = -np.inf
    return list(np.argsort(-score, kind="stable")[offset: offset + n])


def export_rows(catalog: Catalog, rows: int, seed: int = 7) -> tuple[bytes, list[tuple[str, int]]]:
    rng = np.random.default_rng(seed)
    lines = ["Date,Name,Year,Letterboxd URI,Rating"]
    asked = []
    for k, row in enumerate(rng.choice(len(catalog), rows, replace=False)):
        title = catalog.titles[int(row)]
        name, year = title.display_title, title.release_year + (1 if k % 10 == 3 else 0)
        if k % 5 == 4:
            name = f"An Unknown Film Number {k}"
        asked.append((name, year))
        quoted = '"' + name.replace('"', '""') + '"'
        lines.append(f"2021-01-01,{quoted},{year},https://boxd.it/x{k},{1 + k % 9 / 2}")
    return ("\n".join(lines) + "\n").encode("utf-8"), asked


def naive_import(catalog: Catalog, asked: list[tuple[str, int]]) -> int:
    matched = 0
    for name, year in asked:
        found = catalog.resolve(name, limit=1)
        matched += bool(found and abs(found[0].year - year) <= 1 and found[0].confidence == 1.0)
    return matched


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench personal", description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="processed data folder (default: the full data in data/processed_full/)")
    parser.add_argument("--users", type=int, default=20, help="people with 500 ratings")
    parser.add_argument("--pages", type=int, default=10, help="pages of 10 each person asks for")
    parser.add_argument("--naive-users", type=int, default=3, help="people timed the naive way")
    parser.add_argument("--rows", type=int, default=2000, help="rows of the generated export")
    args = parser.parse_args(argv)

    catalog = Catalog.load(args.data or fulldata.ensure_full_processed())
    started = time.perf_counter()
    catalog.warm()
    print(f"catalog: {len(catalog)} titles, {len(catalog.works)} works; warm {time.perf_counter() - started:.1f} s")

    people = people_with(catalog, 500, args.users)
    requests = [(p, page) for p in people for page in range(args.pages)]
    print(f"\n/foryou: {len(people)} people with 500 ratings x {args.pages} pages of 10"
          f" (naive: {args.naive_users} people x 1 page)")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    rows = [("ours (catalog.for_you)", lambda r: catalog.for_you(r[0], 10, 10 * r[1]), requests),
            ("naive (score all works)", lambda p: naive_for_you(catalog, p), people[: args.naive_users])]
    print(f"{'':24} {'wall p50':>9} {'wall p99':>9} {'cpu p50':>9} {'cpu p99':>9}   (ms)")
    for name, call, inputs in rows:
        cpu, wall = cpu_and_wall(call, inputs)
        print(f"{name:24} {np.percentile(wall, 50):9.1f} {np.percentile(wall, 99):9.1f}"
              f" {np.percentile(cpu, 50):9.1f} {np.percentile(cpu, 99):9.1f}")

    cpu, wall = asyncio.run(for_you_as_the_bot(catalog, people, args.pages))
    print(f"{'ours, as the bot (stored)':24} {np.percentile(wall, 50):9.1f} {np.percentile(wall, 99):9.1f}"
          f" {np.percentile(cpu, 50):9.1f} {np.percentile(cpu, 99):9.1f}")

    data, asked = export_rows(catalog, args.rows)
    started = time.perf_counter()
    result = catalog.read_export(data, "ratings.csv")
    ours = time.perf_counter() - started
    started = time.perf_counter()
    naive_matched = naive_import(catalog, asked)
    naive = time.perf_counter() - started
    print(f"\nimport of a {args.rows:,}-row Letterboxd ratings.csv ({len(data) / 1024:.0f} KB)")
    print(f"{'ours (catalog.read_export)':28} {ours:7.3f} s  matched {len(result.matched):,},"
          f" unmatched {len(result.unmatched):,}")
    started = time.perf_counter()
    catalog.read_export(data, "ratings.csv")
    print(f"{'ours, a second time':28} {time.perf_counter() - started:7.3f} s")
    print(f"{'naive (search each title)':28} {naive:7.3f} s  matched {naive_matched:,}")
    stored, one_by_one = asyncio.run(store_import(result))
    print(f"{'stored, one transaction':28} {stored:7.3f} s  (Storage.import_items into a fresh SQLite file)")
    print(f"{'naive: a save per row':28} {one_by_one:7.3f} s  (Storage.rate / mark_seen, one transaction each)")
    print(f"{'read + stored':28} {ours + stored:7.3f} s  (the goal: at most 2 s)")
    return 0


async def for_you_as_the_bot(catalog: Catalog, people: list[Person], pages: int) -> tuple[np.ndarray, np.ndarray]:
    """Per request (ms, CPU and wall): read the person's ratings from SQLite, pick, render the page."""
    from bot.personal import person as person_of
    from bot.personal_render import picks
    from storage import ImportItem, Storage

    cpu, wall = [], []
    with tempfile.TemporaryDirectory() as folder:
        store = Storage(f"sqlite:///{folder}/bot.db")
        await store.start()
        for user, p in enumerate(people, 1):
            await store.import_items(user, [ImportItem(i, s) for i, s in p.rated])
            await store.set_platforms(user, p.platforms or None)
        for page in range(pages):
            for user in range(1, len(people) + 1):
                started_cpu, started = time.process_time(), time.perf_counter()
                taste = await store.taste(user)
                found = catalog.for_you(person_of(taste), 11, page * 10)
                picks(found[:10], page, user, len(found) > 10, True, "en")
                cpu.append(time.process_time() - started_cpu)
                wall.append(time.perf_counter() - started)
        await store.close()
    return np.array(cpu) * 1e3, np.array(wall) * 1e3


async def store_import(result) -> tuple[float, float]:
    """Seconds to store an export's matched rows: in one transaction (what the bot does), and the naive way,
    one transaction per row, each into a fresh SQLite file (synchronous=FULL, as the bot runs)."""
    from storage import ImportItem, Storage

    items = [ImportItem(r.title_id, r.stars, r.seen, r.watchlist) for r in result.matched]
    timings = []
    for whole in (True, False):
        with tempfile.TemporaryDirectory() as folder:
            store = Storage(f"sqlite:///{folder}/bot.db")
            await store.start()
            started = time.perf_counter()
            if whole:
                await store.import_items(1, items)
            else:
                for item in items:
                    await (store.rate(1, item.title_id, item.stars) if item.stars is not None
                           else store.mark_seen(1, item.title_id))
            timings.append(time.perf_counter() - started)
            await store.close()
    return timings[0], timings[1]
