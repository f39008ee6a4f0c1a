import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';

import {
  REPETITION_KEYS,
  docFracCharsDupe10grams,
  docFracCharsDupe5grams,
  docFracCharsDupe6grams,
  docFracCharsDupe7grams,
  docFracCharsDupe8grams,
  docFracCharsDupe9grams,
  docFracCharsTop2gram,
  docFracCharsTop3gram,
  docFracCharsTop4gram,
  repetition,
  repetitionScores,
} from '../../signals/repetition.js';
import { TextView, round8 } from '../../src/text/index.js';
import { readJsonlGz, seededRandom, shared } from '../helpers.js';

type Key = (typeof REPETITION_KEYS)[number];

const FUNCTIONS: Record<Key, (view: TextView) => number> = {
  rps_doc_frac_chars_top_2gram: docFracCharsTop2gram,
  rps_doc_frac_chars_top_3gram: docFracCharsTop3gram,
  rps_doc_frac_chars_top_4gram: docFracCharsTop4gram,
  rps_doc_frac_chars_dupe_5grams: docFracCharsDupe5grams,
  rps_doc_frac_chars_dupe_6grams: docFracCharsDupe6grams,
  rps_doc_frac_chars_dupe_7grams: docFracCharsDupe7grams,
  rps_doc_frac_chars_dupe_8grams: docFracCharsDupe8grams,
  rps_doc_frac_chars_dupe_9grams: docFracCharsDupe9grams,
  rps_doc_frac_chars_dupe_10grams: docFracCharsDupe10grams,
};

/** All nine values of a text, each through its own exported function on a fresh view. */
function ours(text: string): number[] {
  return REPETITION_KEYS.map((key) => FUNCTIONS[key](new TextView(text)));
}

/** [top2, top3, top4, dupe5..dupe10] */
function expectAll(text: string, expected: readonly number[]): void {
  assert.deepEqual(ours(text), expected, JSON.stringify(text));
}

// ---------------------------------------------------------------------------------------------
// Brute force, straight from the spec (§3.3) on word strings: obviously correct, slow.
// Words never contain a space, so joining with ' ' keys n-grams without ambiguity.

function bruteTop(words: readonly string[], n: number): number {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const key = words.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // Map iterates in insertion order = first occurrence; strict > keeps the first maximum.
  let best: string | undefined;
  let bestCount = 0;
  for (const [key, count] of counts) {
    if (count > bestCount) {
      best = key;
      bestCount = count;
    }
  }
  if (best === undefined || bestCount <= 1) return 0;
  const total = words.reduce((s, w) => s + [...w].length, 0);
  const chars = best.split(' ').reduce((s, w) => s + [...w].length, 0);
  return round8((chars * bestCount) / total);
}

function bruteDupe(words: readonly string[], n: number): number {
  if (words.length < n) return 0;
  const counts = new Map<string, number>();
  const grams: string[] = [];
  for (let i = 0; i + n <= words.length; i++) {
    const key = words.slice(i, i + n).join(' ');
    grams.push(key);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const marked = new Array<boolean>(words.length).fill(false);
  grams.forEach((key, i) => {
    if ((counts.get(key) ?? 0) >= 2) for (let j = i; j < i + n; j++) marked[j] = true;
  });
  let total = 0;
  let dupe = 0;
  words.forEach((w, i) => {
    const len = [...w].length;
    total += len;
    if (marked[i]) dupe += len;
  });
  return total === 0 ? 0 : round8(dupe / total);
}

function brute(words: readonly string[]): number[] {
  return [2, 3, 4].map((n) => bruteTop(words, n)).concat([5, 6, 7, 8, 9, 10].map((n) => bruteDupe(words, n)));
}

// Already normalized words (lower case, no ASCII punctuation, NFD), with astral and combining
// characters so code-point lengths differ from UTF-16 lengths.
const ALPHABET = ['a', 'bb', 'ccc', 'e\u0301t\u0301e\u0301', '😀', 'x😀y', 'dddd', 'f'];

function randomWords(random: () => number): string[] {
  const vocabulary = 1 + Math.floor(random() * ALPHABET.length);
  const count = Math.floor(random() * (random() < 0.5 ? 16 : 80));
  // A random base pattern, sometimes copied with small edits, so long repeats are common.
  const words: string[] = [];
  while (words.length < count) {
    if (words.length > 4 && random() < 0.3) {
      const from = Math.floor(random() * (words.length - 1));
      const len = 1 + Math.floor(random() * Math.min(14, words.length - from));
      words.push(...words.slice(from, from + len));
    } else {
      words.push(ALPHABET[Math.floor(random() * vocabulary)]);
    }
  }
  return words.slice(0, count);
}

// ---------------------------------------------------------------------------------------------

describe('repetition family', () => {
  it('lists the nine doc-level f64 signals under their RPv2 keys', () => {
    assert.equal(repetition.id, 'repetition');
    assert.equal(repetition.version, 1);
    assert.deepEqual(
      repetition.signals.map((s) => s.name).sort(),
      [...REPETITION_KEYS].sort(),
    );
    for (const s of repetition.signals) {
      assert.equal(s.level, 'doc');
      assert.equal(s.type, 'f64');
      assert.equal(s.compute, FUNCTIONS[s.name as Key]);
    }
  });

  it('each function agrees with the memoised batch, in any call order', () => {
    const text = 'x y z x y z x y z w x y z x y z q';
    const view = new TextView(text);
    const reversed = [...REPETITION_KEYS].reverse().map((key) => FUNCTIONS[key](view)).reverse();
    assert.deepEqual(reversed, [...repetitionScores(new TextView(text).vocabulary)]);
    assert.deepEqual(ours(text), reversed);
  });
});

describe('rps_doc_frac_chars_top_{2,3,4}gram', () => {
  it('"a a a": overlapping occurrences double-count, so the 2-gram scores 2 chars × 2 / 3 > 1', () => {
    expectAll('a a a', [1.33333333, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('a tie goes to the n-gram whose first occurrence comes first, not the first to repeat', () => {
    // 2-grams: (aaa b)@0, (b c)@1, (c d)@2, (d c)@3, (c d)@4, (d aaa)@5, (aaa b)@6.
    // "aaa b" and "c d" both occur twice; "c d" repeats first, "aaa b" occurs first:
    // 4 chars × 2 / 12 total. The wrong pick would give 2 × 2 / 12.
    expectAll('aaa b c d c d aaa b', [0.66666667, 0, 0, 0, 0, 0, 0, 0, 0]);
    // First occurrence beats lexicographic order: "zzz r"@0 vs "r s"@1, both twice: 4 × 2 / 12.
    expectAll('zzz r s t r s zzz r', [0.66666667, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('the most frequent n-gram wins over an earlier, longer one', () => {
    // "long x"@0 twice (5 chars); "a b"@2 three times (2 chars): 2 × 3 / total.
    // words: long x a b a b a b long x → chars 4+1+1+1+1+1+1+1+4+1 = 16.
    // 3-grams: "a b a" ×2, "b a b" ×2 → first "a b a" (3 chars): 3 × 2 / 16.
    // 4-grams: "a b a b" ×2 (4 chars): 4 × 2 / 16.
    expectAll('long x a b a b a b long x', [0.375, 0.375, 0.5, 0, 0, 0, 0, 0, 0]);
  });

  it('a top count of 1, or fewer words than n, gives 0', () => {
    expectAll('a b c d', [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expectAll('solo', [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expectAll('a a', [0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('chars are code points of normalized words: NFD marks count, astral characters count once', () => {
    // "Été 😀 Été 😀" → ["e\u0301te\u0301", "😀", ...]: words of 5 and 1 code points, total 12.
    // top 2-gram "été 😀" (6 chars) twice → 12/12; top 3-gram "été 😀 été" once → 0.
    expectAll('Été 😀 Été 😀', [1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('rps_doc_frac_chars_dupe_{5..10}grams', () => {
  it('marks every word of every occurrence of a repeated n-gram, each character once', () => {
    // 5-gram "a b c d e" at 0 and 6: 10 of 11 chars; no 6-gram repeats.
    expectAll('a b c d e x a b c d e', [0.36363636, 0.54545455, 0.72727273, 0.90909091, 0, 0, 0, 0, 0]);
    // 7 × "a": the 5-gram occurs at 0, 1, 2 and covers all 7 words once (1, not more); the
    // 6-gram occurs twice; the 7-gram once; larger ones do not fit. Top n-grams: n × (8 - n) / 7.
    expectAll('a a a a a a a', [1.71428571, 2.14285714, 2.28571429, 1, 1, 0, 0, 0, 0]);
  });

  it('counts word lengths, not words', () => {
    // "xx y z w v" at 0 and 6 (6 chars each), "tail" uncovered: 12 / (12 + 1 + 4) chars.
    const text = 'xx y z w v q xx y z w v tail';
    assert.equal(docFracCharsDupe5grams(new TextView(text)), round8(12 / 17));
    assert.equal(docFracCharsDupe6grams(new TextView(text)), 0);
  });

  it('an n-gram seen once, or fewer words than n, gives 0', () => {
    // Period 3: n-grams up to 3 words repeat, none longer (6 words: top 2-gram "a b" 2 × 2 / 6).
    expectAll('a b c a b c', [0.66666667, 1, 0, 0, 0, 0, 0, 0, 0]);
    // 9 × "a": the n-gram occurs 10 - n times, so n ≤ 8 repeats, 9 occurs once, 10 does not fit.
    expectAll('a a a a a a a a a', [1.77777778, 2.33333333, 2.66666667, 1, 1, 1, 1, 0, 0]);
  });

  it('a repeated 10-gram covers both copies; larger periods leave the middle out', () => {
    const ten = 'w1 w2 w3 w4 w5 w6 w7 w8 w9 w10';
    // w1..w9 are 2 chars and w10 is 3: 21 chars per copy, plus 3 for "mid", 45 in all.
    const text = `${ten} mid ${ten}`;
    assert.equal(docFracCharsDupe10grams(new TextView(text)), round8(42 / 45));
    assert.equal(docFracCharsDupe5grams(new TextView(text)), round8(42 / 45));
    assert.equal(docFracCharsTop4gram(new TextView(text)), round8((8 * 2) / 45));
  });

  it('rounds half to even like Python: 6 / 3072 = 0.001953125 → 0.00195312', () => {
    // "a" × 6 gives one 5-gram at 0 and 1 (6 chars covered); then distinct fillers to 3072 chars:
    // w0..w9 (20 chars), w10..w99 (270), w100..w793 (2776).
    const fillers = Array.from({ length: 794 }, (_, i) => `w${i}`);
    const text = `a a a a a a ${fillers.join(' ')}`;
    const view = new TextView(text);
    assert.equal(view.normalizedWords.reduce((s, w) => s + w.length, 0), 3072);
    assert.equal(docFracCharsDupe5grams(view), 0.00195312);
    assert.equal(docFracCharsDupe6grams(view), 0);
    // "a a" × 5 → 10 / 3072 = 0.00325520833… → 0.00325521.
    assert.equal(docFracCharsTop2gram(view), 0.00325521);
  });
});

describe('degenerate texts', () => {
  it('empty and whitespace-only texts give 0 everywhere', () => {
    for (const text of ['', '  \n\n \n', '!!! ... ---']) expectAll(text, [0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('words made only of punctuation vanish before counting', () => {
    // "a - a - a" normalizes to "a a a" (the dashes are deleted, the spaces collapse).
    expectAll('a - a - a', [1.33333333, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('hash table', () => {
  it('keeps different n-grams apart when every key lands in the same slot', () => {
    const random = seededRandom(7);
    for (let d = 0; d < 300; d++) {
      const words = randomWords(random);
      const view = new TextView(words.join(' '));
      assert.deepEqual([...repetitionScores(view.vocabulary, 0)], brute(words), words.join(' '));
    }
  });

  it('many distinct n-grams with few repeats, and many repeats, in one long document', () => {
    const random = seededRandom(99);
    // 60,000 words from 400 word types: nearly every 3-gram is distinct, nearly every 2-gram isn't;
    // then an 8,000-word block copied verbatim, so long repeats exist too.
    const words = Array.from({ length: 60_000 }, () => `t${Math.floor(random() * 400)}`);
    words.push(...words.slice(10_000, 18_000));
    const view = new TextView(words.join(' '));
    const expected = brute(words);
    assert.deepEqual([...repetitionScores(view.vocabulary)], expected);
    assert.deepEqual(ours(words.join(' ')), expected);
  });

  it('reused work buffers carry nothing from one document to the next, as they grow and shrink', () => {
    const random = seededRandom(5);
    for (const length of [3000, 10, 40_000, 300, 5, 2000]) {
      const words = Array.from({ length }, () => `v${Math.floor(random() * 50)}`);
      for (let k = 0; k < length / 20; k++) words.push(...words.slice(k * 7, k * 7 + 12));
      const view = new TextView(words.join(' '));
      assert.deepEqual([...repetitionScores(view.vocabulary)], brute(words), `length ${length}`);
    }
  });

  it('exact on 2,000 random documents from small vocabularies (seeded)', () => {
    const random = seededRandom(20240601);
    for (let d = 0; d < 2000; d++) {
      const words = randomWords(random);
      const text = words.join(' ');
      assert.deepEqual(new TextView(text).normalizedWords, words);
      assert.deepEqual(ours(text), brute(words), `doc ${d}: ${JSON.stringify(text)}`);
    }
  });
});

describe('spec Appendix B vectors', () => {
  const vectors: Array<[string, string, number[]]> = [
    ['empty', '', [0, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['blank_lines', '  \n\n \n', [0, 0, 0, 0, 0, 0, 0, 0, 0]],
    [
      'mixed_en',
      'The QUICK brown fox... jumps over the lazy dog!\n\u2022 Item one costs 100 dollars\n  \u2013 Item two: enable JavaScript, javascript is required.\nLorem ipsum dolor sit amet { code } \u2026\nTHE END \u201d\nEmoji \ud83d\ude00 line #tag #tag2\n',
      [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ],
    [
      'repetitive',
      'one two three four five six seven eight nine ten eleven twelve thirteen one two three four five six seven eight nine ten eleven twelve thirteen fourteen',
      [0.0952381, 0.17460317, 0.23809524, 0.93650794, 0.93650794, 0.93650794, 0.93650794, 0.93650794, 0.93650794],
    ],
    [
      'french_accents',
      "L'\u00e9t\u00e9 est tr\u00e8s chaud \u00e0 Paris. Les enfants jouent dans le jardin, et les parents regardent.",
      [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ],
  ];
  for (const [name, text, expected] of vectors) {
    it(name, () => expectAll(text, expected));
  }
});

describe('parity with the reference pipeline', () => {
  const corpora: Array<[string, string[]]> = [
    ['web_docs', ['corpus', 'web', 'web_docs.jsonl.gz']],
    ['dclm_human_quality', ['corpus', 'quality', 'dclm_human_quality.jsonl.gz']],
    ['spamassassin_spam_bodies', ['corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz']],
  ];
  for (const [name, input] of corpora) {
    it(`${name}: all nine values equal the reference exactly`, async () => {
      const docs = await readJsonlGz(shared(...input));
      const refs = await readJsonlGz(shared('reference', `${name}.signals.jsonl.gz`));
      assert.equal(docs.length, refs.length);
      for (let d = 0; d < docs.length; d++) {
        assert.equal(docs[d].id, refs[d].id, `line ${d}: ids differ`);
        const text = docs[d].text as string;
        const signals = refs[d].quality_signals as Record<string, Array<[number, number, number | null]>>;
        const view = new TextView(text);
        for (const key of REPETITION_KEYS) {
          const theirs = signals[key][0][2];
          const mine = FUNCTIONS[key](view);
          if (mine !== theirs) {
            assert.fail(`${name} doc ${String(docs[d].id)} ${key}: ours ${mine} vs reference ${theirs}; text ${JSON.stringify(text.slice(0, 200))}`);
          }
        }
      }
    });
  }
});
