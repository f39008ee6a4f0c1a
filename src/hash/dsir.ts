/**
 * RPv2 DSIR hashed features (spec §8.1) in plain TypeScript, the `js` backend's kernel: every raw
 * token t adds 1 to bucket |hash(t)| mod B and every adjacent pair (t, u) adds 1 to bucket
 * |hash((t, u))| mod B, with CPython 3.11's seed-42 `hash` (see `python-hash.ts`).
 */

import { HASH_RESULT, absMod, pyPairHash, pyStrHashUnits } from './python-hash.js';
import type { SparseCounts, TokenBatch } from './types.js';

/** Default number of buckets (RPv2 `DSIR_FEATURE_DIM`). */
export const DSIR_BUCKETS = 10000;

/** Largest bucket count the kernels accept (`absMod` is exact up to 2^24). */
export const MAX_DSIR_BUCKETS = 1 << 24;

/** Dense counts of the current document, and the buckets it touched (cleared after each document). */
let dense = new Uint32Array(DSIR_BUCKETS);
let touched = new Uint32Array(1024);

/** Counts of every document of `batch` over `buckets` buckets; see `TokenBatch` and `SparseCounts`. */
export function dsirBucketsJs(batch: TokenBatch, buckets: number = DSIR_BUCKETS): SparseCounts {
  const { units, unitOffsets, spans, tokenOffsets } = batch;
  const docs = tokenOffsets.length - 1;
  const totalTokens = tokenOffsets[docs] - tokenOffsets[0];
  // A document of n tokens has at most n unigram + (n − 1) bigram buckets.
  const capacity = 2 * totalTokens;
  let outBuckets = new Uint32Array(capacity);
  let outCounts = new Uint32Array(capacity);
  const docOffsets = new Uint32Array(docs + 1);
  if (dense.length < buckets) dense = new Uint32Array(buckets);
  if (touched.length < buckets) touched = new Uint32Array(buckets);
  const counts = dense;
  const seen = touched;
  let out = 0;
  for (let d = 0; d < docs; d++) {
    const base = unitOffsets[d];
    let distinct = 0;
    let prevHi = 0;
    let prevLo = 0;
    for (let t = tokenOffsets[d]; t < tokenOffsets[d + 1]; t++) {
      pyStrHashUnits(units, base + spans[2 * t], base + spans[2 * t + 1]);
      const hi = HASH_RESULT[0];
      const lo = HASH_RESULT[1];
      let b = absMod(hi, lo, buckets);
      if (counts[b]++ === 0) seen[distinct++] = b;
      if (t > tokenOffsets[d]) {
        pyPairHash(prevHi, prevLo, hi, lo);
        b = absMod(HASH_RESULT[0], HASH_RESULT[1], buckets);
        if (counts[b]++ === 0) seen[distinct++] = b;
      }
      prevHi = hi;
      prevLo = lo;
    }
    const list = seen.subarray(0, distinct).sort();
    for (let k = 0; k < distinct; k++) {
      const b = list[k];
      outBuckets[out] = b;
      outCounts[out++] = counts[b];
      counts[b] = 0;
    }
    docOffsets[d + 1] = out;
  }
  if (out < capacity) {
    outBuckets = outBuckets.slice(0, out);
    outCounts = outCounts.slice(0, out);
  }
  return { docOffsets, buckets: outBuckets, counts: outCounts };
}
