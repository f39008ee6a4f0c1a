import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';

import {
  CodeUnitSet,
  TOKEN_CLASS,
  TOKEN_HAS_ASCII_LETTER,
  TOKEN_HAS_LOWER_OR_TITLE,
  TOKEN_HAS_UPPER,
  TOKEN_OTHER,
  TOKEN_WORD,
  TextView,
  WORD_PUNCT_SOURCE,
  isPyLowerOrTitleChar,
  isPyNumericChar,
  isPyUpperChar,
  isPyUpperWord,
  isPyWordChar,
  normalize,
  normalizeWithLines,
  pySplit,
  round8,
  round8Fast,
  scanText,
  scanVocabulary,
  wordPunctSpans,
  wordPunctTokenize,
} from '../../src/text/index.js';
import { hasCombiningClass, lowerDependsOnContext } from '../../src/text/scan.js';
import { TokenSet } from '../../src/text/tokenize.js';

/*
 * The one-pass scan (raw tokens and lines, normalized text, words and per-line counts), the
 * code-unit sets and the hashed vocabulary, each against a plain definition.
 */

// A hostile alphabet (spec §2.7) plus what the scan treats specially: characters whose lower case
// or NFD differs (expansions), combining marks of several classes (canonical reordering), final
// sigma (context-dependent lower case), astral letters, digits and numerals, lone surrogates.
const ALPHABET = [
  'a', 'Z', '0', '_', ' ', ' ', '\t', '\n', '\n', '\r', '\v', '\f', '\x1c', '\x1f', '\x85', '\xa0', '\u1680',
  '\u2000', '\u2028', '\u2029', '\u3000', '\ufeff', '\u200b', '.', ',', "'", '-', '!', '#', '{', '\\', '`',
  'é', 'e\u0301', '\u0301', '\u0316', '\u0323', '\u0345', 'Σ', 'Α', 'İ', 'ß', 'ǅ', 'Ǖ', 'ᾏ', '\u037e', '\u1fef',
  '\u212b', '“', '…', '•', '–', '一', '三', '字', '한', '½', '²', 'Ⅻ', '😀', '𝐀', '𐐀', '𝟎', '\ud83d', '\ude00',
  'ﬁ', 'Ⓐ', '\u0295', 'ʰ',
];

function samples(count: number, seed: number, maxLength = 40): string[] {
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 0x100000000;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let s = '';
    const len = Math.floor(random() * maxLength);
    for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(random() * ALPHABET.length)];
    out.push(s);
  }
  return out;
}

const SAMPLES = samples(3000, 0x5eed1234);

/** Raw lines per spec §2.4, by the reference regex. */
function rawLines(s: string): string[] {
  return s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function countCodePoints(s: string, pred: (cp: number) => boolean): number {
  let n = 0;
  for (const ch of s) if (pred(ch.codePointAt(0) as number)) n++;
  return n;
}

describe('scanText: raw tokens and lines', () => {
  const wordPunct = new RegExp(WORD_PUNCT_SOURCE, 'gu');

  it('its raw part is wordPunctSpans, whose tokens are the WordPunct regex matches', () => {
    for (const s of SAMPLES) {
      const { raw } = scanText(s);
      const alone = wordPunctSpans(s);
      assert.deepEqual(raw, alone, JSON.stringify(s));
      const tokens: string[] = [];
      for (let k = 0; k < raw.count; k++) tokens.push(s.slice(raw.spans[2 * k], raw.spans[2 * k + 1]));
      assert.deepEqual(tokens, s.match(wordPunct) ?? [], JSON.stringify(s));
      assert.deepEqual(wordPunctTokenize(s), tokens);
    }
  });

  it('token bits say what each token holds', () => {
    for (const s of SAMPLES) {
      const { count, spans, flags, flagCounts } = scanText(s).raw;
      const histogram = new Uint32Array(32);
      for (let k = 0; k < count; k++) {
        const token = s.slice(spans[2 * k], spans[2 * k + 1]);
        const f = flags[k];
        histogram[f]++;
        const cps = [...token].map((ch) => ch.codePointAt(0) as number);
        const word = cps.every((cp) => isPyWordChar(cp));
        assert.equal(f & TOKEN_CLASS, word ? TOKEN_WORD : TOKEN_OTHER, JSON.stringify(token));
        assert.equal((f & TOKEN_HAS_UPPER) !== 0, cps.some((cp) => isPyUpperChar(cp)), JSON.stringify(token));
        assert.equal((f & TOKEN_HAS_LOWER_OR_TITLE) !== 0, cps.some((cp) => isPyLowerOrTitleChar(cp)), JSON.stringify(token));
        assert.equal((f & TOKEN_HAS_ASCII_LETTER) !== 0, /[a-zA-Z]/.test(token), JSON.stringify(token));
        const upper = (f & (TOKEN_HAS_UPPER | TOKEN_HAS_LOWER_OR_TITLE)) === TOKEN_HAS_UPPER;
        assert.equal(upper, isPyUpperWord(token), JSON.stringify(token));
      }
      assert.deepEqual(flagCounts, histogram);
    }
  });

  it('lines, their upper-case code points, and the surrogate flag', () => {
    for (const s of SAMPLES) {
      const { lineStarts, upperPerLine, hasSurrogates } = scanText(s).raw;
      const lines = rawLines(s);
      const starts = [0];
      for (const line of lines) starts.push(starts[starts.length - 1] + line.length);
      assert.deepEqual([...lineStarts], starts, JSON.stringify(s));
      assert.deepEqual([...upperPerLine], lines.map((line) => countCodePoints(line, isPyUpperChar)), JSON.stringify(s));
      assert.equal(hasSurrogates, /[\ud800-\udfff]/.test(s));
    }
  });
});

describe('scanText: the normalized text', () => {
  it('is normalize(text), with its words, per-line word offsets and numeric counts', () => {
    for (const s of SAMPLES) {
      const n = scanText(s).normalized;
      assert.equal(n.text, normalize(s), JSON.stringify(s));
      const words = pySplit(n.text);
      assert.equal(n.wordCount, words.length);
      assert.equal(n.wordStarts.length, words.length + 1);
      for (let w = 0; w < words.length; w++) assert.equal(n.text.slice(n.wordStarts[w], n.wordStarts[w + 1] - 1), words[w]);
      assert.equal(n.wordStarts[words.length], n.text.length + 1);
      const lines = rawLines(s).map((line) => normalize(line));
      const offsets = [0];
      for (const line of lines) offsets.push(offsets[offsets.length - 1] + pySplit(line).length);
      assert.deepEqual([...n.lineWordOffsets], offsets, JSON.stringify(s));
      assert.deepEqual([...n.lineNumericCounts], lines.map((line) => countCodePoints(line, isPyNumericChar)), JSON.stringify(s));
      assert.equal(n.hasSurrogates, /[\ud800-\udfff]/.test(n.text));
      assert.deepEqual(normalizeWithLines(s), n);
    }
  });

  it('every BMP unit, alone, twice, between letters and before a mark, as normalize gives it', () => {
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      for (const s of [ch, `A${ch}b ${ch}${ch}\u0316 x${ch}`, `Σ${ch}`, `\u0301${ch}\u0323`]) {
        const got = scanText(s).normalized.text;
        if (got !== normalize(s)) assert.fail(`U+${c.toString(16)} in ${JSON.stringify(s)}: ${JSON.stringify(got)}`);
      }
    }
  });

  it('combining marks meeting across characters are reordered as NFD does (the scan falls back)', () => {
    for (const s of ['e\u0301\u0316', 'é\u0316', 'e\u0301.\u0316', 'Ǖ\u0323', 'ᾏ\u0316x', 'a\u0323\u0301', '\u0301\u0316', 'é,\u0323 é']) {
      assert.equal(scanText(s).normalized.text, normalize(s), JSON.stringify(s));
    }
  });

  it('final sigma, astral letters and lone surrogates', () => {
    for (const s of ['ΑΣ', 'ΑΣ Α', 'Σ', 'ΑΣΑ', 'Α.Σ', '𐐀𐐀 𝟎𝟏', '😀x', 'a\ud83d', '\ude00b', 'x\ud83d\ud83d\ude00']) {
      const n = scanText(s).normalized;
      assert.equal(n.text, normalize(s), JSON.stringify(s));
      assert.deepEqual([...n.lineNumericCounts], rawLines(s).map((line) => countCodePoints(normalize(line), isPyNumericChar)));
    }
  });

  it('says whether the normalized text holds surrogates, also where a BMP character decomposes to an astral one', () => {
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      const expected = /[\ud800-\udfff]/.test(normalize(ch));
      if (scanText(ch).normalized.hasSurrogates !== expected) assert.fail(`U+${c.toString(16)}`);
    }
    assert.equal(scanText('\ufa6c').normalized.text, '\u{242ee}');
    assert.deepEqual([...new TextView('x \ufa6c').vocabulary.lengths], [1, 1]);
  });

  it('long texts: the buffers grow, and expansions past the input length fit', () => {
    const long = 'ǕÉ '.repeat(50_000) + 'ΐ'.repeat(10_000);
    assert.equal(scanText(long).normalized.text, normalize(long));
    assert.equal(scanText('a').normalized.text, 'a');
  });
});

describe('TextView flat views', () => {
  it('agree with the string views', () => {
    for (const s of SAMPLES) {
      const v = new TextView(s);
      const lines = v.lines;
      assert.deepEqual([...v.lineStartsUtf16], [0, ...lines.map((_, l) => lines.slice(0, l + 1).reduce((n, x) => n + x.text.length, 0))]);
      assert.deepEqual([...v.rawLineUpperCounts], lines.map((line) => countCodePoints(line.text, isPyUpperChar)));
      assert.equal(v.rawWordSpans.count, v.rawWords.length);
      assert.equal(v.normalizedWordCount, v.normalizedWords.length);
      const starts = v.normalizedWordStarts;
      v.normalizedWords.forEach((w, k) => assert.equal(v.normalized.slice(starts[k], starts[k] + w.length), w));
      const offsets = v.normalizedLineWordOffsets;
      assert.deepEqual([...v.normalizedLineWordCounts], v.normalizedLines.map((line) => pySplit(line).length));
      v.normalizedLines.forEach((line, l) => assert.deepEqual(pySplit(line), v.normalizedWords.slice(offsets[l], offsets[l + 1])));
      assert.deepEqual([...v.normalizedLineNumericCounts], v.normalizedLines.map((line) => countCodePoints(line, isPyNumericChar)));
    }
  });

  it('vocabulary: ids by first occurrence, counts, code-point lengths and first spans', () => {
    for (const s of SAMPLES) {
      const v = new TextView(s);
      const { ids, counts, lengths, words, firstStarts, unitLengths } = v.vocabulary;
      const index = new Map<string, number>();
      const expected: number[] = [];
      for (const w of v.normalizedWords) {
        if (!index.has(w)) index.set(w, index.size);
        expected.push(index.get(w) as number);
      }
      assert.deepEqual([...ids], expected, JSON.stringify(s));
      assert.deepEqual(words, [...index.keys()]);
      assert.deepEqual([...counts], words.map((w) => v.normalizedWords.filter((x) => x === w).length));
      assert.deepEqual([...lengths], words.map((w) => [...w].length));
      words.forEach((w, id) => assert.equal(v.normalized.slice(firstStarts[id], firstStarts[id] + unitLengths[id]), w));
    }
  });
});

describe('hash collisions never merge distinct strings', () => {
  const WORDS = ['the', 'tie', 'toe', 'a', 'b', 'ab', 'ba', 'abc', 'acb', 'bac', 'x\u0301', 'é', '😀', 'the the', ''];

  it('scanVocabulary with every word hashed alike equals the default', () => {
    for (const s of [...SAMPLES.slice(0, 500), WORDS.join(' '), [...WORDS, ...WORDS.reverse()].join(' ')]) {
      const { text, wordStarts, hasSurrogates } = scanText(s).normalized;
      const collided = scanVocabulary(text, wordStarts, hasSurrogates, 0);
      const plain = scanVocabulary(text, wordStarts);
      assert.deepEqual([...collided.ids], [...plain.ids], JSON.stringify(s));
      assert.deepEqual([...collided.counts], [...plain.counts]);
      assert.deepEqual(collided.words, plain.words);
    }
  });

  it('a long text grows the vocabulary table (many distinct words)', () => {
    const words = Array.from({ length: 20_000 }, (_, k) => `w${k % 7919}x${k}`);
    const v = new TextView(words.join(' ') + ' ' + words.slice(0, 100).join(' '));
    assert.equal(v.vocabulary.counts.length, 20_000);
    assert.deepEqual([...v.vocabulary.ids.slice(20_000)], Array.from({ length: 100 }, (_, k) => k));
  });

  it('CodeUnitSet finds members as spans of other strings, with and without collisions', () => {
    const members = ['the', 'tie', 'a', 'ab', 'ba', 'é', 'e\u0301', '😀', 'de la', ''];
    for (const multiplier of [undefined, 0]) {
      const set = new CodeUnitSet(members, multiplier);
      assert.deepEqual(set.members, members);
      assert.equal(set.maxLength, 5);
      const text = 'xx the tie toe a ab ba abc é e\u0301 😀 de la ';
      for (let start = 0; start <= text.length; start++) {
        for (let end = start; end <= text.length; end++) {
          const sub = text.slice(start, end);
          assert.equal(set.indexOf(text, start, end), members.indexOf(sub), JSON.stringify(sub));
          assert.equal(set.has(text, start, end), members.includes(sub));
        }
      }
    }
  });

  it('TokenSet counts the tokens that are members (multi-token and cased members included)', () => {
    const words = ['the', 'The', 'a', "a's", 'can', '.', '...', 'x1', 'é', 'über', 'EU'];
    for (const multiplier of [undefined, 0]) {
      const set = new TokenSet(words, multiplier);
      const lookup = new Set(words);
      for (const s of [...SAMPLES.slice(0, 300), "The the a's a ... . can't x1 X1 é über EU eu"]) {
        const tokens = wordPunctSpans(s);
        const expected = wordPunctTokenize(s).filter((t) => lookup.has(t)).length;
        assert.equal(set.count(s, tokens), expected, JSON.stringify(s));
      }
    }
  });
});

describe('round8Fast (moved to python.ts)', () => {
  it('equals round8 on negative, zero and non-finite values too', () => {
    for (const x of [-0, 0, -1e-10, -0.5 / 1e8, -1 / 3, -2.5e-8, NaN, Infinity, -Infinity, 2 ** 60, 1e21, 5e-9, 1.5e-8]) {
      assert.ok(Object.is(round8Fast(x), round8(x)), String(x));
    }
    for (let n = 1; n <= 300; n++) for (let k = -n; k <= n; k++) assert.ok(Object.is(round8Fast(k / n), round8(k / n)), `${k}/${n}`);
  });
});

describe('lowerDependsOnContext', () => {
  /** The definition without its shortcut: lower-casing tried between letters and spaces. */
  function tried(ch: string): boolean {
    const alone = ch.toLowerCase();
    for (const before of ['a', ' ', '']) {
      for (const after of ['a', ' ', '']) {
        if ((before + ch + after).toLowerCase() !== before.toLowerCase() + alone + after.toLowerCase()) return true;
      }
    }
    return false;
  }

  it('equals the full definition on every code point (the shortcut for characters that are their own lower case is exact)', () => {
    const dependent: number[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const got = lowerDependsOnContext(ch);
      if (got !== tried(ch)) assert.fail(`U+${cp.toString(16)}`);
      if (got) dependent.push(cp);
    }
    // Final sigma is the one context rule of the root locale.
    assert.deepStrictEqual(dependent, [0x3a3]);
  });
});

describe('hasCombiningClass', () => {
  it('equals the definition without its shortcut on every code point that is its own NFD (only marks have a class)', () => {
    let nonStarters = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (ch.normalize('NFD') !== ch) continue;
      const reordered = ('\u0301' + ch).normalize('NFD') !== '\u0301' + ch || (ch + '\u0334').normalize('NFD') !== ch + '\u0334';
      if (hasCombiningClass(ch) !== reordered) assert.fail(`U+${cp.toString(16)}`);
      if (reordered) nonStarters++;
    }
    assert.ok(nonStarters > 900, `${nonStarters}`);
  });
});
