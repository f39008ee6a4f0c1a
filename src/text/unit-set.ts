/**
 * Hashing UTF-16 code units in place: a string set that answers "is `s[start, end)` a member?"
 * without slicing `s`, for the word lists checked against every token of a document (and the same
 * hash for the vocabulary of `TextView`).
 *
 * Hash equality only ever selects candidates; membership is decided by comparing code units, so a
 * collision can slow a lookup down but never make two distinct strings equal.
 */

/** Whether `a[aStart, aStart + length)` and `b[bStart, bStart + length)` hold the same code units. */
export function equalUnits(a: string, aStart: number, b: string, bStart: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (a.charCodeAt(aStart + k) !== b.charCodeAt(bStart + k)) return false;
  return true;
}

/** Multiplier of `sampleHash`'s final mix; tests pass 0 to give every string the same hash. */
export const SAMPLE_HASH_MULTIPLIER = 0x85ebca6b | 0;

/**
 * A cheap hash of `s[start, start + length)`: its length and its first, middle and last units, so
 * its cost does not grow with the length (every lookup compares all units anyway). The hot loops
 * (`CodeUnitSet`, `scanVocabulary`) repeat it inline, where the engine would leave it a call.
 */
export function sampleHash(s: string, start: number, length: number, multiplier: number = SAMPLE_HASH_MULTIPLIER): number {
  if (length === 0) return 0;
  const h =
    Math.imul(length, 0x9e3779b1) ^
    s.charCodeAt(start) ^
    Math.imul(s.charCodeAt(start + (length >> 1)), 0x27d4eb2f) ^
    Math.imul(s.charCodeAt(start + length - 1), 0x165667b1);
  return Math.imul(h ^ (h >>> 15), multiplier);
}

/** A fixed set of strings, looked up by a span of another string; each member has an index. */
export class CodeUnitSet {
  /** The members, de-duplicated, in first-seen order; `indexOf` answers positions in this list. */
  readonly members: readonly string[];
  /** The longest member, in UTF-16 units: longer spans are not looked up at all. */
  readonly maxLength: number;
  /** Every member concatenated: a lookup compares against this one flat string. */
  readonly #units: string;
  /** Per member, where it starts in `#units` and its length, side by side. */
  readonly #spans: Int32Array;
  /**
   * Open addressing, linear probing, two cells per slot: the member's hash and its index (-1 = an
   * empty slot). At most 1/8 full, so that most misses stop at the first slot.
   */
  readonly #slots: Int32Array;
  readonly #shift: number;
  readonly #mask: number;
  readonly #multiplier: number;

  constructor(words: Iterable<string>, multiplier: number = SAMPLE_HASH_MULTIPLIER) {
    const members = [...new Set(words)];
    let size = 16;
    while (size < 8 * members.length) size *= 2;
    this.members = members;
    this.#units = members.join('');
    this.#spans = new Int32Array(2 * members.length);
    this.#slots = new Int32Array(2 * size).fill(-1);
    this.#shift = 32 - Math.log2(size);
    this.#mask = size - 1;
    this.#multiplier = multiplier;
    let start = 0;
    let maxLength = 0;
    for (let m = 0; m < members.length; m++) {
      const w = members[m];
      const h = sampleHash(w, 0, w.length, multiplier);
      this.#spans[2 * m] = start;
      this.#spans[2 * m + 1] = w.length;
      let slot = h >>> this.#shift;
      while (this.#slots[2 * slot + 1] >= 0) slot = (slot + 1) & this.#mask;
      this.#slots[2 * slot] = h;
      this.#slots[2 * slot + 1] = m;
      start += w.length;
      if (w.length > maxLength) maxLength = w.length;
    }
    this.maxLength = maxLength;
  }

  /** Index in `members` of the member equal to `s[start, end)`, or -1. */
  indexOf(s: string, start: number, end: number): number {
    const length = end - start;
    if (length > this.maxLength) return -1;
    // `sampleHash`, inlined by hand: the engine leaves it a call here, a third of the lookup's cost.
    let h = 0;
    if (length !== 0) {
      h =
        Math.imul(length, 0x9e3779b1) ^
        s.charCodeAt(start) ^
        Math.imul(s.charCodeAt(start + (length >> 1)), 0x27d4eb2f) ^
        Math.imul(s.charCodeAt(start + length - 1), 0x165667b1);
      h = Math.imul(h ^ (h >>> 15), this.#multiplier);
    }
    const slots = this.#slots;
    const spans = this.#spans;
    const mask = this.#mask;
    for (let slot = h >>> this.#shift; ; slot = (slot + 1) & mask) {
      const m = slots[2 * slot + 1];
      if (m < 0) return -1;
      if (slots[2 * slot] === h && spans[2 * m + 1] === length && equalUnits(this.#units, spans[2 * m], s, start, length)) return m;
    }
  }

  /** Whether `s[start, end)` is a member. */
  has(s: string, start: number, end: number): boolean {
    return this.indexOf(s, start, end) >= 0;
  }

  /**
   * How many of the `count` spans of `s` are members, among those whose `tags[k]` has
   * `allowed[tags[k]] === 1` (a filter that rules spans out with one load): span k is
   * `s[spans[2k], spans[2k + 1])`, as in `TokenSpans`. `indexOf` in one loop, its state in locals.
   */
  countSpans(s: string, spans: Uint32Array, count: number, tags: Uint8Array, allowed: Uint8Array): number {
    const maxLength = this.maxLength;
    const multiplier = this.#multiplier;
    const shift = this.#shift;
    const mask = this.#mask;
    const slots = this.#slots;
    const members = this.#spans;
    const units = this.#units;
    let found = 0;
    for (let k = 0; k < count; k++) {
      if (allowed[tags[k]] !== 1) continue;
      const start = spans[2 * k];
      const length = spans[2 * k + 1] - start;
      if (length > maxLength) continue;
      let h = 0;
      if (length !== 0) {
        h =
          Math.imul(length, 0x9e3779b1) ^
          s.charCodeAt(start) ^
          Math.imul(s.charCodeAt(start + (length >> 1)), 0x27d4eb2f) ^
          Math.imul(s.charCodeAt(start + length - 1), 0x165667b1);
        h = Math.imul(h ^ (h >>> 15), multiplier);
      }
      for (let slot = h >>> shift; ; slot = (slot + 1) & mask) {
        const m = slots[2 * slot + 1];
        if (m < 0) break;
        if (slots[2 * slot] === h && members[2 * m + 1] === length && equalUnits(units, members[2 * m], s, start, length)) {
          found++;
          break;
        }
      }
    }
    return found;
  }
}
