"""Character-trigram TF-IDF of short texts (titles), as scikit-learn's
`TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), sublinear_tf=True)` computes it, in NumPy and
SciPy alone: the bot answers searches without importing scikit-learn (about 80 MB and a second).

    index = TrigramIndex(keys)            # fitted once
    index.postings                        # trigrams x keys (CSR), rows L2-normalised per key
    index.vector("matrx")                 # one query as a 1 x trigrams CSR row
"""
from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

_WHITESPACE = re.compile(r"\s\s+")


def trigrams(text: str) -> list[str]:
    """The text's character trigrams within words, each word padded with a space on both sides
    (scikit-learn's char_wb analyzer: "the cat" -> " th", "the", "he ", " ca", "cat", "at ")."""
    grams: list[str] = []
    for word in _WHITESPACE.sub(" ", text.lower()).split():
        padded = f" {word} "
        grams.extend(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


class TrigramIndex:
    """TF-IDF over character trigrams: tf is 1 + log(count), idf is 1 + log((1 + n) / (1 + df)), each
    row L2-normalised; columns are the trigrams in sorted order."""

    def __init__(self, keys: Sequence[str]) -> None:
        # One key at a time into flat arrays: a Counter per key kept for all 30k keys peaked at some 50 MB,
        # which the process then kept.
        found: dict[str, int] = {}  # trigram -> id in order of first sight
        rows, columns, tf = array("i"), array("i"), array("f")
        for row, key in enumerate(keys):
            for gram, count in Counter(trigrams(key)).items():
                rows.append(row)
                columns.append(found.setdefault(gram, len(found)))
                tf.append(count)
        vocabulary = sorted(found)
        self.column = {gram: k for k, gram in enumerate(vocabulary)}
        sorted_id = np.empty(len(found), np.int64)
        sorted_id[[found[gram] for gram in vocabulary]] = np.arange(len(vocabulary))
        column_of = sorted_id[np.frombuffer(columns, np.int32)] if len(columns) else np.empty(0, np.int64)
        rows = np.frombuffer(rows, np.int32) if len(rows) else np.empty(0, np.int32)
        df = np.bincount(column_of, minlength=len(vocabulary))
        self.idf = (np.log((1 + len(keys)) / (1 + df)) + 1).astype(np.float32)
        counts = np.frombuffer(tf, np.float32) if len(tf) else np.empty(0, np.float32)
        weights = ((1 + np.log(counts.astype(np.float64))) * self.idf[column_of]).astype(np.float32)
        columns = column_of
        by_key = sparse.csr_matrix((weights, (rows, columns)), shape=(len(keys), len(vocabulary)), dtype=np.float32)
        norms = np.sqrt(np.asarray(by_key.multiply(by_key).sum(axis=1), np.float32).ravel())
        by_key = sparse.csr_matrix(sparse.diags(1 / np.maximum(norms, np.float32(1e-12))) @ by_key, dtype=np.float32)
        # trigrams x keys, so a query's row times it touches only its trigrams' postings
        self.postings = sparse.csr_matrix(by_key.T)

    def vector(self, text: str) -> sparse.csr_matrix:
        """The text as one normalised row (trigrams the index never saw are left out)."""
        counts: dict[int, int] = {}
        for gram in trigrams(text):
            column = self.column.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.fromiter(counts, np.int64, len(counts))
        weights = (1 + np.log(np.fromiter(counts.values(), np.float32, len(counts)))) * self.idf[columns]
        norm = float(np.linalg.norm(weights)) or 1.0
        return sparse.csr_matrix((weights / norm, columns, [0, len(columns)]), shape=(1, len(self.idf)))
