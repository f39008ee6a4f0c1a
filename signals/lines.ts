import type { SignalFamily } from '../src/signal.js';
import type { TextView } from '../src/text/index.js';
import { isPyNumericChar, isPyUpperChar, isPyWhitespace, round8 } from '../src/text/python.js';

/*
 * Line signals (spec §3.5): one value per raw line, aligned with `view.lines` (and so with the
 * `line_ends` column). An empty document has no lines, so every signal here returns an empty array.
 */

// Memo values chosen so that the counting loops add a memoised value as is (NO 0, YES 1) and take
// the slow path on one comparison (`>= UNSEEN`).
const NO = 0;
const YES = 1;
const UNSEEN = 2;

/** Per-UTF-16-unit memo of a code-point predicate (UNSEEN until first sight), ASCII filled up front. */
function unitTable(pred: (cp: number) => boolean): Uint8Array {
  const table = new Uint8Array(0x10000).fill(UNSEEN);
  for (let c = 0; c < 0x80; c++) table[c] = pred(c) ? YES : NO;
  return table;
}

/** Python per-character `str.isnumeric` and `str.isupper`, memoised per unit. */
const NUMERIC_UNIT = unitTable(isPyNumericChar);
const UPPER_UNIT = unitTable(isPyUpperChar);

/**
 * Slow path of the counting loops, for a unit of `s` not yet in `table`: tests the code point at `i`
 * (a surrogate pair within `to` as one astral code point, never memoised; a lone surrogate fails),
 * memoises a BMP unit, and returns 1 if `pred` holds, plus 2 if the code point took two units.
 */
function classifyAt(s: string, i: number, to: number, table: Uint8Array, pred: (cp: number) => boolean): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = i + 1 < to ? s.charCodeAt(i + 1) : 0;
    if (d >= 0xdc00 && d <= 0xdfff) return 2 | (pred(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000) ? 1 : 0);
    return 0;
  }
  const yes = pred(c);
  table[c] = yes ? YES : NO;
  return yes ? 1 : 0;
}

/** Python whitespace (`str.strip`) of each UTF-16 unit: a table load beats the branchy test in these loops. */
const PY_SPACE_UNIT = new Uint8Array(0x10000);
for (let c = 0; c < 0x10000; c++) PY_SPACE_UNIT[c] = isPyWhitespace(c) ? 1 : 0;

/**
 * `round8(x)` for `0 <= x`, without its string round trip where that cannot change the result. With
 * `y = x * 1e8` (off from the exact product by at most half an ulp of `y`), the nearest integer R to
 * the exact product is the nearest integer to `y` unless `y` lies within a few ulps of a half-integer,
 * and then `R / 1e8` (both exact, the quotient correctly rounded) is the double nearest R·10⁻⁸: what
 * Python's `round(x, 8)` parses back. Near a half-integer (ties included) it defers to `round8`.
 * Why: `round8` costs a `toFixed` and a parse, and the line fractions call it once per line.
 */
export function round8Fast(x: number): number {
  const y = x * 1e8;
  const r = Math.floor(y);
  const f = y - r;
  if (y < 2 ** 52 && Math.abs(f - 0.5) > y * 2 ** -50) return (f < 0.5 ? r : r + 1) / 1e8;
  return round8(x);
}

/**
 * rps_lines_ending_with_terminal_punctution_mark (sic): per raw line, 1.0 if its right-stripped text
 * ends with `.`, `!`, `?` or `”` (U+201D; the ASCII `"` does not count), else 0.0.
 */
export function linesEndingWithTerminalPunctutionMark(view: TextView): Float64Array {
  // Each line is read in place in the flat raw text (the lines tile it), not through its own string.
  const raw = view.raw;
  const lines = view.lines;
  const out = new Float64Array(lines.length);
  let end = 0;
  for (let l = 0; l < lines.length; l++) {
    const start = end;
    end += lines[l].text.length;
    let j = end - 1;
    while (j >= start && PY_SPACE_UNIT[raw.charCodeAt(j)] === 1) j--;
    if (j < start) continue;
    const c = raw.charCodeAt(j);
    if (c === 0x2e || c === 0x21 || c === 0x3f || c === 0x201d) out[l] = 1;
  }
  return out;
}

const JAVASCRIPT = 'javascript';

/** rps_lines_javascript_counts: per normalized line, the number of whitespace tokens equal to `javascript`, as a float. */
export function linesJavascriptCounts(view: TextView): Float64Array {
  const lines = view.normalizedLines;
  const out = new Float64Array(lines.length);
  // The normalized text holds every normalized line, so one search rules out most documents.
  if (view.normalized.indexOf(JAVASCRIPT) === -1) return out;
  for (let l = 0; l < lines.length; l++) {
    const s = lines[l];
    // Normalized text separates tokens by exactly one ASCII space, so a token is a space-delimited match.
    for (let i = s.indexOf(JAVASCRIPT); i !== -1; i = s.indexOf(JAVASCRIPT, i + JAVASCRIPT.length)) {
      const end = i + JAVASCRIPT.length;
      if ((i === 0 || s.charCodeAt(i - 1) === 0x20) && (end === s.length || s.charCodeAt(end) === 0x20)) out[l]++;
    }
  }
  return out;
}

/** rps_lines_num_words: the number of whitespace-separated words of each normalized line. */
export function linesNumWords(view: TextView): Uint32Array {
  return view.normalizedLineWordCounts;
}

/**
 * rps_lines_numerical_chars_fraction: per normalized line, characters where Python `isnumeric` holds /
 * its code points, rounded; 0.0 for an empty normalized line.
 */
export function linesNumericalCharsFraction(view: TextView): Float64Array {
  const lines = view.normalizedLines;
  // `view.normalized` is the non-empty normalized lines joined by one space (see TextView); scanning
  // that one flat string is several times faster than scanning each line's own (sliced) string.
  const text = view.normalized;
  const out = new Float64Array(lines.length);
  let from = 0;
  for (let l = 0; l < lines.length; l++) {
    const to = from + lines[l].length;
    if (to === from) continue;
    let numeric = 0;
    let pairs = 0;
    for (let i = from; i < to; i++) {
      const k = NUMERIC_UNIT[text.charCodeAt(i)];
      if (k < UNSEEN) numeric += k;
      else {
        const r = classifyAt(text, i, to, NUMERIC_UNIT, isPyNumericChar);
        numeric += r & 1;
        pairs += r >> 1;
        i += r >> 1;
      }
    }
    if (numeric > 0) out[l] = round8Fast(numeric / (to - from - pairs));
    from = to + 1;
  }
  return out;
}

/** The bullet characters of spec §4.2 (the en dash included; ASCII `-`, `*` and `·` are not bullets). */
function isBullet(c: number): boolean {
  if (c < 0x2013) return false;
  return (
    c === 0x2022 || c === 0x2023 || c === 0x25b6 || c === 0x25c0 || c === 0x25e6 ||
    c === 0x25a0 || c === 0x25a1 || c === 0x25aa || c === 0x25ab || c === 0x2013
  );
}

/**
 * rps_lines_start_with_bulletpoint: per raw line, 1.0 if its left-stripped text starts with a bullet of
 * spec §4.2, else 0.0. (The reference gives `[[0, 0, null]]` for an empty document; that quirk is
 * reproduced by the RPv2 exporter, so here an empty document gets an empty array like the others.)
 */
export function linesStartWithBulletpoint(view: TextView): Float64Array {
  const raw = view.raw;
  const lines = view.lines;
  const out = new Float64Array(lines.length);
  let end = 0;
  for (let l = 0; l < lines.length; l++) {
    let i = end;
    end += lines[l].text.length;
    while (i < end && PY_SPACE_UNIT[raw.charCodeAt(i)] === 1) i++;
    if (i < end && isBullet(raw.charCodeAt(i))) out[l] = 1;
  }
  return out;
}

/**
 * rps_lines_uppercase_letter_fraction: per raw line, characters where Python `isupper` holds / its code
 * points including the trailing `\n`, rounded; 0.0 for an empty line.
 */
export function linesUppercaseLetterFraction(view: TextView): Float64Array {
  const raw = view.raw;
  const lines = view.lines;
  const out = new Float64Array(lines.length);
  let end = 0;
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l];
    const start = end;
    end += line.text.length;
    let upper = 0;
    for (let i = start; i < end; i++) {
      const k = UPPER_UNIT[raw.charCodeAt(i)];
      if (k < UNSEEN) upper += k;
      else {
        const r = classifyAt(raw, i, end, UPPER_UNIT, isPyUpperChar);
        upper += r & 1;
        i += r >> 1;
      }
    }
    if (upper > 0) out[l] = round8Fast(upper / (line.end - line.start));
  }
  return out;
}

export const lines: SignalFamily = {
  id: 'lines',
  version: 1,
  // RPv2's key order (spec §3.9): alphabetical by reference class name.
  signals: [
    { name: 'rps_lines_ending_with_terminal_punctution_mark', level: 'line', type: 'f64', description: 'Whether each raw line ends with terminal punctuation (1.0 or 0.0).', compute: linesEndingWithTerminalPunctutionMark },
    { name: 'rps_lines_javascript_counts', level: 'line', type: 'f64', description: 'Occurrences of the word "javascript" in each normalized line.', compute: linesJavascriptCounts },
    { name: 'rps_lines_num_words', level: 'line', type: 'i64', description: 'Words in each normalized line.', compute: linesNumWords },
    { name: 'rps_lines_numerical_chars_fraction', level: 'line', type: 'f64', description: 'Fraction of numeric characters in each normalized line.', compute: linesNumericalCharsFraction },
    { name: 'rps_lines_start_with_bulletpoint', level: 'line', type: 'f64', description: 'Whether each raw line starts with a bullet point (1.0 or 0.0).', compute: linesStartWithBulletpoint },
    { name: 'rps_lines_uppercase_letter_fraction', level: 'line', type: 'f64', description: 'Fraction of upper-case characters in each raw line, its newline included.', compute: linesUppercaseLetterFraction },
  ],
};
