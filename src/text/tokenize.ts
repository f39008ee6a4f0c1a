/**
 * NLTK `WordPunctTokenizer` with Python `re` semantics (spec §2.3, §2.7): the tokens are the maximal
 * runs of word characters (`\w` = letters, numbers, underscore) and the maximal runs of characters
 * that are neither word characters nor whitespace. Whitespace only separates.
 *
 * The obvious regex (`WORD_PUNCT_SOURCE` below) is correct but slow on Unicode property classes, so
 * the tokenizer is a hand-written scan with a per-code-unit class cache; the regex is kept as the
 * executable definition and the tests check the two agree.
 */

import { PY_WHITESPACE_CLASS, isPyLowerOrTitleChar, isPyUpperChar, isPyWhitespace } from './python.js';
import { CodeUnitSet } from './unit-set.js';

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

/*
 * Bits of one code point (and, OR-ed over its code points, of one token): the WordPunct class in the
 * low two bits (a token's characters all share it), then what the raw-word signals ask of a token.
 */
const UNKNOWN = 0;
/** Token class bits (`flags & TOKEN_CLASS`): a run of word characters. */
export const TOKEN_WORD = 1;
const SPACE = 2;
/** Token class bits (`flags & TOKEN_CLASS`): a run of characters neither word nor whitespace. */
export const TOKEN_OTHER = 3;
/** Mask of the token class bits. */
export const TOKEN_CLASS = 3;
/** Some character has the Unicode `Uppercase` property (Python `isupper` per character; the scan reads it as `(bits >>> 2) & 1`). */
export const TOKEN_HAS_UPPER = 4;
/** Some character is lower- or title-case (Python 3.11 data): then `str.isupper()` is false. */
export const TOKEN_HAS_LOWER_OR_TITLE = 8;
/** Some character is an ASCII letter `[a-zA-Z]`. */
export const TOKEN_HAS_ASCII_LETTER = 16;

/** The bits of one code point (never a surrogate half). */
export function codePointBits(cp: number): number {
  const cls = isPyWordChar(cp) ? TOKEN_WORD : isPyWhitespace(cp) ? SPACE : TOKEN_OTHER;
  // Case as Python's `isupper` sees it, each property on its own: a word is upper-case when it has
  // an upper-case character and no lower- or title-case one.
  const cased = (isPyLowerOrTitleChar(cp) ? TOKEN_HAS_LOWER_OR_TITLE : 0) | (isPyUpperChar(cp) ? TOKEN_HAS_UPPER : 0);
  const ascii = ((cp | 0x20) - 0x61) >>> 0 < 26 ? TOKEN_HAS_ASCII_LETTER : 0;
  return cls | cased | ascii;
}

/**
 * Bits of each BMP code unit, filled on first sight (UNKNOWN = not yet). Surrogates are never filled:
 * they depend on their neighbour (see `surrogateBits`).
 */
export const UNIT_BITS = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) UNIT_BITS[c] = codePointBits(c);

/**
 * Bits of the surrogate unit at `i`: the high half of a pair carries its astral code point's bits; the
 * low half of a pair only repeats its class, so it neither ends the token nor adds to its bits; a
 * lone surrogate is "other" (category Cs), uncased. Pairs are classified each time (never memoised).
 */
function surrogateBits(s: string, i: number, c: number): number {
  if (c <= 0xdbff) {
    const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    if (d >= 0xdc00 && d <= 0xdfff) return codePointBits(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
    return TOKEN_OTHER;
  }
  const h = i > 0 ? s.charCodeAt(i - 1) : 0;
  if (h >= 0xd800 && h <= 0xdbff) return codePointBits(((h - 0xd800) << 10) + (c - 0xdc00) + 0x10000) & TOKEN_CLASS;
  return TOKEN_OTHER;
}

/** Bits of a unit not yet in `UNIT_BITS`: memoised for BMP characters, worked out for surrogates. */
export function unknownBits(s: string, i: number, c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return surrogateBits(s, i, c);
  return unitBits(c);
}

/** Bits of a unit that is no surrogate, memoised in `UNIT_BITS`. */
export function unitBits(c: number): number {
  return UNIT_BITS[c] !== UNKNOWN ? UNIT_BITS[c] : (UNIT_BITS[c] = codePointBits(c));
}

/** The WordPunct tokens of a text as spans, with their bits; see `wordPunctSpans`. */
export interface TokenSpans {
  /** Number of tokens. */
  readonly count: number;
  /** UTF-16 offsets, two per token: start, end (exclusive). */
  readonly spans: Uint32Array;
  /** Per token: its class bits and the OR of its characters' `TOKEN_HAS_*` bits. */
  readonly flags: Uint8Array;
  /** How many tokens have each `flags` value (32 of them): counts by kind without a pass over `flags`. */
  readonly flagCounts: Uint32Array;
}

/**
 * Everything one pass over the raw text finds: the WordPunct tokens, and the raw lines (spec §2.4:
 * split after each `\n`, none after a trailing one, none in an empty text) with what the line
 * signals count in them.
 */
export interface RawScan extends TokenSpans {
  /** The UTF-16 offset where each line starts, plus one more entry, the text's length. */
  readonly lineStarts: Uint32Array;
  /** Per line, its code points with the `Uppercase` property (Python per-character `isupper`). */
  readonly upperPerLine: Uint32Array;
  /** Whether the text holds a surrogate (else code points and UTF-16 units coincide). */
  readonly hasSurrogates: boolean;
}

/**
 * Token buffers shared by every call (a token takes at least one unit, so `s.length` tokens at most),
 * copied out at the end: sparing the per-document guess-and-grow. Sharing is safe: the scan runs
 * synchronously to the end and calls nothing that can re-enter it; worker threads each load their
 * own copy of this module.
 */
let scratchSpans = new Uint32Array(0);
let scratchFlags = new Uint8Array(0);
let scratchUpper = new Uint32Array(0);
let scratchLines = new Uint32Array(0);

/**
 * The WordPunct tokens of `s` as UTF-16 spans plus per-token bits, in one scan and without a string
 * per token; `wordPunctTokenize(s)[k]` is `s.slice(spans[2k], spans[2k + 1])`. The same pass finds
 * the raw lines and counts their upper-case characters (see `RawScan`). `TextView` gets the same
 * from `scanText` (scan.ts), which runs this tokenizer fused with normalization; the tests check
 * that the two agree.
 */
export function wordPunctSpans(s: string): RawScan {
  const n = s.length;
  if (scratchFlags.length < n + 1) {
    scratchSpans = new Uint32Array(2 * n + 2);
    scratchFlags = new Uint8Array(n + 1);
    // Line starts, and cumulative upper-case counts there: at 0, after each `\n`, at the end.
    scratchLines = new Uint32Array(n + 2);
    scratchUpper = new Uint32Array(n + 2);
  }
  const lineStarts = scratchLines;
  const upperAt = scratchUpper;
  lineStarts[0] = 0;
  upperAt[0] = 0;
  let lines = 0;
  let upper = 0;
  let surrogates = false;
  const spans = scratchSpans;
  const flags = scratchFlags;
  let count = 0;
  const flagCounts = new Uint32Array(32);
  let runStart = 0;
  let runClass = SPACE;
  let runBits = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let bits = UNIT_BITS[c];
    if (bits === UNKNOWN) {
      if (c >= 0xd800 && c <= 0xdfff) surrogates = true;
      bits = unknownBits(s, i, c);
    }
    const cls = bits & TOKEN_CLASS;
    if (cls !== runClass) {
      if (runClass !== SPACE) {
        spans[2 * count] = runStart;
        spans[2 * count + 1] = i;
        flags[count++] = runBits;
        flagCounts[runBits]++;
      }
      runClass = cls;
      runStart = i;
      runBits = 0;
    }
    runBits |= bits;
    // A surrogate pair's upper-case bit is on its high half only, so this counts code points.
    upper += (bits >>> 2) & 1;
    if (c === 0x0a) {
      upperAt[++lines] = upper;
      lineStarts[lines] = i + 1;
    }
  }
  if (n > 0 && s.charCodeAt(n - 1) !== 0x0a) {
    upperAt[++lines] = upper;
    lineStarts[lines] = n;
  }
  const upperPerLine = new Uint32Array(lines);
  for (let l = 0; l < lines; l++) upperPerLine[l] = upperAt[l + 1] - upperAt[l];
  if (runClass !== SPACE) {
    spans[2 * count] = runStart;
    spans[2 * count + 1] = n;
    flags[count++] = runBits;
    flagCounts[runBits]++;
  }
  return {
    count,
    spans: spans.slice(0, 2 * count),
    flags: flags.slice(0, count),
    flagCounts,
    lineStarts: lineStarts.slice(0, lines + 1),
    upperPerLine,
    hasSurrogates: surrogates,
  };
}

/** WordPunct tokens of `s`, identical to `s.match(new RegExp(WORD_PUNCT_SOURCE, 'gu')) ?? []`. */
export function wordPunctTokenize(s: string): string[] {
  const { count, spans } = wordPunctSpans(s);
  const out: string[] = new Array(count);
  for (let k = 0; k < count; k++) out[k] = s.slice(spans[2 * k], spans[2 * k + 1]);
  return out;
}

/**
 * A set of strings counted among a text's WordPunct tokens (a stop-word list): each token is looked
 * up as its span of the text. A token equal to a member has the member's bits, and the member is
 * then a single token itself; so a token whose bits no single-token member has is ruled out with
 * one table load (for a lower-case word list: capitalised words, numbers, punctuation).
 */
export class TokenSet {
  readonly #members: CodeUnitSet;
  /** 1 for the token bits (`TokenSpans.flags` values) of the members that are one token. */
  readonly #possible = new Uint8Array(256);

  /** `multiplier`: the lookup hash's (see `CodeUnitSet`); tests pass 0 to collide everything. */
  constructor(words: Iterable<string>, multiplier?: number) {
    this.#members = new CodeUnitSet(words, multiplier);
    for (const w of this.#members.members) {
      const { count, spans, flags } = wordPunctSpans(w);
      if (count === 1 && spans[0] === 0 && spans[1] === w.length) this.#possible[flags[0]] = 1;
    }
  }

  /** How many of the tokens of `text` (as `wordPunctSpans(text)` gives them) are members. */
  count(text: string, tokens: TokenSpans): number {
    return this.#members.countSpans(text, tokens.spans, tokens.count, tokens.flags, this.#possible);
  }
}
