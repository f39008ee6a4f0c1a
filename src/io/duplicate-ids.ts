import type { ErrorLocation } from '../errors.js';
import { contentHashes } from '../hash/index.js';

/** Documents of one input whose id an earlier document of that input already had. */
export interface DuplicateIds {
  readonly count: number;
  /** The first such document. */
  readonly first: { readonly id: string; readonly location: ErrorLocation };
}

/** XXH64 seed for ids, apart from the exact-dedup keys (seed 0). */
const ID_SEED = 0x1d5n;

/**
 * Counts the documents of one input whose id repeats. Ids are not required to be unique (nothing is
 * lost), but joins by id and per-id outputs need them to be, so runs report them. Ids are kept as
 * 64-bit hashes in an open-addressing table, at most 32 bytes per distinct id; two different ids
 * share a hash with a chance of about n² / 2^65 (about 1 in 4·10^7 for a million documents).
 */
export class DuplicateIdCounter {
  private table = new BigUint64Array(1024);
  private used = 0;
  private zeroSeen = false;
  private count = 0;
  private first: DuplicateIds['first'] | undefined;

  /** Adds a batch's ids; `location(i)` is only asked for the first duplicate. */
  add(ids: readonly string[], location: (i: number) => ErrorLocation): void {
    if (ids.length === 0) return;
    const hashes = contentHashes(ids, ID_SEED);
    for (let i = 0; i < ids.length; i++) {
      if (this.insert(hashes[i])) continue;
      this.count++;
      this.first ??= { id: ids[i], location: location(i) };
    }
  }

  /** What was found, or undefined when every id was new. */
  result(): DuplicateIds | undefined {
    return this.first === undefined ? undefined : { count: this.count, first: this.first };
  }

  /** Adds a hash; false when it was there already. 0 marks empty slots, so it is tracked apart. */
  private insert(hash: bigint): boolean {
    if (hash === 0n) {
      const fresh = !this.zeroSeen;
      this.zeroSeen = true;
      return fresh;
    }
    if (2 * (this.used + 1) > this.table.length) this.grow();
    const table = this.table;
    const mask = table.length - 1;
    for (let slot = Number(BigInt.asUintN(32, hash)) & mask; ; slot = (slot + 1) & mask) {
      const held = table[slot];
      if (held === 0n) {
        table[slot] = hash;
        this.used++;
        return true;
      }
      if (held === hash) return false;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new BigUint64Array(2 * old.length);
    this.used = 0;
    for (const hash of old) if (hash !== 0n) this.insert(hash);
  }
}
