import type { SignalFamily } from '../src/signal.js';
import type { TextView } from '../src/text/index.js';
import { isPyUpperChar, isPyUpperWord, isPyWhitespace, round8 } from '../src/text/python.js';
import { isPyWordChar } from '../src/text/tokenize.js';

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

/** Python whitespace (`str.rstrip`) of each UTF-16 unit: a table load beats the branchy test in the line loop. */
const PY_SPACE_UNIT = new Uint8Array(0x10000);
for (let c = 0; c < 0x10000; c++) PY_SPACE_UNIT[c] = isPyWhitespace(c) ? 1 : 0;

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
  return view.normalizedWords.length;
}

/**
 * rps_doc_mean_word_length: Σ code points of the normalized (NFD) words / their number, rounded; null
 * without words.
 */
export function docMeanWordLength(view: TextView): number | null {
  const { ids, counts, lengths } = view.vocabulary;
  if (ids.length === 0) return null;
  let chars = 0;
  for (let id = 0; id < counts.length; id++) chars += counts[id] * lengths[id];
  return round8(chars / ids.length);
}

/**
 * rps_doc_symbol_to_word_ratio: (count of `#` + count of `...` + count of `…` in the raw text, each a
 * non-overlapping `str.count`) / number of raw words, rounded; null without raw words.
 */
export function docSymbolToWordRatio(view: TextView): number | null {
  const words = view.rawWords.length;
  if (words === 0) return null;
  const s = view.raw;
  let symbols = 0;
  for (let i = s.indexOf('#'); i !== -1; i = s.indexOf('#', i + 1)) symbols++;
  // Resuming after each match makes the count non-overlapping: "....." holds one "...".
  for (let i = s.indexOf('...'); i !== -1; i = s.indexOf('...', i + 3)) symbols++;
  for (let i = s.indexOf('\u2026'); i !== -1; i = s.indexOf('\u2026', i + 1)) symbols++;
  return round8(symbols / words);
}

/**
 * rps_doc_frac_lines_end_with_ellipsis: raw lines whose right-stripped text ends with `...` or `…` /
 * number of raw lines (blank lines included), rounded; null without lines.
 */
export function docFracLinesEndWithEllipsis(view: TextView): number | null {
  const lines = view.lines;
  if (lines.length === 0) return null;
  // Each line is read in place in the flat raw text (the lines tile it), not through its own string.
  const s = view.raw;
  let ellipsis = 0;
  let end = 0;
  for (let l = 0; l < lines.length; l++) {
    const start = end;
    end += lines[l].text.length;
    let j = end - 1;
    while (j >= start && PY_SPACE_UNIT[s.charCodeAt(j)] === 1) j--;
    const c = j >= start ? s.charCodeAt(j) : 0;
    if (c === 0x2026 || (c === 0x2e && j - 2 >= start && s.charCodeAt(j - 1) === 0x2e && s.charCodeAt(j - 2) === 0x2e)) ellipsis++;
  }
  return round8(ellipsis / lines.length);
}

/**
 * rps_doc_frac_no_alph_words: 1 − (raw words containing an ASCII letter `[a-zA-Z]`) / number of raw
 * words, rounded, so accented-only, non-Latin and punctuation tokens are "no alpha"; null without raw words.
 */
export function docFracNoAlphWords(view: TextView): number | null {
  const words = view.rawWords;
  if (words.length === 0) return null;
  let alpha = 0;
  for (let w = 0; w < words.length; w++) {
    const word = words[w];
    for (let i = 0; i < word.length; i++) {
      // `c | 0x20` maps A–Z onto a–z and leaves every other unit outside a–z.
      if (((word.charCodeAt(i) | 0x20) - 0x61) >>> 0 < 26) {
        alpha++;
        break;
      }
    }
  }
  return round8(1.0 - alpha / words.length);
}

/** rps_doc_frac_unique_words: distinct normalized words / normalized words, rounded; null without words. */
export function docFracUniqueWords(view: TextView): number | null {
  const { ids, counts } = view.vocabulary;
  if (ids.length === 0) return null;
  return round8(counts.length / ids.length);
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
  let entropy = 0;
  for (let id = 0; id < counts.length; id++) entropy += (-counts[id] / total) * Math.log(counts[id] / total);
  return round8(entropy);
}

const UPPER = 1;
const LOWER_OR_TITLE = 2;
const UNCASED = 3;

/** Case class of each UTF-16 unit for `str.isupper`, memoised like `WORD_UNIT`; a lone low surrogate is uncased. */
const CASE_UNIT = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) CASE_UNIT[c] = c >= 0x41 && c <= 0x5a ? UPPER : c >= 0x61 && c <= 0x7a ? LOWER_OR_TITLE : UNCASED;
CASE_UNIT.fill(UNCASED, 0xdc00, 0xe000);

/** Case class of one code point with Python 3.11's data (the Unicode-14 fixes live in `isPyUpperWord`). */
function caseOf(cp: number): number {
  // An appended upper-case letter makes isupper false only if `cp` is lower- or title-case.
  if (!isPyUpperWord(String.fromCodePoint(cp) + 'A')) return LOWER_OR_TITLE;
  return isPyUpperChar(cp) ? UPPER : UNCASED;
}

/** Python `word.isupper()`: no lower- or title-case character and at least one upper-case one. */
function isUpperWord(word: string): boolean {
  let cased = false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    let k = CASE_UNIT[c];
    if (k === UNSEEN) {
      if (c >= 0xd800 && c <= 0xdbff) {
        // High surrogates are never memoised: a pair is one astral code point, a lone one is uncased.
        const d = i + 1 < word.length ? word.charCodeAt(i + 1) : 0;
        if (d >= 0xdc00 && d <= 0xdfff) {
          k = caseOf(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
          i++;
        } else {
          k = UNCASED;
        }
      } else {
        k = CASE_UNIT[c] = caseOf(c);
      }
    }
    if (k === LOWER_OR_TITLE) return false;
    if (k === UPPER) cased = true;
  }
  return cased;
}

/** rps_doc_frac_all_caps_words: raw words for which Python `str.isupper()` holds / raw words, rounded; null without raw words. */
export function docFracAllCapsWords(view: TextView): number | null {
  const words = view.rawWords;
  if (words.length === 0) return null;
  let caps = 0;
  for (let w = 0; w < words.length; w++) if (isUpperWord(words[w])) caps++;
  return round8(caps / words.length);
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
