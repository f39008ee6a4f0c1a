import { after, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';

import { readDocuments } from '../../src/io/read-documents.js';
import { backendInfo, nativeText, setNativeIsa, unavailableBackends } from '../../src/native.js';
import { scanText, scanTextJs, scanTextNative } from '../../src/text/scan.js';
import { scanVocabulary, scanVocabularyNative } from '../../src/text/text-view.js';
import type { WordVocabulary } from '../../src/text/text-view.js';
import { ROOT, seededRandom, shared } from '../helpers.js';

/*
 * The addon's scan and vocabulary (native/src/text) against the JS ones, field by field: on every
 * document of the shared corpora, on every BMP unit and the astral planes, and on edge cases.
 */

const native = nativeText() !== null;
const skip = native ? false : `the native scan is unavailable: ${unavailableBackends().find((b) => b.name === 'cpu')?.reason ?? 'SIEVE_BACKEND=js'}`;

/** Every text field of the shared corpora, by file; plain-text files are one document each. */
const CORPORA: readonly { readonly path: readonly string[]; readonly textField?: string }[] = [
  { path: ['corpus', 'web', 'web_docs.jsonl.gz'] },
  { path: ['corpus', 'quality', 'dclm_human_quality.jsonl.gz'] },
  { path: ['corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz'] },
  { path: ['corpus', 'langid', 'udhr.jsonl.gz'] },
  { path: ['corpus', 'langid', 'lingua_langid_testdata.jsonl.gz'] },
  { path: ['corpus', 'reference', 'moby_dick_chapters.jsonl.gz'] },
  { path: ['corpus', 'reference', 'sotu_addresses.jsonl.gz'] },
  { path: ['corpus', 'reference', 'wikitext2_raw_test_articles.jsonl.gz'] },
  { path: ['corpus', 'reference', 'dsir_toy', 'toy_pile_data.jsonl.gz'], textField: 'contents' },
  { path: ['corpus', 'reference', 'dsir_toy', 'toy_target_data.jsonl'], textField: 'contents' },
  { path: ['corpus', 'web', 'originals', 'cc_whirlwind.warc.wet.gz'] },
  { path: ['corpus', 'web', 'originals', 'ccnet_sample.warc.wet'] },
];
const PLAIN_TEXTS = ['botchan_gutenberg_en.txt.gz', 'wagahaiwa_nekodearu_aozora_ja.txt.gz', 'wikitext-2-raw_wiki.test.raw.gz'];

/** The fields of a vocabulary, its lazily made words included. */
function fields(v: WordVocabulary): unknown {
  return { ids: v.ids, counts: v.counts, lengths: v.lengths, firstStarts: v.firstStarts, unitLengths: v.unitLengths, words: v.words };
}

/** Asserts that the native scan of `text`, and the native vocabulary of its normalized text, equal the JS ones. */
function sameScan(text: string, what: string): void {
  const got = scanTextNative(text);
  assert.ok(got !== null, what);
  assert.deepStrictEqual(got, scanTextJs(text), what);
  const { text: normalized, wordStarts, hasSurrogates } = got.normalized;
  const vocabulary = scanVocabularyNative(normalized, wordStarts, hasSurrogates);
  assert.ok(vocabulary !== null, what);
  assert.deepStrictEqual(fields(vocabulary), fields(scanVocabulary(normalized, wordStarts, hasSurrogates)), what);
}

describe('native scanText and vocabulary: equal to the JS ones', { skip }, () => {
  for (const corpus of CORPORA) {
    const name = corpus.path[corpus.path.length - 1];
    it(`on every document of ${name}`, async () => {
      let docs = 0;
      for await (const batch of readDocuments(shared(...corpus.path), { textField: corpus.textField })) {
        for (const doc of batch.documents) {
          docs++;
          sameScan(doc.text, `${name}: ${doc.id}`);
        }
      }
      assert.ok(docs > 0);
    });
  }

  it('on the plain-text references, whole', () => {
    for (const name of PLAIN_TEXTS) {
      sameScan(gunzipSync(readFileSync(shared('corpus', 'reference', name))).toString('utf8'), name);
    }
  });

  it('on every BMP unit, alone and in the contexts that change its handling', () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `A${ch}b ${ch}${ch}\u0316 x${ch}\n`, `Σ${ch}\ud83d\ude00${ch}`, `\u0301${ch}\u0323\r\n`]) {
        sameScan(s, `U+${c.toString(16)} in ${JSON.stringify(s)}`);
      }
    }
  });

  it('on astral code points (every 61st), between letters and marks', () => {
    for (let cp = 0x10000; cp <= 0x10ffff; cp += 61) {
      const ch = String.fromCodePoint(cp);
      for (const s of [ch, `a${ch}B ${ch}${ch}\u0301 ${ch}1\n`]) sameScan(s, `U+${cp.toString(16)} in ${JSON.stringify(s)}`);
    }
  });

  it('edge cases: empty text, lines, CRLF, surrogates, final sigma, marks at expansion boundaries', () => {
    const cases = [
      '',
      'a',
      '\n',
      '\n\n',
      'no trailing newline',
      'trailing newline\n',
      'crlf\r\nlines\r\n\r\nend',
      '  \t leading and trailing whitespace \u3000 ',
      'punctuation... only? !!!',
      '!!!',
      'Ünïcödé and ǅ titlecase, ß, İstanbul, ﬁ ligature, ½ ² Ⅻ 三',
      'emoji 😀 pairs 𝐀𝐁 and 𐐀 Deseret upper',
      '\ud83d\ude00',
      '\ufa6c CJK compatibility ideograph with an astral decomposition',
      // Non-starters meeting at an expansion, out of order and in order; punctuation between them.
      'é\u0316 e\u0301\u0316 Ǖ\u0323 a\u0323\u0301 é,\u0323',
      'ΑΣ final sigma, ΑΣΑ, Α.Σ',
      'lone high \ud83d here, lone low \ude00 here, \ude00\ud83d reversed, high at the end \ud83d',
    ];
    for (const s of cases) {
      sameScan(s, JSON.stringify(s));
      assert.deepStrictEqual(scanText(s), scanTextJs(s), JSON.stringify(s));
    }
  });

  it('long texts grow the scratch buffers (expansions longer than the text included)', () => {
    for (const s of ['ǕÉ '.repeat(50_000) + 'ΐ'.repeat(10_000), 'word '.repeat(300_000), 'ﬃ'.repeat(70_000), '😀'.repeat(40_000)]) {
      sameScan(s, `${s.slice(0, 10)}… (${s.length})`);
    }
  });

  it('vocabulary: many distinct words grow the table; words that share hashes stay apart; surrogates count once', () => {
    const distinct = Array.from({ length: 50_000 }, (_, k) => `w${k}x${k % 7}`).join(' ');
    const cases = [distinct, `${distinct} ${distinct}`, 'ab ba abab baba a b aa', '😀 😀x x😀 \ud83d \ud83d\ude00', 'é e\u0301 é', ''];
    for (const text of cases) {
      const { text: normalized, wordStarts, hasSurrogates } = scanTextJs(text).normalized;
      const vocabulary = scanVocabularyNative(normalized, wordStarts, hasSurrogates);
      assert.ok(vocabulary !== null);
      // With every word hashed alike, the JS vocabulary compares units at every probe.
      assert.deepStrictEqual(fields(vocabulary), fields(scanVocabulary(normalized, wordStarts, hasSurrogates, 0)), text.slice(0, 40));
    }
  });

  it('vocabulary: words of 1 to 40 units, around the 4-unit lanes and the 12 units read at once, the last one at the text\'s end', () => {
    const vocabulary = nativeText()?.vocabulary;
    assert.ok(vocabulary);
    /** The native vocabulary of `text` split at `wordStarts`, hashed with `hashMask`, as `fields` gives it. */
    const nativeFields = (text: string, wordStarts: Uint32Array, surrogates: boolean, hashMask?: number): unknown => {
      const words = wordStarts.length - 1;
      const [ids, firstStarts, unitLengths, counts, lengths] = Array.from({ length: 5 }, () => new Uint32Array(words));
      const distinct = vocabulary(text, wordStarts, surrogates, ids, firstStarts, unitLengths, counts, lengths, hashMask);
      const units = unitLengths.slice(0, distinct);
      const starts = firstStarts.slice(0, distinct);
      const wordList = Array.from(units, (length, id) => text.slice(starts[id], starts[id] + length));
      return { ids, counts: counts.slice(0, distinct), lengths: surrogates ? lengths.slice(0, distinct) : units, firstStarts: starts, unitLengths: units, words: wordList };
    };
    const random = seededRandom(7);
    for (let length = 1; length <= 40; length++) {
      const base = Array.from({ length }, (_, k) => String.fromCharCode(97 + ((k * 7) % 26))).join('');
      // Equal words, and words that differ from them in one unit (first, last, at a lane seam) or
      // by one unit more or less, or by a NUL unit (which masking must not confuse with the end).
      const variants = [base, `${base}\0`, `${base}x`];
      if (length > 1) variants.push(base.slice(0, -1));
      for (const at of [0, 3, 4, 7, 8, 11, 12, 13, 15, 16, length - 1]) {
        if (at >= 0 && at < length) variants.push(`${base.slice(0, at)}Z${base.slice(at + 1)}`);
      }
      const picks = Array.from({ length: 60 }, () => variants[Math.floor(random() * variants.length)]);
      for (const last of [base, `${base}\0`, `${base.slice(0, -1)}\ud83d\ude00`]) {
        const words = [...picks, ...variants, last];
        const text = words.join(' ');
        const wordStarts = new Uint32Array(words.length + 1);
        for (let w = 0; w < words.length; w++) wordStarts[w + 1] = wordStarts[w] + words[w].length + 1;
        const surrogates = /[\ud800-\udfff]/.test(text);
        const expected = fields(scanVocabulary(text, wordStarts, surrogates));
        const what = `length ${length}, last ${JSON.stringify(last)}`;
        assert.deepStrictEqual(nativeFields(text, wordStarts, surrogates), expected, what);
        // Every word in one hash: each probe walks past the other words and compares their units.
        assert.deepStrictEqual(nativeFields(text, wordStarts, surrogates, 0), expected, `${what}, one hash`);
        // The text alone, so that the last word ends where the text does.
        const alone = new Uint32Array([0, last.length + 1]);
        assert.deepStrictEqual(nativeFields(last, alone, surrogates), fields(scanVocabulary(last, alone, surrogates)), `${what}, alone`);
      }
    }
    // Enough distinct words, all in one hash, to grow the table: the moved ids keep apart too.
    const words = Array.from({ length: 6000 }, (_, k) => `w${(k * 7) % 3000}${'y'.repeat(k % 17)}`);
    const text = words.join(' ');
    const wordStarts = new Uint32Array(words.length + 1);
    for (let w = 0; w < words.length; w++) wordStarts[w + 1] = wordStarts[w] + words[w].length + 1;
    assert.deepStrictEqual(nativeFields(text, wordStarts, false, 0), fields(scanVocabulary(text, wordStarts, false)), 'growth, one hash');
  });

  it('vocabulary: empty words (which normalized texts never have) are one word, at the text\'s end too', () => {
    const vocabulary = nativeText()?.vocabulary;
    assert.ok(vocabulary);
    const [ids, firstStarts, unitLengths, counts] = Array.from({ length: 4 }, () => new Uint32Array(4));
    // 'a', '', 'a', '' in 'a  a ' (the last word ends at the text's end).
    assert.equal(vocabulary('a  a ', new Uint32Array([0, 2, 3, 5, 6]), false, ids, firstStarts, unitLengths, counts, new Uint32Array(0)), 2);
    assert.deepEqual([...ids, ...firstStarts.slice(0, 2), ...unitLengths.slice(0, 2), ...counts.slice(0, 2)], [0, 1, 0, 1, 0, 2, 1, 0, 2, 2]);
  });

  it('vocabulary: word starts outside the text are refused', () => {
    const vocabulary = nativeText()?.vocabulary;
    assert.ok(vocabulary);
    const out = (): Uint32Array => new Uint32Array(4);
    assert.throws(() => vocabulary('ab cd', new Uint32Array([0, 3, 9]), false, out(), out(), out(), out(), out()), /outside the text/);
    assert.throws(() => vocabulary('ab cd', new Uint32Array([3, 1]), false, out(), out(), out(), out(), out()), /outside the text/);
    assert.throws(() => vocabulary('ab cd', new Uint32Array([0, 3, 6]), false, new Uint32Array(1), out(), out(), out(), out()), /ids must have/);
  });
});

/** A text of `n` units drawn from `alphabet` (one unit per entry) by the seeded generator `random`. */
function randomText(random: () => number, n: number, alphabet: readonly string[]): string {
  let s = '';
  for (let k = 0; k < n; k++) s += alphabet[Math.floor(random() * alphabet.length)];
  return s;
}

/*
 * The native scan handles runs of ASCII units in blocks of 64 where the CPU allows (AVX-512 VBMI2),
 * unit by unit elsewhere: both paths, forced in turn, against the JS scan, at the block edges.
 */
const BLOCK = 64;
const ASCII_WORDS = ['a', 'B', 'cd', 'Ef', 'x9', '42', ' ', '  ', '\n', '\t', '.', ',', '!?', '_', '-', "'", '\r\n', '\u0001', '\u007f', 'ZZ'];
/** Non-ASCII units of each handling: inert (punctuation, CJK), written as expansions, unknown on first sight, surrogates. */
const NON_ASCII = ['\u2019', '\u65e5', 'é', 'É', '\u00a0', '\u3000', '\u0301', 'Σ', '\ud83d\ude00', '\ud83d', '\ue000', '\u0100'];

describe('native scanText: every ISA path, at the edges of its blocks', { skip }, () => {
  after(() => setNativeIsa(undefined));
  const features = backendInfo().cpuFeatures;
  const levels: { readonly label: string; readonly isa: readonly string[] | undefined; readonly path: RegExp }[] = [
    { label: 'portable code', isa: [], path: /^portable$/ },
    ...(features.includes('avx512vbmi2')
      ? [{ label: 'AVX-512 VBMI2 blocks', isa: ['avx2', 'avx512f', 'avx512bw', 'avx512vbmi2'], path: /^avx512vbmi2/ }]
      : []),
    // Everything but VBMI2 takes the portable path.
    ...(features.includes('avx512bw') ? [{ label: 'AVX-512 BW without VBMI2', isa: ['avx2', 'avx512f', 'avx512bw'], path: /^portable$/ }] : []),
  ];

  for (const { label, isa, path } of levels) {
    it(`${label}: lengths around the block, whitespace only, and tokens, words and lines across block edges`, () => {
      const paths = setNativeIsa(isa);
      assert.ok(paths);
      assert.match(paths.scanText ?? '', path);
      const random = seededRandom(7);
      const cases = ['', ' ', '\n', 'a'];
      for (let n = 1; n <= 3 * BLOCK + 2; n++) {
        cases.push(randomText(random, n, ASCII_WORDS).slice(0, n));
        cases.push(' '.repeat(n), '\n'.repeat(n), 'a'.repeat(n), '.'.repeat(n), 'A.'.repeat(n).slice(0, n), `  ${'w'.repeat(n)}  `, `\n${'ab '.repeat(n)}\n`);
      }
      // A line feed, a space, a class change and a word start at every position of two blocks.
      for (let p = 0; p < 2 * BLOCK + 1; p++) {
        const base = 'word '.repeat(30);
        for (const unit of ['\n', ' ', '.', 'Q', '7']) cases.push(base.slice(0, p) + unit + base.slice(p + 1));
      }
      for (let k = 0; k < 200; k++) cases.push(randomText(random, 1 + Math.floor(random() * 400), ASCII_WORDS));
      for (const s of cases) sameScan(s, `${label}: ${JSON.stringify(s.slice(0, 80))} (${s.length})`);
    });

    it(`${label}: a non-ASCII unit at every position of a block, alone and in runs`, () => {
      assert.ok(setNativeIsa(isa));
      const random = seededRandom(11);
      const base = randomText(random, 3 * BLOCK, ASCII_WORDS).slice(0, 3 * BLOCK);
      for (const unit of NON_ASCII) {
        for (let p = 0; p <= 2 * BLOCK; p++) {
          sameScan(base.slice(0, p) + unit + base.slice(p), `${label}: U+${unit.charCodeAt(0).toString(16)} at ${p}`);
          sameScan(`${base.slice(0, p)}${unit.repeat(1 + (p % 70))} ${base.slice(p)}`, `${label}: a run of U+${unit.charCodeAt(0).toString(16)} at ${p}`);
        }
      }
      const mixed = [...ASCII_WORDS, ...NON_ASCII];
      for (let k = 0; k < 300; k++) sameScan(randomText(random, 1 + Math.floor(random() * 300), mixed), `${label}: mixed text ${k}`);
    });

    it(`${label}: every document of web_docs.jsonl.gz`, async () => {
      assert.ok(setNativeIsa(isa));
      for await (const batch of readDocuments(shared('corpus', 'web', 'web_docs.jsonl.gz'))) {
        for (const doc of batch.documents) sameScan(doc.text, `${label}: ${doc.id}`);
      }
    });
  }
});

/** The built scan module, which worker threads load (tsx does not reach into them). */
const BUILT_SCAN = join(ROOT, 'dist', 'src', 'text', 'scan.js');

/** Runs `code`, given the built scan module as `m`, in a worker thread with `env`; returns what it posts. */
async function inWorker(code: string, env: NodeJS.ProcessEnv): Promise<unknown> {
  const scan = JSON.stringify(pathToFileURL(BUILT_SCAN).href);
  const worker = new Worker(`const { parentPort } = require('node:worker_threads'); import(${scan}).then((m) => { ${code} });`, { eval: true, env });
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

describe('native scanText in worker threads and under SIEVE_BACKEND', { skip: existsSync(BUILT_SCAN) ? false : `${BUILT_SCAN} is missing: run npm run build` }, () => {
  it('a worker loads the addon itself and classifies units it has not seen, with the JS results', { skip }, async () => {
    const texts = ['Grüße aus Köln, ÇA VA? ½ ² 😀 𝐀', 'Ελληνικά κείμενα και 日本語のテキスト', 'plain ascii\r\nlines\n'];
    const got = (await inWorker(
      `parentPort.postMessage(${JSON.stringify(texts)}.map((t) => m.scanTextNative(t)));`,
      process.env,
    )) as unknown[];
    assert.deepStrictEqual(
      got,
      texts.map((t) => scanTextJs(t)),
    );
  });

  it('SIEVE_BACKEND=js forces the JS scan', async () => {
    const got = await inWorker(`parentPort.postMessage([m.scanTextNative('abc'), m.scanText('abc').normalized.text]);`, { ...process.env, SIEVE_BACKEND: 'js' });
    assert.deepStrictEqual(got, [null, 'abc']);
  });
});
