import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { featureBatch, featuresLine, textFeatureBatch, type DsirFeatureSpec } from '../../src/dsir/index.js';
import { TextView } from '../../src/text/index.js';
import { backends, skipAbsent } from '../hash/backends.js';
import { readJsonlGz, shared, sieve, tempDir } from '../helpers.js';
import { FEATURES_PY, runPython } from './python-oracle.js';

const CORPORA = [
  ['web_docs', ['corpus', 'web', 'web_docs.jsonl.gz']],
  ['dclm_human_quality', ['corpus', 'quality', 'dclm_human_quality.jsonl.gz']],
  ['spamassassin_spam_bodies', ['corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz']],
] as const;

/** Case-mapping corners of `str.lower` (final sigma, dotted İ, ẞ, Cherokee, title case) among ordinary text. */
const CASE_TEXTS = [
  'ΟΔΟΣ ΣΟΦΙΑΣ. Σ ΟΣ',
  'İSTANBUL İzmir I ı',
  'STRASSE Straße GROẞE',
  'ᏣᎳᎩ Ꮳꮃꭹ ǅemal ǲ',
  'Émile ZOLA écrit «J’ACCUSE…!»',
  'MiXeD 123 ABC-def_GHI 😀 ＡＢＣ',
];

describe('dsir features', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
  });

  it('`sieve dsir features` writes the reference files byte for byte for all 3,469 documents', () => {
    const out = join(dir, 'rpv2');
    const r = sieve(['dsir', 'features', ...CORPORA.map(([, p]) => shared(...p)), '--out', out, '--workers', '2']);
    assert.equal(r.status, 0, r.stderr);
    for (const [name] of CORPORA) {
      const got = gunzipSync(readFileSync(join(out, `${name}.dsir_hash_features.jsonl.gz`)));
      const expected = gunzipSync(readFileSync(shared('reference', `${name}.dsir_hash_features.jsonl.gz`)));
      assert.ok(got.equals(expected), `${name}: output differs from the reference`);
    }
    const summary = JSON.parse(r.stderr.trim().split('\n').pop() ?? '{}');
    assert.equal(summary.documents, 3469);
  });

  it("--features dsir (the paper's lower-cased features) equals CPython 3.11 on DCLM documents and case-mapping corners", async () => {
    const docs = (await readJsonlGz(shared('corpus', 'quality', 'dclm_human_quality.jsonl.gz'))).map((d) => ({ id: String(d.id), text: String(d.text) }));
    CASE_TEXTS.forEach((text, i) => docs.push({ id: `case:${i}`, text }));
    const input = join(dir, 'cases.jsonl');
    writeFileSync(input, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
    // The statement is right: in rpv2 mode it gives the reference's features.
    const pyRpv2 = runPython(FEATURES_PY, ['rpv2', '10000', input]).trim().split('\n');
    const reference = gunzipSync(readFileSync(shared('reference', 'dclm_human_quality.dsir_hash_features.jsonl.gz'))).toString('utf8').trim().split('\n');
    assert.deepEqual(pyRpv2.slice(0, reference.length).map((l) => JSON.parse(l)), reference.map((l) => JSON.parse(l)));

    const out = join(dir, 'dsir');
    const r = sieve(['dsir', 'features', input, '--features', 'dsir', '--buckets', '4096', '--out', out, '--workers', '1']);
    assert.equal(r.status, 0, r.stderr);
    const got = gunzipSync(readFileSync(join(out, 'cases.dsir_hash_features.jsonl.gz'))).toString('utf8').trim().split('\n');
    const expected = runPython(FEATURES_PY, ['dsir', '4096', input]).trim().split('\n');
    assert.equal(got.length, docs.length);
    got.forEach((line, i) => assert.deepEqual(JSON.parse(line), JSON.parse(expected[i]), docs[i].id));
    // Lower-casing changes the features of cased text.
    assert.notDeepEqual(JSON.parse(got[0]), JSON.parse(pyRpv2[0]));
  });

  describe('every backend gives the same features for both kinds', () => {
    const specs: DsirFeatureSpec[] = [
      { kind: 'rpv2', buckets: 10000 },
      { kind: 'dsir', buckets: 10000 },
      { kind: 'dsir', buckets: 7 },
    ];
    skipAbsent('DSIR features of both kinds equal js');
    for (const backend of backends()) {
      it(`${backend.name} equals js on the spam corpus, from views and from bare texts`, async () => {
        const texts = (await readJsonlGz(shared('corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz'))).map((d) => String(d.text));
        const views = texts.map((t) => new TextView(t));
        for (const spec of specs) {
          const js = featureBatch(views, spec, { backend: 'js' });
          for (const got of [featureBatch(views, spec, { backend, threads: 2 }), textFeatureBatch(texts, spec, { backend, threads: 2 })]) {
            assert.deepEqual(got.tokens, js.tokens);
            for (let d = 0; d < views.length; d++) assert.equal(featuresLine(String(d), got.counts, d), featuresLine(String(d), js.counts, d), `${spec.kind}/${spec.buckets} doc ${d}`);
          }
        }
      });
    }
  });

  it('ids are written as Python json.dumps writes them (non-ASCII escaped)', () => {
    const batch = featureBatch([new TextView('a b')], { kind: 'rpv2', buckets: 10 });
    assert.match(featuresLine('é/😀"', batch.counts, 0), /^\{"id": "\\u00e9\/\\ud83d\\ude00\\"", "nonzero": \[\[\d, \d\](, \[\d, \d\])*\]\}$/);
  });
});
