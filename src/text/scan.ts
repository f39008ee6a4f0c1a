/**
 * One pass over a document's raw text that yields both of its derived texts: the WordPunct tokens
 * of the raw text with the raw lines (`RawScan`, as `wordPunctSpans` gives them), and the normalized
 * text with its words and lines (`NormalizedText`, spec §2.2). Both need every unit of the raw text
 * classified, and the two state machines share that one read and one table lookup per unit.
 */

import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { nativeText } from '../native.js';
import type { NativeTextScan } from '../native.js';
import { PUNCT, UNIT_CLASS, normalize } from './normalize.js';
import { PY_WHITESPACE_CODE_POINTS, isPyNumericChar } from './python.js';
import { TOKEN_CLASS, UNIT_BITS, codePointBits, unitBits, unknownBits } from './tokenize.js';
import type { RawScan } from './tokenize.js';

/** `normalize(text)` with the word structure the scan finds on the way (see `normalizeWithLines`). */
export interface NormalizedText {
  /** `normalize(text)`. */
  readonly text: string;
  /** Words of `text` (Python `str.split()` tokens). */
  readonly wordCount: number;
  /**
   * The UTF-16 offset in `text` where each word starts, plus one more entry, `text.length + 1`: word k
   * is `text.slice(wordStarts[k], wordStarts[k + 1] - 1)` (words are separated by one space).
   */
  readonly wordStarts: Uint32Array;
  /**
   * Per raw line l (spec §2.4 lines), `lineWordOffsets[l]` is the number of normalized words of the
   * lines before l; one more entry holds `wordCount`. Line l's normalized words are those in
   * `[lineWordOffsets[l], lineWordOffsets[l + 1])`.
   */
  readonly lineWordOffsets: Uint32Array;
  /** Per raw line l, the code points of its normalized text for which Python `isnumeric` holds. */
  readonly lineNumericCounts: Uint32Array;
  /** Whether `text` holds a surrogate (else code points and UTF-16 units coincide). */
  readonly hasSurrogates: boolean;
}

/*
 * The scan writes the normalized text unit by unit into a buffer instead of running the
 * engine's `toLowerCase` and NFD over the whole text. A kept unit is written as
 *  - itself, lower-cased if an ASCII letter, when it is "inert": its own lower case, no canonical
 *    decomposition, canonical combining class 0 (all of ASCII, and most other text);
 *  - otherwise its expansion `NFD(toLowerCase(unit))`, memoised per unit.
 * That equals NFD(toLowerCase(kept text)) because root-locale lower-casing maps each character on
 * its own (the one context rule, final sigma, is detected: such units fall back), and NFD of a
 * concatenation is the concatenation of the NFDs unless canonical reordering has to move a
 * combining mark across the boundary, which needs two non-starters (class ≠ 0) to meet there:
 * the scan checks every boundary where an expansion is involved (inert units are starters) and
 * falls back when two meet. A surrogate pair is handled like a unit, as its astral code point; a
 * lone surrogate falls back. The fallback is the reference `normalize`.
 */

/** The token class of whitespace runs, which are no tokens (`TOKEN_CLASS` bits). */
const SPACE_RUN = 2;

/** Bits of `WRITE_CLASS` (0 = a non-ASCII unit not classified yet). */
const W_KEEP = 1;
/** Kept, inert, and numeric (Python `isnumeric`; the loop reads this bit as `(k >>> 1) & 1`). */
const W_NUMERIC = 2;
/** Kept, and not inert: written as its expansion (see `EXPANSION_AT`). */
const W_EXPAND = 4;
/** Python whitespace (the loop reads this bit as `(k & W_SPACE) >>> 3`). */
const W_SPACE = 8;
const W_PUNCT = 16;
/** Kept, and a surrogate (so the text holds astral or lone-surrogate code points). */
const W_SURROGATE = 32;
/** Kept, and only the reference `normalize` handles it (context-dependent lower case); with `W_EXPAND`. */
const W_FALLBACK = 64;
/** Kept, and its expansion holds surrogates (a few CJK compatibility ideographs decompose to astral ones). */
const W_ASTRAL_EXPANSION = 128;

/**
 * Per UTF-16 unit, its `W_*` bits; non-ASCII non-whitespace units are classified on first sight.
 * Surrogates take the expansion path, which looks at the pair (see `astralRecord`).
 */
const WRITE_CLASS: Uint8Array = (() => {
  const table = new Uint8Array(0x10000);
  for (let c = 0; c < 0x80; c++) table[c] = UNIT_CLASS[c] === PUNCT ? W_PUNCT : W_KEEP | (isPyNumericChar(c) ? W_NUMERIC : 0);
  // Only the units up to 0x7f are fully known up front; 0x80 and above are classified on first sight.
  for (const c of PY_WHITESPACE_CODE_POINTS) table[c] = W_SPACE;
  table.fill(W_KEEP | W_EXPAND | W_SURROGATE, 0xd800, 0xe000);
  return table;
})();

/** Lower case of an ASCII unit (A–Z to a–z); every other unit maps to itself. */
function lowered(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/*
 * The expansions of the non-inert units classified so far: unit c's is `expansionUnits[EXPANSION_AT[c],
 * + length)`, and `EXPANSION_INFO[c]` packs its length (bits 0–7), whether its first and last units
 * are non-starters (`*_NON_STARTER` from bit 8) and its numeric code points (from bit 10). The native
 * scan reads these tables and the astral ones below in place (native/src/text/scan.hpp mirrors them).
 */
const EXPANSION_AT = new Uint32Array(0x10000);
const EXPANSION_INFO = new Uint32Array(0x10000);
const EDGES_SHIFT = 8;
const NUMERIC_SHIFT = 10;
const STARTS_NON_STARTER = 1;
const ENDS_NON_STARTER = 2;
let expansionUnits = new Uint16Array(1024);
let expansionEnd = 0;

/*
 * Astral code points seen so far, in blocks of 1,024, one per high surrogate: `ASTRAL_BLOCK[h - 0xd800]`
 * is 1 + the block of high surrogate h (0: none yet), and the code point of the pair (h, l) has record
 * r = 1024 * block + (l - 0xdc00): `astralRecords[2r]` is where its expansion starts, `astralRecords[2r + 1]`
 * its `EXPANSION_INFO` fields, its token bits (`TOKEN_CLASS` etc.) from `ASTRAL_BITS_SHIFT`,
 * `ASTRAL_FALLBACK` where lower-casing it depends on the context, and `ASTRAL_KNOWN` (0 until seen).
 */
const ASTRAL_BLOCK = new Uint32Array(0x400);
let astralRecords = new Uint32Array(0);
const ASTRAL_BITS_SHIFT = 18;
const ASTRAL_FALLBACK = 1 << 23;
const ASTRAL_KNOWN = 1 << 24;

const MARK_RE = /^\p{M}$/u;

/**
 * Whether NFD would move a character (its own NFD) past its neighbours: canonical combining class
 * ≠ 0. The engine's own NFD tells: canonical ordering swaps U+0301 (class 230) and `ch` iff
 * 0 < class(ch) < 230, and `ch` and U+0334 (class 1) iff class(ch) > 1. Only marks have a class
 * (the tests check every code point), and one regex test spares the two NFDs for the others.
 */
export function hasCombiningClass(ch: string): boolean {
  if (!MARK_RE.test(ch)) return false;
  return ('\u0301' + ch).normalize('NFD') !== '\u0301' + ch || (ch + '\u0334').normalize('NFD') !== ch + '\u0334';
}

/**
 * Whether lower-casing `ch` depends on its neighbours (final sigma): tried between letters and spaces.
 * A character that is its own lower case alone is so in every context (the tests check every code
 * point against the full definition), which spares the nine tries for most characters.
 */
export function lowerDependsOnContext(ch: string): boolean {
  const alone = ch.toLowerCase();
  if (alone === ch) return false;
  for (const before of ['a', ' ', '']) {
    for (const after of ['a', ' ', '']) {
      if ((before + ch + after).toLowerCase() !== before.toLowerCase() + alone + after.toLowerCase()) return true;
    }
  }
  return false;
}

/** Appends `expansion` to `expansionUnits` and returns where it starts. */
function storeExpansion(expansion: string): number {
  if (expansionEnd + expansion.length > expansionUnits.length) {
    const grown = new Uint16Array(2 * expansionUnits.length + expansion.length);
    grown.set(expansionUnits);
    expansionUnits = grown;
  }
  const at = expansionEnd;
  for (let j = 0; j < expansion.length; j++) expansionUnits[at + j] = expansion.charCodeAt(j);
  expansionEnd += expansion.length;
  return at;
}

/** Code points of `s` for which Python `isnumeric` holds. */
function numericCount(s: string): number {
  let count = 0;
  for (const ch of s) if (isPyNumericChar(ch.codePointAt(0) as number)) count++;
  return count;
}

/** The `EXPANSION_INFO` fields of a non-empty expansion. */
function expansionInfo(expansion: string): number {
  const cps = [...expansion];
  const edges = (hasCombiningClass(cps[0]) ? STARTS_NON_STARTER : 0) | (hasCombiningClass(cps[cps.length - 1]) ? ENDS_NON_STARTER : 0);
  return expansion.length | (edges << EDGES_SHIFT) | (numericCount(expansion) << NUMERIC_SHIFT);
}

/** `WRITE_CLASS` bits of a non-ASCII, non-whitespace, non-surrogate unit (never punctuation); memoises its expansion. */
function classifyWrite(c: number): number {
  const ch = String.fromCharCode(c);
  // Falling back takes the expansion path, where the scan notes it.
  if (lowerDependsOnContext(ch)) return W_KEEP | W_EXPAND | W_FALLBACK;
  const expansion = ch.toLowerCase().normalize('NFD');
  if (expansion === ch && !hasCombiningClass(ch)) return W_KEEP | (isPyNumericChar(c) ? W_NUMERIC : 0);
  EXPANSION_AT[c] = storeExpansion(expansion);
  EXPANSION_INFO[c] = expansionInfo(expansion);
  return W_KEEP | W_EXPAND | (/[\ud800-\udfff]/.test(expansion) ? W_ASTRAL_EXPANSION : 0);
}

/** The record of the astral code point `cp` (see `ASTRAL_BLOCK`), worked out on first sight. */
function astralRecord(cp: number): number {
  const high = (cp - 0x10000) >>> 10;
  if (ASTRAL_BLOCK[high] === 0) {
    const grown = new Uint32Array(astralRecords.length + 2 * 0x400);
    grown.set(astralRecords);
    astralRecords = grown;
    ASTRAL_BLOCK[high] = grown.length / (2 * 0x400);
  }
  const r = ((ASTRAL_BLOCK[high] - 1) << 10) | (cp & 0x3ff);
  if (astralRecords[2 * r + 1] === 0) {
    const ch = String.fromCodePoint(cp);
    let info = ASTRAL_KNOWN | (codePointBits(cp) << ASTRAL_BITS_SHIFT);
    if (lowerDependsOnContext(ch)) {
      info |= ASTRAL_FALLBACK;
    } else {
      const expansion = ch.toLowerCase().normalize('NFD');
      astralRecords[2 * r] = storeExpansion(expansion);
      info |= expansionInfo(expansion);
    }
    astralRecords[2 * r + 1] = info;
  }
  return r;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The string of `units[0, length)`. Node's UTF-16 decoding copies the units into a new string (which
 * the engine stores one byte per unit when they all fit).
 */
function decodeUnits(units: Uint16Array, length: number): string {
  if (LITTLE_ENDIAN) return Buffer.from(units.buffer, units.byteOffset, 2 * length).toString('utf16le');
  let out = '';
  for (let i = 0; i < length; i += 4096) out += String.fromCharCode(...units.subarray(i, Math.min(length, i + 4096)));
  return out;
}

/*
 * Buffers shared by every call, grown on demand (a token or a normalized unit per input unit at
 * most, one line per `\n` plus one), and copied out at the end. Sharing is safe: the scan runs
 * synchronously to the end and calls nothing that can re-enter it; worker threads each load their
 * own copy of this module.
 */
let unitScratch = new Uint16Array(0);
let spanScratch = new Uint32Array(0);
let flagScratch = new Uint8Array(0);
/** Per line boundary (the start, after each `\n`, the end): four cells, see `scanText`. */
let lineScratch = new Uint32Array(0);
let startScratch = new Uint32Array(0);

/** Grows the scratch buffers for a text of `n` units. */
function reserve(n: number): void {
  if (flagScratch.length >= n + 1) return;
  unitScratch = new Uint16Array(n + 1);
  spanScratch = new Uint32Array(2 * n + 2);
  flagScratch = new Uint8Array(n + 1);
  lineScratch = new Uint32Array(4 * (n + 2));
  startScratch = new Uint32Array(n + 2);
}

/**
 * Per UTF-16 unit, what the scan needs of it in one table read: its token bits (`UNIT_BITS`) in bits
 * 0–7, its `WRITE_CLASS` bits in bits 8–15, and the unit written for it if inert (`lowered`) in bits
 * 16–31; 0 until known (always, for surrogates).
 */
const UNIT_BOTH = new Uint32Array(0x10000);
for (let c = 0; c < 0x80; c++) UNIT_BOTH[c] = (unitBits(c) | (WRITE_CLASS[c] << 8) | (lowered(c) << 16)) >>> 0;

/** `UNIT_BOTH` of the unit `c` at `i` of `s`, worked out and (but for surrogates) memoised. */
function unitBoth(s: string, i: number, c: number): number {
  if (c < 0xd800 || c > 0xdfff) return bmpBoth(c);
  return (unknownBits(s, i, c) | (WRITE_CLASS[c] << 8) | (lowered(c) << 16)) >>> 0;
}

/** `UNIT_BOTH` of the unit `c`, no surrogate, worked out and memoised. */
function bmpBoth(c: number): number {
  const k = WRITE_CLASS[c] !== 0 ? WRITE_CLASS[c] : (WRITE_CLASS[c] = classifyWrite(c));
  return (UNIT_BOTH[c] = (unitBits(c) | (k << 8) | (lowered(c) << 16)) >>> 0);
}

/*
 * The CLI bundle ships every BMP unit classified (scripts/bundle-cli.mjs writes `unit-tables.bin`
 * beside it): classifying the 4,456 distinct non-ASCII units of our web documents on first sight
 * took 15–24 ms of a run, and each document meeting new ones was scanned again (24% of its
 * characters). The tables hold what the engine's Unicode data gave, so they are used only under
 * the ICU and Unicode versions they were made with; anywhere else units are classified as met.
 */
const TABLES_MAGIC = 'sieve-unit-tables-1';

/** The engine's Unicode data the tables depend on. */
function tablesKey(): string {
  return `${TABLES_MAGIC} icu ${process.versions.icu ?? '-'} unicode ${process.versions.unicode ?? '-'}`;
}

/** The tables' arrays, in file order after the header. */
function tableParts(): Uint8Array[] {
  const bytes = (a: Uint8Array | Uint16Array | Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return [bytes(UNIT_BITS), bytes(WRITE_CLASS), bytes(UNIT_BOTH), bytes(EXPANSION_AT), bytes(EXPANSION_INFO)];
}

/**
 * Every BMP unit classified, as the bytes of `unit-tables.bin`: the key, the expansion count, then
 * the per-unit tables and the expansions (little-endian, as this engine lays out typed arrays).
 */
export function unitTablesFile(): Uint8Array {
  for (let c = 0x80; c < 0x10000; c++) if (c < 0xd800 || c > 0xdfff) bmpBoth(c);
  // The key line is padded with spaces to a multiple of 4 bytes, so the 32-bit tables after it stay aligned.
  const line = `${tablesKey()}\n`;
  const key = Buffer.from(line.padEnd(Math.ceil(line.length / 4) * 4), 'latin1');
  const counts = new Uint32Array([key.length, expansionEnd]);
  const units = new Uint8Array(expansionUnits.buffer, 0, 2 * expansionEnd);
  return Buffer.concat([new Uint8Array(counts.buffer), key, ...tableParts(), units]);
}

/** Fills the tables from `unit-tables.bin` beside this module when it matches this engine; false otherwise. */
function loadUnitTables(): boolean {
  if (!LITTLE_ENDIAN || !import.meta.url.startsWith('file:')) return false;
  let file: Buffer;
  try {
    file = readFileSync(new URL('./unit-tables.bin', import.meta.url));
  } catch {
    return false;
  }
  if (file.length < 8) return false;
  const keyLength = file.readUInt32LE(0);
  const units = file.readUInt32LE(4);
  if (file.toString('latin1', 8, 8 + keyLength).trimEnd() !== tablesKey()) return false;
  let at = 8 + keyLength;
  const parts = tableParts();
  if (file.length !== at + parts.reduce((n, p) => n + p.length, 0) + 2 * units) return false;
  for (const part of parts) {
    part.set(file.subarray(at, at + part.length));
    at += part.length;
  }
  if (expansionUnits.length < units) expansionUnits = new Uint16Array(units);
  new Uint8Array(expansionUnits.buffer).set(file.subarray(at, at + 2 * units));
  expansionEnd = units;
  return true;
}

/** Whether this module's tables came from `unit-tables.bin` (every BMP unit classified at load). */
export const UNIT_TABLES_LOADED = loadUnitTables();

/** Both texts of one raw text (see the module comment). */
export interface TextScan {
  readonly raw: RawScan;
  readonly normalized: NormalizedText;
}

/** Cells per line boundary in `lineScratch`: where the line starts, then cumulative counts there. */
const LINE_START = 0;
const LINE_UPPER = 1;
const LINE_WORDS = 2;
const LINE_NUMERIC = 3;

/**
 * `RawScan` and `NormalizedText` of `text` in one pass (see the module comment and the two types),
 * by the addon where the backend is native (`src/native.ts` `nativeText`), else in JS; both give the same results
 * (the tests check every corpus document).
 *
 * Tokens: a run of units of one WordPunct class is a token, whitespace runs excepted (the tests
 * check this against the WordPunct regex). Normalized words are counted where they start, in the raw
 * text: lower-casing and NFD neither create, remove nor move whitespace (the tests check every code
 * point), so the words of the normalized text are exactly the runs of kept characters between
 * whitespace found here. A word never spans a `\n`, which is whitespace. And `normalize` of each raw
 * line, non-empty ones joined by one space, equals `normalize(text)` (see `normalizeLines`), so the
 * words of line l's normalized text are its words in the whole normalized text.
 */
export function scanText(text: string): TextScan {
  return scanTextNative(text) ?? scanTextJs(text);
}

/** `scanText` in JS, whatever the backend. */
export function scanTextJs(text: string): TextScan {
  const n = text.length;
  reserve(n);
  const spans = spanScratch;
  const flags = flagScratch;
  const lineAt = lineScratch;
  const wordStarts = startScratch;
  // Inert units yield at most one output unit each (a space stands for whitespace that yielded
  // none); expansions make sure of room for themselves and the rest at that rate.
  let units: Uint16Array = unitScratch;

  // Raw lines: `lineAt[4l + LINE_*]` at the start of line l (and once more at the end).
  let lines = 0;
  lineAt[LINE_START] = 0;
  lineAt[LINE_UPPER] = 0;
  lineAt[LINE_WORDS] = 0;
  lineAt[LINE_NUMERIC] = 0;
  let upper = 0;
  let numeric = 0;

  // Tokens: the current run's start, class (whitespace at first) and OR-ed bits.
  let count = 0;
  const flagCounts = new Uint32Array(32);
  let runStart = 0;
  let runClass = SPACE_RUN;
  let runBits = 0;
  let surrogates = false;

  // Normalized text: `units[0, o)` written so far.
  let words = 0;
  let o = 0;
  let kinds = 0;
  // Output position just after a non-starter an expansion ended with (-1: none yet).
  let nonStarterEnd = -1;
  // 1 while whitespace has been seen since the last kept unit (1 at the start: the first kept unit
  // starts a word). For inert units the writing is branch-free on the unit's class, which changes
  // every few units in a way no branch predictor follows: each kept unit is written at `o` and `o`
  // only advances when it is kept, and likewise the separating space, written before a kept unit
  // that starts a word, except the first (the text is stripped; whitespace collapses to one space).
  let pending = 1;

  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let both = UNIT_BOTH[c];
    if (both === 0) {
      if (c >= 0xd800 && c <= 0xdfff) surrogates = true;
      both = unitBoth(text, i, c);
    }
    const bits = both & 0xff;
    const k = (both >>> 8) & 0xff;

    // The token: a change of class ends the current run (a token unless whitespace).
    const cls = bits & TOKEN_CLASS;
    if (cls !== runClass) {
      if (runClass !== SPACE_RUN) {
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

    // The normalized text (`kinds` notes the bits that only come with expansions).
    if ((k & W_EXPAND) !== 0) {
      kinds |= k;
      if (pending === 1) {
        if (o !== 0) units[o++] = 0x20;
        wordStarts[words++] = o;
        pending = 0;
      }
      let at = EXPANSION_AT[c];
      let info = EXPANSION_INFO[c];
      if ((k & W_SURROGATE) !== 0) {
        const d = c <= 0xdbff && i + 1 < n ? text.charCodeAt(i + 1) : 0;
        const r = d >= 0xdc00 && d <= 0xdfff ? astralRecord(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000) : -1;
        if (r < 0 || (astralRecords[2 * r + 1] & ASTRAL_FALLBACK) !== 0) {
          // A lone surrogate, or lower case depending on the context.
          kinds |= W_FALLBACK;
          continue;
        }
        at = astralRecords[2 * r];
        info = astralRecords[2 * r + 1];
        // The pair's low half is done with: for the tokens it only repeats the pair's class.
        i++;
      }
      const length = info & 0xff;
      numeric += (info >>> NUMERIC_SHIFT) & 0xff;
      if (o + length + (n - i) >= units.length) units = growUnits(units, o + length + (n - i) + 1);
      // Two non-starters meeting would need canonical reordering across the boundary.
      if ((info & (STARTS_NON_STARTER << EDGES_SHIFT)) !== 0 && nonStarterEnd === o) kinds |= W_FALLBACK;
      for (let end = at + length; at < end; at++) units[o++] = expansionUnits[at];
      if ((info & (ENDS_NON_STARTER << EDGES_SHIFT)) !== 0) nonStarterEnd = o;
      continue;
    }
    const keep = k & W_KEEP;
    const starts = keep & pending;
    units[o] = 0x20;
    o += starts & (-o >>> 31);
    units[o] = both >>> 16;
    // Written at every unit, kept (by advancing `words`) where a word starts.
    wordStarts[words] = o;
    o += keep;
    words += starts;
    pending = (pending & (keep ^ 1)) | ((k & W_SPACE) >>> 3);
    numeric += (k >>> 1) & 1;

    // The end of a raw line: what was counted so far belongs to it and the lines before.
    if (c === 0x0a) {
      const at = 4 * ++lines;
      lineAt[at + LINE_START] = i + 1;
      lineAt[at + LINE_UPPER] = upper;
      lineAt[at + LINE_WORDS] = words;
      lineAt[at + LINE_NUMERIC] = numeric;
    }
  }
  // A last line without its `\n` still counts; a trailing `\n` starts no new line.
  if (n > 0 && text.charCodeAt(n - 1) !== 0x0a) {
    const at = 4 * ++lines;
    lineAt[at + LINE_START] = n;
    lineAt[at + LINE_UPPER] = upper;
    lineAt[at + LINE_WORDS] = words;
    lineAt[at + LINE_NUMERIC] = numeric;
  }
  if (runClass !== SPACE_RUN) {
    spans[2 * count] = runStart;
    spans[2 * count + 1] = n;
    flags[count++] = runBits;
    flagCounts[runBits]++;
  }

  let out: string;
  if ((kinds & W_FALLBACK) === 0) {
    out = decodeUnits(units, o);
  } else {
    // The reference result; its words are the same, at offsets found again, and its numeric
    // characters are counted again.
    out = normalize(text);
    findWordStarts(out, words);
    for (let l = 0; l < lines; l++) {
      const a = lineAt[4 * l + LINE_WORDS];
      const b = lineAt[4 * l + 4 + LINE_WORDS];
      const found = a < b ? numericCount(out.slice(wordStarts[a], wordStarts[b] - 1)) : 0;
      lineAt[4 * l + 4 + LINE_NUMERIC] = lineAt[4 * l + LINE_NUMERIC] + found;
    }
  }
  return collect(count, flagCounts, lines, words, surrogates, out, (kinds & (W_SURROGATE | W_ASTRAL_EXPANSION)) !== 0);
}

/** Writes to `startScratch` where the `words` words of the normalized text `out` start, and `out.length + 1`. */
function findWordStarts(out: string, words: number): void {
  const wordStarts = startScratch;
  for (let w = 1, i = out.indexOf(' '); i !== -1; i = out.indexOf(' ', i + 1)) wordStarts[w++] = i + 1;
  wordStarts[words] = out.length + 1;
}

/*
 * What the native scan leaves in `NATIVE_RESULT`: the token count per flags value (32 cells), then
 * the counts `collect` takes. It returns the normalized text, or a number: `NATIVE_UNKNOWN` when it
 * met units not classified yet (their code points are in `startScratch[0, NATIVE_RESULT[RESULT_UNKNOWNS])`),
 * `NATIVE_NORMALIZE` when all is done but the normalized text and its word starts, which only the
 * reference `normalize` gets right (where the JS scan falls back; the native scan's word and
 * numeric counts stand, see native/src/text/scan.cc).
 */
const NATIVE_RESULT = new Uint32Array(40);
const RESULT_TOKENS = 32;
const RESULT_LINES = 33;
const RESULT_WORDS = 34;
/** Bit 0: the raw text holds surrogates; bit 1: the normalized one does. */
const RESULT_SURROGATES = 35;
const RESULT_UNKNOWNS = 36;
const NATIVE_UNKNOWN = 1;
const NATIVE_NORMALIZE = 2;

/** The addon's scan, looked up on first use (undefined until then, null without it). */
let nativeScan: NativeTextScan | null | undefined;

/**
 * `scanText` by the addon, or null without it (or on the `js` backend). Units it meets for the first
 * time are classified here, then it scans again.
 */
export function scanTextNative(text: string): TextScan | null {
  if (nativeScan === undefined) nativeScan = nativeText()?.scanText ?? null;
  if (nativeScan === null) return null;
  reserve(text.length);
  const result = NATIVE_RESULT;
  for (;;) {
    const out = nativeScan(
      text,
      UNIT_BOTH,
      EXPANSION_AT,
      EXPANSION_INFO,
      expansionUnits,
      ASTRAL_BLOCK,
      astralRecords,
      spanScratch,
      flagScratch,
      lineScratch,
      startScratch,
      result,
    );
    if (typeof out === 'string') return collectNative(out);
    if (out === NATIVE_NORMALIZE) {
      const normalized = normalize(text);
      findWordStarts(normalized, result[RESULT_WORDS]);
      return collectNative(normalized);
    }
    const found = startScratch;
    for (let j = 0, count = result[RESULT_UNKNOWNS]; j < count; j++) {
      const cp = found[j];
      if (cp < 0x10000) bmpBoth(cp);
      else astralRecord(cp);
    }
  }
}

/** `collect` of what the native scan left in `NATIVE_RESULT`, with the normalized text. */
function collectNative(normalized: string): TextScan {
  const result = NATIVE_RESULT;
  const surrogates = result[RESULT_SURROGATES];
  return collect(result[RESULT_TOKENS], result.subarray(0, 32), result[RESULT_LINES], result[RESULT_WORDS], (surrogates & 1) !== 0, normalized, (surrogates & 2) !== 0);
}

/** The `TextScan` of what a scan left in the scratch buffers, with its counts and normalized text `out`. */
function collect(
  count: number,
  flagCounts: Uint32Array,
  lines: number,
  words: number,
  rawSurrogates: boolean,
  out: string,
  normalizedSurrogates: boolean,
): TextScan {
  const lineAt = lineScratch;
  const wordStarts = startScratch;
  wordStarts[words] = out.length + 1;
  // One buffer for all the arrays of the document (they live and die together): one allocation
  // instead of nine, which cost more than the copying.
  const cells = 32 + 2 * count + 4 * lines + 2 + words + 1;
  const buffer = new ArrayBuffer(4 * cells + count);
  let at = 0;
  const take = (length: number): Uint32Array => {
    const view = new Uint32Array(buffer, 4 * at, length);
    at += length;
    return view;
  };
  const counts = take(32);
  counts.set(flagCounts);
  const spans = take(2 * count);
  spans.set(spanScratch.subarray(0, 2 * count));
  const lineStarts = take(lines + 1);
  const lineWordOffsets = take(lines + 1);
  const upperPerLine = take(lines);
  const lineNumericCounts = take(lines);
  for (let l = 0; l <= lines; l++) {
    lineStarts[l] = lineAt[4 * l + LINE_START];
    lineWordOffsets[l] = lineAt[4 * l + LINE_WORDS];
  }
  for (let l = 0; l < lines; l++) {
    upperPerLine[l] = lineAt[4 * l + 4 + LINE_UPPER] - lineAt[4 * l + LINE_UPPER];
    lineNumericCounts[l] = lineAt[4 * l + 4 + LINE_NUMERIC] - lineAt[4 * l + LINE_NUMERIC];
  }
  const starts = take(words + 1);
  starts.set(wordStarts.subarray(0, words + 1));
  const flags = new Uint8Array(buffer, 4 * cells, count);
  flags.set(flagScratch.subarray(0, count));
  return {
    raw: {
      count,
      spans,
      flags,
      flagCounts: counts,
      lineStarts,
      upperPerLine,
      hasSurrogates: rawSurrogates,
    },
    normalized: {
      text: out,
      wordCount: words,
      wordStarts: starts,
      lineWordOffsets,
      lineNumericCounts,
      hasSurrogates: normalizedSurrogates,
    },
  };
}

/** `normalize(text)`, with its words and how they fall into the raw lines (`scanText(text).normalized`). */
export function normalizeWithLines(text: string): NormalizedText {
  return scanText(text).normalized;
}

/** A copy of `units` with room for `size` units, kept as the scratch buffer. */
function growUnits(units: Uint16Array, size: number): Uint16Array {
  const grown = new Uint16Array(Math.max(size, 2 * units.length));
  grown.set(units);
  unitScratch = grown;
  return grown;
}
