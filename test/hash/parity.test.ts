import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { bandsOf, dsirBatch, featuresOf, minhashBands, minhashBatch } from '../../src/hash/index.js';
import type { MinhashDocBands } from '../../src/hash/index.js';
import { TextView } from '../../src/text/index.js';
import { readJsonlGz, shared } from '../helpers.js';
import { backends, skipAbsent } from './backends.js';

/** The three corpora and their reference outputs (../shared/reference/README.md). */
const CORPORA = [
  { name: 'web_docs', input: ['corpus', 'web', 'web_docs.jsonl.gz'] },
  { name: 'dclm_human_quality', input: ['corpus', 'quality', 'dclm_human_quality.jsonl.gz'] },
  { name: 'spamassassin_spam_bodies', input: ['corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz'] },
];

type RefMinhash = Record<string, string[] | null>;

function asHex(bands: MinhashDocBands | null): RefMinhash | null {
  if (bands === null) return null;
  return Object.fromEntries(Object.entries(bands).map(([k, v]) => [k, (v as Uint8Array[]).map((b) => Buffer.from(b).toString('hex'))]));
}

describe('hash: parity with the reference on every corpus document', () => {
  for (const corpus of CORPORA) {
    describe(corpus.name, async () => {
      const docs = await readJsonlGz(shared(...corpus.input));
      const signals = await readJsonlGz(shared('reference', `${corpus.name}.signals.jsonl.gz`));
      const dsir = await readJsonlGz(shared('reference', `${corpus.name}.dsir_hash_features.jsonl.gz`));
      const views = docs.map((d) => new TextView(d.text as string));
      const mb = minhashBatch(views);
      const db = dsirBatch(views);

      it('reference files line up with the corpus', () => {
        assert.equal(signals.length, docs.length);
        assert.equal(dsir.length, docs.length);
        docs.forEach((d, i) => {
          assert.equal(signals[i].id, d.id);
          assert.equal(dsir[i].id, d.id);
        });
      });

      skipAbsent(`MinHash bands and DSIR buckets of ${corpus.name}`);
      for (const backend of backends()) {
        it(`${backend.name}: MinHash bands equal the reference minhash field (${docs.length} docs, UTF-8 batch and TextView API)`, async () => {
          const fromBytes = bandsOf(await backend.minhashSignatures(mb, { threads: 2 }));
          const fromViews = minhashBands(views, { backend, threads: 1 });
          let nulls = 0;
          for (let i = 0; i < docs.length; i++) {
            const ref = signals[i].minhash as RefMinhash;
            const expected = ref['signature_sim1.0'] === null ? null : ref;
            if (expected === null) nulls++;
            assert.deepEqual(asHex(fromBytes[i]), expected, `${corpus.name} doc ${i} (${String(docs[i].id)})`);
            assert.deepEqual(asHex(fromViews[i]), expected, `${corpus.name} doc ${i} (${String(docs[i].id)}), views`);
          }
          assert.ok(nulls < docs.length);
        });

        it(`${backend.name}: DSIR buckets equal the reference nonzero lists (${docs.length} docs)`, async () => {
          const features = featuresOf(await backend.dsirBuckets(db, { threads: 2 }));
          for (let i = 0; i < docs.length; i++) {
            const expected = dsir[i].nonzero as [number, number][];
            assert.deepEqual(
              features[i].map((f) => [f.bucket, f.count]),
              expected,
              `${corpus.name} doc ${i} (${String(docs[i].id)})`,
            );
          }
        });
      }
    });
  }
});
