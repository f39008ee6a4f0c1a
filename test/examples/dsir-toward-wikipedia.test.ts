import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { runPython } from '../dsir/python-oracle.js';
import { shared, tempDir } from '../helpers.js';
import { runExample } from './run-example.js';

/**
 * argv: a model file, then (source, JSON-lines file) pairs; prints {source: [importance or None]}:
 * RPv2's features (WordPunct tokens and token pairs, CPython's seed-42 hash) scored with numpy.
 */
const WEIGHTS_PY = `
import sys, json, gzip, re
import numpy as np
WORD_PUNCT = re.compile(r'\\w+|[^\\w\\s]+')
model = json.load(open(sys.argv[1]))
def dense(pairs):
    v = np.zeros(model['buckets'])
    for b, c in pairs: v[b] = c
    return v
p, q = dense(model['target']['nonzero']), dense(model['raw']['nonzero'])
w = np.log(p / p.sum() + 1e-8) - np.log(q / q.sum() + 1e-8)
out = {}
for source, path in zip(sys.argv[2::2], sys.argv[3::2]):
    weights = []
    for line in (gzip.open(path, 'rt', encoding='utf-8') if path.endswith('.gz') else open(path, encoding='utf-8')):
        text = json.loads(line)['text']
        tokens = WORD_PUNCT.findall(text)
        counts = {}
        for gram in tokens + list(zip(tokens, tokens[1:])):
            b = abs(hash(gram)) % model['buckets']
            counts[b] = counts.get(b, 0) + 1
        buckets = np.array(list(counts), dtype=np.int64)
        weights.append(round(float(np.inner(np.array(list(counts.values()), dtype=np.float64), w[buckets])), 8) if text else None)
    out[source] = weights
json.dump(out, sys.stdout)
`;

const ids = (path: string) =>
  gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => String(JSON.parse(l).id));

describe('examples/dsir-toward-wikipedia.ts (issue 10)', () => {
  it("prints the weights numpy computes from its model, and its sample is mostly the hidden Wikipedia articles", () => {
    const out = tempDir();
    const stdout = runExample('dsir-toward-wikipedia.ts', [out]);
    const corpus = shared('corpus');
    const pool = {
      web: join(corpus, 'web', 'web_docs.jsonl.gz'),
      spam: join(corpus, 'spam', 'spamassassin_spam_bodies.jsonl.gz'),
      moby: join(corpus, 'reference', 'moby_dick_chapters.jsonl.gz'),
      wiki: join(out, 'wiki-heldout.jsonl'),
    };

    // The weight table, recomputed from the example's model file in Python 3.11 and numpy.
    const python = JSON.parse(runPython(WEIGHTS_PY, [join(out, 'wiki.dsir.json'), ...Object.entries(pool).flat()])) as Record<string, (number | null)[]>;
    const weights = Object.fromEntries(Object.entries(python).map(([s, w]) => [s, Float64Array.from(w.filter((x) => x !== null)).sort()]));
    for (const [source, sorted] of Object.entries(weights)) {
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(0);
      assert.match(stdout, new RegExp(`^ {2}${source} +${[0.1, 0.5, 0.9, 1].map(at).join(' +')}$`, 'm'), source);
    }
    const edges = [-Infinity, -5000, -2000, -1000, -500, -200, 0, 200, 500, 1000, 2000, Infinity];
    const histogram = [...stdout.matchAll(/^ +(-?\d*) … (-?\d*) +((?:\d+ +)*\d+)$/gm)].map((m) => m[3].trim().split(/ +/).map(Number));
    assert.deepEqual(
      histogram,
      edges.slice(1).map((hi, b) => Object.values(weights).map((w) => w.filter((x) => x >= edges[b] && x < hi).length)),
    );

    // What was chosen: k = 31 documents written as read, nearly all of them the hidden articles.
    const heldout = readFileSync(pool.wiki, 'utf8').trim().split('\n').map((l) => String(JSON.parse(l).id));
    const kept = join(out, 'resample', 'kept');
    const chosen = Object.fromEntries(
      Object.entries({ web: 'web_docs', spam: 'spamassassin_spam_bodies', moby: 'moby_dick_chapters', wiki: 'wiki-heldout' }).map(([s, name]) => [s, ids(join(kept, `${name}.jsonl.gz`))]),
    );
    assert.equal(Object.values(chosen).flat().length, heldout.length);
    const heldoutLines = new Set(readFileSync(pool.wiki, 'utf8').trim().split('\n'));
    assert.ok(gunzipSync(readFileSync(join(kept, 'wiki-heldout.jsonl.gz'))).toString('utf8').trim().split('\n').every((l) => heldoutLines.has(l)));
    assert.ok(chosen.wiki.length >= 0.8 * heldout.length, `${chosen.wiki.length} of ${heldout.length}`);
    assert.match(stdout, new RegExp(`: ${chosen.web.length} web, ${chosen.spam.length} spam, ${chosen.moby.length} moby, ${chosen.wiki.length} wiki$`, 'm'));
    assert.match(stdout, new RegExp(`^hidden Wikipedia articles chosen: ${chosen.wiki.length} of ${heldout.length} `, 'm'));
  });
});
