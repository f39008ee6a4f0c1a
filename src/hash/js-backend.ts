/**
 * The `js` backend: the pure-TypeScript kernels behind the `HashBackend` interface. Always
 * available; the reference the native backends are tested against bit for bit. Its async calls
 * run on the calling thread.
 */

import { DSIR_BUCKETS, dsirBucketsJs } from './dsir.js';
import { minhashSignaturesJs, utf16BatchToUtf8 } from './minhash.js';
import { sha1Digest } from './sha1.js';
import type {
  ByteBatch,
  DsirOptions,
  HashBackend,
  KernelOptions,
  MinhashBatch,
  MinhashSignatures,
  SparseCounts,
  TokenBatch,
  Utf16Batch,
  XxhashOptions,
} from './types.js';
import { checkBuckets, checkByteBatch, checkThreads, checkTokenBatch, checkUtf16Batch, seedHalves } from './validate.js';
import { xxhash64Into } from './xxhash64.js';

function checkOptions(kernel: string, options: KernelOptions | undefined): void {
  if (options?.threads !== undefined) checkThreads(kernel, options.threads);
}

function sha1Sync(batch: ByteBatch, options?: KernelOptions): Uint8Array {
  checkByteBatch('sha1', batch);
  checkOptions('sha1', options);
  const { bytes, offsets } = batch;
  const items = offsets.length - 1;
  const out = new Uint8Array(20 * items);
  for (let k = 0; k < items; k++) sha1Digest(bytes, offsets[k], offsets[k + 1], out, 20 * k);
  return out;
}

function minhashSignaturesSync(batch: MinhashBatch, options?: KernelOptions): MinhashSignatures {
  checkByteBatch('minhashSignatures', batch);
  checkOptions('minhashSignatures', options);
  return minhashSignaturesJs(batch);
}

function minhashSignaturesUtf16Sync(batch: Utf16Batch, options?: KernelOptions): MinhashSignatures {
  checkUtf16Batch('minhashSignatures', batch);
  checkOptions('minhashSignatures', options);
  return minhashSignaturesJs(utf16BatchToUtf8(batch));
}

function dsirBucketsSync(batch: TokenBatch, options?: DsirOptions): SparseCounts {
  checkTokenBatch('dsirBuckets', batch);
  checkOptions('dsirBuckets', options);
  const buckets = options?.buckets ?? DSIR_BUCKETS;
  checkBuckets('dsirBuckets', buckets);
  return dsirBucketsJs(batch, buckets);
}

function xxhash64Sync(batch: ByteBatch, options?: XxhashOptions): BigUint64Array {
  checkByteBatch('xxhash64', batch);
  checkOptions('xxhash64', options);
  const [seedHi, seedLo] = seedHalves('xxhash64', options?.seed ?? 0n);
  const { bytes, offsets } = batch;
  const items = offsets.length - 1;
  const out = new BigUint64Array(items);
  const halves = new Uint32Array(out.buffer);
  for (let k = 0; k < items; k++) xxhash64Into(bytes, offsets[k], offsets[k + 1], seedHi, seedLo, halves, 2 * k);
  return out;
}

/** Runs `fn` now and hands its result (or its error) over as a promise. */
function later<A, O, R>(fn: (batch: A, options?: O) => R): (batch: A, options?: O) => Promise<R> {
  return (batch, options) => new Promise<R>((resolve) => resolve(fn(batch, options)));
}

/** Creates the `js` backend. */
export function createJsBackend(): HashBackend {
  return {
    name: 'js',
    capabilities: {
      kernels: { sha1: 'js', minhash: 'js', dsir: 'js', xxhash64: 'js' },
      offThread: false,
      multiThreaded: false,
      paths: { sha1: 'typescript', minhash: 'typescript', dsir: 'typescript', xxhash64: 'typescript' },
    },
    sha1Sync,
    sha1: later(sha1Sync),
    minhashSignaturesSync,
    minhashSignatures: later(minhashSignaturesSync),
    minhashSignaturesUtf16Sync,
    minhashSignaturesUtf16: later(minhashSignaturesUtf16Sync),
    dsirBucketsSync,
    dsirBuckets: later(dsirBucketsSync),
    xxhash64Sync,
    xxhash64: later(xxhash64Sync),
  };
}
