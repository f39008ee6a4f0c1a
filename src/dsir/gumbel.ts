/**
 * Gumbel noise for resampling without replacement (the Gumbel top-k trick): the k documents with
 * the largest log weight + Gumbel(0, 1) noise are a sample of k drawn without replacement with
 * probability proportional to the weights. The noise of a document depends only on the seed and its
 * id, so the sample does not depend on the order documents are read in or on the worker count.
 */

import { contentHashes } from '../hash/content-hashes.js';
import type { HashViewsOptions } from '../hash/minhash-bands.js';

const TWO_POW_20 = 2 ** 20;
const TWO_POW_52 = 2 ** 52;

/** Checks and converts a seed (an integer 0 … 2^64 − 1, as a number, bigint or decimal string). */
export function parseSeed(seed: number | bigint | string): bigint | undefined {
  let value: bigint;
  if (typeof seed === 'bigint') value = seed;
  else if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) return undefined;
    value = BigInt(seed);
  } else {
    if (!/^\d+$/.test(seed.trim())) return undefined;
    value = BigInt(seed.trim());
  }
  return value >= 0n && value < 1n << 64n ? value : undefined;
}

/**
 * Gumbel(0, 1) noise per id: −ln(−ln U) with U = (top 52 bits of XXH64(UTF-8 id, seed) + ½) / 2^52,
 * which lies strictly inside (0, 1).
 */
export function gumbelNoise(ids: readonly string[], seed: bigint, options: HashViewsOptions = {}): Float64Array {
  const hashes = contentHashes(ids, seed, options);
  const halves = new Uint32Array(hashes.buffer, hashes.byteOffset, 2 * hashes.length);
  const out = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    // Little-endian halves: the high word is the second; its 32 bits and the low word's top 20 make 52.
    const top52 = halves[2 * i + 1] * TWO_POW_20 + (halves[2 * i] >>> 12);
    const u = (top52 + 0.5) / TWO_POW_52;
    out[i] = -Math.log(-Math.log(u));
  }
  return out;
}

/**
 * Resampling keys: log weight + Gumbel noise per document; NaN where the weight is NaN (a document
 * that cannot be scored is never selected).
 */
export function gumbelKeys(ids: readonly string[], logWeights: Float64Array, seed: bigint, options: HashViewsOptions = {}): Float64Array {
  const noise = gumbelNoise(ids, seed, options);
  for (let i = 0; i < noise.length; i++) noise[i] += logWeights[i];
  return noise;
}
