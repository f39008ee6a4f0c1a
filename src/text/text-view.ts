/**
 * Every view of one document's text that the quality signals read (spec §2), computed lazily and
 * memoised, so a signal set only pays for the views it touches and shares them with the others.
 *
 * The views the signals use are flat: offsets into `raw` or `normalized` in typed arrays, and word
 * ids, rather than one string per line or word. The string-per-item views (`lines`,
 * `normalizedLines`, `rawWords`, `normalizedWords`, `vocabulary.words`) are derived from those on
 * first request, for consumers that want strings. The raw-text views (tokens, lines, length) and the
 * normalized ones come from one pass over the raw text (`scanText`), so the first request of any of
 * them computes all of them.
 */

import { nativeText } from '../native.js';
import type { NativeVocabulary } from '../native.js';
import { scanText } from './scan.js';
import type { NormalizedText } from './scan.js';
import { codePointLength } from './python.js';
import type { RawScan, TokenSpans } from './tokenize.js';
import { SAMPLE_HASH_MULTIPLIER, equalUnits } from './unit-set.js';

/** One raw line: its text (with the trailing `\n` if any) and its code-point span, end exclusive. */
export interface LineSlice {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Any UTF-16 surrogate: without one, code points and UTF-16 units coincide. */
const SURROGATE_RE = /[\ud800-\udfff]/;

/**
 * One document's text and every view of it the signals read (normalized text, WordPunct words,
 * lines with code-point spans, a word vocabulary), each computed on first use and shared.
 *
 * @example
 * new TextView('Hello world.\nSecond line').normalizedWords; // ['hello', 'world', 'second', 'line']
 */
export class TextView {
  /** The document text exactly as given (CCNet `raw_content`). */
  readonly raw: string;

  #length: number | undefined;
  #normalized: NormalizedText | undefined;
  #rawScan: RawScan | undefined;
  #rawWords: readonly string[] | undefined;
  #normalizedWords: readonly string[] | undefined;
  #lines: readonly LineSlice[] | undefined;
  #lineStarts: Uint32Array | undefined;
  #lineEnds: Uint32Array | undefined;
  #normalizedLines: readonly string[] | undefined;
  #normalizedLineWordCounts: Uint32Array | undefined;
  #vocabulary: WordVocabulary | undefined;

  constructor(raw: string) {
    this.raw = raw;
  }

  /** Python `len(raw_content)`: the number of code points. */
  get length(): number {
    if (this.#length === undefined) this.#computeLines();
    return this.#length as number;
  }

  /** `normalize(raw)` (spec §2.2). */
  get normalized(): string {
    return this.#normalizedText().text;
  }

  /** NLTK WordPunct tokens of the raw text, case and punctuation kept (spec §2.3). */
  get rawWords(): readonly string[] {
    if (this.#rawWords === undefined) {
      const { count, spans } = this.rawWordSpans;
      const raw = this.raw;
      const words: string[] = new Array(count);
      for (let k = 0; k < count; k++) words[k] = raw.slice(spans[2 * k], spans[2 * k + 1]);
      this.#rawWords = words;
    }
    return this.#rawWords;
  }

  /**
   * The WordPunct tokens of `rawWords` as UTF-16 spans into `raw`, with per-token bits (token class,
   * upper/lower case, ASCII letter: the `TOKEN_*` constants of `tokenize.ts`), no string per token.
   */
  get rawWordSpans(): TokenSpans {
    return this.#scanRaw();
  }

  /** Per raw line, its code points with the Unicode `Uppercase` property (Python per-character `isupper`). */
  get rawLineUpperCounts(): Uint32Array {
    return this.#scanRaw().upperPerLine;
  }

  /** The normalized text split on whitespace (Python `str.split()`). */
  get normalizedWords(): readonly string[] {
    if (this.#normalizedWords === undefined) this.#normalizedWords = splitNormalized(this.normalized);
    return this.#normalizedWords;
  }

  /** Python `len(normalized)`: its code points. */
  get normalizedLength(): number {
    const { text, hasSurrogates } = this.#normalizedText();
    return hasSurrogates ? codePointLength(text) : text.length;
  }

  /** `normalizedWords.length`, without building the words. */
  get normalizedWordCount(): number {
    return this.#normalizedText().wordCount;
  }

  /**
   * UTF-16 offset in `normalized` of each normalized word, plus one more entry, `normalized.length + 1`,
   * so that word k always spans `[starts[k], starts[k + 1] - 1)` (words are separated by one space).
   */
  get normalizedWordStarts(): Uint32Array {
    return this.#normalizedText().wordStarts;
  }

  /**
   * Raw lines per `re.finditer(r"([^\n]*\n|[^\n]+$)")` (spec §2.4): each keeps its `\n`, empty lines
   * are kept, a final unterminated line counts, a trailing `\n` adds no empty line, and an empty
   * document has none. Offsets are code points; the lines tile `[0, length)`.
   */
  get lines(): readonly LineSlice[] {
    if (this.#lines === undefined) {
      const starts = this.lineStartsUtf16;
      const ends = this.lineEnds;
      const raw = this.raw;
      const lines: LineSlice[] = new Array(ends.length);
      for (let l = 0; l < ends.length; l++) {
        lines[l] = { text: raw.slice(starts[l], starts[l + 1]), start: l === 0 ? 0 : ends[l - 1], end: ends[l] };
      }
      this.#lines = lines;
    }
    return this.#lines;
  }

  /** The code-point `end` of each line, in order (the Arrow `line_ends` column). */
  get lineEnds(): Uint32Array {
    if (this.#lineEnds === undefined) this.#computeLines();
    return this.#lineEnds as Uint32Array;
  }

  /**
   * The UTF-16 offset in `raw` where each line starts, plus one more entry, `raw.length`: line l is
   * `raw.slice(starts[l], starts[l + 1])`, so signals read lines in place in `raw`.
   */
  get lineStartsUtf16(): Uint32Array {
    if (this.#lineStarts === undefined) this.#computeLines();
    return this.#lineStarts as Uint32Array;
  }

  /** `normalize(line.text)` for each raw line, same order. */
  get normalizedLines(): readonly string[] {
    if (this.#normalizedLines === undefined) {
      const offsets = this.normalizedLineWordOffsets;
      const starts = this.normalizedWordStarts;
      const text = this.normalized;
      const lines: string[] = new Array(offsets.length - 1);
      for (let l = 0; l < lines.length; l++) {
        const a = offsets[l];
        const b = offsets[l + 1];
        lines[l] = a === b ? '' : text.slice(starts[a], starts[b] - 1);
      }
      this.#normalizedLines = lines;
    }
    return this.#normalizedLines;
  }

  /**
   * Per raw line l, the number of normalized words before it, plus one more entry (the word count):
   * the words of `normalizedLines[l]` are normalized words `[offsets[l], offsets[l + 1])`. (`normalized`
   * is the non-empty normalized lines joined by one space.)
   */
  get normalizedLineWordOffsets(): Uint32Array {
    return this.#normalizedText().lineWordOffsets;
  }

  /** Per raw line, the code points of its normalized text for which Python `isnumeric` holds. */
  get normalizedLineNumericCounts(): Uint32Array {
    return this.#normalizedText().lineNumericCounts;
  }

  /** Number of whitespace-separated words in each normalized line. */
  get normalizedLineWordCounts(): Uint32Array {
    if (this.#normalizedLineWordCounts === undefined) {
      const offsets = this.normalizedLineWordOffsets;
      const counts = new Uint32Array(offsets.length - 1);
      for (let l = 0; l < counts.length; l++) counts[l] = offsets[l + 1] - offsets[l];
      this.#normalizedLineWordCounts = counts;
    }
    return this.#normalizedLineWordCounts;
  }

  /**
   * The normalized words as integer ids numbered by first occurrence, with per-id counts and
   * code-point lengths: what n-gram, uniqueness and entropy signals count on, instead of strings.
   */
  get vocabulary(): WordVocabulary {
    if (this.#vocabulary === undefined) {
      const { text, wordStarts, hasSurrogates } = this.#normalizedText();
      this.#vocabulary = scanVocabularyNative(text, wordStarts, hasSurrogates) ?? scanVocabulary(text, wordStarts, hasSurrogates);
    }
    return this.#vocabulary;
  }

  /** The raw text's tokens and lines (see `RawScan`), from the one pass over it (`scanText`). */
  #scanRaw(): RawScan {
    if (this.#rawScan === undefined) this.#scan();
    return this.#rawScan as RawScan;
  }

  /** The normalized text and its words and lines, from the one pass over the raw text (`scanText`). */
  #normalizedText(): NormalizedText {
    if (this.#normalized === undefined) this.#scan();
    return this.#normalized as NormalizedText;
  }

  #scan(): void {
    const { raw, normalized } = scanText(this.raw);
    this.#rawScan = raw;
    this.#normalized = normalized;
  }

  /**
   * Lines from the raw scan; without surrogates, code-point offsets are the UTF-16 ones, and
   * otherwise one pass over the units converts them (a low surrogate right after a high one adds no
   * code point). Also fills `length`.
   */
  #computeLines(): void {
    const raw = this.raw;
    const { lineStarts: starts, hasSurrogates } = this.#scanRaw();
    this.#lineStarts = starts;
    const lines = starts.length - 1;
    if (!hasSurrogates) {
      this.#lineEnds = starts.subarray(1);
      this.#length = raw.length;
      return;
    }
    const ends = new Uint32Array(lines);
    let pairs = 0;
    for (let l = 0; l < lines; l++) {
      const to = starts[l + 1];
      for (let i = starts[l]; i < to; i++) {
        const c = raw.charCodeAt(i);
        if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
          const prev = raw.charCodeAt(i - 1);
          // The second half of a surrogate pair: already counted with its first half.
          if (prev >= 0xd800 && prev <= 0xdbff) pairs++;
        }
      }
      ends[l] = to - pairs;
    }
    this.#lineEnds = ends;
    this.#length = raw.length - pairs;
  }
}

/** Normalized words as ids (see `TextView.vocabulary`). */
export interface WordVocabulary {
  /** Id of each word position, ids numbered 0, 1, 2, … in order of first occurrence. */
  readonly ids: Uint32Array;
  /** Occurrences of each id. */
  readonly counts: Uint32Array;
  /** Code-point length of each id's word. */
  readonly lengths: Uint32Array;
  /** The word of each id. */
  readonly words: readonly string[];
  /** UTF-16 offset in the normalized text of each id's first occurrence. */
  readonly firstStarts: Uint32Array;
  /** UTF-16 length of each id's word: id's word is `normalized.slice(firstStarts[id], firstStarts[id] + unitLengths[id])`. */
  readonly unitLengths: Uint32Array;
}

/** A vocabulary whose `words` strings are only sliced out of the normalized text when asked for. */
class ScannedVocabulary implements WordVocabulary {
  readonly ids: Uint32Array;
  readonly counts: Uint32Array;
  readonly lengths: Uint32Array;
  readonly firstStarts: Uint32Array;
  readonly unitLengths: Uint32Array;
  readonly #text: string;
  #words: readonly string[] | undefined;

  constructor(text: string, ids: Uint32Array, counts: Uint32Array, lengths: Uint32Array, firstStarts: Uint32Array, unitLengths: Uint32Array) {
    this.#text = text;
    this.ids = ids;
    this.counts = counts;
    this.lengths = lengths;
    this.firstStarts = firstStarts;
    this.unitLengths = unitLengths;
  }

  get words(): readonly string[] {
    if (this.#words === undefined) {
      const words: string[] = new Array(this.counts.length);
      for (let id = 0; id < words.length; id++) words[id] = this.#text.slice(this.firstStarts[id], this.firstStarts[id] + this.unitLengths[id]);
      this.#words = words;
    }
    return this.#words;
  }
}

/*
 * Work buffers of `scanVocabulary` and `scanVocabularyNative`, shared by every call and grown on
 * demand: the hash table and the per-distinct-word fields, copied out at the end. Sharing is safe: the scan runs synchronously to
 * the end and calls nothing that can re-enter it; worker threads each load their own copy.
 */
let vocabSlots = new Int32Array(0);
let vocabStarts = new Uint32Array(0);
let vocabUnitLengths = new Uint32Array(0);
let vocabCounts = new Uint32Array(0);
/** Per distinct word, its code-point length: where the native vocabulary writes them. */
let vocabLengths = new Uint32Array(0);

/** Grows the per-distinct-word buffers for `wordCount` words. */
function reserveVocabulary(wordCount: number): void {
  if (vocabCounts.length >= wordCount) return;
  vocabStarts = new Uint32Array(wordCount);
  vocabUnitLengths = new Uint32Array(wordCount);
  vocabCounts = new Uint32Array(wordCount);
  vocabLengths = new Uint32Array(wordCount);
}

/** The addon's vocabulary, looked up on first use (undefined until then, null without it). */
let nativeVocabulary: NativeVocabulary | null | undefined;

/** `scanVocabulary` by the addon, or null without it (or on the `js` backend). */
export function scanVocabularyNative(text: string, wordStarts: Uint32Array, hasSurrogates: boolean = SURROGATE_RE.test(text)): WordVocabulary | null {
  if (nativeVocabulary === undefined) nativeVocabulary = nativeText()?.vocabulary ?? null;
  if (nativeVocabulary === null) return null;
  const wordCount = wordStarts.length - 1;
  reserveVocabulary(wordCount);
  const ids = new Uint32Array(wordCount);
  const distinct = nativeVocabulary(text, wordStarts, hasSurrogates, ids, vocabStarts, vocabUnitLengths, vocabCounts, vocabLengths);
  // The per-id arrays share one buffer: one allocation per text instead of three or four.
  const fields = new Uint32Array((hasSurrogates ? 4 : 3) * distinct);
  fields.set(vocabCounts.subarray(0, distinct));
  fields.set(vocabStarts.subarray(0, distinct), distinct);
  fields.set(vocabUnitLengths.subarray(0, distinct), 2 * distinct);
  const units = fields.subarray(2 * distinct, 3 * distinct);
  let lengths = units;
  if (hasSurrogates) {
    fields.set(vocabLengths.subarray(0, distinct), 3 * distinct);
    lengths = fields.subarray(3 * distinct);
  }
  return new ScannedVocabulary(text, ids, fields.subarray(0, distinct), lengths, fields.subarray(distinct, 2 * distinct), units);
}

/**
 * Builds the vocabulary of a normalized text from its words' start offsets (`NormalizedText.wordStarts`:
 * one per word plus `text.length + 1`): each word is looked up in an open-addressing table of the
 * distinct words seen so far (stored as spans of `text`), by a hash of its length and a few of its
 * units, and only equal code units make a hit, so hash collisions never merge distinct words.
 * `hasSurrogates` says whether `text` holds surrogates (code-point lengths then need counting);
 * `multiplier` is the hash's final mix; tests pass 0 to collide everything.
 */
export function scanVocabulary(
  text: string,
  wordStarts: Uint32Array,
  hasSurrogates: boolean = SURROGATE_RE.test(text),
  multiplier: number = SAMPLE_HASH_MULTIPLIER,
): WordVocabulary {
  const wordCount = wordStarts.length - 1;
  // The table holds the distinct words at most half full; it starts at a guess (long texts repeat
  // most of their words) and doubles when needed: a small table stays in cache, where probes are cheap.
  let size = 16;
  while (size < 2 * Math.min(wordCount, 256 + (wordCount >> 2))) size *= 2;
  reserveVocabulary(wordCount);
  let slots = tableOf(size);
  const firstStarts = vocabStarts;
  const unitLengths = vocabUnitLengths;
  const counts = vocabCounts;
  let shift = 32 - Math.log2(size);
  let mask = size - 1;
  const ids = new Uint32Array(wordCount);
  let distinct = 0;
  for (let w = 0; w < wordCount; w++) {
    const start = wordStarts[w];
    const length = wordStarts[w + 1] - 1 - start;
    // `sampleHash` (words are never empty), inlined by hand: the engine leaves it a call here.
    let h =
      Math.imul(length, 0x9e3779b1) ^
      text.charCodeAt(start) ^
      Math.imul(text.charCodeAt(start + (length >> 1)), 0x27d4eb2f) ^
      Math.imul(text.charCodeAt(start + length - 1), 0x165667b1);
    h = Math.imul(h ^ (h >>> 15), multiplier);
    let slot = h >>> shift;
    let id = slots[2 * slot + 1];
    while (id >= 0 && (slots[2 * slot] !== h || unitLengths[id] !== length || !equalUnits(text, firstStarts[id], text, start, length))) {
      slot = (slot + 1) & mask;
      id = slots[2 * slot + 1];
    }
    if (id < 0) {
      id = distinct++;
      slots[2 * slot] = h;
      slots[2 * slot + 1] = id;
      firstStarts[id] = start;
      unitLengths[id] = length;
      counts[id] = 0;
      if (2 * distinct > size) {
        slots = rehash(slots, size);
        size *= 2;
        shift--;
        mask = size - 1;
      }
    }
    counts[id]++;
    ids[w] = id;
  }
  const units = unitLengths.slice(0, distinct);
  const starts = firstStarts.slice(0, distinct);
  const lengths = hasSurrogates ? codePointLengths(text, starts, units) : units;
  return new ScannedVocabulary(text, ids, counts.slice(0, distinct), lengths, starts, units);
}

/**
 * The vocabulary's hash table for `size` slots, all empty: two cells per slot, the hash and the id
 * (-1 = empty), so that a probe reads one cache line. A shared scratch buffer (see above).
 */
function tableOf(size: number): Int32Array {
  if (vocabSlots.length < 2 * size) vocabSlots = new Int32Array(2 * size);
  vocabSlots.fill(-1, 0, 2 * size);
  return vocabSlots;
}

/** The entries of a table of `size` slots moved into one of twice that size (the scratch buffer). */
function rehash(slots: Int32Array, size: number): Int32Array {
  const old = slots.slice(0, 2 * size);
  const grown = tableOf(2 * size);
  const shift = 31 - Math.log2(size);
  const mask = 2 * size - 1;
  for (let s = 0; s < size; s++) {
    const id = old[2 * s + 1];
    if (id < 0) continue;
    const h = old[2 * s];
    let slot = h >>> shift;
    while (grown[2 * slot + 1] >= 0) slot = (slot + 1) & mask;
    grown[2 * slot] = h;
    grown[2 * slot + 1] = id;
  }
  return grown;
}

/** Code-point lengths of the words `text[starts[id], starts[id] + units[id])`. */
function codePointLengths(text: string, starts: Uint32Array, units: Uint32Array): Uint32Array {
  const lengths = new Uint32Array(units.length);
  for (let id = 0; id < units.length; id++) lengths[id] = codePointLength(text.slice(starts[id], starts[id] + units[id]));
  return lengths;
}

/*
 * Normalized text is stripped and has every whitespace run collapsed to one ASCII space before
 * lower-casing and NFD, and neither of those turns a non-whitespace character into whitespace (the
 * tests check every code point). So Python `str.split()` on it is a plain split on ' ', which the
 * engine does natively.
 */

/** `pySplit(s)` for a normalized string `s`. */
function splitNormalized(s: string): string[] {
  return s.length === 0 ? [] : s.split(' ');
}
