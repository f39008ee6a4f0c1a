import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';

import {
  PY_SPACE_UNIT,
  PY_WHITESPACE_CLASS,
  PY_WHITESPACE_CODE_POINTS,
  codePointLength,
  isPyLowerOrTitleChar,
  isPyNumericChar,
  isPyUpperChar,
  isPyUpperWord,
  isPyWhitespace,
  normalize,
  pyLstrip,
  pyRstrip,
  pySplit,
  pySplitCount,
  pySplitlines,
  pyStrip,
  round8,
} from '../../src/text/index.js';

// The 29 Python whitespace code points, listed independently of the implementation (spec §2.7).
const PY_WS_CODE_POINTS = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
  0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000,
];

describe('round8 (Python round(x, 8))', () => {
  it('breaks exact ties (x*512 odd) to even', () => {
    // k/512 with k odd has 9 decimals ending in 5; the 8th decimal must come out even.
    const cases: Array<[number, number]> = [
      [1, 0.00195312], // 0.001953125
      [3, 0.00585938], // 0.005859375
      [5, 0.00976562], // 0.009765625
      [7, 0.01367188], // 0.013671875
      [9, 0.01757812], // 0.017578125
      [11, 0.02148438], // 0.021484375
      [255, 0.49804688], // 0.498046875
      [257, 0.50195312], // 0.501953125
      [513, 1.00195312], // 1.001953125
      [1023, 1.99804688], // 1.998046875
    ];
    for (const [k, expected] of cases) {
      assert.equal(round8(k / 512), expected, `k=${k}`);
      assert.equal(round8(-k / 512), -expected, `k=-${k}`);
    }
  });

  it('matches toFixed where there is no tie', () => {
    assert.equal(round8(1 / 3), 0.33333333);
    assert.equal(round8(2 / 3), 0.66666667);
    assert.equal(round8(-1 / 3), -0.33333333);
    assert.equal(round8(5 / 47), 0.10638298);
    assert.equal(round8(0.1 + 0.2), 0.3);
    assert.equal(round8(1 / 256), 0.00390625); // exact in 8 decimals, x*512 even
    assert.equal(round8(1 / 1024), 0.00097656); // x*512 = 0.5, not a tie at 8 decimals
    assert.equal(round8(123456.123456789), 123456.12345679);
    assert.equal(round8(0.125), 0.125);
    assert.equal(round8(1e-9), 0);
    assert.equal(round8(42), 42);
    assert.equal(round8(1e22), 1e22);
  });

  it('keeps zero signs and passes non-finite values through', () => {
    assert.ok(Object.is(round8(0), 0));
    assert.ok(Object.is(round8(-0), -0));
    assert.ok(Object.is(round8(-1e-10), -0)); // Python: round(-1e-10, 8) == -0.0
    assert.ok(Number.isNaN(round8(NaN)));
    assert.equal(round8(Infinity), Infinity);
    assert.equal(round8(-Infinity), -Infinity);
  });
});

describe('Python whitespace', () => {
  it('recognises exactly the 29 code points', () => {
    const expected = new Set(PY_WS_CODE_POINTS);
    assert.equal(expected.size, 29);
    for (let cp = 0; cp <= 0xffff; cp++) {
      assert.equal(isPyWhitespace(cp), expected.has(cp), `U+${cp.toString(16)}`);
    }
    for (const cp of [0x10000, 0x1f600, 0x10ffff]) assert.equal(isPyWhitespace(cp), false);
    // The list the per-unit tables are filled from, and the table itself.
    assert.deepEqual([...PY_WHITESPACE_CODE_POINTS].sort((a, b) => a - b), PY_WS_CODE_POINTS);
    for (let cp = 0; cp <= 0xffff; cp++) assert.equal(PY_SPACE_UNIT[cp], expected.has(cp) ? 1 : 0, `U+${cp.toString(16)}`);
  });

  it('U+1C..1F and U+85 are whitespace, U+FEFF is not; NBSP, U+2028, U+3000 are', () => {
    for (const cp of [0x1c, 0x1d, 0x1e, 0x1f, 0x85, 0xa0, 0x2028, 0x3000]) assert.ok(isPyWhitespace(cp));
    assert.equal(isPyWhitespace(0xfeff), false);
    assert.equal(isPyWhitespace(0x200b), false); // zero-width space is Cf, not whitespace
    assert.equal(isPyWhitespace(0x180e), false); // Mongolian vowel separator: not in Unicode 14 White_Space
  });

  it('PY_WHITESPACE_CLASS works as a regex character class body', () => {
    const re = new RegExp(`^[${PY_WHITESPACE_CLASS}]$`, 'u');
    const expected = new Set(PY_WS_CODE_POINTS);
    for (let cp = 0; cp <= 0x3000; cp++) {
      assert.equal(re.test(String.fromCodePoint(cp)), expected.has(cp), `U+${cp.toString(16)}`);
    }
    assert.equal(re.test('\ufeff'), false);
  });

  it('pySplit splits on Python whitespace runs only', () => {
    assert.deepEqual(pySplit('a\u001cb\u0085c\u3000d\u2028e\u00a0f\u001fg'), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    assert.deepEqual(pySplit('a\ufeffb'), ['a\ufeffb']);
    assert.deepEqual(pySplit('  a \t\n b  '), ['a', 'b']);
    assert.deepEqual(pySplit('abc'), ['abc']);
    assert.deepEqual(pySplit(''), []);
    assert.deepEqual(pySplit(' \u0085\u001c '), []);
    assert.deepEqual(pySplit('😀 x😀'), ['😀', 'x😀']);
  });

  it('pySplitCount agrees with pySplit', () => {
    for (const s of ['', '   ', 'a', ' a  b\u0085c ', 'a\ufeffb', '\u3000x\u3000']) {
      assert.equal(pySplitCount(s), pySplit(s).length, JSON.stringify(s));
    }
  });

  it('strip / lstrip / rstrip use Python whitespace', () => {
    assert.equal(pyStrip('\u0085 x y \u001f'), 'x y');
    assert.equal(pyLstrip('\u0085 x y \u001f'), 'x y \u001f');
    assert.equal(pyRstrip('\u0085 x y \u001f'), '\u0085 x y');
    assert.equal(pyStrip('\ufeffx\ufeff'), '\ufeffx\ufeff');
    assert.equal(pyStrip('   '), '');
    assert.equal(pyStrip(''), '');
    assert.equal(pyStrip('abc'), 'abc');
  });
});

describe('codePointLength', () => {
  it('counts code points, pairs once, lone surrogates once', () => {
    assert.equal(codePointLength(''), 0);
    assert.equal(codePointLength('abc'), 3);
    assert.equal(codePointLength('😀'), 1);
    assert.equal(codePointLength('a😀b'), 3);
    assert.equal(codePointLength('e\u0301'), 2);
    assert.equal(codePointLength('\ud83d'), 1);
    assert.equal(codePointLength('\ude00\ud83d'), 2);
    assert.equal(codePointLength('\ud83d\ud83d\ude00'), 2);
  });
});

describe('isnumeric / isupper', () => {
  it('isPyNumericChar: \\p{N} plus CJK numerals', () => {
    for (const ch of ['0', '9', '٣', '²', '½', 'Ⅻ', '一', '三', '十', '百', '千', '万', '零', '𠀁']) {
      assert.ok(isPyNumericChar(ch.codePointAt(0) as number), ch);
    }
    for (const ch of ['a', 'Z', ' ', '.', '字', '中', '😀', '_']) {
      assert.equal(isPyNumericChar(ch.codePointAt(0) as number), false, ch);
    }
    assert.ok(isPyNumericChar(0x4e00));
    assert.ok(isPyNumericChar(0x4e09));
    assert.equal(isPyNumericChar(0x5b57), false);
  });

  it('isPyUpperChar is the Uppercase property', () => {
    for (const ch of ['A', 'Z', 'É', 'Σ', 'Ⓐ', '𝐀']) assert.ok(isPyUpperChar(ch.codePointAt(0) as number), ch);
    for (const ch of ['a', '1', '!', 'ǅ', 'ß', ' ', '字']) {
      assert.equal(isPyUpperChar(ch.codePointAt(0) as number), false, ch);
    }
  });

  it('isPyUpperWord follows str.isupper', () => {
    assert.equal(isPyUpperWord('ABC123'), true);
    assert.equal(isPyUpperWord('ABC'), true);
    assert.equal(isPyUpperWord('A'), true);
    assert.equal(isPyUpperWord("DON'T"), true);
    assert.equal(isPyUpperWord('ÉTÉ'), true);
    assert.equal(isPyUpperWord('123'), false);
    assert.equal(isPyUpperWord('!!!'), false);
    assert.equal(isPyUpperWord(''), false);
    assert.equal(isPyUpperWord('ABc'), false);
    assert.equal(isPyUpperWord('Abc'), false);
    assert.equal(isPyUpperWord('Aǅ'), false); // title-case letter makes it false
  });

  it('isPyLowerOrTitleChar is the whole-string definition on every code point', () => {
    const definition = /(?![\u10fc\ua7f2-\ua7f4\uab69])[\p{Lowercase}\p{Lt}]|\u0295/u;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (isPyLowerOrTitleChar(cp) !== definition.test(String.fromCodePoint(cp))) assert.fail(`U+${cp.toString(16)}`);
    }
  });

  it('isPyUpperWord uses Unicode 14 Lowercase for the six characters that changed since', () => {
    // Python 3.11: U+0295 is lower-case; U+10FC, U+A7F2..U+A7F4, U+AB69 are not (spec §2.7 caveat).
    assert.equal(isPyUpperWord('A\u0295'), false);
    for (const ch of ['\u10fc', '\ua7f2', '\ua7f3', '\ua7f4', '\uab69']) {
      assert.equal(isPyUpperWord('A' + ch), true, ch);
      assert.equal(isPyUpperWord(ch), false, ch);
    }
  });
});

describe('pySplitlines', () => {
  it('splits on all Python line boundaries', () => {
    assert.deepEqual(pySplitlines(''), []);
    assert.deepEqual(pySplitlines('a'), ['a']);
    assert.deepEqual(pySplitlines('a\n'), ['a']);
    assert.deepEqual(pySplitlines('\n'), ['']);
    assert.deepEqual(pySplitlines('a\n\nb'), ['a', '', 'b']);
    assert.deepEqual(pySplitlines('a\r\nb\rc\nd'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(pySplitlines('a\r\n'), ['a']);
    assert.deepEqual(pySplitlines('a\n\r'), ['a', '']);
    assert.deepEqual(pySplitlines('a\r\r\nb'), ['a', '', 'b']);
    assert.deepEqual(
      pySplitlines('a\u000bb\u000cc\u001cd\u001de\u001ef\u0085g\u2028h\u2029i'),
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'],
    );
    assert.deepEqual(pySplitlines('a\u001fb\u00a0c'), ['a\u001fb\u00a0c']); // U+1F, NBSP: not line breaks
  });
});

describe('normalize', () => {
  it('deletes ASCII punctuation only', () => {
    assert.equal(normalize("don't"), 'dont');
    assert.equal(normalize('e-mail'), 'email');
    assert.equal(normalize('3.14'), '314');
    assert.equal(normalize('https://www.example.com/a?b=c'), 'httpswwwexamplecomabc');
    assert.equal(normalize('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'), '');
    assert.equal(normalize('“Hi” — ¿qué? …•«»'), '“hi” — ¿que\u0301 …•«»');
  });

  it('lower-cases the Python way', () => {
    assert.equal(normalize('HELLO World'), 'hello world');
    assert.equal(normalize('İ'), 'i\u0307');
    assert.equal(normalize('İ').length, 2);
    assert.equal(normalize('ΟΔΟΣ'), 'οδος'); // final sigma
    assert.equal(normalize('ΟΔΟΣ.'), 'οδος');
    assert.equal(normalize('ΣΑ'), 'σα');
  });

  it('strips and collapses Python whitespace', () => {
    assert.equal(normalize('  Hello,   World!  '), 'hello world');
    assert.equal(normalize('a - b'), 'a b');
    assert.equal(normalize('a\u0085\u001c\u3000b\u2028\n'), 'a b');
    assert.equal(normalize('a\ufeffb'), 'a\ufeffb');
    assert.equal(normalize(' - a - '), 'a');
    assert.equal(normalize('\ufeff'), '\ufeff');
    assert.equal(normalize(''), '');
    assert.equal(normalize(' \t\n\u0085\u00a0\u3000 '), '');
    assert.equal(normalize('...'), '');
  });

  it('applies NFD last', () => {
    const ete = normalize('été');
    assert.equal(ete, 'e\u0301te\u0301');
    assert.equal(codePointLength(ete), 5);
    assert.equal(normalize('\u037e'), ';'); // Greek question mark decomposes to ';' after deletion
    assert.equal(normalize('\u1fef'), '`');
    assert.equal(normalize('\u2000x\u2001'), 'x');
    assert.equal(normalize('😀 X'), '😀 x');
  });
});
