import type { SignalFamily } from '../src/signal.js';
import type { TextView, WordVocabulary } from '../src/text/index.js';
import { PY_SPACE_UNIT, round8Fast } from '../src/text/python.js';

/** Re-exported from `src/text/python.ts`, where it moved (the line fractions were its first users). */
export { round8Fast } from '../src/text/python.js';

/*
 * Line signals (spec §3.5): one value per raw line, aligned with `view.lines` (and so with the
 * `line_ends` column). An empty document has no lines, so every signal here returns an empty array.
 */

/**
 * rps_lines_ending_with_terminal_punctution_mark (sic): per raw line, 1.0 if its right-stripped text
 * ends with `.`, `!`, `?` or `”` (U+201D; the ASCII `"` does not count), else 0.0.
 */
export function linesEndingWithTerminalPunctutionMark(view: TextView): Float64Array {
  // Each line is read in place in the flat raw text (the lines tile it), not through its own string.
  const raw = view.raw;
  const starts = view.lineStartsUtf16;
  const out = new Float64Array(starts.length - 1);
  for (let l = 0; l < out.length; l++) {
    const start = starts[l];
    let j = starts[l + 1] - 1;
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
  const offsets = view.normalizedLineWordOffsets;
  const out = new Float64Array(offsets.length - 1);
  // The normalized text is the non-empty normalized lines joined by one space: one search over it
  // finds every line's matches (and rules out most documents at once).
  const s = view.normalized;
  let i = s.indexOf(JAVASCRIPT);
  if (i === -1) return out;
  const starts = view.normalizedWordStarts;
  let l = 0;
  for (; i !== -1; i = s.indexOf(JAVASCRIPT, i + JAVASCRIPT.length)) {
    // Tokens are separated by exactly one ASCII space (and lines by one too), so a token is a
    // space-delimited match, and it starts a word of the line whose words span it.
    const end = i + JAVASCRIPT.length;
    if ((i === 0 || s.charCodeAt(i - 1) === 0x20) && (end === s.length || s.charCodeAt(end) === 0x20)) {
      while (i >= starts[offsets[l + 1]]) l++;
      out[l]++;
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
  // Normalization counts each line's numeric characters as it writes them. A normalized line is
  // its words joined by single spaces, so its code points add up over its words' lengths.
  const numeric = view.normalizedLineNumericCounts;
  const offsets = view.normalizedLineWordOffsets;
  const out = new Float64Array(numeric.length);
  let vocabulary: WordVocabulary | undefined;
  for (let l = 0; l < out.length; l++) {
    if (numeric[l] === 0) continue;
    const { ids, lengths } = (vocabulary ??= view.vocabulary);
    const from = offsets[l];
    const to = offsets[l + 1];
    let chars = to - from - 1;
    for (let w = from; w < to; w++) chars += lengths[ids[w]];
    out[l] = round8Fast(numeric[l] / chars);
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
  const starts = view.lineStartsUtf16;
  const out = new Float64Array(starts.length - 1);
  for (let l = 0; l < out.length; l++) {
    let i = starts[l];
    const end = starts[l + 1];
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
  // The tokenizer counts each line's upper-case code points as it classifies every character.
  const upper = view.rawLineUpperCounts;
  const ends = view.lineEnds;
  const out = new Float64Array(ends.length);
  for (let l = 0; l < out.length; l++) {
    if (upper[l] > 0) out[l] = round8Fast(upper[l] / (ends[l] - (l === 0 ? 0 : ends[l - 1])));
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
