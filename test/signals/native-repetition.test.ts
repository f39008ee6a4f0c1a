/**
 * The native repetition kernel (native/src/repetition) against the JS path (`repetitionScores`):
 * the nine scores must be the same bits on every document of ../shared/corpus and on adversarial
 * word sequences, on the main thread and in worker threads; `SIEVE_BACKEND=js` selects the JS path.
 */

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';

import { REPETITION_KEYS, docFracCharsDupe5grams, docFracCharsTop2gram, repetitionScores, repetitionScoresFromSums } from '../../signals/repetition.js';
import { readDocuments } from '../../src/io/read-documents.js';
import { backendInfo, nativeRepetitionSums, unavailableBackends } from '../../src/native.js';
import type { RepetitionSums } from '../../src/native.js';
import { TextView } from '../../src/text/index.js';
import type { WordVocabulary } from '../../src/text/index.js';
import { seededRandom, shared, sieve, tempDir } from '../helpers.js';

type Vocabulary = Pick<WordVocabulary, 'ids' | 'counts' | 'lengths'>;

/** Runs `body` with SIEVE_BACKEND set to `backend` (unset for undefined), then restores it. */
function withBackend<T>(backend: string | undefined, body: () => T): T {
  const saved = process.env.SIEVE_BACKEND;
  if (backend === undefined) delete process.env.SIEVE_BACKEND;
  else process.env.SIEVE_BACKEND = backend;
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env.SIEVE_BACKEND;
    else process.env.SIEVE_BACKEND = saved;
  }
}

const missing = unavailableBackends().find((b) => b.name === 'cpu');
const skip = missing ? `cpu backend unavailable: ${missing.reason}` : false;
const kernel: RepetitionSums | undefined = missing ? undefined : withBackend('cpu', nativeRepetitionSums);

function nativeScores(vocabulary: Vocabulary): Float64Array {
  assert.ok(kernel);
  return repetitionScoresFromSums(vocabulary, kernel);
}

/** The bytes of both score arrays are equal: same bits, -0 and NaN included. */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

function assertSame(vocabulary: Vocabulary, what: string, hashMultiplier?: number): void {
  const js = repetitionScores(vocabulary, hashMultiplier);
  const native = nativeScores(vocabulary);
  if (!sameBits(js, native)) assert.fail(`${what}: native ${[...native].join(', ')} vs js ${[...js].join(', ')}`);
}

/** A vocabulary straight from a word-id sequence, with chosen code-point lengths per id. */
function vocabularyOf(ids: readonly number[], lengthOf: (id: number) => number = () => 1): Vocabulary {
  const types = ids.reduce((m, id) => Math.max(m, id + 1), 0);
  const counts = new Uint32Array(types);
  for (const id of ids) counts[id]++;
  return { ids: Uint32Array.from(ids), counts, lengths: Uint32Array.from({ length: types }, (_, id) => lengthOf(id)) };
}

/** `length` ids from `types` word types, with blocks of earlier text copied in so long repeats exist. */
function randomIds(random: () => number, length: number, types: number): number[] {
  const ids: number[] = [];
  while (ids.length < length) {
    if (ids.length > 4 && random() < 0.3) {
      const from = Math.floor(random() * (ids.length - 1));
      ids.push(...ids.slice(from, from + 1 + Math.floor(random() * Math.min(14, ids.length - from))));
    } else {
      ids.push(Math.floor(random() * types));
    }
  }
  return ids.slice(0, length);
}

// ---------------------------------------------------------------------------------------------
// Every text of ../shared/corpus: the text fields of JSON lines, whole text files, WARC/WET records.

const TEXT_FIELDS = ['text', 'contents', 'a', 'b'];

async function* corpusTexts(): AsyncGenerator<{ where: string; text: string }> {
  const root = shared('corpus');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();
  for (const file of files) {
    const path = join(root, file);
    const plain = (): string => (file.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path)).toString('utf8');
    if (/\.jsonl(\.gz)?$/.test(file)) {
      const lines = plain().split('\n');
      for (let l = 0; l < lines.length; l++) {
        if (lines[l] === '') continue;
        const record = JSON.parse(lines[l]) as Record<string, unknown>;
        for (const field of TEXT_FIELDS) {
          const text = record[field];
          if (typeof text === 'string') yield { where: `${file}:${l + 1} ${field}`, text };
        }
      }
    } else if (/\.txt(\.gz)?$|\.raw\.gz$/.test(file)) {
      yield { where: file, text: plain() };
    } else if (/\.(warc|wet)(\.gz)?$/.test(file)) {
      for await (const batch of readDocuments(path, { onError: 'skip', format: 'warc' })) {
        for (const doc of batch.documents) yield { where: `${file} ${doc.id}`, text: doc.text };
      }
    }
  }
}

describe('native repetition kernel', { skip }, () => {
  it('gives the JS bits on every document of ../shared/corpus', async () => {
    const mismatches: string[] = [];
    let documents = 0;
    let largest = 0;
    for await (const { where, text } of corpusTexts()) {
      const vocabulary = new TextView(text).vocabulary;
      documents++;
      largest = Math.max(largest, vocabulary.ids.length);
      const js = repetitionScores(vocabulary);
      const native = nativeScores(vocabulary);
      if (!sameBits(js, native)) mismatches.push(`${where}: native ${[...native].join(', ')} vs js ${[...js].join(', ')}`);
    }
    assert.deepEqual(mismatches.slice(0, 5), []);
    // Guards against the walk silently finding nothing: the corpus has over 230,000 texts, the
    // largest (wikitext-2's test split as one file) far beyond one reused work buffer.
    assert.ok(documents > 230_000, `only ${documents} texts found`);
    assert.ok(largest > 65_536, `largest text has only ${largest} words`);
  });

  it('empty, one word, and fewer words than any n-gram', () => {
    for (const ids of [[], [0], [0, 0], [0, 1], [0, 0, 0], [0, 1, 0, 1]]) assertSame(vocabularyOf(ids), JSON.stringify(ids));
    assert.deepEqual([...nativeScores(vocabularyOf([]))], new Array<number>(REPETITION_KEYS.length).fill(0));
    // Words of zero chars (never produced by TextView) leave a zero total: all scores are 0.
    assertSame(vocabularyOf([0, 0, 0, 0, 0, 0], () => 0), 'six empty words');
  });

  it('one word repeated, from 1 to 40 times and 100,000 times', () => {
    for (let n = 1; n <= 40; n++) assertSame(vocabularyOf(new Array<number>(n).fill(0), () => 3), `${n} × one word`);
    assertSame(vocabularyOf(new Array<number>(100_000).fill(0)), '100,000 × one word');
  });

  it('periodic texts: every period from 1 to 13, with and without a broken period', () => {
    for (let period = 1; period <= 13; period++) {
      for (const length of [period * 2, period * 2 + 1, 997, 20_000]) {
        const ids = Array.from({ length }, (_, i) => i % period);
        assertSame(vocabularyOf(ids, (id) => 1 + (id % 4)), `period ${period}, ${length} words`);
        ids[Math.floor(length / 2)] = period;
        assertSame(vocabularyOf(ids, (id) => 1 + (id % 4)), `period ${period}, ${length} words, one broken`);
      }
    }
  });

  it('equals the JS worst case, where every key hashes to one slot (multiplier 0)', () => {
    const random = seededRandom(31);
    for (let d = 0; d < 500; d++) {
      const ids = randomIds(random, Math.floor(random() * 300), 1 + Math.floor(random() * 12));
      assertSame(vocabularyOf(ids, (id) => 1 + (id % 5)), `doc ${d}: ${ids.join(' ')}`, 0);
    }
  });

  it('documents over 65,536 words (their own buffers) between small ones (the thread buffers)', () => {
    const random = seededRandom(2024);
    for (const length of [3000, 65_536, 10, 65_537, 300_000, 5, 40_000, 1_000_000, 2000]) {
      const ids = randomIds(random, length, 1 + Math.floor(random() * 2000));
      assertSame(vocabularyOf(ids, (id) => 1 + (id % 7)), `${length} words`);
    }
  });

  it('keeps sums above 2^32 exact: long words, many repeats', () => {
    // 200,000 words of up to 2^32 - 1 code points: totals near 2^49, n-gram numerators near 2^52.
    const random = seededRandom(77);
    const ids = randomIds(random, 200_000, 40);
    assertSame(vocabularyOf(ids, (id) => 0xffffffff - id * 1_000_003), 'long words');
    assertSame(vocabularyOf(new Array<number>(1_000).fill(0), () => 0xffffffff), 'one long word × 1,000');
  });

  it('reads ids, counts and lengths through typed-array views at an offset', () => {
    const v = vocabularyOf([3, 1, 2, 3, 1, 2, 3, 1, 2, 0, 3, 1], (id) => id + 1);
    const view = (a: Uint32Array): Uint32Array => {
      const backing = new Uint32Array(a.length + 5).fill(0xdead);
      backing.set(a, 3);
      return backing.subarray(3, 3 + a.length);
    };
    const shifted = { ids: view(v.ids), counts: view(v.counts), lengths: view(v.lengths) };
    assert.ok(sameBits(nativeScores(shifted), repetitionScores(v)));
  });

  it('rejects bad arguments with messages that name them', () => {
    assert.ok(kernel);
    const sums = kernel;
    const out = new Float64Array(10);
    const u = (...xs: number[]): Uint32Array => Uint32Array.from(xs);
    assert.throws(() => sums(u(0, 2), u(1, 1), u(1, 1), out), { name: 'TypeError', message: /ids must be below the lengths of counts and lengths, and below 2\^32 - 1 \(found id 2\)/ });
    assert.throws(() => sums(u(0, 1), u(1, 1), u(1), out), { name: 'TypeError', message: /ids must be below/ });
    assert.throws(() => sums(u(0), u(1), u(1), new Float64Array(9)), { name: 'TypeError', message: /out must hold 10 values/ });
    assert.throws(() => sums(Int32Array.from([0]) as unknown as Uint32Array, u(1), u(1), out), { name: 'TypeError', message: /ids must be a Uint32Array/ });
    assert.throws(() => sums(u(0), u(1), u(1), new Float32Array(10) as unknown as Float64Array), { name: 'TypeError', message: /out must be a Float64Array/ });
  });

  it('runs in two worker threads at once, each loading the addon', async () => {
    const random = seededRandom(9);
    const vocabularies = Array.from({ length: 40 }, (_, d) => vocabularyOf(randomIds(random, d % 2 === 0 ? 80_000 : 500, 300)));
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const addon = require(workerData.addon);
      parentPort.postMessage(workerData.vocabularies.map(({ ids, counts, lengths }) => {
        const out = new Float64Array(10);
        addon.repetition(ids, counts, lengths, out);
        return [...out];
      }));`;
    const run = (): Promise<number[][]> =>
      new Promise((resolve, reject) => {
        const worker = new Worker(source, { eval: true, workerData: { addon: backendInfo().addonPath, vocabularies } });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    const results = await Promise.all([run(), run()]);
    const expected = vocabularies.map((v) => {
      const out = new Float64Array(10);
      (kernel as RepetitionSums)(v.ids, v.counts, v.lengths, out);
      return [...out];
    });
    for (const sums of results) assert.deepEqual(sums, expected);
  });

  it('`sieve signals --workers 2` writes the same Parquet bytes as SIEVE_BACKEND=js', () => {
    // Three shards, so both pool threads compute at once (as in `sieve run`).
    const shards = [['web', 'web_docs'], ['quality', 'dclm_human_quality'], ['spam', 'spamassassin_spam_bodies']] as const;
    const inputs = shards.map(([dir, name]) => shared('corpus', dir, `${name}.jsonl.gz`));
    const outputs = [undefined, 'js'].map((backend) => {
      const out = tempDir();
      const r = withBackend(backend, () => sieve(['signals', ...inputs, '--signals', 'repetition', '--workers', '2', '--out', out]));
      assert.equal(r.status, 0, r.stderr);
      return out;
    });
    for (const [, name] of shards) {
      const [auto, js] = outputs.map((out) => readFileSync(join(out, `${name}.signals.parquet`)));
      assert.ok(auto.equals(js), `${name}.signals.parquet differs`);
    }
  });
});

describe('backend selection for the repetition signals', () => {
  it('SIEVE_BACKEND=js takes the JS path; without it the addon is used when built', () => {
    assert.equal(withBackend('js', nativeRepetitionSums), undefined);
    assert.equal(withBackend(undefined, nativeRepetitionSums) !== undefined, !missing);
  });

  it('the signals give the same values on either path', () => {
    const text = 'one two three four five six one two three four five six seven one two';
    const js = withBackend('js', () => [docFracCharsTop2gram(new TextView(text)), docFracCharsDupe5grams(new TextView(text))]);
    const auto = withBackend(undefined, () => [docFracCharsTop2gram(new TextView(text)), docFracCharsDupe5grams(new TextView(text))]);
    assert.deepEqual(auto, js);
    // "one two" thrice: 6 × 3 / 55 chars; the two copies of the six-word block: 44 / 55.
    assert.deepEqual(js, [0.32727273, 0.8]);
  });
});
