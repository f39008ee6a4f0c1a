/**
 * Dedup keys of a batch of documents, written to a `KeySpillWriter`: the RPv2 MinHash bands of one
 * threshold (spec §5.3, §6.1) or one exact-dedup string. Every key is stored as a 128-bit hash (XXH64
 * with seeds 0 and 1), so keys of any length take 24 bytes; two different band values share both
 * hashes with probability about 2^-128, far below any corpus's scale.
 */

import type * as arrow from 'apache-arrow';
import { SieveError } from '../errors.js';
import { MINHASH_BANDS, SIGNATURE_BYTES, utf8Batch, type MinhashBandSpec, type MinhashSignatures } from '../hash/index.js';
import type { ByteBatch, HashBackend } from '../hash/types.js';
import { SKIP, type KeySpillWriter } from './key-spill.js';

/** The thresholds `sieve dedup` takes: the RPv2 signature columns. */
export const DEDUP_THRESHOLDS = MINHASH_BANDS.map((b) => b.threshold);

/** The bands and rows of a threshold's signature column. */
export function bandSpec(threshold: number): MinhashBandSpec {
  const spec = MINHASH_BANDS.find((b) => b.threshold === threshold);
  if (!spec) throw new SieveError('E_USAGE', `--threshold ${threshold} has no RPv2 signature column: use one of ${DEDUP_THRESHOLDS.map((t) => t.toFixed(1)).join(', ')}`);
  return spec;
}

function hashPairs(backend: HashBackend, batch: ByteBatch): [Uint32Array, Uint32Array] {
  const h0 = backend.xxhash64Sync(batch, { seed: 0n });
  const h1 = backend.xxhash64Sync(batch, { seed: 1n });
  return [new Uint32Array(h0.buffer, h0.byteOffset, 2 * h0.length), new Uint32Array(h1.buffer, h1.byteOffset, 2 * h1.length)];
}

/**
 * Adds the bands of computed signatures (`bigEndian` = `signaturesBigEndian(result)`) for documents
 * `firstOrdinal …`; documents without shingles have no keys.
 */
export function addSignatureKeys(writer: KeySpillWriter, backend: HashBackend, result: MinhashSignatures, bigEndian: Uint8Array, spec: MinhashBandSpec, firstOrdinal: number): void {
  const per = spec.bands + 1;
  const size = 4 * spec.rows;
  const items = result.docs * per;
  const offsets = new Uint32Array(items + 1);
  const band = new Uint32Array(items);
  const doc = new Uint32Array(items).fill(SKIP);
  // Item `per·d + j` is band j of document d; item `per·d + bands` is the unused tail of its signature.
  for (let d = 0; d < result.docs; d++) {
    const base = d * SIGNATURE_BYTES;
    const keyed = result.shingles[d] > 0;
    for (let j = 0; j < spec.bands; j++) {
      const item = d * per + j;
      offsets[item] = base + j * size;
      band[item] = j;
      if (keyed) doc[item] = firstOrdinal + d;
    }
    offsets[d * per + spec.bands] = base + spec.bands * size;
  }
  offsets[items] = result.docs * SIGNATURE_BYTES;
  const [h0, h1] = hashPairs(backend, { bytes: bigEndian, offsets });
  writer.add(h0, h1, band, doc);
}

/**
 * Adds the bands of a `list<binary>` signature column (ours or RPv2's `*.minhash.parquet`) for rows
 * `firstOrdinal …`; null rows have no keys. Returns how many rows had a signature.
 */
export function addBandColumnKeys(writer: KeySpillWriter, backend: HashBackend, column: arrow.Vector, spec: MinhashBandSpec, firstOrdinal: number, where: string): number {
  let row = firstOrdinal;
  let keyed = 0;
  for (const list of column.data) {
    const child = list.children[0];
    const listOffsets = list.valueOffsets as Int32Array;
    const childOffsets = child.valueOffsets as Int32Array;
    const first = listOffsets[list.offset];
    const last = listOffsets[list.offset + list.length];
    const items = last - first;
    const band = new Uint32Array(items);
    const doc = new Uint32Array(items).fill(SKIP);
    for (let i = 0; i < list.length; i++) {
      const from = listOffsets[list.offset + i] - first;
      const to = listOffsets[list.offset + i + 1] - first;
      if (!list.getValid(i) || to === from) continue;
      if (to - from !== spec.bands) {
        throw new SieveError('E_INPUT_FORMAT', `${where}: row ${row + i} has ${to - from} bands in ${spec.column}, expected ${spec.bands}`, { location: { file: where, record: row + i } });
      }
      keyed++;
      for (let j = from; j < to; j++) {
        band[j] = j - from;
        doc[j] = row + i;
      }
    }
    if (items > 0) {
      const offsets = new Uint32Array(childOffsets.buffer, childOffsets.byteOffset + 4 * (child.offset + first), items + 1);
      const [h0, h1] = hashPairs(backend, { bytes: child.values as Uint8Array, offsets });
      writer.add(h0, h1, band, doc);
    }
    row += list.length;
  }
  return keyed;
}

/** The full signatures of a `signature_sim1.0` column, 512 bytes per row (zeros for null rows), for `--verify`. */
export function fullSignatures(column: arrow.Vector, where: string): Uint8Array {
  const out = new Uint8Array(column.length * SIGNATURE_BYTES);
  let row = 0;
  for (const list of column.data) {
    const child = list.children[0];
    const listOffsets = list.valueOffsets as Int32Array;
    const childOffsets = child.valueOffsets as Int32Array;
    const values = child.values as Uint8Array;
    for (let i = 0; i < list.length; i++, row++) {
      const from = listOffsets[list.offset + i];
      if (!list.getValid(i) || listOffsets[list.offset + i + 1] === from) continue;
      const start = childOffsets[child.offset + from];
      const end = childOffsets[child.offset + from + 1];
      if (end - start !== SIGNATURE_BYTES) throw new SieveError('E_INPUT_FORMAT', `${where}: row ${row} of signature_sim1.0 is not one 512-byte band`, { location: { file: where, record: row } });
      out.set(values.subarray(start, end), row * SIGNATURE_BYTES);
    }
  }
  return out;
}

/** Adds one exact-dedup key per document (`null`: the document has no key, e.g. no url). Returns how many had one. */
export function addExactKeys(writer: KeySpillWriter, backend: HashBackend, keys: readonly (string | null)[], firstOrdinal: number): number {
  const doc = new Uint32Array(keys.length);
  let keyed = 0;
  for (let k = 0; k < keys.length; k++) {
    doc[k] = keys[k] === null ? SKIP : firstOrdinal + k;
    if (keys[k] !== null) keyed++;
  }
  const [h0, h1] = hashPairs(backend, utf8Batch(keys.map((k) => k ?? '')));
  writer.add(h0, h1, new Uint32Array(keys.length), doc);
  return keyed;
}

/** Fraction of equal values between two 512-byte signatures: the MinHash estimate of their Jaccard similarity. */
export function estimatedJaccard(a: Uint8Array, b: Uint8Array): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_BYTES; i += 4) {
    if (a[i] === b[i] && a[i + 1] === b[i + 1] && a[i + 2] === b[i + 2] && a[i + 3] === b[i + 3]) same++;
  }
  return same / (SIGNATURE_BYTES / 4);
}
