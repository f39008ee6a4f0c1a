/**
 * Independent statements of DSIR in Python 3.11 (`/usr/bin/python3` with numpy), run by the tests:
 * features with CPython's own seed-42 `hash` and `re` (what NLTK's WordPunctTokenizer is), scores
 * with numpy's `np.inner` and the Poisson term with `math.lgamma`, as the reference computes them.
 */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON = '/usr/bin/python3';

/** argv: kind (rpv2|dsir), buckets, a JSON-lines file of {id, text}; prints the reference's layout. */
export const FEATURES_PY = `
import sys, json, re
WORD_PUNCT = re.compile(r'\\w+|[^\\w\\s]+')
kind, buckets = sys.argv[1], int(sys.argv[2])
for line in open(sys.argv[3], encoding='utf-8'):
    doc = json.loads(line)
    text = doc['text'].lower() if kind == 'dsir' else doc['text']
    tokens = WORD_PUNCT.findall(text)
    counts = {}
    for gram in tokens + list(zip(tokens, tokens[1:])):
        b = abs(hash(gram)) % buckets
        counts[b] = counts.get(b, 0) + 1
    print(json.dumps({'id': doc['id'], 'nonzero': sorted([list(kv) for kv in counts.items()])}))
`;

/**
 * argv: model JSON, then pairs (reference features .jsonl.gz, documents .jsonl.gz); prints a JSON list
 * of [importance, importance_length_correction] per document, rounded as the reference rounds.
 */
export const SCORES_PY = `
import sys, json, gzip, math
import numpy as np
model = json.load(open(sys.argv[1]))
def dense(pairs):
    v = np.zeros(model['buckets'], dtype=np.int64)
    for b, c in pairs: v[b] = c
    return v
p, q = dense(model['target']['nonzero']), dense(model['raw']['nonzero'])
w = np.log(p / p.sum() + 1e-8) - np.log(q / q.sum() + 1e-8)
def pmf(k, lam):
    return math.exp((k * math.log(lam) if k else 0.0) - math.lgamma(k + 1) - lam)
out = []
for features_path, docs_path in zip(sys.argv[2::2], sys.argv[3::2]):
    docs = gzip.open(docs_path, 'rt', encoding='utf-8')
    for line in gzip.open(features_path, 'rt', encoding='utf-8'):
        n = len(json.loads(next(docs))['text'])
        if n == 0:
            out.append([None, None])
            continue
        s = float(np.inner(dense(json.loads(line)['nonzero']), w))
        c = float(np.log(pmf(n, model['target']['lambda']) + 1e-8) - np.log(pmf(n, model['raw']['lambda']) + 1e-8))
        out.append([round(s, 8), round(s + c, 8)])
json.dump(out, sys.stdout)
`;

/** argv: a JSON list of [k, lambda]; prints k ln λ − lgamma(k + 1) − λ for each. */
export const LOG_PMF_PY = `
import sys, json, math
print(json.dumps([(k * math.log(lam) if k else 0.0) - math.lgamma(k + 1) - lam for k, lam in json.loads(sys.argv[1])]))
`;

/** Runs a Python statement with PYTHONHASHSEED=42 (the reference's) and returns its stdout. */
export function runPython(source: string, args: readonly string[]): string {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: the DSIR tests compare against Python 3.11 (apt-get install python3 python3-numpy)`);
  const r = spawnSync(PYTHON, ['-c', source, ...args], { encoding: 'utf8', env: { ...process.env, PYTHONHASHSEED: '42' }, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
