"""Quality of title search and of the recommender, beside a naive baseline in the same run.

    python -m bench evaluate [--data DIR] [--sample 1000] [--tune]

Resolver: top-1 / top-3 accuracy on the hand-written queries of bench/cases.py (written before
tuning, and a held-out set written after), and how often `Catalog.search` answers wrongly; the
baseline is rapidfuzz's `extractOne`-style WRatio over the raw titles.
Recommender (full data): recall@10 and hit@10 on RECOMMENDER_CASES; over a seeded sample of
titles, genre precision@10 (share of the ten sharing a genre with the title), catalog coverage
(share of all works that appear in some top ten) and intra-list diversity (mean 1 - Jaccard of
the genre sets of each pair in a top ten). Baseline: CountVectorizer over title + genres +
director, cosine. `--tune` also prints the same figures for the other weight sets tried.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np
from rapidfuzz import fuzz, process, utils
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from bench import fulldata
from bench.cases import RECOMMENDER_CASES, RESOLVER_CASES, RESOLVER_HELD_OUT
from bench.famous import FAMOUS_CASES, PLATFORM_CASES
from core import Catalog
from core.recommend import DEFAULT_WEIGHTS, FeatureWeights, combine, content_blocks
from core.search import Works

TOP = 10

# Weight sets tried with --tune (the chosen one is core.recommend.DEFAULT_WEIGHTS).
TRIED_WEIGHTS = {
    "equal": FeatureWeights(*([1 / 8] * 8)),
    "no title words": replace(DEFAULT_WEIGHTS, title=0.0, genres=0.20, description=0.30),
    "genres heavy": FeatureWeights(0.40, 0.20, 0.10, 0.10, 0.05, 0.05, 0.05, 0.05),
    "description heavy": FeatureWeights(0.15, 0.45, 0.10, 0.10, 0.05, 0.05, 0.05, 0.05),
    "people heavy": FeatureWeights(0.20, 0.20, 0.25, 0.20, 0.05, 0.05, 0.025, 0.025),
    "title heavy": FeatureWeights(0.20, 0.20, 0.15, 0.10, 0.05, 0.20, 0.05, 0.05),
    "people + title": FeatureWeights(0.20, 0.15, 0.25, 0.20, 0.025, 0.10, 0.025, 0.05),
    "first guess": FeatureWeights(0.25, 0.25, 0.15, 0.10, 0.05, 0.10, 0.05, 0.05),
}


def wratio_baseline(catalog: Catalog):
    """The naive resolver: rapidfuzz WRatio over the raw titles; text -> the ids of the top 3 works."""
    processed = [utils.default_process(t.title) for t in catalog.titles]

    def baseline(text: str) -> list[set[str]]:
        found = process.extract(text, processed, scorer=fuzz.WRatio, processor=utils.default_process, limit=3)
        return [{catalog.titles[i].id for i in catalog.works.rows[catalog.works.of_row[k]]} for _, _, k in found]

    return baseline


def resolver_figures(catalog: Catalog) -> list[tuple[str, str, str]]:
    baseline = wratio_baseline(catalog)

    def ours(text: str) -> list[set[str]]:
        return [set(c.title_ids) for c in catalog.resolve(text)]

    rows = []
    for name, cases in (("written first", RESOLVER_CASES), ("held out", RESOLVER_HELD_OUT)):
        for label, resolve in (("ours", ours), ("baseline WRatio", baseline)):
            top1 = top3 = 0
            for text, meant in cases:
                found = resolve(text)
                top1 += bool(found and found[0] & set(meant))
                top3 += any(ids & set(meant) for ids in found[:3])
            accuracy = f"top-1 {top1 / len(cases):.3f}  top-3 {top3 / len(cases):.3f}"
            rows.append((f"{name} ({len(cases)})", label, accuracy))
        answered = wrong = 0
        for text, meant in cases:
            chosen = catalog.search(text).chosen
            answered += chosen is not None
            wrong += chosen is not None and not set(chosen.title_ids) & set(meant)
        rows.append((f"{name} ({len(cases)})", "ours, search", f"answered directly {answered}, wrongly {wrong}"))
    return rows


def famous_figures(catalog: Catalog) -> list[tuple[str, str, str]]:
    """Top-1 on bench/famous.py: the first candidate is the work meant, or, for a title on none of
    the services, the answer says it is absent; and how many answers were a card for another title."""
    cases = [(text, (), meant) for text, meant in FAMOUS_CASES] + list(PLATFORM_CASES)
    top1 = wrong_card = 0
    missed = []
    for text, platforms, meant in cases:
        found = catalog.resolve(text, platforms=platforms)
        answer = catalog.search(text, platforms=platforms)
        right = answer.absent if not meant else bool(found and set(found[0].title_ids) & set(meant))
        top1 += right
        chosen = answer.chosen
        wrong_card += chosen is not None and not set(chosen.title_ids) & set(meant)
        if not right:
            missed.append(text)
    # the naive resolver always has a best title: right only when it is the one meant, never on absence
    baseline = wratio_baseline(catalog)
    naive = sum(bool(meant) and bool(set().union(*baseline(text)[:1]) & set(meant)) for text, _, meant in cases)
    label = f"famous ({len(cases)})"
    return [(label, "ours", f"top-1 {top1 / len(cases):.3f}  wrong cards {wrong_card}"),
            (label, "ours, missed", ", ".join(missed) or "none"),
            (label, "baseline WRatio", f"top-1 {naive / len(cases):.3f}")]


def baseline_matrix(works: Works) -> sparse.csr_matrix:
    """The naive model: one bag of words over title + genres + director per work, cosine."""
    titles = works.titles
    texts = [
        " ".join([titles[rows[0]].title, *titles[rows[0]].genres, *titles[rows[0]].directors]) for rows in works.rows
    ]
    return normalize(CountVectorizer().fit_transform(texts).astype(np.float32))


def top_works(matrix: sparse.csr_matrix, postings: sparse.csr_matrix, work: int) -> np.ndarray:
    scores = (matrix[work] @ postings).toarray().ravel()
    scores[work] = -np.inf
    top = np.argpartition(scores, -TOP)[-TOP:]
    return top[np.argsort(-scores[top], kind="stable")]


def recommender_figures(works: Works, matrix: sparse.csr_matrix, sample: np.ndarray) -> dict[str, float]:
    postings = sparse.csr_matrix(matrix.T)
    of_id = {t.id: int(works.of_row[t.index]) for t in works.titles}
    recalls, hits = [], []
    for _, query, expected in RECOMMENDER_CASES:
        found = set(top_works(matrix, postings, of_id[query]).tolist())
        wanted = {of_id[i] for i in expected}
        recalls.append(len(found & wanted) / min(len(wanted), TOP))
        hits.append(bool(found & wanted))
    genres = [frozenset(g for r in rows for g in works.titles[r].genres) for rows in works.rows]
    precision, diversity, seen = [], [], set()
    for work in sample:
        top = top_works(matrix, postings, int(work)).tolist()
        seen.update(top)
        precision.append(np.mean([bool(genres[w] & genres[work]) for w in top]))
        pairs = [
            1 - len(genres[a] & genres[b]) / max(len(genres[a] | genres[b]), 1)
            for i, a in enumerate(top) for b in top[i + 1:]
        ]
        diversity.append(np.mean(pairs))
    return {
        "recall@10": float(np.mean(recalls)), "hit@10": float(np.mean(hits)),
        "genre precision@10": float(np.mean(precision)), "coverage": len(seen) / len(works),
        "diversity": float(np.mean(diversity)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="processed data folder (default: the full data, built once into "
                        "data/processed_full/ from ../shared)")
    parser.add_argument("--sample", type=int, default=1000, help="titles sampled for precision/coverage/diversity")
    parser.add_argument("--tune", action="store_true", help="also evaluate the other weight sets tried")
    args = parser.parse_args(argv)

    args.data = args.data or str(fulldata.ensure_full_processed())
    catalog = Catalog.load(args.data).warm()
    print(f"catalog {args.data}: {len(catalog)} titles, {len(catalog.works)} works")
    print("\n== title resolution ==")
    for cases, label, figures in resolver_figures(catalog) + famous_figures(catalog):
        print(f"{cases:20} {label:22} {figures}")

    works = catalog.works
    sample = np.random.default_rng(0).choice(len(works), size=min(args.sample, len(works)), replace=False)
    print(f"\n== recommender: {len(RECOMMENDER_CASES)} cases; {len(sample)} sampled titles (seed 0) ==")
    models = {"ours (chosen weights)": catalog.recommender.features, "baseline CountVectorizer": baseline_matrix(works)}
    if args.tune:
        blocks = content_blocks(works)
        models.update({f"tried: {name}": combine(blocks, weights) for name, weights in TRIED_WEIGHTS.items()})
    print(f"{'model':28} {'recall@10':>9} {'hit@10':>7} {'genre p@10':>10} {'coverage':>9} {'diversity':>9}")
    for name, matrix in models.items():
        started = time.perf_counter()
        f = recommender_figures(works, matrix, sample)
        print(
            f"{name:28} {f['recall@10']:9.3f} {f['hit@10']:7.3f} {f['genre precision@10']:10.3f}"
            f" {f['coverage']:9.3f} {f['diversity']:9.3f}   ({time.perf_counter() - started:.1f} s)"
        )
    print(f"\nchosen weights: {DEFAULT_WEIGHTS}")
    return 0
