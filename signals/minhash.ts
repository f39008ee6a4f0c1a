/**
 * MinHash signatures (spec §6) as signals: per RPv2 threshold, the LSH bands of the document's
 * signature, each band r big-endian uint32 values (spec §5.3); null under 13 normalized words.
 */

import { MINHASH_BANDS, minhashBands, type MinhashColumn, type MinhashDocBands } from '../src/hash/index.js';
import type { BandsDocSignal, SignalFamily } from '../src/signal.js';
import type { TextView } from '../src/text/index.js';

// The four signals of a batch share one kernel run: the first to ask computes, the others reuse it.
const batches = new WeakMap<readonly TextView[], (MinhashDocBands | null)[]>();

function batchBands(views: readonly TextView[]): (MinhashDocBands | null)[] {
  let bands = batches.get(views);
  if (!bands) {
    bands = minhashBands(views);
    batches.set(views, bands);
  }
  return bands;
}

function signature(column: MinhashColumn, bands: number, rows: number): BandsDocSignal {
  return {
    name: column,
    level: 'doc',
    type: 'bands',
    description: `MinHash LSH bands for Jaccard similarity ${column.slice('signature_sim'.length)}: ${bands} band(s) of ${rows} big-endian uint32 values; null under 13 normalized words`,
    computeBatch: (views) => batchBands(views).map((b) => b?.[column] ?? null),
    compute: (view) => batchBands([view])[0]?.[column] ?? null,
  };
}

/** RPv2 `signature_sim1.0`, `signature_sim0.9`, `signature_sim0.8` and `signature_sim0.7`. */
export const minhash: SignalFamily = {
  id: 'minhash',
  version: 1,
  signals: MINHASH_BANDS.map((b) => signature(b.column, b.bands, b.rows)),
};
