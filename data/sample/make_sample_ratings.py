"""Write the sample ratings (ratings/sample-1.csv, sample-2.csv) for the authored sample catalogs.

    python data/sample/make_sample_ratings.py

Deterministic (stdlib `random`, fixed seed): run it once and commit the output; running it again
gives byte-identical files as long as the four catalogs beside it (amazon.csv, disney.csv, hulu.csv,
netflix.csv) are unchanged.

Layout, as in the full ratings: header `userId,rating,timestamp,movieId`; movieId is the platform
letter (a, d, h, n) plus the catalog's show_id (`ns12`, `as3`); ratings are 0.5..5.0 in half
steps; timestamps are unix seconds between 2015-01-01 and 2021-12-31. Users 1-21 are in sample-1.csv,
users 22-42 in sample-2.csv, each user's rows in time order.

Users have coherent tastes, built from the genres in `listed_in`:
  user 1   loves science fiction (The Matrix and the like), likes action, dislikes romance;
           has deliberately NOT rated hs3 (The Matrix Revolutions), as21 (Blade Runner) and
           hs24 (The Notebook), so a recommender should say yes, yes, no.
  user 2   loves animation and family films, dislikes horror and crime;
           has NOT rated ds3 (Toy Story 3), ns20 (Spirited Away) and hs26 (Alien): yes, yes, no.
  user 42  loves crime and thrillers (Scorsese, Fincher, Nolan), likes drama, dislikes animation
           and comedy; has NOT rated ns3 (The Departed), ns25 (Mindhunter) and ds15 (Frozen):
           yes, yes, no.
  users 3-41  one archetype each (sci-fi, animation, romance, comedy, documentary, horror,
           drama, action, or a generalist), with milder weights and more noise.
Every title gets at least three ratings.

Deliberately bad rows, appended in the middle of ratings/sample-2.csv, which the ETL must count and skip:
  23,4.0,1577836800,zs999   movieId that exists on no platform
  24,7.0,1577836800,ns5     rating 7.0, above the 0.5-5.0 scale
  25,2.3,1577836800,ds10    rating 2.3, not a half step
  abc,3.5,1577836800,hs1    userId that is not an integer
"""
from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLATFORMS = {"a": "amazon.csv", "d": "disney.csv", "h": "hulu.csv", "n": "netflix.csv"}
SEED = 20211231
FIRST, LAST = 1420070400, 1640995199  # 2015-01-01 00:00:00 .. 2021-12-31 23:59:59 UTC
N_USERS = 42
MIN_PER_TITLE = 3

# Each platform's own genre words, folded into a few taste tags.
TAGS = {
    "scifi": ("science fiction", "sci-fi"),
    "romance": ("romance", "romantic"),
    "animation": ("animation", "anime", "cartoons", "children & family", "family", "kids"),
    "crime": ("crime", "thriller", "suspense", "mystery", "police"),
    "comedy": ("comed", "sitcom", "stand up", "stand-up"),
    "drama": ("drama",),
    "documentary": ("documentar", "docuseries", "science & nature"),
    "horror": ("horror",),
    "action": ("action", "adventure", "superhero"),
    "music": ("music",),
}

# user id -> (taste weights, noise, number of extra titles picked at random)
FOCUSED = {
    1: ({"scifi": 2.0, "action": 0.5, "romance": -2.5, "music": -0.5}, 0.25, 14),
    2: ({"animation": 2.0, "horror": -2.5, "crime": -1.0}, 0.25, 14),
    42: ({"crime": 2.0, "drama": 0.6, "animation": -2.0, "comedy": -1.5}, 0.25, 14),
}
# The tags each focused user rates every title of (so the taste is visible), and the titles left out.
RATES_ALL = {1: ("scifi", "romance"), 2: ("animation", "horror"), 42: ("crime", "animation")}
HELD_OUT = {
    1: {"hs3": "The Matrix Revolutions", "as21": "Blade Runner", "hs24": "The Notebook"},
    2: {"ds3": "Toy Story 3", "ns20": "Spirited Away", "hs26": "Alien"},
    42: {"ns3": "The Departed", "ns25": "Mindhunter", "ds15": "Frozen"},
}
ARCHETYPES = [
    {"scifi": 1.5, "action": 0.6},
    {"animation": 1.5, "comedy": 0.4},
    {"romance": 1.6, "drama": 0.4, "horror": -1.0},
    {"comedy": 1.4, "drama": -0.4},
    {"documentary": 1.8, "music": 0.6, "action": -0.5},
    {"horror": 1.8, "crime": 0.5, "romance": -0.8},
    {"drama": 1.2, "crime": 0.4, "comedy": -0.3},
    {"action": 1.5, "scifi": 0.4, "romance": -0.7},
    {},
]

BAD_ROWS = [
    ["23", "4.0", "1577836800", "zs999"],
    ["24", "7.0", "1577836800", "ns5"],
    ["25", "2.3", "1577836800", "ds10"],
    ["abc", "3.5", "1577836800", "hs1"],
]


def load_titles() -> dict[str, tuple[str, set[str]]]:
    """movieId -> (title, taste tags), in catalog order."""
    titles = {}
    for letter, name in PLATFORMS.items():
        with (HERE / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                genres = row["listed_in"].lower()
                tags = {tag for tag, words in TAGS.items() if any(w in genres for w in words)}
                titles[f"{letter}{row['show_id'].strip().lower()}"] = (row["title"], tags)
    return titles


def half_step(value: float) -> float:
    return min(5.0, max(0.5, round(value * 2) / 2))


def main() -> None:
    rng = random.Random(SEED)
    titles = load_titles()
    ids = list(titles)
    for user, held in HELD_OUT.items():
        for movie_id, title in held.items():
            assert " ".join(titles[movie_id][0].split()) == title, (user, movie_id, titles[movie_id][0])
    quality = {i: rng.gauss(0, 0.35) for i in ids}

    tastes: dict[int, tuple[dict, float]] = {}
    picks: dict[int, list[str]] = {}
    for user in range(1, N_USERS + 1):
        if user in FOCUSED:
            weights, noise, extra = FOCUSED[user]
            chosen = [i for i in ids if titles[i][1] & set(RATES_ALL[user])]
            rest = [i for i in ids if i not in chosen]
            chosen += rng.sample(rest, extra)
            chosen = [i for i in chosen if i not in HELD_OUT[user]]
        else:
            base = ARCHETYPES[(user - 3) % len(ARCHETYPES)]
            weights = {tag: w * rng.uniform(0.7, 1.2) for tag, w in base.items()}
            noise = 0.55
            # People mostly watch what they like: liked titles are three times as likely to be picked.
            liked = [i for i in ids if any(weights.get(t, 0) > 0.5 for t in titles[i][1])]
            others = [i for i in ids if i not in liked]
            n = rng.randint(30, 55)
            n_liked = min(len(liked), round(n * 0.6))
            chosen = rng.sample(liked, n_liked) + rng.sample(others, n - n_liked)
        tastes[user] = (weights, noise)
        picks[user] = chosen

    # Every title gets at least MIN_PER_TITLE ratings, topped up from the archetype users.
    counts = {i: 0 for i in ids}
    for chosen in picks.values():
        for i in chosen:
            counts[i] += 1
    fillers = [u for u in range(3, N_USERS) if u not in FOCUSED]
    for i in ids:
        while counts[i] < MIN_PER_TITLE:
            user = rng.choice([u for u in fillers if i not in picks[u]])
            picks[user].append(i)
            counts[i] += 1

    rows: dict[int, list[list[str]]] = {}
    for user in range(1, N_USERS + 1):
        weights, noise = tastes[user]
        start = rng.randint(FIRST, LAST - 400 * 86_400)
        end = min(LAST, start + rng.randint(120, 900) * 86_400)
        stamps = sorted(rng.randint(start, end) for _ in picks[user])
        order = picks[user][:]
        rng.shuffle(order)
        user_rows = []
        for movie_id, stamp in zip(order, stamps):
            taste = sum(weights.get(tag, 0.0) for tag in titles[movie_id][1])
            score = half_step(3.0 + taste + quality[movie_id] * (0.5 if user in FOCUSED else 1) + rng.gauss(0, noise))
            user_rows.append([str(user), f"{score:.1f}", str(stamp), movie_id])
        rows[user] = user_rows

    rated = {(r[0], r[3]) for user_rows in rows.values() for r in user_rows}
    for bad in BAD_ROWS:
        assert (bad[0], bad[3]) not in rated, bad

    out = HERE / "ratings"
    out.mkdir(exist_ok=True)
    for name, users in (("sample-1.csv", range(1, 22)), ("sample-2.csv", range(22, N_USERS + 1))):
        with (out / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["userId", "rating", "timestamp", "movieId"])
            for user in users:
                writer.writerows(rows[user])
                if name == "sample-2.csv" and user == 30:
                    writer.writerows(BAD_ROWS)
    total = sum(len(r) for r in rows.values())
    print(f"{total} valid ratings from {N_USERS} users on {len(ids)} titles, "
          f"plus {len(BAD_ROWS)} bad rows in sample-2.csv")


if __name__ == "__main__":
    main()
