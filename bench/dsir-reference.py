# The reference's per-document DSIR work (RedPajama v2 `utils/dsir.py` hash_feature and
# `importance_weights.py`), restated for timing: WordPunct tokens (NLTK's WordPunctTokenizer is this
# `re` pattern), bigram tuples, a dense int64 count vector filled one numpy index at a time, then one
# np.inner with the log-ratio vector and the scipy-style Poisson term. Before timing, its features
# are checked against ../shared/reference, so the rate is that of the same computation.
#
#   PYTHONHASHSEED=42 /usr/bin/python3 bench/dsir-reference.py DOCS.jsonl.gz REFERENCE_FEATURES.jsonl.gz MODEL.json [RUNS]
# prints one JSON line: {"docs", "features_docs_per_s", "weights_docs_per_s"} (best of RUNS).

import gzip
import json
import math
import re
import sys
import time

import numpy as np

WORD_PUNCT = re.compile(r'\w+|[^\w\s]+')
BUCKETS = 10000


def hash_feature(unigrams, bigrams):
    counts = np.zeros(BUCKETS, dtype=np.int64)
    for unigram in unigrams:
        counts[int(abs(hash(unigram)) % BUCKETS)] += 1
    for bigram in bigrams:
        counts[int(abs(hash(bigram)) % BUCKETS)] += 1
    return counts


def features(text):
    words = WORD_PUNCT.findall(text)
    return hash_feature(words, tuple(zip(words, words[1:])))


def log_pmf(k, lam):
    return (k * math.log(lam) if k else 0.0) - math.lgamma(k + 1) - lam


def main():
    docs_path, reference_path, model_path = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    texts = [json.loads(line)['text'] for line in gzip.open(docs_path, 'rt', encoding='utf-8')]
    for text, line in zip(texts, gzip.open(reference_path, 'rt', encoding='utf-8')):
        expected = json.loads(line)['nonzero']
        got = features(text)
        if [[int(b), int(got[b])] for b in np.nonzero(got)[0]] != expected:
            sys.exit('the restated features differ from the reference: not timing a different computation')
    model = json.load(open(model_path))

    def dense(pairs):
        v = np.zeros(BUCKETS, dtype=np.int64)
        for b, c in pairs:
            v[b] = c
        return v

    p, q = dense(model['target']['nonzero']), dense(model['raw']['nonzero'])
    log_diff = np.log(p / p.sum() + 1e-8) - np.log(q / q.sum() + 1e-8)
    lt, lq = model['target']['lambda'], model['raw']['lambda']

    best_features = best_weights = float('inf')
    for _ in range(runs):
        t0 = time.perf_counter()
        for text in texts:
            features(text)
        best_features = min(best_features, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for text in texts:
            if len(text) == 0:
                continue
            score = float(np.inner(features(text), log_diff))
            n = len(text)
            score += float(np.log(math.exp(log_pmf(n, lt)) + 1e-8) - np.log(math.exp(log_pmf(n, lq)) + 1e-8))
            round(score, 8)
        best_weights = min(best_weights, time.perf_counter() - t0)
    print(json.dumps({'docs': len(texts), 'features_docs_per_s': len(texts) / best_features, 'weights_docs_per_s': len(texts) / best_weights}))


main()
