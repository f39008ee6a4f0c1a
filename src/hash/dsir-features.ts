/**
 * DSIR hashed features for `TextView`s (spec §8.1): packs the documents' raw text and WordPunct
 * token spans into one batch and runs the chosen backend's kernel.
 */

import { SieveError } from '../errors.js';
import type { TextView } from '../text/index.js';
import { DSIR_BUCKETS } from './dsir.js';
import { resolveBackend } from './minhash-bands.js';
import type { HashViewsOptions } from './minhash-bands.js';
import type { SparseCounts, TokenBatch } from './types.js';

/** One non-zero feature: a bucket and how many unigrams and bigrams fell into it. */
export interface DsirFeature {
  readonly bucket: number;
  readonly count: number;
}

/** The DSIR batch of some views: their raw text as UTF-16 code units and `rawWordSpans`. */
export function dsirBatch(views: readonly TextView[]): TokenBatch {
  const unitOffsets = new Uint32Array(views.length + 1);
  const tokenOffsets = new Uint32Array(views.length + 1);
  let units = 0;
  let tokens = 0;
  for (let d = 0; d < views.length; d++) {
    units += views[d].raw.length;
    tokens += views[d].rawWordSpans.count;
    if (units > 0xffffffff || 2 * tokens > 0xffffffff) {
      throw new SieveError('E_USAGE', '[hash] dsirBatch: the documents do not fit one batch (uint32 offsets); split them into smaller batches');
    }
    unitOffsets[d + 1] = units;
    tokenOffsets[d + 1] = tokens;
  }
  const unitArray = new Uint16Array(units);
  // Writing UTF-16LE into the array's own memory: the platform order (little-endian on every target).
  const unitBytes = Buffer.from(unitArray.buffer, unitArray.byteOffset, unitArray.byteLength);
  const spans = new Uint32Array(2 * tokenOffsets[views.length]);
  for (let d = 0; d < views.length; d++) {
    unitBytes.write(views[d].raw, 2 * unitOffsets[d], 'utf16le');
    const s = views[d].rawWordSpans;
    spans.set(s.spans.subarray(0, 2 * s.count), 2 * tokenOffsets[d]);
  }
  return { units: unitArray, unitOffsets, spans, tokenOffsets };
}

/** Splits sparse counts into one `{ bucket, count }` list per document. */
export function featuresOf(counts: SparseCounts): DsirFeature[][] {
  const docs = counts.docOffsets.length - 1;
  const out: DsirFeature[][] = new Array(docs);
  for (let d = 0; d < docs; d++) {
    const list: DsirFeature[] = [];
    for (let k = counts.docOffsets[d]; k < counts.docOffsets[d + 1]; k++) list.push({ bucket: counts.buckets[k], count: counts.counts[k] });
    out[d] = list;
  }
  return out;
}

/**
 * The RPv2 DSIR features of each view: the non-zero buckets of its hashed unigram + bigram count
 * vector, ascending (the reference's `nonzero` list).
 *
 * @example
 * dsirFeatures([new TextView('The cat sat.')])[0]; // [{ bucket: …, count: 1 }, …]
 */
export function dsirFeatures(views: readonly TextView[], buckets: number = DSIR_BUCKETS, options: HashViewsOptions = {}): DsirFeature[][] {
  return featuresOf(resolveBackend(options.backend).dsirBucketsSync(dsirBatch(views), { ...options, buckets }));
}

/** As `dsirFeatures`, with the native work off the JS thread (and over `threads` threads). */
export async function dsirFeaturesAsync(
  views: readonly TextView[],
  buckets: number = DSIR_BUCKETS,
  options: HashViewsOptions = {},
): Promise<DsirFeature[][]> {
  return featuresOf(await resolveBackend(options.backend).dsirBuckets(dsirBatch(views), { ...options, buckets }));
}
