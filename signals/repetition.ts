/**
 * Repetition signals (spec §3.3): how much of a document's word characters sit in its most frequent
 * 2/3/4-gram, and in 5..10-grams that occur more than once. All read the normalized words, where
 * "chars" is the sum of the words' code-point lengths (spaces excluded).
 *
 * The nine values come from two linear passes per n-gram size over integer word ids, never strings.
 * An n-gram is identified by the pair (class of its (n-1)-gram prefix, id of its last word), so one
 * exact two-integer key per position replaces hashing an n-tuple, and equal classes mean equal
 * n-grams by induction. Only positions whose n-gram can repeat are visited: an n-gram occurring
 * twice has both its (n-1)-gram prefix and its (n-1)-gram suffix occurring twice, so the candidates
 * at size n are the repeated (n-1)-gram starts `i` with a repeated (n-1)-gram at `i + 1`, and every
 * occurrence of every repeated n-gram is among them (so its count and first occurrence are exact).
 *
 * On a native backend the addon runs this integer work (native/src/repetition) and only the
 * divisions and rounding run here; `SIEVE_BACKEND=js`, or no addon, runs `repetitionScores`.
 */

import { nativeRepetitionSums } from '../src/native.js';
import type { RepetitionSums } from '../src/native.js';
import type { SignalFamily } from '../src/signal.js';
import { round8Fast } from '../src/text/index.js';
import type { TextView, WordVocabulary } from '../src/text/index.js';

/** The RPv2 keys, in the order of the array `repetitionScores` returns. */
export const REPETITION_KEYS = [
  'rps_doc_frac_chars_top_2gram',
  'rps_doc_frac_chars_top_3gram',
  'rps_doc_frac_chars_top_4gram',
  'rps_doc_frac_chars_dupe_5grams',
  'rps_doc_frac_chars_dupe_6grams',
  'rps_doc_frac_chars_dupe_7grams',
  'rps_doc_frac_chars_dupe_8grams',
  'rps_doc_frac_chars_dupe_9grams',
  'rps_doc_frac_chars_dupe_10grams',
] as const;

/** Fibonacci-hashing multiplier (2^32 / golden ratio); tests pass 0 to send every key to one slot. */
export const DEFAULT_HASH_MULTIPLIER = 0x9e3779b1 | 0;

const MAX_N = 10;
const LAST_TOP_N = 4;
/** Fields of one n-gram class in `Ladder.entries`: its two key halves, its count, its first start. */
const ENTRY = 4;
const PREFIX_KEY = 0;
const LAST_KEY = 1;
const COUNT = 2;
const FIRST = 3;

/**
 * The nine repetition scores of one word-id sequence, in `REPETITION_KEYS` order, already rounded:
 * `ids` are word ids per position, `counts` occurrences and `lengths` code-point lengths per id (as
 * in `TextView.vocabulary`). `hashMultiplier` only moves keys between slots, never changes results.
 */
export function repetitionScores(
  vocabulary: Pick<WordVocabulary, 'ids' | 'counts' | 'lengths'>,
  hashMultiplier: number = DEFAULT_HASH_MULTIPLIER,
): Float64Array {
  const scores = new Float64Array(REPETITION_KEYS.length);
  const ladder = startLadder(vocabulary, hashMultiplier);
  const total = ladder.prefix[vocabulary.ids.length];
  if (total === 0) return scores;
  for (let size = 2; size <= MAX_N && ladder.candidateCount > 0; size++) {
    classifyCandidates(ladder, size);
    if (size <= LAST_TOP_N) scores[size - 2] = topNgramFraction(ladder, size, total);
    const covered = keepRepeated(ladder, size, size > LAST_TOP_N);
    if (size > LAST_TOP_N) scores[size - 2] = round8Fast(covered / total);
  }
  return scores;
}

/**
 * Working state while n-grams grow one word at a time. At the start of size n, `candidates` lists
 * in position order the starts where a repeated (n-1)-gram is followed by another one at the next
 * position (only there can an n-gram repeat, and every occurrence of a repeated n-gram is there).
 * After classifying, `classOf[i]` is the class of the n-gram at candidate `i`: classes are numbered
 * by first occurrence and keyed by (class of the (n-1)-gram prefix, id of the last word).
 */
interface Ladder {
  readonly ids: Uint32Array;
  /** prefix[k] = chars of words [0, k): any span's chars in O(1), exact integers below 2^53. */
  readonly prefix: Float64Array;
  readonly candidates: Int32Array;
  candidateCount: number;
  readonly classOf: Uint32Array;
  /** `ENTRY` fields per class, side by side so one probe touches one cache line. */
  readonly entries: Uint32Array;
  classes: number;
  /** Open-addressing table (linear probing) from key hash to class; -1 = empty. */
  readonly slots: Int32Array;
  readonly hashMultiplier: number;
}

/** One pass for size 1: chars prefix sums, and the size-2 candidates (a repeated word before one). */
function startLadder(vocabulary: Pick<WordVocabulary, 'ids' | 'counts' | 'lengths'>, hashMultiplier: number): Ladder {
  const { ids, counts, lengths } = vocabulary;
  const { prefix, candidates, classOf, entries, slots } = workBuffers(ids.length);
  let chars = 0;
  let count = 0;
  let last = -2;
  prefix[0] = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    chars += lengths[id];
    prefix[i + 1] = chars;
    // Branch-free on purpose (likewise in keepRepeated): "repeats" is a coin flip that defeats the
    // branch predictor. Every id occurs at least once, so (1 - count) >>> 31 = (count >= 2).
    const repeats = (1 - counts[id]) >>> 31;
    candidates[count] = last;
    count += repeats & ((i - last - 2) >>> 31);
    last += (i - last) * repeats;
  }
  return { ids, prefix, candidates, candidateCount: count, classOf, entries, classes: 0, slots, hashMultiplier };
}

type WorkBuffers = Pick<Ladder, 'prefix' | 'candidates' | 'classOf' | 'entries' | 'slots'>;

/** Documents up to this many words reuse `scratch`; longer ones, rare, get their own buffers. */
const SCRATCH_WORDS = 1 << 16;

/**
 * Work buffers shared by every call, grown on demand up to `SCRATCH_WORDS` words (≈ 2.5 MB), to
 * spare each document five allocations. Sharing is safe: `repetitionScores` runs synchronously to
 * the end, calls nothing that can re-enter it, and copies its results out; worker threads each load
 * their own copy of this module. No buffer needs clearing: every cell is written before it is read.
 */
const scratch: { words: number; buffers: WorkBuffers | undefined } = { words: 0, buffers: undefined };

/** Buffers for `words` words (prefix sums take words + 1 cells; classes never outnumber words). */
function workBuffers(words: number): WorkBuffers {
  if (words <= scratch.words && scratch.buffers !== undefined) return scratch.buffers;
  const size =
    words > SCRATCH_WORDS ? words : Math.min(SCRATCH_WORDS, Math.max(1024, 2 ** Math.ceil(Math.log2(words))));
  const buffers: WorkBuffers = {
    prefix: new Float64Array(size + 1),
    candidates: new Int32Array(size),
    classOf: new Uint32Array(size),
    entries: new Uint32Array(ENTRY * size),
    slots: new Int32Array(tableSize(size)),
  };
  if (size <= SCRATCH_WORDS) {
    scratch.words = size;
    scratch.buffers = buffers;
  }
  return buffers;
}

/** Gives each candidate the class of its n-gram, keyed exactly on (prefix class, last word id). */
function classifyCandidates(ladder: Ladder, size: number): void {
  const { ids, candidates, classOf, entries, slots } = ladder;
  const prefixClass = size === 2 ? ids : classOf;
  const tableLength = tableSize(ladder.candidateCount);
  const shift = 32 - Math.log2(tableLength);
  const mask = tableLength - 1;
  const multiplier = ladder.hashMultiplier;
  slots.fill(-1, 0, tableLength);
  let classes = 0;
  for (let k = 0; k < ladder.candidateCount; k++) {
    const i = candidates[k];
    const a = prefixClass[i];
    const b = ids[i + size - 1];
    let slot = Math.imul(Math.imul(a, 0x27d4eb2d) ^ b, multiplier) >>> shift;
    let c = slots[slot];
    while (c >= 0 && (entries[ENTRY * c + PREFIX_KEY] !== a || entries[ENTRY * c + LAST_KEY] !== b)) {
      slot = (slot + 1) & mask;
      c = slots[slot];
    }
    if (c < 0) {
      c = slots[slot] = classes++;
      entries[ENTRY * c + PREFIX_KEY] = a;
      entries[ENTRY * c + LAST_KEY] = b;
      entries[ENTRY * c + COUNT] = 0;
      entries[ENTRY * c + FIRST] = i;
    }
    entries[ENTRY * c + COUNT]++;
    classOf[i] = c;
  }
  ladder.classes = classes;
}

/**
 * Keeps, in place, the candidates for size n+1: starts i of repeated n-grams with a repeated n-gram
 * at i + 1 (consecutive entries of the repeated starts). With `measure`, also returns the chars of
 * the union of the windows [i, i + size) over the repeated starts i, each word counted once.
 */
function keepRepeated(ladder: Ladder, size: number, measure: boolean): number {
  const { candidates, classOf, entries, prefix } = ladder;
  let count = 0;
  let last = -2;
  let covered = 0;
  let end = 0;
  for (let k = 0; k < ladder.candidateCount; k++) {
    const i = candidates[k];
    const repeats = (1 - entries[ENTRY * classOf[i] + COUNT]) >>> 31;
    // Writes only at or behind k, which has been read already.
    candidates[count] = last;
    count += repeats & ((i - last - 2) >>> 31);
    last += (i - last) * repeats;
    if (measure && repeats === 1) {
      covered += prefix[i + size] - prefix[i > end ? i : end];
      end = i + size;
    }
  }
  ladder.candidateCount = count;
  return covered;
}

/** Smallest power of two ≥ 2 × keys (load ≤ ½), at least 16 so the hash shift stays in 1..28. */
function tableSize(keys: number): number {
  let size = 16;
  while (size < 2 * keys) size *= 2;
  return size;
}

/**
 * Python `Counter.most_common(1)`: the highest count, ties to the class seen first (the smallest
 * class number); a top count ≤ 1 scores 0. Overlapping occurrences all count, so it can exceed 1.
 */
function topNgramFraction(ladder: Ladder, size: number, total: number): number {
  const { entries, prefix } = ladder;
  let best = -1;
  let bestCount = 1;
  for (let c = 0; c < ladder.classes; c++) {
    const count = entries[ENTRY * c + COUNT];
    if (count > bestCount) {
      best = c;
      bestCount = count;
    }
  }
  if (best < 0) return 0;
  const first = entries[ENTRY * best + FIRST];
  // Same operation order as the reference (chars × count, then ÷ total): exact integers, one rounding.
  return round8Fast(((prefix[first + size] - prefix[first]) * bestCount) / total);
}

/**
 * `repetitionScores` with the integer work done by `sums` (the addon's kernel). Only the division by
 * the total chars and `round8Fast` run here, on the same exact integers as in `repetitionScores`,
 * so the doubles are identical.
 */
export function repetitionScoresFromSums(
  vocabulary: Pick<WordVocabulary, 'ids' | 'counts' | 'lengths'>,
  sums: RepetitionSums,
): Float64Array {
  const values = new Float64Array(REPETITION_KEYS.length + 1);
  sums(vocabulary.ids, vocabulary.counts, vocabulary.lengths, values);
  const scores = new Float64Array(REPETITION_KEYS.length);
  const total = values[0];
  if (total === 0) return scores;
  for (let k = 0; k < scores.length; k++) scores[k] = round8Fast(values[k + 1] / total);
  return scores;
}

/** Per-view memo: the nine values are computed together, on the first request of any of them. */
const memo = new WeakMap<TextView, Float64Array>();

function scoresOf(view: TextView): Float64Array {
  let scores = memo.get(view);
  if (scores === undefined) {
    const sums = nativeRepetitionSums();
    scores = sums ? repetitionScoresFromSums(view.vocabulary, sums) : repetitionScores(view.vocabulary);
    memo.set(view, scores);
  }
  return scores;
}

/** rps_doc_frac_chars_top_2gram: chars of the most frequent word 2-gram (ties to the first seen) × its count ÷ all word chars; 0 if none repeats. */
export function docFracCharsTop2gram(view: TextView): number {
  return scoresOf(view)[0];
}

/** rps_doc_frac_chars_top_3gram: chars of the most frequent word 3-gram (ties to the first seen) × its count ÷ all word chars; 0 if none repeats. */
export function docFracCharsTop3gram(view: TextView): number {
  return scoresOf(view)[1];
}

/** rps_doc_frac_chars_top_4gram: chars of the most frequent word 4-gram (ties to the first seen) × its count ÷ all word chars; 0 if none repeats. */
export function docFracCharsTop4gram(view: TextView): number {
  return scoresOf(view)[2];
}

/** rps_doc_frac_chars_dupe_5grams: chars of the words covered by any word 5-gram occurring at least twice ÷ all word chars. */
export function docFracCharsDupe5grams(view: TextView): number {
  return scoresOf(view)[3];
}

/** rps_doc_frac_chars_dupe_6grams: chars of the words covered by any word 6-gram occurring at least twice ÷ all word chars. */
export function docFracCharsDupe6grams(view: TextView): number {
  return scoresOf(view)[4];
}

/** rps_doc_frac_chars_dupe_7grams: chars of the words covered by any word 7-gram occurring at least twice ÷ all word chars. */
export function docFracCharsDupe7grams(view: TextView): number {
  return scoresOf(view)[5];
}

/** rps_doc_frac_chars_dupe_8grams: chars of the words covered by any word 8-gram occurring at least twice ÷ all word chars. */
export function docFracCharsDupe8grams(view: TextView): number {
  return scoresOf(view)[6];
}

/** rps_doc_frac_chars_dupe_9grams: chars of the words covered by any word 9-gram occurring at least twice ÷ all word chars. */
export function docFracCharsDupe9grams(view: TextView): number {
  return scoresOf(view)[7];
}

/** rps_doc_frac_chars_dupe_10grams: chars of the words covered by any word 10-gram occurring at least twice ÷ all word chars. */
export function docFracCharsDupe10grams(view: TextView): number {
  return scoresOf(view)[8];
}

export const repetition: SignalFamily = {
  id: 'repetition',
  version: 1,
  signals: [
    { name: 'rps_doc_frac_chars_top_2gram', level: 'doc', type: 'f64', description: 'Fraction of word characters in the most frequent 2-gram, counting every occurrence.', compute: docFracCharsTop2gram },
    { name: 'rps_doc_frac_chars_top_3gram', level: 'doc', type: 'f64', description: 'Fraction of word characters in the most frequent 3-gram, counting every occurrence.', compute: docFracCharsTop3gram },
    { name: 'rps_doc_frac_chars_top_4gram', level: 'doc', type: 'f64', description: 'Fraction of word characters in the most frequent 4-gram, counting every occurrence.', compute: docFracCharsTop4gram },
    { name: 'rps_doc_frac_chars_dupe_5grams', level: 'doc', type: 'f64', description: 'Fraction of word characters inside 5-grams that occur more than once.', compute: docFracCharsDupe5grams },
    { name: 'rps_doc_frac_chars_dupe_6grams', level: 'doc', type: 'f64', description: 'Fraction of word characters inside 6-grams that occur more than once.', compute: docFracCharsDupe6grams },
    { name: 'rps_doc_frac_chars_dupe_7grams', level: 'doc', type: 'f64', description: 'Fraction of word characters inside 7-grams that occur more than once.', compute: docFracCharsDupe7grams },
    { name: 'rps_doc_frac_chars_dupe_8grams', level: 'doc', type: 'f64', description: 'Fraction of word characters inside 8-grams that occur more than once.', compute: docFracCharsDupe8grams },
    { name: 'rps_doc_frac_chars_dupe_9grams', level: 'doc', type: 'f64', description: 'Fraction of word characters inside 9-grams that occur more than once.', compute: docFracCharsDupe9grams },
    { name: 'rps_doc_frac_chars_dupe_10grams', level: 'doc', type: 'f64', description: 'Fraction of word characters inside 10-grams that occur more than once.', compute: docFracCharsDupe10grams },
  ],
};
