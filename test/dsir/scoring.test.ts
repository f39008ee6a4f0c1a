import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { emptyCounts } from '../../src/dsir/counts.js';
import { RPV2_FEATURES, featureBatch } from '../../src/dsir/features.js';
import { fitDsirFiles } from '../../src/dsir/fit.js';
import { fitDsirModel, loadDsirModel, parseDsirModel, serializeDsirModel, type DsirModel } from '../../src/dsir/model.js';
import { logPoissonPmf } from '../../src/dsir/poisson.js';
import { createDsirScorer } from '../../src/dsir/score.js';
import { SieveError } from '../../src/errors.js';
import { TextView } from '../../src/text/index.js';
import { readJsonlGz, shared, tempDir } from '../helpers.js';
import { LOG_PMF_PY, SCORES_PY, runPython } from './python-oracle.js';

/** The synthetic model of spec §8.3: p[i] = (i mod 7) + 1, q[i] = (i mod 11) + 1, λ_p = 300, λ_q = 150. */
function syntheticModel(): DsirModel {
  const p = new Float64Array(10000);
  const q = new Float64Array(10000);
  for (let i = 0; i < 10000; i++) {
    p[i] = (i % 7) + 1;
    q[i] = (i % 11) + 1;
  }
  return {
    features: RPV2_FEATURES,
    target: { documents: 1, tokens: 300, lambda: 300, counts: p, sources: [] },
    raw: { documents: 1, tokens: 150, lambda: 150, counts: q, sources: [] },
  };
}

/** Spec Appendix B inputs. */
const VECTORS: Record<string, string> = {
  mixed_en:
    'The QUICK brown fox... jumps over the lazy dog!\n\u2022 Item one costs 100 dollars\n  \u2013 Item two: enable JavaScript, javascript is required.\nLorem ipsum dolor sit amet { code } \u2026\nTHE END \u201d\nEmoji \ud83d\ude00 line #tag #tag2\n',
  repetitive: 'one two three four five six seven eight nine ten eleven twelve thirteen one two three four five six seven eight nine ten eleven twelve thirteen fourteen',
  french_accents: "L'\u00e9t\u00e9 est tr\u00e8s chaud \u00e0 Paris. Les enfants jouent dans le jardin, et les parents regardent.",
  blank_lines: '  \n\n \n',
  empty: '',
};

function scores(model: DsirModel, text: string): [number | null, number | null] {
  const scorer = createDsirScorer(model);
  const view = new TextView(text);
  const features = featureBatch([view], model.features);
  return [scorer.importance(features, 0, text), scorer.importanceLengthCorrected(features, 0, text)];
}

describe('dsir: importance weights (spec §8.3)', () => {
  it('reproduces the synthetic scoring vectors of spec §8.3', () => {
    const model = syntheticModel();
    assert.deepEqual(scores(model, VECTORS.mixed_en), [4.17452572, -1.15156171]);
    assert.deepEqual(scores(model, VECTORS.repetitive), [-3.48728882, -18.46326838]);
    assert.deepEqual(scores(model, VECTORS.french_accents), [-3.99603806, -5.47875718]);
    // Text without tokens: 0, and the corrected score is the Poisson term alone (≈ 0 here).
    assert.deepEqual(scores(model, VECTORS.blank_lines), [0, 0]);
    assert.deepEqual(scores(model, VECTORS.empty), [null, null]);
  });

  it('the length correction uses the length in characters, not words (spec §12 quirk 9)', () => {
    // Same tokens, so the same uncorrected score; only the character count moves the correction.
    const model = syntheticModel();
    const [short, shortCorrected] = scores(model, 'a b c');
    const [long, longCorrected] = scores(model, `a${' '.repeat(140)}b c`);
    assert.equal(short, long);
    assert.notEqual(shortCorrected, longCorrected);
    assert.ok(Math.abs((longCorrected as number) - (long as number)) > 1, 'a length near λ moves the score');
  });

  it('ln Pois(k; λ) equals Python 3.11 k·ln λ − lgamma(k + 1) − λ', () => {
    const grid: [number, number][] = [];
    for (const lambda of [0.5, 3, 150, 300, 897.43, 3976.39]) {
      for (const k of [0, 1, 2, 5, 10, 21, 22, 23, 24, 30, 100, 149, 150, 151, 300, 1000, 4000, 12345, 1000000]) grid.push([k, lambda]);
    }
    const expected = JSON.parse(runPython(LOG_PMF_PY, [JSON.stringify(grid)])) as number[];
    grid.forEach(([k, lambda], i) => {
      const got = logPoissonPmf(k, lambda);
      assert.ok(Math.abs(got - expected[i]) <= 1e-12 * Math.max(1, Math.abs(expected[i])), `k=${k} λ=${lambda}: ${got} vs ${expected[i]}`);
    });
  });
});

describe('dsir: a fitted model against numpy on every reference document', () => {
  const CORPORA = [
    ['web_docs', 'web/web_docs'],
    ['dclm_human_quality', 'quality/dclm_human_quality'],
    ['spamassassin_spam_bodies', 'spam/spamassassin_spam_bodies'],
  ] as const;
  let modelPath: string;
  let model: DsirModel;

  before(async () => {
    modelPath = join(tempDir(), 'wikitext.dsir.json');
    const fitted = await fitDsirFiles({
      target: [shared('corpus', 'reference', 'wikitext2_raw_test_articles.jsonl.gz')],
      raw: [shared('corpus', 'web', 'web_docs.jsonl.gz'), shared('corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz')],
      out: modelPath,
    });
    model = fitted.model;
  });

  it('the fit counts every document and token; λ is the mean token count', () => {
    assert.equal(model.target.documents, 62);
    assert.equal(model.raw.documents, 1094 + 1876);
    assert.equal(model.target.lambda, model.target.tokens / 62);
    let total = 0;
    for (const c of model.target.counts) total += c;
    // n tokens give n unigrams and n − 1 bigrams per non-empty document.
    assert.equal(total, 2 * model.target.tokens - 62);
  });

  it('importance and importance_length_correction equal numpy np.inner + lgamma on 3,469 documents (reference features)', async () => {
    const args = CORPORA.flatMap(([name, doc]) => [shared('reference', `${name}.dsir_hash_features.jsonl.gz`), shared('corpus', `${doc}.jsonl.gz`)]);
    const expected = JSON.parse(runPython(SCORES_PY, [modelPath, ...args])) as [number | null, number | null][];
    const views: TextView[] = [];
    for (const [, doc] of CORPORA) for (const r of await readJsonlGz(shared('corpus', `${doc}.jsonl.gz`))) views.push(new TextView(String(r.text)));
    assert.equal(expected.length, 3469);
    const scorer = createDsirScorer(await loadDsirModel(modelPath));
    const features = featureBatch(views, scorer.model.features);
    let corrected = 0;
    for (let d = 0; d < views.length; d++) {
      const got = [scorer.importance(features, d, views[d].raw), scorer.importanceLengthCorrected(features, d, views[d].raw)];
      assert.deepEqual(got, expected[d], `document ${d}`);
      if (got[0] !== got[1]) corrected++;
    }
    assert.ok(corrected > 10, `the length correction matters for some documents (${corrected})`);
  });
});

describe('dsir: model files', () => {
  it('round-trips, and the same model gives the same bytes', () => {
    const model = syntheticModel();
    const text = serializeDsirModel(model);
    const back = parseDsirModel(text, 'm.json');
    assert.deepEqual([...back.target.counts], [...model.target.counts]);
    assert.deepEqual([...back.raw.counts], [...model.raw.counts]);
    assert.equal(back.target.lambda, 300);
    assert.equal(serializeDsirModel(back), text);
  });

  it('rejects malformed models with the file and the field', () => {
    const good = JSON.parse(serializeDsirModel(syntheticModel())) as Record<string, unknown>;
    const cases: [string, string, string][] = [
      ['not json', '{', 'E_INPUT_PARSE'],
      ['wrong format', JSON.stringify({ ...good, format: 'x' }), '"format"'],
      ['future version', JSON.stringify({ ...good, version: 2 }), 'version 2'],
      ['unknown features', JSON.stringify({ ...good, features: 'bpe' }), 'features must be one of rpv2, dsir'],
      ['descending buckets', JSON.stringify({ ...good, raw: { ...(good.raw as object), nonzero: [[5, 1], [3, 1]] } }), 'buckets must ascend'],
      ['bucket out of range', JSON.stringify({ ...good, target: { ...(good.target as object), nonzero: [[10000, 1]] } }), 'below 10000'],
      ['zero count', JSON.stringify({ ...good, target: { ...(good.target as object), nonzero: [[1, 0]] } }), 'positive integer count'],
      ['no documents', JSON.stringify({ ...good, target: { ...(good.target as object), documents: 0 } }), '"target.documents"'],
    ];
    for (const [what, text, message] of cases) {
      assert.throws(
        () => parseDsirModel(text, 'bad.json'),
        (e: unknown) => e instanceof SieveError && e.location?.file === 'bad.json' && (e.code === message || e.message.includes(message)),
        what,
      );
    }
  });

  it('a missing model file is E_INPUT_MISSING naming it', async () => {
    const path = join(tempDir(), 'none.json');
    await assert.rejects(loadDsirModel(path), (e: unknown) => e instanceof SieveError && e.code === 'E_INPUT_MISSING' && e.location?.file === path);
  });

  it('a corpus without tokens cannot be a side of a model', () => {
    const some = emptyCounts(RPV2_FEATURES);
    some.counts[3] = 2;
    some.documents = 1;
    some.tokens = 1;
    const none = emptyCounts(RPV2_FEATURES);
    none.documents = 4;
    assert.throws(() => fitDsirModel(none, some), (e: unknown) => e instanceof SieveError && e.code === 'E_INPUT_EMPTY' && e.message.includes('target'));
    assert.throws(() => fitDsirModel(some, none), (e: unknown) => e instanceof SieveError && e.code === 'E_INPUT_EMPTY' && e.message.includes('raw'));
  });

  it('fitDsirFiles reports a missing input by name', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.jsonl'), '{"text": "a b"}\n');
    await assert.rejects(
      fitDsirFiles({ target: [join(dir, 't.jsonl')], raw: [join(dir, 'missing.jsonl')] }),
      (e: unknown) => e instanceof SieveError && e.code === 'E_INPUT_MISSING' && e.location?.file === join(dir, 'missing.jsonl'),
    );
  });
});
