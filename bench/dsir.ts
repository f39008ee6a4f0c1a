/**
 * DSIR on the web corpus, per hashing backend, one thread: documents/s for the hashed features
 * and for the importance weights (features + log ratio + length correction, one model), from the
 * text (tokenising included), and the ratio to the reference's per-core rate.
 *
 *   npm run bench:dsir            (node --import tsx bench/dsir.ts [--runs N])
 *
 * The reference rate comes from `bench/dsir-reference.py`, the reference's per-document work
 * restated in Python 3.11 (checked equal to ../shared/reference's features before it is timed),
 * run here with /usr/bin/python3 and PYTHONHASHSEED=42.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createDsirScorer, featureBatch, fitDsirFiles, poissonLengthCorrection, RPV2_FEATURES, textFeatureBatch } from '../src/dsir/index.js';
import { logRatioOf } from '../src/dsir/score.js';
import { availableBackends, getBackend, unavailableBackends } from '../src/native.js';
import { TextView, codePointLength, round8 } from '../src/text/index.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const WEB = here('../../shared/corpus/web/web_docs.jsonl.gz');
const WEB_FEATURES = here('../../shared/reference/web_docs.dsir_hash_features.jsonl.gz');
const WIKITEXT = here('../../shared/corpus/reference/wikitext2_raw_test_articles.jsonl.gz');

function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(arg('--runs') ?? 5);

const texts = gunzipSync(readFileSync(WEB))
  .toString('utf8')
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l) => (JSON.parse(l) as { text: string }).text);
const docs = texts.length;
const modelPath = join(mkdtempSync(join(tmpdir(), 'bench-dsir-')), 'wikitext.dsir.json');
const { model } = await fitDsirFiles({ target: [WIKITEXT], raw: [WEB], out: modelPath });
const scorer = createDsirScorer(model);

console.log(`# bench:dsir — ${fmt(docs)} web documents, ${fmt(texts.reduce((n, t) => n + t.length, 0) / 1e6, 1)} M characters, best of ${runs} runs, one thread`);
console.log(`# dsir kernel per backend: ${availableBackends().map((b) => `${b}=${getBackend(b).capabilities.paths.dsir}`).join(', ')}`);
for (const { name, reason } of unavailableBackends()) console.log(`# ${name} unavailable: ${reason}`);

const python = spawnSync('/usr/bin/python3', [here('./dsir-reference.py'), WEB, WEB_FEATURES, modelPath, '2'], { encoding: 'utf8', env: { ...process.env, PYTHONHASHSEED: '42' } });
const reference = python.status === 0 ? (JSON.parse(python.stdout) as { features_docs_per_s: number; weights_docs_per_s: number }) : undefined;
if (!reference) console.log(`# reference rate not measured: ${python.stderr || python.error?.message || 'python failed'}`);
else console.log(`# reference (Python 3.11 restatement, checked against ../shared/reference): features ${fmt(reference.features_docs_per_s)} docs/s, weights ${fmt(reference.weights_docs_per_s)} docs/s`);

console.log('\nbackend   features docs/s  (views ready)   weights docs/s   × reference (features, weights)');
for (const name of availableBackends()) {
  const backend = getBackend(name);
  // From the text, tokenising included (as fit, resample and `sieve dsir features` do).
  const featuresMs = best(runs, () => textFeatureBatch(texts, RPV2_FEATURES, { backend }));
  const views = texts.map((t) => new TextView(t));
  featureBatch(views, RPV2_FEATURES, { backend });
  const kernelMs = best(runs, () => featureBatch(views, RPV2_FEATURES, { backend }));
  const weightsMs = best(runs, () => {
    const features = textFeatureBatch(texts, RPV2_FEATURES, { backend });
    for (let d = 0; d < docs; d++) {
      if (texts[d].length === 0) continue;
      const score = logRatioOf(features.counts, d, scorer.weights);
      round8(score);
      round8(score + poissonLengthCorrection(codePointLength(texts[d]), model.target.lambda, model.raw.lambda));
    }
  });
  const rate = (ms: number) => docs / (ms / 1000);
  const ratios = reference ? `${fmt(rate(featuresMs) / reference.features_docs_per_s, 1)}×, ${fmt(rate(weightsMs) / reference.weights_docs_per_s, 1)}×` : 'n/a';
  console.log(`${name.padEnd(8)} ${fmt(rate(featuresMs)).padStart(16)} ${`(${fmt(rate(kernelMs))})`.padStart(15)} ${fmt(rate(weightsMs)).padStart(16)}   ${ratios}`);
}
