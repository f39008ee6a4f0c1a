// %% [markdown]
// # DSIR: find the Wikipedia-like documents of a raw pool
// DSIR (Xie et al. 2023) fits a bag-of-n-grams model of a target corpus and one of a raw pool, gives
// every pool document a log importance weight log p(doc)/q(doc), and draws k documents without
// replacement in proportion to their weights. Here the target is half of WikiText-2's test articles
// (Wikipedia Good and Featured articles); the other half hides in a pool of web pages, spam and
// Moby-Dick chapters. A good selection finds them.
//
// Run with `node --import tsx examples/dsir-toward-wikipedia.ts [OUT_DIR]`. It reads the test corpus
// in `../shared/corpus`, beside the checkout.

// %%
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDsirScorer, fitDsirFiles, readDocuments, resampleDsir, writeJsonl, type Document } from '../src/index.js';

const corpus = join(import.meta.dirname, '..', '..', 'shared', 'corpus');
if (!existsSync(corpus)) {
  console.error(`${corpus} is missing: put the shared test corpus beside the checkout`);
  process.exit(2);
}
const out = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'sieve-dsir-'));
mkdirSync(out, { recursive: true });

async function readAll(path: string): Promise<Document[]> {
  const docs: Document[] = [];
  for await (const batch of readDocuments(path)) docs.push(...batch.documents);
  return docs;
}

// %% [markdown]
// ## Target and pool
// Even-numbered articles are the target; the odd ones join the pool, so we know which pool
// documents are "Wikipedia".

// %%
const articles = await readAll(join(corpus, 'reference', 'wikitext2_raw_test_articles.jsonl.gz'));
const target = join(out, 'wiki-target.jsonl');
const hidden = join(out, 'wiki-heldout.jsonl');
await writeJsonl(target, articles.filter((_, i) => i % 2 === 0).map(({ id, text }) => ({ id, text })));
await writeJsonl(hidden, articles.filter((_, i) => i % 2 === 1).map(({ id, text }) => ({ id, text })));
const pool = {
  web: join(corpus, 'web', 'web_docs.jsonl.gz'),
  spam: join(corpus, 'spam', 'spamassassin_spam_bodies.jsonl.gz'),
  moby: join(corpus, 'reference', 'moby_dick_chapters.jsonl.gz'),
  wiki: hidden,
};
const poolDocs = Object.fromEntries(await Promise.all(Object.entries(pool).map(async ([source, path]) => [source, await readAll(path)] as const)));
const poolSize = Object.values(poolDocs).reduce((n, docs) => n + docs.length, 0);
console.log(`target: ${Math.ceil(articles.length / 2)} articles; pool: ${Object.entries(poolDocs).map(([s, d]) => `${d.length} ${s}`).join(', ')} (${poolSize} documents)`);

// %% [markdown]
// ## Fit
// RPv2's features: hashed WordPunct unigrams and bigrams in 10,000 buckets, counted over each
// corpus. The model is one JSON file (`docs/dsir.md`), reusable as `--dsir wikipedia=MODEL` to get
// the `rps_doc_wikipedia_importance` signal.

// %%
const modelPath = join(out, 'wiki.dsir.json');
const { model } = await fitDsirFiles({ target: [target], raw: Object.values(pool), out: modelPath });
console.log(`model → ${modelPath}: target ${model.target.tokens} tokens, pool ${model.raw.tokens} tokens`);

// %% [markdown]
// ## The weights
// Each document's log importance weight (nats), by source. Whole documents get weights hundreds of
// nats apart, and the long, encyclopaedic articles sit far above everything else.

// %%
const scorer = createDsirScorer(model);
const weights = Object.fromEntries(Object.entries(poolDocs).map(([source, docs]) => [source, scorer.importanceOfTexts(docs.map((d) => d.text))] as const));
const quantile = (sorted: Float64Array, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
console.log(`  ${'source'.padEnd(6)} ${['p10', 'median', 'p90', 'max'].map((h) => h.padStart(8)).join(' ')}`);
for (const [source, w] of Object.entries(weights)) {
  const sorted = w.filter((x) => !Number.isNaN(x)).sort();
  const cells = [0.1, 0.5, 0.9, 1].map((q) => quantile(sorted, q).toFixed(0).padStart(8));
  console.log(`  ${source.padEnd(6)} ${cells.join(' ')}`);
}
const EDGES = [-Infinity, -5000, -2000, -1000, -500, -200, 0, 200, 500, 1000, 2000, Infinity];
const edge = (x: number) => (Number.isFinite(x) ? String(x) : '');
console.log(`  weight (nats)    ${Object.keys(weights).map((s) => s.padStart(5)).join(' ')}`);
for (let b = 0; b + 1 < EDGES.length; b++) {
  const [lo, hi] = [EDGES[b], EDGES[b + 1]];
  const counts = Object.values(weights).map((w) => w.filter((x) => x >= lo && x < hi).length);
  console.log(`  ${edge(lo).padStart(6)} … ${edge(hi).padEnd(6)}  ${counts.map((n) => String(n).padStart(5)).join(' ')}`);
}

// %% [markdown]
// ## Resample
// k = the number of hidden articles. Each document's key is its weight plus Gumbel noise seeded by
// its id, and the k largest keys win: a draw without replacement with probability ∝ weight, the
// same for the same seed whatever the worker count.

// %%
const k = poolDocs.wiki.length;
const run = await resampleDsir({ model: modelPath, inputs: Object.values(pool), out: join(out, 'resample'), k, seed: 7, workers: 2 });
const chosen = Object.keys(pool).map((source, i) => `${run.manifest.inputs[i].kept} ${source}`);
console.log(`resampled k = ${k} of ${run.manifest.totals.documents} → ${join(out, 'resample', 'kept')}: ${chosen.join(', ')}`);
console.log(`the smallest key chosen (weight + noise): ${run.manifest.resample.threshold?.toFixed(1)}`);

// %% [markdown]
// ## What was chosen
// The chosen documents are written as they were read, one file per input. The hidden articles
// make most of the sample, against a base rate of one document in a hundred.

// %%
const wikiKept = run.manifest.inputs[Object.keys(pool).indexOf('wiki')].kept;
console.log(`hidden Wikipedia articles chosen: ${wikiKept} of ${k} (precision ${(wikiKept / k).toFixed(2)}, base rate ${(k / poolSize).toFixed(3)})`);
for (const [i, source] of Object.keys(pool).entries()) {
  if (run.manifest.inputs[i].kept === 0) continue;
  const kept = join(out, 'resample', run.manifest.inputs[i].outputs[0]);
  for (const doc of (await readAll(kept)).slice(0, 3)) console.log(`  ${source.padEnd(5)} ${doc.id.padEnd(24)} ${doc.text.split('\n')[0].slice(0, 60)}`);
}
