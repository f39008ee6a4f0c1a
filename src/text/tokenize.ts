/**
 * NLTK `WordPunctTokenizer` with Python `re` semantics (spec §2.3, §2.7): the tokens are the maximal
 * runs of word characters (`\w` = letters, numbers, underscore) and the maximal runs of characters
 * that are neither word characters nor whitespace. Whitespace only separates.
 *
 * The obvious regex (`WORD_PUNCT_SOURCE` below) is correct but slow on Unicode property classes, so
 * the tokenizer is a hand-written scan with a per-code-unit class cache; the regex is kept as the
 * executable definition and the tests check the two agree.
 */

import { PY_WHITESPACE_CLASS, isPyWhitespace } from './python.js';

/** The WordPunct regex source with Python's `\w` and `\s`; use with the `gu` flags. */
export const WORD_PUNCT_SOURCE = `[\\p{L}\\p{N}_]+|[^\\p{L}\\p{N}_${PY_WHITESPACE_CLASS}]+`;

const WORD_CHAR_RE = /^[\p{L}\p{N}_]$/u;

/** Python `re` `\w` for one code point: `[\p{L}\p{N}_]`; combining marks are not word characters. */
export function isPyWordChar(cp: number): boolean {
  if (cp < 0x80) {
    return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x30 && cp <= 0x39) || cp === 0x5f;
  }
  return WORD_CHAR_RE.test(String.fromCodePoint(cp));
}

const UNKNOWN = 0;
const WORD = 1;
const SPACE = 2;
const OTHER = 3;

/** Class of each BMP code unit, filled on first sight (surrogates are never cached). */
const BMP_CLASS = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) {
  BMP_CLASS[c] = isPyWordChar(c) ? WORD : isPyWhitespace(c) ? SPACE : OTHER;
}

function classifyCodePoint(cp: number): number {
  return isPyWordChar(cp) ? WORD : isPyWhitespace(cp) ? SPACE : OTHER;
}

/** WordPunct tokens of `s`, identical to `s.match(new RegExp(WORD_PUNCT_SOURCE, 'gu')) ?? []`. */
export function wordPunctTokenize(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let runStart = -1;
  let runClass = SPACE;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let cls = BMP_CLASS[c];
    let width = 1;
    if (cls === UNKNOWN) {
      if (c >= 0xd800 && c <= 0xdfff) {
        // A surrogate pair is one astral code point; a lone surrogate is "other" (category Cs).
        const d = c <= 0xdbff && i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (d >= 0xdc00 && d <= 0xdfff) {
          cls = classifyCodePoint(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
          width = 2;
        } else {
          cls = OTHER;
        }
      } else {
        cls = classifyCodePoint(c);
        BMP_CLASS[c] = cls;
      }
    }
    if (cls !== runClass) {
      if (runClass !== SPACE) out.push(s.slice(runStart, i));
      runClass = cls;
      runStart = i;
    }
    i += width - 1;
  }
  if (runClass !== SPACE) out.push(runStart === 0 ? s : s.slice(runStart));
  return out;
}
