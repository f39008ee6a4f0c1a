import type { IntList } from './dictionary.js';

const SLOTS = 1 << 16;
const ENTRIES = SLOTS >> 1;
const BYTES = 1 << 20;
const IDS = 1 << 20;

/**
 * Remembers the input rows of recent tokens (a word's id and its character n-gram buckets depend
 * only on the token), so a repeated word costs a lookup instead of hashing all its n-grams. It
 * empties itself when full; results never depend on what it holds.
 */
export class TokenCache {
  private readonly slots = new Int32Array(SLOTS).fill(-1);
  private readonly hashes = new Int32Array(ENTRIES);
  private readonly byteStarts = new Int32Array(ENTRIES + 1);
  private readonly idStarts = new Int32Array(ENTRIES + 1);
  private readonly bytes = new Uint8Array(BYTES);
  private readonly ids = new Int32Array(IDS);
  private size = 0;

  /** Appends the cached rows of the token `bytes[start..end)` (hash `h`) to `out`; false if not cached. */
  appendTo(bytes: Uint8Array, start: number, end: number, h: number, out: IntList): boolean {
    const len = end - start;
    for (let slot = h & (SLOTS - 1); ; slot = (slot + 1) & (SLOTS - 1)) {
      const e = this.slots[slot];
      if (e === -1) return false;
      if (this.hashes[e] !== h) continue;
      const s = this.byteStarts[e];
      if (this.byteStarts[e + 1] - s !== len) continue;
      let k = 0;
      while (k < len && this.bytes[s + k] === bytes[start + k]) k++;
      if (k < len) continue;
      for (let i = this.idStarts[e]; i < this.idStarts[e + 1]; i++) out.push(this.ids[i]);
      return true;
    }
  }

  /** Caches the token's rows, `rows.values[from..rows.length)`. */
  add(bytes: Uint8Array, start: number, end: number, h: number, rows: IntList, from: number): void {
    const len = end - start;
    const count = rows.length - from;
    if (len > BYTES || count > IDS) return;
    if (this.size === ENTRIES || this.byteStarts[this.size] + len > BYTES || this.idStarts[this.size] + count > IDS) this.clear();
    const e = this.size++;
    this.hashes[e] = h;
    this.bytes.set(bytes.subarray(start, end), this.byteStarts[e]);
    this.byteStarts[e + 1] = this.byteStarts[e] + len;
    this.ids.set(rows.values.subarray(from, rows.length), this.idStarts[e]);
    this.idStarts[e + 1] = this.idStarts[e] + count;
    let slot = h & (SLOTS - 1);
    while (this.slots[slot] !== -1) slot = (slot + 1) & (SLOTS - 1);
    this.slots[slot] = e;
  }

  private clear(): void {
    this.slots.fill(-1);
    this.size = 0;
  }
}
