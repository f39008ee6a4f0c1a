/**
 * Hashing UTF-16 code units in place: a string set that answers "is `s[start, end)` a member?"
 * without slicing `s`, for the word lists checked against every token of a document.
 *
 * Hash equality only ever selects candidates; membership is decided by comparing code units, so a
 * collision can slow a lookup down but never make two distinct strings equal.
 */

/** FNV-1a's 32-bit prime; tests pass 0 to give every non-empty string the same hash. */
export const UNIT_HASH_PRIME = 0x01000193;
/** FNV-1a's 32-bit offset basis. */
export const UNIT_HASH_BASIS = 0x811c9dc5 | 0;

/** FNV-1a over the code units of `s[start, end)` (the same hash `TextView` computes while scanning). */
export function hashUnits(s: string, start: number, end: number, prime: number = UNIT_HASH_PRIME): number {
  let h = UNIT_HASH_BASIS;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), prime);
  return h;
}

/** Table slot of a hash: Fibonacci hashing takes the well-mixed high bits. */
export function hashSlot(h: number, shift: number): number {
  return Math.imul(h, 0x9e3779b1) >>> shift;
}

/** Whether `a[aStart, aStart + length)` and `b[bStart, bStart + length)` hold the same code units. */
export function equalUnits(a: string, aStart: number, b: string, bStart: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (a.charCodeAt(aStart + k) !== b.charCodeAt(bStart + k)) return false;
  return true;
}

/** A fixed set of strings, looked up by a span of another string; each member has an index. */
export class CodeUnitSet {
  /** The members, de-duplicated, in first-seen order; `indexOf` answers positions in this list. */
  readonly members: readonly string[];
  /** The longest member, in UTF-16 units: longer spans are not looked up at all. */
  readonly maxLength: number;
  /** Every member concatenated: a lookup compares against this one flat string. */
  readonly #units: string;
  readonly #starts: Int32Array;
  readonly #lengths: Int32Array;
  readonly #hashes: Int32Array;
  /** Open addressing, linear probing: member index per slot, -1 = empty. */
  readonly #slots: Int32Array;
  readonly #shift: number;
  readonly #mask: number;
  readonly #prime: number;

  constructor(words: Iterable<string>, prime: number = UNIT_HASH_PRIME) {
    const members = [...new Set(words)];
    let size = 16;
    while (size < 2 * members.length) size *= 2;
    this.members = members;
    this.#units = members.join('');
    this.#starts = new Int32Array(members.length);
    this.#lengths = new Int32Array(members.length);
    this.#hashes = new Int32Array(members.length);
    this.#slots = new Int32Array(size).fill(-1);
    this.#shift = 32 - Math.log2(size);
    this.#mask = size - 1;
    this.#prime = prime;
    let start = 0;
    let maxLength = 0;
    for (let m = 0; m < members.length; m++) {
      const w = members[m];
      const h = hashUnits(w, 0, w.length, prime);
      this.#starts[m] = start;
      this.#lengths[m] = w.length;
      this.#hashes[m] = h;
      let slot = hashSlot(h, this.#shift);
      while (this.#slots[slot] >= 0) slot = (slot + 1) & this.#mask;
      this.#slots[slot] = m;
      start += w.length;
      if (w.length > maxLength) maxLength = w.length;
    }
    this.maxLength = maxLength;
  }

  /** Index in `members` of the member equal to `s[start, end)`, or -1. */
  indexOf(s: string, start: number, end: number): number {
    const length = end - start;
    if (length > this.maxLength) return -1;
    return this.indexOfHashed(s, start, length, hashUnits(s, start, end, this.#prime));
  }

  /** `indexOf` for a caller that already has the span's `hashUnits` value (same prime). */
  indexOfHashed(s: string, start: number, length: number, h: number): number {
    const slots = this.#slots;
    const mask = this.#mask;
    for (let slot = hashSlot(h, this.#shift); ; slot = (slot + 1) & mask) {
      const m = slots[slot];
      if (m < 0) return -1;
      if (this.#hashes[m] === h && this.#lengths[m] === length && equalUnits(this.#units, this.#starts[m], s, start, length)) return m;
    }
  }

  /** Whether `s[start, end)` is a member. */
  has(s: string, start: number, end: number): boolean {
    return this.indexOf(s, start, end) >= 0;
  }
}
