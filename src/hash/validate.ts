/**
 * Argument checks of the kernels' batches, shared by every backend: a bad offset must become an
 * error that names the argument, never a read out of bounds in native code (the addon checks the
 * same again before it touches memory).
 */

import { SieveError } from '../errors.js';
import { MAX_DSIR_BUCKETS } from './dsir.js';
import type { ByteBatch, TokenBatch, Utf16Batch } from './types.js';

function fail(kernel: string, message: string): never {
  throw new SieveError('E_USAGE', `[hash] ${kernel}: ${message}`);
}

/** Checks that `offsets` has at least one entry, never decreases and stays within `length`. */
function checkOffsets(kernel: string, name: string, offsets: Uint32Array, length: number): void {
  if (!(offsets instanceof Uint32Array)) fail(kernel, `${name} must be a Uint32Array`);
  if (offsets.length < 1) fail(kernel, `${name} needs at least one entry (items + 1)`);
  for (let k = 1; k < offsets.length; k++) {
    if (offsets[k] < offsets[k - 1]) fail(kernel, `${name}[${k}] = ${offsets[k]} is below ${name}[${k - 1}] = ${offsets[k - 1]}`);
  }
  if (offsets[offsets.length - 1] > length) fail(kernel, `${name} ends at ${offsets[offsets.length - 1]}, past the data (${length})`);
}

export function checkByteBatch(kernel: string, batch: ByteBatch): void {
  if (!(batch.bytes instanceof Uint8Array)) fail(kernel, 'batch.bytes must be a Uint8Array');
  checkOffsets(kernel, 'batch.offsets', batch.offsets, batch.bytes.length);
}

export function checkUtf16Batch(kernel: string, batch: Utf16Batch): void {
  if (!(batch.units instanceof Uint16Array)) fail(kernel, 'batch.units must be a Uint16Array');
  checkOffsets(kernel, 'batch.offsets', batch.offsets, batch.units.length);
}

export function checkTokenBatch(kernel: string, batch: TokenBatch): void {
  const { units, unitOffsets, spans, tokenOffsets } = batch;
  if (!(units instanceof Uint16Array)) fail(kernel, 'batch.units must be a Uint16Array');
  if (!(spans instanceof Uint32Array)) fail(kernel, 'batch.spans must be a Uint32Array');
  checkOffsets(kernel, 'batch.unitOffsets', unitOffsets, units.length);
  checkOffsets(kernel, 'batch.tokenOffsets', tokenOffsets, spans.length / 2);
  if (tokenOffsets.length !== unitOffsets.length) {
    fail(kernel, `batch.tokenOffsets has ${tokenOffsets.length} entries but batch.unitOffsets has ${unitOffsets.length}`);
  }
  for (let d = 0; d + 1 < tokenOffsets.length; d++) {
    const length = unitOffsets[d + 1] - unitOffsets[d];
    for (let t = tokenOffsets[d]; t < tokenOffsets[d + 1]; t++) {
      if (spans[2 * t] > spans[2 * t + 1] || spans[2 * t + 1] > length) {
        fail(kernel, `token ${t} spans [${spans[2 * t]}, ${spans[2 * t + 1]}), outside its document (${length} units)`);
      }
    }
  }
}

export function checkBuckets(kernel: string, buckets: number): void {
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_DSIR_BUCKETS) {
    fail(kernel, `buckets must be an integer from 1 to ${MAX_DSIR_BUCKETS}, got ${buckets}`);
  }
}

export function checkThreads(kernel: string, threads: number): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > 1024) fail(kernel, `threads must be an integer from 1 to 1024, got ${threads}`);
}

/** The XXH64 seed as (hi, lo) int32 halves. */
export function seedHalves(kernel: string, seed: bigint): [number, number] {
  if (typeof seed !== 'bigint' || seed < 0n || seed >= 1n << 64n) fail(kernel, `seed must be a bigint from 0 to 2^64 - 1, got ${String(seed)}`);
  return [Number(seed >> 32n) | 0, Number(seed & 0xffffffffn) | 0];
}
