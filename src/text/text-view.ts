/**
 * Every view of one document's text that the quality signals read (spec §2), computed lazily and
 * memoised, so a signal set only pays for the views it touches and shares them with the others.
 */

import { normalizeLines } from './normalize.js';
import { codePointLength } from './python.js';
import { wordPunctTokenize } from './tokenize.js';

/** One raw line: its text (with the trailing `\n` if any) and its code-point span, end exclusive. */
export interface LineSlice {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export class TextView {
  /** The document text exactly as given (CCNet `raw_content`). */
  readonly raw: string;

  #length: number | undefined;
  #normalized: string | undefined;
  #rawWords: readonly string[] | undefined;
  #normalizedWords: readonly string[] | undefined;
  #lines: readonly LineSlice[] | undefined;
  #lineEnds: Uint32Array | undefined;
  #normalizedLines: readonly string[] | undefined;
  #normalizedLineWordCounts: Uint32Array | undefined;
  #vocabulary: WordVocabulary | undefined;

  constructor(raw: string) {
    this.raw = raw;
  }

  /** Python `len(raw_content)`: the number of code points. */
  get length(): number {
    if (this.#length === undefined) this.#length = codePointLength(this.raw);
    return this.#length;
  }

  /** `normalize(raw)` (spec §2.2). */
  get normalized(): string {
    if (this.#normalized === undefined) {
      // Whole-text normalization equals the non-empty normalized lines joined by one space (the `\n`
      // between lines is whitespace that strip/collapse turns into that space; the tests check this),
      // and one pass over the text yielding both views is cheaper than two.
      this.#normalized = this.normalizedLines.filter((line) => line.length > 0).join(' ');
    }
    return this.#normalized;
  }

  /** NLTK WordPunct tokens of the raw text, case and punctuation kept (spec §2.3). */
  get rawWords(): readonly string[] {
    if (this.#rawWords === undefined) this.#rawWords = wordPunctTokenize(this.raw);
    return this.#rawWords;
  }

  /** The normalized text split on whitespace (Python `str.split()`). */
  get normalizedWords(): readonly string[] {
    if (this.#normalizedWords === undefined) this.#normalizedWords = splitNormalized(this.normalized);
    return this.#normalizedWords;
  }

  /**
   * Raw lines per `re.finditer(r"([^\n]*\n|[^\n]+$)")` (spec §2.4): each keeps its `\n`, empty lines
   * are kept, a final unterminated line counts, a trailing `\n` adds no empty line, and an empty
   * document has none. Offsets are code points; the lines tile `[0, length)`.
   */
  get lines(): readonly LineSlice[] {
    if (this.#lines === undefined) this.#computeLines();
    return this.#lines as readonly LineSlice[];
  }

  /** The code-point `end` of each line, in order (the Arrow `line_ends` column). */
  get lineEnds(): Uint32Array {
    if (this.#lineEnds === undefined) this.#computeLines();
    return this.#lineEnds as Uint32Array;
  }

  /** `normalize(line.text)` for each raw line, same order. */
  get normalizedLines(): readonly string[] {
    if (this.#normalizedLines === undefined) this.#normalizedLines = normalizeLines(this.raw);
    return this.#normalizedLines;
  }

  /** Number of whitespace-separated words in each normalized line. */
  get normalizedLineWordCounts(): Uint32Array {
    if (this.#normalizedLineWordCounts === undefined) {
      const normalizedLines = this.normalizedLines;
      const counts = new Uint32Array(normalizedLines.length);
      for (let i = 0; i < normalizedLines.length; i++) counts[i] = countNormalizedWords(normalizedLines[i]);
      this.#normalizedLineWordCounts = counts;
    }
    return this.#normalizedLineWordCounts;
  }

  /**
   * The normalized words as integer ids numbered by first occurrence, with per-id counts and
   * code-point lengths: what n-gram, uniqueness and entropy signals count on, instead of strings.
   */
  get vocabulary(): WordVocabulary {
    if (this.#vocabulary === undefined) this.#vocabulary = buildVocabulary(this.normalizedWords);
    return this.#vocabulary;
  }

  /**
   * One linear pass over UTF-16 units that finds the line breaks and converts unit offsets to
   * code-point offsets on the way (a low surrogate right after a high surrogate adds no code point).
   * Also fills `length`, which falls out of the same pass.
   */
  #computeLines(): void {
    const raw = this.raw;
    const n = raw.length;
    const lines: LineSlice[] = [];
    const ends: number[] = [];
    let startUnit = 0;
    let startCp = 0;
    let cp = 0;
    for (let i = 0; i < n; i++) {
      const c = raw.charCodeAt(i);
      if (c === 0x0a) {
        cp++;
        lines.push({ text: raw.slice(startUnit, i + 1), start: startCp, end: cp });
        ends.push(cp);
        startUnit = i + 1;
        startCp = cp;
        continue;
      }
      if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
        const prev = raw.charCodeAt(i - 1);
        // The second half of a surrogate pair: already counted with its first half.
        if (prev >= 0xd800 && prev <= 0xdbff) continue;
      }
      cp++;
    }
    if (startUnit < n) {
      lines.push({ text: startUnit === 0 ? raw : raw.slice(startUnit), start: startCp, end: cp });
      ends.push(cp);
    }
    this.#lines = lines;
    this.#lineEnds = Uint32Array.from(ends);
    if (this.#length === undefined) this.#length = cp;
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
}

function buildVocabulary(words: readonly string[]): WordVocabulary {
  const index = new Map<string, number>();
  const ids = new Uint32Array(words.length);
  const distinct: string[] = [];
  const countList: number[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    let id = index.get(w);
    if (id === undefined) {
      id = distinct.length;
      index.set(w, id);
      distinct.push(w);
      countList.push(0);
    }
    ids[i] = id;
    countList[id]++;
  }
  const lengths = new Uint32Array(distinct.length);
  for (let i = 0; i < distinct.length; i++) lengths[i] = codePointLength(distinct[i]);
  return { ids, counts: Uint32Array.from(countList), lengths, words: distinct };
}

/*
 * Normalized text is stripped and has every whitespace run collapsed to one ASCII space before
 * lower-casing and NFD, and neither of those turns a non-whitespace character into whitespace (the
 * tests check every code point). So Python `str.split()` on it is a plain split on ' ', which the
 * engine does natively, and its word count is the number of spaces plus one.
 */

/** `pySplit(s)` for a normalized string `s`. */
function splitNormalized(s: string): string[] {
  return s.length === 0 ? [] : s.split(' ');
}

/** `pySplit(s).length` for a normalized string `s`. */
function countNormalizedWords(s: string): number {
  if (s.length === 0) return 0;
  let count = 1;
  for (let i = s.indexOf(' '); i !== -1; i = s.indexOf(' ', i + 1)) count++;
  return count;
}
