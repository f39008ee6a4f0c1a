/**
 * Hashes of whole strings for dedup keys: XXH64 of their UTF-8 (exact dedup) and RPv2's `id_int`
 * (spec §5.2).
 */

import { packUtf8, resolveBackend } from './minhash-bands.js';
import type { HashViewsOptions } from './minhash-bands.js';
import type { ByteBatch } from './types.js';

/** The UTF-8 bytes of some strings as one batch. */
export function utf8Batch(texts: readonly string[]): ByteBatch {
  return packUtf8(texts, 'utf8Batch');
}

/**
 * XXH64 of each text's UTF-8. Two calls with different seeds give a 128-bit key.
 * @param seed unsigned 64-bit seed; @default 0n
 */
export function contentHashes(texts: readonly string[], seed: bigint = 0n, options: HashViewsOptions = {}): BigUint64Array {
  return resolveBackend(options.backend).xxhash64Sync(utf8Batch(texts), { ...options, seed });
}

/**
 * RPv2 `id_int` of each id: the first 8 bytes of SHA-1(UTF-8 id), little-endian.
 *
 * @example
 * idInts(['2023-06/0000/en_head.json.gz/0'])[0]; // 13812950656272331291n
 */
export function idInts(ids: readonly string[], options: HashViewsOptions = {}): BigUint64Array {
  const digests = resolveBackend(options.backend).sha1Sync(utf8Batch(ids), options);
  const out = new BigUint64Array(ids.length);
  const view = new DataView(digests.buffer, digests.byteOffset, digests.byteLength);
  for (let k = 0; k < ids.length; k++) out[k] = view.getBigUint64(20 * k, true);
  return out;
}
