"""Quality of title search and of the recommender, beside a naive baseline in the same run.

    python -m bench evaluate [--data DIR] [--sample 1000] [--tune]

Resolver: top-1 / top-3 accuracy on the hand-written queries of bench/cases.py (written before
tuning, and a held-out set written after), and how often `Catalog.search` answers wrongly; the
baseline is rapidfuzz's `extractOne`-style WRatio over the raw titles.
Similarity (full data): recall@10 on the round-two SIMILAR_CASES, overall and for the expected
works on another platform than the seed, on the first round's RECOMMENDER_CASES and on the held-out
SIMILAR_HELD_OUT (written before the last tuning and never tuned on), beside the
recommender as it was before issue 8 (rebuilt from today's blocks and works) and the naive baseline
of the same run (`--cases` prints every case, marking those worse than before).
Recommender (full data): recall@10 and hit@10 on RECOMMENDER_CASES; over a seeded sample of
titles, genre precision@10 (share of the ten sharing a genre with the title), catalog coverage
(share of all works that appear in some top ten) and intra-list diversity (mean 1 - Jaccard of
the genre sets of each pair in a top ten). Baseline: CountVectorizer over title + genres +
director, cosine. `--tune` also prints the same figures for the other weight sets tried.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz import fuzz, process, utils
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from bench import fulldata
from bench.cases import RECOMMENDER_CASES, RESOLVER_CASES, RESOLVER_HELD_OUT, SIMILAR_CASES, SIMILAR_HELD_OUT
from bench.famous import FAMOUS_CASES, PLATFORM_CASES
from core import Catalog
from core.recommend import DEFAULT_WEIGHTS, FeatureWeights, _names_block, _text_block, combine, content_blocks
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


@dataclass(frozen=True)
class CaseRecall:
    """recall@10 of one case: `found` of `wanted` expected works (`cross_*`: those on another platform)."""

    seed: str
    found: int
    wanted: int
    cross_found: int
    cross_wanted: int

    @property
    def recall(self) -> float:
        return self.found / min(self.wanted, TOP)


def case_recalls(works: Works, top10, cases) -> list[CaseRecall]:
    """Each case's hits in `top10(work)` (the ten works suggested for a work).

    An expected entry "a|b" is one work with copies a and b: any copy found counts. It is on another
    platform when none of its ids is on the seed id's platform (their first letter).
    """
    of_id = {t.id: int(works.of_row[t.index]) for t in works.titles}
    out = []
    for _, seed, expected in cases:
        found = set(top10(of_id[seed]))
        hits = cross_found = cross_wanted = 0
        for entry in expected:
            ids = entry.split("|")
            hit = any(of_id[i] in found for i in ids)
            hits += hit
            if all(i[0] != seed[0] for i in ids):
                cross_wanted += 1
                cross_found += hit
        out.append(CaseRecall(seed, hits, len(expected), cross_found, cross_wanted))
    return out


def recall_summary(recalls: list[CaseRecall]) -> dict[str, float]:
    """Mean recall@10 over cases; cross-platform: over the cases with such entries, of those entries."""
    cross = [r.cross_found / r.cross_wanted for r in recalls if r.cross_wanted]
    return {"recall@10": float(np.mean([r.recall for r in recalls])),
            "other platform": float(np.mean(cross)) if cross else float("nan"),
            "expected found": sum(r.found for r in recalls), "expected": sum(r.wanted for r in recalls)}


def before_issue_8_matrix(catalog: Catalog) -> sparse.csr_matrix:
    """The recommender as it was before issue 8, rebuilt from today's blocks: each platform's own genre
    labels, the first ten cast names alike, title words, no audience, seasons or platform; its top ten had
    no re-rank and no seasons prior."""
    works = catalog.works
    labels = catalog.table.column("listed_in").to_pylist()

    def pooled(values, limit=None):
        return [list(dict.fromkeys(v for r in rows for v in values(r)))[:limit] for rows in works.rows]

    blocks = content_blocks(works)
    blocks["genres"] = _names_block(pooled(lambda r: labels[r] or ()))
    blocks["cast"] = _names_block(pooled(lambda r: works.titles[r].cast, 10))
    blocks["title"] = _text_block(list(works.keys), min_df=2, max_df=0.05)
    return combine(blocks, FeatureWeights(0.15, 0.25, 0.20, 0.20, 0.025, 0.10, 0.025, 0.05,
                                          audience=0.0, seasons=0.0, platform=0.0))


def similar_figures(catalog: Catalog, show_cases: bool) -> None:
    works = catalog.works
    of_id = {t.id: int(works.of_row[t.index]) for t in works.titles}

    def ranking(matrix: sparse.csr_matrix):
        postings = sparse.csr_matrix(matrix.T)
        return lambda work: top_works(matrix, postings, work).tolist()

    def ours(work: int) -> list[int]:
        return [of_id[s.id] for s in catalog.recommender.similar(work, TOP)]

    naive, before = ranking(baseline_matrix(works)), ranking(before_issue_8_matrix(catalog))

    for name, cases in (("round two (SIMILAR_CASES)", SIMILAR_CASES),
                        ("first round (RECOMMENDER_CASES)", RECOMMENDER_CASES),
                        ("held out (SIMILAR_HELD_OUT, never tuned on)", SIMILAR_HELD_OUT)):
        print(f"\n== similarity, {name}: {len(cases)} cases ==")
        rows = {"ours": case_recalls(works, ours, cases), "before issue 8": case_recalls(works, before, cases),
                "baseline CountVectorizer": case_recalls(works, naive, cases)}
        for label, recalls in rows.items():
            f = recall_summary(recalls)
            print(f"{label:28} recall@10 {f['recall@10']:.3f}   other platform {f['other platform']:.3f}"
                  f"   ({f['expected found']} of {f['expected']} expected works found)")
        if show_cases:
            titles = works.titles
            for mine, old, theirs in zip(*rows.values()):
                name = titles[works.rows[of_id[mine.seed]][0]].display_title
                worse = "  WORSE" if mine.found < old.found else ""
                print(f"  {mine.seed:8} {name[:34]:34} ours {mine.found}/{mine.wanted}"
                      f" (other platform {mine.cross_found}/{mine.cross_wanted})"
                      f"   before {old.found}/{old.wanted}   baseline {theirs.found}/{theirs.wanted}{worse}")


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
    parser.add_argument("--cases", action="store_true", help="print every similarity case's recall")
    parser.add_argument("--similar-only", action="store_true", help="only the similarity cases (quicker)")
    args = parser.parse_args(argv)

    args.data = args.data or str(fulldata.ensure_full_processed())
    catalog = Catalog.load(args.data).warm()
    print(f"catalog {args.data}: {len(catalog)} titles, {len(catalog.works)} works")
    similar_figures(catalog, args.cases)
    if args.similar_only:
        return 0
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
