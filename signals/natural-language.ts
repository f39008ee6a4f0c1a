import type { SignalFamily } from '../src/signal.js';
import type { TextView } from '../src/text/index.js';
import { PY_SPACE_UNIT, round8Fast } from '../src/text/python.js';
import { TOKEN_HAS_ASCII_LETTER, TOKEN_HAS_LOWER_OR_TITLE, TOKEN_HAS_UPPER, isPyWordChar } from '../src/text/tokenize.js';

/*
 * Natural-language signals (spec §3.4). Each is one pass over a view the TextView already holds,
 * with per-code-unit lookup tables instead of Unicode-property regexes in the loops.
 */

const UNSEEN = 0;
const YES = 1;
const NO = 2;

/**
 * Python `re` `\w` of each UTF-16 unit, memoised on first sight (0 = not yet seen). High surrogates
 * are never memoised (their class depends on the low half), and a lone low surrogate is not `\w`.
 */
const WORD_UNIT = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) WORD_UNIT[c] = isPyWordChar(c) ? YES : NO;
WORD_UNIT.fill(NO, 0xdc00, 0xe000);

/** Whether the code point starting at unit `i` (unit value `c`) of `s` is a Python `\w` character. */
function isWordAt(s: string, i: number, c: number): boolean {
  const k = WORD_UNIT[c];
  if (k !== UNSEEN) return k === YES;
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    // A lone high surrogate is category Cs, not a word character.
    return d >= 0xdc00 && d <= 0xdfff && isPyWordChar(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
  }
  const word = isPyWordChar(c);
  WORD_UNIT[c] = word ? YES : NO;
  return word;
}

/** `.`, `!` or `?`: the characters `[^.!?]` excludes. */
function isSentenceEnd(c: number): boolean {
  return c === 0x2e || c === 0x21 || c === 0x3f;
}

const SENTENCE_ENDS = ['.', '!', '?'];

/** Position of the first `.`, `!` or `?` at or after `from` in `s`, or `s.length`; `next` caches each one's next position. */
function nextSentenceEnd(s: string, from: number, next: Int32Array): number {
  let first = s.length;
  for (let k = 0; k < 3; k++) {
    // Native `indexOf` scans far faster than a JS loop; a cached position is reused until passed.
    if (next[k] !== -1 && next[k] < from) next[k] = s.indexOf(SENTENCE_ENDS[k], from);
    if (next[k] !== -1 && next[k] < first) first = next[k];
  }
  return first;
}

/**
 * rps_doc_num_sentences: the number of matches of `\b[^.!?]+[.!?]*` (Unicode `\b`, `[^.!?]` spanning
 * newlines) in the raw text, as an unrounded float; 0.0 when empty.
 */
export function docNumSentences(view: TextView): number {
  // Between matches the scan has just passed a non-word character (or the text start), so `\b` holds
  // exactly at the next word character; a match then runs to the next `.!?` and takes its whole run.
  const s = view.raw;
  const n = s.length;
  const next = new Int32Array(3).fill(-2); // -2: not searched yet, -1: none left
  let count = 0;
  let i = 0;
  while (i < n) {
    while (i < n && !isWordAt(s, i, s.charCodeAt(i))) i++;
    if (i === n) break;
    count++;
    i = nextSentenceEnd(s, i, next);
    while (i < n && isSentenceEnd(s.charCodeAt(i))) i++;
  }
  return count;
}

/** rps_doc_word_count: the number of normalized words. */
export function docWordCount(view: TextView): number {
  return view.normalizedWordCount;
}

/**
 * rps_doc_mean_word_length: Σ code points of the normalized (NFD) words / their number, rounded; null
 * without words.
 */
export function docMeanWordLength(view: TextView): number | null {
  const words = view.normalizedWordCount;
  if (words === 0) return null;
  // The normalized text is its words joined by single spaces, so they hold all its code points but those.
  return round8Fast((view.normalizedLength - (words - 1)) / words);
}

/**
 * rps_doc_symbol_to_word_ratio: (count of `#` + count of `...` + count of `…` in the raw text, each a
 * non-overlapping `str.count`) / number of raw words, rounded; null without raw words.
 */
export function docSymbolToWordRatio(view: TextView): number | null {
  const words = view.rawWordSpans.count;
  if (words === 0) return null;
  const s = view.raw;
  let symbols = 0;
  for (let i = s.indexOf('#'); i !== -1; i = s.indexOf('#', i + 1)) symbols++;
  // Resuming after each match makes the count non-overlapping: "....." holds one "...".
  for (let i = s.indexOf('...'); i !== -1; i = s.indexOf('...', i + 3)) symbols++;
  for (let i = s.indexOf('\u2026'); i !== -1; i = s.indexOf('\u2026', i + 1)) symbols++;
  return round8Fast(symbols / words);
}

/**
 * rps_doc_frac_lines_end_with_ellipsis: raw lines whose right-stripped text ends with `...` or `…` /
 * number of raw lines (blank lines included), rounded; null without lines.
 */
export function docFracLinesEndWithEllipsis(view: TextView): number | null {
  const starts = view.lineStartsUtf16;
  const lines = starts.length - 1;
  if (lines === 0) return null;
  // Each line is read in place in the flat raw text (the lines tile it), not through its own string.
  const s = view.raw;
  let ellipsis = 0;
  for (let l = 0; l < lines; l++) {
    const start = starts[l];
    let j = starts[l + 1] - 1;
    while (j >= start && PY_SPACE_UNIT[s.charCodeAt(j)] === 1) j--;
    const c = j >= start ? s.charCodeAt(j) : 0;
    if (c === 0x2026 || (c === 0x2e && j - 2 >= start && s.charCodeAt(j - 1) === 0x2e && s.charCodeAt(j - 2) === 0x2e)) ellipsis++;
  }
  return round8Fast(ellipsis / lines);
}

/**
 * rps_doc_frac_no_alph_words: 1 − (raw words containing an ASCII letter `[a-zA-Z]`) / number of raw
 * words, rounded, so accented-only, non-Latin and punctuation tokens are "no alpha"; null without raw words.
 */
export function docFracNoAlphWords(view: TextView): number | null {
  // The tokenizer marks each token holding an ASCII letter, and counts the tokens of each mark.
  const { count, flagCounts } = view.rawWordSpans;
  if (count === 0) return null;
  let alpha = 0;
  for (let f = 0; f < flagCounts.length; f++) if ((f & TOKEN_HAS_ASCII_LETTER) !== 0) alpha += flagCounts[f];
  return round8Fast(1.0 - alpha / count);
}

/** rps_doc_frac_unique_words: distinct normalized words / normalized words, rounded; null without words. */
export function docFracUniqueWords(view: TextView): number | null {
  const { ids, counts } = view.vocabulary;
  if (ids.length === 0) return null;
  return round8Fast(counts.length / ids.length);
}

/**
 * rps_doc_unigram_entropy: Σ over distinct normalized words of −(c/N)·ln(c/N), summed in order of
 * first occurrence, rounded; null without words.
 */
export function docUnigramEntropy(view: TextView): number | null {
  const { ids, counts } = view.vocabulary;
  const total = ids.length;
  if (total === 0) return null;
  // The reference's operations in its order (Python 3.11 `sum` adds left to right, uncompensated).
  // A term only depends on the count, so the one of the words seen once (most of them) is reused.
  const once = (-1 / total) * Math.log(1 / total);
  let entropy = 0;
  for (let id = 0; id < counts.length; id++) {
    const c = counts[id];
    entropy += c === 1 ? once : (-c / total) * Math.log(c / total);
  }
  return round8Fast(entropy);
}

/** rps_doc_frac_all_caps_words: raw words for which Python `str.isupper()` holds / raw words, rounded; null without raw words. */
export function docFracAllCapsWords(view: TextView): number | null {
  // The tokenizer ORs each token's case bits: `isupper` holds with an upper-case character and no
  // lower- or title-case one.
  const { count, flagCounts } = view.rawWordSpans;
  if (count === 0) return null;
  let caps = 0;
  for (let f = 0; f < flagCounts.length; f++) if ((f & (TOKEN_HAS_UPPER | TOKEN_HAS_LOWER_OR_TITLE)) === TOKEN_HAS_UPPER) caps += flagCounts[f];
  return round8Fast(caps / count);
}

export const naturalLanguage: SignalFamily = {
  id: 'natural-language',
  version: 1,
  // RPv2's key order (spec §3.9): alphabetical by reference class name.
  signals: [
    { name: 'rps_doc_frac_all_caps_words', level: 'doc', type: 'f64', description: 'Fraction of raw words that are all upper case.', compute: docFracAllCapsWords },
    { name: 'rps_doc_frac_lines_end_with_ellipsis', level: 'doc', type: 'f64', description: 'Fraction of raw lines ending with an ellipsis.', compute: docFracLinesEndWithEllipsis },
    { name: 'rps_doc_frac_no_alph_words', level: 'doc', type: 'f64', description: 'Fraction of raw words without an ASCII letter.', compute: docFracNoAlphWords },
    { name: 'rps_doc_frac_unique_words', level: 'doc', type: 'f64', description: 'Distinct normalized words over normalized words.', compute: docFracUniqueWords },
    { name: 'rps_doc_mean_word_length', level: 'doc', type: 'f64', description: 'Mean code-point length of the normalized words.', compute: docMeanWordLength },
    { name: 'rps_doc_num_sentences', level: 'doc', type: 'f64', description: 'Number of sentences, as matches of the reference sentence regex.', compute: docNumSentences },
    { name: 'rps_doc_symbol_to_word_ratio', level: 'doc', type: 'f64', description: 'Hash signs and ellipses over raw words.', compute: docSymbolToWordRatio },
    { name: 'rps_doc_unigram_entropy', level: 'doc', type: 'f64', description: 'Entropy (natural log) of the normalized-word distribution.', compute: docUnigramEntropy },
    { name: 'rps_doc_word_count', level: 'doc', type: 'i64', description: 'Number of normalized words.', compute: docWordCount },
  ],
};
