/**
 * RPv2 MinHash (spec §6) in plain TypeScript — the `js` backend's kernel — and the band layout
 * shared by every backend.
 *
 * Per document: shingles are the 13-word windows of the normalized words; each is hashed to
 * h = first 4 bytes of SHA-1, little-endian; for each permutation i, φ_i(h) = ((h·a_i + b_i) mod 2^64)
 * mod (2^61 − 1), low 32 bits; the signature is the per-permutation minimum. The minimum does not
 * care about repeats, so distinct shingles (the reference's set) and all windows give the same
 * signature, and equal hashes are skipped.
 *
 * No BigInt: with h < 2^32 and a = aHi·2^32 + aLo,
 *   x = h·a + b mod 2^64 has low word  lo(h·aLo) + bLo
 *                          and high word hi(h·aLo) + lo(h·aHi) + bHi + carry,
 * where lo() is `Math.imul` and hi() is recovered exactly from the double product (see `permuteMin`).
 * Then x mod (2^61 − 1) = (x & (2^61 − 1)) + (x >> 61), minus 2^61 − 1 once if that reaches it; its low
 * 32 bits are lo(x) + (x >> 61), plus 1 in that rare last case (−(2^61 − 1) ≡ 1 mod 2^32).
 */

import { sha1Hash32 } from './sha1.js';
import { NUM_PERMUTATIONS, PERMUTATION_HALVES } from './permutations.js';
import { SHINGLE_WORDS } from './types.js';
import type { MinhashBatch, MinhashSignatures, Utf16Batch } from './types.js';

const { aHi: A_HI, aLo: A_LO, bHi: B_HI, bLo: B_LO } = PERMUTATION_HALVES;

/** 2^-32, exact. */
const INV_2_32 = 2.3283064365386963e-10;

/**
 * Folds φ_i(h) for the `n` hashes `hashes[0, n)` into `out[outPos + i]` = min(out, …), i = 0 … 127.
 */
export function permuteMin(hashes: Uint32Array, n: number, out: Uint32Array, outPos: number): void {
  for (let i = 0; i < NUM_PERMUTATIONS; i++) {
    const aLo = A_LO[i];
    const aHi = A_HI[i];
    const bLo = B_LO[i];
    const bHi = B_HI[i];
    let min = out[outPos + i];
    for (let j = 0; j < n; j++) {
      const h = hashes[j];
      const pLo = Math.imul(h, aLo) >>> 0;
      // h·aLo < 2^64 as a double is within 2^11 of the exact product: subtracting the exact low
      // word and rounding the quotient by 2^32 gives the exact high word.
      const pHi = Math.round((h * aLo - pLo) * INV_2_32);
      const xLo = pLo + bLo;
      const xHi = (pHi + Math.imul(h, aHi) + bHi + (xLo > 0xffffffff ? 1 : 0)) >>> 0;
      const top = xHi >>> 29;
      const lo = xLo >>> 0;
      let v = (lo + top) >>> 0;
      // (x & P) + top ≥ P only if bits 32..60 of x are all ones and the low word overflows.
      if ((xHi & 0x1fffffff) === 0x1fffffff && lo + top >= 0xffffffff) v = (v + 1) >>> 0;
      if (v < min) min = v;
    }
    out[outPos + i] = min;
  }
}

/** Word boundaries of the current document and its shingle hashes, grown on demand. */
let wordStarts = new Uint32Array(1024);
let hashScratch = new Uint32Array(1024);

/**
 * MinHash signatures of every document of `batch` (the `js` backend's kernel); see `MinhashBatch`
 * for the input layout and `MinhashSignatures` for the output.
 */
export function minhashSignaturesJs(batch: MinhashBatch): MinhashSignatures {
  const { bytes, offsets } = batch;
  const docs = offsets.length - 1;
  const signatures = new Uint32Array(docs * NUM_PERMUTATIONS).fill(0xffffffff);
  const shingles = new Uint32Array(docs);
  for (let d = 0; d < docs; d++) {
    const start = offsets[d];
    const end = offsets[d + 1];
    if (end === start) continue;
    // Word w spans [starts[w], starts[w + 1] - 1): a sentinel start sits one past the end.
    let words = 0;
    if (wordStarts.length < end - start + 2) wordStarts = new Uint32Array(2 * (end - start) + 2);
    const starts = wordStarts;
    starts[words++] = start;
    for (let p = start; p < end; p++) if (bytes[p] === 0x20) starts[words++] = p + 1;
    starts[words] = end + 1;
    const windows = words - (SHINGLE_WORDS - 1);
    if (windows <= 0) continue;
    shingles[d] = windows;
    if (hashScratch.length < windows) hashScratch = new Uint32Array(2 * windows);
    const hashes = hashScratch;
    for (let j = 0; j < windows; j++) hashes[j] = sha1Hash32(bytes, starts[j], starts[j + SHINGLE_WORDS] - 1);
    permuteMin(hashes, uniqueSorted(hashes, windows), signatures, d * NUM_PERMUTATIONS);
  }
  return { docs, signatures, shingles };
}

/**
 * UTF-8 of `units[start, end)` into `out` from `pos` (room for 3 bytes per unit); returns the new
 * position. A surrogate pair is one 4-byte character; a lone surrogate becomes U+FFFD, as
 * `TextEncoder` does.
 */
export function utf16ToUtf8(units: Uint16Array, start: number, end: number, out: Uint8Array, pos: number): number {
  let o = pos;
  for (let i = start; i < end; i++) {
    let c = units[i];
    if (c < 0x80) {
      out[o++] = c;
    } else if (c < 0x800) {
      out[o++] = 0xc0 | (c >>> 6);
      out[o++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && units[i + 1] >= 0xdc00 && units[i + 1] <= 0xdfff) {
      const cp = ((c - 0xd800) << 10) + (units[++i] - 0xdc00) + 0x10000;
      out[o++] = 0xf0 | (cp >>> 18);
      out[o++] = 0x80 | ((cp >>> 12) & 0x3f);
      out[o++] = 0x80 | ((cp >>> 6) & 0x3f);
      out[o++] = 0x80 | (cp & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      out[o++] = 0xe0 | (c >>> 12);
      out[o++] = 0x80 | ((c >>> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  return o;
}

/** The UTF-8 `MinhashBatch` of a `Utf16Batch`. */
export function utf16BatchToUtf8(batch: Utf16Batch): MinhashBatch {
  const { units, offsets } = batch;
  const docs = offsets.length - 1;
  const bytes = new Uint8Array(3 * (offsets[docs] - offsets[0]));
  const out = new Uint32Array(docs + 1);
  let pos = 0;
  for (let d = 0; d < docs; d++) {
    pos = utf16ToUtf8(units, offsets[d], offsets[d + 1], bytes, pos);
    out[d + 1] = pos;
  }
  return { bytes: bytes.subarray(0, pos), offsets: out };
}

/** Sorts `a[0, n)` and moves its distinct values to the front; returns how many there are. */
function uniqueSorted(a: Uint32Array, n: number): number {
  if (n < 2) return n;
  a.subarray(0, n).sort();
  let k = 1;
  for (let i = 1; i < n; i++) if (a[i] !== a[k - 1]) a[k++] = a[i];
  return k;
}

/** How a signature is cut into LSH bands for one similarity threshold (spec §6 step 8, §5.3). */
export interface MinhashBandSpec {
  readonly threshold: number;
  /** Column name in the RPv2 minhash Parquet files. */
  readonly column: string;
  /** Number of bands b. */
  readonly bands: number;
  /** Signature values per band r (each band is r × 4 bytes). */
  readonly rows: number;
}

/** The four RPv2 thresholds in config order, with datasketch's `optimal_param` (b, r) for 128 perms. */
export const MINHASH_BANDS = [
  { threshold: 1.0, column: 'signature_sim1.0', bands: 1, rows: 128 },
  { threshold: 0.9, column: 'signature_sim0.9', bands: 5, rows: 25 },
  { threshold: 0.8, column: 'signature_sim0.8', bands: 9, rows: 13 },
  { threshold: 0.7, column: 'signature_sim0.7', bands: 14, rows: 9 },
] as const satisfies readonly MinhashBandSpec[];

/** `signature_sim1.0` … `signature_sim0.7`. */
export type MinhashColumn = (typeof MINHASH_BANDS)[number]['column'];

/** One document's bands for every threshold; each band is r big-endian uint32 values (4r bytes). */
export type MinhashDocBands = Readonly<Record<MinhashColumn, readonly Uint8Array[]>>;

/** Bytes of one serialized signature (128 big-endian uint32). */
export const SIGNATURE_BYTES = 4 * NUM_PERMUTATIONS;

/**
 * All signatures as big-endian bytes, `docs × 512`: band j of a threshold with r rows is bytes
 * `[512 k + 4 r j, 512 k + 4 r (j + 1))` for document k, so bands are views, not copies.
 */
export function signaturesBigEndian(result: MinhashSignatures): Uint8Array {
  const sig = result.signatures;
  const out = new Uint8Array(sig.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < sig.length; i++) view.setUint32(4 * i, sig[i], false);
  return out;
}

/**
 * The bands of document `doc` for every threshold, as views into `bigEndian` (from
 * `signaturesBigEndian`), or null when the document has no shingle (the reference's null).
 */
export function docBands(result: MinhashSignatures, bigEndian: Uint8Array, doc: number): MinhashDocBands | null {
  if (result.shingles[doc] === 0) return null;
  const base = doc * SIGNATURE_BYTES;
  const bands = {} as Record<MinhashColumn, Uint8Array[]>;
  for (const spec of MINHASH_BANDS) {
    const list: Uint8Array[] = new Array(spec.bands);
    const size = 4 * spec.rows;
    for (let j = 0; j < spec.bands; j++) list[j] = bigEndian.subarray(base + j * size, base + (j + 1) * size);
    bands[spec.column] = list;
  }
  return bands;
}
