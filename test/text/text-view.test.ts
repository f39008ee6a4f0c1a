import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';

import {
  PY_WHITESPACE_CLASS,
  TextView,
  WORD_PUNCT_SOURCE,
  isPyWhitespace,
  isPyWordChar,
  normalize,
  normalizeLines,
  pySplit,
  pySplitCount,
  wordPunctTokenize,
} from '../../src/text/index.js';
import type { LineSlice } from '../../src/text/index.js';

function spans(lines: readonly LineSlice[]): Array<[number, number]> {
  return lines.map((l) => [l.start, l.end]);
}

/** Lines must tile [0, length) and reassemble the raw text. */
function assertTiles(view: TextView): void {
  let pos = 0;
  for (const line of view.lines) {
    assert.equal(line.start, pos);
    assert.ok(line.end > line.start);
    assert.equal(line.end - line.start, [...line.text].length);
    pos = line.end;
  }
  assert.equal(pos, view.length);
  assert.equal(view.lines.map((l) => l.text).join(''), view.raw);
  assert.deepEqual([...view.lineEnds], view.lines.map((l) => l.end));
}

describe('TextView words', () => {
  it('WordPunct tokens of the raw text', () => {
    assert.deepEqual(new TextView("Can't!").rawWords, ['Can', "'", 't', '!']);
    assert.deepEqual(new TextView('fox...').rawWords, ['fox', '...']);
    assert.deepEqual(new TextView('3.14 foo_bar').rawWords, ['3', '.', '14', 'foo_bar']);
    assert.deepEqual(new TextView('').rawWords, []);
    assert.deepEqual(new TextView('  \n ').rawWords, []);
  });

  it('combining marks are not word characters', () => {
    assert.deepEqual(new TextView('cafe\u0301s').rawWords, ['cafe', '\u0301', 's']);
    assert.deepEqual(new TextView('e\u0301').rawWords, ['e', '\u0301']);
  });

  it('astral characters and Python whitespace', () => {
    assert.deepEqual(new TextView('hi 😀😀 there!').rawWords, ['hi', '😀😀', 'there', '!']);
    assert.deepEqual(new TextView('𝐀bc').rawWords, ['𝐀bc']);
    assert.deepEqual(new TextView('a\u001cb\u0085c\u3000d').rawWords, ['a', 'b', 'c', 'd']);
    assert.deepEqual(new TextView('a\ufeffb').rawWords, ['a', '\ufeff', 'b']);
    assert.deepEqual(new TextView('x\u001f!!\u00a0?').rawWords, ['x', '!!', '?']);
  });

  it('normalized words', () => {
    const v = new TextView("Don't  STOP, e-mail me at 3.14!");
    assert.equal(v.normalized, 'dont stop email me at 314');
    assert.deepEqual(v.normalizedWords, ['dont', 'stop', 'email', 'me', 'at', '314']);
    assert.deepEqual(new TextView(' -- ').normalizedWords, []);
  });
});

describe('TextView lines', () => {
  it('empty document has no lines', () => {
    const v = new TextView('');
    assert.deepEqual(v.lines, []);
    assert.equal(v.lineEnds.length, 0);
    assert.deepEqual(v.normalizedLines, []);
    assert.equal(v.normalizedLineWordCounts.length, 0);
    assert.equal(v.length, 0);
  });

  it('single line with and without a trailing newline', () => {
    assert.deepEqual(new TextView('a').lines, [{ text: 'a', start: 0, end: 1 }]);
    assert.deepEqual(new TextView('a\n').lines, [{ text: 'a\n', start: 0, end: 2 }]);
    assert.deepEqual(new TextView('\n').lines, [{ text: '\n', start: 0, end: 1 }]);
    assert.deepEqual(spans(new TextView('a\nb').lines), [[0, 2], [2, 3]]);
  });

  it('blank lines are kept', () => {
    const v = new TextView('  \n\n \n');
    assert.deepEqual(v.lines, [
      { text: '  \n', start: 0, end: 3 },
      { text: '\n', start: 3, end: 4 },
      { text: ' \n', start: 4, end: 6 },
    ]);
    assert.deepEqual([...v.lineEnds], [3, 4, 6]);
    assert.deepEqual(v.normalizedLines, ['', '', '']);
    assert.deepEqual([...v.normalizedLineWordCounts], [0, 0, 0]);
    assertTiles(v);
  });

  it('only \\n breaks raw lines (\\r, U+2028, U+85 do not)', () => {
    const v = new TextView('a\r\nb\u2028c\u0085d');
    assert.deepEqual(spans(v.lines), [[0, 3], [3, 8]]);
    assert.deepEqual(v.normalizedLines, ['a', 'b c d']);
    assert.deepEqual([...v.normalizedLineWordCounts], [1, 3]);
  });

  it('astral characters shift code-point offsets', () => {
    const v = new TextView('😀\n😀😀x\n\ud83d\n😀');
    assert.deepEqual(spans(v.lines), [[0, 2], [2, 6], [6, 8], [8, 9]]);
    assert.equal(v.length, 9);
    assertTiles(v);
  });

  it('memoises views', () => {
    const v = new TextView('Hello world\nsecond line');
    assert.equal(v.lines, v.lines);
    assert.equal(v.rawWords, v.rawWords);
    assert.equal(v.normalizedWords, v.normalizedWords);
    assert.equal(v.normalizedLines, v.normalizedLines);
    assert.equal(v.lineEnds, v.lineEnds);
    assert.equal(v.normalizedLineWordCounts, v.normalizedLineWordCounts);
    // length before and after lines agree
    const w = new TextView('a😀\nb');
    assert.equal(w.length, 4);
    assert.equal(new TextView('a😀\nb').lines.length, 2);
  });
});

interface Vector {
  name: string;
  raw: string;
  length: number;
  normalizedWords?: string[];
  rawWords?: string[];
  spans: Array<[number, number]>;
  /** `rps_lines_num_words` from the vector: whitespace tokens per normalized line. */
  lineWordCounts: number[];
}

// Spec Appendix B. Inputs are the JSON string literals from the spec, written as TS escapes.
const VECTORS: Vector[] = [
  { name: 'empty', raw: '', length: 0, spans: [], lineWordCounts: [] },
  {
    name: 'blank_lines',
    raw: '  \n\n \n',
    length: 6,
    spans: [[0, 3], [3, 4], [4, 6]],
    lineWordCounts: [0, 0, 0],
  },
  {
    name: 'mixed_en',
    raw:
      'The QUICK brown fox... jumps over the lazy dog!\n\u2022 Item one costs 100 dollars\n  \u2013 Item two: enable JavaScript, javascript is required.\nLorem ipsum dolor sit amet { code } \u2026\nTHE END \u201d\nEmoji \ud83d\ude00 line #tag #tag2\n',
    length: 206,
    normalizedWords: [
      'the', 'quick', 'brown', 'fox', 'jumps', 'over', 'the', 'lazy', 'dog', '•', 'item', 'one', 'costs',
      '100', 'dollars', '–', 'item', 'two', 'enable', 'javascript', 'javascript', 'is', 'required',
      'lorem', 'ipsum', 'dolor', 'sit', 'amet', 'code', '…', 'the', 'end', '”', 'emoji', '😀', 'line',
      'tag', 'tag2',
    ],
    rawWords: [
      'The', 'QUICK', 'brown', 'fox', '...', 'jumps', 'over', 'the', 'lazy', 'dog', '!', '•', 'Item', 'one',
      'costs', '100', 'dollars', '–', 'Item', 'two', ':', 'enable', 'JavaScript', ',', 'javascript', 'is',
      'required', '.', 'Lorem', 'ipsum', 'dolor', 'sit', 'amet', '{', 'code', '}', '…', 'THE', 'END', '”',
      'Emoji', '😀', 'line', '#', 'tag', '#', 'tag2',
    ],
    spans: [[0, 48], [48, 77], [77, 134], [134, 172], [172, 182], [182, 206]],
    lineWordCounts: [9, 6, 8, 7, 3, 5],
  },
  {
    name: 'repetitive',
    raw: 'one two three four five six seven eight nine ten eleven twelve thirteen one two three four five six seven eight nine ten eleven twelve thirteen fourteen',
    length: 152,
    normalizedWords: [
      'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
      'thirteen', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
      'twelve', 'thirteen', 'fourteen',
    ],
    rawWords: [
      'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
      'thirteen', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
      'twelve', 'thirteen', 'fourteen',
    ],
    spans: [[0, 152]],
    lineWordCounts: [27],
  },
  {
    name: 'french_accents',
    raw: "L'\u00e9t\u00e9 est tr\u00e8s chaud \u00e0 Paris. Les enfants jouent dans le jardin, et les parents regardent.",
    length: 90,
    // The spec prints these precomposed, but normalized text is NFD (§2.2), so the accents are
    // decomposed: 'lété' is l, e, U+0301, t, e, U+0301.
    normalizedWords: [
      'lété', 'est', 'très', 'chaud', 'à', 'paris', 'les', 'enfants', 'jouent', 'dans', 'le', 'jardin', 'et',
      'les', 'parents', 'regardent',
    ].map((w) => w.normalize('NFD')),
    rawWords: [
      'L', "'", '\u00e9t\u00e9', 'est', 'tr\u00e8s', 'chaud', '\u00e0', 'Paris', '.', 'Les', 'enfants', 'jouent',
      'dans', 'le', 'jardin', ',', 'et', 'les', 'parents', 'regardent', '.',
    ],
    spans: [[0, 90]],
    lineWordCounts: [16],
  },
];

describe('Appendix B vectors', () => {
  for (const vec of VECTORS) {
    it(vec.name, () => {
      const v = new TextView(vec.raw);
      assert.equal(v.length, vec.length);
      if (vec.normalizedWords) {
        assert.deepEqual(v.normalizedWords, vec.normalizedWords);
        // rps_doc_word_count = len(normalized words)
        assert.equal(v.normalizedWords.length, vec.normalizedWords.length);
      }
      if (vec.rawWords) assert.deepEqual(v.rawWords, vec.rawWords);
      assert.deepEqual(spans(v.lines), vec.spans);
      assert.deepEqual([...v.lineEnds], vec.spans.map((s) => s[1]));
      assert.deepEqual([...v.normalizedLineWordCounts], vec.lineWordCounts);
      assertTiles(v);
    });
  }

  it('mixed_en: 206 code points though JS length is 207, six lines summing to 206', () => {
    const mixed = VECTORS.find((x) => x.name === 'mixed_en') as Vector;
    const v = new TextView(mixed.raw);
    assert.equal(mixed.raw.length, 207);
    assert.equal(v.length, 206);
    assert.equal(v.lines.length, 6);
    assert.equal(v.lines.reduce((sum, l) => sum + (l.end - l.start), 0), 206);
    assert.equal(v.normalizedWords.length, 38);
    assert.equal(v.rawWords.length, 47);
    assert.equal(v.normalizedLines[0], 'the quick brown fox jumps over the lazy dog');
    assert.equal(v.normalizedLines[5], 'emoji 😀 line tag tag2');
  });

  it('french_accents: normalized words are NFD', () => {
    const v = new TextView(VECTORS[4].raw);
    assert.equal(v.normalizedWords[0], 'l\u0065\u0301t\u0065\u0301');
    assert.equal([...v.normalizedWords[0]].length, 6);
  });
});

describe('fast paths agree with their definitions', () => {
  // A hostile alphabet (spec §2.7): Python-only whitespace, U+FEFF, combining marks, sigma, astral
  // characters, lone surrogates, CJK numerals, Unicode punctuation.
  const ALPHABET = [
    'a', 'Z', '0', '_', ' ', ' ', '\t', '\n', '\n', '\r', '\v', '\f', '\x1c', '\x1f', '\x85', '\xa0', '\u1680',
    '\u2000', '\u2028', '\u2029', '\u3000', '\ufeff', '\u200b', '.', ',', "'", '-', '!', '#', '{', '\\', '`',
    'é', 'e\u0301', '\u0301', 'Σ', 'Α', 'İ', 'ß', 'ǅ', '\u037e', '\u1fef', '\u212b', '“', '…', '•', '–',
    '一', '字', '😀', '𝐀', '\ud83d', '\ude00', 'ﬁ', 'Ⅻ',
  ];
  let seed = 0x2545f491;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 0x100000000;
  };
  const samples: string[] = [];
  for (let k = 0; k < 2000; k++) {
    let s = '';
    const len = Math.floor(random() * 30);
    for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(random() * ALPHABET.length)];
    samples.push(s);
  }
  const wordPunct = new RegExp(WORD_PUNCT_SOURCE, 'gu');

  it('wordPunctTokenize equals the WordPunct regex', () => {
    for (const s of samples) assert.deepEqual(wordPunctTokenize(s), s.match(wordPunct) ?? [], JSON.stringify(s));
  });

  it('normalizeLines equals normalize per line; normalized equals normalize(raw)', () => {
    for (const s of samples) {
      const v = new TextView(s);
      assert.deepEqual(normalizeLines(s), v.lines.map((l) => normalize(l.text)), JSON.stringify(s));
      assert.deepEqual(v.normalizedLines, v.lines.map((l) => normalize(l.text)), JSON.stringify(s));
      assert.equal(v.normalized, normalize(s), JSON.stringify(s));
      assert.deepEqual(v.normalizedWords, pySplit(normalize(s)), JSON.stringify(s));
      assert.deepEqual([...v.normalizedLineWordCounts], v.normalizedLines.map(pySplitCount), JSON.stringify(s));
      assert.equal(v.length, [...s].length);
    }
  });

  it('lower-casing and NFD never turn a non-whitespace character into whitespace', () => {
    // TextView splits normalized text on ' ' only; this is what makes that equal to pySplit.
    const ws = new RegExp(`[${PY_WHITESPACE_CLASS}]`, 'u');
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (isPyWhitespace(cp)) continue;
      const out = String.fromCodePoint(cp).toLowerCase().normalize('NFD');
      if (ws.test(out)) assert.fail(`U+${cp.toString(16)} becomes whitespace`);
    }
  });

  it('isPyWordChar is letters, numbers and underscore, not marks', () => {
    for (const ch of ['a', 'Z', '0', '_', 'é', 'ß', '一', '٣', '²', '𝐀']) assert.ok(isPyWordChar(ch.codePointAt(0) as number), ch);
    for (const ch of [' ', '-', '\u0301', '\u0903', '😀', '\ufeff', '…']) {
      assert.equal(isPyWordChar(ch.codePointAt(0) as number), false, ch);
    }
  });
});
