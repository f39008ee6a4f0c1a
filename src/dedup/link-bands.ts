/**
 * LSH linking: documents that share a key (the same band value at the same band index, or the
 * same exact-dedup hash) join one component. One hash range of keys is held in memory at a time;
 * a range larger than the budget is split further on disk first.
 */

import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PARTITION_BITS, PARTITIONS, RECORD_BYTES, RECORD_WORDS, rangeFiles } from './key-spill.js';
import { SieveError } from '../errors.js';

/** Bytes of memory one key record needs while its range is linked: the record and its hash-table slots. */
export const BYTES_PER_KEY = RECORD_BYTES + 16;
const SPLIT_BITS = 4;
const CHUNK_RECORDS = 1 << 15;

interface KeyFile {
  readonly path: string;
  readonly bytes: number;
  /** Added to each record's document ordinal to give the global document index. */
  readonly base: number;
}

export interface LinkOptions {
  readonly workDir: string;
  /** Documents per shard, in shard order; global index = shard's base + ordinal. */
  readonly shardDocs: readonly number[];
  /** Bytes one hash range may use while linked. */
  readonly rangeBudget: number;
  /**
   * Decides whether two documents that share a key are linked (`--verify`); every shared key links
   * when absent, as RedPajama v2's `run_lsh.py` does.
   */
  readonly accept?: (doc: number, first: number) => boolean;
  /** Called after each top-level range, with how many are done. */
  readonly onRange?: (done: number, total: number) => void;
  /** Which of the top-level hash ranges to link (an array task's share). @default all */
  readonly ranges?: (range: number) => boolean;
}

/** Receives each linked pair: two documents (global indices) that belong to one cluster. */
export type LinkPair = (doc: number, first: number) => void;

export interface LinkStats {
  /** Key records read. */
  readonly keys: number;
  /** Keys shared with an earlier document (candidate pairs), and those `accept` refused. */
  readonly collisions: number;
  readonly refused: number;
  /** Ranges that had to be split on disk to fit the budget. */
  readonly splits: number;
}

/** Finds every pair of documents sharing a key and hands it to `link` (a union-find's `union`, or an edge file). */
export function linkBands(link: LinkPair, options: LinkOptions): LinkStats {
  const bases: number[] = [];
  let total = 0;
  for (const n of options.shardDocs) {
    bases.push(total);
    total += n;
  }
  const stats = { keys: 0, collisions: 0, refused: 0, splits: 0 };
  for (let p = 0; p < PARTITIONS; p++) {
    if (options.ranges && !options.ranges(p)) continue;
    const files = rangeFiles(options.workDir, options.shardDocs.length, p).map((f) => ({ path: f.path, bytes: f.bytes, base: bases[f.shard] }));
    linkRange(link, files, PARTITION_BITS, join(options.workDir, 'split', String(p)), options, stats);
    options.onRange?.(p + 1, PARTITIONS);
  }
  return stats;
}

function linkRange(link: LinkPair, files: readonly KeyFile[], bitsUsed: number, splitDir: string, options: LinkOptions, stats: { keys: number; collisions: number; refused: number; splits: number }): void {
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  if (bytes === 0) return;
  const records = bytes / RECORD_BYTES;
  // Past 32 bits h0's high word has nothing left to split on; such a range is all one hash value.
  if (records * BYTES_PER_KEY > options.rangeBudget && bitsUsed + SPLIT_BITS <= 32) {
    stats.splits++;
    const parts = splitRange(files, bitsUsed, splitDir);
    for (let q = 0; q < parts.length; q++) linkRange(link, parts[q], bitsUsed + SPLIT_BITS, join(splitDir, String(q)), options, stats);
    rmSync(splitDir, { recursive: true, force: true });
    return;
  }
  const words = new Uint32Array(records * RECORD_WORDS);
  let pos = 0;
  for (const f of files) pos = readInto(f, words, pos);
  stats.keys += records;
  linkRecords(link, words, records, options.accept, stats);
}

/** Reads a key file into `words` at record `pos`, turning ordinals into global document indices. */
function readInto(file: KeyFile, words: Uint32Array, pos: number): number {
  const fd = openSync(file.path, 'r');
  try {
    const bytes = new Uint8Array(words.buffer);
    let offset = pos * RECORD_BYTES;
    const end = offset + file.bytes;
    while (offset < end) {
      const n = readSync(fd, bytes, offset, Math.min(end - offset, CHUNK_RECORDS * RECORD_BYTES), null);
      if (n === 0) throw new SieveError('E_IO', `key file ${file.path} ended early: its shard's keys were cut off; run the dedup again`, { location: { file: file.path } });
      offset += n;
    }
    const records = file.bytes / RECORD_BYTES;
    if (file.base !== 0) for (let r = pos; r < pos + records; r++) words[r * RECORD_WORDS + 5] += file.base;
    return pos + records;
  } finally {
    closeSync(fd);
  }
}

/** Splits a range's records into 2^SPLIT_BITS files on the next bits of h0, with global document indices. */
function splitRange(files: readonly KeyFile[], bitsUsed: number, dir: string): KeyFile[][] {
  mkdirSync(dir, { recursive: true });
  const count = 1 << SPLIT_BITS;
  const shift = 32 - bitsUsed - SPLIT_BITS;
  const fds = Array.from({ length: count }, (_, q) => openSync(join(dir, `${q}.bin`), 'w'));
  const sizes = new Array<number>(count).fill(0);
  const outs = Array.from({ length: count }, () => new Uint32Array(CHUNK_RECORDS * RECORD_WORDS));
  const fill = new Uint32Array(count);
  const chunk = new Uint32Array(CHUNK_RECORDS * RECORD_WORDS);
  const chunkBytes = new Uint8Array(chunk.buffer);
  const flush = (q: number) => {
    writeSync(fds[q], outs[q], 0, fill[q] * RECORD_BYTES);
    sizes[q] += fill[q] * RECORD_BYTES;
    fill[q] = 0;
  };
  try {
    for (const f of files) {
      const fd = openSync(f.path, 'r');
      try {
        let left = f.bytes;
        while (left > 0) {
          const want = Math.min(left, chunkBytes.length);
          let got = 0;
          while (got < want) {
            const n = readSync(fd, chunkBytes, got, want - got, null);
            if (n === 0) throw new SieveError('E_IO', `key file ${f.path} ended early: its shard's keys were cut off; run the dedup again`, { location: { file: f.path } });
            got += n;
          }
          left -= want;
          for (let r = 0; r < want / RECORD_BYTES; r++) {
            const o = r * RECORD_WORDS;
            const q = (chunk[o + 1] >>> shift) & (count - 1);
            const out = outs[q];
            const w = fill[q] * RECORD_WORDS;
            out.set(chunk.subarray(o, o + RECORD_WORDS), w);
            out[w + 5] += f.base;
            if (++fill[q] === CHUNK_RECORDS) flush(q);
          }
        }
      } finally {
        closeSync(fd);
      }
    }
    for (let q = 0; q < count; q++) flush(q);
  } finally {
    for (const fd of fds) closeSync(fd);
  }
  return sizes.map((bytes, q) => (bytes > 0 ? [{ path: join(dir, `${q}.bin`), bytes, base: 0 }] : []));
}

/**
 * Links records sharing (h0, h1, band) with an open-addressing table of record indices: each
 * record meets the first record of its key, which is enough for connected components.
 */
function linkRecords(link: LinkPair, words: Uint32Array, records: number, accept: LinkOptions['accept'], stats: { collisions: number; refused: number }): void {
  let capacity = 1;
  while (capacity < 2 * records) capacity *= 2;
  const mask = capacity - 1;
  const table = new Int32Array(capacity).fill(-1);
  for (let r = 0; r < records; r++) {
    const o = r * RECORD_WORDS;
    const h0lo = words[o];
    const h1lo = words[o + 2];
    const band = words[o + 4];
    // The top bits of h0 chose the range; mix its low word with the band for the slot.
    let slot = (Math.imul(h0lo ^ Math.imul(band, 0x9e3779b1), 0x85ebca6b) >>> 0) & mask;
    for (;;) {
      const at = table[slot];
      if (at < 0) {
        table[slot] = r;
        break;
      }
      const q = at * RECORD_WORDS;
      if (words[q] === h0lo && words[q + 1] === words[o + 1] && words[q + 2] === h1lo && words[q + 3] === words[o + 3] && words[q + 4] === band) {
        const doc = words[o + 5];
        const first = words[q + 5];
        stats.collisions++;
        if (accept === undefined || accept(doc, first)) link(doc, first);
        else stats.refused++;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
}
