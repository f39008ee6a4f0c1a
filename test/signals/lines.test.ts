import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import {
  lines,
  linesEndingWithTerminalPunctutionMark,
  linesJavascriptCounts,
  linesNumericalCharsFraction,
  linesNumWords,
  linesStartWithBulletpoint,
  linesUppercaseLetterFraction,
  round8Fast,
} from '../../signals/lines.js';
import { TextView, isPyNumericChar, pySplit, round8 } from '../../src/text/index.js';
import { loadParityDocs, type ParityDoc } from '../helpers.js';

type LineFn = (view: TextView) => ArrayLike<number>;

/** The family's signals by RPv2 key. */
const FNS: Record<string, LineFn> = {
  rps_lines_ending_with_terminal_punctution_mark: linesEndingWithTerminalPunctutionMark,
  rps_lines_javascript_counts: linesJavascriptCounts,
  rps_lines_num_words: linesNumWords,
  rps_lines_numerical_chars_fraction: linesNumericalCharsFraction,
  rps_lines_start_with_bulletpoint: linesStartWithBulletpoint,
  rps_lines_uppercase_letter_fraction: linesUppercaseLetterFraction,
};

const KEYS = Object.keys(FNS);

/** Values of `fn` on `text` as a plain array, after checking there is one per raw line. */
function on(fn: LineFn, text: string): number[] {
  const view = new TextView(text);
  const values = Array.from(fn(view));
  assert.equal(values.length, view.lines.length, `${fn.name}: one value per raw line`);
  return values;
}

describe('lines family', () => {
  it('lists the six signals in RPv2 key order, line level, num_words i64 and the rest f64', () => {
    assert.equal(lines.id, 'lines');
    assert.equal(lines.version, 1);
    assert.deepEqual(lines.signals.map((s) => s.name), KEYS);
    for (const s of lines.signals) {
      assert.equal(s.level, 'line');
      assert.equal(s.type, s.name === 'rps_lines_num_words' ? 'i64' : 'f64');
      assert.equal(s.compute, FNS[s.name] as unknown);
    }
  });

  it('an empty document gets an empty array from every signal (the bullet [[0, 0, null]] quirk is the exporter\'s)', () => {
    for (const fn of Object.values(FNS)) assert.equal(fn(new TextView('')).length, 0, fn.name);
  });

  it('the new signals return Float64Array', () => {
    for (const fn of Object.values(FNS)) {
      if (fn !== linesNumWords) assert.ok(fn(new TextView('a\nb')) instanceof Float64Array, fn.name);
    }
  });
});

describe('rps_lines_ending_with_terminal_punctution_mark', () => {
  it('. ! ? and U+201D after a Python rstrip; ASCII " does not count', () => {
    const text = [
      'He said "hi"\n', // 0: ASCII quote
      'She said “hi”\n', // 1: U+201D
      'Ok.  \n',
      'What?\n',
      '!\n',
      'Done.\u3000\u0085\n', // U+3000 and U+0085 are stripped
      'Done.\ufeff\n', // U+FEFF is not
      '\n',
      'a.\r\n',
      'Ends…\n', // the ellipsis character is not terminal punctuation
      'end.',
    ].join('');
    assert.deepEqual(on(linesEndingWithTerminalPunctutionMark, text), [0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1]);
  });

  it('blank lines are 0.0', () => {
    assert.deepEqual(on(linesEndingWithTerminalPunctutionMark, '  \n\n \n'), [0, 0, 0]);
  });
});

describe('rps_lines_javascript_counts', () => {
  it('whole normalized tokens equal to "javascript"', () => {
    const text = [
      'JavaScript. javascript:void(0) JAVASCRIPT\n', // "javascript javascriptvoid0 javascript"
      'no java script\n',
      'javascriptjavascript\n',
      '\n',
      '(JavaScript)-JavaScript\n', // "javascriptjavascript"
      'JAVASCRIPT\u3000javascript!\n',
      'javascripts javascript\u0301',
    ].join('');
    assert.deepEqual(on(linesJavascriptCounts, text), [2, 0, 0, 0, 0, 2, 0]);
  });

  it('zeros when the document never mentions it', () => {
    assert.deepEqual(on(linesJavascriptCounts, 'java\nscript\n'), [0, 0]);
  });
});

describe('rps_lines_numerical_chars_fraction', () => {
  it('isnumeric characters over the normalized line length', () => {
    const text = [
      'abc 123\n', // 3 / 7
      '一二三\n', // CJK numerals: isnumeric in Python, not \p{N}
      '½x\n',
      '\n',
      '𝟎a\n', // an astral digit is one code point
      '1.5%\n', // "15"
      'Ⅻ\n', // lower-cased to ⅻ, still numeric
      '第一 a\n', // 1 / 4
      'Café 1\n', // NFD "cafe\u0301 1": 1 / 7
      '  12  \n', // stripped: "12"
      '!!!',
    ].join('');
    assert.deepEqual(on(linesNumericalCharsFraction, text), [0.42857143, 1, 0.5, 0, 0.5, 1, 1, 0.25, 0.14285714, 1, 0]);
  });

  it('lines split only at \\n: U+0085 and U+2028 are whitespace inside a line', () => {
    assert.deepEqual(on(linesNumericalCharsFraction, '1\u00852\u2028x\n9'), [0.4, 1]);
  });
});

describe('rps_lines_start_with_bulletpoint', () => {
  it('the ten bullets after a Python lstrip; -, * and · are not bullets', () => {
    const text = [
      '• a\n',
      '  ‣ b\n',
      '- c\n',
      '* d\n',
      '· e\n',
      '– f\n', // en dash
      '\u00a0■ g\n',
      '\n',
      '▶\n',
      '◀x\n',
      '◦\n',
      '□\n',
      '▪\n',
      '▫\n',
      '\ufeff• x\n', // U+FEFF is not stripped
      '— em dash\n',
      '\u3000\u2023',
    ].join('');
    assert.deepEqual(on(linesStartWithBulletpoint, text), [1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1]);
  });
});

describe('rps_lines_uppercase_letter_fraction', () => {
  it('isupper characters over the raw line length, its \\n included', () => {
    const text = [
      'AB\n', // 2 / 3
      '\n',
      '𝐀b\n', // astral capital: 1 / 3
      'ÀÉ\n', // 2 / 3
      'ǅ\n', // title case is not upper case
      'Ⓐ\n', // a symbol with the Uppercase property: 1 / 2
      'ΣΑ\u0085\n', // 2 / 4
      'Ab',
    ].join('');
    assert.deepEqual(on(linesUppercaseLetterFraction, text), [0.66666667, 0, 0.33333333, 0.66666667, 0, 0.5, 0.5, 0.5]);
  });
});

describe('round8Fast', () => {
  it('equals round8 on every k/n with n <= 1000', () => {
    for (let n = 1; n <= 1000; n++) {
      for (let k = 0; k <= n; k++) {
        const x = k / n;
        if (!Object.is(round8Fast(x), round8(x))) assert.fail(`${k}/${n}: ${round8Fast(x)} vs ${round8(x)}`);
      }
    }
  });

  it('equals round8 at and around exact ties, and on values of many magnitudes', () => {
    let seed = 12345;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 200_000; i++) {
      const tie = (Math.floor(next() * 1e8) + 0.5) / 1e8;
      const near = tie * (1 + (Math.floor(next() * 9) - 4) * Number.EPSILON);
      const wide = next() * 10 ** Math.floor(next() * 14 - 6);
      for (const x of [tie, near, wide, i / 512]) {
        if (!Object.is(round8Fast(x), round8(x))) assert.fail(`${x}: ${round8Fast(x)} vs ${round8(x)}`);
      }
    }
  });
});

/** Appendix B: every line value of every vector, with its span. */
const VECTORS: Array<{ name: string; raw: string; expected: Record<string, Array<[number, number, number]>> }> = [
  {
    name: 'empty',
    raw: '',
    // The reference's [[0, 0, null]] for rps_lines_start_with_bulletpoint is produced by the RPv2 exporter.
    expected: Object.fromEntries(KEYS.map((k) => [k, []])),
  },
  {
    name: 'blank_lines',
    raw: '  \n\n \n',
    expected: Object.fromEntries(KEYS.map((k) => [k, [[0, 3, 0], [3, 4, 0], [4, 6, 0]]])),
  },
  {
    name: 'mixed_en',
    raw:
      'The QUICK brown fox... jumps over the lazy dog!\n\u2022 Item one costs 100 dollars\n  \u2013 Item two: enable JavaScript, javascript is required.\nLorem ipsum dolor sit amet { code } \u2026\nTHE END \u201d\nEmoji \ud83d\ude00 line #tag #tag2\n',
    expected: {
      rps_lines_ending_with_terminal_punctution_mark: [[0, 48, 1.0], [48, 77, 0.0], [77, 134, 1.0], [134, 172, 0.0], [172, 182, 1.0], [182, 206, 0.0]],
      rps_lines_javascript_counts: [[0, 48, 0.0], [48, 77, 0.0], [77, 134, 2.0], [134, 172, 0.0], [172, 182, 0.0], [182, 206, 0.0]],
      rps_lines_num_words: [[0, 48, 9], [48, 77, 6], [77, 134, 8], [134, 172, 7], [172, 182, 3], [182, 206, 5]],
      rps_lines_numerical_chars_fraction: [[0, 48, 0.0], [48, 77, 0.10714286], [77, 134, 0.0], [134, 172, 0.0], [172, 182, 0.0], [182, 206, 0.04761905]],
      rps_lines_start_with_bulletpoint: [[0, 48, 0.0], [48, 77, 1.0], [77, 134, 1.0], [134, 172, 0.0], [172, 182, 0.0], [182, 206, 0.0]],
      rps_lines_uppercase_letter_fraction: [[0, 48, 0.125], [48, 77, 0.03448276], [77, 134, 0.05263158], [134, 172, 0.02631579], [172, 182, 0.6], [182, 206, 0.04166667]],
    },
  },
  {
    name: 'repetitive',
    raw: 'one two three four five six seven eight nine ten eleven twelve thirteen one two three four five six seven eight nine ten eleven twelve thirteen fourteen',
    expected: {
      rps_lines_ending_with_terminal_punctution_mark: [[0, 152, 0.0]],
      rps_lines_javascript_counts: [[0, 152, 0.0]],
      rps_lines_num_words: [[0, 152, 27]],
      rps_lines_numerical_chars_fraction: [[0, 152, 0.0]],
      rps_lines_start_with_bulletpoint: [[0, 152, 0.0]],
      rps_lines_uppercase_letter_fraction: [[0, 152, 0.0]],
    },
  },
  {
    name: 'french_accents',
    raw: "L'\u00e9t\u00e9 est tr\u00e8s chaud \u00e0 Paris. Les enfants jouent dans le jardin, et les parents regardent.",
    expected: {
      rps_lines_ending_with_terminal_punctution_mark: [[0, 90, 1.0]],
      rps_lines_javascript_counts: [[0, 90, 0.0]],
      rps_lines_num_words: [[0, 90, 16]],
      rps_lines_numerical_chars_fraction: [[0, 90, 0.0]],
      rps_lines_start_with_bulletpoint: [[0, 90, 0.0]],
      rps_lines_uppercase_letter_fraction: [[0, 90, 0.03333333]],
    },
  },
];

/** `[start, end, value]` spans of a line signal's values, as RPv2 writes them. */
function spans(view: TextView, values: ArrayLike<number>): Array<[number, number, number]> {
  return view.lines.map((line, i) => [line.start, line.end, values[i]]);
}

describe('Appendix B vectors', () => {
  for (const vec of VECTORS) {
    it(vec.name, () => {
      const v = new TextView(vec.raw);
      for (const key of KEYS) assert.deepEqual(spans(v, FNS[key](v)), vec.expected[key], `${vec.name} ${key}`);
    });
  }
});

/** The three reference corpora, aligned by line with their reference signal files. */

/** Whether our values match the reference spans exactly; `[[0, 0, null]]` is accepted for an empty document's bullets. */
function matches(key: string, view: TextView, ours: ArrayLike<number>, theirs: Array<[number, number, number | null]>): boolean {
  if (view.lines.length === 0 && key === 'rps_lines_start_with_bulletpoint') {
    return ours.length === 0 && theirs.length === 1 && theirs[0][0] === 0 && theirs[0][1] === 0 && theirs[0][2] === null;
  }
  if (ours.length !== view.lines.length || theirs.length !== ours.length) return false;
  for (let i = 0; i < ours.length; i++) {
    const [start, end, value] = theirs[i];
    if (start !== view.lines[i].start || end !== view.lines[i].end || value !== ours[i]) return false;
  }
  return true;
}

/** The first differing line, for the failure message. */
function firstLineDiff(view: TextView, ours: ArrayLike<number>, theirs: Array<[number, number, number | null]>): string {
  for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
    const line = view.lines[i];
    const mine = line ? [line.start, line.end, ours[i]] : undefined;
    if (JSON.stringify(mine) !== JSON.stringify(theirs[i])) {
      return `line ${i} ${JSON.stringify(line?.text.slice(0, 80))}: ours ${JSON.stringify(mine)} vs theirs ${JSON.stringify(theirs[i])}`;
    }
  }
  return `${ours.length} values vs ${theirs.length} spans`;
}

describe('parity with the reference on 3,469 documents', () => {
  const docs: ParityDoc[] = [];

  before(async () => {
    docs.push(...(await loadParityDocs()));
    assert.equal(docs.length, 3469);
  });

  for (const key of KEYS) {
    it(key, (t) => {
      let equal = 0;
      let firstDiff: string | undefined;
      for (const doc of docs) {
        const ours = FNS[key](doc.view);
        const theirs = doc.signals[key];
        if (matches(key, doc.view, ours, theirs)) equal++;
        else firstDiff ??= `${doc.id} ${JSON.stringify(doc.view.raw.slice(0, 120))}: ${firstLineDiff(doc.view, ours, theirs)}`;
      }
      t.diagnostic(`${key} parity ${equal}/${docs.length}`);
      assert.equal(equal, docs.length, `first difference: ${firstDiff}`);
    });
  }
});

describe('line signals read flat views: they equal per-line definitions on hostile text', () => {
  const alphabet = ['javascript', 'JavaScript', 'java script', 'javascript.', '-javascript', ' ', ' ', '\n', '\n', '\u2028', '\t', '1', '½', '²', '三', '𝟎', 'x', 'É', '😀', '.', 'Σ', '\u0301'];
  let seed = 7;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const texts: string[] = [];
  for (let k = 0; k < 400; k++) {
    let s = '';
    for (let i = next() % 25; i > 0; i--) s += alphabet[next() % alphabet.length];
    texts.push(s);
  }

  it('rps_lines_javascript_counts and rps_lines_numerical_chars_fraction', () => {
    for (const text of texts) {
      const view = new TextView(text);
      const js = view.normalizedLines.map((line) => pySplit(line).filter((w) => w === 'javascript').length);
      assert.deepEqual([...linesJavascriptCounts(view)], js, JSON.stringify(text));
      const numeric = view.normalizedLines.map((line) => {
        const cps = [...line];
        const n = cps.filter((ch) => isPyNumericChar(ch.codePointAt(0) as number)).length;
        return n === 0 ? 0 : round8(n / cps.length);
      });
      assert.deepEqual([...linesNumericalCharsFraction(view)], numeric, JSON.stringify(text));
    }
  });
});
