/**
 * Band keys on disk, split by hash range so that one range at a time fits the memory budget.
 *
 * A key record is six uint32 words: the key's 128-bit hash (h0 low, h0 high, h1 low, h1 high),
 * the band index, and the document's ordinal in its shard. Records of shard s and range p go to
 * `keys/<s>/<p>.bin`; a range is chosen by the top bits of h0.
 */

import { closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const RECORD_WORDS = 6;
export const RECORD_BYTES = 4 * RECORD_WORDS;
/** Hash ranges a shard's keys are split into: 2^PARTITION_BITS. */
export const PARTITION_BITS = 6;
export const PARTITIONS = 1 << PARTITION_BITS;
const BUFFER_RECORDS = 4096;

export function shardKeyDir(workDir: string, shard: number): string {
  return join(workDir, 'keys', String(shard));
}

/** Appends one shard's key records to its range files, buffered. */
export class KeySpillWriter {
  private readonly buffers: Uint32Array[] = [];
  private readonly fill = new Uint32Array(PARTITIONS);
  private readonly fds = new Int32Array(PARTITIONS).fill(-1);
  private records = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    for (let p = 0; p < PARTITIONS; p++) this.buffers.push(new Uint32Array(BUFFER_RECORDS * RECORD_WORDS));
  }

  get count(): number {
    return this.records;
  }

  /**
   * Adds the keys of items k = 0 … n − 1: hash (h0[k], h1[k]) as little-endian uint32 pairs
   * (`hashes0`, `hashes1` are uint64 arrays seen as uint32), band `band[k]`, document `doc[k]`.
   * Items with `doc[k] === SKIP` are left out.
   */
  add(hashes0: Uint32Array, hashes1: Uint32Array, band: Uint32Array, doc: Uint32Array): void {
    for (let k = 0; k < doc.length; k++) {
      if (doc[k] === SKIP) continue;
      this.records++;
      const h0hi = hashes0[2 * k + 1];
      const p = h0hi >>> (32 - PARTITION_BITS);
      const buf = this.buffers[p];
      let o = this.fill[p] * RECORD_WORDS;
      buf[o++] = hashes0[2 * k];
      buf[o++] = h0hi;
      buf[o++] = hashes1[2 * k];
      buf[o++] = hashes1[2 * k + 1];
      buf[o++] = band[k];
      buf[o] = doc[k];
      if (++this.fill[p] === BUFFER_RECORDS) this.flush(p);
    }
  }

  private flush(p: number): void {
    if (this.fill[p] === 0) return;
    if (this.fds[p] < 0) this.fds[p] = openSync(join(this.dir, `${p}.bin`), 'w');
    const buf = this.buffers[p];
    writeSync(this.fds[p], buf, 0, this.fill[p] * RECORD_BYTES);
    this.fill[p] = 0;
  }

  close(): void {
    for (let p = 0; p < PARTITIONS; p++) {
      this.flush(p);
      if (this.fds[p] >= 0) closeSync(this.fds[p]);
    }
  }
}

/** Marks an item that has no key (a document without signature, a band of padding). */
export const SKIP = 0xffffffff;

/** The files holding range p, one per shard that has keys there, in shard order. */
export function rangeFiles(workDir: string, shards: number, p: number): { shard: number; path: string; bytes: number }[] {
  const out: { shard: number; path: string; bytes: number }[] = [];
  for (let s = 0; s < shards; s++) {
    const path = join(shardKeyDir(workDir, s), `${p}.bin`);
    let bytes: number;
    try {
      bytes = statSync(path).size;
    } catch {
      continue;
    }
    out.push({ shard: s, path, bytes });
  }
  return out;
}
